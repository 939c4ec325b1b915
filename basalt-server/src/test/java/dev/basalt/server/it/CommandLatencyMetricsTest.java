package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} counts every MySQL command in the server-time histogram {@code
 * basalt_mysql_command_duration_seconds} under its kind: each COM_STMT_EXECUTE of a prepared
 * primary-key lookup as {@code execute}, each text statement as {@code query}; the buckets are
 * cumulative and end with {@code +Inf} equal to the count.
 */
class CommandLatencyMetricsTest {
  private static final String NAME = "basalt_mysql_command_duration_seconds";
  private static final int LOOKUPS = 37;
  private static final int QUERIES = 11;

  @Test
  void everyExecuteAndQueryIsCountedInItsHistogram() throws Exception {
    try (TestServer server = TestServer.start();
        Connection connection =
            DriverManager.getConnection(
                server.mysqlUrl("", "useServerPrepStmts=true"), "root", "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE timed");
      statement.execute(
          "CREATE TABLE timed.t (id BIGINT, note VARCHAR(20)) UNIQUE KEY(id)"
              + " DISTRIBUTED BY HASH(id) BUCKETS 2");
      statement.execute("INSERT INTO timed.t VALUES (1, 'one'), (2, 'two'), (3, 'three')");
      try (PreparedStatement lookup =
          connection.prepareStatement("SELECT note FROM timed.t WHERE id = ?")) {
        Map<String, Double> before = PrometheusMetrics.fetch(server.httpPort());
        for (int i = 0; i < LOOKUPS; i++) {
          lookup.setLong(1, 1 + i % 3);
          try (ResultSet rows = lookup.executeQuery()) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo(List.of("one", "two", "three").get(i % 3));
          }
        }
        for (int i = 0; i < QUERIES; i++) {
          try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM timed.t")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isEqualTo(3);
          }
        }
        // A command is counted just after its reply is written, so the client may ask a moment
        // before the last one is: ask again until it is (bounded).
        Map<String, Double> after = PrometheusMetrics.fetch(server.httpPort());
        for (int attempt = 0;
            attempt < 100 && count(after, "query") - count(before, "query") < QUERIES;
            attempt++) {
          Thread.sleep(50);
          after = PrometheusMetrics.fetch(server.httpPort());
        }
        assertThat(count(after, "execute") - count(before, "execute")).isEqualTo(LOOKUPS);
        assertThat(count(after, "query") - count(before, "query")).isEqualTo(QUERIES);
        for (String command : List.of("execute", "query", "other")) {
          List<Double> buckets = buckets(after, command);
          assertThat(buckets).isSortedAccordingTo(Double::compare);
          assertThat(buckets.getLast()).isEqualTo(count(after, command));
          assertThat(after.get(NAME + "_sum{command=\"" + command + "\"}")).isNotNegative();
        }
        assertThat(after.get(NAME + "_sum{command=\"execute\"}"))
            .isGreaterThan(before.get(NAME + "_sum{command=\"execute\"}"));
      }
    }
  }

  private static double count(Map<String, Double> metrics, String command) {
    return metrics.get(NAME + "_count{command=\"" + command + "\"}");
  }

  /** The cumulative bucket counts of {@code command} in the order served, {@code +Inf} last. */
  private static List<Double> buckets(Map<String, Double> metrics, String command) {
    List<Double> counts = new ArrayList<>();
    String prefix = NAME + "_bucket{command=\"" + command + "\",le=\"";
    String last = null;
    for (Map.Entry<String, Double> metric : metrics.entrySet()) {
      if (metric.getKey().startsWith(prefix)) {
        counts.add(metric.getValue());
        last = metric.getKey();
      }
    }
    assertThat(last).isEqualTo(prefix + "+Inf\"}");
    return counts;
  }
}
