package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.load.compaction.MaintenanceConfig;
import dev.basalt.server.ServerConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Compaction of a DUPLICATE KEY tablet copies whole runs of rows that sort before every other input
 * (loads arriving in key order) instead of merging row by row. Seeded random loads through JDBC mix
 * loads in key order (runs), loads overlapping the others (row-by-row merging, and runs that start
 * inside a batch once the overlap is passed), loads dense over the newest keys (keys equal to older
 * loads', which must stay in load order) and small loads; after each {@code ADMIN COMPACT TABLE}
 * the tablet is one segment, and a scan of it must return every row in key order, rows of one key
 * in load order, as the reference list sorted so.
 */
class CompactionRunsTest {
  private static final long SEED = 20261207L;

  /** A loaded row: its key, its load's sequence number (the value column) and its text. */
  private record Row(int key, long value, String text) {}

  @Test
  void compactedTabletKeepsKeyAndLoadOrder() throws Exception {
    Random random = new Random(SEED);
    List<Row> reference = new ArrayList<>();
    try (TestServer server =
            TestServer.start(ServerConfig.DEFAULT_LOAD_BUFFER_BYTES, MaintenanceConfig.ON_REQUEST);
        Connection connection = CompactionRandomTest.connect(server)) {
      CompactionRandomTest.execute(connection, "CREATE DATABASE compaction_random");
      CompactionRandomTest.execute(
          connection,
          "CREATE TABLE compaction_random.events (k INT NOT NULL, v BIGINT, s VARCHAR(20))"
              + " DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
      int nextOrderedKey = 0;
      long load = 0;
      for (int round = 0; round < 3; round++) {
        for (int step = 0; step < 12; step++) {
          load++;
          TreeSet<Integer> keys = new TreeSet<>();
          int kind = random.nextInt(4);
          int size = kind == 2 ? 1 + random.nextInt(5) : 33 + random.nextInt(2_500);
          if (kind == 3) {
            // Densely over the newest keys: many keys equal to older loads' (ties in load order).
            int low = Math.max(0, nextOrderedKey - 2 * size);
            int range = Math.max(size, nextOrderedKey - low);
            while (keys.size() < size) {
              keys.add(low + random.nextInt(range));
            }
          } else if (kind == 0) {
            // In key order after everything loaded so far (a run for compaction).
            for (int i = 0; i < size; i++) {
              keys.add(nextOrderedKey + i * (1 + random.nextInt(3)));
            }
            nextOrderedKey = keys.last() + 1;
          } else {
            // Anywhere in the keys loaded so far, duplicates of earlier loads' keys included.
            int range = Math.max(nextOrderedKey, 1) + size;
            while (keys.size() < size) {
              keys.add(random.nextInt(range));
            }
          }
          insert(connection, keys, load, random, reference);
        }
        CompactionRandomTest.execute(connection, "ADMIN COMPACT TABLE compaction_random.events");
        assertThat(CompactionRandomTest.versionCounts(connection, "events"))
            .as("round %d (seed %d)", round, SEED)
            .containsExactly(1L);
        List<Row> expected = new ArrayList<>(reference);
        expected.sort(Comparator.comparingInt(Row::key).thenComparingLong(Row::value));
        assertThat(scan(connection)).as("round %d (seed %d)", round, SEED).isEqualTo(expected);
      }
    }
  }

  @Test
  void aRunStopsBeforeAnOlderLoadsRowOfTheSameKey() throws Exception {
    Random random = new Random(SEED);
    List<Row> reference = new ArrayList<>();
    try (TestServer server =
            TestServer.start(ServerConfig.DEFAULT_LOAD_BUFFER_BYTES, MaintenanceConfig.ON_REQUEST);
        Connection connection = CompactionRandomTest.connect(server)) {
      CompactionRandomTest.execute(connection, "CREATE DATABASE compaction_random");
      CompactionRandomTest.execute(
          connection,
          "CREATE TABLE compaction_random.events (k INT NOT NULL, v BIGINT, s VARCHAR(20))"
              + " DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
      // Keys 100-199, then 0-100: the newer load's last key ties with the older load's first, so
      // the newer load's run must stop before it (rows of one key in load order).
      TreeSet<Integer> older = new TreeSet<>();
      TreeSet<Integer> newer = new TreeSet<>();
      for (int key = 0; key <= 100; key++) {
        older.add(key + 100);
        newer.add(key);
      }
      insert(connection, older, 1, random, reference);
      insert(connection, newer, 2, random, reference);
      CompactionRandomTest.execute(connection, "ADMIN COMPACT TABLE compaction_random.events");
      reference.sort(Comparator.comparingInt(Row::key).thenComparingLong(Row::value));
      assertThat(scan(connection)).isEqualTo(reference);
    }
  }

  /** Loads one row per key (value: the load's number; text: random, sometimes NULL). */
  private static void insert(
      Connection connection, TreeSet<Integer> keys, long load, Random random, List<Row> reference)
      throws SQLException {
    StringBuilder insert = new StringBuilder("INSERT INTO compaction_random.events VALUES ");
    boolean first = true;
    for (int key : keys) {
      String text = random.nextInt(10) == 0 ? null : "s" + (key % 17);
      insert.append(first ? "" : ",").append('(').append(key).append(',').append(load);
      insert.append(text == null ? ",NULL)" : ",'" + text + "')");
      first = false;
      reference.add(new Row(key, load, text));
    }
    CompactionRandomTest.execute(connection, insert.toString());
  }

  /** The tablet's rows in the order its one segment holds them (one tablet, no ORDER BY). */
  private static List<Row> scan(Connection connection) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT k, v, s FROM compaction_random.events")) {
      while (result.next()) {
        rows.add(new Row(result.getInt(1), result.getLong(2), result.getString(3)));
      }
    }
    return rows;
  }
}
