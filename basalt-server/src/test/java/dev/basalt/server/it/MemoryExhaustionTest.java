package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query too large for the heap fails alone with [MEM_LIMIT_EXCEEDED]; the server keeps serving
 * the same and other connections. Runs the server as a child process with a small heap.
 */
class MemoryExhaustionTest {
  @TempDir Path directory;

  @Test
  void aQueryLargerThanTheHeapFailsAndTheServerKeepsServing() throws Exception {
    ServerProcess server =
        ServerProcess.start(directory.resolve("data"), directory.resolve("server.log"), "160m");
    try (Connection connection = server.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE mem");
      statement.execute(
          "CREATE TABLE mem.t (a INT, b INT) DUPLICATE KEY(a) DISTRIBUTED BY HASH(a) BUCKETS 2");
      StringBuilder values = new StringBuilder();
      for (int i = 0; i < 2000; i++) {
        values
            .append(i == 0 ? "" : ", ")
            .append('(')
            .append(i)
            .append(", ")
            .append(i % 7)
            .append(')');
      }
      statement.execute("INSERT INTO mem.t VALUES " + values);
      // 8e9 rows to sort: far beyond a 160 MB heap.
      assertThatThrownBy(
              () ->
                  statement
                      .executeQuery(
                          "SELECT x.a, y.a, z.a FROM mem.t x, mem.t y, mem.t z ORDER BY x.a")
                      .close())
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("MEM_LIMIT_EXCEEDED");
      try (ResultSet rows = statement.executeQuery("SELECT COUNT(*), SUM(b) FROM mem.t")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getLong(1)).isEqualTo(2000);
      }
    } finally {
      server.kill();
    }
  }
}
