package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every statement and Stream Load is recorded in DIR/log/audit.log with its user, kind, status and
 * rows, and without the literals it carried.
 */
class AuditLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void statementsAndLoadsAreRecordedWithLiteralsMasked() throws Exception {
    try (TestServer server = TestServer.start()) {
      try (Connection connection =
              DriverManager.getConnection(server.mysqlUrl("", ""), TestServer.ROOT_USER, "");
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE audited");
        statement.execute(
            "CREATE TABLE audited.t (k INT, secret VARCHAR(20)) DUPLICATE KEY(k)"
                + " DISTRIBUTED BY HASH(k) BUCKETS 1");
        statement.execute("INSERT INTO audited.t VALUES (1, 'card-4111'), (2, 'card-5500')");
        try (ResultSet rows = statement.executeQuery("SELECT * FROM audited.t WHERE k < 10")) {
          while (rows.next()) {
            // read every row: the record is written once the result has been sent
          }
        }
        assertThatThrownBy(() -> statement.executeQuery("SELECT * FROM audited.missing"))
            .isInstanceOf(SQLException.class);
      }
      // Records are written by the log's own thread, in order: once the last statement's is in
      // the file, so are the others'.
      List<JsonNode> records =
          recordsOnceWritten(server.dataDirectory(), "SELECT * FROM audited.missing");
      assertThat(records)
          .extracting(r -> r.get("kind").asText())
          .contains("CREATE DATABASE", "CREATE TABLE", "INSERT", "SELECT");
      JsonNode insert = find(records, "INSERT");
      assertThat(insert.get("user").asText()).isEqualTo("root");
      assertThat(insert.get("status").asText()).isEqualTo("OK");
      assertThat(insert.get("rows").asLong()).isEqualTo(2);
      assertThat(insert.get("statement").asText())
          .isEqualTo("INSERT INTO audited.t VALUES (?, ?), (?, ?)");
      JsonNode select =
          records.stream()
              .filter(r -> r.get("statement").asText().startsWith("SELECT * FROM audited.t"))
              .findFirst()
              .orElseThrow();
      assertThat(select.get("rows").asLong()).isEqualTo(2);
      JsonNode failed =
          records.stream()
              .filter(r -> r.get("statement").asText().contains("missing"))
              .findFirst()
              .orElseThrow();
      assertThat(failed.get("status").asText()).isEqualTo("ERR");
      assertThat(failed.get("errorCode").asInt()).isEqualTo(1146);
      String whole =
          Files.readString(
              server.dataDirectory().resolve("log").resolve("audit.log"), StandardCharsets.UTF_8);
      assertThat(whole).doesNotContain("card-4111").doesNotContain("card-5500");
    }
  }

  private static JsonNode find(List<JsonNode> records, String kind) {
    return records.stream()
        .filter(r -> r.get("kind").asText().equals(kind))
        .findFirst()
        .orElseThrow();
  }

  /** The records, once one with {@code statement} is among them (waiting up to a minute). */
  private static List<JsonNode> recordsOnceWritten(Path dataDirectory, String statement)
      throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      List<JsonNode> records = records(dataDirectory);
      if (records.stream().anyMatch(r -> r.get("statement").asText().equals(statement))
          || System.nanoTime() > deadline) {
        return records;
      }
      Thread.sleep(20);
    }
  }

  private static List<JsonNode> records(Path dataDirectory) throws Exception {
    List<JsonNode> records = new ArrayList<>();
    for (String line :
        Files.readAllLines(
            dataDirectory.resolve("log").resolve("audit.log"), StandardCharsets.UTF_8)) {
      records.add(JSON.readTree(line));
    }
    return records;
  }
}
