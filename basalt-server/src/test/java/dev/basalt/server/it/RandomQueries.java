package dev.basalt.server.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random tables and queries for the query oracles ({@link MariadbOracleTest}, {@link
 * LogicOracleTest}). Two tables {@code r0} and {@code r1} share one layout, {@code (k INT, i INT, d
 * DECIMAL(6, 2), f DOUBLE, s VARCHAR(8))}, over small domains so that joins, IN lists and groups
 * meet: integers in -3..3, decimals with two digits, doubles including -0.0, strings with and
 * without trailing spaces, and NULL in every column but the key.
 *
 * <p>Queries use only what MySQL and Doris mean alike: filters, arithmetic, {@code CASE}, {@code
 * COALESCE}, math functions, aggregates, window aggregates, inner and left joins, IN, EXISTS and
 * scalar subqueries (correlated or not), {@code UNION [ALL]} and {@code DISTINCT}. Not thread safe.
 */
final class RandomQueries {
  static final List<String> TABLES = List.of("r0", "r1");
  static final String COLUMNS = "k INT, i INT, d DECIMAL(6, 2), f DOUBLE, s VARCHAR(8)";
  private static final String[] NUMERIC = {"k", "i", "d", "f"};
  private static final String[] STRINGS = {"'a'", "'a '", "'b'", "'ab'", "''", "' '"};

  private final Random random;

  RandomQueries(long seed) {
    this.random = new Random(seed);
  }

  /** {@code INSERT ... VALUES} for one table: {@code rows} rows with keys from {@code firstKey}. */
  String insert(String table, int firstKey, int rows) {
    List<String> values = new ArrayList<>();
    for (int key = firstKey; key < firstKey + rows; key++) {
      values.add(
          "("
              + key
              + ", "
              + orNull(Integer.toString(random.nextInt(7) - 3))
              + ", "
              + orNull(String.format("%d.%02d", random.nextInt(5) - 2, random.nextInt(4) * 25))
              + ", "
              + orNull(pick("0E0", "-0E0", "1.5E0", "-1.5E0", "2E0", "0.25E0"))
              + ", "
              + orNull(pick(STRINGS))
              + ")");
    }
    return "INSERT INTO " + table + " VALUES " + String.join(", ", values);
  }

  /** A random query over the two tables. */
  String query() {
    return switch (random.nextInt(10)) {
      case 0, 1 -> "SELECT " + selectList("t", 1 + random.nextInt(3)) + " FROM " + from();
      case 2 -> "SELECT DISTINCT " + numeric("t", 2) + " FROM " + from();
      case 3 -> aggregate();
      case 4 -> join();
      case 5 ->
          "SELECT "
              + numeric("t", 2)
              + " FROM "
              + table("t")
              + " WHERE "
              + predicate("t", 2)
              + (random.nextBoolean() ? " UNION ALL " : " UNION ")
              + "SELECT "
              + numeric("t", 2)
              + " FROM "
              + table("t")
              + " WHERE "
              + predicate("t", 2);
      case 6 ->
          "SELECT t.k, "
              + scalarSubquery("t")
              + " FROM "
              + table("t")
              + " WHERE "
              + predicate("t", 1);
      case 7 ->
          "SELECT t.k, "
              + pick("SUM", "MIN", "MAX", "COUNT")
              + "("
              + numeric("t", 1)
              + ") OVER (PARTITION BY t.s), "
              + pick("'a'", "'B'")
              + " IN (SELECT v.s FROM r1 v WHERE v.k = t.k) FROM "
              + from();
      default ->
          "SELECT t.k, " + numeric("t", 2) + " FROM " + table("t") + " WHERE " + predicate("t", 3);
    };
  }

  /** A base query {@code SELECT ... FROM ...} without WHERE, for partitioning oracles. */
  String baseQuery() {
    if (random.nextInt(3) == 0) {
      return "SELECT t.k, u.k, "
          + numeric("t", 1)
          + " FROM "
          + table("t")
          + " JOIN "
          + table("u")
          + " ON t.i = u.i";
    }
    return "SELECT t.k, " + numeric("t", 2) + ", t.s FROM " + table("t");
  }

  private String from() {
    return table("t") + (random.nextBoolean() ? "" : " WHERE " + predicate("t", 3));
  }

  private String table(String alias) {
    return TABLES.get(random.nextInt(TABLES.size())) + " " + alias;
  }

  private String aggregate() {
    String key = random.nextBoolean() ? "t.s" : numeric("t", 1);
    String aggregates =
        switch (random.nextInt(4)) {
          case 0 -> "COUNT(*), SUM(" + numeric("t", 1) + ")";
          case 1 -> "COUNT(" + numeric("t", 2) + "), MIN(" + numeric("t", 1) + ")";
          case 2 -> "MAX(" + numeric("t", 1) + "), COUNT(DISTINCT " + numeric("t", 1) + ")";
          default -> "AVG(t.d), SUM(t.i)";
        };
    if (random.nextInt(4) == 0) {
      return "SELECT " + aggregates + " FROM " + from();
    }
    return "SELECT "
        + key
        + ", "
        + aggregates
        + " FROM "
        + from()
        + " GROUP BY "
        + key
        + (random.nextInt(3) == 0 ? " HAVING COUNT(*) > 1" : "");
  }

  private String join() {
    String kind = random.nextBoolean() ? "JOIN" : "LEFT JOIN";
    String on =
        switch (random.nextInt(3)) {
          case 0 -> "t.i = u.i";
          case 1 -> "t.s = u.s";
          default -> numeric("t", 1) + " = " + numeric("u", 1);
        };
    return "SELECT t.k, u.k, "
        + numeric("u", 1)
        + " FROM "
        + table("t")
        + " "
        + kind
        + " "
        + table("u")
        + " ON "
        + on
        + (random.nextBoolean() ? "" : " WHERE " + predicate("t", 2));
  }

  private String selectList(String alias, int count) {
    List<String> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      items.add(random.nextInt(4) == 0 ? "(" + predicate(alias, 1) + ")" : numeric(alias, 2));
    }
    return String.join(", ", items);
  }

  /** A numeric expression of at most {@code depth} levels over {@code alias}'s columns. */
  String numeric(String alias, int depth) {
    if (depth <= 0 || random.nextInt(3) == 0) {
      return random.nextInt(4) == 0
          ? pick("0", "1", "-2", "0.5", "-0.01", "NULL")
          : alias + "." + pick(NUMERIC);
    }
    String a = numeric(alias, depth - 1);
    String b = numeric(alias, depth - 1);
    return switch (random.nextInt(12)) {
      case 0 -> "(" + a + " + " + b + ")";
      case 1 -> "(" + a + " - " + b + ")";
      case 2 -> "(" + a + " * " + b + ")";
      // Divided by a DECIMAL: INT / INT is DOUBLE in Basalt (Doris) and DECIMAL in MariaDB, whose
      // results then differ in the last bits (and so in DISTINCT).
      case 3 -> "(" + a + " / " + pick(alias + ".d", "0.5", "-0.01") + ")";
      // MariaDB's MOD of a negative DECIMAL can be -0.00, which it then finds unequal to 0.
      // The divisor is a column or a literal: MOD over a quotient differs in its last digits
      // (Basalt's INT / INT is DOUBLE, MariaDB's a DECIMAL of four digits).
      case 4 -> "MOD(ABS(" + a + "), " + numeric(alias, 0) + ")";
      // "(- x)", not "(-x)": "--" would start a comment where x is negative.
      case 5 -> "(- " + a + ")";
      case 6 -> "ABS(" + a + ")";
      // DOUBLE halves round to even in MariaDB, away from zero in Basalt (as Doris).
      case 7 -> "ROUND(" + alias + "." + pick("d", "i") + ")";
      case 8 -> "SIGN(" + a + ")";
      case 9 -> "SQRT(" + a + ")";
      case 10 -> "COALESCE(" + a + ", " + b + ")";
      default -> "CASE WHEN " + predicate(alias, depth - 1) + " THEN " + a + " ELSE " + b + " END";
    };
  }

  /** A predicate of at most {@code depth} levels over {@code alias}'s columns. */
  String predicate(String alias, int depth) {
    int choice = random.nextInt(depth <= 0 ? 5 : 13);
    return switch (choice) {
      case 0 ->
          numeric(alias, 1) + " " + pick("=", "<>", "<", "<=", ">", ">=") + " " + numeric(alias, 1);
      case 1 -> numeric(alias, 1) + " IS NULL";
      case 2 -> alias + ".s " + pick("=", "<>", "<", ">") + " " + pick(STRINGS);
      case 3 -> numeric(alias, 1) + " IN (" + pick("0, 1", "-1, 2, NULL", "0.5, -0.5") + ")";
      case 4 -> numeric(alias, 1) + " BETWEEN " + pick("-1", "0") + " AND " + pick("1", "2");
      case 5 -> "(" + predicate(alias, depth - 1) + " AND " + predicate(alias, depth - 1) + ")";
      case 6 -> "(" + predicate(alias, depth - 1) + " OR " + predicate(alias, depth - 1) + ")";
      case 7 -> "NOT (" + predicate(alias, depth - 1) + ")";
      case 8 ->
          alias
              + "."
              + pick("i", "k")
              + (random.nextBoolean() ? " IN " : " NOT IN ")
              + "(SELECT v.i FROM "
              + TABLES.get(random.nextInt(2))
              + " v WHERE "
              + correlation(alias)
              + ")";
      case 9 ->
          (random.nextBoolean() ? "EXISTS" : "NOT EXISTS")
              + " (SELECT 1 FROM "
              + TABLES.get(random.nextInt(2))
              + " v WHERE "
              + correlation(alias)
              + ")";
      case 10 -> numeric(alias, 1) + " " + pick("=", "<>", "<", ">") + " " + scalarSubquery(alias);
      case 11 ->
          alias
              + ".s "
              + pick("=", "<>", "<", ">")
              + " (SELECT MIN(v.s) FROM "
              + TABLES.get(random.nextInt(2))
              + " v WHERE "
              + correlation(alias)
              + ")";
      default ->
          "("
              + predicate(alias, depth - 1)
              + ") IS "
              + pick("TRUE", "FALSE", "NOT TRUE", "NOT FALSE");
    };
  }

  private String correlation(String alias) {
    return switch (random.nextInt(4)) {
      case 0 -> "v.s = " + alias + ".s";
      case 1 -> "v.k = " + alias + ".k";
      case 2 -> "v.d > " + alias + ".d";
      default -> "v.f " + pick("=", "<") + " " + pick("0", "1");
    };
  }

  private String scalarSubquery(String alias) {
    return "(SELECT "
        + pick("MAX", "MIN", "SUM", "COUNT")
        + "(v."
        + pick(NUMERIC)
        + ") FROM "
        + TABLES.get(random.nextInt(2))
        + " v WHERE "
        + correlation(alias)
        + ")";
  }

  private String orNull(String value) {
    return random.nextInt(6) == 0 ? "NULL" : value;
  }

  private String pick(String... choices) {
    return choices[random.nextInt(choices.length)];
  }
}
