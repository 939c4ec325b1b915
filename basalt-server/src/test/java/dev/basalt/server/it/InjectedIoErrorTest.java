package dev.basalt.server.it;

import static dev.basalt.server.it.StreamLoadClient.headers;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.common.fault.FaultPoints;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes that fail with an I/O error ({@link FaultPoints}' fail mode: {@code
 * -Dbasalt.fault.fail-at} makes chosen hits of a segment fsync or a catalog commit throw an {@code
 * IOException}, as a failing disk would) answer with a clear error (MySQL 1105, {@code I/O error:
 * ... injected I/O error at fault point ...}), leave none of their rows visible, before or after a
 * restart, and the server goes on serving: later INSERTs and Stream Loads succeed.
 */
class InjectedIoErrorTest {
  private static final int INSERTS = 14;

  @TempDir Path directory;

  @Test
  void failedWritesAnswerAnErrorLeaveNothingAndTheServerGoesOn() throws Exception {
    Path data = directory.resolve("data");
    ServerProcess setUp = ServerProcess.start(data, directory.resolve("setup.log"));
    try (Connection connection = setUp.connect()) {
      execute(connection, "CREATE DATABASE io");
      execute(
          connection,
          "CREATE TABLE io.t (id INT, row_no INT) DUPLICATE KEY(id)"
              + " DISTRIBUTED BY HASH(id) BUCKETS 2");
    } finally {
      setUp.terminate();
    }

    // Each INSERT below forces its segment files and commits the catalog once: the listed hits
    // fail some of them at the file, some at the commit.
    ServerProcess server =
        ServerProcess.start(
            data,
            directory.resolve("faulty.log"),
            "512m",
            List.of(),
            List.of(
                "-Dbasalt.fault.points=file-fsync-before,metadata-commit-before",
                "-Dbasalt.fault.fail-at=3,6,7,12,18"));
    List<Integer> failed = new ArrayList<>();
    List<Integer> succeeded = new ArrayList<>();
    try (Connection connection = server.connect()) {
      for (int id = 1; id <= INSERTS; id++) {
        try {
          execute(connection, "INSERT INTO io.t VALUES (" + id + ", 1), (" + id + ", 2)");
          succeeded.add(id);
        } catch (SQLException e) {
          assertThat(e.getErrorCode()).as(e.getMessage()).isEqualTo(1105);
          assertThat(e.getMessage()).contains("I/O error").contains(FaultPoints.INJECTED_FAILURE);
          failed.add(id);
        }
      }
      assertThat(failed).as("INSERTs that hit an injected failure").isNotEmpty();
      // After the last listed hit every write succeeds.
      assertThat(succeeded).contains(INSERTS - 1, INSERTS);
      assertRows(connection, succeeded);
      try (StreamLoadClient client = new StreamLoadClient(server.httpPort())) {
        JsonNode answer =
            client.load("io", "t", headers("column_separator", ","), "100,1\n100,2\n");
        assertThat(answer.path("Status").asText()).as(answer.toString()).isEqualTo("Success");
      }
      succeeded.add(100);
      assertRows(connection, succeeded);
    } finally {
      server.terminate();
    }
    assertThat(server.log()).contains("basalt fault point").contains(": failing");

    ServerProcess restarted = ServerProcess.start(data, directory.resolve("restarted.log"));
    try (Connection connection = restarted.connect()) {
      assertRows(connection, succeeded);
    } finally {
      restarted.terminate();
    }
  }

  /** Exactly the INSERTs in {@code ids} are there, each with its two rows. */
  private static void assertRows(Connection connection, List<Integer> ids) throws SQLException {
    Map<Integer, Long> found = new TreeMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT id, count(*) FROM io.t GROUP BY id ORDER BY id")) {
      while (rows.next()) {
        found.put(rows.getInt(1), rows.getLong(2));
      }
    }
    Map<Integer, Long> expected = new TreeMap<>();
    ids.forEach(id -> expected.put(id, 2L));
    assertThat(found).isEqualTo(expected);
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
