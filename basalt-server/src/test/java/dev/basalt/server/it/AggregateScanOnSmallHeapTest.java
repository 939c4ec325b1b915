package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An AGGREGATE KEY table and a merge-on-read UNIQUE KEY table far larger than the heap, loaded in
 * many overlapping loads and never compacted, are scanned merged by key on a child server with a
 * 160 MiB heap: the tablet layer's merged scan streams each tablet (issue 15). The read-time merge
 * it replaced held every key of the table in a map of boxed rows, about 250 bytes a key, and ran
 * this server out of memory on these 1.5M keys.
 *
 * <p>Each key is loaded twice with {@code v = 1}, so every merged row has {@code v = 2}: a filter
 * on the value column that ran before the merge would see 1 and keep nothing.
 */
class AggregateScanOnSmallHeapTest {
  private static final String HEAP = "160m";
  private static final int NUMBERS = 1_000;
  private static final int LOADS = 10;
  private static final long KEYS = 1_500_000;
  private static final long ROWS_PER_LOAD = KEYS * 2 / LOADS;

  @TempDir static Path directory;

  private static ServerProcess server;

  @BeforeAll
  static void start() throws Exception {
    server =
        ServerProcess.start(
            directory.resolve("data"),
            directory.resolve("server.log"),
            HEAP,
            List.of("--compaction-threads", "0"),
            List.of("-XX:TieredStopAtLevel=4"),
            Duration.ofMinutes(5));
    try (Connection connection = server.connect();
        Statement statement = connection.createStatement()) {
      connection.setNetworkTimeout(Runnable::run, (int) TimeUnit.MINUTES.toMillis(10));
      statement.execute("CREATE DATABASE big");
      statement.execute(
          "CREATE TABLE big.numbers (a INT) DUPLICATE KEY(a) DISTRIBUTED BY HASH(a) BUCKETS 1");
      StringBuilder values = new StringBuilder("INSERT INTO big.numbers VALUES ");
      for (int i = 0; i < NUMBERS; i++) {
        values.append(i == 0 ? "(" : ", (").append(i).append(')');
      }
      statement.execute(values.toString());
      statement.execute(
          "CREATE TABLE big.agg (k BIGINT, v BIGINT SUM, m BIGINT MAX) AGGREGATE KEY(k)"
              + " DISTRIBUTED BY HASH(k) BUCKETS 4");
      statement.execute(
          "CREATE TABLE big.mor (k BIGINT, v BIGINT, m BIGINT) UNIQUE KEY(k)"
              + " DISTRIBUTED BY HASH(k) BUCKETS 4"
              + " PROPERTIES (\"enable_unique_key_merge_on_write\" = \"false\")");
      // Load i writes keys [i * KEYS / 5, (i + 1) * KEYS / 5) modulo KEYS: loads i and i + 5 write
      // the same keys, so every key is in exactly two loads.
      for (int load = 0; load < LOADS; load++) {
        long first = load * (KEYS / 5);
        String rows =
            " SELECT (x.a * "
                + NUMBERS
                + " + y.a + "
                + first
                + ") % "
                + KEYS
                + ", 1, "
                + load
                + " FROM big.numbers x, big.numbers y WHERE x.a * "
                + NUMBERS
                + " + y.a < "
                + ROWS_PER_LOAD;
        statement.execute("INSERT INTO big.agg" + rows);
        statement.execute("INSERT INTO big.mor" + rows);
      }
    }
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (server != null) {
      server.kill();
    }
  }

  @Test
  void aggregateTableLargerThanTheHeapIsScannedMerged() throws Exception {
    try (Connection connection = server.connect();
        Statement statement = connection.createStatement()) {
      connection.setNetworkTimeout(Runnable::run, (int) TimeUnit.MINUTES.toMillis(10));
      assertThat(longs(statement, "SELECT COUNT(*), SUM(v), MIN(v), MAX(v) FROM big.agg"))
          .containsExactly(KEYS, 2 * KEYS, 2L, 2L);
      // The value filter applies to merged rows (v = 2), never to the loaded ones (v = 1).
      assertThat(longs(statement, "SELECT COUNT(*) FROM big.agg WHERE v > 1"))
          .containsExactly(KEYS);
      // A key filter: keys 0 .. 999 each merged from their two loads.
      assertThat(longs(statement, "SELECT COUNT(*), SUM(v) FROM big.agg WHERE k < 1000"))
          .containsExactly(1_000L, 2_000L);
      // MAX over the loads: key 0 was written by loads 0 and 5 (first key 0 and 5 * KEYS / 5).
      assertThat(longs(statement, "SELECT m FROM big.agg WHERE k = 0")).containsExactly(5L);
    }
  }

  @Test
  void mergeOnReadUniqueTableLargerThanTheHeapIsScannedMerged() throws Exception {
    try (Connection connection = server.connect();
        Statement statement = connection.createStatement()) {
      connection.setNetworkTimeout(Runnable::run, (int) TimeUnit.MINUTES.toMillis(10));
      assertThat(longs(statement, "SELECT COUNT(*), SUM(v), SUM(m) FROM big.mor"))
          .containsExactly(KEYS, KEYS, newestLoadSum());
      assertThat(longs(statement, "SELECT m FROM big.mor WHERE k = 0")).containsExactly(5L);
    }
  }

  /** The sum over all keys of the newest load that wrote each (every key in two loads). */
  private static long newestLoadSum() {
    long sum = 0;
    long perLoad = KEYS / 5;
    for (long block = 0; block < 5; block++) {
      // Keys [block * perLoad, (block + 1) * perLoad): the newest load that wrote them.
      long newest = -1;
      for (int load = 0; load < LOADS; load++) {
        long first = load * perLoad % KEYS;
        long end = first + ROWS_PER_LOAD;
        long start = block * perLoad;
        boolean covers =
            (start >= first && start < end) || (start + KEYS >= first && start + KEYS < end);
        if (covers) {
          newest = load;
        }
      }
      sum += newest * perLoad;
    }
    return sum;
  }

  private static List<Long> longs(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).isTrue();
      int columns = rows.getMetaData().getColumnCount();
      Long[] values = new Long[columns];
      for (int c = 0; c < columns; c++) {
        values[c] = rows.getLong(c + 1);
      }
      assertThat(rows.next()).isFalse();
      return List.of(values);
    }
  }
}
