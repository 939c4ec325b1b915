package dev.basalt.server.it;

import static dev.basalt.server.it.StreamLoadClient.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code SHOW LOAD} after Stream Loads, INSERT WITH LABEL and a group commit: Doris's columns, the
 * load type recorded with the label, WHERE / ORDER BY / LIMIT, and the same rows after a restart
 * (the label records are in the catalog).
 */
class ShowLoadTest {
  private static final List<String> COLUMNS =
      List.of(
          "JobId",
          "Label",
          "State",
          "Progress",
          "Type",
          "EtlInfo",
          "TaskInfo",
          "ErrorMsg",
          "CreateTime",
          "EtlStartTime",
          "EtlFinishTime",
          "LoadStartTime",
          "LoadFinishTime",
          "URL",
          "JobDetails",
          "TransactionId",
          "ErrorTablets",
          "User",
          "Comment");

  @Test
  void showLoadListsStreamLoadsInsertsAndGroupCommitsAlsoAfterARestart() throws Exception {
    try (TestServer server = TestServer.start();
        StreamLoadClient client = new StreamLoadClient(server.httpPort())) {
      try (Connection connection = connect(server);
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE loads");
        statement.execute(
            "CREATE TABLE loads.t (k INT, v VARCHAR(8)) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k)"
                + " BUCKETS 1");
        JsonNode stream =
            client.load(
                "loads",
                "t",
                headers(
                    "label",
                    "stream_1",
                    "column_separator",
                    ",",
                    "max_filter_ratio",
                    "0.5",
                    "comment",
                    "nightly",
                    "strict_mode",
                    "true"),
                "1,a\n2,b\nnot a number,c\n");
        assertThat(stream.get("Status").asText()).as(stream.toString()).isEqualTo("Success");
        JsonNode second =
            client.load(
                "loads", "t", headers("label", "stream_2", "column_separator", ","), "3,c\n");
        assertThat(second.get("Status").asText()).isEqualTo("Success");
        statement.execute("INSERT INTO loads.t WITH LABEL insert_1 VALUES (4, 'd'), (5, 'e')");
        statement.execute("SET group_commit = sync_mode");
        statement.execute("INSERT INTO loads.t VALUES (6, 'f')");
        statement.execute("SET group_commit = off_mode");

        statement.execute("USE loads");
        List<Map<String, String>> rows = rows(statement, "SHOW LOAD");
        assertThat(rows).hasSize(4);
        Map<String, String> streamRow = byLabel(rows, "stream_1");
        assertThat(streamRow.keySet()).containsExactlyElementsOf(COLUMNS);
        assertThat(streamRow)
            .containsEntry("State", "FINISHED")
            .containsEntry("Progress", "100.00% (1/1)")
            .containsEntry("Type", "STREAM_LOAD")
            .containsEntry("EtlInfo", "unselected.rows=0; dpp.abnorm.ALL=1; dpp.norm.ALL=2")
            .containsEntry("JobId", stream.get("TxnId").asText())
            .containsEntry("TransactionId", stream.get("TxnId").asText())
            .containsEntry("User", "root")
            .containsEntry("Comment", "nightly")
            .containsEntry("ErrorMsg", null);
        assertThat(streamRow.get("URL"))
            .startsWith("http://")
            .contains("/api/_load_error_log?file=")
            .contains(":" + server.httpPort() + "/")
            .endsWith(stream.get("ErrorURL").asText().replaceFirst(".*file=", "file="));
        assertThat(streamRow.get("JobDetails")).contains("\"ScannedRows\":3");
        assertThat(streamRow.get("LoadFinishTime"))
            .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
        assertThat(byLabel(rows, "stream_2")).containsEntry("URL", null);
        assertThat(byLabel(rows, "insert_1"))
            .containsEntry("Type", "INSERT")
            .containsEntry("User", "root")
            .containsEntry("EtlInfo", "unselected.rows=0; dpp.abnorm.ALL=0; dpp.norm.ALL=2");
        Map<String, String> group =
            rows.stream()
                .filter(row -> row.get("Type").equals("GROUP_COMMIT"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no group commit in " + rows));
        assertThat(group.get("Label")).startsWith("group_commit_");
        assertThat(group.get("EtlInfo")).endsWith("dpp.norm.ALL=1");

        assertThat(labels(statement, "SHOW LOAD FROM loads WHERE LABEL = 'insert_1'"))
            .containsExactly("insert_1");
        assertThat(labels(statement, "SHOW LOAD WHERE LABEL LIKE 'stream%' ORDER BY Label DESC"))
            .containsExactly("stream_2", "stream_1");
        assertThat(
                labels(
                    statement,
                    "SHOW LOAD WHERE STATE = 'FINISHED' AND Type <> 'GROUP_COMMIT'"
                        + " ORDER BY Label LIMIT 2"))
            .containsExactly("insert_1", "stream_1");
        assertThat(labels(statement, "SHOW LOAD ORDER BY Label DESC LIMIT 1"))
            .containsExactly("stream_2");
        assertThat(labels(statement, "SHOW LOAD WHERE STATE = 'CANCELLED'")).isEmpty();
        // SHOW STREAM LOAD (in memory) still answers beside it.
        assertThat(rows(statement, "SHOW STREAM LOAD")).hasSize(2);
      }

      server.restart();
      try (Connection connection = connect(server);
          Statement statement = connection.createStatement()) {
        List<Map<String, String>> rows = rows(statement, "SHOW LOAD FROM loads");
        assertThat(rows)
            .extracting(row -> row.get("Type"))
            .containsExactlyInAnyOrder("STREAM_LOAD", "STREAM_LOAD", "INSERT", "GROUP_COMMIT");
        assertThat(byLabel(rows, "stream_1"))
            .containsEntry("User", "root")
            .containsEntry("Comment", "nightly")
            .containsEntry("EtlInfo", "unselected.rows=0; dpp.abnorm.ALL=1; dpp.norm.ALL=2");
        assertThat(byLabel(rows, "insert_1")).containsEntry("Type", "INSERT");
        // The Stream Load records SHOW STREAM LOAD keeps in memory are gone; SHOW LOAD's are not.
        assertThat(rows(statement, "SHOW STREAM LOAD FROM loads")).isEmpty();
      }
    }
  }

  /**
   * Failed loads are listed too, as Doris lists its cancelled jobs: a Stream Load with too many
   * filtered rows and an INSERT with a row of no partition show State CANCELLED with the error (and
   * the Stream Load its error log); their labels stay free, so a retry under the same label
   * succeeds beside the failed row; the rows survive a restart, and SHOW STREAM LOAD shows the
   * failure as Status Fail. With label_keep_max_second = 1 they expire like labels.
   */
  @Test
  void showLoadListsFailedLoadsUntilTheyExpire() throws Exception {
    try (TestServer server = TestServer.start();
        StreamLoadClient client = new StreamLoadClient(server.httpPort())) {
      try (Connection connection = connect(server);
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE failed");
        statement.execute(
            "CREATE TABLE failed.t (k INT, v VARCHAR(8)) DUPLICATE KEY(k) PARTITION BY RANGE(k)"
                + " (PARTITION p1 VALUES LESS THAN (100)) DISTRIBUTED BY HASH(k) BUCKETS 1");
        JsonNode bad =
            client.load(
                "failed",
                "t",
                headers("label", "nightly", "column_separator", ",", "strict_mode", "true"),
                "1,a\nnot a number,b\n");
        assertThat(bad.get("Status").asText()).isEqualTo("Fail");
        JsonNode retried =
            client.load(
                "failed", "t", headers("label", "nightly", "column_separator", ","), "1,a\n");
        assertThat(retried.get("Status").asText()).as(retried.toString()).isEqualTo("Success");
        assertThatThrownBy(
                () -> statement.execute("INSERT INTO failed.t WITH LABEL ins VALUES (500, 'x')"))
            .hasMessageContaining("no partition for this tuple");
        statement.execute("USE failed");
        List<Map<String, String>> cancelled =
            rows(statement, "SHOW LOAD WHERE State = 'CANCELLED'");
        assertThat(cancelled).extracting(row -> row.get("Label")).containsExactly("nightly", "ins");
        Map<String, String> stream = cancelled.get(0);
        assertThat(stream)
            .containsEntry("Type", "STREAM_LOAD")
            .containsEntry("Progress", "0.00% (0/1)")
            .containsEntry("LoadFinishTime", null)
            .containsEntry("User", "root");
        assertThat(stream.get("ErrorMsg"))
            .startsWith("type:ETL_QUALITY_UNSATISFIED; msg:")
            .contains(bad.get("Message").asText());
        assertThat(stream.get("URL"))
            .endsWith(bad.get("ErrorURL").asText().replaceFirst(".*file=", "file="));
        assertThat(cancelled.get(1)).containsEntry("Type", "INSERT").containsEntry("URL", null);
        assertThat(cancelled.get(1).get("ErrorMsg"))
            .startsWith("type:LOAD_RUN_FAIL; msg:")
            .contains("no partition for this tuple");
        assertThat(labels(statement, "SHOW LOAD WHERE Label = 'nightly' ORDER BY JobId"))
            .hasSize(2);
        assertThat(rows(statement, "SHOW STREAM LOAD"))
            .extracting(row -> row.get("Status"))
            .containsExactly("Fail", "Success");
      }
      server.restart();
      try (Connection connection = connect(server);
          Statement statement = connection.createStatement()) {
        assertThat(labels(statement, "SHOW LOAD FROM failed WHERE State = 'CANCELLED'"))
            .containsExactly("nightly", "ins");
      }
    }
    try (TestServer server = TestServer.start(config -> config.withLabelKeepMaxSeconds(1));
        Connection connection = connect(server);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE expiring");
      statement.execute(
          "CREATE TABLE expiring.t (k INT) DUPLICATE KEY(k) PARTITION BY RANGE(k)"
              + " (PARTITION p1 VALUES LESS THAN (100)) DISTRIBUTED BY HASH(k) BUCKETS 1");
      assertThatThrownBy(() -> statement.execute("INSERT INTO expiring.t VALUES (500)"))
          .hasMessageContaining("no partition");
      assertThat(labels(statement, "SHOW LOAD FROM expiring")).hasSize(1);
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (!labels(statement, "SHOW LOAD FROM expiring").isEmpty()
          && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(labels(statement, "SHOW LOAD FROM expiring")).isEmpty();
    }
  }

  /**
   * A Stream Load's error log (its rejected rows, at its ErrorURL) is kept as long as its label:
   * with label_keep_max_second = 1 the URL answers 404 soon after, and the load directory is empty.
   */
  @Test
  void errorLogsExpireWithTheirLabels() throws Exception {
    try (TestServer server = TestServer.start(config -> config.withLabelKeepMaxSeconds(1));
        StreamLoadClient client = new StreamLoadClient(server.httpPort());
        Connection connection = connect(server);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE logs");
      statement.execute(
          "CREATE TABLE logs.t (k INT NOT NULL, v VARCHAR(8)) DUPLICATE KEY(k)"
              + " DISTRIBUTED BY HASH(k) BUCKETS 1");
      JsonNode loaded =
          client.load(
              "logs",
              "t",
              headers("column_separator", ",", "max_filter_ratio", "0.5"),
              "1,a\nnot a number,b\n3,c\n");
      assertThat(loaded.get("Status").asText()).as(loaded.toString()).isEqualTo("Success");
      assertThat(loaded.get("NumberFilteredRows").asLong()).isEqualTo(1);
      URI errorUrl = URI.create(loaded.get("ErrorURL").asText());
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest get = HttpRequest.newBuilder(errorUrl).GET().build();
      int status = http.send(get, HttpResponse.BodyHandlers.ofString()).statusCode();
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (status == 200 && System.nanoTime() < deadline) {
        Thread.sleep(200);
        status = http.send(get, HttpResponse.BodyHandlers.ofString()).statusCode();
      }
      assertThat(status).isEqualTo(404);
      try (Stream<Path> left = Files.list(server.dataDirectory().resolve("load_errors"))) {
        assertThat(left).isEmpty();
      }
      // The rows it loaded stay.
      assertThat(labels(statement, "SELECT k AS Label FROM logs.t ORDER BY k"))
          .containsExactly("1", "3");
    }
  }

  private static Connection connect(TestServer server) throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
  }

  private static Map<String, String> byLabel(List<Map<String, String>> rows, String label) {
    return rows.stream()
        .filter(row -> label.equals(row.get("Label")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no load " + label + " in " + rows));
  }

  private static List<String> labels(Statement statement, String sql) throws SQLException {
    return rows(statement, sql).stream().map(row -> row.get("Label")).toList();
  }

  private static List<Map<String, String>> rows(Statement statement, String sql)
      throws SQLException {
    List<Map<String, String>> rows = new ArrayList<>();
    try (ResultSet result = statement.executeQuery(sql)) {
      ResultSetMetaData meta = result.getMetaData();
      while (result.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int c = 1; c <= meta.getColumnCount(); c++) {
          row.put(meta.getColumnLabel(c), result.getString(c));
        }
        rows.add(row);
      }
    }
    return rows;
  }
}
