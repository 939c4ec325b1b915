package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The literal fast path of {@code INSERT ... VALUES} (server.engine.LiteralRows) against the
 * general, planned path, over the MySQL protocol: seeded random statements of literal rows for a
 * column of every type — fitting and ill-fitting numbers, quoted numbers, exponents, strings with
 * escapes and non-ASCII text, dates in several shapes, NULL, TRUE, FALSE — are sent twice, once as
 * they are into table {@code fast} and once into table {@code planned} with each row's key wrapped
 * in parentheses (not a plain literal, so the statement takes the planner). Both must give the same
 * outcome: the same error code and message, or the same warnings and, in the end, the same stored
 * rows. With strict inserts on and off.
 */
class LiteralRowsDifferentialTest {
  private static final long SEED = 20261207L;
  private static final int STATEMENTS = 150;

  private static final String COLUMNS =
      " (id BIGINT NOT NULL, tiny TINYINT, small SMALLINT, i INT, big BIGINT, huge LARGEINT,"
          + " price DECIMAL(8, 2), wide DECIMAL(30, 6), ratio DOUBLE, f FLOAT, flag BOOLEAN,"
          + " code CHAR(3), note VARCHAR(6), body STRING, day DATE, at DATETIME)"
          + " DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 2";

  /** One generator of literal texts per value column, in the table's order. */
  private static final List<Function<Random, String>> VALUES =
      List.of(
          random -> integer(random, 130),
          random -> integer(random, 33_000),
          random -> integer(random, 2_200_000_000L),
          random ->
              pick(
                  random,
                  "9223372036854775807",
                  "-9223372036854775808",
                  "9223372036854775808",
                  Long.toString(random.nextLong()),
                  "'12'",
                  "1e3",
                  "2.5"),
          random ->
              pick(
                  random,
                  "170141183460469231731687303715884105727",
                  "-170141183460469231731687303715884105728",
                  "170141183460469231731687303715884105728",
                  Long.toString(random.nextLong()),
                  "'99'",
                  "1.5"),
          random -> decimal(random),
          random ->
              pick(
                  random,
                  decimal(random),
                  "123456789012345678901234.1234567",
                  "-0.0000005",
                  "'7.25'",
                  "1e20",
                  "99999999999999999999999999.999999"),
          random -> pick(random, "1.5e3", "-2", "0.1", "'3.25'", "1e308", "'x'", decimal(random)),
          random -> pick(random, "3.4e39", "0.25", "-1", "'1e2'", decimal(random)),
          random -> pick(random, "TRUE", "false", "1", "0", "2", "'1'", "'true'", "-1"),
          random -> pick(random, string(random), "'abcd'", "''", "12", "1.50"),
          random -> pick(random, string(random), "'abcdefg'", "'ééééééé'", "123456", "1234567"),
          random -> pick(random, string(random), "\"dq \\\"x\\\"\"", "'\\\\N'", "12.50", "-3"),
          random ->
              pick(
                  random,
                  "'2024-02-29'",
                  "'2023-02-29'",
                  "'20240101'",
                  "20240315",
                  "'2024-3-5'",
                  "'2024-01-02 03:04:05'",
                  "'x'",
                  "'0000-00-00'",
                  "'9999-12-31'",
                  "1"),
          random ->
              pick(
                  random,
                  "'2024-01-02 03:04:05'",
                  "'2024-01-02'",
                  "20240315120000",
                  "'2024-03-05 06:07:08.9'",
                  "'2024-02-28T01:02:03'",
                  "'2024-13-01 00:00:00'",
                  "'2024-01-01 24:00:00'",
                  "'y'"));

  @Test
  void literalRowsGiveWhatThePlannerGives() throws Exception {
    Random random = new Random(SEED);
    try (TestServer server = TestServer.start();
        Connection connection = DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE differential");
      statement.execute("USE differential");
      statement.execute("CREATE TABLE fast" + COLUMNS);
      statement.execute("CREATE TABLE planned" + COLUMNS);
      long nextId = 0;
      int failed = 0;
      for (int s = 0; s < STATEMENTS; s++) {
        boolean strict = s % 3 != 2;
        statement.execute("SET enable_insert_strict = " + strict);
        int rows = 1 + random.nextInt(4);
        List<String[]> values = new ArrayList<>();
        String[] families = new String[VALUES.size()];
        for (int r = 0; r < rows; r++) {
          String[] row = new String[VALUES.size() + 1];
          row[0] = Long.toString(nextId++);
          for (int c = 0; c < VALUES.size(); c++) {
            row[c + 1] = "NULL";
            if (random.nextInt(8) != 0) {
              // The planner types a VALUES column once for all rows and refuses strings beside
              // numbers (MySQL converts each value alone): one kind of literal per column here.
              for (int attempt = 0; attempt < 20; attempt++) {
                String value = VALUES.get(c).apply(random);
                if (families[c] == null || families[c].equals(family(value))) {
                  families[c] = family(value);
                  row[c + 1] = value;
                  break;
                }
              }
            }
          }
          values.add(row);
        }
        String fast = insert("fast", values, false);
        String planned = insert("planned", values, true);
        String context = "seed " + SEED + ", statement " + s + " (strict " + strict + "): " + fast;
        String fastOutcome = outcome(statement, fast);
        String plannedOutcome = outcome(statement, planned);
        if (fastOutcome.startsWith("error") && plannedOutcome.startsWith("error")) {
          // With several bad values each path may name another one: the fast path converts row by
          // row (the first bad value in row order, as MySQL names it) and checks lengths and NOT
          // NULL after each batch, the planned path converts and checks column by column. The
          // same failure; the same message where both name the same kind of error in one row.
          if (rows == 1 && errorCode(fastOutcome).equals(errorCode(plannedOutcome))) {
            assertThat(fastOutcome).as(context).isEqualTo(plannedOutcome);
          }
        } else {
          assertThat(fastOutcome).as(context).isEqualTo(plannedOutcome);
        }
        if (fastOutcome.startsWith("error")) {
          failed++;
        }
      }
      // Both outcomes occur, so the comparison covered errors and stored values alike.
      assertThat(failed).isBetween(1, STATEMENTS - 1);
      String columns =
          "id, tiny, small, i, big, huge, price, wide, ratio, f, flag, code, note,"
              + " body, day, at";
      List<String> fastRows = server.rows("differential", "SELECT " + columns + " FROM fast");
      List<String> plannedRows = server.rows("differential", "SELECT " + columns + " FROM planned");
      assertThat(fastRows).as("seed " + SEED).isNotEmpty();
      assertThat(fastRows).as("seed " + SEED).containsExactlyInAnyOrderElementsOf(plannedRows);
    }
  }

  /** {@code INSERT INTO table VALUES ...}, each row's key wrapped in parentheses if asked. */
  private static String insert(String table, List<String[]> rows, boolean wrapKey) {
    StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" VALUES ");
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      sql.append(r == 0 ? "" : ", ").append('(');
      sql.append(wrapKey ? "(" + row[0] + ")" : row[0]);
      for (int c = 1; c < row.length; c++) {
        sql.append(", ").append(row[c]);
      }
      sql.append(')');
    }
    return sql.toString();
  }

  /** The error code and message, or the update count and the warnings. */
  private static String outcome(Statement statement, String sql) {
    try {
      int count = statement.executeUpdate(sql);
      StringBuilder outcome = new StringBuilder("ok " + count);
      for (SQLWarning w = statement.getWarnings(); w != null; w = w.getNextWarning()) {
        outcome.append(" | ").append(w.getErrorCode()).append(' ').append(w.getMessage());
      }
      return outcome.toString();
    } catch (SQLException e) {
      return "error " + e.getErrorCode() + " " + e.getMessage();
    }
  }

  private static String errorCode(String outcome) {
    return outcome.split(" ")[1];
  }

  /**
   * The kind of a literal as the planner types it: string, boolean, integer, exact, approximate.
   */
  private static String family(String literal) {
    char first = literal.charAt(0);
    if (first == '\'' || first == '"') {
      return "string";
    }
    if (Character.isLetter(first)) {
      return "boolean";
    }
    if (literal.contains("e")) {
      return "approximate";
    }
    return literal.contains(".") ? "exact" : "integer";
  }

  private static String integer(Random random, long bound) {
    long value = (long) (random.nextDouble() * 2 * bound) - bound;
    return switch (random.nextInt(6)) {
      case 0 -> "'" + value + "'";
      case 1 -> "+" + Math.abs(value);
      case 2 -> value + ".5";
      case 3 -> "'" + value + "x'";
      default -> Long.toString(value);
    };
  }

  private static String decimal(Random random) {
    long whole = random.nextLong(2_000_000) - 1_000_000;
    String fraction = Long.toString(random.nextLong(1_000_000));
    String text = whole + "." + fraction.substring(0, 1 + random.nextInt(fraction.length()));
    return switch (random.nextInt(5)) {
      case 0 -> "'" + text + "'";
      case 1 -> Long.toString(whole);
      default -> text;
    };
  }

  private static String string(Random random) {
    String[] pieces = {
      "a", "Z", "é", "✓", "\\'", "''", "\\\\", "\\n", "\\%", "\\_", " ", "1", "\"", "\\0"
    };
    StringBuilder text = new StringBuilder(random.nextBoolean() ? "'" : "\"");
    char quote = text.charAt(0);
    int length = random.nextInt(6);
    for (int i = 0; i < length; i++) {
      String piece = pieces[random.nextInt(pieces.length)];
      if (piece.equals("''") && quote == '"') {
        piece = "\"\"";
      } else if (piece.equals("\"") && quote == '"') {
        piece = "'";
      }
      text.append(piece);
    }
    return text.append(quote).toString();
  }

  @SafeVarargs
  private static <T> T pick(Random random, T... choices) {
    return choices[random.nextInt(choices.length)];
  }
}
