package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.server.testing.ExternalDependencies;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runtime filters on every key type through JDBC: a fact table joined to a filtered dimension on a
 * VARCHAR, CHAR, DECIMAL (scaled-long and 128-bit), LARGEINT, DOUBLE, DATE or DATETIME key, and on
 * two keys at once, with a few build keys (an exact IN list) and with thousands (a Bloom filter).
 * Each answer is the same with the filters ({@code runtime_filter_mode} GLOBAL, the default) and
 * without them (OFF), with one and with two scan pipelines, and where MariaDB shares the meaning
 * (all but CHAR, whose trailing spaces MariaDB strips) the same as MariaDB's; with the filters the
 * fact table's scan drops rows (EXPLAIN ANALYZE's {@code runtime_filter_rows_filtered}), without
 * them it drops none. The data has NULL keys on both sides, strings that differ only in trailing
 * spaces, -0.0 facing 0.0, and 128-bit values beyond 64 bits.
 */
class RuntimeFilterKeyTypesTest {
  private static final long SEED = 20261207L;
  private static final int FACT_ROWS = 20_000;
  private static final int DIMENSION_ROWS = 3_000;
  private static final Pattern FILTERED = Pattern.compile("runtime_filter_rows_filtered=([0-9]+)");
  private static final String MARIADB_URL =
      "jdbc:mariadb://127.0.0.1:3306/?user=root&sslMode=disable&connectTimeout=3000";
  private static final String COLUMNS =
      "s VARCHAR(16), c CHAR(8), d1 DECIMAL(12, 2), d2 DECIMAL(30, 4), li %s, dbl DOUBLE,"
          + " dt DATE, dtm DATETIME";

  /** The key columns, each joined alone; CHAR is not compared with MariaDB. */
  private static final List<String> KEYS = List.of("s", "c", "d1", "d2", "li", "dbl", "dt", "dtm");

  /** Dimension filters: few build keys (an IN list) and thousands (a Bloom filter). */
  private static final List<String> BUILD_SIZES = List.of("d.w < 2", "d.w < 90");

  private static TestServer server;
  private static final List<String> inserts = new ArrayList<>();

  @BeforeAll
  static void load() throws SQLException {
    Random random = new Random(SEED);
    List<String> facts = new ArrayList<>();
    for (int id = 0; id < FACT_ROWS; id++) {
      // Keys of dimension rows 0..2999, and some of none (3000..3999).
      int j = id % 500 == 0 ? 0 : random.nextInt(4000);
      facts.add(
          "(" + id + ", " + (id % 97) + ", " + keys(j, id % 53 == 0, id % 7 == 0, true) + ")");
    }
    List<String> dimension = new ArrayList<>();
    for (int j = 0; j < DIMENSION_ROWS; j++) {
      dimension.add(
          "(" + j + ", " + (j % 100) + ", " + keys(j, j % 97 == 5, j % 11 == 0, false) + ")");
    }
    for (int start = 0; start < facts.size(); start += 2000) {
      inserts.add(
          "INSERT INTO fact VALUES "
              + String.join(", ", facts.subList(start, Math.min(facts.size(), start + 2000))));
    }
    inserts.add("INSERT INTO dim VALUES " + String.join(", ", dimension));
    server = TestServer.start();
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE rfk");
      statement.execute("USE rfk");
      statement.execute(
          "CREATE TABLE fact (id INT, v INT, "
              + COLUMNS.formatted("LARGEINT")
              + ") DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 2");
      statement.execute(
          "CREATE TABLE dim (j INT, w INT, "
              + COLUMNS.formatted("LARGEINT")
              + ") DUPLICATE KEY(j) DISTRIBUTED BY HASH(j) BUCKETS 1");
      for (String insert : inserts) {
        statement.execute(insert);
      }
      statement.execute("ANALYZE TABLE fact");
      statement.execute("ANALYZE TABLE dim");
    }
  }

  /**
   * The key columns' values for dimension row {@code j}: all NULL when {@code nulls}; {@code
   * spaced} adds a trailing space to the strings (another key for the join); {@code minusZero}
   * writes row 0's DOUBLE 0.0 as -0.0 (the same key for the join).
   */
  private static String keys(int j, boolean nulls, boolean spaced, boolean minusZero) {
    if (nulls) {
      return "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL";
    }
    String space = spaced ? " " : "";
    BigDecimal wide = new BigDecimal("100000000000000000000").add(BigDecimal.valueOf(j, 4));
    BigInteger large =
        BigInteger.TEN.pow(25).multiply(BigInteger.valueOf(j - 1500)).add(BigInteger.valueOf(7));
    String dbl = j == 0 && minusZero ? "-0.0" : Double.toString(j / 8.0);
    LocalDate date = LocalDate.of(2020, 1, 1).plusDays(j);
    LocalDateTime time = LocalDateTime.of(2020, 1, 1, 0, 0).plusSeconds(3601L * j);
    return String.join(
        ", ",
        "'s" + j + space + "'",
        "'c" + j + space + "'",
        BigDecimal.valueOf(j * 7L - 9000, 2).toPlainString(),
        wide.toPlainString(),
        large.toString(),
        dbl,
        "'" + date + "'",
        "'" + time.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")) + "'");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl("", ""), TestServer.ROOT_USER, "");
  }

  /** The queries: each key alone (a join and an IN subquery) at both build sizes, and two keys. */
  private static List<String> queries() {
    List<String> queries = new ArrayList<>();
    for (String key : KEYS) {
      for (String size : BUILD_SIZES) {
        queries.add(
            "SELECT COUNT(*), SUM(f.v), MIN(f.id), MAX(f.id) FROM fact f JOIN dim d ON f."
                + key
                + " = d."
                + key
                + " WHERE "
                + size);
        queries.add(
            "SELECT COUNT(*), SUM(v) FROM fact WHERE "
                + key
                + " IN (SELECT "
                + key
                + " FROM dim d WHERE "
                + size
                + ")");
      }
    }
    queries.add(
        "SELECT COUNT(*), SUM(f.v) FROM fact f JOIN dim d ON f.s = d.s AND f.d2 = d.d2 AND f.dt ="
            + " d.dt WHERE d.w < 50");
    return queries;
  }

  /** The rows the fact table's scan dropped by runtime filters, from EXPLAIN ANALYZE. */
  private static long filteredInFactScan(Statement statement, String sql) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (ResultSet result = statement.executeQuery("EXPLAIN ANALYZE " + sql)) {
      while (result.next()) {
        lines.add(result.getString(1));
      }
    }
    long filtered = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().startsWith("OlapScan(table=[[rfk, fact]])")) {
        for (int next = i + 1; next < Math.min(lines.size(), i + 3); next++) {
          Matcher matcher = FILTERED.matcher(lines.get(next));
          if (matcher.find()) {
            filtered += Long.parseLong(matcher.group(1));
          }
        }
      }
    }
    return filtered;
  }

  @Test
  void everyKeyTypeGivesTheSameAnswersWithAndWithoutRuntimeFiltersAndTheyDropRows()
      throws Exception {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("USE rfk");
      for (String sql : queries()) {
        Map<String, List<String>> answers = new HashMap<>();
        for (String mode : List.of("GLOBAL", "OFF")) {
          for (int tasks : new int[] {1, 2}) {
            statement.execute("SET runtime_filter_mode = '" + mode + "'");
            statement.execute("SET parallel_pipeline_task_num = " + tasks);
            answers.put(mode + " " + tasks, ResultRows.of(statement, sql));
          }
        }
        List<String> expected = answers.get("OFF 1");
        assertThat(expected.getFirst()).as(sql).doesNotStartWith("0|");
        for (Map.Entry<String, List<String>> answer : answers.entrySet()) {
          assertThat(answer.getValue()).as("%s with %s", sql, answer.getKey()).isEqualTo(expected);
        }
        statement.execute("SET parallel_pipeline_task_num = 1");
        statement.execute("SET runtime_filter_mode = 'GLOBAL'");
        assertThat(filteredInFactScan(statement, sql)).as(sql).isPositive();
        statement.execute("SET runtime_filter_mode = 'OFF'");
        assertThat(filteredInFactScan(statement, sql)).as(sql).isZero();
      }
      statement.execute("SET runtime_filter_mode = DEFAULT");
    }
  }

  @Test
  void explainNamesEachKeysFilterAndItsKindsUnlessTurnedOff() throws Exception {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("USE rfk");
      String sql =
          "EXPLAIN SELECT COUNT(*) FROM fact f JOIN dim d ON f.s = d.s AND f.d2 = d.d2 WHERE d.w < 5";
      // Each publishing join's lines sit indented under it in the operator tree.
      List<String> lines = ResultRows.of(statement, sql).stream().map(String::strip).toList();
      assertThat(lines)
          .contains(
              "RuntimeFilter(join=[INNER], probe column=[rfk.fact.s], min/max and key set from the"
                  + " build side, kind=[IN or bloom])",
              "RuntimeFilter(join=[INNER], probe column=[rfk.fact.d2], min/max and key set from"
                  + " the build side, kind=[IN or bloom])");
      statement.execute("SET runtime_filter_mode = 'OFF'");
      assertThat(ResultRows.of(statement, sql))
          .noneMatch(line -> line.strip().startsWith("RuntimeFilter("));
      statement.execute("SET runtime_filter_mode = DEFAULT");
    }
  }

  @Test
  void answersMatchMariadb() throws Exception {
    Connection oracle = null;
    try {
      oracle = DriverManager.getConnection(MARIADB_URL);
    } catch (SQLException unavailable) {
      ExternalDependencies.require(
          false, "no MariaDB on 127.0.0.1:3306 to compare with: " + unavailable.getMessage());
    }
    String database = "basalt_rf_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection mariadb = oracle;
        Statement theirs = mariadb.createStatement();
        Connection connection = connect();
        Statement ours = connection.createStatement()) {
      theirs.execute("CREATE DATABASE " + database);
      try {
        theirs.execute("USE " + database);
        // Strings compare byte by byte, trailing spaces significant, as in Doris.
        String options = " DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_nopad_bin";
        theirs.execute(
            "CREATE TABLE fact (id INT, v INT, "
                + COLUMNS.formatted("DECIMAL(39, 0)")
                + ")"
                + options);
        // Indexes on the dimension's keys, so that MariaDB's nested-loop joins look keys up.
        StringBuilder indexes = new StringBuilder();
        for (String key : KEYS) {
          indexes.append(", INDEX (").append(key).append(')');
        }
        theirs.execute(
            "CREATE TABLE dim (j INT, w INT, "
                + COLUMNS.formatted("DECIMAL(39, 0)")
                + indexes
                + ")"
                + options);
        for (String insert : inserts) {
          theirs.execute(insert);
        }
        ours.execute("USE rfk");
        for (String sql : queries()) {
          if (sql.contains(".c =") || sql.contains(" c IN")) {
            continue;
          }
          assertThat(ResultRows.of(ours, sql)).as(sql).isEqualTo(ResultRows.of(theirs, sql));
        }
      } finally {
        theirs.execute("DROP DATABASE " + database);
      }
    }
  }
}
