package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code IN}, {@code NOT IN}, {@code = SOME} and {@code EXISTS} subqueries whose NULL answer
 * matters (select lists, NOT, OR, CASE, multi-column and correlated forms), planned as mark joins
 * and null-aware anti joins, against MariaDB on seeded random tables full of NULLs: a subquery
 * table with NULLs, one without, and an empty one. Each query's plan must hold the join it is
 * about, so that a planner falling back to another plan fails here too. Skipped, with the reason,
 * where no MariaDB listens on 127.0.0.1:3306.
 */
class MarkJoinOracleTest {
  /** Each query, with the join type its plan must show (null: any plan). */
  private record Case(String sql, String planShows) {}

  private static final String MARK = "joinType=[left_mark]";
  private static final String NULL_AWARE = "joinType=[null_aware_anti]";

  /** Queries over a (outer) and s (subquery), both (id, x, y, c) with NULLs. */
  private static final List<Case> CASES =
      List.of(
          new Case("SELECT id FROM a WHERE x NOT IN (SELECT x FROM s)", NULL_AWARE),
          new Case("SELECT id FROM a WHERE x NOT IN (SELECT x FROM s WHERE y > 3)", NULL_AWARE),
          new Case(
              "SELECT id FROM a WHERE y > 1 AND x NOT IN (SELECT y FROM s WHERE y IS NOT NULL)",
              NULL_AWARE),
          new Case("SELECT COUNT(*) FROM a WHERE x NOT IN (SELECT x FROM s)", NULL_AWARE),
          new Case("SELECT id FROM a WHERE (x, y) NOT IN (SELECT x, y FROM s)", NULL_AWARE),
          new Case(
              "SELECT id FROM a WHERE (x, y) NOT IN (SELECT x, y FROM s WHERE x > 1)", NULL_AWARE),
          new Case(
              "SELECT id FROM a WHERE x NOT IN (SELECT s.x FROM s WHERE s.c = a.c)", NULL_AWARE),
          new Case(
              "SELECT id FROM a WHERE (x, c) NOT IN (SELECT s.x, s.c FROM s WHERE s.y = a.y)",
              NULL_AWARE),
          new Case("SELECT id, x IN (SELECT x FROM s) FROM a", MARK),
          new Case("SELECT id, x NOT IN (SELECT y FROM s WHERE y < 3) FROM a", MARK),
          new Case("SELECT id, x + 1 IN (SELECT y FROM s) FROM a", MARK),
          new Case("SELECT id, (x, y) IN (SELECT x, y FROM s) FROM a", MARK),
          new Case("SELECT id, x = SOME (SELECT y FROM s) FROM a", MARK),
          new Case("SELECT id, x IN (SELECT CAST(x AS SIGNED) FROM s) FROM a", MARK),
          new Case("SELECT id, x IN (SELECT s.x FROM s WHERE s.c = a.c) FROM a", MARK),
          new Case("SELECT id, x NOT IN (SELECT s.x FROM s WHERE s.c = a.c) FROM a", MARK),
          new Case(
              "SELECT id, x IN (SELECT s.x FROM s WHERE s.c = a.c AND s.y = a.y) FROM a", MARK),
          new Case("SELECT id, EXISTS (SELECT 1 FROM s WHERE s.c = a.c) FROM a", MARK),
          new Case(
              "SELECT id, EXISTS (SELECT 1 FROM s WHERE s.c = a.c AND s.x > a.x) FROM a", MARK),
          new Case(
              "SELECT id, EXISTS (SELECT 1 FROM s), NOT EXISTS (SELECT 1 FROM s) FROM a", MARK),
          new Case("SELECT id FROM a WHERE x IN (SELECT x FROM s) OR y > 4", MARK),
          new Case(
              "SELECT id FROM a WHERE x IN (SELECT s.x FROM s WHERE s.c = a.c) OR y > 4", MARK),
          new Case(
              "SELECT id FROM a WHERE EXISTS (SELECT 1 FROM s WHERE s.y = a.y) OR x = 1", MARK),
          new Case(
              "SELECT id FROM a WHERE NOT (x IN (SELECT x FROM s) OR y IN (SELECT y FROM s))",
              NULL_AWARE),
          new Case(
              "SELECT id, CASE WHEN x IN (SELECT y FROM s) THEN 'in'"
                  + " WHEN x NOT IN (SELECT x FROM s) THEN 'out' ELSE 'unknown' END FROM a",
              MARK),
          new Case(
              "SELECT id, (SELECT COUNT(*) FROM s WHERE s.x IN (SELECT x FROM a)) FROM a", null),
          new Case(
              "SELECT id FROM a WHERE x NOT IN"
                  + " (SELECT x FROM s WHERE s.y NOT IN (SELECT y FROM a WHERE y IS NOT NULL))",
              NULL_AWARE),
          new Case(
              "SELECT c, SUM(CASE WHEN x IN (SELECT y FROM s) THEN 1 ELSE 0 END) FROM a GROUP BY c",
              MARK));

  private static TestServer basalt;
  private static Connection basaltConnection;
  private static Connection oracle;
  private static String oracleDatabase;

  @BeforeAll
  static void start() throws SQLException {
    String[] database = new String[1];
    oracle = MariadbOracleTest.connectToNewDatabase("basalt_marks_", database);
    oracleDatabase = database[0];
    basalt = TestServer.start();
    basaltConnection =
        DriverManager.getConnection(basalt.mysqlUrl("", ""), TestServer.ROOT_USER, "");
    try (Statement statement = basaltConnection.createStatement()) {
      statement.execute("CREATE DATABASE marks");
      statement.execute("USE marks");
    }
  }

  @AfterAll
  static void stop() throws SQLException {
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

  @Test
  void subqueryAnswersMatchMariadbWithNullsWithoutNullsAndEmpty() throws SQLException {
    List<String> mismatches = new ArrayList<>();
    for (String subqueryRows : List.of("with NULLs", "without NULLs", "empty")) {
      for (long seed : new long[] {11, 2026}) {
        load(seed, subqueryRows);
        for (Case query : CASES) {
          List<String> expected = MariadbOracleTest.rows(oracle, query.sql());
          String context = query.sql() + " (seed " + seed + ", subquery rows " + subqueryRows + ")";
          try {
            List<String> actual = MariadbOracleTest.rows(basaltConnection, query.sql());
            if (!actual.equals(expected)) {
              mismatches.add(context + "\n  MariaDB: " + expected + "\n  Basalt:  " + actual);
            }
          } catch (SQLException e) {
            mismatches.add(context + "\n  Basalt error: " + e.getMessage());
          }
        }
      }
    }
    assertThat(mismatches).isEmpty();
  }

  @Test
  void plansUseMarkAndNullAwareAntiJoins() throws SQLException {
    load(3, "with NULLs");
    for (Case query : CASES) {
      if (query.planShows() == null) {
        continue;
      }
      String plan =
          String.join("\n", MariadbOracleTest.rows(basaltConnection, "EXPLAIN " + query.sql()));
      assertThat(plan).as(query.sql()).contains(query.planShows());
    }
  }

  /** Fills a (40 rows) and s (25 rows, filtered as asked) with the same rows in both databases. */
  private static void load(long seed, String subqueryRows) throws SQLException {
    Random random = new Random(seed);
    for (String table : List.of("a", "s")) {
      int count = table.equals("a") ? 40 : subqueryRows.equals("empty") ? 0 : 25;
      List<String> rows = new ArrayList<>();
      for (int id = 0; id < count; id++) {
        boolean nulls = table.equals("a") || subqueryRows.equals("with NULLs");
        rows.add(
            "("
                + id
                + ", "
                + value(random, nulls, 6)
                + ", "
                + value(random, nulls, 6)
                + ", "
                + value(random, nulls, 3)
                + ")");
      }
      try (Statement statement = oracle.createStatement()) {
        statement.execute("DROP TABLE IF EXISTS " + table);
        statement.execute("CREATE TABLE " + table + " (id INT, x INT, y INT, c INT)");
      }
      try (Statement statement = basaltConnection.createStatement()) {
        statement.execute("DROP TABLE IF EXISTS " + table);
        statement.execute(
            "CREATE TABLE "
                + table
                + " (id INT, x INT, y INT, c INT) DUPLICATE KEY(id)"
                + " DISTRIBUTED BY HASH(id) BUCKETS 2");
      }
      if (!rows.isEmpty()) {
        String insert = "INSERT INTO " + table + " VALUES " + String.join(", ", rows);
        try (Statement statement = oracle.createStatement()) {
          statement.execute(insert);
        }
        try (Statement statement = basaltConnection.createStatement()) {
          statement.execute(insert);
        }
      }
    }
  }

  private static String value(Random random, boolean nulls, int maximum) {
    return nulls && random.nextInt(5) == 0 ? "NULL" : Integer.toString(random.nextInt(maximum + 1));
  }
}
