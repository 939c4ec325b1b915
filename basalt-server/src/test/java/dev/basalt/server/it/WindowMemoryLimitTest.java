package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Window functions under the statement's memory budget, through JDBC: a window that holds more rows
 * than {@code exec_mem_limit} allows (windows do not spill yet) fails alone with
 * [MEM_LIMIT_EXCEEDED] naming the window and the limit, while another session's query answers and
 * the failing session goes on; under the default limit the same window answers, its sliding and
 * growing frames matching sums computed without windows.
 */
class WindowMemoryLimitTest {
  private static final int ROWS = 100_000;
  private static TestServer server;

  @BeforeAll
  static void start() throws SQLException {
    server = TestServer.start();
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE w");
      statement.execute(
          "CREATE TABLE w.t (k INT, v INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
      StringBuilder values = new StringBuilder("INSERT INTO w.t VALUES ");
      for (int k = 0; k < 1000; k++) {
        values.append(k == 0 ? "" : ", ").append('(').append(k).append(", ").append(k % 10);
        values.append(')');
      }
      statement.execute(values.toString());
      statement.execute(
          "CREATE TABLE w.big (id BIGINT, g INT, v INT) DUPLICATE KEY(id)"
              + " DISTRIBUTED BY HASH(id) BUCKETS 2");
      statement.execute(
          "INSERT INTO w.big SELECT x.k * 1000 + y.k, y.v, x.k FROM w.t x, w.t y WHERE x.k < "
              + ROWS / 1000);
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
  }

  @Test
  void aWindowOverItsBudgetFailsAloneWithAClearError() throws SQLException {
    String window =
        "SELECT SUM(s) FROM (SELECT SUM(v) OVER (PARTITION BY g ORDER BY id"
            + " ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) s FROM w.big) x";
    try (Connection connection = connect();
        Connection other = connect();
        Statement statement = connection.createStatement();
        Statement otherStatement = other.createStatement()) {
      statement.execute("SET exec_mem_limit = 1000000");
      assertThatThrownBy(() -> statement.executeQuery(window).close())
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1105))
          .hasMessageContaining("MEM_LIMIT_EXCEEDED")
          .hasMessageContaining("WindowOperator")
          .hasMessageContaining("exec_mem_limit = 1000000");

      // Another session, and then the failing one, keep answering.
      assertThat(single(otherStatement, "SELECT COUNT(*) FROM w.big")).isEqualTo(ROWS);
      assertThat(single(statement, "SELECT COUNT(*) FROM w.t")).isEqualTo(1000);

      // Under the default limit the window answers: each row's frame is itself and the two rows
      // before it in its group, which LAG reads without a frame.
      statement.execute("SET exec_mem_limit = DEFAULT");
      long expected =
          single(
              statement,
              "SELECT SUM(v + COALESCE(p1, 0) + COALESCE(p2, 0)) FROM (SELECT v,"
                  + " LAG(v, 1) OVER (PARTITION BY g ORDER BY id) p1,"
                  + " LAG(v, 2) OVER (PARTITION BY g ORDER BY id) p2 FROM w.big) x");
      assertThat(single(statement, window)).isEqualTo(expected).isPositive();
      // A growing frame (the default RANGE UNBOUNDED PRECEDING of an ordered window): the last
      // row of each group holds the group's total.
      assertThat(
              single(
                  statement,
                  "SELECT SUM(s) FROM (SELECT SUM(v) OVER (PARTITION BY g ORDER BY id) s,"
                      + " ROW_NUMBER() OVER (PARTITION BY g ORDER BY id DESC) last FROM w.big) x"
                      + " WHERE last = 1"))
          .isEqualTo(single(statement, "SELECT SUM(v) FROM w.big"));
    }
  }

  private static long single(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).as(sql).isTrue();
      return rows.getLong(1);
    }
  }
}
