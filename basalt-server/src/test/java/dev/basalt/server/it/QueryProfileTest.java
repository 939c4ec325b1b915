package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * EXPLAIN ANALYZE and query profiles through the front doors: per-operator rows, zone-map skips,
 * spills and runtime-filter hits are the true numbers (JDBC), with one and with two pipelines; the
 * profiles of {@code enable_profile} queries come back over HTTP (JDK client and curl) to their
 * user and to root only, and the server keeps the last 100.
 */
class QueryProfileTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern COUNTER = Pattern.compile("([a-z_]+)=([0-9.]+)");

  /** Rows of p.big: enough for a scan to split into morsels (two pipelines). */
  private static final int BIG_ROWS = 200_000;

  private static TestServer server;
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    http = HttpClient.newHttpClient();
    try (Connection connection = connect("root", "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE p");
      statement.execute(
          "CREATE TABLE p.t (k INT, v INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
      // Three loads, three segments with disjoint key ranges: 1-1000, 1001-2000, 2001-3000.
      for (int load = 0; load < 3; load++) {
        StringBuilder values = new StringBuilder("INSERT INTO p.t VALUES ");
        for (int k = load * 1000 + 1; k <= load * 1000 + 1000; k++) {
          values.append(k == load * 1000 + 1 ? "" : ", ");
          values.append('(').append(k).append(", ").append(k % 100).append(')');
        }
        statement.execute(values.toString());
      }
      statement.execute(
          "CREATE TABLE p.big (k INT, v INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
      statement.execute(
          "INSERT INTO p.big SELECT x.k * 1000 + y.k, y.k FROM p.t x, p.t y"
              + " WHERE x.k <= 200 AND y.k <= 1000");
      statement.execute("CREATE USER alice IDENTIFIED BY 'pw'");
      statement.execute("CREATE USER bob IDENTIFIED BY 'pw'");
      statement.execute("GRANT SELECT_PRIV ON p.* TO alice");
      statement.execute("GRANT SELECT_PRIV ON p.* TO bob");
    }
  }

  @AfterAll
  static void stop() {
    http.close();
    server.close();
  }

  private static Connection connect(String user, String password) throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl("", ""), user, password);
  }

  /** EXPLAIN ANALYZE's lines. */
  private static List<String> explainAnalyze(Statement statement, String sql) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery("EXPLAIN ANALYZE " + sql)) {
      assertThat(rows.getMetaData().getColumnLabel(1)).isEqualTo("Explain String");
      while (rows.next()) {
        lines.add(rows.getString(1));
      }
    }
    return lines;
  }

  /**
   * The counters of the first operator whose name line starts with {@code prefix} (after
   * indentation): its counter line, and its scan line when it has one.
   */
  private static Map<String, Long> counters(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().startsWith(prefix)) {
        Map<String, Long> counters = new HashMap<>();
        read(lines.get(i + 1), counters);
        if (i + 2 < lines.size() && lines.get(i + 2).contains("segments_skipped_by_zone_maps")) {
          read(lines.get(i + 2), counters);
        }
        return counters;
      }
    }
    throw new AssertionError("no operator " + prefix + " in\n" + String.join("\n", lines));
  }

  private static void read(String line, Map<String, Long> into) {
    Matcher matcher = COUNTER.matcher(line);
    while (matcher.find()) {
      String value = matcher.group(2);
      into.put(matcher.group(1), value.contains(".") ? -1 : Long.parseLong(value));
    }
  }

  /** The first column of each row of {@code sql}. */
  private static List<String> lines(Statement statement, String sql) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        lines.add(rows.getString(1));
      }
    }
    return lines;
  }

  private static long count(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).isTrue();
      return rows.getLong(1);
    }
  }

  @Test
  void zoneMapsSkipSegmentsAndEachOperatorShowsItsTrueRows() throws Exception {
    try (Connection connection = connect("root", "");
        Statement statement = connection.createStatement()) {
      statement.execute("SET parallel_pipeline_task_num = 1");
      List<String> lines =
          explainAnalyze(statement, "SELECT COUNT(*), SUM(v) FROM p.t WHERE k > 2500");
      String all = String.join("\n", lines);
      assertThat(lines.get(0)).as(all).startsWith("Query ").contains("rows=1 ");
      Map<String, Long> scan = counters(lines, "OlapScan");
      // Two of the three segments lie below 2500 and are never opened; the third returns 500.
      assertThat(scan.get("segments_skipped_by_zone_maps")).as(all).isEqualTo(2);
      assertThat(scan.get("rows_scanned")).as(all).isEqualTo(1000);
      assertThat(scan.get("rows_read")).as(all).isEqualTo(500);
      assertThat(scan.get("rows")).as(all).isEqualTo(500);
      assertThat(counters(lines, "HashAggregate").get("rows")).as(all).isEqualTo(1);

      // Without a filter every segment is read.
      List<String> plain = explainAnalyze(statement, "SELECT k, v FROM p.t");
      Map<String, Long> full = counters(plain, "OlapScan");
      assertThat(full.get("segments_skipped_by_zone_maps")).isZero();
      assertThat(full.get("rows")).isEqualTo(3000);
      assertThat(plain.get(0)).contains("rows=3000 ");

      // A filter the scan cannot take over stays an operator of its own with its own rows.
      List<String> filtered =
          explainAnalyze(statement, "SELECT k FROM p.t WHERE k % 10 = 0 ORDER BY k LIMIT 5");
      String text = String.join("\n", filtered);
      assertThat(counters(filtered, "Sort").get("rows")).as(text).isEqualTo(5);
      assertThat(filtered.get(0)).contains("rows=5 ");
    }
  }

  /**
   * A point lookup ({@code k = constant} on the whole key) on a merged table, AGGREGATE and
   * merge-on-read UNIQUE: the merged scan reads only the segments and pages whose key zone maps may
   * hold the key, and still merges the key's rows of every load.
   */
  @Test
  void pointLookupsOnMergedTablesReadOnlyThePagesThatMayHoldTheKey() throws Exception {
    try (Connection connection = connect("root", "");
        Statement statement = connection.createStatement()) {
      statement.execute("SET parallel_pipeline_task_num = 1");
      statement.execute(
          "CREATE TABLE p.sums (k INT, v BIGINT SUM) AGGREGATE KEY(k)"
              + " DISTRIBUTED BY HASH(k) BUCKETS 1");
      statement.execute(
          "CREATE TABLE p.latest (k INT, v BIGINT) UNIQUE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1"
              + " PROPERTIES (\"enable_unique_key_merge_on_write\" = \"false\")");
      for (String table : List.of("p.sums", "p.latest")) {
        // One segment of 200,000 keys (1001 to 200,1000, many pages), one of two keys whose zone
        // map (5000 to 6000) rules the looked-up key out, and one more row of that key.
        statement.execute("INSERT INTO " + table + " SELECT k, v FROM p.big");
        statement.execute("INSERT INTO " + table + " VALUES (5000, 7), (6000, 7)");
        statement.execute("INSERT INTO " + table + " VALUES (100500, 1000), (100501, 1000)");
        boolean sums = table.equals("p.sums");
        String expected = "100500 " + (sums ? 1500 : 1000);
        String point = "SELECT k, v FROM " + table + " WHERE k = 100500";
        try (ResultSet rows = statement.executeQuery(point)) {
          assertThat(rows.next()).isTrue();
          assertThat(rows.getLong(1) + " " + rows.getLong(2)).isEqualTo(expected);
          assertThat(rows.next()).isFalse();
        }
        List<String> lines = explainAnalyze(statement, point);
        String all = String.join("\n", lines);
        Map<String, Long> scan = counters(lines, "OlapScan");
        assertThat(scan.get("rows")).as(all).isEqualTo(1);
        assertThat(scan.get("segments_skipped_by_zone_maps")).as(all).isEqualTo(1);
        assertThat(scan.get("rows_skipped_by_zone_maps")).as(all).isPositive();
        // The big segment's pages of k and v outside the key's page are never loaded.
        assertThat(scan.get("pages_skipped_by_zone_maps")).as(all).isGreaterThan(2);
        // Rows in the pages left (one page of the big segment and the last load's segment).
        assertThat(scan.get("rows_read")).as(all).isLessThan(BIG_ROWS / 4);
        assertThat(scan.get("rows_scanned") - scan.get("rows_skipped_by_zone_maps"))
            .as(all)
            .isLessThan(BIG_ROWS / 4);

        // A scan of the whole table reads every row of every segment.
        List<String> unbounded = explainAnalyze(statement, "SELECT k, v FROM " + table);
        Map<String, Long> full = counters(unbounded, "OlapScan");
        String text = String.join("\n", unbounded);
        assertThat(full.get("rows")).as(text).isEqualTo(BIG_ROWS);
        assertThat(full.get("segments_skipped_by_zone_maps")).as(text).isZero();
        assertThat(full.get("rows_skipped_by_zone_maps")).as(text).isZero();
        assertThat(full.get("pages_skipped_by_zone_maps")).as(text).isZero();
        assertThat(full.get("rows_read")).as(text).isEqualTo(BIG_ROWS + 4);
      }
    }
  }

  @Test
  void parallelPipelinesSumTheirInstances() throws Exception {
    try (Connection connection = connect("root", "");
        Statement statement = connection.createStatement()) {
      statement.execute("SET parallel_pipeline_task_num = 2");
      String sql = "SELECT v, COUNT(*) FROM p.big WHERE v <= 500 GROUP BY v";
      List<String> lines = explainAnalyze(statement, sql);
      String all = String.join("\n", lines);
      Map<String, Long> scan = counters(lines, "OlapScan");
      assertThat(all).contains("OlapScan(table=[[p, big]]) + Filter(").doesNotContain("+ OlapScan");
      assertThat(scan.get("instances")).as(all).isEqualTo(2);
      assertThat(scan.get("rows")).as(all).isEqualTo(BIG_ROWS / 2);
      assertThat(scan.get("rows_read")).as(all).isEqualTo(BIG_ROWS / 2);
      assertThat(scan.get("rows_scanned")).as(all).isEqualTo(BIG_ROWS);
      assertThat(counters(lines, "HashAggregate").get("rows")).as(all).isEqualTo(500);
      assertThat(lines.get(0)).contains("rows=500 ");

      // EXPLAIN shows the same operators without running them, and what the scan was given.
      List<String> plan = lines(statement, "EXPLAIN " + sql);
      assertThat(lines(statement, "EXPLAIN PHYSICAL PLAN " + sql)).isEqualTo(plan);
      assertThat(lines(statement, "EXPLAIN VERBOSE " + sql)).isEqualTo(plan);
      assertThat(plan.get(0)).as(String.join("\n", plan)).startsWith("HashAggregate(");
      assertThat(plan)
          .as(String.join("\n", plan))
          .contains(
              "   phases=[PartialAggregate in each of 2 scan pipelines -> LocalExchange -> final"
                  + " merge of partial states]",
              "     pushed predicate=[<=(v, 500)], zone-map bounds=1");
      assertThat(plan)
          .as(String.join("\n", plan))
          .anySatisfy(
              line ->
                  assertThat(line.strip())
                      .startsWith("OlapScan(table=[[p, big]])")
                      .endsWith("[instances=2]"));
      assertThat(plan).noneMatch(line -> line.contains("rows="));
    }
  }

  @Test
  void aSpillingAggregationReportsItsSpill() throws Exception {
    try (Connection connection = connect("root", "");
        Statement statement = connection.createStatement()) {
      statement.execute("SET parallel_pipeline_task_num = 1");
      statement.execute("SET exec_mem_limit = 2000000");
      List<String> lines = explainAnalyze(statement, "SELECT k, COUNT(*) FROM p.big GROUP BY k");
      String all = String.join("\n", lines);
      Map<String, Long> aggregate = counters(lines, "HashAggregate");
      assertThat(aggregate.get("rows")).as(all).isEqualTo(BIG_ROWS);
      assertThat(aggregate.get("spilled_bytes")).as(all).isPositive();
      assertThat(aggregate.get("spill_partitions")).as(all).isGreaterThanOrEqualTo(16);
      assertThat(aggregate.get("peak_memory")).as(all).isPositive().isLessThanOrEqualTo(2_000_000);

      // Without GROUP BY, COUNT(DISTINCT k) spills the values its set cannot hold (issue 14).
      String distinct = "SELECT COUNT(DISTINCT k) FROM p.big";
      assertThat(count(statement, distinct)).isEqualTo(BIG_ROWS);
      List<String> global = explainAnalyze(statement, distinct);
      Map<String, Long> globalAggregate = counters(global, "HashAggregate");
      assertThat(globalAggregate.get("spilled_bytes")).as(String.join("\n", global)).isPositive();
      assertThat(globalAggregate.get("spill_partitions"))
          .as(String.join("\n", global))
          .isGreaterThanOrEqualTo(16);

      statement.execute("SET exec_mem_limit = DEFAULT");
      List<String> roomy = explainAnalyze(statement, "SELECT k, COUNT(*) FROM p.big GROUP BY k");
      assertThat(counters(roomy, "HashAggregate")).doesNotContainKey("spilled_bytes");
    }
  }

  @Test
  void aJoinShowsWhatItsRuntimeFilterRemovedInTheProbeScan() throws Exception {
    try (Connection connection = connect("root", "");
        Statement statement = connection.createStatement()) {
      statement.execute("SET parallel_pipeline_task_num = 1");
      String sql = "SELECT COUNT(*) FROM p.big b JOIN p.t s ON b.k = s.k WHERE s.v < 10";
      long expected = count(statement, sql);
      List<String> lines = explainAnalyze(statement, sql);
      String all = String.join("\n", lines);
      assertThat(counters(lines, "HashJoin").get("rows")).as(all).isEqualTo(expected);
      // The probe side: p.big's scan (the first OlapScan under the join).
      Map<String, Long> probe = counters(lines, "OlapScan(table=[[p, big]])");
      assertThat(probe.get("runtime_filter_rows_filtered")).as(all).isPositive();
      // Pages outside the build side's min/max are skipped; the rest either pass or are filtered.
      assertThat(probe.get("rows_scanned") - probe.get("rows_skipped_by_zone_maps"))
          .as(all)
          .isEqualTo(probe.get("rows_read") + probe.get("runtime_filter_rows_filtered"));
      assertThat(probe.get("rows")).as(all).isEqualTo(probe.get("rows_read"));
      assertThat(probe.get("rows_read")).as(all).isGreaterThanOrEqualTo(expected);
      assertThat(probe.get("rows_read")).as(all).isLessThan(BIG_ROWS);
      // Keys above the build side's max (3000) fill most of p.big's pages: never loaded.
      assertThat(probe.get("pages_skipped_by_zone_maps")).as(all).isPositive();
      // The join published its filter: the build keys k % 100 < 10 of 1..3000 fit a bitmap.
      assertThat(all)
          .contains(
              "runtime_filter=published kind=min/max+bitmap keys=300 bytes=376 min=1 max=3000")
          .contains(
              "RuntimeFilter(join=[INNER], probe column=[p.big.k], min/max and key set from the"
                  + " build side, kind=[bitmap, IN or bloom])");
      // EXPLAIN names the filter on the join and on the probe scan, without running anything.
      List<String> plan = lines(statement, "EXPLAIN " + sql);
      assertThat(plan)
          .as(String.join("\n", plan))
          .contains(
              "     RuntimeFilter(join=[INNER], probe column=[p.big.k], min/max and key set from"
                  + " the build side, kind=[bitmap, IN or bloom])")
          .anySatisfy(line -> assertThat(line).contains("runtime filters=[k]"))
          .noneMatch(line -> line.contains("runtime_filter="));

      // Build keys 10,000,000 apart are too wide for a bitmap: the join's hash table answers.
      statement.execute(
          "CREATE TABLE p.wide (k INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
      statement.execute("INSERT INTO p.wide VALUES (1001), (10000000), (20000000)");
      String wide = "SELECT COUNT(*) FROM p.big b JOIN p.wide w ON b.k = w.k";
      List<String> wideLines = explainAnalyze(statement, wide);
      assertThat(String.join("\n", wideLines))
          .contains("runtime_filter=published kind=min/max+exact_in keys=3 ");
    }
  }

  @Test
  void aStringKeyJoinShowsWhatItsRuntimeFilterRemovedInTheProbeScan() throws Exception {
    try (Connection connection = connect("root", "");
        Statement statement = connection.createStatement()) {
      statement.execute("SET parallel_pipeline_task_num = 1");
      statement.execute(
          "CREATE TABLE p.names (name VARCHAR(20), v INT) DUPLICATE KEY(name)"
              + " DISTRIBUTED BY HASH(name) BUCKETS 1");
      statement.execute("INSERT INTO p.names SELECT CONCAT('n', CAST(k AS VARCHAR)), v FROM p.t");
      statement.execute(
          "CREATE TABLE p.big_names (name VARCHAR(20), k INT) DUPLICATE KEY(name)"
              + " DISTRIBUTED BY HASH(name) BUCKETS 1");
      statement.execute(
          "INSERT INTO p.big_names SELECT CONCAT('n', CAST(k % 3000 + 1 AS VARCHAR)), k FROM p.big");
      // 30 names on the build side: an exact IN list; 1,200: a Bloom filter (keeping 40 % of the
      // probe rows, below the cut-off for string keys: RuntimeFilterAdaptiveTest).
      for (String condition : List.of("s.v = 7", "s.v < 40")) {
        String sql =
            "SELECT COUNT(*) FROM p.big_names b JOIN p.names s ON b.name = s.name WHERE "
                + condition;
        long expected = count(statement, sql);
        List<String> lines = explainAnalyze(statement, sql);
        String all = String.join("\n", lines);
        assertThat(counters(lines, "HashJoin").get("rows")).as(all).isEqualTo(expected);
        Map<String, Long> probe = counters(lines, "OlapScan(table=[[p, big_names]])");
        // Rows outside the build side's min/max name are skipped by zone maps; the rest are
        // read, then kept or filtered.
        assertThat(probe.get("rows_scanned") - probe.get("rows_skipped_by_zone_maps"))
            .as(all)
            .isEqualTo(probe.get("rows_read") + probe.get("runtime_filter_rows_filtered"));
        assertThat(probe.get("rows_read")).as(all).isGreaterThanOrEqualTo(expected);
        // Exact, or at most the Bloom filter's ~1% of the 20,000 rows that cannot match.
        assertThat(probe.get("rows_read") - expected).as(all).isLessThanOrEqualTo(2_000);
        assertThat(probe.get("runtime_filter_rows_filtered")).as(all).isPositive();
      }
      statement.execute("SET runtime_filter_mode = 'OFF'");
      Map<String, Long> unfiltered =
          counters(
              explainAnalyze(
                  statement,
                  "SELECT COUNT(*) FROM p.big_names b JOIN p.names s ON b.name = s.name"
                      + " WHERE s.v = 7"),
              "OlapScan(table=[[p, big_names]])");
      assertThat(unfiltered.get("rows_read")).isEqualTo(BIG_ROWS);
      assertThat(unfiltered.getOrDefault("runtime_filter_rows_filtered", 0L)).isZero();
      statement.execute("SET runtime_filter_mode = DEFAULT");
    }
  }

  private static HttpResponse<String> get(String path, String user, String password)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path));
    if (user != null) {
      request.header("Authorization", StreamLoadClient.basic(user, password));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The id of the newest kept profile of {@code sql} that {@code user} sees, or null. */
  private static String profileId(String user, String sql) throws Exception {
    HttpResponse<String> response = get("/rest/v1/query_profile", user, "pw");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    for (JsonNode row : JSON.readTree(response.body()).get("data").get("rows")) {
      if (row.get("Sql Statement").asText().equals(sql)) {
        return row.get("Profile ID").asText();
      }
    }
    return null;
  }

  @Test
  void profilesComeBackOverHttpToTheirUserAndAdministratorsOnly() throws Exception {
    String sql = "SELECT COUNT(*) FROM p.t WHERE k > 2750";
    String unprofiled = "SELECT COUNT(*) FROM p.t WHERE k > 2999";
    try (Connection connection = connect("alice", "pw");
        Statement statement = connection.createStatement()) {
      assertThat(count(statement, unprofiled)).isEqualTo(1);
      statement.execute("SET enable_profile = true");
      assertThat(count(statement, sql)).isEqualTo(250);
    }
    assertThat(profileId("alice", unprofiled)).isNull();
    String id = profileId("alice", sql);
    assertThat(id).isNotNull();
    // Bob sees neither the list entry nor the profile.
    assertThat(profileId("bob", sql)).isNull();

    HttpResponse<String> own = get("/api/profile?query_id=" + id, "alice", "pw");
    assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(own.body());
    assertThat(body.get("code").asInt()).isZero();
    assertThat(body.get("msg").asText()).isEqualTo("success");
    String profile = body.get("data").get("profile").asText();
    assertThat(profile)
        .contains("Profile ID: " + id)
        .contains("User: alice")
        .contains("Task State: OK")
        .contains("Sql Statement: " + sql)
        .contains("Rows Returned: 1")
        .contains("segments_skipped_by_zone_maps=2")
        .contains("pages_skipped_by_zone_maps=")
        .contains("rows_read=250");

    assertThat(get("/api/profile?query_id=" + id, "root", "").statusCode()).isEqualTo(200);
    HttpResponse<String> other = get("/api/profile?query_id=" + id, "bob", "pw");
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(other.body()).get("data").asText()).contains("another user");
    assertThat(get("/api/profile?query_id=" + id, "alice", "wrong").statusCode()).isEqualTo(401);
    assertThat(get("/api/profile?query_id=" + id, null, null).statusCode()).isEqualTo(401);
    assertThat(get("/api/profile?query_id=no-such-query", "alice", "pw").statusCode())
        .isEqualTo(404);
    assertThat(get("/api/profile", "alice", "pw").statusCode()).isEqualTo(400);

    // The text form, with curl.
    Process curl =
        new ProcessBuilder(
                "curl",
                "-sS",
                "-u",
                "alice:pw",
                "http://127.0.0.1:" + server.httpPort() + "/api/profile/text?query_id=" + id)
            .redirectErrorStream(true)
            .start();
    String text = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(text).startsWith("Summary:").contains("Execution Profile " + id + ":");

    // SHOW QUERY PROFILE over JDBC: the list and one profile, to its user only.
    try (Connection connection = connect("alice", "pw");
        Statement statement = connection.createStatement()) {
      List<String> ids = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery("SHOW QUERY PROFILE \"/\"")) {
        assertThat(rows.getMetaData().getColumnLabel(1)).isEqualTo("Profile ID");
        while (rows.next()) {
          ids.add(rows.getString(1));
          assertThat(rows.getString("User")).isEqualTo("alice");
        }
      }
      assertThat(ids).contains(id);
      List<String> lines = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery("SHOW QUERY PROFILE '/" + id + "'")) {
        while (rows.next()) {
          lines.add(rows.getString(1));
        }
      }
      assertThat(lines).contains("Summary:", "  - Sql Statement: " + sql);
    }
    try (Connection connection = connect("bob", "pw");
        Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.executeQuery("SHOW QUERY PROFILE '/" + id + "'"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("not found (or it is another user's)");
    }
  }

  @Test
  void theServerKeepsTheLastHundredProfiles() throws Exception {
    try (Connection connection = connect("bob", "pw");
        Statement statement = connection.createStatement()) {
      statement.execute("SET enable_profile = true");
      for (int i = 0; i < 105; i++) {
        count(statement, "SELECT COUNT(*) FROM p.t WHERE k > " + i);
      }
    }
    HttpResponse<String> response = get("/rest/v1/query_profile", "root", "");
    JsonNode rows = JSON.readTree(response.body()).get("data").get("rows");
    assertThat(rows.size()).isEqualTo(100);
    assertThat(rows.get(0).get("Sql Statement").asText())
        .isEqualTo("SELECT COUNT(*) FROM p.t WHERE k > 104");
    assertThat(profileId("bob", "SELECT COUNT(*) FROM p.t WHERE k > 4")).isNull();
    assertThat(profileId("bob", "SELECT COUNT(*) FROM p.t WHERE k > 5")).isNotNull();
  }
}
