package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the Flink and Spark Doris connectors ask before they write: {@code GET /api/backends},
 * {@code GET /api/{db}/{table}/_schema} (JDK HTTP client and curl), and {@code SHOW FRONTENDS} /
 * {@code SHOW BACKENDS} over JDBC, all with the ports the server really listens on.
 */
class ConnectorEndpointsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestServer server;
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    http = HttpClient.newHttpClient();
    try (Connection connection = DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE c");
      statement.execute(
          "CREATE TABLE c.u (id BIGINT NOT NULL COMMENT 'the id', price DECIMAL(12, 2),"
              + " day DATE, name VARCHAR(20)) UNIQUE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 2");
      statement.execute(
          "CREATE TABLE c.a (k INT, total BIGINT SUM) AGGREGATE KEY(k)"
              + " DISTRIBUTED BY HASH(k) BUCKETS 1");
      statement.execute("CREATE USER reader IDENTIFIED BY 'pw'");
    }
  }

  @AfterAll
  static void stop() {
    http.close();
    server.close();
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

  @Test
  void backendsListThisServerWithItsHttpPort() throws Exception {
    HttpResponse<String> response = get("/api/backends?is_alive=true", "root", "");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("code").asInt()).isZero();
    assertThat(body.get("msg").asText()).isEqualTo("success");
    JsonNode backend = body.get("data").get("backends").get(0);
    assertThat(backend.get("ip").asText()).isEqualTo("127.0.0.1");
    assertThat(backend.get("http_port").asInt()).isEqualTo(server.httpPort());
    assertThat(backend.get("is_alive").asBoolean()).isTrue();
    assertThat(get("/api/backends", null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void schemaDescribesTheTableAsDorisDoes() throws Exception {
    JsonNode body = JSON.readTree(get("/api/c/u/_schema", "root", "").body());
    assertThat(body.get("code").asInt()).as(body.toString()).isZero();
    JsonNode data = body.get("data");
    assertThat(data.get("status").asInt()).isEqualTo(200);
    assertThat(data.get("keysType").asText()).isEqualTo("UNIQUE_KEYS");
    List<String> columns = new ArrayList<>();
    for (JsonNode property : data.get("properties")) {
      columns.add(
          property.get("name").asText()
              + ":"
              + property.get("type").asText()
              + ":"
              + property.get("aggregation_type").asText()
              + ":"
              + (property.has("precision")
                  ? property.get("precision").asText() + "," + property.get("scale").asText()
                  : ""));
    }
    assertThat(columns)
        .containsExactly(
            "id:BIGINT::",
            "price:DECIMAL64:REPLACE:12,2",
            "day:DATEV2:REPLACE:",
            "name:VARCHAR:REPLACE:");
    assertThat(data.get("properties").get(0).get("comment").asText()).isEqualTo("the id");

    // curl, the catalog form of the path, and an aggregate table.
    Process curl =
        new ProcessBuilder(
                "curl",
                "-sS",
                "-u",
                "root:",
                "http://127.0.0.1:" + server.httpPort() + "/api/internal/c/a/_schema")
            .redirectErrorStream(true)
            .start();
    String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    JsonNode aggregate = JSON.readTree(output).get("data");
    assertThat(aggregate.get("keysType").asText()).isEqualTo("AGG_KEYS");
    assertThat(aggregate.get("properties").get(1).get("aggregation_type").asText())
        .isEqualTo("SUM");
  }

  @Test
  void schemaErrorsUseDorisEnvelope() throws Exception {
    JsonNode missing = JSON.readTree(get("/api/c/nope/_schema", "root", "").body());
    assertThat(missing.get("code").asInt()).isEqualTo(1);
    assertThat(missing.get("data").asText()).isEqualTo("Table 'c.nope' doesn't exist");
    JsonNode denied = JSON.readTree(get("/api/c/u/_schema", "reader", "pw").body());
    assertThat(denied.get("code").asInt()).isEqualTo(1);
    assertThat(denied.get("data").asText()).contains("SELECT command denied to user 'reader'");
    assertThat(get("/api/c/u/_schema", "reader", "wrong").statusCode()).isEqualTo(401);
  }

  @Test
  void showFrontendsAndBackendsReportTheBoundPorts() throws Exception {
    try (Connection connection = DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
        Statement statement = connection.createStatement()) {
      try (ResultSet frontends = statement.executeQuery("SHOW FRONTENDS")) {
        assertThat(frontends.getMetaData().getColumnCount()).isEqualTo(19);
        assertThat(frontends.next()).isTrue();
        assertThat(frontends.getInt("QueryPort")).isEqualTo(server.queryPort());
        assertThat(frontends.getInt("HttpPort")).isEqualTo(server.httpPort());
        assertThat(frontends.getString("Host")).isEqualTo("127.0.0.1");
        assertThat(frontends.getString("IsMaster")).isEqualTo("true");
        assertThat(frontends.getString("ArrowFlightSqlPort")).isEqualTo("-1");
        assertThat(frontends.next()).isFalse();
      }
      try (ResultSet backends = statement.executeQuery("SHOW BACKENDS")) {
        assertThat(backends.getMetaData().getColumnCount()).isEqualTo(25);
        assertThat(backends.next()).isTrue();
        assertThat(backends.getInt("HttpPort")).isEqualTo(server.httpPort());
        assertThat(backends.getString("Alive")).isEqualTo("true");
        assertThat(backends.getLong("TabletNum")).isGreaterThanOrEqualTo(3);
      }
    }
  }
}
