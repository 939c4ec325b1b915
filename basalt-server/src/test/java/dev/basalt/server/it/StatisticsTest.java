package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ANALYZE TABLE, SHOW TABLE/COLUMN STATS and the cost-based join order they enable, through the
 * MySQL protocol (docs/statistics.md).
 */
class StatisticsTest {
  private static TestServer server;
  private static Connection connection;

  @BeforeAll
  static void start() throws SQLException {
    server = TestServer.start();
    connection = connect();
    execute("CREATE DATABASE st");
    execute(
        "CREATE TABLE st.digits (d INT NOT NULL) DUPLICATE KEY(d) DISTRIBUTED BY HASH(d)"
            + " BUCKETS 1");
    execute("INSERT INTO st.digits VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)");
    // fact: 10,000 rows; dim: 1,000 rows; tiny: 10 rows.
    execute(
        "CREATE TABLE st.fact (id INT NOT NULL, dim_id INT, tiny_id INT, v INT)"
            + " DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 2");
    execute(
        "INSERT INTO st.fact SELECT a.d * 1000 + b.d * 100 + c.d * 10 + e.d,"
            + " (a.d * 1000 + b.d * 100 + c.d * 10 + e.d) % 1000, e.d, a.d"
            + " FROM st.digits a, st.digits b, st.digits c, st.digits e");
    execute(
        "CREATE TABLE st.dim (id INT NOT NULL, name VARCHAR(20)) DUPLICATE KEY(id)"
            + " DISTRIBUTED BY HASH(id) BUCKETS 1");
    execute(
        "INSERT INTO st.dim SELECT a.d * 100 + b.d * 10 + c.d, concat('d', a.d * 100 + b.d * 10 +"
            + " c.d) FROM st.digits a, st.digits b, st.digits c");
    execute(
        "CREATE TABLE st.tiny (id INT NOT NULL, name VARCHAR(20)) DUPLICATE KEY(id)"
            + " DISTRIBUTED BY HASH(id) BUCKETS 1");
    execute("INSERT INTO st.tiny SELECT d, concat('t', d) FROM st.digits");
  }

  @AfterAll
  static void stop() throws SQLException {
    connection.close();
    server.close();
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl("", ""), TestServer.ROOT_USER, "");
  }

  @Test
  void analyzeShowsColumnStatisticsThatSurviveARestart() throws Exception {
    execute(
        "CREATE TABLE st.mixed (k INT NOT NULL, s VARCHAR(10), amount DECIMAL(10, 2), day DATE)"
            + " DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
    execute(
        "INSERT INTO st.mixed VALUES (1, 'b', 1.50, '2024-01-02'), (2, 'a', 2.25, NULL),"
            + " (3, NULL, 1.50, '2024-03-04'), (4, 'ccc', -7.00, '2024-01-02')");
    List<Map<String, String>> before = rows("SHOW COLUMN STATS st.mixed");
    assertThat(before).isEmpty();
    Map<String, String> neverAnalyzed = rows("SHOW TABLE STATS st.mixed").get(0);
    assertThat(neverAnalyzed).containsEntry("row_count", "4").containsEntry("columns", "[]");
    assertThat(neverAnalyzed.get("updated_time")).isNull();

    execute("ANALYZE TABLE st.mixed WITH SYNC");
    Map<String, Map<String, String>> stats = byColumn(rows("SHOW COLUMN STATS st.mixed"));
    assertThat(stats.keySet()).containsExactly("k", "s", "amount", "day");
    assertThat(stats.get("k"))
        .containsEntry("index_name", "mixed")
        .containsEntry("count", "4")
        .containsEntry("ndv", "4")
        .containsEntry("num_null", "0")
        .containsEntry("min", "1")
        .containsEntry("max", "4")
        .containsEntry("data_size", "16");
    assertThat(stats.get("s"))
        .containsEntry("ndv", "3")
        .containsEntry("num_null", "1")
        .containsEntry("min", "a")
        .containsEntry("max", "ccc")
        .containsEntry("data_size", "5");
    assertThat(stats.get("amount"))
        .containsEntry("ndv", "3")
        .containsEntry("min", "-7.00")
        .containsEntry("max", "2.25");
    assertThat(stats.get("day"))
        .containsEntry("ndv", "2")
        .containsEntry("num_null", "1")
        .containsEntry("min", "2024-01-02")
        .containsEntry("max", "2024-03-04");
    Map<String, String> table = rows("SHOW TABLE STATS st.mixed").get(0);
    assertThat(table)
        .containsEntry("row_count", "4")
        .containsEntry("updated_rows", "0")
        .containsEntry("columns", "[k, s, amount, day]")
        .containsEntry("trigger", "MANUAL");

    execute("INSERT INTO st.mixed VALUES (5, 'd', 0, NULL)");
    assertThat(rows("SHOW TABLE STATS st.mixed").get(0))
        .containsEntry("row_count", "5")
        .containsEntry("updated_rows", "1");
    assertThat(byColumn(rows("SHOW COLUMN STATS st.mixed (s, K)")).keySet())
        .containsExactly("k", "s");

    connection.close();
    server.restart();
    connection = connect();
    assertThat(byColumn(rows("SHOW COLUMN STATS st.mixed")).get("s"))
        .containsEntry("ndv", "3")
        .containsEntry("max", "ccc");
  }

  @Test
  void badNamesFailWithMysqlErrors() {
    assertThatThrownBy(() -> execute("ANALYZE TABLE st.missing"))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1146));
    assertThatThrownBy(() -> execute("ANALYZE TABLE st.tiny (nope)"))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1054));
    assertThatThrownBy(() -> rows("SHOW COLUMN STATS st.tiny (nope)"))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1054));
  }

  /**
   * Written smallest table first: without statistics the plan keeps the FROM order (the 10-row
   * table is the probe side of the first join); after ANALYZE the 10,000-row fact table is the
   * probe side of every join and each join builds its hash table from the smaller input, with the
   * same answer.
   */
  @Test
  void analyzedTablesAreJoinedByCost() throws Exception {
    String query =
        "SELECT count(*), sum(f.v) FROM st.tiny t JOIN st.fact f ON f.tiny_id = t.id"
            + " JOIN st.dim d ON f.dim_id = d.id WHERE t.name = 't3' AND d.name <> 'd3'";
    List<String> before = explain(query);
    String answer = single(query);
    assertThat(firstScan(before)).isEqualTo("tiny");

    execute("ANALYZE TABLE st.fact");
    execute("ANALYZE TABLE st.dim");
    assertThat(firstScan(explain(query)))
        .as("one table without statistics keeps the FROM order")
        .isEqualTo("tiny");
    execute("ANALYZE TABLE st.tiny");
    List<String> after = explain(query);
    assertThat(firstScan(after)).as(String.join("\n", after)).isEqualTo("fact");
    assertThat(single(query)).isEqualTo(answer).isEqualTo("990\t4455");
  }

  /** A two-table join written big-to-small or small-to-big builds from the small table. */
  @Test
  void smallerInputIsTheBuildSide() throws Exception {
    execute("ANALYZE TABLE st.fact");
    execute("ANALYZE TABLE st.dim");
    for (String query :
        List.of(
            "SELECT count(*) FROM st.dim d JOIN st.fact f ON f.dim_id = d.id",
            "SELECT count(*) FROM st.fact f JOIN st.dim d ON f.dim_id = d.id")) {
      List<String> plan = explain(query);
      assertThat(firstScan(plan)).as(String.join("\n", plan)).isEqualTo("fact");
      assertThat(single(query)).isEqualTo("10000");
    }
  }

  /** The table of the first (left-most, so probe-side) scan in an EXPLAIN. */
  private static String firstScan(List<String> plan) {
    for (String line : plan) {
      int at = line.indexOf("OlapScan(table=[[st, ");
      if (at >= 0) {
        int start = at + "OlapScan(table=[[st, ".length();
        return line.substring(start, line.indexOf(']', start));
      }
    }
    throw new AssertionError("no scan in " + plan);
  }

  private static List<String> explain(String query) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("EXPLAIN " + query)) {
      while (rows.next()) {
        lines.add(rows.getString(1));
      }
    }
    return lines;
  }

  private static String single(String query) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(query)) {
      rows.next();
      List<String> values = new ArrayList<>();
      for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
        values.add(rows.getString(i));
      }
      return String.join("\t", values);
    }
  }

  private static Map<String, Map<String, String>> byColumn(List<Map<String, String>> rows) {
    Map<String, Map<String, String>> result = new LinkedHashMap<>();
    for (Map<String, String> row : rows) {
      result.put(row.get("column_name"), row);
    }
    return result;
  }

  private static List<Map<String, String>> rows(String sql) throws SQLException {
    List<Map<String, String>> result = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      ResultSetMetaData meta = rows.getMetaData();
      while (rows.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnLabel(i), rows.getString(i));
        }
        result.add(row);
      }
    }
    return result;
  }

  private static void execute(String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
