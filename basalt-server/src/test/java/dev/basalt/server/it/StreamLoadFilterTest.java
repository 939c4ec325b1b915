package dev.basalt.server.it;

import static dev.basalt.server.it.StreamLoadClient.headers;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Stream Load headers that choose rows: {@code where} (rows it rejects are unselected, not
 * errors) and {@code partitions} (rows of other partitions are filtered, as Doris does), through
 * the JDK HTTP client and curl, rows checked over JDBC; and {@code SHOW STREAM LOAD}, which reports
 * the counts of those loads.
 */
class StreamLoadFilterTest {
  private static StreamLoadDatabase db;

  @BeforeAll
  static void start() throws SQLException {
    db =
        StreamLoadDatabase.start(
            "f",
            "CREATE TABLE f.w (k INT NOT NULL, v VARCHAR(10), d DATE, x DOUBLE) DUPLICATE KEY(k)"
                + " DISTRIBUTED BY HASH(k) BUCKETS 3",
            "CREATE TABLE f.p (k INT NOT NULL, v VARCHAR(10)) DUPLICATE KEY(k)"
                + " PARTITION BY RANGE(k) (PARTITION p1 VALUES LESS THAN (10),"
                + " PARTITION p2 VALUES LESS THAN (20), PARTITION p3 VALUES LESS THAN (30))"
                + " DISTRIBUTED BY HASH(k) BUCKETS 2");
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  @Test
  void whereKeepsMatchingRowsAndCountsTheOthersAsUnselected() throws Exception {
    db.server.execute("TRUNCATE TABLE f.w");
    StringBuilder csv = new StringBuilder();
    for (int k = 0; k < 10_000; k++) {
      csv.append(k)
          .append(',')
          .append(k % 2 == 0 ? "even" : "odd")
          .append(",2024-03-0")
          .append(1 + k % 9)
          .append(',')
          .append(k)
          .append('\n');
    }
    csv.append("bad,odd,2024-01-01,1\n");
    JsonNode answer =
        db.client()
            .load(
                "f",
                "w",
                headers(
                    "column_separator",
                    ",",
                    "where",
                    "v = 'even' AND d >= '2024-03-05' AND k < 9000",
                    "max_filter_ratio",
                    "0.5"),
                csv.toString());
    assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Success");
    long kept = 0;
    for (int k = 0; k < 9000; k++) {
      if (k % 2 == 0 && 1 + k % 9 >= 5) {
        kept++;
      }
    }
    assertThat(answer.get("NumberTotalRows").asLong()).isEqualTo(10_001);
    assertThat(answer.get("NumberLoadedRows").asLong()).isEqualTo(kept);
    assertThat(answer.get("NumberFilteredRows").asLong()).isEqualTo(1);
    assertThat(answer.get("NumberUnselectedRows").asLong()).isEqualTo(10_000 - kept);
    assertThat(db.query("SELECT count(*), min(d), max(k), count(DISTINCT v) FROM f.w"))
        .containsExactly(kept + "|2024-03-05|8998|1");
  }

  @Test
  void whereSeesDerivedColumnsAndItsErrorsFailTheLoad() throws Exception {
    db.server.execute("TRUNCATE TABLE f.w");
    JsonNode answer =
        db.client()
            .load(
                "f",
                "w",
                headers(
                    "column_separator", ",", "columns", "k, v, raw, x = raw * 2", "where", "x > 5"),
                "1,a,1\n2,b,3\n3,c,\\N\n4,d,10\n");
    assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Success");
    assertThat(answer.get("NumberUnselectedRows").asLong()).isEqualTo(2);
    assertThat(db.query("SELECT k, x FROM f.w ORDER BY k")).containsExactly("2|6.0", "4|20.0");

    JsonNode unknown =
        db.client()
            .load("f", "w", headers("column_separator", ",", "where", "nosuch > 1"), "1,a,,1\n");
    assertThat(unknown.get("Status").asText()).isEqualTo("Fail");
    assertThat(unknown.get("Message").asText()).containsIgnoringCase("nosuch");
    JsonNode empty = db.client().load("f", "w", headers("where", " "), "1\ta\t\t1\n");
    assertThat(empty.get("Message").asText()).contains("Invalid value of header 'where'");
    assertThat(db.query("SELECT count(*) FROM f.w")).containsExactly("2");
  }

  @Test
  void partitionsLoadOnlyTheListedPartitionsWithCurl() throws Exception {
    db.server.execute("TRUNCATE TABLE f.p");
    Path file = StreamLoadClient.temporaryFile("1,a\n12,b\n25,c\n5,d\n35,e\n");
    try {
      JsonNode strict =
          db.client()
              .curl(
                  "/api/f/p/_stream_load",
                  headers("column_separator", ",", "partitions", "p1, p3"),
                  file);
      assertThat(strict.get("Status").asText()).isEqualTo("Fail");
      assertThat(strict.get("Message").asText()).contains("too many filtered rows: 2 of 5");
      assertThat(db.query("SELECT count(*) FROM f.p")).containsExactly("0");

      JsonNode tolerant =
          db.client()
              .curl(
                  "/api/f/p/_stream_load",
                  headers(
                      "column_separator", ",", "partitions", "p1,`p3`", "max_filter_ratio", "0.5"),
                  file);
      assertThat(tolerant.get("Status").asText()).as(tolerant.toString()).isEqualTo("Success");
      assertThat(tolerant.get("NumberLoadedRows").asLong()).isEqualTo(3);
      assertThat(tolerant.get("NumberFilteredRows").asLong()).isEqualTo(2);
      assertThat(db.query("SELECT k FROM f.p ORDER BY k")).containsExactly("1", "5", "25");
      String errors = fetch(tolerant.get("ErrorURL").asText());
      assertThat(errors).contains("no partition for this tuple").contains("[p1, p3]");

      JsonNode unknown =
          db.client()
              .curl(
                  "/api/f/p/_stream_load",
                  headers("column_separator", ",", "partitions", "p1,p9"),
                  file);
      assertThat(unknown.get("Status").asText()).isEqualTo("Fail");
      assertThat(unknown.get("Message").asText()).contains("Unknown partition 'p9' in table 'p'");
      assertThat(db.query("SELECT count(*) FROM f.p")).containsExactly("3");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void showStreamLoadListsRecentLoadsWithTheirCounts() throws Exception {
    JsonNode answer =
        db.client()
            .load(
                "f",
                "w",
                headers(
                    "label",
                    "shown",
                    "column_separator",
                    ",",
                    "where",
                    "k > 1",
                    "comment",
                    "nightly"),
                "1,a,,1\n2,b,,2\n3,c,,3\n");
    assertThat(answer.get("Status").asText()).isEqualTo("Success");
    db.client().load("f", "w", headers("label", "broken", "column_separator", ","), "x,a,,1\n");
    List<String> rows = db.query("SHOW STREAM LOAD FROM f WHERE Label IN ('shown', 'broken')");
    assertThat(rows).hasSize(2);
    String[] shown = rows.get(0).split("\\|", -1);
    assertThat(shown[0]).isEqualTo("shown");
    assertThat(shown[1]).isEqualTo("f");
    assertThat(shown[2]).isEqualTo("w");
    assertThat(shown[3]).isEqualTo("127.0.0.1");
    assertThat(shown[4]).isEqualTo("Success");
    assertThat(shown[7] + "/" + shown[8] + "/" + shown[9] + "/" + shown[10]).isEqualTo("3/2/0/1");
    assertThat(shown[14]).isEqualTo("root");
    assertThat(shown[15]).isEqualTo("nightly");
    String[] broken = rows.get(1).split("\\|", -1);
    assertThat(broken[4]).isEqualTo("Fail");
    assertThat(broken[5]).contains("too many filtered rows");
    assertThat(broken[6]).startsWith("http://127.0.0.1:").contains("/api/_load_error_log?file=");
  }

  private static String fetch(String url) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }
}
