package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.fault.FaultPoints;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash during an ALTER TABLE MODIFY COLUMN that rewrites data leaves the old table or the new
 * one, never a mix: a server process halted just before the job's metadata commit restarts with the
 * old type and values (and no job listed), one halted just after it restarts with the converted
 * values and the job FINISHED; in both, the rows of every load and the deletes are there, and the
 * table takes further loads.
 */
class SchemaChangeCrashTest {
  @TempDir Path directory;

  @Test
  void aCrashAroundTheCommitLeavesTheOldOrTheNewTable() throws Exception {
    Path data = directory.resolve("data");
    ServerProcess setUp = ServerProcess.start(data, directory.resolve("setup.log"));
    try (Connection connection = setUp.connect()) {
      execute(connection, "CREATE DATABASE crash_alter");
      execute(
          connection,
          "CREATE TABLE crash_alter.t (k INT NOT NULL, v INT, w VARCHAR(8)) UNIQUE KEY(k)"
              + " DISTRIBUTED BY HASH(k) BUCKETS 2");
      execute(
          connection, "INSERT INTO crash_alter.t VALUES (1, 10, 'a'), (2, 20, 'b'), (3, 30, 'c')");
      execute(connection, "INSERT INTO crash_alter.t VALUES (2, 200, 'bb'), (4, 40, 'd')");
      execute(connection, "DELETE FROM crash_alter.t WHERE k = 3");
    } finally {
      setUp.terminate();
    }
    String alter = "ALTER TABLE crash_alter.t MODIFY COLUMN v VARCHAR(10)";
    List<String> rows = List.of("1|10|a", "2|200|bb", "4|40|d");

    // Hit 1 of each point is the reservation of a block of catalog ids (the job's id), hit 2 the
    // job's commit.
    alterHaltingAt(data, "metadata-commit-before", alter);
    ServerProcess old = ServerProcess.start(data, directory.resolve("old.log"));
    try (Connection connection = old.connect()) {
      assertThat(rows(connection, "SELECT k, v, w FROM crash_alter.t ORDER BY k"))
          .containsExactlyElementsOf(rows);
      assertThat(rows(connection, TYPE_OF_V)).containsExactly("int");
      assertThat(rows(connection, "SHOW ALTER TABLE COLUMN FROM crash_alter")).isEmpty();
    } finally {
      old.terminate();
    }

    alterHaltingAt(data, "metadata-commit-after", alter);
    ServerProcess fresh = ServerProcess.start(data, directory.resolve("new.log"));
    try (Connection connection = fresh.connect()) {
      assertThat(rows(connection, "SELECT k, v, w FROM crash_alter.t ORDER BY k"))
          .containsExactlyElementsOf(rows);
      assertThat(rows(connection, TYPE_OF_V)).containsExactly("varchar");
      assertThat(rows(connection, "SHOW ALTER TABLE COLUMN FROM crash_alter"))
          .singleElement()
          .asString()
          .contains("|FINISHED|");
      execute(connection, "INSERT INTO crash_alter.t VALUES (5, 'five', 'e'), (1, 'one', 'aa')");
      assertThat(rows(connection, "SELECT k, v, w FROM crash_alter.t ORDER BY k"))
          .containsExactly("1|one|aa", "2|200|bb", "4|40|d", "5|five|e");
    } finally {
      fresh.terminate();
    }
  }

  private static final String TYPE_OF_V =
      "SELECT data_type FROM information_schema.columns"
          + " WHERE table_schema = 'crash_alter' AND table_name = 't' AND column_name = 'v'";

  /**
   * Runs {@code alter} on a server that halts at the second hit of {@code point}, which is the
   * ALTER's commit: the statement fails and the server is gone by the halt.
   */
  private void alterHaltingAt(Path data, String point, String alter) throws Exception {
    ServerProcess halting =
        ServerProcess.start(
            data,
            directory.resolve(point + ".log"),
            "512m",
            List.of(),
            List.of("-Dbasalt.fault.halt-at=2", "-Dbasalt.fault.points=" + point));
    try (Connection connection = halting.connect()) {
      assertThatThrownBy(() -> execute(connection, alter)).isInstanceOf(SQLException.class);
    }
    assertThat(halting.exitCode()).isEqualTo(FaultPoints.HALT_EXIT_CODE);
  }

  private static List<String> rows(Connection connection, String sql) throws SQLException {
    List<String> result = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      int columns = rows.getMetaData().getColumnCount();
      while (rows.next()) {
        StringBuilder row = new StringBuilder();
        for (int c = 1; c <= columns; c++) {
          row.append(c > 1 ? "|" : "").append(rows.getString(c));
        }
        result.add(row.toString());
      }
    }
    return result;
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
