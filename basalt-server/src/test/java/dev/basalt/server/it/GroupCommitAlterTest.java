package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ALTER TABLE t SET ("group_commit_interval_ms" = ..., "group_commit_data_bytes" = ...)}
 * over JDBC, as in Doris: the values are stored (SHOW CREATE TABLE, across a restart) and the
 * table's next group commits by them. With a ten-minute interval an async row stays invisible; with
 * one byte of data per group the next row's group commits at once, although the interval is still
 * ten minutes.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GroupCommitAlterTest {
  @Test
  void alteredPropertiesApplyToTheNextGroup() throws Exception {
    try (TestServer server = TestServer.start()) {
      try (Connection connection = connect(server, "");
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE gca");
        statement.execute(
            "CREATE TABLE gca.t (k INT, v INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
        statement.execute("ALTER TABLE gca.t SET (\"group_commit_interval_ms\" = \"600000\")");
        assertThatThrownBy(
                () ->
                    statement.execute(
                        "ALTER TABLE gca.t SET (\"group_commit_data_bytes\" = \"0\")"))
            .hasMessageContaining("expected a positive integer");
        assertThatThrownBy(
                () -> statement.execute("ALTER TABLE gca.t SET (\"in_memory\" = \"true\")"))
            .hasMessageContaining("can be changed");
      }
      server.restart();
      assertThat(String.join("\n", server.rows("gca", "SHOW CREATE TABLE t")))
          .contains("\"group_commit_interval_ms\" = \"600000\"");

      try (Connection connection = connect(server, "gca");
          Statement statement = connection.createStatement()) {
        statement.execute("SET group_commit = async_mode");
        statement.execute("INSERT INTO t VALUES (1, 1)");
        // Basalt's default interval is one second; this group waits ten minutes.
        Thread.sleep(3_000);
        assertThat(server.rows("gca", "SELECT count(*) FROM t")).containsExactly("0");

        // The ALTER commits the open group first (the row becomes visible), and the next group
        // commits as soon as it holds one byte.
        statement.execute("ALTER TABLE t SET (\"group_commit_data_bytes\" = \"1\")");
        assertThat(server.rows("gca", "SELECT count(*) FROM t")).containsExactly("1");
        statement.execute("INSERT INTO t VALUES (2, 2)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!server.rows("gca", "SELECT count(*) FROM t").equals(java.util.List.of("2"))
            && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertThat(server.rows("gca", "SELECT count(*) FROM t")).containsExactly("2");
      }
      assertThat(String.join("\n", server.rows("gca", "SHOW CREATE TABLE t")))
          .contains("\"group_commit_interval_ms\" = \"600000\"")
          .contains("\"group_commit_data_bytes\" = \"1\"");
    }
  }

  private static Connection connect(TestServer server, String database) throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl(database, ""), "root", "");
  }
}
