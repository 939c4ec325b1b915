package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.load.compaction.MaintenanceConfig;
import dev.basalt.server.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Zone maps on string columns, through the MySQL protocol: predicates on VARCHAR, STRING and CHAR
 * columns ({@code =}, {@code <>}, ranges, BETWEEN, IN, {@code LIKE 'prefix%'}, point lookups on
 * merged tables) skip the pages and segments whose string min/max rule them out, as EXPLAIN
 * ANALYZE's counters show; and on random strings (trailing spaces, control characters, empty
 * strings, multi-byte UTF-8, NULLs, strings longer than a zone map keeps) every predicate returns
 * the same rows as the same predicate in a shape that prunes nothing.
 */
class StringZoneMapTest {
  private static final Pattern COUNTER = Pattern.compile("([a-z_]+)=([0-9]+)");

  /** Rows of z.big: sorted keys 'key00001001' .. over many pages of one segment. */
  private static final int BIG_ROWS = 200_000;

  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    // No background compaction: randomStringPredicatesReturnWhatAScanWithoutPruningReturns needs
    // z.r's small loads to stay separate segments (compaction that copies pages finished merging
    // them before the queries ran).
    server = TestServer.start(ServerConfig.DEFAULT_LOAD_BUFFER_BYTES, MaintenanceConfig.ON_REQUEST);
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE z");
      statement.execute(
          "CREATE TABLE z.n (i INT) DUPLICATE KEY(i) DISTRIBUTED BY HASH(i) BUCKETS 1");
      StringBuilder values = new StringBuilder("INSERT INTO z.n VALUES ");
      for (int i = 1; i <= 1000; i++) {
        values.append(i == 1 ? "" : ", ").append('(').append(i).append(')');
      }
      statement.execute(values.toString());
      statement.execute(
          "CREATE TABLE z.big (k VARCHAR(20), c CHAR(12), s STRING, v INT) DUPLICATE KEY(k)"
              + " DISTRIBUTED BY HASH(k) BUCKETS 1");
      statement.execute(
          "INSERT INTO z.big SELECT concat('key', lpad(x.i * 1000 + y.i, 8, '0')),"
              + " concat('c', lpad(x.i * 1000 + y.i, 8, '0')),"
              + " concat('s', lpad(x.i * 1000 + y.i, 8, '0')), y.i FROM z.n x, z.n y"
              + " WHERE x.i <= 200");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
  }

  /** The scan counters of EXPLAIN ANALYZE {@code sql}'s first OlapScan, and its result rows. */
  private static Map<String, Long> scanCounters(Statement statement, String sql)
      throws SQLException {
    List<String> lines = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery("EXPLAIN ANALYZE " + sql)) {
      while (rows.next()) {
        lines.add(rows.getString(1));
      }
    }
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().startsWith("OlapScan")) {
        Map<String, Long> counters = new HashMap<>();
        for (int next = i + 1; next <= i + 2 && next < lines.size(); next++) {
          Matcher matcher = COUNTER.matcher(lines.get(next));
          while (matcher.find()) {
            counters.put(matcher.group(1), Long.parseLong(matcher.group(2)));
          }
        }
        counters.put("explain_lines", (long) lines.size());
        return counters;
      }
    }
    throw new AssertionError("no OlapScan in\n" + String.join("\n", lines));
  }

  @Test
  void stringPredicatesSkipThePagesTheirZoneMapsRuleOut() throws Exception {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("SET parallel_pipeline_task_num = 1");
      // Each predicate, and how many of z.big's rows it keeps.
      Map<String, Long> predicates = new java.util.LinkedHashMap<>();
      predicates.put("k = 'key00100500'", 1L);
      predicates.put("k < 'key00001100'", 99L);
      predicates.put("k >= 'key00200990'", 11L);
      predicates.put("k BETWEEN 'key00150000' AND 'key00150009'", 10L);
      predicates.put("k IN ('key00120001', 'key00120002', 'key00120999')", 3L);
      predicates.put("k LIKE 'key001234%'", 100L);
      predicates.put("k LIKE 'key0012345_'", 10L);
      predicates.put("'key00002000' > k", 999L);
      // CHAR ignores trailing spaces: 'c00100500   ' equals 'c00100500'.
      predicates.put("c = 'c00100500   '", 1L);
      predicates.put("c <= 'c00001001 '", 1L);
      predicates.put("s = 's00199999'", 1L);
      for (Map.Entry<String, Long> predicate : predicates.entrySet()) {
        String sql = "SELECT COUNT(*), MIN(v) FROM z.big WHERE " + predicate.getKey();
        List<String> answer = ResultRows.of(statement, sql);
        assertThat(answer.get(0)).as(sql).startsWith(predicate.getValue() + "|");
        if (!predicate.getKey().startsWith("c ")) {
          // The same predicate in a shape without bounds (an OR with another column) agrees.
          // (Not for CHAR: the engine compares a CHAR column under an OR without ignoring
          // trailing spaces, and alone ignoring them.)
          assertThat(ResultRows.of(statement, sql.replace("WHERE ", "WHERE v < 0 OR ")))
              .as(sql)
              .isEqualTo(answer);
        }
        Map<String, Long> scan =
            scanCounters(statement, "SELECT v FROM z.big WHERE " + predicate.getKey());
        assertThat(scan.get("rows")).as(sql).isEqualTo(predicate.getValue());
        // Most of the segment's pages (of the filter column and of v) are never loaded.
        assertThat(scan.get("pages_skipped_by_zone_maps"))
            .as("%s: %s", sql, scan)
            .isGreaterThan(10);
        assertThat(scan.get("rows_skipped_by_zone_maps"))
            .as("%s: %s", sql, scan)
            .isGreaterThan(BIG_ROWS / 2);
      }
      // <> skips only pages of one value; NOT LIKE and a leading wildcard skip nothing.
      for (String predicate :
          List.of("k <> 'key00100500'", "k NOT LIKE 'key001%'", "k LIKE '%5'")) {
        Map<String, Long> scan = scanCounters(statement, "SELECT v FROM z.big WHERE " + predicate);
        assertThat(scan.get("pages_skipped_by_zone_maps")).as("%s: %s", predicate, scan).isZero();
      }
    }
  }

  /**
   * A point lookup on the VARCHAR key of merged tables (AGGREGATE and merge-on-read UNIQUE) reads
   * only the segments and pages whose key range may hold the key.
   */
  @Test
  void pointLookupsOnStringKeysOfMergedTablesSkipSegmentsAndPages() throws Exception {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("SET parallel_pipeline_task_num = 1");
      statement.execute(
          "CREATE TABLE z.sums (k VARCHAR(20), v BIGINT SUM) AGGREGATE KEY(k)"
              + " DISTRIBUTED BY HASH(k) BUCKETS 1");
      statement.execute(
          "CREATE TABLE z.latest (k VARCHAR(20), v BIGINT) UNIQUE KEY(k)"
              + " DISTRIBUTED BY HASH(k) BUCKETS 1"
              + " PROPERTIES (\"enable_unique_key_merge_on_write\" = \"false\")");
      for (String table : List.of("z.sums", "z.latest")) {
        statement.execute("INSERT INTO " + table + " SELECT k, v FROM z.big");
        statement.execute("INSERT INTO " + table + " VALUES ('m', 7), ('n', 7)");
        statement.execute("INSERT INTO " + table + " VALUES ('key00100500', 1000), ('key9', 1)");
        String point = "SELECT k, v FROM " + table + " WHERE k = 'key00100500'";
        assertThat(ResultRows.of(statement, point))
            .as(point)
            .containsExactly("key00100500|" + (table.equals("z.sums") ? 1500 : 1000));
        Map<String, Long> scan = scanCounters(statement, point);
        assertThat(scan.get("segments_skipped_by_zone_maps")).as("%s", scan).isEqualTo(1);
        assertThat(scan.get("pages_skipped_by_zone_maps")).as("%s", scan).isGreaterThan(2);
        assertThat(scan.get("rows_read")).as("%s", scan).isLessThan(BIG_ROWS / 4);
      }
    }
  }

  /**
   * A join on a string key publishes the build side's smallest and largest key, and the probe scan
   * skips the pages outside them.
   */
  @Test
  void aJoinsRuntimeFilterOnAStringKeySkipsProbePagesOutsideItsMinAndMax() throws Exception {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("SET parallel_pipeline_task_num = 1");
      statement.execute(
          "CREATE TABLE z.dim (k VARCHAR(20), w INT) DUPLICATE KEY(k)"
              + " DISTRIBUTED BY HASH(k) BUCKETS 1");
      statement.execute(
          "INSERT INTO z.dim VALUES ('key00150001', 1), ('key00150500', 2), ('key00151000', 3),"
              + " ('nokey', 4)");
      String sql = "SELECT COUNT(*), SUM(b.v) FROM z.big b JOIN z.dim d ON b.k = d.k WHERE w < 4";
      assertThat(ResultRows.of(statement, sql)).containsExactly("3|1501");
      List<String> lines = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery("EXPLAIN ANALYZE " + sql)) {
        while (rows.next()) {
          lines.add(rows.getString(1));
        }
      }
      String all = String.join("\n", lines);
      assertThat(all)
          .contains("runtime_filter=published kind=min/max+exact_in keys=3 ")
          .contains("min=key00150001 max=key00151000");
      Map<String, Long> probe = scanCounters(statement, sql);
      assertThat(probe.get("pages_skipped_by_zone_maps")).as(all).isGreaterThan(10);
      assertThat(probe.get("rows_skipped_by_zone_maps")).as(all).isGreaterThan(BIG_ROWS / 2);
    }
  }

  /** Pieces of the random strings: spaces, a tab and U+0001 below the space, multi-byte UTF-8. */
  private static final String[] PIECES = {
    "a", "b", "m", "z", " ", " ", "\t", "\u0001", "!", "é", "中", "\uE000", "😀", "A", "%", "_"
  };

  private static String randomString(Random random, int maxPieces) {
    int length = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(maxPieces);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append(PIECES[random.nextInt(PIECES.length)]);
    }
    if (random.nextInt(4) == 0) {
      text.append(" ".repeat(1 + random.nextInt(3)));
    }
    return text.toString();
  }

  private static String literal(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static int byteOrder(String left, String right) {
    return Arrays.compareUnsigned(
        left.getBytes(StandardCharsets.UTF_8), right.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Random strings in many small loads (segments) of z.r, each sorted by its strings so that
   * segments and pages hold narrow ranges, and all in one load of z.ref with two more rows (ids -1
   * and -2: the empty string and a string above every other one, too long for a zone map to keep as
   * a max) so that z.ref's zone maps rule nothing out: random predicates give the same rows on both
   * tables (same plan, same evaluation), and z.r's scans skip segments.
   */
  @Test
  void randomStringPredicatesReturnWhatAScanWithoutPruningReturns() throws Exception {
    long seed = 20261207L;
    Random random = new Random(seed);
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("SET parallel_pipeline_task_num = 1");
      for (String table : List.of("z.r", "z.ref")) {
        statement.execute(
            "CREATE TABLE "
                + table
                + " (id INT, v VARCHAR(400), c CHAR(40), s STRING) DUPLICATE KEY(id)"
                + " DISTRIBUTED BY HASH(id) BUCKETS 1");
      }
      String top = new String(Character.toChars(Character.MAX_CODE_POINT));
      List<String> samples = new ArrayList<>();
      List<String> allRows = new ArrayList<>();
      allRows.add("(-1, '', '', '')");
      allRows.add(
          "(-2, '" + top.repeat(70) + "', '" + top.repeat(40) + "', '" + top.repeat(70) + "')");
      int id = 0;
      for (int load = 0; load < 30; load++) {
        int rows = 5 + random.nextInt(40);
        List<String> strings = new ArrayList<>();
        for (int row = 0; row < rows; row++) {
          String text = randomString(random, 5);
          if (random.nextInt(20) == 0) {
            // Longer than the 256 bytes a zone map keeps.
            text = text + "y".repeat(300) + random.nextInt(10);
          }
          strings.add(text);
        }
        strings.sort(StringZoneMapTest::byteOrder);
        List<String> loadRows = new ArrayList<>();
        for (int row = 0; row < rows; row++) {
          String text = strings.get(row);
          boolean isNull = random.nextInt(10) == 0;
          String value = isNull ? "NULL" : literal(text);
          String character = isNull || text.length() > 40 ? "NULL" : value;
          loadRows.add("(" + id++ + ", " + value + ", " + character + ", " + value + ")");
          samples.add(text);
        }
        statement.execute("INSERT INTO z.r VALUES " + String.join(", ", loadRows));
        allRows.addAll(loadRows);
      }
      statement.execute("INSERT INTO z.ref VALUES " + String.join(", ", allRows));
      String[] operators = {"=", "<>", "<", "<=", ">", ">="};
      String[] columns = {"v", "c", "s"};
      long skipped = 0;
      for (int query = 0; query < 150; query++) {
        String column = columns[random.nextInt(columns.length)];
        String constant =
            random.nextBoolean()
                ? samples.get(random.nextInt(samples.size()))
                : randomString(random, 4);
        if (random.nextBoolean() && constant.length() > 0) {
          constant = constant.substring(0, random.nextInt(constant.length()));
          if (!constant.isEmpty()
              && Character.isHighSurrogate(constant.charAt(constant.length() - 1))) {
            constant = constant.substring(0, constant.length() - 1);
          }
        }
        if (column.equals("c") && constant.length() > 40) {
          constant = constant.substring(0, 30);
        }
        String predicate =
            switch (random.nextInt(5)) {
              case 0 ->
                  column
                      + " IN ("
                      + literal(constant)
                      + ", "
                      + literal(samples.get(random.nextInt(samples.size())))
                      + ", "
                      + literal(randomString(random, 3))
                      + ")";
              case 1 -> {
                String other = randomString(random, 3);
                boolean ordered = byteOrder(constant, other) <= 0;
                yield column
                    + " BETWEEN "
                    + literal(ordered ? constant : other)
                    + " AND "
                    + literal(ordered ? other : constant);
              }
              case 2 ->
                  column
                      + " LIKE "
                      + literal(constant.replace("\\", "").replace("%", "").replace("_", "") + "%");
              default ->
                  column
                      + " "
                      + operators[random.nextInt(operators.length)]
                      + " "
                      + literal(constant);
            };
        String pruned = "SELECT id FROM z.r WHERE " + predicate + " ORDER BY id";
        List<String> expected =
            new ArrayList<>(ResultRows.of(statement, pruned.replace("z.r ", "z.ref ")));
        expected.removeAll(List.of("-1", "-2"));
        assertThat(ResultRows.of(statement, pruned))
            .as("seed %d: %s", seed, predicate)
            .isEqualTo(expected);
        if (query % 5 == 0) {
          Map<String, Long> scan = scanCounters(statement, pruned);
          skipped += scan.getOrDefault("segments_skipped_by_zone_maps", 0L);
        }
      }
      assertThat(skipped).as("segments skipped over the sampled queries").isPositive();
    }
  }
}
