package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.server.testing.ExternalDependencies;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test: the same seeded data goes into Basalt and into the machine's MariaDB, and
 * queries whose meaning MySQL and Doris share (joins, subqueries, aggregates, windows, set
 * operations, common functions) must return the same rows from both. Skipped, with the reason,
 * where no MariaDB listens on 127.0.0.1:3306.
 *
 * <p>Besides 30 fixed queries, {@link #randomQueriesMatchMariadb} compares seeded random queries
 * from {@link RandomQueries} ({@value #RANDOM_QUERIES} by default; {@code -Doracle.queries=N} and
 * {@code -Doracle.seed=S} run more or others locally). MariaDB's tables use the {@code
 * utf8mb4_nopad_bin} collation, so strings compare as in Doris: byte by byte, trailing spaces
 * significant. Known intentional differences, which the generator avoids: integer division and
 * {@code /} print more digits in Basalt (DOUBLE, as Doris) and are compared to four decimals;
 * MariaDB's errors for out-of-range results, where Doris returns NULL; {@code CAST(x AS CHAR)} of
 * DOUBLE values (shortest round trip in Basalt).
 */
class MariadbOracleTest {
  private static final long SEED = 20261201L;
  static final int RANDOM_QUERIES = 100;
  static final int RANDOM_ROWS = 30;
  private static final String MARIADB_URL =
      "jdbc:mariadb://127.0.0.1:3306/?user=root&sslMode=disable&connectTimeout=3000";

  private static TestServer basalt;
  private static Connection basaltConnection;
  private static Connection oracle;
  private static String oracleDatabase;

  static List<String> queries() {
    return List.of(
        "SELECT grp, COUNT(*), SUM(amount), MIN(name), MAX(qty) FROM facts GROUP BY grp",
        "SELECT COUNT(DISTINCT name), SUM(qty), COUNT(qty), AVG(amount) FROM facts WHERE amount > 50",
        "SELECT grp, AVG(qty) FROM facts GROUP BY grp HAVING COUNT(*) > 10",
        "SELECT f.id, d.label FROM facts f JOIN dims d ON f.grp = d.grp WHERE f.qty > 5",
        "SELECT d.label, COUNT(f.id) FROM dims d LEFT JOIN facts f ON f.grp = d.grp GROUP BY d.label",
        "SELECT f.id, d.label FROM dims d RIGHT JOIN facts f ON f.grp = d.grp AND d.label <> 'b'",
        "SELECT id FROM facts WHERE grp IN (SELECT grp FROM dims WHERE label IN ('a', 'c'))",
        "SELECT id FROM facts f WHERE EXISTS (SELECT 1 FROM dims d WHERE d.grp = f.grp AND d.weight > f.qty)",
        "SELECT id FROM facts f WHERE NOT EXISTS (SELECT 1 FROM dims d WHERE d.grp = f.grp)",
        "SELECT COUNT(*) FROM facts WHERE qty NOT IN (SELECT weight FROM dims)",
        "SELECT id, (SELECT MAX(weight) FROM dims d WHERE d.grp = f.grp) FROM facts f",
        "SELECT id, qty FROM facts f WHERE qty > (SELECT AVG(qty) FROM facts g WHERE g.grp = f.grp)",
        "SELECT id, name FROM facts ORDER BY amount DESC, id LIMIT 7",
        "SELECT id FROM facts ORDER BY id LIMIT 5, 5",
        "SELECT id, ROW_NUMBER() OVER (PARTITION BY grp ORDER BY id) FROM facts",
        "SELECT id, SUM(qty) OVER (PARTITION BY grp ORDER BY id) FROM facts",
        "SELECT id, RANK() OVER (ORDER BY qty), DENSE_RANK() OVER (ORDER BY qty) FROM facts",
        "SELECT id, LAG(id) OVER (ORDER BY id), LEAD(qty, 2) OVER (PARTITION BY grp ORDER BY id) FROM facts",
        "SELECT grp FROM facts UNION SELECT grp FROM dims",
        "SELECT name FROM facts WHERE qty > 8 UNION ALL SELECT label FROM dims",
        "SELECT id, CASE WHEN qty IS NULL THEN 'none' WHEN qty > 5 THEN 'many' ELSE 'few' END FROM facts",
        "SELECT id, COALESCE(name, 'anon'), IFNULL(qty, -1), concat(name, '-', grp), upper(name), substring(name, 2, 2) FROM facts",
        "SELECT YEAR(day), MONTH(day), COUNT(*) FROM facts GROUP BY YEAR(day), MONTH(day)",
        "SELECT date_format(day, '%Y-%m-%d'), datediff(day, '2024-01-01'), date_add(day, INTERVAL 10 DAY) FROM facts WHERE id < 20",
        "WITH big AS (SELECT grp, SUM(amount) AS total FROM facts GROUP BY grp) SELECT b.grp, b.total, d.label FROM big b JOIN dims d ON b.grp = d.grp",
        "SELECT grp, name, COUNT(*) FROM facts GROUP BY grp, name",
        "SELECT a.id, b.id FROM facts a JOIN facts b ON a.qty = b.qty AND a.id < b.id AND a.grp = 1 AND b.grp = 2",
        "SELECT id, qty * 2 + 1, amount - qty, qty % 3, ABS(qty - 5), ROUND(amount, 1) FROM facts",
        "SELECT COUNT(*), SUM(CASE WHEN name LIKE 'b%' THEN 1 ELSE 0 END) FROM facts WHERE name IS NOT NULL",
        "SELECT DISTINCT grp, qty FROM facts WHERE qty BETWEEN 2 AND 4");
  }

  /**
   * A connection to the machine's MariaDB, in a new database named {@code prefix} and a random
   * suffix (returned in {@code database[0]}); skips the calling test class, with the reason, where
   * no MariaDB listens.
   */
  static Connection connectToNewDatabase(String prefix, String[] database) throws SQLException {
    Connection connection = null;
    try {
      connection = DriverManager.getConnection(MARIADB_URL);
    } catch (SQLException unavailable) {
      ExternalDependencies.require(
          false, "no MariaDB on 127.0.0.1:3306 to compare with: " + unavailable.getMessage());
    }
    database[0] = prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + database[0]);
      statement.execute("USE " + database[0]);
    }
    return connection;
  }

  @BeforeAll
  static void loadBoth() throws SQLException {
    String[] database = new String[1];
    oracle = connectToNewDatabase("basalt_oracle_", database);
    oracleDatabase = database[0];
    try (Statement statement = oracle.createStatement()) {
      statement.execute(
          "CREATE TABLE facts (id INT, grp INT, name VARCHAR(8), amount DECIMAL(10, 2), qty INT, day DATE)");
      statement.execute("CREATE TABLE dims (grp INT, label VARCHAR(8), weight INT)");
    }
    basalt = TestServer.start();
    basaltConnection =
        DriverManager.getConnection(basalt.mysqlUrl("", ""), TestServer.ROOT_USER, "");
    try (Statement statement = basaltConnection.createStatement()) {
      statement.execute("CREATE DATABASE oracle");
      statement.execute("USE oracle");
      statement.execute(
          "CREATE TABLE facts (id INT, grp INT, name VARCHAR(8), amount DECIMAL(10, 2), qty INT, day DATE)"
              + " DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 3");
      statement.execute(
          "CREATE TABLE dims (grp INT, label VARCHAR(8), weight INT) DUPLICATE KEY(grp) DISTRIBUTED BY HASH(grp) BUCKETS 1");
    }
    Random random = new Random(SEED);
    String[] names = {"ant", "bee", "bat", "cow", "dog", null};
    List<String> factRows = new ArrayList<>();
    for (int id = 1; id <= 300; id++) {
      String grp = random.nextInt(8) == 0 ? "NULL" : Integer.toString(random.nextInt(6));
      String name = names[random.nextInt(names.length)];
      String amount =
          random.nextInt(10) == 0
              ? "NULL"
              : BigDecimal.valueOf(random.nextInt(20000), 2).toPlainString();
      String qty = random.nextInt(9) == 0 ? "NULL" : Integer.toString(random.nextInt(11));
      String day =
          String.format("'2024-%02d-%02d'", 1 + random.nextInt(12), 1 + random.nextInt(28));
      factRows.add(
          "("
              + id
              + ", "
              + grp
              + ", "
              + (name == null ? "NULL" : "'" + name + "'")
              + ", "
              + amount
              + ", "
              + qty
              + ", "
              + day
              + ")");
    }
    // Three loads, so that Basalt reads several rowsets per tablet.
    for (int part = 0; part < 3; part++) {
      String values = String.join(", ", factRows.subList(part * 100, (part + 1) * 100));
      executeBoth("INSERT INTO facts VALUES " + values);
    }
    executeBoth(
        "INSERT INTO dims VALUES (0, 'a', 3), (1, 'b', 7), (2, 'c', 5), (3, 'a', 9), (9, 'z', NULL)");
    RandomQueries randomTables = new RandomQueries(randomSeed());
    for (String table : RandomQueries.TABLES) {
      try (Statement statement = oracle.createStatement()) {
        statement.execute(
            "CREATE TABLE "
                + table
                + " ("
                + RandomQueries.COLUMNS
                + ") DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_nopad_bin");
      }
      try (Statement statement = basaltConnection.createStatement()) {
        statement.execute(
            "CREATE TABLE "
                + table
                + " ("
                + RandomQueries.COLUMNS
                + ") DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2");
      }
      // Two loads, so that Basalt reads several rowsets.
      executeBoth(randomTables.insert(table, 1, RANDOM_ROWS / 2));
      executeBoth(randomTables.insert(table, 1 + RANDOM_ROWS / 2, RANDOM_ROWS / 2));
    }
    // Statistics, so that Basalt's answers come from cost-ordered joins with the smaller input
    // on the build side (docs/statistics.md).
    try (Statement statement = basaltConnection.createStatement()) {
      statement.execute("ANALYZE TABLE facts");
      statement.execute("ANALYZE TABLE dims");
      for (String table : RandomQueries.TABLES) {
        statement.execute("ANALYZE TABLE " + table);
      }
    }
  }

  static long randomSeed() {
    return Long.getLong("oracle.seed", SEED);
  }

  static int randomQueryCount() {
    return Integer.getInteger("oracle.queries", RANDOM_QUERIES);
  }

  private static void executeBoth(String sql) throws SQLException {
    try (Statement statement = oracle.createStatement()) {
      statement.execute(sql);
    }
    try (Statement statement = basaltConnection.createStatement()) {
      statement.execute(sql);
    }
  }

  @AfterAll
  static void dropBoth() throws SQLException {
    if (oracle != null) {
      try (Statement statement = oracle.createStatement()) {
        statement.execute("DROP DATABASE IF EXISTS " + oracleDatabase);
      }
      oracle.close();
    }
    if (basaltConnection != null) {
      basaltConnection.close();
    }
    if (basalt != null) {
      basalt.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void sameRowsAsMariadb(String sql) throws SQLException {
    List<String> expected = rows(oracle, sql);
    assertThat(expected).as("the oracle's answer to %s", sql).isNotEmpty();
    List<String> actual = rows(basaltConnection, sql);
    assertThat(actual).as("Basalt vs MariaDB for %s (seed %d)", sql, SEED).isEqualTo(expected);
  }

  @Test
  void randomQueriesMatchMariadb() throws SQLException {
    long seed = randomSeed() + 1;
    RandomQueries random = new RandomQueries(seed);
    List<String> mismatches = new ArrayList<>();
    int compared = 0;
    for (int i = 0; i < randomQueryCount(); i++) {
      String sql = random.query();
      List<String> expected;
      try {
        expected = rows(oracle, sql);
      } catch (SQLException refusedByMariadb) {
        continue;
      }
      compared++;
      try {
        List<String> actual = rows(basaltConnection, sql);
        if (!sameRows(expected, actual)) {
          mismatches.add(sql + "\n  MariaDB: " + expected + "\n  Basalt:  " + actual);
        }
      } catch (SQLException e) {
        mismatches.add(sql + "\n  MariaDB: " + expected + "\n  Basalt error: " + e.getMessage());
      }
    }
    assertThat(compared).as("queries MariaDB answered").isGreaterThan(randomQueryCount() / 2);
    assertThat(mismatches)
        .as("random queries where Basalt and MariaDB differ (seed %d)", seed)
        .isEmpty();
  }

  /**
   * Whether two sorted row lists hold the same rows, numbers equal to a relative 0.001: decimal
   * division keeps four more digits in both, but MariaDB carries more digits in intermediate
   * results than their declared scale and Basalt does not.
   */
  private static boolean sameRows(List<String> expected, List<String> actual) {
    if (expected.equals(actual)) {
      return true;
    }
    if (expected.size() != actual.size()) {
      return false;
    }
    for (int row = 0; row < expected.size(); row++) {
      String[] expectedValues = expected.get(row).split("\\|", -1);
      String[] actualValues = actual.get(row).split("\\|", -1);
      if (expectedValues.length != actualValues.length) {
        return false;
      }
      for (int column = 0; column < expectedValues.length; column++) {
        if (!closeEnough(expectedValues[column], actualValues[column])) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean closeEnough(String expected, String actual) {
    if (expected.equals(actual)) {
      return true;
    }
    try {
      BigDecimal expectedNumber = new BigDecimal(expected);
      double difference = expectedNumber.subtract(new BigDecimal(actual)).abs().doubleValue();
      return difference <= 1e-3 * Math.max(1, expectedNumber.abs().doubleValue());
    } catch (NumberFormatException notNumbers) {
      return false;
    }
  }

  /** The rows as normalized text, sorted: numbers compared to four decimals, NULL as NULL. */
  static List<String> rows(Connection connection, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int column = 1; column <= columns; column++) {
          row.append(column == 1 ? "" : "|").append(normalize(result.getString(column)));
        }
        rows.add(row.toString());
      }
    }
    rows.sort(null);
    return rows;
  }

  private static String normalize(String value) {
    if (value == null) {
      return "NULL";
    }
    if (value.matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) {
      BigDecimal number =
          new BigDecimal(value).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros();
      return number.signum() == 0 ? "0" : number.toPlainString();
    }
    // Dates and datetimes print the same in both; a datetime at midnight may be a date in one.
    return value.endsWith(" 00:00:00") ? value.substring(0, value.length() - 9) : value;
  }
}
