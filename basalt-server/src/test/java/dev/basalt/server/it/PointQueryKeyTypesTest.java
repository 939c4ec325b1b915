package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The short circuit (docs/architecture.md, "Plan cache") on every type a UNIQUE KEY column may
 * have, and on a key of three columns, both as a server-prepared statement and as a text statement
 * (its literal template): after every round of seeded random upserts, deletes and compactions, each
 * lookup answers as a fresh plan of the same text does (a unique comment keeps that one out of the
 * template and the plan cache, so it plans and scans). Values the short circuit leaves to the
 * general path (NULL, out of range, text for a number, another form of a date, more digits than a
 * DECIMAL keeps, a CHAR longer than its column) answer the same too, and EXPLAIN shows which
 * lookups take the short circuit. Cached lookups also follow MODIFY COLUMN, RENAME COLUMN and a
 * table RENAME.
 */
class PointQueryKeyTypesTest {
  private static final long SEED = 18_2026L;

  /**
   * A key column type, the literals of the keys written (SQL text), and further lookups: keys never
   * written and values the short circuit must leave to the general path.
   */
  private record KeyType(String type, List<String> written, List<String> probes) {}

  private static final List<KeyType> TYPES =
      List.of(
          new KeyType("TINYINT", List.of("-128", "0", "1", "127"), List.of("2", "300", "'1'")),
          new KeyType("SMALLINT", List.of("-32768", "7", "32767"), List.of("70000", "'7'")),
          new KeyType(
              "INT", List.of("-2147483648", "5", "2147483647"), List.of("4294967296", "'5'")),
          new KeyType(
              "BIGINT",
              List.of("-9223372036854775808", "5", "9223372036854775807"),
              List.of("9223372036854775808", "'5'", "5.0")),
          new KeyType(
              "LARGEINT",
              List.of(
                  "-170141183460469231731687303715884105728",
                  "7",
                  "9223372036854775808",
                  "170141183460469231731687303715884105727"),
              List.of("170141183460469231731687303715884105728", "7.0", "'7'")),
          new KeyType("BOOLEAN", List.of("0", "1"), List.of("2", "'1'")),
          new KeyType(
              "CHAR(4)",
              List.of("'ab'", "'ab  '", "'abcd'", "''"),
              List.of("'ab '", "'abcde'", "'a'")),
          new KeyType("VARCHAR(8)", List.of("'ab'", "'ab '", "''", "'ünï ✓'"), List.of("'AB'")),
          new KeyType(
              "DATE",
              List.of("'2024-02-29'", "'1970-01-01'"),
              List.of("'2024-2-29'", "'2024-03-01'")),
          new KeyType(
              "DATETIME(3)",
              List.of("'2024-02-29 23:59:59.123'", "'2024-02-29 00:00:00'"),
              List.of("'2024-02-29'", "'2024-02-29 23:59:59.1234'")),
          new KeyType(
              "DECIMAL(10,2)", List.of("12345.67", "-0.01", "3"), List.of("3.00", "3.001", "'3'")));

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
  void everyKeyTypeAnswersAsAFreshPlanThroughUpsertsDeletesAndCompaction() throws SQLException {
    Random random = new Random(SEED);
    for (int t = 0; t < TYPES.size(); t++) {
      KeyType type = TYPES.get(t);
      String table = "k" + t;
      execute(
          "CREATE TABLE "
              + table
              + " (k "
              + type.type()
              + ", v STRING) UNIQUE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2"
              + (t % 2 == 0 ? "" : " PROPERTIES (\"store_row_column\" = \"true\")"));
      for (int round = 0; round < 4; round++) {
        List<String> keys = new ArrayList<>(type.written());
        Collections.shuffle(keys, random);
        StringBuilder insert = new StringBuilder("INSERT INTO " + table + " VALUES ");
        for (int i = 0; i < keys.size() - 1; i++) {
          insert.append(i == 0 ? "" : ", ").append("(" + keys.get(i) + ", 'r" + round + "')");
        }
        execute(insert.toString());
        execute("DELETE FROM " + table + " WHERE k = " + keys.get(random.nextInt(keys.size())));
        if (round % 2 == 1) {
          execute("ADMIN COMPACT TABLE " + table);
        }
        List<String> lookups = new ArrayList<>(type.written());
        lookups.addAll(type.probes());
        for (String literal : lookups) {
          String sql = "SELECT k, v FROM " + table + " WHERE k = " + literal;
          String label = "seed " + SEED + ", round " + round + ": " + sql;
          List<String> expected = sorted(freshRows(sql));
          assertThat(sorted(rows(sql))).as(label).isEqualTo(expected);
          assertThat(sorted(preparedRows("SELECT k, v FROM " + table + " WHERE k = ?", literal)))
              .as("prepared " + label)
              .isEqualTo(expected);
        }
        assertThat(sorted(preparedRows("SELECT k, v FROM " + table + " WHERE k = ?", "NULL")))
            .as(table + " = NULL")
            .isEmpty();
      }
      // Every written key's lookup takes the short circuit as text (a negative number is a minus
      // and a literal: the general path); the values it leaves alone do not.
      for (String literal : type.written()) {
        boolean shortCircuit = !literal.startsWith("-");
        assertThat(explain("SELECT v FROM " + table + " WHERE k = " + literal))
            .as(type.type() + " " + literal)
            .filteredOn(line -> line.startsWith("SHORT-CIRCUIT"))
            .hasSize(shortCircuit ? 1 : 0);
      }
      for (String literal : type.probes()) {
        boolean numeric = !type.type().contains("CHAR") && !type.type().startsWith("DATE");
        if (literal.startsWith("'") && numeric) {
          assertThat(explain("SELECT v FROM " + table + " WHERE k = " + literal))
              .as(type.type() + " " + literal)
              .noneMatch(line -> line.startsWith("SHORT-CIRCUIT"));
        }
      }
    }
  }

  /**
   * CHAR compares with trailing spaces ignored: {@code 'ab'}, {@code 'ab '} and {@code 'ab '} each
   * find both stored keys {@code 'ab'} and {@code 'ab '}, through the short circuit too.
   */
  @Test
  void charKeysMatchEveryPadding() throws SQLException {
    execute(
        "CREATE TABLE c (k CHAR(4), v STRING) UNIQUE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 3",
        "INSERT INTO c VALUES ('ab', 'bare'), ('ab  ', 'padded'), ('abc', 'other')");
    for (String literal : List.of("'ab'", "'ab '", "'ab   '")) {
      String sql = "SELECT v FROM c WHERE k = " + literal;
      assertThat(sorted(freshRows(sql))).as(sql).containsExactly("bare", "padded");
      assertThat(sorted(rows(sql))).as(sql).containsExactly("bare", "padded");
      assertThat(sorted(preparedRows("SELECT v FROM c WHERE k = ?", literal)))
          .as(sql)
          .containsExactly("bare", "padded");
    }
    assertThat(explain("SELECT v FROM c WHERE k = 'ab '"))
        .contains("SHORT-CIRCUIT: primary-key lookup on c");
  }

  /** A key of three columns (INT, CHAR, DATE), written, deleted and compacted in random rounds. */
  @Test
  void multiColumnKeysAnswerAsAFreshPlan() throws SQLException {
    Random random = new Random(SEED);
    execute(
        "CREATE TABLE m (a INT, b CHAR(3), c DATE, v STRING) UNIQUE KEY(a, b, c)"
            + " DISTRIBUTED BY HASH(a, b) BUCKETS 4");
    String[] as = {"1", "2"};
    String[] bs = {"'x'", "'x '", "'yz'"};
    String[] cs = {"'2024-01-01'", "'2024-12-31'"};
    for (int round = 0; round < 4; round++) {
      StringBuilder insert = new StringBuilder("INSERT INTO m VALUES ");
      for (int i = 0; i < 6; i++) {
        insert
            .append(i == 0 ? "" : ", ")
            .append("(" + pick(random, as) + ", " + pick(random, bs) + ", " + pick(random, cs))
            .append(", 'r" + round + "i" + i + "')");
      }
      execute(insert.toString());
      execute(
          "DELETE FROM m WHERE a = "
              + pick(random, as)
              + " AND b = "
              + pick(random, bs)
              + " AND c = "
              + pick(random, cs));
      if (round % 2 == 1) {
        execute("ADMIN COMPACT TABLE m");
      }
      for (String a : List.of("1", "2", "3", "'1'")) {
        for (String b : bs) {
          for (String c : cs) {
            String sql =
                "SELECT a, b, c, v FROM m WHERE c = " + c + " AND a = " + a + " AND b = " + b;
            String label = "seed " + SEED + ", round " + round + ": " + sql;
            List<String> expected = sorted(freshRows(sql));
            assertThat(sorted(rows(sql))).as(label).isEqualTo(expected);
            assertThat(
                    sorted(
                        preparedRows(
                            "SELECT a, b, c, v FROM m WHERE c = ? AND a = ? AND b = ?", c, a, b)))
                .as("prepared " + label)
                .isEqualTo(expected);
          }
        }
      }
    }
    assertThat(explain("SELECT v FROM m WHERE c = '2024-01-01' AND a = 1 AND b = 'x'"))
        .contains("SHORT-CIRCUIT: primary-key lookup on m");
  }

  /**
   * Cached lookups (prepared and text, both short-circuited) answer as fresh plans after MODIFY
   * COLUMN, RENAME COLUMN and a table RENAME followed by a CREATE of the old name.
   */
  @Test
  void cachedLookupsFollowModifyRenameAndRecreate() throws SQLException {
    execute(
        "CREATE TABLE r (k INT, v VARCHAR(10), n INT) UNIQUE KEY(k) DISTRIBUTED BY HASH(k)"
            + " BUCKETS 2",
        "INSERT INTO r VALUES (1, 'one', 10), (2, 'two', 20)");
    String all = "SELECT * FROM r WHERE k = ";
    assertThat(sameAsFresh(all, "1")).containsExactly("1|one|10");
    execute(
        "ALTER TABLE r MODIFY COLUMN v VARCHAR(20)",
        "INSERT INTO r VALUES (2, 'a longer value', 30)");
    assertThat(sameAsFresh(all, "1")).containsExactly("1|one|10");
    assertThat(sameAsFresh(all, "2")).containsExactly("2|a longer value|30");
    execute("ALTER TABLE r RENAME COLUMN v w");
    assertThat(sameAsFresh("SELECT w, k FROM r WHERE k = ", "2"))
        .containsExactly("a longer value|2");
    assertThat(sameAsFresh(all, "2")).containsExactly("2|a longer value|30");
    assertThat(explain(all + "2")).contains("SHORT-CIRCUIT: primary-key lookup on r");
    execute(
        "ALTER TABLE r RENAME r_old",
        "CREATE TABLE r (k INT, other STRING) UNIQUE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1",
        "INSERT INTO r VALUES (2, 'recreated')");
    assertThat(sameAsFresh(all, "2")).containsExactly("2|recreated");
    assertThat(sameAsFresh(all, "1")).isEmpty();
    assertThat(sameAsFresh("SELECT * FROM r_old WHERE k = ", "1")).containsExactly("1|one|10");
  }

  /**
   * The rows of {@code prefix + literal} as text and prepared (twice each, the second from the
   * cache), asserted equal to a fresh plan's; returns them.
   */
  private List<String> sameAsFresh(String prefix, String literal) throws SQLException {
    List<String> expected = sorted(freshRows(prefix + literal));
    for (int run = 0; run < 2; run++) {
      assertThat(sorted(rows(prefix + literal))).as(prefix + literal).isEqualTo(expected);
      assertThat(sorted(preparedRows(prefix + "?", literal)))
          .as("prepared " + prefix + literal)
          .isEqualTo(expected);
    }
    return expected;
  }

  private static String pick(Random random, String[] choices) {
    return choices[random.nextInt(choices.length)];
  }

  /**
   * The JDBC value of a literal as an application binds it: text as a string, an integer as a long
   * (a BigDecimal past a long's range), a number with a point as a BigDecimal, NULL as null.
   */
  private static Object parameter(String literal) {
    if (literal.equals("NULL")) {
      return null;
    }
    if (literal.startsWith("'")) {
      return literal.substring(1, literal.length() - 1);
    }
    BigDecimal number = new BigDecimal(literal);
    if (literal.contains(".")) {
      return number;
    }
    try {
      return number.longValueExact();
    } catch (ArithmeticException tooBig) {
      return number;
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

  private List<String> preparedRows(String sql, String... literals) throws SQLException {
    try (PreparedStatement statement = prepared.prepareStatement(sql)) {
      for (int i = 0; i < literals.length; i++) {
        statement.setObject(i + 1, parameter(literals[i]));
      }
      try (ResultSet resultSet = statement.executeQuery()) {
        return collect(resultSet);
      }
    }
  }

  private static List<String> sorted(List<String> rows) {
    List<String> copy = new ArrayList<>(rows);
    Collections.sort(copy);
    return copy;
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
