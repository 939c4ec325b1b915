package dev.basalt.server.it;

import static dev.basalt.server.it.StreamLoadClient.headers;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code label_keep_max_second}: with one second, a Stream Load label is used again after the
 * background sweep has removed it, and the rows of both loads are there.
 */
class LabelExpiryTest {
  @Test
  void aLabelCanBeUsedAgainAfterItExpires() throws Exception {
    try (TestServer server = TestServer.start(config -> config.withLabelKeepMaxSeconds(1));
        StreamLoadClient client = new StreamLoadClient(server.httpPort());
        Connection connection = DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE e");
      statement.execute(
          "CREATE TABLE e.t (k INT, v VARCHAR(8)) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k)"
              + " BUCKETS 1");
      Map<String, String> load = headers("label", "daily", "column_separator", ",");
      assertThat(client.load("e", "t", load, "1,a\n2,b\n").get("Status").asText())
          .isEqualTo("Success");
      JsonNode answer = client.load("e", "t", load, "3,c\n");
      assertThat(answer.get("Status").asText()).isEqualTo("Label Already Exists");
      for (int attempt = 0;
          attempt < 100 && !answer.get("Status").asText().equals("Success");
          attempt++) {
        Thread.sleep(100);
        answer = client.load("e", "t", load, "3,c\n");
      }
      assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Success");
      try (ResultSet rows = statement.executeQuery("SELECT count(*), sum(k) FROM e.t")) {
        rows.next();
        assertThat(rows.getLong(1)).isEqualTo(3);
        assertThat(rows.getLong(2)).isEqualTo(6);
      }
    }
  }
}
