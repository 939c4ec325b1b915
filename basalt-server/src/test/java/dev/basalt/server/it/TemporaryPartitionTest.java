package dev.basalt.server.it;

import static dev.basalt.server.it.StreamLoadClient.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.load.compaction.MaintenanceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Temporary partitions end to end through the MySQL protocol and Stream Load: REPLACE PARTITION is
 * one atomic change for readers running meanwhile (each sees the old or the new partitions, never
 * one of each) and hands the replaced partitions' files to the garbage collector; a Stream Load
 * with {@code temporary_partitions} writes only there; DELETE on a DUPLICATE table prunes the
 * partitions its condition rules out.
 */
class TemporaryPartitionTest {
  /** No background compaction (file counts stay put); a sweep every 20 ms, no grace period. */
  private static final MaintenanceConfig COLLECT_AT_ONCE =
      new MaintenanceConfig(0, dev.basalt.load.compaction.CompactionPolicy.DEFAULT, 0, 20);

  /**
   * Round r leaves 3(r+1) rows of v = 1 in p1 and 5(r+1) rows of v = 1000 in p2, so a state's sum
   * is 5003(r+1), and a reader that saw p1 of one round and p2 of another would see a sum that is
   * not a multiple of 5003 (3a + 5000b with a, b below 1000 is one only when a = b).
   */
  @Test
  void replacePartitionIsAtomicForConcurrentReaders() throws Exception {
    int rounds = 6;
    try (TestServer server = TestServer.start(8 * 1024 * 1024, COLLECT_AT_ONCE)) {
      try (Connection connection = CompactionRandomTest.connect(server)) {
        execute(connection, "CREATE DATABASE tp_atomic");
        execute(
            connection,
            "CREATE TABLE tp_atomic.t (k INT NOT NULL, v INT) DUPLICATE KEY(k)"
                + " PARTITION BY RANGE(k) (PARTITION p1 VALUES LESS THAN (1000),"
                + " PARTITION p2 VALUES LESS THAN (2000)) DISTRIBUTED BY HASH(k) BUCKETS 2");
        execute(connection, "INSERT INTO tp_atomic.t " + roundRows(0));
        Set<String> firstTablets = tabletIds(connection, "SHOW TABLETS FROM tp_atomic.t");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        List<Thread> readers = new ArrayList<>();
        for (int reader = 0; reader < 3; reader++) {
          readers.add(
              Thread.ofPlatform()
                  .start(
                      () -> {
                        try (Connection read = CompactionRandomTest.connect(server);
                            Statement statement = read.createStatement()) {
                          while (!stop.get()) {
                            try (ResultSet rows =
                                statement.executeQuery(
                                    "SELECT count(*), sum(v) FROM tp_atomic.t")) {
                              rows.next();
                              long count = rows.getLong(1);
                              long sum = rows.getLong(2);
                              long round = sum / 5003 - 1;
                              if (sum % 5003 != 0 || count != 8 * (round + 1)) {
                                wrong.add("count " + count + " sum " + sum);
                              }
                              reads.incrementAndGet();
                            }
                          }
                        } catch (SQLException e) {
                          wrong.add(e.toString());
                        }
                      }));
        }
        for (int round = 1; round < rounds; round++) {
          execute(
              connection,
              "ALTER TABLE tp_atomic.t ADD TEMPORARY PARTITION a"
                  + round
                  + " VALUES LESS THAN (1000)");
          execute(
              connection,
              "ALTER TABLE tp_atomic.t ADD TEMPORARY PARTITION b"
                  + round
                  + " VALUES [(1000), (2000)) DISTRIBUTED BY HASH(k) BUCKETS 3");
          execute(
              connection,
              "INSERT INTO tp_atomic.t TEMPORARY PARTITION (a"
                  + round
                  + ", b"
                  + round
                  + ") "
                  + roundRows(round));
          // SHOW TABLETS lists a temporary partition's tablets when named (2 + 3 buckets).
          String temporaryTablets =
              "SHOW TABLETS FROM tp_atomic.t TEMPORARY PARTITION (a" + round + ", b" + round + ")";
          Set<String> staged = tabletIds(connection, temporaryTablets);
          assertThat(staged).hasSize(5).doesNotContainAnyElementsOf(firstTablets);
          assertThat(
                  strings(connection, temporaryTablets, "RowCount").stream()
                      .mapToLong(Long::parseLong)
                      .sum())
              .isEqualTo(8L * (round + 1));
          // The temporary rows are not seen by the readers until the replace.
          execute(
              connection,
              "ALTER TABLE tp_atomic.t REPLACE PARTITION (p1, p2) WITH TEMPORARY PARTITION (a"
                  + round
                  + ", b"
                  + round
                  + ")");
          // The formal partitions now own those tablets; the temporary names are gone.
          assertThat(tabletIds(connection, "SHOW TABLETS FROM tp_atomic.t PARTITION (p1, p2)"))
              .isEqualTo(staged);
          assertThat(tabletIds(connection, "SHOW TABLETS FROM tp_atomic.t PARTITION (p2)"))
              .hasSize(3);
          assertThatThrownBy(() -> tabletIds(connection, temporaryTablets))
              .isInstanceOf(SQLException.class)
              .hasMessageContaining("Unknown partition 'a" + round + "'")
              .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1735));
          long seen = reads.get();
          while (reads.get() < seen + 5 && wrong.isEmpty()) {
            Thread.sleep(5);
          }
        }
        stop.set(true);
        for (Thread reader : readers) {
          reader.join();
        }
        assertThat(wrong).isEmpty();
        assertThat(reads.get()).isGreaterThan(rounds * 5L);
        assertThat(longs(connection, "SELECT count(*), sum(v) FROM tp_atomic.t"))
            .containsExactly(8L * rounds, 5003L * rounds);
        assertThat(
                strings(
                    connection,
                    "SHOW PARTITIONS FROM tp_atomic.t",
                    "PartitionName",
                    "Buckets",
                    "RowCount"))
            .containsExactly("p1 2 " + 3 * rounds, "p2 3 " + 5 * rounds);
        assertThat(strings(connection, "SHOW TEMPORARY PARTITIONS FROM tp_atomic.t")).isEmpty();
        // The replaced partitions' files go to the garbage collector.
        Set<String> live = tabletIds(connection, "SHOW TABLETS FROM tp_atomic.t");
        assertThat(live).doesNotContainAnyElementsOf(firstTablets);
        Path table = tableDirectory(server.dataDirectory());
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!live.containsAll(tabletDirectories(table)) && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(live).containsAll(tabletDirectories(table));
      }
      server.restart();
      try (Connection connection = CompactionRandomTest.connect(server)) {
        assertThat(longs(connection, "SELECT count(*), sum(v) FROM tp_atomic.t"))
            .containsExactly(8L * rounds, 5003L * rounds);
      }
    }
  }

  /** {@code INSERT ... VALUES} of round {@code round} (see above). */
  private static String roundRows(int round) {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < 3 * (round + 1); i++) {
      rows.add("(" + i + ", 1)");
    }
    for (int i = 0; i < 5 * (round + 1); i++) {
      rows.add("(" + (1000 + i) + ", 1000)");
    }
    return "VALUES " + String.join(", ", rows);
  }

  @Test
  void streamLoadWritesTemporaryPartitionsOnly() throws Exception {
    try (TestServer server = TestServer.start();
        StreamLoadClient client = new StreamLoadClient(server.httpPort());
        Connection connection = CompactionRandomTest.connect(server)) {
      execute(connection, "CREATE DATABASE tp_load");
      execute(
          connection,
          "CREATE TABLE tp_load.t (k INT NOT NULL, v VARCHAR(8)) DUPLICATE KEY(k)"
              + " PARTITION BY RANGE(k) (PARTITION p1 VALUES LESS THAN (10),"
              + " PARTITION p2 VALUES LESS THAN (20)) DISTRIBUTED BY HASH(k) BUCKETS 1");
      execute(connection, "INSERT INTO tp_load.t VALUES (1, 'old'), (15, 'old')");
      execute(
          connection, "ALTER TABLE tp_load.t ADD TEMPORARY PARTITION tp1 VALUES LESS THAN (10)");
      execute(connection, "ALTER TABLE tp_load.t ADD TEMPORARY PARTITION tp2 VALUES [(10), (20))");

      JsonNode loaded =
          client.load(
              "tp_load",
              "t",
              headers("column_separator", ",", "temporary_partitions", "tp1, `tp2`"),
              "2,new\n3,new\n12,new\n");
      assertThat(loaded.get("Status").asText()).as(loaded.toString()).isEqualTo("Success");
      assertThat(loaded.get("NumberLoadedRows").asLong()).isEqualTo(3);
      assertThat(strings(connection, "SELECT k, v FROM tp_load.t ORDER BY k", "k", "v"))
          .containsExactly("1 old", "15 old");
      assertThat(
              strings(
                  connection,
                  "SELECT k, v FROM tp_load.t TEMPORARY PARTITION (tp1, tp2) ORDER BY k",
                  "k",
                  "v"))
          .containsExactly("2 new", "3 new", "12 new");
      assertThat(
              strings(
                  connection,
                  "SHOW TEMPORARY PARTITIONS FROM tp_load.t",
                  "PartitionName",
                  "VisibleVersion",
                  "Range",
                  "RowCount"))
          .hasSize(2)
          .allMatch(
              row ->
                  row.startsWith("tp1 2 ") && row.endsWith(" 2")
                      || row.startsWith("tp2 2 ") && row.endsWith(" 1"));

      // A row of only tp2 while the load names tp1: filtered, so the load fails.
      JsonNode outside =
          client.load(
              "tp_load",
              "t",
              headers("column_separator", ",", "temporary_partitions", "tp1"),
              "4,x\n13,x\n");
      assertThat(outside.get("Status").asText()).isEqualTo("Fail");
      assertThat(outside.get("NumberFilteredRows").asLong()).isEqualTo(1);
      JsonNode unknown =
          client.load(
              "tp_load",
              "t",
              headers("column_separator", ",", "temporary_partitions", "p1"),
              "4,x\n");
      assertThat(unknown.get("Status").asText()).isEqualTo("Fail");
      assertThat(unknown.get("Message").asText()).contains("Unknown partition 'p1'");
      JsonNode both =
          client.load(
              "tp_load",
              "t",
              headers("column_separator", ",", "partitions", "p1", "temporary_partitions", "tp1"),
              "4,x\n");
      assertThat(both.get("Status").asText()).isEqualTo("Fail");
      assertThat(both.get("Message").asText()).contains("cannot be given together");
      assertThat(longs(connection, "SELECT count(*) FROM tp_load.t TEMPORARY PARTITION (tp1)"))
          .containsExactly(2L);

      execute(
          connection,
          "ALTER TABLE tp_load.t REPLACE PARTITION (p1, p2) WITH TEMPORARY PARTITION (tp1, tp2)");
      assertThat(strings(connection, "SELECT k, v FROM tp_load.t ORDER BY k", "k", "v"))
          .containsExactly("2 new", "3 new", "12 new");
    }
  }

  /**
   * DELETE on a DUPLICATE table prunes partitions by its condition as a query does: only the
   * partition the condition can hold in gets a new version; the others are not touched.
   */
  @Test
  void deleteTouchesOnlyThePartitionsItsConditionCanHoldIn() throws Exception {
    try (TestServer server = TestServer.start();
        Connection connection = CompactionRandomTest.connect(server)) {
      execute(connection, "CREATE DATABASE tp_delete");
      execute(
          connection,
          "CREATE TABLE tp_delete.t (dt DATE NOT NULL, k INT NOT NULL, v INT) DUPLICATE KEY(dt, k)"
              + " PARTITION BY RANGE(dt) (PARTITION p1 VALUES LESS THAN ('2024-02-01'),"
              + " PARTITION p2 VALUES LESS THAN ('2024-03-01'),"
              + " PARTITION p3 VALUES LESS THAN ('2024-04-01')) DISTRIBUTED BY HASH(k) BUCKETS 2");
      execute(
          connection,
          "INSERT INTO tp_delete.t VALUES ('2024-01-05', 1, 1), ('2024-02-05', 2, 2),"
              + " ('2024-03-05', 3, 3), ('2024-03-06', 4, 4)");
      execute(connection, "DELETE FROM tp_delete.t WHERE dt >= '2024-03-01' AND k = 3");
      execute(connection, "DELETE FROM tp_delete.t WHERE dt IN ('2024-01-05', '2024-01-06')");
      assertThat(
              strings(
                  connection,
                  "SHOW PARTITIONS FROM tp_delete.t",
                  "PartitionName",
                  "VisibleVersion",
                  "RowCount"))
          .containsExactly("p1 3 0", "p2 2 1", "p3 3 1");
      assertThat(longs(connection, "SELECT sum(v) FROM tp_delete.t")).containsExactly(6L);
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    CompactionRandomTest.execute(connection, sql);
  }

  /** The first row's columns as longs. */
  private static List<Long> longs(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      List<Long> values = new ArrayList<>();
      for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
        values.add(rows.getLong(c));
      }
      return values;
    }
  }

  /** Every row's named columns joined by spaces. */
  static List<String> strings(Connection connection, String sql, String... columns)
      throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      List<String> result = new ArrayList<>();
      while (rows.next()) {
        List<String> values = new ArrayList<>();
        for (String column : columns) {
          values.add(rows.getString(column));
        }
        result.add(String.join(" ", values));
      }
      return result;
    }
  }

  private static Set<String> tabletIds(Connection connection, String sql) throws SQLException {
    return new HashSet<>(strings(connection, sql, "TabletId"));
  }

  private static Path tableDirectory(Path dataDirectory) throws Exception {
    try (Stream<Path> files = Files.walk(dataDirectory.resolve("data"))) {
      return files
          .filter(path -> path.toString().endsWith(".bsg"))
          .findFirst()
          .orElseThrow()
          .getParent()
          .getParent();
    }
  }

  /** The names of the tablet directories of the table that hold segment files. */
  private static Set<String> tabletDirectories(Path table) throws Exception {
    // The collector deletes the replaced partitions' directories while this walks.
    return DataDirectoryWalk.read(
        table,
        files ->
            files
                .filter(path -> path.toString().endsWith(".bsg"))
                .map(path -> path.getParent().getFileName().toString())
                .collect(Collectors.toSet()));
  }
}
