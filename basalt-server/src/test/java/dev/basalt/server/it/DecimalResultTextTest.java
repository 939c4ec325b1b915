package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tiny and huge DECIMAL results reach JDBC clients as the plain text of the result's scale, over
 * the text protocol and over the binary protocol of server-side prepared statements (issue 14).
 *
 * <p>MariaDB Connector/J's {@code getString} returns the text the server sent, so it checks the
 * bytes on the wire. MySQL Connector/J's {@code getString} prints {@code BigDecimal.toString()}
 * ({@code 6.17283945061728E-24}, for MariaDB's own server too); its {@code getBigDecimal} must
 * still carry the exact digits and the scale the column definition declares.
 */
class DecimalResultTextTest {

  private static final String PRODUCT =
      "CAST(0.12345678901234567890123 AS DECIMAL(38,23))"
          + " * CAST(0.00000000000000000000005 AS DECIMAL(38,23))";

  /** Each query returns one row of one DECIMAL column; the plain text that row must show. */
  private static final List<String[]> EXPECTED =
      List.of(
          new String[] {"SELECT " + PRODUCT, "0.00000000000000000000000617283945061728"},
          new String[] {"SELECT -(" + PRODUCT + ")", "-0.00000000000000000000000617283945061728"},
          new String[] {
            "SELECT CAST(-0.00000000000000000000000000000000000001 AS DECIMAL(38,38))",
            "-0.00000000000000000000000000000000000001"
          },
          new String[] {
            "SELECT CAST(99999999999999999999999999999999999999 AS DECIMAL(38,0))",
            "99999999999999999999999999999999999999"
          },
          new String[] {"SELECT CAST(0 AS DECIMAL(20,10))", "0.0000000000"},
          new String[] {
            "SELECT a * b FROM tiny WHERE k = 1", "0.00000000000000000000000617283945061728"
          },
          new String[] {
            "SELECT a * b FROM tiny WHERE k = 2", "0.00000000000000000000000000000000000000"
          },
          new String[] {"SELECT SUM(a * b) FROM tiny", "0.00000000000000000000000617283945061728"},
          new String[] {"SELECT AVG(b) FROM tiny", "0.00000000000000000000004"},
          new String[] {"SELECT SUM(-b) FROM tiny", "-0.00000000000000000000008"},
          new String[] {"SELECT b / 3 FROM tiny WHERE k = 2", "0.000000000000000000000010000"});

  private static TestServer server;

  @BeforeAll
  static void startServer() throws SQLException {
    server = TestServer.start();
    try (Connection connection =
            DriverManager.getConnection(server.mysqlUrl("", ""), TestServer.ROOT_USER, "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE decimal_text");
      statement.execute(
          "CREATE TABLE decimal_text.tiny (k INT, a DECIMAL(38, 23), b DECIMAL(38, 23))"
              + " DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
      statement.execute(
          "INSERT INTO decimal_text.tiny VALUES"
              + " (1, 0.12345678901234567890123, 0.00000000000000000000005),"
              + " (2, -0.00000000000000000000001, 0.00000000000000000000003)");
    }
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "useServerPrepStmts=true"})
  void mariadbDriverSeesThePlainTextOnTheWire(String properties) throws SQLException {
    try (Connection connection =
        DriverManager.getConnection(
            server.mariadbUrl("decimal_text", properties), TestServer.ROOT_USER, "")) {
      List<String> actual = new ArrayList<>();
      List<String> expected = new ArrayList<>();
      for (String[] query : EXPECTED) {
        try (PreparedStatement statement = connection.prepareStatement(query[0]);
            ResultSet resultSet = statement.executeQuery()) {
          assertThat(resultSet.next()).as(query[0]).isTrue();
          assertThat(resultSet.getMetaData().getColumnType(1))
              .as(query[0])
              .isEqualTo(Types.DECIMAL);
          actual.add(query[0] + " -> " + resultSet.getString(1));
          expected.add(query[0] + " -> " + query[1]);
        }
      }
      assertThat(actual).containsExactlyElementsOf(expected);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "useServerPrepStmts=true"})
  void mysqlDriverGetsTheExactDigitsAndScale(String properties) throws SQLException {
    try (Connection connection =
        DriverManager.getConnection(
            server.mysqlUrl("decimal_text", properties), TestServer.ROOT_USER, "")) {
      for (String[] query : EXPECTED) {
        try (PreparedStatement statement = connection.prepareStatement(query[0]);
            ResultSet resultSet = statement.executeQuery()) {
          assertThat(resultSet.next()).as(query[0]).isTrue();
          ResultSetMetaData metaData = resultSet.getMetaData();
          assertThat(metaData.getColumnType(1)).as(query[0]).isEqualTo(Types.DECIMAL);
          BigDecimal value = resultSet.getBigDecimal(1);
          assertThat(value.toPlainString()).as(query[0]).isEqualTo(query[1]);
          assertThat(value.scale()).as(query[0]).isEqualTo(metaData.getScale(1));
        }
      }
    }
  }
}
