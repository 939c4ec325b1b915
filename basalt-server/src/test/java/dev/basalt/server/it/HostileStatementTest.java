package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Statements built to exhaust the server (thousands of UNION branches, deep nesting) fail alone
 * with a clear error, and the same connection keeps working.
 */
class HostileStatementTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aUnionOfThousandsOfBranchesFailsWithATooDeepErrorAndTheSessionGoesOn() throws Exception {
    String union =
        IntStream.range(0, 20_000)
            .mapToObj(i -> "SELECT " + i)
            .collect(Collectors.joining(" UNION ALL "));
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.executeQuery(union))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1473))
          .hasMessageContaining("too many nested expressions or set operations");
      try (ResultSet rows = statement.executeQuery("SELECT 40 + 2")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).isEqualTo(42);
      }
    }
  }

  @Test
  void deeplyNestedExpressionsFailAloneToo() throws Exception {
    String nested = "SELECT " + "(1 + ".repeat(20_000) + "1" + ")".repeat(20_000);
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.executeQuery(nested))
          .isInstanceOf(SQLException.class)
          .satisfies(
              e ->
                  assertThat(((SQLException) e).getErrorCode())
                      .as(e.getMessage())
                      .isIn(1064, 1473));
      try (ResultSet rows = statement.executeQuery("SELECT 1")) {
        assertThat(rows.next()).isTrue();
      }
    }
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl("", ""), TestServer.ROOT_USER, "");
  }
}
