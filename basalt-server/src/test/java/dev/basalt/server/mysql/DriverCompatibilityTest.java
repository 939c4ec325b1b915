package dev.basalt.server.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MySQL Connector/J and MariaDB Connector/J against the server, with client- and server-side
 * prepares.
 */
class DriverCompatibilityTest {
  private static TestServer server;

  enum Driver {
    MYSQL,
    MARIADB
  }

  record Client(Driver driver, boolean serverPrepared) {
    String url(String database, String properties) {
      String all = serverPrepared ? join("useServerPrepStmts=true", properties) : properties;
      return driver == Driver.MYSQL
          ? server.mysqlUrl(database, all)
          : server.mariadbUrl(database, all);
    }

    Connection connect() throws SQLException {
      return DriverManager.getConnection(url("", ""), "root", "");
    }

    private static String join(String first, String second) {
      return second.isEmpty() ? first : first + "&" + second;
    }

    @Override
    public String toString() {
      return driver + (serverPrepared ? " server-side prepares" : " client-side prepares");
    }
  }

  static Stream<Client> clients() {
    return Stream.of(
        new Client(Driver.MYSQL, false),
        new Client(Driver.MYSQL, true),
        new Client(Driver.MARIADB, false),
        new Client(Driver.MARIADB, true));
  }

  @BeforeAll
  static void start() {
    server = new TestServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static List<Object> expectedValues(Driver driver) {
    boolean mysql = driver == Driver.MYSQL;
    return Arrays.asList(
        Boolean.TRUE,
        -5,
        mysql ? (Object) 300 : (Object) (short) 300,
        70000,
        9_000_000_000L,
        FakeQueryHandler.LARGE.toString(),
        1.5f,
        2.25d,
        new BigDecimal("12345.67"),
        java.sql.Date.valueOf("2024-02-29"),
        mysql
            ? (Object) LocalDateTime.of(2024, 2, 29, 13, 45, 10)
            : (Object) Timestamp.valueOf("2024-02-29 13:45:10"),
        mysql
            ? (Object) LocalDateTime.of(2024, 2, 29, 13, 45, 10, 123_456_000)
            : (Object) Timestamp.valueOf("2024-02-29 13:45:10.123456"),
        "abc",
        "héllo wörld",
        "a long string 🙂",
        null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void everyTypeComesBackWithTheDriversJavaTypeAndNullsAreNull(Client client) throws Exception {
    try (Connection connection = client.connect();
        PreparedStatement statement = connection.prepareStatement("SELECT all_types");
        ResultSet rows = statement.executeQuery()) {
      ResultSetMetaData metadata = rows.getMetaData();
      assertThat(metadata.getColumnCount()).isEqualTo(FakeQueryHandler.ALL_TYPES_COLUMNS.size());
      assertThat(metadata.getColumnLabel(1)).isEqualTo("c_boolean");
      assertThat(metadata.getTableName(2)).isEqualTo("all_types");
      assertThat(metadata.getScale(9)).isEqualTo(2);

      assertThat(rows.next()).isTrue();
      List<Object> actual = new ArrayList<>();
      for (int column = 1; column <= metadata.getColumnCount(); column++) {
        actual.add(rows.getObject(column));
      }
      List<Object> expected = expectedValues(client.driver());
      for (int i = 0; i < expected.size(); i++) {
        Object value = actual.get(i);
        assertThat(value).as(metadata.getColumnLabel(i + 1)).isEqualTo(expected.get(i));
        if (value != null) {
          assertThat(value.getClass())
              .as(metadata.getColumnLabel(i + 1))
              .isEqualTo(expected.get(i).getClass());
        }
      }
      assertThat(rows.getBigDecimal("c_largeint"))
          .isEqualTo(new BigDecimal(FakeQueryHandler.LARGE));
      assertThat(rows.getString("c_datetime6")).isEqualTo("2024-02-29 13:45:10.123456");
      assertThat(rows.getString("c_date")).isEqualTo("2024-02-29");

      assertThat(rows.next()).isTrue();
      for (int column = 1; column <= metadata.getColumnCount(); column++) {
        assertThat(rows.getObject(column)).as(metadata.getColumnLabel(column)).isNull();
        assertThat(rows.wasNull()).isTrue();
      }
      assertThat(rows.next()).isFalse();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void parametersOfSeveralTypesReachTheEngineAsLiterals(Client client) throws Exception {
    server.handler.statements.clear();
    try (Connection connection = client.connect();
        PreparedStatement statement =
            connection.prepareStatement("SELECT echo(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (int attempt = 0; attempt < 2; attempt++) {
        statement.setInt(1, 42 + attempt);
        statement.setLong(2, -7_000_000_000L);
        statement.setString(3, "it's a \\ test 🙂");
        statement.setBigDecimal(4, new BigDecimal("12.50"));
        statement.setDouble(5, 2.5);
        statement.setDate(6, java.sql.Date.valueOf("2024-01-02"));
        statement.setTimestamp(7, Timestamp.valueOf("2024-01-02 03:04:05.123456"));
        statement.setNull(8, Types.VARCHAR);
        statement.setBoolean(9, true);
        statement.setShort(10, (short) -3);
        try (ResultSet rows = statement.executeQuery()) {
          assertThat(rows.next()).isTrue();
          String received = rows.getString(1);
          assertThat(received).startsWith("SELECT echo(" + (42 + attempt) + ", -7000000000, 'it");
          if (client.serverPrepared()) {
            // Exactly what the server rendered from the binary parameters.
            assertThat(received)
                .isEqualTo(
                    "SELECT echo("
                        + (42 + attempt)
                        + ", -7000000000, 'it''s a \\\\ test 🙂', 12.50, 2.5, '2024-01-02',"
                        + " '2024-01-02 03:04:05.123456', NULL, 1, -3)");
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void updatesReturnTheAffectedRowCount(Client client) throws Exception {
    try (Connection connection = client.connect();
        Statement statement = connection.createStatement()) {
      assertThat(statement.executeUpdate("INSERT INTO t VALUES (1), (2), (3)")).isEqualTo(3);
    }
    try (Connection connection = client.connect();
        PreparedStatement statement = connection.prepareStatement("INSERT INTO t VALUES (?)")) {
      statement.setInt(1, 5);
      assertThat(statement.executeUpdate()).isEqualTo(3);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void anInternalErrorGives1815WithAQueryIdAndTheConnectionKeepsWorking(Client client)
      throws Exception {
    try (Connection connection = client.connect()) {
      try (PreparedStatement failing = connection.prepareStatement("SELECT internal_error")) {
        assertThatThrownBy(failing::executeQuery)
            .isInstanceOfSatisfying(
                SQLException.class,
                error -> {
                  assertThat(error.getErrorCode()).isEqualTo(1815);
                  assertThat(error.getSQLState()).isEqualTo("HY000");
                  assertThat(error.getMessage())
                      .containsPattern("Internal error \\(query id [0-9a-f]{16}-[0-9a-f]{16}\\): ")
                      .contains("the fake engine broke on purpose");
                });
      }
      try (Statement statement = connection.createStatement()) {
        assertThatThrownBy(() -> statement.executeQuery("SELECT user_error"))
            .isInstanceOfSatisfying(
                SQLException.class,
                error -> {
                  assertThat(error.getErrorCode()).isEqualTo(1146);
                  assertThat(error.getSQLState()).isEqualTo("42S02");
                  assertThat(error.getMessage()).contains("Table 'test.missing' doesn't exist");
                });
        try (ResultSet rows = statement.executeQuery("SELECT 7")) {
          assertThat(rows.next()).isTrue();
          assertThat(rows.getLong(1)).isEqualTo(7);
        }
      }
      assertThat(connection.isValid(5)).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void largeResultsStreamAndTheirStreamsAreClosed(Client client) throws Exception {
    try (Connection connection = client.connect();
        PreparedStatement statement = connection.prepareStatement("SELECT many_rows");
        ResultSet rows = statement.executeQuery()) {
      long count = 0;
      long sum = 0;
      while (rows.next()) {
        sum += rows.getLong(1);
        count++;
        if (count == 19_999) {
          assertThat(rows.getString(2)).isEqualTo("row number 19998");
        }
      }
      assertThat(count).isEqualTo(20_000);
      assertThat(sum).isEqualTo(19_999L * 20_000 / 2);
    }
    assertThat(server.handler.openStreams.get()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void databaseInTheUrlAndSetCatalogSelectTheDatabase(Client client) throws Exception {
    try (Connection connection = DriverManager.getConnection(client.url("test", ""), "root", "")) {
      assertThat(connection.getCatalog()).isEqualTo("test");
      connection.setCatalog("shop");
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT DATABASE()")) {
        rows.next();
        assertThat(rows.getString(1)).isEqualTo("shop");
      }
    }
    assertThatThrownBy(
            () -> DriverManager.getConnection(client.url("nosuchdb", ""), "root", "").close())
        .isInstanceOfSatisfying(
            SQLException.class, error -> assertThat(error.getErrorCode()).isEqualTo(1049));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clients")
  void multipleResultsOfOneStatementText(Client client) throws Exception {
    try (Connection connection =
            DriverManager.getConnection(client.url("", "allowMultiQueries=true"), "root", "");
        Statement statement = connection.createStatement()) {
      assertThat(statement.execute("MULTI SELECT 1; INSERT INTO t VALUES (1); SELECT 2")).isTrue();
      try (ResultSet first = statement.getResultSet()) {
        first.next();
        assertThat(first.getLong(1)).isEqualTo(1);
      }
      assertThat(statement.getMoreResults()).isFalse();
      assertThat(statement.getUpdateCount()).isEqualTo(3);
      assertThat(statement.getMoreResults()).isTrue();
      try (ResultSet third = statement.getResultSet()) {
        third.next();
        assertThat(third.getLong(1)).isEqualTo(2);
      }
      assertThat(statement.getMoreResults()).isFalse();
      assertThat(statement.getUpdateCount()).isEqualTo(-1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Driver.class)
  void aTwentyMegabyteStatementArrivesIntact(Driver driver) throws Exception {
    StringBuilder sql = new StringBuilder(20_000_100).append("INSERT INTO big VALUES ('");
    for (int i = 0; sql.length() < 20_000_000; i++) {
      sql.append((char) ('a' + i % 26));
    }
    sql.append("')");
    String text = sql.toString();
    Client client = new Client(driver, false);
    try (Connection connection = client.connect();
        Statement statement = connection.createStatement()) {
      assertThat(statement.executeUpdate(text)).isEqualTo(text.length());
    }
    assertThat(server.handler.statements).anyMatch(text::equals);
    server.handler.statements.removeIf(text::equals);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Driver.class)
  void rewrittenStatementBatchesUseMultipleStatements(Driver driver) throws Exception {
    server.handler.statements.clear();
    String url = new Client(driver, false).url("", "rewriteBatchedStatements=true");
    try (Connection connection = DriverManager.getConnection(url, "root", "");
        Statement statement = connection.createStatement()) {
      for (int i = 0; i < 6; i++) {
        statement.addBatch("UPDATE t SET a = " + i);
      }
      assertThat(statement.executeBatch()).containsExactly(1, 1, 1, 1, 1, 1);
    }
    assertThat(server.handler.statements).anyMatch(sql -> sql.startsWith("UPDATE t SET a = 0"));
    if (driver == Driver.MYSQL) {
      // Connector/J turned multi statements on with COM_SET_OPTION and sent one text.
      assertThat(server.handler.statements)
          .anyMatch(sql -> sql.startsWith("UPDATE t SET a = 0;UPDATE t SET a = 1;"));
    }
  }

  @Test
  void connectorJCursorFetchGetsTheWholeResultAtOnce() throws Exception {
    String url =
        server.mysqlUrl("", "useServerPrepStmts=true&useCursorFetch=true&defaultFetchSize=100");
    try (Connection connection = DriverManager.getConnection(url, "root", "");
        PreparedStatement statement = connection.prepareStatement("SELECT many_rows");
        ResultSet rows = statement.executeQuery()) {
      int count = 0;
      while (rows.next()) {
        count++;
      }
      assertThat(count).isEqualTo(20_000);
    }
  }

  @Test
  void passwordsAreVerifiedForBothDrivers() throws Exception {
    for (Driver driver : Driver.values()) {
      Client client = new Client(driver, false);
      try (Connection connection =
          DriverManager.getConnection(
              client.url("", ""), FakeAuthenticator.PASSWORD_USER, FakeAuthenticator.PASSWORD)) {
        assertThat(connection.isValid(5)).isTrue();
      }
      assertThatThrownBy(
              () ->
                  DriverManager.getConnection(
                          client.url("", ""), FakeAuthenticator.PASSWORD_USER, "wrong")
                      .close())
          .as(driver.name())
          .isInstanceOfSatisfying(
              SQLException.class,
              error -> {
                assertThat(error.getErrorCode()).isEqualTo(1045);
                assertThat(error.getSQLState()).isEqualTo("28000");
                assertThat(error.getMessage())
                    .contains("Access denied for user 'alice'@'127.0.0.1' (using password: YES)");
              });
      assertThatThrownBy(
              () -> DriverManager.getConnection(client.url("", ""), "nobody", "").close())
          .isInstanceOfSatisfying(
              SQLException.class,
              error -> {
                assertThat(error.getErrorCode()).isEqualTo(1045);
                assertThat(error.getMessage())
                    .contains("'nobody'@'127.0.0.1' (using password: NO)");
              });
    }
  }

  @Test
  void connectorJWithCachingSha2AsItsFirstPluginIsSwitchedToNativePassword() throws Exception {
    String url = server.mysqlUrl("", "defaultAuthenticationPlugin=caching_sha2_password");
    try (Connection connection =
        DriverManager.getConnection(
            url, FakeAuthenticator.PASSWORD_USER, FakeAuthenticator.PASSWORD)) {
      assertThat(connection.isValid(5)).isTrue();
    }
  }

  @Test
  void sessionsAreRegisteredWhileConnectedAndClosedAfterwards() throws Exception {
    Client client = new Client(Driver.MARIADB, false);
    long connectionId;
    try (Connection connection = client.connect()) {
      connectionId =
          server.sessions.sessions().stream()
              .filter(session -> session.user().equals("root"))
              .mapToLong(session -> session.connectionId())
              .max()
              .orElseThrow();
      assertThat(server.sessions.sessions())
          .anyMatch(session -> session.connectionId() == connectionId);
    }
    long deadline = System.currentTimeMillis() + 5_000;
    while (System.currentTimeMillis() < deadline
        && server.handler.closedSessions.stream()
            .noneMatch(session -> session.connectionId() == connectionId)) {
      Thread.sleep(10);
    }
    assertThat(server.handler.closedSessions)
        .anyMatch(session -> session.connectionId() == connectionId);
    assertThat(server.sessions.sessions())
        .noneMatch(session -> session.connectionId() == connectionId);
  }
}
