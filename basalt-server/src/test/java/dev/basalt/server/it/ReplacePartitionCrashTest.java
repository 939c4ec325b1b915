package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.fault.FaultPoints;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash during {@code ALTER TABLE ... REPLACE PARTITION} leaves the old partitions or the new
 * ones, never a mix: a server process halted just before the statement's metadata commit restarts
 * with the formal partitions' rows and the temporary partition still there; one halted just after
 * it restarts with the temporary partition's rows in place of both formal partitions.
 */
class ReplacePartitionCrashTest {
  @TempDir Path directory;

  @Test
  void aCrashAroundTheCommitLeavesOneOrTheOther() throws Exception {
    Path data = directory.resolve("data");
    ServerProcess setUp = ServerProcess.start(data, directory.resolve("setup.log"));
    try (Connection connection = setUp.connect()) {
      execute(connection, "CREATE DATABASE crash_replace");
      execute(
          connection,
          "CREATE TABLE crash_replace.t (k INT NOT NULL, v INT) DUPLICATE KEY(k)"
              + " PARTITION BY RANGE(k) (PARTITION p1 VALUES LESS THAN (10),"
              + " PARTITION p2 VALUES LESS THAN (20)) DISTRIBUTED BY HASH(k) BUCKETS 2");
      execute(connection, "INSERT INTO crash_replace.t VALUES (1, 1), (11, 1)");
      execute(
          connection,
          "ALTER TABLE crash_replace.t ADD TEMPORARY PARTITION tp VALUES LESS THAN (20)");
      execute(
          connection,
          "INSERT INTO crash_replace.t TEMPORARY PARTITION (tp) VALUES (2, 100), (3, 100),"
              + " (12, 100)");
    } finally {
      setUp.terminate();
    }
    String replace =
        "ALTER TABLE crash_replace.t REPLACE PARTITION (p1, p2) WITH TEMPORARY PARTITION (tp)"
            + " PROPERTIES ('strict_range' = 'false')";

    ServerProcess before = startHaltingAt(data, "metadata-commit-before");
    try (Connection connection = before.connect()) {
      assertThatThrownBy(() -> execute(connection, replace)).isInstanceOf(SQLException.class);
    }
    assertThat(before.exitCode()).isEqualTo(FaultPoints.HALT_EXIT_CODE);
    ServerProcess old = ServerProcess.start(data, directory.resolve("old.log"));
    try (Connection connection = old.connect()) {
      assertThat(sumAndCount(connection, "SELECT sum(v), count(*) FROM crash_replace.t"))
          .containsExactly(2L, 2L);
      assertThat(
              sumAndCount(
                  connection,
                  "SELECT sum(v), count(*) FROM crash_replace.t TEMPORARY PARTITION (tp)"))
          .containsExactly(300L, 3L);
    } finally {
      old.terminate();
    }

    ServerProcess after = startHaltingAt(data, "metadata-commit-after");
    try (Connection connection = after.connect()) {
      assertThatThrownBy(() -> execute(connection, replace)).isInstanceOf(SQLException.class);
    }
    assertThat(after.exitCode()).isEqualTo(FaultPoints.HALT_EXIT_CODE);
    ServerProcess fresh = ServerProcess.start(data, directory.resolve("new.log"));
    try (Connection connection = fresh.connect()) {
      assertThat(sumAndCount(connection, "SELECT sum(v), count(*) FROM crash_replace.t"))
          .containsExactly(300L, 3L);
      assertThatThrownBy(
              () ->
                  sumAndCount(
                      connection, "SELECT sum(v), count(*) FROM crash_replace.t PARTITION (p1)"))
          .hasMessageContaining("Unknown partition 'p1'");
    } finally {
      fresh.terminate();
    }
  }

  /** A server that halts at the first hit of {@code point}, which is the REPLACE's commit. */
  private ServerProcess startHaltingAt(Path data, String point) throws Exception {
    return ServerProcess.start(
        data,
        directory.resolve(point + ".log"),
        "512m",
        List.of(),
        List.of("-Dbasalt.fault.halt-at=1", "-Dbasalt.fault.points=" + point));
  }

  private static List<Long> sumAndCount(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return List.of(rows.getLong(1), rows.getLong(2));
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
