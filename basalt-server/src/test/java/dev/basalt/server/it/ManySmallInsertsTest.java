package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.load.compaction.MaintenanceConfig;
import dev.basalt.server.ServerConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Single-row INSERTs in a row, as an application that never batches sends them: none may fail, and
 * with the default background compaction the tablets must end with a bounded number of rowsets (the
 * policy's base + cumulative thresholds), not one per INSERT. CI runs 500 of them (into each of two
 * tables); the full count is a manual run: {@code mvn -B -o -pl basalt-server -am test
 * -Dtest=ManySmallInsertsTest -Dbasalt.test.smallInserts=10000
 * -Dsurefire.failIfNoSpecifiedTests=false}. It prints the mean INSERT time of the first and the
 * last 10 % (not asserted: timings belong in benchmarks, see docs/benchmarks.md).
 */
class ManySmallInsertsTest {
  private static final int INSERTS = Integer.getInteger("basalt.test.smallInserts", 500);

  @Test
  void singleRowInsertsLeaveBoundedRowsets() throws Exception {
    MaintenanceConfig maintenance = MaintenanceConfig.DEFAULT.withGarbageGraceMillis(0);
    int bound = maintenance.policy().baseMinRowsets() + maintenance.policy().cumulativeMaxRowsets();
    TreeMap<Integer, Integer> unique = new TreeMap<>();
    try (TestServer server = TestServer.start(ServerConfig.DEFAULT_LOAD_BUFFER_BYTES, maintenance);
        Connection connection = CompactionRandomTest.connect(server)) {
      CompactionRandomTest.execute(connection, "CREATE DATABASE compaction_random");
      CompactionRandomTest.execute(
          connection,
          "CREATE TABLE compaction_random.events (id INT NOT NULL, v INT)"
              + " DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1");
      CompactionRandomTest.execute(
          connection,
          "CREATE TABLE compaction_random.latest (k INT NOT NULL, v INT)"
              + " UNIQUE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2");
      int tenth = Math.max(1, INSERTS / 10);
      long firstNanos = 0;
      long lastNanos = 0;
      try (Statement statement = connection.createStatement()) {
        for (int i = 0; i < INSERTS; i++) {
          long start = System.nanoTime();
          statement.execute("INSERT INTO compaction_random.events VALUES (" + i + ", " + i + ")");
          statement.execute(
              "INSERT INTO compaction_random.latest VALUES (" + (i % 97) + ", " + i + ")");
          long elapsed = System.nanoTime() - start;
          unique.put(i % 97, i);
          if (i < tenth) {
            firstNanos += elapsed;
          } else if (i >= INSERTS - tenth) {
            lastNanos += elapsed;
          }
        }
      }
      System.out.printf(
          "ManySmallInsertsTest: %d x 2 single-row INSERTs; mean per pair: first 10%% %.2f ms,"
              + " last 10%% %.2f ms%n",
          INSERTS, firstNanos / 1e6 / tenth, lastNanos / 1e6 / tenth);
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline && !bounded(connection, bound)) {
        Thread.sleep(100);
      }
      assertThat(CompactionRandomTest.versionCounts(connection, "events"))
          .allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(bound));
      assertThat(CompactionRandomTest.versionCounts(connection, "latest"))
          .allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(bound));
      try (Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "SELECT count(*), count(DISTINCT id), sum(v) FROM compaction_random.events")) {
        rows.next();
        assertThat(rows.getLong(1)).isEqualTo(INSERTS);
        assertThat(rows.getLong(2)).isEqualTo(INSERTS);
        assertThat(rows.getLong(3)).isEqualTo((long) INSERTS * (INSERTS - 1) / 2);
      }
      TreeMap<Integer, Integer> actual = new TreeMap<>();
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT k, v FROM compaction_random.latest")) {
        while (rows.next()) {
          assertThat(actual.put(rows.getInt(1), rows.getInt(2))).as("one row per key").isNull();
        }
      }
      assertThat(actual).isEqualTo(unique);
    }
  }

  private static boolean bounded(Connection connection, int bound) throws SQLException {
    for (String table : List.of("events", "latest")) {
      for (long count : CompactionRandomTest.versionCounts(connection, table)) {
        if (count > bound) {
          return false;
        }
      }
    }
    return true;
  }
}
