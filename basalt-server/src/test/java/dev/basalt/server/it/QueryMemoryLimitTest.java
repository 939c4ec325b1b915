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
 * {@code exec_mem_limit} bounds what one statement's operators hold: sorts, hash aggregations and
 * hash joins over their session's limit spill to disk and answer as a session with the default
 * limit does; a query that still cannot fit (one join key with more rows than the limit) fails
 * alone with MEM_LIMIT_EXCEEDED naming the operator and the limit, while another session gets
 * answers, and the failing session keeps working.
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

      // Hash aggregation and hash joins over the limit spill to disk and answer exactly what a
      // session with the default limit gets (they failed with MEM_LIMIT_EXCEEDED before).
      for (String sql :
          new String[] {
            "SELECT a, COUNT(*), MAX(b) FROM memory_limits.t GROUP BY a",
            "SELECT b, a + 1, SUM(a) FROM memory_limits.t GROUP BY b, a + 1",
            "SELECT a % 7, COUNT(DISTINCT b), MIN(b) FROM memory_limits.t GROUP BY a % 7",
            "SELECT COUNT(DISTINCT b), SUM(DISTINCT a), COUNT(*) FROM memory_limits.t",
            "SELECT x.a, y.b FROM memory_limits.t x JOIN memory_limits.t y ON x.a = y.a",
            "SELECT x.a, y.b FROM memory_limits.t x LEFT JOIN"
                + " (SELECT a, b FROM memory_limits.t WHERE a % 3 = 0) y ON x.a = y.a",
            "SELECT x.b, y.a FROM (SELECT a, b FROM memory_limits.t WHERE a % 2 = 0) x"
                + " FULL JOIN (SELECT a, b FROM memory_limits.t WHERE a % 3 = 0) y ON x.b = y.b",
            "SELECT a FROM memory_limits.t WHERE a NOT IN"
                + " (SELECT a FROM memory_limits.t WHERE a % 2 = 0)",
            "SELECT a FROM memory_limits.t x WHERE EXISTS"
                + " (SELECT 1 FROM memory_limits.t y WHERE y.b = x.b AND y.a < 15000)"
          }) {
        assertThat(ResultRows.sorted(small, sql)).as(sql).isEqualTo(ResultRows.sorted(normal, sql));
      }
      assertThat(
              ResultRows.of(
                  small, "SELECT x.a FROM memory_limits.t x JOIN memory_limits.t y ON x.a = y.a"))
          .hasSize(ROWS);

      // One join key with more build rows than the limit holds cannot be partitioned: the query
      // fails alone, naming the operator and the limit.
      assertMemoryLimitExceeded(
          small,
          "SELECT COUNT(*) FROM memory_limits.t x JOIN memory_limits.t y ON x.a % 1 = y.a % 1",
          "HashJoinOperator");
      assertThat(rowCount(normal, "SELECT a, COUNT(*) FROM memory_limits.t GROUP BY a"))
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
