package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code exec_mem_limit} bounds what one statement's operators hold: a query over its session's
 * limit fails alone with MEM_LIMIT_EXCEEDED naming the operator and the limit, while another
 * session (with the default limit) gets answers, and the failing session keeps working.
 */
class QueryMemoryLimitTest {
  private static final int ROWS = 20_000;
  private static final long SMALL_LIMIT = 500_000;

  private TestServer server;

  @BeforeEach
  void start() throws SQLException {
    server = TestServer.start();
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE memory_limits");
      statement.execute(
          "CREATE TABLE memory_limits.t (a INT, b VARCHAR(20)) DUPLICATE KEY(a)"
              + " DISTRIBUTED BY HASH(a) BUCKETS 2");
      for (int start = 0; start < ROWS; start += 5000) {
        StringBuilder values = new StringBuilder("INSERT INTO memory_limits.t VALUES ");
        for (int i = start; i < start + 5000; i++) {
          values.append(i == start ? "" : ", ").append('(').append(i).append(", 'row ");
          values.append(i).append("')");
        }
        statement.execute(values.toString());
      }
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aQueryOverItsLimitFailsAloneAndOtherSessionsKeepAnswering() throws SQLException {
    try (Connection limited = connect();
        Statement small = limited.createStatement();
        Connection other = connect();
        Statement normal = other.createStatement()) {
      small.execute("SET exec_mem_limit = " + SMALL_LIMIT);

      assertMemoryLimitExceeded(
          small, "SELECT a, COUNT(*) FROM memory_limits.t GROUP BY a", "HashAggregateOperator");
      assertThat(rowCount(normal, "SELECT a, COUNT(*) FROM memory_limits.t GROUP BY a"))
          .isEqualTo(ROWS);

      // A sort over the limit spills to disk and still answers, in order.
      try (ResultSet rows = small.executeQuery("SELECT a, b FROM memory_limits.t ORDER BY b, a")) {
        String previous = "";
        int count = 0;
        while (rows.next()) {
          assertThat(rows.getString(2)).isGreaterThanOrEqualTo(previous);
          assertThat(rows.getString(2)).isEqualTo("row " + rows.getInt(1));
          previous = rows.getString(2);
          count++;
        }
        assertThat(count).isEqualTo(ROWS);
      }
      assertMemoryLimitExceeded(
          small,
          "SELECT x.a FROM memory_limits.t x JOIN memory_limits.t y ON x.a = y.a",
          "HashJoinOperator");
      assertThat(
              rowCount(
                  normal, "SELECT x.a FROM memory_limits.t x JOIN memory_limits.t y ON x.a = y.a"))
          .isEqualTo(ROWS);

      // ORDER BY ... LIMIT keeps only the rows it returns, so it fits in the small limit.
      try (ResultSet rows =
          small.executeQuery("SELECT a FROM memory_limits.t ORDER BY b LIMIT 3")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).isEqualTo(0);
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).isEqualTo(1);
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).isEqualTo(10);
      }
      assertThat(rowCount(small, "SELECT COUNT(*), MAX(b) FROM memory_limits.t")).isEqualTo(1);

      small.execute("SET exec_mem_limit = DEFAULT");
      assertThat(rowCount(small, "SELECT a, COUNT(*) FROM memory_limits.t GROUP BY a"))
          .isEqualTo(ROWS);
    }
  }

  private static void assertMemoryLimitExceeded(Statement statement, String sql, String operator) {
    assertThatThrownBy(() -> rowCount(statement, sql))
        .as(sql)
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1105))
        .hasMessageContaining("MEM_LIMIT_EXCEEDED")
        .hasMessageContaining(operator)
        .hasMessageContaining("exec_mem_limit = " + SMALL_LIMIT + " bytes");
  }

  private static int rowCount(Statement statement, String sql) throws SQLException {
    int count = 0;
    try (ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        count++;
      }
    }
    return count;
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
  }
}
