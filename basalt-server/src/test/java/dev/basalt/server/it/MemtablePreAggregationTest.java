package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.load.compaction.CompactionPolicy;
import dev.basalt.load.compaction.MaintenanceConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * A load combines its own rows of one key as it writes them (issue 15, memtables "sorted and
 * pre-aggregated by the model"): an AGGREGATE KEY or merge-on-read UNIQUE KEY table's segment holds
 * each key once ({@code SHOW TABLETS}' RowCount, without compaction), with the values the merged
 * read gives; a DUPLICATE KEY table keeps every row.
 */
class MemtablePreAggregationTest {
  private static final MaintenanceConfig NO_COMPACTION =
      new MaintenanceConfig(0, CompactionPolicy.DEFAULT, 300, 3_600);

  private static final int ROWS = 3_000;
  private static final int KEYS = 10;

  @Test
  void aggregateAndMergeOnReadLoadsWriteEachKeyOnce() throws Exception {
    try (TestServer server = TestServer.start(8L * 1024 * 1024, NO_COMPACTION);
        Connection connection = CompactionRandomTest.connect(server)) {
      CompactionRandomTest.execute(connection, "CREATE DATABASE pre");
      CompactionRandomTest.execute(
          connection,
          "CREATE TABLE pre.agg (k INT, s BIGINT SUM, m INT MIN, r INT REPLACE)"
              + " AGGREGATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
      CompactionRandomTest.execute(
          connection,
          "CREATE TABLE pre.mor (k INT, s BIGINT, m INT, r INT) UNIQUE KEY(k)"
              + " DISTRIBUTED BY HASH(k) BUCKETS 1"
              + " PROPERTIES (\"enable_unique_key_merge_on_write\" = \"false\")");
      CompactionRandomTest.execute(
          connection,
          "CREATE TABLE pre.dup (k INT, s BIGINT, m INT, r INT) DUPLICATE KEY(k)"
              + " DISTRIBUTED BY HASH(k) BUCKETS 1");
      StringBuilder rows = new StringBuilder();
      for (int i = 0; i < ROWS; i++) {
        rows.append(i == 0 ? "" : ", ")
            .append('(')
            .append(i % KEYS)
            .append(", ")
            .append(i)
            .append(", ")
            .append(ROWS - i)
            .append(", ")
            .append(i)
            .append(')');
      }
      for (String table : new String[] {"agg", "mor", "dup"}) {
        CompactionRandomTest.execute(connection, "INSERT INTO pre." + table + " VALUES " + rows);
      }
      assertThat(rowCount(connection, "agg")).isEqualTo(KEYS);
      assertThat(rowCount(connection, "mor")).isEqualTo(KEYS);
      assertThat(rowCount(connection, "dup")).isEqualTo(ROWS);

      // Key 3: rows i = 3, 13, ..., 2993 (300 of them).
      assertThat(row(connection, "SELECT s, m, r FROM pre.agg WHERE k = 3"))
          .isEqualTo(sumOfKey(3) + "," + (ROWS - 2993) + ",2993");
      assertThat(row(connection, "SELECT s, m, r FROM pre.mor WHERE k = 3"))
          .isEqualTo("2993," + (ROWS - 2993) + ",2993");
      assertThat(row(connection, "SELECT COUNT(*), SUM(s) FROM pre.agg"))
          .isEqualTo(KEYS + "," + ((long) ROWS * (ROWS - 1) / 2));
    }
  }

  private static long sumOfKey(int key) {
    long sum = 0;
    for (int i = key; i < ROWS; i += KEYS) {
      sum += i;
    }
    return sum;
  }

  private static long rowCount(Connection connection, String table) throws SQLException {
    long rows = 0;
    try (Statement statement = connection.createStatement();
        ResultSet tablets = statement.executeQuery("SHOW TABLETS FROM pre." + table)) {
      while (tablets.next()) {
        rows += tablets.getLong("RowCount");
      }
    }
    return rows;
  }

  private static String row(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      assertThat(result.next()).isTrue();
      StringBuilder values = new StringBuilder();
      for (int c = 1; c <= result.getMetaData().getColumnCount(); c++) {
        values.append(c == 1 ? "" : ",").append(result.getString(c));
      }
      return values.toString();
    }
  }
}
