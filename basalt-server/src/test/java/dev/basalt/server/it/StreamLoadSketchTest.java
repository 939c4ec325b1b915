package dev.basalt.server.it;

import static dev.basalt.server.it.StreamLoadClient.headers;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stream Load into BITMAP, HLL and QUANTILE_STATE columns of an AGGREGATE KEY table through {@code
 * columns} mappings ({@code b = to_bitmap(uid)}), through the JDK HTTP client; rows read back over
 * JDBC with the sketch functions, merged with INSERTed rows and across loads, before and after
 * {@code ADMIN COMPACT TABLE}.
 */
class StreamLoadSketchTest {
  private static StreamLoadDatabase db;

  @BeforeAll
  static void start() throws SQLException {
    db =
        StreamLoadDatabase.start(
            "s",
            "CREATE TABLE s.visits (day DATE, page VARCHAR(20), pv BIGINT SUM,"
                + " users BITMAP BITMAP_UNION, devices HLL HLL_UNION,"
                + " latency QUANTILE_STATE QUANTILE_UNION)"
                + " AGGREGATE KEY(day, page) DISTRIBUTED BY HASH(page) BUCKETS 2");
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  @Test
  void columnsMappingsBuildSketchesThatMergeByKey() throws Exception {
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      // 3 pages, user ids 0..99 (each page sees every user), devices by user, latency i % 100.
      csv.append("2024-05-01,")
          .append("p")
          .append(i % 3)
          .append(',')
          .append(i % 100)
          .append(",dev")
          .append(i % 100)
          .append(',')
          .append(i % 100)
          .append('\n');
    }
    JsonNode answer =
        db.client()
            .load(
                "s",
                "visits",
                headers(
                    "column_separator",
                    ",",
                    "columns",
                    "day, page, uid, device, ms, pv = 1, users = to_bitmap(uid),"
                        + " devices = hll_hash(device), latency = to_quantile_state(ms, 2048)"),
                csv.toString());
    assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Success");
    assertThat(answer.get("NumberLoadedRows").asLong()).isEqualTo(3000);
    assertThat(
            db.query(
                "SELECT page, pv, bitmap_count(users), hll_cardinality(devices),"
                    + " quantile_percent(latency, 0), quantile_percent(latency, 1)"
                    + " FROM visits ORDER BY page"))
        .containsExactly(
            "p0|1000|100|100|0.0|99.0", "p1|1000|100|100|0.0|99.0", "p2|1000|100|100|0.0|99.0");

    // A second load and an INSERT add users 100..104 to p0.
    JsonNode second =
        db.client()
            .load(
                "s",
                "visits",
                headers(
                    "column_separator",
                    ",",
                    "columns",
                    "day, page, uid, pv = 1, users = to_bitmap(uid), devices = hll_hash(uid)"),
                "2024-05-01,p0,100\n2024-05-01,p0,101\n2024-05-01,p0,102\n");
    assertThat(second.get("Status").asText()).as(second.toString()).isEqualTo("Success");
    db.server.execute(
        "INSERT INTO s.visits (day, page, pv, users) VALUES"
            + " ('2024-05-01', 'p0', 2, bitmap_from_string('103,104'))");
    List<String> expected = List.of("p0|1005|105|103", "p1|1000|100|100", "p2|1000|100|100");
    String sql =
        "SELECT page, pv, bitmap_count(users), hll_cardinality(devices) FROM visits ORDER BY page";
    assertThat(db.query(sql)).containsExactlyElementsOf(expected);
    assertThat(db.query("SELECT bitmap_union_count(users), hll_union_agg(devices) FROM visits"))
        .containsExactly("105|103");

    db.server.execute("ADMIN COMPACT TABLE s.visits");
    assertThat(db.query(sql)).containsExactlyElementsOf(expected);
    assertThat(
            db.query(
                "SELECT bitmap_to_string(bitmap_and(users, bitmap_from_string('0,99,104,500')))"
                    + " FROM visits WHERE page = 'p0'"))
        .containsExactly("0,99,104");
  }

  @Test
  void aBadMappingFailsTheLoadAndLeavesNothing() throws Exception {
    db.server.execute(
        "CREATE TABLE s.empty_target (k INT, b BITMAP BITMAP_UNION)"
            + " AGGREGATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
    JsonNode answer =
        db.client()
            .load(
                "s",
                "empty_target",
                headers("column_separator", ",", "columns", "k, raw, b = raw"),
                "1,5\n");
    assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Fail");
    assertThat(db.query("SELECT count(*) FROM empty_target")).containsExactly("0");
  }
}
