package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.server.testing.ExternalDependencies;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runtime filters through JDBC on random data: a filter that keeps most of its scan's rows switches
 * itself off after its first judged window (EXPLAIN ANALYZE's {@code switched_off_after}, fewer
 * rows tested than scanned), a selective one stays on; a join key reached through a widening cast
 * ({@code INT = BIGINT}, {@code SMALLINT = INT}, DECIMALs of one scale) gets a filter on the
 * scanned column ({@code CAST(...)} in EXPLAIN, rows dropped in the scan), and an expression that
 * is not a value-keeping cast gets none. Every answer is the same with runtime filters and without
 * them ({@code runtime_filter_mode = 'OFF'}), with one and two scan pipelines, and as MariaDB's.
 */
class RuntimeFilterAdaptiveTest {
  private static final long SEED = 20261207L;
  private static final int FACT_ROWS = 200_000;
  private static final int DIMENSION_ROWS = 2_000;
  private static final Pattern FILTERED = Pattern.compile("runtime_filter_rows_filtered=([0-9]+)");
  private static final Pattern SCANNED = Pattern.compile(" rows_scanned=([0-9]+)");
  private static final Pattern TESTED = Pattern.compile("rows_tested=([0-9]+) rows_kept=([0-9]+)");
  private static final String MARIADB_URL =
      "jdbc:mariadb://127.0.0.1:3306/?user=root&sslMode=disable&connectTimeout=3000";
  private static final String FACT_COLUMNS =
      "id INT, k INT, sk SMALLINT, dk DECIMAL(10, 2), s VARCHAR(16), v INT";
  private static final String DIMENSION_COLUMNS =
      "j INT, bk BIGINT, dk DECIMAL(14, 2), s VARCHAR(16), w INT";

  /** Joins whose build side keeps about 95 % of the fact rows (integer) or 80 % (string). */
  private static final List<String> UNSELECTIVE =
      List.of(
          "SELECT COUNT(*), SUM(f.v) FROM fact f JOIN dim d ON f.k = d.j WHERE d.w < 95",
          "SELECT COUNT(*), SUM(f.v) FROM fact f JOIN dim d ON f.s = d.s WHERE d.w < 80");

  /** Joins whose build side keeps about 3 % of the fact rows. */
  private static final List<String> SELECTIVE =
      List.of(
          "SELECT COUNT(*), SUM(f.v) FROM fact f JOIN dim d ON f.k = d.j WHERE d.w < 3",
          "SELECT COUNT(*), SUM(f.v) FROM fact f JOIN dim d ON f.s = d.s WHERE d.w < 3");

  /**
   * Keys through widening casts: BIGINT = INT, INT = SMALLINT, DECIMAL(14, 2) = DECIMAL(10, 2), in
   * a projection below the join or in its condition (IN subqueries), and to a 128-bit DECIMAL.
   */
  private static final List<String> CAST_KEYS =
      List.of(
          "SELECT COUNT(*), SUM(f.v), MIN(f.id) FROM fact f JOIN dim d ON f.k = d.bk WHERE d.w < 3",
          "SELECT COUNT(*), SUM(f.v), MAX(f.id) FROM fact f JOIN dim d ON f.sk = d.j WHERE d.w < 3",
          "SELECT COUNT(*), SUM(f.v), MIN(f.id) FROM fact f JOIN dim d ON f.dk = d.dk WHERE d.w < 3",
          "SELECT COUNT(*), SUM(v) FROM fact WHERE k IN (SELECT bk FROM dim WHERE w < 3)",
          "SELECT COUNT(*), SUM(v) FROM fact WHERE dk IN"
              + " (SELECT CAST(dk AS DECIMAL(24, 2)) FROM dim WHERE w < 3)");

  /** Keys under expressions that are not value-keeping casts: no filter on the fact table. */
  private static final List<String> COMPUTED_KEYS =
      List.of(
          "SELECT COUNT(*), SUM(f.v) FROM fact f JOIN dim d ON f.k + 1 = d.j WHERE d.w < 3",
          "SELECT COUNT(*), SUM(v) FROM fact WHERE k IN (SELECT dk * 4 FROM dim WHERE w < 3)");

  private static TestServer server;
  private static final List<String> inserts = new ArrayList<>();

  @BeforeAll
  static void load() throws SQLException {
    Random random = new Random(SEED);
    List<String> facts = new ArrayList<>();
    for (int id = 0; id < FACT_ROWS; id++) {
      // Keys of dimension rows 0..1999, a few of none (2000..2099) and some NULLs.
      int key = random.nextInt(2100);
      boolean nullKey = random.nextInt(100) == 0;
      facts.add(
          "("
              + id
              + ", "
              + (nullKey ? "NULL" : key)
              + ", "
              + (nullKey ? "NULL" : key - 1000)
              + ", "
              + (nullKey ? "NULL" : key / 4 + "." + (key % 4) * 25)
              + ", "
              + (nullKey ? "NULL" : "'s" + key + "'")
              + ", "
              + random.nextInt(1000)
              + ")");
    }
    for (int start = 0; start < facts.size(); start += 5000) {
      inserts.add(
          "INSERT INTO fact VALUES "
              + String.join(", ", facts.subList(start, Math.min(facts.size(), start + 5000))));
    }
    List<String> dimension = new ArrayList<>();
    for (int j = 0; j < DIMENSION_ROWS; j++) {
      // j as an INT and a BIGINT (fact's sk = k - 1000 meets j for k of 1000 and more), as a
      // DECIMAL and a string the way fact writes k, and w, which the joins filter on.
      dimension.add(
          "("
              + j
              + ", "
              + j
              + ", "
              + (j / 4 + "." + (j % 4) * 25)
              + ", 's"
              + j
              + "', "
              + random.nextInt(100)
              + ")");
    }
    inserts.add("INSERT INTO dim VALUES " + String.join(", ", dimension));
    server = TestServer.start();
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE rfa");
      statement.execute("USE rfa");
      statement.execute(
          "CREATE TABLE fact ("
              + FACT_COLUMNS
              + ") DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 2");
      statement.execute(
          "CREATE TABLE dim ("
              + DIMENSION_COLUMNS
              + ") DUPLICATE KEY(j) DISTRIBUTED BY HASH(j) BUCKETS 1");
      for (String insert : inserts) {
        statement.execute(insert);
      }
      statement.execute("ANALYZE TABLE fact");
      statement.execute("ANALYZE TABLE dim");
    }
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

  /** What EXPLAIN ANALYZE says of a run of {@code sql}, one line per element. */
  private static List<String> explainAnalyze(Statement statement, String sql) throws SQLException {
    return ResultRows.of(statement, "EXPLAIN ANALYZE " + sql);
  }

  /** The first match of {@code pattern}'s group 1 in {@code lines} as a number, or -1. */
  private static long number(List<String> lines, Pattern pattern) {
    for (String line : lines) {
      Matcher matcher = pattern.matcher(line);
      if (matcher.find()) {
        return Long.parseLong(matcher.group(1));
      }
    }
    return -1;
  }

  /** The same answer with runtime filters on and off, on one and two scan pipelines. */
  private static List<String> sameWithAndWithoutFilters(Statement statement, String sql)
      throws SQLException {
    List<String> expected = null;
    for (String mode : List.of("OFF", "GLOBAL")) {
      for (int tasks : new int[] {1, 2}) {
        statement.execute("SET runtime_filter_mode = '" + mode + "'");
        statement.execute("SET parallel_pipeline_task_num = " + tasks);
        List<String> answer = ResultRows.of(statement, sql);
        if (expected == null) {
          expected = answer;
          assertThat(expected.getFirst()).as(sql).doesNotStartWith("0|");
        }
        assertThat(answer).as("%s with %s, %d tasks", sql, mode, tasks).isEqualTo(expected);
      }
    }
    statement.execute("SET runtime_filter_mode = DEFAULT");
    statement.execute("SET parallel_pipeline_task_num = 1");
    return expected;
  }

  @Test
  void aFilterThatKeepsMostRowsSwitchesItselfOffAndASelectiveOneStaysOn() throws Exception {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("USE rfa");
      for (String sql : UNSELECTIVE) {
        sameWithAndWithoutFilters(statement, sql);
        List<String> lines = explainAnalyze(statement, sql);
        String published = String.join("\n", lines);
        assertThat(published)
            .as(sql)
            .contains("runtime_filter=published")
            .contains("switched_off_after=");
        long tested = number(lines, TESTED);
        long scanned = number(lines, SCANNED);
        // One judged window of 65,536 rows, then no more tests: fewer rows tested than scanned.
        assertThat(tested).as(published).isBetween(65_536L, 65_536L + 4096);
        assertThat(scanned).as(published).isEqualTo(FACT_ROWS);
      }
      for (String sql : SELECTIVE) {
        sameWithAndWithoutFilters(statement, sql);
        List<String> lines = explainAnalyze(statement, sql);
        String published = String.join("\n", lines);
        assertThat(published).as(sql).doesNotContain("switched_off_after=");
        assertThat(number(lines, TESTED)).as(published).isEqualTo(FACT_ROWS);
        assertThat(number(lines, FILTERED)).as(published).isGreaterThan(FACT_ROWS * 9L / 10);
      }
    }
  }

  @Test
  void keysThroughWideningCastsAreFilteredInTheScan() throws Exception {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("USE rfa");
      for (String sql : CAST_KEYS) {
        sameWithAndWithoutFilters(statement, sql);
        List<String> plan = ResultRows.of(statement, "EXPLAIN " + sql);
        assertThat(plan)
            .as(sql)
            .anyMatch(line -> line.contains("RuntimeFilter(") && line.contains("CAST(rfa.fact."));
        List<String> lines = explainAnalyze(statement, sql);
        assertThat(number(lines, FILTERED))
            .as(String.join("\n", lines))
            .isGreaterThan(FACT_ROWS * 9L / 10);
      }
      for (String computed : COMPUTED_KEYS) {
        sameWithAndWithoutFilters(statement, computed);
        assertThat(ResultRows.of(statement, "EXPLAIN " + computed))
            .as(computed)
            .noneMatch(line -> line.contains("RuntimeFilter(") && line.contains("rfa.fact."));
      }
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
    String database =
        "basalt_rfa_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection mariadb = oracle;
        Statement theirs = mariadb.createStatement();
        Connection connection = connect();
        Statement ours = connection.createStatement()) {
      theirs.execute("CREATE DATABASE " + database);
      try {
        theirs.execute("USE " + database);
        String options = " DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_nopad_bin";
        theirs.execute("CREATE TABLE fact (" + FACT_COLUMNS + ")" + options);
        theirs.execute(
            "CREATE TABLE dim ("
                + DIMENSION_COLUMNS
                + ", INDEX (j), INDEX (bk), INDEX (dk), INDEX (s))"
                + options);
        for (String insert : inserts) {
          theirs.execute(insert);
        }
        ours.execute("USE rfa");
        List<String> queries = new ArrayList<>(UNSELECTIVE);
        queries.addAll(SELECTIVE);
        queries.addAll(CAST_KEYS);
        queries.addAll(COMPUTED_KEYS);
        for (String sql : queries) {
          assertThat(ResultRows.of(ours, sql)).as(sql).isEqualTo(ResultRows.of(theirs, sql));
        }
      } finally {
        theirs.execute("DROP DATABASE " + database);
      }
    }
  }
}
