package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Text statements that differ only in literals share one cached plan (their literal template,
 * docs/architecture.md "Plan cache"), and a text {@code SELECT ... WHERE <every key> = <literal>}
 * on a merge-on-write UNIQUE KEY table takes the short circuit as a prepared one does, also on
 * DATE, DATETIME, DECIMAL and VARCHAR keys. Every answer is compared with a fresh plan of the same
 * text (a unique comment keeps the statement out of the template and out of the text cache), after
 * new data, deletes, ADD/DROP COLUMN and DROP/CREATE; EXPLAIN shows which statements take the short
 * circuit.
 */
class TextPointQueryTest {
  private TestServer server;
  private Connection text;
  private Connection prepared;
  private int fresh;

  @BeforeEach
  void start() throws SQLException {
    server = TestServer.start();
    try (Connection root = DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
        Statement statement = root.createStatement()) {
      statement.execute("CREATE DATABASE serving");
    }
    text = DriverManager.getConnection(server.mysqlUrl("serving", ""), "root", "");
    prepared =
        DriverManager.getConnection(
            server.mysqlUrl("serving", "useServerPrepStmts=true"), "root", "");
  }

  @AfterEach
  void stop() throws SQLException {
    text.close();
    prepared.close();
    server.close();
  }

  @Test
  void cachedTextPlansAnswerLikeFreshOnesAfterDdlAndNewData() throws SQLException {
    execute(
        "CREATE TABLE t (id INT, region VARCHAR(16), amount DECIMAL(10,2), note STRING)"
            + " UNIQUE KEY(id, region) DISTRIBUTED BY HASH(id, region) BUCKETS 2",
        "INSERT INTO t VALUES (1, 'eu', 1.25, 'one'), (2, 'eu', 2.50, 'two'), (3, 'us', 3.75,"
            + " 'three'), (4, 'eu', NULL, 'it''s')");
    checkAgainstFreshPlans("initial data", true);
    execute("INSERT INTO t VALUES (5, 'us', 5.00, 'five'), (2, 'eu', 20.00, 'two again')");
    checkAgainstFreshPlans("new data and an upsert", true);
    execute("DELETE FROM t WHERE id = 1");
    checkAgainstFreshPlans("DELETE", true);
    execute("ALTER TABLE t ADD COLUMN stock INT DEFAULT '9'");
    checkAgainstFreshPlans("ADD COLUMN", true);
    assertThat(rows("SELECT * FROM t WHERE id = 3 AND region = 'us'"))
        .containsExactly("3|us|3.75|three|9");
    execute("ALTER TABLE t DROP COLUMN note");
    assertThat(rows("SELECT * FROM t WHERE id = 3 AND region = 'us'"))
        .containsExactly("3|us|3.75|9");
    execute(
        "DROP TABLE t",
        "CREATE TABLE t (id INT, region VARCHAR(16), amount DECIMAL(10,2), note STRING)"
            + " DUPLICATE KEY(id, region) DISTRIBUTED BY HASH(id) BUCKETS 2",
        "INSERT INTO t VALUES (2, 'eu', 1, 'a'), (2, 'eu', 2, 'b')");
    checkAgainstFreshPlans("DROP and CREATE as a duplicate table", false);
    assertThat(rows("SELECT note FROM t WHERE id = 2 AND region = 'eu' ORDER BY note"))
        .containsExactly("a", "b");
  }

  /**
   * Statements of several shapes, each with several literal sets, run twice, against fresh plans;
   * the point lookup takes the short circuit exactly when the table is a unique one.
   */
  private void checkAgainstFreshPlans(String after, boolean uniqueTable) throws SQLException {
    String[] statements = {
      "SELECT note, amount FROM t WHERE id = %d AND region = '%s'",
      "SELECT * FROM t WHERE region = '%2$s' AND id = %1$d",
      "SELECT id, note FROM t WHERE id >= %d AND region <> '%s' ORDER BY id",
      "SELECT count(*), sum(amount) FROM t WHERE id < %d OR region = '%s'",
    };
    Object[][] literals = {
      {1, "eu"}, {2, "eu"}, {3, "us"}, {4, "eu"}, {5, "us"}, {9, "xx"}, {2, "it's"}
    };
    for (String statement : statements) {
      for (int run = 0; run < 2; run++) {
        for (Object[] values : literals) {
          String sql = statement.formatted(values[0], values[1].toString().replace("'", "''"));
          assertThat(rows(sql)).as("%s: %s", after, sql).isEqualTo(freshRows(sql));
        }
      }
    }
    assertThat(explain("SELECT note FROM t WHERE id = 1 AND region = 'eu'"))
        .as(after)
        .filteredOn(line -> line.startsWith("SHORT-CIRCUIT"))
        .hasSize(uniqueTable ? 1 : 0);
    assertThat(explain("SELECT note FROM t WHERE id = 1"))
        .noneMatch(line -> line.startsWith("SHORT-CIRCUIT"));
  }

  @Test
  void dateDatetimeDecimalAndVarcharKeysTakeTheShortCircuit() throws SQLException {
    execute(
        "CREATE TABLE by_date (k DATE, v STRING) UNIQUE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2",
        "CREATE TABLE by_datetime (k DATETIME(3), v STRING) UNIQUE KEY(k)"
            + " DISTRIBUTED BY HASH(k) BUCKETS 2",
        "CREATE TABLE by_decimal (k DECIMAL(10,2), v STRING) UNIQUE KEY(k)"
            + " DISTRIBUTED BY HASH(k) BUCKETS 2",
        "CREATE TABLE by_varchar (k VARCHAR(20), v STRING) UNIQUE KEY(k)"
            + " DISTRIBUTED BY HASH(k) BUCKETS 2 PROPERTIES (\"store_row_column\" = \"true\")",
        "INSERT INTO by_date VALUES ('2024-02-29', 'leap'), ('1970-01-01', 'epoch')",
        "INSERT INTO by_datetime VALUES ('2024-02-29 23:59:59.123', 'late'),"
            + " ('2024-02-29 00:00:00', 'midnight')",
        "INSERT INTO by_decimal VALUES (12345.67, 'big'), (-0.01, 'small'), (3, 'three')",
        "INSERT INTO by_varchar VALUES ('alpha', 'a'), ('', 'empty'), ('ünï ✓', 'unicode')");
    Object[][] cases = {
      {"by_date", "'2024-02-29'", "leap"},
      {"by_date", "'1970-01-01'", "epoch"},
      {"by_date", "'2024-03-01'", null},
      {"by_datetime", "'2024-02-29 23:59:59.123'", "late"},
      {"by_datetime", "'2024-02-29 00:00:00'", "midnight"},
      {"by_datetime", "'2024-02-29 23:59:59.124'", null},
      {"by_decimal", "12345.67", "big"},
      {"by_decimal", "-0.01", "small"},
      {"by_decimal", "3", "three"},
      {"by_decimal", "3.00", "three"},
      {"by_decimal", "3.001", null},
      {"by_varchar", "'alpha'", "a"},
      {"by_varchar", "''", "empty"},
      {"by_varchar", "'ünï ✓'", "unicode"},
      {"by_varchar", "'alph'", null},
    };
    for (Object[] lookup : cases) {
      String sql = "SELECT v FROM " + lookup[0] + " WHERE k = " + lookup[1];
      List<String> expected = lookup[2] == null ? List.of() : List.of((String) lookup[2]);
      assertThat(freshRows(sql)).as(sql).isEqualTo(expected);
      assertThat(rows(sql)).as(sql).isEqualTo(expected);
      assertThat(rows(sql)).as(sql).isEqualTo(expected);
      // A negative number is a minus and a literal (not a placeholder's value), and 3.001 does not
      // fit a DECIMAL(10,2) key: both take the general path.
      boolean shortCircuit = !lookup[1].toString().startsWith("-") && !lookup[1].equals("3.001");
      assertThat(explain(sql))
          .as(sql)
          .filteredOn(line -> line.startsWith("SHORT-CIRCUIT"))
          .hasSize(shortCircuit ? 1 : 0);
      String placeholder = "SELECT v FROM " + lookup[0] + " WHERE k = ?";
      String literal = lookup[1].toString();
      Object value =
          literal.startsWith("'")
              ? literal.substring(1, literal.length() - 1)
              : new java.math.BigDecimal(literal);
      assertThat(preparedRows(placeholder, value))
          .as(placeholder + " " + value)
          .isEqualTo(expected);
    }
    assertThat(explain("SELECT v FROM by_varchar WHERE k = 'alpha'"))
        .anyMatch(
            line -> line.equals("SHORT-CIRCUIT: primary-key lookup on by_varchar, row store"));
    assertThat(explain("SELECT v FROM by_date WHERE k = '2024-02-29'"))
        .anyMatch(line -> line.equals("SHORT-CIRCUIT: primary-key lookup on by_date"));
    // Values in another form than the canonical one answer through the general path, the same.
    assertThat(rows("SELECT v FROM by_datetime WHERE k = '2024-02-29'"))
        .containsExactly("midnight");
    assertThat(explain("SELECT v FROM by_datetime WHERE k = '2024-02-29'"))
        .noneMatch(line -> line.startsWith("SHORT-CIRCUIT"));
    assertThat(rows("SELECT v FROM by_decimal WHERE k = 12345.670")).containsExactly("big");
    // A DATE bound by the driver as a date (not text) takes the prepared short circuit too.
    assertThat(preparedRows("SELECT v FROM by_date WHERE k = ?", LocalDate.of(2024, 2, 29)))
        .containsExactly("leap");
    assertThat(
            preparedRows("SELECT v FROM by_date WHERE k = ?", java.sql.Date.valueOf("1970-01-01")))
        .containsExactly("epoch");
  }

  /** A bound string compares byte by byte with a VARCHAR column, trailing spaces included. */
  @Test
  void boundStringsKeepTrailingSpacesSignificant() throws SQLException {
    execute(
        "CREATE TABLE s (k INT, c VARCHAR(8)) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1",
        "INSERT INTO s VALUES (1, 'a'), (2, 'a '), (3, 'b')");
    for (int run = 0; run < 2; run++) {
      assertThat(rows("SELECT k FROM s WHERE c <> 'a' ORDER BY k")).containsExactly("2", "3");
      assertThat(rows("SELECT k FROM s WHERE c = 'a ' ORDER BY k")).containsExactly("2");
      assertThat(preparedRows("SELECT k FROM s WHERE c <> ? ORDER BY k", "a"))
          .containsExactly("2", "3");
      assertThat(preparedRows("SELECT k FROM s WHERE c = ? ORDER BY k", "a")).containsExactly("1");
    }
  }

  private List<String> explain(String sql) throws SQLException {
    return rows("EXPLAIN " + sql);
  }

  /** The rows of {@code sql} planned afresh: a unique comment makes it a text never seen before. */
  private List<String> freshRows(String sql) throws SQLException {
    return rows("/* fresh " + fresh++ + " */ " + sql);
  }

  private List<String> rows(String sql) throws SQLException {
    try (Statement statement = text.createStatement();
        ResultSet resultSet = statement.executeQuery(sql)) {
      return collect(resultSet);
    }
  }

  private List<String> preparedRows(String sql, Object value) throws SQLException {
    try (PreparedStatement statement = prepared.prepareStatement(sql)) {
      statement.setObject(1, value);
      try (ResultSet resultSet = statement.executeQuery()) {
        return collect(resultSet);
      }
    }
  }

  private static List<String> collect(ResultSet resultSet) throws SQLException {
    List<String> rows = new ArrayList<>();
    int width = resultSet.getMetaData().getColumnCount();
    while (resultSet.next()) {
      StringBuilder row = new StringBuilder();
      for (int column = 1; column <= width; column++) {
        row.append(column == 1 ? "" : "|").append(resultSet.getString(column));
      }
      rows.add(row.toString());
    }
    return rows;
  }

  private void execute(String... statements) throws SQLException {
    try (Statement statement = text.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
