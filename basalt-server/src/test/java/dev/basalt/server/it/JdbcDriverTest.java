package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two stock JDBC drivers against an in-process server, each with its default properties (text
 * protocol) and with server-side prepared statements (binary protocol): DDL, INSERT with a
 * parameter of every column type, SELECT back with typed getters and {@code getObject}, metadata,
 * and authentication.
 */
class JdbcDriverTest {

  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * One driver configuration. {@code name} is also used in database and user names, so that each
   * configuration works on its own objects in the shared server.
   */
  record DriverSetup(
      String name,
      boolean mariadb,
      String properties,
      BiFunction<String, String, String> urlForDatabase) {
    String url(String database) {
      return urlForDatabase.apply(database, properties);
    }

    Connection connect(String database, String user, String password) throws SQLException {
      return DriverManager.getConnection(url(database), user, password);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<DriverSetup> drivers() {
    return Stream.of(
        new DriverSetup("mysql_text", false, "", (db, props) -> server.mysqlUrl(db, props)),
        new DriverSetup(
            "mysql_binary",
            false,
            "useServerPrepStmts=true&cachePrepStmts=true",
            (db, props) -> server.mysqlUrl(db, props)),
        new DriverSetup("mariadb_text", true, "", (db, props) -> server.mariadbUrl(db, props)),
        new DriverSetup(
            "mariadb_binary",
            true,
            "useServerPrepStmts=true",
            (db, props) -> server.mariadbUrl(db, props)));
  }

  private static final String CREATE_ALL_TYPES =
      """
      CREATE TABLE all_types (
        k INT,
        c_boolean BOOLEAN,
        c_tinyint TINYINT,
        c_smallint SMALLINT,
        c_int INT,
        c_bigint BIGINT,
        c_largeint LARGEINT,
        c_float FLOAT,
        c_double DOUBLE,
        c_decimal DECIMAL(18, 4),
        c_date DATE,
        c_datetime DATETIME,
        c_char CHAR(8),
        c_varchar VARCHAR(32),
        c_string STRING
      )
      DUPLICATE KEY(k)
      DISTRIBUTED BY HASH(k) BUCKETS 1
      PROPERTIES ("replication_num" = "1")
      """;

  private static final List<String> COLUMNS =
      List.of(
          "k",
          "c_boolean",
          "c_tinyint",
          "c_smallint",
          "c_int",
          "c_bigint",
          "c_largeint",
          "c_float",
          "c_double",
          "c_decimal",
          "c_date",
          "c_datetime",
          "c_char",
          "c_varchar",
          "c_string");

  private static final BigInteger LARGEINT_MAX = BigInteger.TWO.pow(127).subtract(BigInteger.ONE);
  private static final BigDecimal DECIMAL_VALUE = new BigDecimal("12345678901234.5678");
  private static final LocalDate DATE_VALUE = LocalDate.of(2024, 2, 29);
  private static final LocalDateTime DATETIME_VALUE = LocalDateTime.of(2024, 2, 29, 23, 59, 58);

  private static String database(DriverSetup setup) {
    return "jdbc_" + setup.name();
  }

  private static void createDatabaseAndTable(DriverSetup setup) throws SQLException {
    try (Connection connection = setup.connect("", TestServer.ROOT_USER, "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + database(setup));
      statement.execute("USE " + database(setup));
      statement.execute(CREATE_ALL_TYPES);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("drivers")
  void everyColumnTypeRoundTripsThroughPreparedStatements(DriverSetup setup) throws SQLException {
    createDatabaseAndTable(setup);
    try (Connection connection = setup.connect(database(setup), TestServer.ROOT_USER, "")) {
      String placeholders = String.join(", ", COLUMNS.stream().map(column -> "?").toList());
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO all_types ("
                  + String.join(", ", COLUMNS)
                  + ") VALUES ("
                  + placeholders
                  + ")")) {
        insert.setInt(1, 1);
        insert.setBoolean(2, true);
        insert.setByte(3, Byte.MIN_VALUE);
        insert.setShort(4, Short.MAX_VALUE);
        insert.setInt(5, Integer.MIN_VALUE);
        insert.setLong(6, Long.MAX_VALUE);
        // LARGEINT does not fit any JDBC integer type; clients send it as text.
        insert.setString(7, LARGEINT_MAX.toString());
        insert.setFloat(8, 1.5f);
        insert.setDouble(9, -2.25);
        insert.setBigDecimal(10, DECIMAL_VALUE);
        insert.setObject(11, DATE_VALUE);
        insert.setObject(12, DATETIME_VALUE);
        insert.setString(13, "abc");
        insert.setString(14, "héllo, wörld");
        insert.setString(15, "日本語 text with a 'quote'");
        assertThat(insert.executeUpdate()).isEqualTo(1);

        insert.setInt(1, 2);
        int[] sqlTypes = {
          Types.BOOLEAN, Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.VARCHAR,
          Types.FLOAT, Types.DOUBLE, Types.DECIMAL, Types.DATE, Types.TIMESTAMP, Types.CHAR,
          Types.VARCHAR, Types.VARCHAR
        };
        for (int index = 0; index < sqlTypes.length; index++) {
          insert.setNull(index + 2, sqlTypes[index]);
        }
        assertThat(insert.executeUpdate()).isEqualTo(1);
      }

      try (PreparedStatement select =
          connection.prepareStatement(
              "SELECT " + String.join(", ", COLUMNS) + " FROM all_types WHERE k >= ? ORDER BY k")) {
        select.setInt(1, 0);
        try (ResultSet rows = select.executeQuery()) {
          assertThat(rows.next()).isTrue();
          assertThat(rows.getInt("k")).isEqualTo(1);
          assertThat(rows.getBoolean("c_boolean")).isTrue();
          assertThat(rows.getByte("c_tinyint")).isEqualTo(Byte.MIN_VALUE);
          assertThat(rows.getShort("c_smallint")).isEqualTo(Short.MAX_VALUE);
          assertThat(rows.getInt("c_int")).isEqualTo(Integer.MIN_VALUE);
          assertThat(rows.getLong("c_bigint")).isEqualTo(Long.MAX_VALUE);
          assertThat(new BigInteger(rows.getString("c_largeint"))).isEqualTo(LARGEINT_MAX);
          assertThat(rows.getFloat("c_float")).isEqualTo(1.5f);
          assertThat(rows.getDouble("c_double")).isEqualTo(-2.25);
          assertThat(rows.getBigDecimal("c_decimal")).isEqualTo(DECIMAL_VALUE);
          assertThat(rows.getObject("c_date", LocalDate.class)).isEqualTo(DATE_VALUE);
          assertThat(rows.getObject("c_datetime", LocalDateTime.class)).isEqualTo(DATETIME_VALUE);
          assertThat(rows.getString("c_char")).isEqualTo("abc");
          assertThat(rows.getString("c_varchar")).isEqualTo("héllo, wörld");
          assertThat(rows.getString("c_string")).isEqualTo("日本語 text with a 'quote'");
          assertGetObjectTypes(setup, rows);

          assertThat(rows.next()).isTrue();
          assertThat(rows.getInt("k")).isEqualTo(2);
          for (String column : COLUMNS.subList(1, COLUMNS.size())) {
            assertThat(rows.getObject(column)).as(column).isNull();
            assertThat(rows.wasNull()).as(column).isTrue();
          }
          assertThat(rows.next()).isFalse();
        }
      }
    }
  }

  /**
   * The Java classes {@code getObject} returns follow the MySQL column types Doris sends (see
   * doris-compat-notes §4.8: LARGEINT as a string type, BOOLEAN as TINYINT(1)); the drivers differ
   * for SMALLINT and DATETIME.
   */
  private static void assertGetObjectTypes(DriverSetup setup, ResultSet rows) throws SQLException {
    List<Class<?>> expected =
        List.of(
            Integer.class,
            Boolean.class,
            Integer.class,
            setup.mariadb() ? Short.class : Integer.class,
            Integer.class,
            Long.class,
            String.class,
            Float.class,
            Double.class,
            BigDecimal.class,
            java.sql.Date.class,
            setup.mariadb() ? Timestamp.class : LocalDateTime.class,
            String.class,
            String.class,
            String.class);
    List<String> actual = new ArrayList<>();
    List<String> wanted = new ArrayList<>();
    for (int index = 0; index < COLUMNS.size(); index++) {
      Object value = rows.getObject(index + 1);
      actual.add(COLUMNS.get(index) + "=" + (value == null ? "null" : value.getClass().getName()));
      wanted.add(COLUMNS.get(index) + "=" + expected.get(index).getName());
    }
    assertThat(actual).containsExactlyElementsOf(wanted);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("drivers")
  void metadataListsTablesAndColumns(DriverSetup setup) throws SQLException {
    String database = database(setup) + "_meta";
    try (Connection connection = setup.connect("", TestServer.ROOT_USER, "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
      statement.execute("USE " + database);
      statement.execute(CREATE_ALL_TYPES);
      statement.execute(
          "CREATE TABLE other (id BIGINT, name VARCHAR(20)) DUPLICATE KEY(id)"
              + " DISTRIBUTED BY HASH(id) BUCKETS 1 PROPERTIES (\"replication_num\" = \"1\")");

      DatabaseMetaData metaData = connection.getMetaData();
      assertThat(metaData.getDatabaseProductVersion()).startsWith("5.7.99");

      List<String> tables = new ArrayList<>();
      try (ResultSet rows = metaData.getTables(database, null, "%", new String[] {"TABLE"})) {
        while (rows.next()) {
          assertThat(rows.getString("TABLE_CAT")).isEqualTo(database);
          tables.add(rows.getString("TABLE_NAME"));
        }
      }
      assertThat(tables).containsExactly("all_types", "other");

      List<String> columns = new ArrayList<>();
      try (ResultSet rows = metaData.getColumns(database, null, "all_types", "%")) {
        while (rows.next()) {
          assertThat(rows.getInt("ORDINAL_POSITION")).isEqualTo(columns.size() + 1);
          columns.add(rows.getString("COLUMN_NAME"));
        }
      }
      assertThat(columns).containsExactlyElementsOf(COLUMNS);

      try (ResultSet rows = metaData.getColumns(database, null, "other", "name")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt("DATA_TYPE")).isEqualTo(Types.VARCHAR);
        assertThat(rows.getInt("COLUMN_SIZE")).isEqualTo(20);
        assertThat(rows.next()).isFalse();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("drivers")
  void wrongRootPasswordIsAccessDenied(DriverSetup setup) {
    assertThatThrownBy(() -> setup.connect("", TestServer.ROOT_USER, "not-the-password").close())
        .isInstanceOfSatisfying(
            SQLException.class,
            error -> {
              assertThat(error.getErrorCode()).isEqualTo(1045);
              assertThat(error.getMessage()).contains("Access denied for user 'root'");
            });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("drivers")
  void showCreateTableRecreatesTheSameTable(DriverSetup setup) throws SQLException {
    String database = "show_create_" + setup.name();
    try (Connection connection = setup.connect("", TestServer.ROOT_USER, "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
      statement.execute("USE " + database);
      statement.execute(
          "CREATE TABLE events (day DATE NOT NULL, id BIGINT NOT NULL COMMENT 'the id', total DECIMAL(12, 3) SUM DEFAULT '0', note VARCHAR(20) REPLACE)"
              + " AGGREGATE KEY(day, id) COMMENT 'daily events'"
              + " PARTITION BY RANGE(day) (PARTITION p1 VALUES LESS THAN ('2024-01-01'), PARTITION p2 VALUES LESS THAN ('2025-01-01'))"
              + " DISTRIBUTED BY HASH(id) BUCKETS 3 PROPERTIES ('replication_num' = '1')");
      String original = showCreate(statement, "events");
      List<String> describe = describe(statement, "events");
      statement.execute("DROP TABLE events");
      statement.execute(original);
      assertThat(showCreate(statement, "events")).isEqualTo(original);
      assertThat(describe(statement, "events")).isEqualTo(describe);
      assertThat(original)
          .contains("AGGREGATE KEY(`day`, `id`)", "PARTITION BY RANGE(`day`)", "BUCKETS 3", "SUM");
    }
  }

  private static String showCreate(Statement statement, String table) throws SQLException {
    try (ResultSet rows = statement.executeQuery("SHOW CREATE TABLE " + table)) {
      assertThat(rows.next()).isTrue();
      return rows.getString(2);
    }
  }

  private static List<String> describe(Statement statement, String table) throws SQLException {
    List<String> rows = new java.util.ArrayList<>();
    try (ResultSet result = statement.executeQuery("DESC " + table)) {
      while (result.next()) {
        rows.add(
            result.getString(1)
                + " "
                + result.getString(2)
                + " "
                + result.getString(3)
                + " "
                + result.getString(4));
      }
    }
    return rows;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("drivers")
  void preparedQueriesDescribeTheirColumnsBeforeExecuting(DriverSetup setup) throws SQLException {
    String database = "prepare_" + setup.name();
    try (Connection connection = setup.connect("", TestServer.ROOT_USER, "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
      statement.execute(
          "CREATE TABLE "
              + database
              + ".t (k INT, name VARCHAR(10), price DECIMAL(8, 2)) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
      statement.execute("INSERT INTO " + database + ".t VALUES (1, 'one', 1.50)");
    }
    try (Connection connection = setup.connect(database, TestServer.ROOT_USER, "");
        java.sql.PreparedStatement prepared =
            connection.prepareStatement(
                "SELECT k, name, price * 2 AS doubled FROM t WHERE k = ? LIMIT ?")) {
      // LIMIT ? cannot be described with NULL parameters; preparing must still succeed.
      prepared.setInt(1, 1);
      prepared.setInt(2, 5);
      try (ResultSet rows = prepared.executeQuery()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString("name")).isEqualTo("one");
        assertThat(rows.getBigDecimal("doubled")).isEqualByComparingTo("3.00");
      }
    }
    try (Connection connection = setup.connect(database, TestServer.ROOT_USER, "");
        java.sql.PreparedStatement prepared =
            connection.prepareStatement("SELECT k, name, price FROM t WHERE k = ?")) {
      if (setup.properties().contains("useServerPrepStmts")) {
        java.sql.ResultSetMetaData metadata = prepared.getMetaData();
        assertThat(metadata.getColumnCount()).isEqualTo(3);
        assertThat(metadata.getColumnLabel(2)).isEqualTo("name");
        assertThat(metadata.getColumnType(3)).isEqualTo(java.sql.Types.DECIMAL);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("drivers")
  void aStarOverAJoinLabelsEachColumnWithItsOwnName(DriverSetup setup) throws SQLException {
    String database = "star_" + setup.name();
    try (Connection connection = setup.connect("", TestServer.ROOT_USER, "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
      for (String table : List.of("a", "b")) {
        statement.execute(
            "CREATE TABLE "
                + database
                + "."
                + table
                + " (id INT, name VARCHAR(10)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1");
        statement.execute("INSERT INTO " + database + "." + table + " VALUES (1, '" + table + "')");
      }
    }
    try (Connection connection = setup.connect(database, TestServer.ROOT_USER, "");
        Statement statement = connection.createStatement()) {
      // As MySQL and Doris: the repeated names stay as they are.
      assertThat(labels(statement, "SELECT * FROM a JOIN b ON a.id = b.id"))
          .containsExactly("id", "name", "id", "name");
      assertThat(labels(statement, "SELECT * FROM a JOIN b USING (id) ORDER BY 1"))
          .containsExactly("id", "name", "name");
      // Aliases written in the query are kept, even where they look like Calcite's.
      assertThat(labels(statement, "SELECT a.*, b.name AS name0 FROM a JOIN b USING (id)"))
          .containsExactly("id", "name", "name0");
      try (ResultSet rows = statement.executeQuery("SELECT * FROM a JOIN b ON a.id = b.id")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(2)).isEqualTo("a");
        assertThat(rows.getString(4)).isEqualTo("b");
      }
    }
  }

  private static List<String> labels(Statement statement, String query) throws SQLException {
    try (ResultSet rows = statement.executeQuery(query)) {
      java.sql.ResultSetMetaData metadata = rows.getMetaData();
      List<String> labels = new ArrayList<>();
      for (int i = 1; i <= metadata.getColumnCount(); i++) {
        labels.add(metadata.getColumnLabel(i));
      }
      return labels;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("drivers")
  void createdUserConnectsOnlyWithItsPassword(DriverSetup setup) throws SQLException {
    String user = "user_" + setup.name();
    try (Connection connection = setup.connect("", TestServer.ROOT_USER, "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE USER '" + user + "' IDENTIFIED BY 'secret-pw'");
    }
    try (Connection connection = setup.connect("", user, "secret-pw");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT 1 + 1")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getInt(1)).isEqualTo(2);
    }
    for (String wrongPassword : new String[] {"wrong-pw", ""}) {
      assertThatThrownBy(() -> setup.connect("", user, wrongPassword).close())
          .as("password '%s'", wrongPassword)
          .isInstanceOfSatisfying(
              SQLException.class,
              error -> {
                assertThat(error.getErrorCode()).isEqualTo(1045);
                assertThat(error.getMessage()).contains("Access denied for user '" + user + "'");
              });
    }
    try (Connection connection = setup.connect("", TestServer.ROOT_USER, "");
        Statement statement = connection.createStatement()) {
      statement.execute("ALTER USER '" + user + "'@'%' IDENTIFIED BY 'changed-pw'");
    }
    assertAccessDenied(setup, user, "secret-pw");
    try (Connection connection = setup.connect("", user, "changed-pw")) {
      assertThat(connection.isValid(5)).isTrue();
    }
    try (Connection connection = setup.connect("", TestServer.ROOT_USER, "");
        Statement statement = connection.createStatement()) {
      statement.execute("DROP USER '" + user + "'@'%'");
    }
    assertAccessDenied(setup, user, "changed-pw");
  }

  private static void assertAccessDenied(DriverSetup setup, String user, String password) {
    assertThatThrownBy(() -> setup.connect("", user, password).close())
        .isInstanceOfSatisfying(
            SQLException.class, error -> assertThat(error.getErrorCode()).isEqualTo(1045));
  }
}
