package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Logic oracles on Basalt alone, over the random tables of {@link RandomQueries}: answers that must
 * agree with each other whatever the right answer is.
 *
 * <ul>
 *   <li>Ternary partitioning: the rows of {@code Q} are the rows of {@code Q WHERE p}, {@code Q
 *       WHERE NOT (p)} and {@code Q WHERE (p) IS NULL} together, as a multiset.
 *   <li>Counting: {@code COUNT(*) ... WHERE p} equals {@code SUM(CASE WHEN p THEN 1 ELSE 0 END)}
 *       over the same rows.
 * </ul>
 *
 * <p>{@value MariadbOracleTest#RANDOM_QUERIES} predicates by default; {@code -Doracle.queries=N}
 * and {@code -Doracle.seed=S} run more or others locally. The seed is in every failure message.
 */
class LogicOracleTest {
  private static TestServer basalt;
  private static Connection connection;

  @BeforeAll
  static void load() throws SQLException {
    basalt = TestServer.start();
    connection = DriverManager.getConnection(basalt.mysqlUrl("", ""), TestServer.ROOT_USER, "");
    RandomQueries random = new RandomQueries(MariadbOracleTest.randomSeed());
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE logic");
      statement.execute("USE logic");
      for (String table : RandomQueries.TABLES) {
        statement.execute(
            "CREATE TABLE "
                + table
                + " ("
                + RandomQueries.COLUMNS
                + ") DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2");
        int half = MariadbOracleTest.RANDOM_ROWS / 2;
        statement.execute(random.insert(table, 1, half));
        statement.execute(random.insert(table, 1 + half, half));
      }
    }
  }

  @AfterAll
  static void stop() throws SQLException {
    if (connection != null) {
      connection.close();
    }
    if (basalt != null) {
      basalt.close();
    }
  }

  @Test
  void partitionsByPredicateAddUpToTheWhole() throws SQLException {
    long seed = MariadbOracleTest.randomSeed() + 2;
    RandomQueries random = new RandomQueries(seed);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < MariadbOracleTest.randomQueryCount(); i++) {
      String base = random.baseQuery();
      String predicate = random.predicate("t", 3);
      String whole = base;
      String[] parts = {
        base + " WHERE " + predicate,
        base + " WHERE NOT (" + predicate + ")",
        base + " WHERE (" + predicate + ") IS NULL"
      };
      try {
        List<String> expected = MariadbOracleTest.rows(connection, whole);
        List<String> actual = new ArrayList<>();
        for (String part : parts) {
          actual.addAll(MariadbOracleTest.rows(connection, part));
        }
        actual.sort(null);
        if (!actual.equals(expected)) {
          failures.add(
              String.join("\n  ", parts) + "\n  whole: " + expected + "\n  parts: " + actual);
        }
      } catch (SQLException e) {
        failures.add(String.join("\n  ", parts) + "\n  error: " + e.getMessage());
      }
    }
    assertThat(failures).as("partitions that do not add up (seed %d)", seed).isEmpty();
  }

  @Test
  void countWhereEqualsSumOfCase() throws SQLException {
    long seed = MariadbOracleTest.randomSeed() + 3;
    RandomQueries random = new RandomQueries(seed);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < MariadbOracleTest.randomQueryCount(); i++) {
      String table = RandomQueries.TABLES.get(i % RandomQueries.TABLES.size()) + " t";
      String predicate = random.predicate("t", 3);
      String count = "SELECT COUNT(*) FROM " + table + " WHERE " + predicate;
      String sum = "SELECT SUM(CASE WHEN " + predicate + " THEN 1 ELSE 0 END) FROM " + table;
      try {
        List<String> counted = MariadbOracleTest.rows(connection, count);
        List<String> summed = MariadbOracleTest.rows(connection, sum);
        if (!counted.equals(summed)) {
          failures.add(count + " -> " + counted + "\n  " + sum + " -> " + summed);
        }
      } catch (SQLException e) {
        failures.add(count + "\n  error: " + e.getMessage());
      }
    }
    assertThat(failures).as("COUNT(*) WHERE p != SUM(CASE WHEN p ...) (seed %d)", seed).isEmpty();
  }
}
