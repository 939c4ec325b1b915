package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * JDBC batches as Connector/J sends them: with {@code rewriteBatchedStatements=true} one multi-row
 * {@code INSERT ... VALUES} per batch (read straight into the columns, server.engine.LiteralRows,
 * here with more rows than one internal batch), and with {@code useServerPrepStmts=true} one
 * COM_STMT_EXECUTE per row. Every row arrives with its values; a bad value late in a rewritten
 * batch fails the whole statement and leaves nothing of it.
 */
class JdbcBatchInsertTest {
  private static final int ROWS = 10_000;

  @Test
  void rewrittenBatchesAndServerPreparedRowsLoadEveryValue() throws Exception {
    try (TestServer server = TestServer.start();
        Connection admin = DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE batches");
      for (String table : List.of("rewritten", "prepared")) {
        statement.execute(
            "CREATE TABLE batches."
                + table
                + " (id BIGINT NOT NULL, qty INT, price DECIMAL(10, 2), day DATE, note VARCHAR(20))"
                + " DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 3");
      }
      insert(server, "rewriteBatchedStatements=true", "rewritten", ROWS);
      insert(server, "useServerPrepStmts=true", "prepared", 200);

      String summary =
          "SELECT count(*), sum(id), sum(qty), sum(price), min(day), max(day),"
              + " count(note), sum(length(note)) FROM batches.";
      assertThat(server.rows("batches", summary + "rewritten"))
          .containsExactly(expectedSummary(ROWS));
      assertThat(server.rows("batches", summary + "prepared"))
          .containsExactly(expectedSummary(200));
      assertThat(
              server.rows(
                  "batches",
                  "SELECT id, qty, price, day, note FROM rewritten WHERE id IN (7, 9999)"))
          .containsExactlyInAnyOrder(
              "7|-7|0.07|2024-01-08|it's \"7\" \\", "9999|null|99.99|2024-04-27|it's \"9999\" \\");

      try (Connection connection =
              DriverManager.getConnection(
                  server.mysqlUrl("batches", "rewriteBatchedStatements=true"), "root", "");
          PreparedStatement insert =
              connection.prepareStatement("INSERT INTO rewritten (id, qty) VALUES (?, ?)")) {
        for (int i = 0; i < ROWS; i++) {
          insert.setLong(1, ROWS + i);
          insert.setString(2, i == ROWS - 10 ? "not a number" : Integer.toString(i));
          insert.addBatch();
        }
        assertThatThrownBy(insert::executeBatch)
            .isInstanceOf(BatchUpdateException.class)
            .hasMessageContaining("Incorrect int value: 'not a number' for column 'qty'");
      }
      assertThat(server.rows("batches", "SELECT count(*) FROM rewritten"))
          .containsExactly(Integer.toString(ROWS));
    }
  }

  private static void insert(TestServer server, String properties, String table, int rows)
      throws Exception {
    try (Connection connection =
            DriverManager.getConnection(server.mysqlUrl("batches", properties), "root", "");
        PreparedStatement insert =
            connection.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?)")) {
      for (int i = 0; i < rows; i++) {
        insert.setLong(1, i);
        if (i % 3 == 0) {
          insert.setNull(2, java.sql.Types.INTEGER);
        } else {
          insert.setInt(2, -i);
        }
        insert.setBigDecimal(3, BigDecimal.valueOf(i % 10_000, 2));
        insert.setDate(4, Date.valueOf(java.time.LocalDate.of(2024, 1, 1).plusDays(i % 366)));
        insert.setString(5, "it's \"" + i + "\" \\");
        insert.addBatch();
        if (i % 5_000 == 4_999) {
          insert.executeBatch();
        }
      }
      insert.executeBatch();
    }
  }

  /** The summary query's answer for rows 0 .. rows-1 as {@link #insert} writes them. */
  private static String expectedSummary(int rows) {
    long ids = 0;
    long quantities = 0;
    BigDecimal prices = BigDecimal.ZERO.setScale(2);
    long noteLengths = 0;
    for (int i = 0; i < rows; i++) {
      ids += i;
      quantities += i % 3 == 0 ? 0 : -i;
      prices = prices.add(BigDecimal.valueOf(i % 10_000, 2));
      noteLengths += ("it's \"" + i + "\" \\").length();
    }
    java.time.LocalDate first = java.time.LocalDate.of(2024, 1, 1);
    return rows
        + "|"
        + ids
        + "|"
        + quantities
        + "|"
        + prices
        + "|"
        + first
        + "|"
        + first.plusDays(Math.min(rows - 1, 365))
        + "|"
        + rows
        + "|"
        + noteLengths;
  }
}
