package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dictionary-aware string paths (docs/architecture.md, "Dictionary-encoded strings") answer as the
 * byte path, through the MySQL protocol, on seeded random data. Table {@code d} holds random rows
 * whose string column lies in dictionary pages (few distinct values, with NULLs, empty strings,
 * trailing spaces and multibyte UTF-8), plain pages (every value distinct) and pages whose
 * dictionary is too large to hand on, in several segments and within one segment. Table {@code ref}
 * holds the same rows, each followed by a filler row of a distinct value, so that none of its pages
 * carries codes (one bucket, each load one segment of 12,000 to 36,000 rows, pages of at most
 * 8,192): every query over {@code d} must answer as the same query over {@code ref}'s real rows.
 * Queries: lone comparisons with constants (every operator, NULL, trailing spaces), IN lists, LIKE,
 * IS NULL, conjunctions and disjunctions with a number column, GROUP BY and a join on the string
 * column, with one and with two pipeline tasks.
 */
class DictionaryStringsRandomTest {
  private static final long SEED = 20261207_14L;
  private static final String[] FEW = {
    "AIR", "AIR ", "REG AIR", "", "MAIL", "日本語", "Ärger", "b", "SHIP  "
  };
  private static final String[] CONSTANTS = {
    "AIR", "AIR ", "AIR  ", "REG AIR", "", "MAIL", "日本語", "Ärger", "b", "SHIP", "SHIP  ", "A", "M",
    "zzz", "日", "many-12"
  };
  private static final String[] OPERATORS = {"=", "<>", "<", "<=", ">", ">=", "<=>"};

  private TestServer server;
  private Connection connection;

  @BeforeEach
  void start() throws SQLException {
    server = TestServer.start();
    server.execute("CREATE DATABASE dr");
    connection = DriverManager.getConnection(server.mysqlUrl("dr", ""), "root", "");
    for (String table : List.of("d", "ref")) {
      execute(
          "CREATE TABLE "
              + table
              + " (k BIGINT, mode VARCHAR(20), v BIGINT, filler INT)"
              + " DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
    }
    execute(
        "CREATE TABLE dim (name VARCHAR(20), w BIGINT) DUPLICATE KEY(name)"
            + " DISTRIBUTED BY HASH(name) BUCKETS 1");
    execute("INSERT INTO dim VALUES ('AIR', 1), ('MAIL', 2), ('', 3), ('日本語', 4), ('many-7', 5)");
    Random random = new Random(SEED);
    long key = 0;
    // Each load is a segment: pages of few values, of all distinct values, of 300 values, mixed.
    String[] kinds = {"few", "few,plain", "many", "few,many,few"};
    for (String kind : kinds) {
      List<String> rows = new ArrayList<>();
      List<String> referenceRows = new ArrayList<>();
      for (String part : kind.split(",")) {
        for (int i = 0; i < 12_000; i++, key++) {
          String value =
              random.nextInt(10) == 0
                  ? null
                  : switch (part) {
                    case "few" -> FEW[random.nextInt(FEW.length)];
                    case "many" -> "many-" + random.nextInt(300);
                    default -> "plain-" + key + "-" + random.nextInt(1_000_000);
                  };
          String literal = value == null ? "NULL" : "'" + value + "'";
          int number = random.nextInt(1000);
          rows.add("(" + 2 * key + ", " + literal + ", " + number + ", 0)");
          referenceRows.add("(" + 2 * key + ", " + literal + ", " + number + ", 0)");
          referenceRows.add("(" + (2 * key + 1) + ", 'filler-" + key + "', 0, 1)");
        }
      }
      execute("INSERT INTO d VALUES " + String.join(", ", rows));
      execute("INSERT INTO ref VALUES " + String.join(", ", referenceRows));
    }
  }

  @AfterEach
  void stop() throws SQLException {
    connection.close();
    server.close();
  }

  @Test
  void dictionaryPathsAnswerAsTheBytePath() throws SQLException {
    Random random = new Random(SEED + 1);
    List<String> predicates = new ArrayList<>();
    for (String operator : OPERATORS) {
      for (int i = 0; i < 3; i++) {
        predicates.add("mode " + operator + " " + constant(random));
      }
      predicates.add("mode " + operator + " NULL");
    }
    predicates.add("mode IN (" + constant(random) + ", " + constant(random) + ")");
    predicates.add("mode NOT IN (" + constant(random) + ", " + constant(random) + ")");
    predicates.add("mode LIKE 'A%'");
    predicates.add("mode NOT LIKE '%R '");
    predicates.add("mode IS NULL");
    predicates.add("mode IS NOT NULL");
    for (int i = 0; i < 4; i++) {
      String comparison = "mode " + OPERATORS[random.nextInt(OPERATORS.length)] + " ";
      predicates.add(comparison + constant(random) + " AND v < " + random.nextInt(1000));
      predicates.add(comparison + constant(random) + " OR v < " + random.nextInt(100));
      predicates.add(
          "v >= " + random.nextInt(1000) + " AND mode IN (" + constant(random) + ", 'b')");
    }
    int checked = 0;
    for (int tasks = 1; tasks <= 2; tasks++) {
      execute("SET parallel_pipeline_task_num = " + tasks);
      for (String predicate : predicates) {
        String description = "seed " + SEED + ", " + tasks + " task(s): " + predicate;
        assertThat(rows("SELECT COUNT(*), SUM(v) FROM d WHERE " + predicate))
            .as(description)
            .isEqualTo(
                rows("SELECT COUNT(*), SUM(v) FROM ref WHERE filler = 0 AND (" + predicate + ")"));
        assertThat(
                rows(
                    "SELECT mode, COUNT(*), SUM(v) FROM d WHERE "
                        + predicate
                        + " GROUP BY mode ORDER BY mode"))
            .as(description + " (grouped)")
            .isEqualTo(
                rows(
                    "SELECT mode, COUNT(*), SUM(v) FROM ref WHERE filler = 0 AND ("
                        + predicate
                        + ") GROUP BY mode ORDER BY mode"));
        checked++;
      }
      assertThat(
              rows(
                  "SELECT dim.name, COUNT(*), SUM(d.v * dim.w) FROM d JOIN dim ON d.mode = dim.name GROUP BY dim.name ORDER BY 1"))
          .as("join, seed " + SEED)
          .isEqualTo(
              rows(
                  "SELECT dim.name, COUNT(*), SUM(ref.v * dim.w) FROM ref JOIN dim"
                      + " ON ref.mode = dim.name WHERE ref.filler = 0 GROUP BY dim.name ORDER BY 1"))
          .isNotEmpty();
    }
    assertThat(checked).isEqualTo(2 * predicates.size());
    // The data does reach every kind of page: NULLs, trailing spaces, the three kinds of segment.
    assertThat(rows("SELECT COUNT(*) FROM d WHERE mode IS NULL")).isNotEqualTo(List.of("0"));
    assertThat(rows("SELECT COUNT(DISTINCT mode) FROM d WHERE mode LIKE 'many-%'"))
        .containsExactly("300");
  }

  private static String constant(Random random) {
    return "'" + CONSTANTS[random.nextInt(CONSTANTS.length)] + "'";
  }

  private void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private List<String> rows(String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int column = 1; column <= columns; column++) {
          row.append(column > 1 ? "|" : "").append(result.getString(column));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
