package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.load.compaction.MaintenanceConfig;
import dev.basalt.server.ServerConfig;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Compaction of a DUPLICATE KEY table copies the pages of in-order runs as stored (GET /metrics
 * counts them) and the table still reads exactly the loaded rows: seeded batched JDBC INSERTs in
 * key order, a third of them beginning with a batch of keys inside the previous load's range (the
 * shape two clients give a shared group commit), into a table with NULLs, DECIMALs of 64 and 128
 * bits, a dictionary-friendly and a long string column, and a DATE, with a DELETE between loads
 * (delete marks inside runs). After each {@code ADMIN COMPACT TABLE} every tablet is one segment
 * and {@code SELECT ... ORDER BY} must equal the reference rows; again after a restart on the same
 * data directory.
 */
class CompactionPageCopyTest {
  private static final long SEED = 20261209L;

  /** A loaded row; {@code id} is unique, so ORDER BY k, id is a total order. */
  private record Row(
      long k, long id, BigDecimal d, BigDecimal big, String s, String t, Integer x, LocalDate day) {
    String text() {
      return k + "|" + id + "|" + d + "|" + big + "|" + s + "|" + t + "|" + x + "|" + day;
    }
  }

  @Test
  void compactedTableReadsTheLoadedRowsAndCopiedPages() throws Exception {
    Random random = new Random(SEED);
    List<Row> reference = new ArrayList<>();
    try (TestServer server =
        TestServer.start(ServerConfig.DEFAULT_LOAD_BUFFER_BYTES, MaintenanceConfig.ON_REQUEST)) {
      try (Connection connection = connect(server)) {
        execute(connection, "CREATE DATABASE compaction_random");
        execute(
            connection,
            "CREATE TABLE compaction_random.events (k BIGINT NOT NULL, id BIGINT NOT NULL,"
                + " d DECIMAL(15,2), big DECIMAL(30,4) NOT NULL, s VARCHAR(10), t VARCHAR(300),"
                + " x INT, day DATE) DUPLICATE KEY(k, id) DISTRIBUTED BY HASH(k) BUCKETS 2");
        long nextKey = 0;
        long nextId = 0;
        for (int round = 0; round < 2; round++) {
          for (int load = 0; load < 10; load++) {
            List<Row> rows = new ArrayList<>();
            int size = 2_000 + random.nextInt(6_000);
            // In key order after the previous loads, but a third of the loads begin with a batch
            // of keys inside the previous load's range (a batch in flight at a group switch).
            int stragglers = nextKey > 0 && random.nextInt(3) == 0 ? 1 + random.nextInt(60) : 0;
            for (int i = 0; i < size; i++) {
              long key = i < stragglers ? nextKey - stragglers + i : nextKey + i;
              rows.add(randomRow(random, key, nextId++));
            }
            nextKey += size;
            insert(connection, rows);
            reference.addAll(rows);
            if (load == 6) {
              long modulus = 13 + random.nextInt(20);
              execute(
                  connection, "DELETE FROM compaction_random.events WHERE k % " + modulus + " = 3");
              reference.removeIf(row -> row.k() % modulus == 3);
            }
          }
          execute(connection, "ADMIN COMPACT TABLE compaction_random.events");
          assertThat(CompactionRandomTest.versionCounts(connection, "events"))
              .as("round %d (seed %d)", round, SEED)
              .containsOnly(1L);
          assertThat(scan(connection))
              .as("round %d (seed %d)", round, SEED)
              .isEqualTo(expected(reference));
        }
      }
      Map<String, Double> metrics = PrometheusMetrics.fetch(server.httpPort());
      assertThat(metrics.get("basalt_compaction_pages_copied_total"))
          .as("pages copied (seed %d)", SEED)
          .isPositive();
      server.restart();
      try (Connection connection = connect(server)) {
        assertThat(scan(connection))
            .as("after a restart (seed %d)", SEED)
            .isEqualTo(expected(reference));
      }
    }
  }

  private static Row randomRow(Random random, long key, long id) {
    return new Row(
        key,
        id,
        random.nextInt(8) == 0
            ? null
            : BigDecimal.valueOf(random.nextLong(-10_000_000_000L, 10_000_000_000L), 2),
        BigDecimal.valueOf(random.nextLong(), 4)
            .multiply(BigDecimal.valueOf(random.nextInt(3) == 0 ? 1_000_000_000L : 1)),
        random.nextInt(10) == 0 ? null : "s" + random.nextInt(7),
        random.nextInt(6) == 0
            ? null
            : "comment " + random.nextInt(1_000_000) + " é".repeat(random.nextInt(40)),
        random.nextInt(5) == 0 ? null : random.nextInt(),
        LocalDate.of(1992, 1, 1).plusDays(random.nextInt(2_500)));
  }

  private static void insert(Connection connection, List<Row> rows) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO compaction_random.events VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Row row : rows) {
        insert.setLong(1, row.k());
        insert.setLong(2, row.id());
        insert.setBigDecimal(3, row.d());
        insert.setBigDecimal(4, row.big());
        insert.setString(5, row.s());
        insert.setString(6, row.t());
        if (row.x() == null) {
          insert.setNull(7, Types.INTEGER);
        } else {
          insert.setInt(7, row.x());
        }
        insert.setObject(8, row.day());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private static List<String> expected(List<Row> reference) {
    return reference.stream()
        .sorted(Comparator.comparingLong(Row::k).thenComparingLong(Row::id))
        .map(Row::text)
        .toList();
  }

  private static List<String> scan(Connection connection) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT k, id, d, big, s, t, x, day FROM compaction_random.events ORDER BY k, id")) {
      while (result.next()) {
        rows.add(
            new Row(
                    result.getLong(1),
                    result.getLong(2),
                    result.getBigDecimal(3),
                    result.getBigDecimal(4),
                    result.getString(5),
                    result.getString(6),
                    (Integer) result.getObject(7),
                    result.getObject(8, LocalDate.class))
                .text());
      }
    }
    return rows;
  }

  private static Connection connect(TestServer server) throws SQLException {
    return java.sql.DriverManager.getConnection(
        server.mysqlUrl("", "rewriteBatchedStatements=true"), TestServer.ROOT_USER, "");
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
