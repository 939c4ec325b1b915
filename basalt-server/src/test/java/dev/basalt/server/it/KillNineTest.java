package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 1 of the architecture: no acknowledged write is lost after {@code kill -9}. The server
 * runs as a separate OS process ({@code basalt server} on this test's JDK and classpath). Each
 * cycle starts the server on the same data directory, checks that exactly the acknowledged rows are
 * there (plus the rows of the INSERT that raced with the last kill: all of them or none), inserts
 * more acknowledged rows, starts one more INSERT and kills the process with SIGKILL while it may
 * still run. The last cycle stops the server with SIGTERM instead, which must shut it down cleanly;
 * a final start checks the data once more. A merge-on-write UNIQUE KEY table gets acknowledged
 * upserts and DELETEs in every cycle: its rows (and so its delete bitmaps) must match a reference
 * map after each kill.
 */
class KillNineTest {

  private static final int CYCLES = 4;
  private static final int STATEMENTS_PER_CYCLE = 5;
  private static final int ROWS_PER_STATEMENT = 40;

  @TempDir Path temporaryDirectory;

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void acknowledgedRowsSurviveKillNine() throws Exception {
    Path dataDirectory = temporaryDirectory.resolve("data");
    Set<Long> acknowledged = new TreeSet<>();
    // The statement that raced with the last kill, and whether its reply got out before it.
    List<Long> inFlight = List.of();
    boolean inFlightAcknowledged = false;
    long nextId = 0;
    java.util.TreeMap<Integer, String> unique = new java.util.TreeMap<>();
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      ServerProcess server =
          ServerProcess.start(
              dataDirectory, temporaryDirectory.resolve("server-" + cycle + ".log"));
      try {
        try (Connection connection = server.connect()) {
          if (cycle == 0) {
            execute(connection, "CREATE DATABASE crash");
            execute(
                connection,
                "CREATE TABLE crash.t (id BIGINT, cycle INT, v VARCHAR(32)) DUPLICATE KEY(id)"
                    + " DISTRIBUTED BY HASH(id) BUCKETS 2 PROPERTIES (\"replication_num\" = \"1\")");
            execute(
                connection,
                "CREATE TABLE crash.u (k INT, v VARCHAR(32)) UNIQUE KEY(k)"
                    + " DISTRIBUTED BY HASH(k) BUCKETS 2");
          } else {
            assertThat(uniqueRows(connection))
                .as("unique table after kill -9 in cycle %d", cycle - 1)
                .isEqualTo(unique);
            Set<Long> found = ids(connection);
            if (inFlightAcknowledged || found.containsAll(inFlight)) {
              // Acknowledged, or committed just before the kill without the reply getting out.
              acknowledged.addAll(inFlight);
            }
            assertThat(found)
                .as(
                    "rows after kill -9 in cycle %d (the in-flight INSERT all or nothing)",
                    cycle - 1)
                .isEqualTo(acknowledged);
          }
          for (int statement = 0; statement < STATEMENTS_PER_CYCLE; statement++) {
            List<Long> batch = new ArrayList<>();
            for (int row = 0; row < ROWS_PER_STATEMENT; row++) {
              batch.add(nextId++);
            }
            execute(connection, insertSql(batch, cycle));
            // execute returned: the server acknowledged these rows.
            acknowledged.addAll(batch);
          }
          StringBuilder upsert = new StringBuilder("INSERT INTO crash.u VALUES ");
          for (int key = cycle * 7; key < cycle * 7 + 20; key++) {
            String value = "c" + cycle + "-" + key;
            upsert.append(key == cycle * 7 ? "" : ", ").append('(').append(key).append(", '");
            upsert.append(value).append("')");
            unique.put(key, value);
          }
          execute(connection, upsert.toString());
          execute(connection, "DELETE FROM crash.u WHERE k = " + (cycle * 7 + 3));
          unique.remove(cycle * 7 + 3);
        }

        if (cycle == CYCLES - 1) {
          server.terminate();
          break;
        }
        // One more INSERT on its own connection, racing with the kill.
        List<Long> racingIds = new ArrayList<>();
        for (int row = 0; row < ROWS_PER_STATEMENT; row++) {
          racingIds.add(nextId++);
        }
        Connection racing = server.connect();
        int racingCycle = cycle;
        CompletableFuture<Boolean> racingInsert =
            CompletableFuture.supplyAsync(
                () -> {
                  try (Statement statement = racing.createStatement()) {
                    statement.executeUpdate(insertSql(racingIds, racingCycle));
                    return true;
                  } catch (SQLException e) {
                    return false;
                  }
                });
        server.kill();
        inFlight = racingIds;
        inFlightAcknowledged = racingInsert.get(60, TimeUnit.SECONDS);
        closeQuietly(racing);
      } finally {
        server.kill();
      }
    }

    // After the clean SIGTERM stop: everything is still there, once more.
    ServerProcess finalCheck =
        ServerProcess.start(dataDirectory, temporaryDirectory.resolve("final.log"));
    try (Connection connection = finalCheck.connect()) {
      assertThat(ids(connection)).isEqualTo(acknowledged);
      assertThat(uniqueRows(connection)).isEqualTo(unique);
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM crash.t")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getLong(1)).isEqualTo(acknowledged.size());
      }
    } finally {
      finalCheck.kill();
    }
  }

  private static String insertSql(List<Long> ids, int cycle) {
    StringBuilder sql = new StringBuilder("INSERT INTO crash.t (id, cycle, v) VALUES ");
    for (int index = 0; index < ids.size(); index++) {
      if (index > 0) {
        sql.append(", ");
      }
      long id = ids.get(index);
      sql.append('(')
          .append(id)
          .append(", ")
          .append(cycle)
          .append(", 'row-")
          .append(id)
          .append("')");
    }
    return sql.toString();
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static java.util.TreeMap<Integer, String> uniqueRows(Connection connection)
      throws SQLException {
    java.util.TreeMap<Integer, String> rows = new java.util.TreeMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT k, v FROM crash.u")) {
      while (result.next()) {
        assertThat(rows.put(result.getInt(1), result.getString(2)))
            .as("key %d appears twice", result.getInt(1))
            .isNull();
      }
    }
    return rows;
  }

  private static Set<Long> ids(Connection connection) throws SQLException {
    Set<Long> ids = new TreeSet<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT id, v FROM crash.t")) {
      while (rows.next()) {
        long id = rows.getLong(1);
        assertThat(rows.getString(2)).isEqualTo("row-" + id);
        assertThat(ids.add(id)).as("row %d appears twice", id).isTrue();
      }
    }
    return ids;
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // The server was killed under this connection; closing it can only fail.
    }
  }
}
