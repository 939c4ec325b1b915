package dev.basalt.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.basalt.bench.server.ServerEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Stream Load client against a fake Doris front door (the JDK's HTTP server). */
class StreamLoadClientTest {
  private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
  private HttpServer fake;

  @TempDir Path temporary;

  @AfterEach
  void stop() {
    if (fake != null) {
      fake.stop(0);
    }
  }

  /** A front door that answers Stream Load like Doris, counting the body's lines as rows. */
  private ServerEndpoint startDorisLike() throws IOException {
    fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    fake.createContext(
        "/api/db/t/_stream_load",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          requests.add(
              Map.of(
                  "method", exchange.getRequestMethod(),
                  "authorization", header(exchange, "Authorization"),
                  "label", header(exchange, "label"),
                  "separator", header(exchange, "column_separator"),
                  "body", body));
          long rows = body.lines().count();
          reply(
              exchange,
              200,
              "{\"TxnId\": 1, \"Label\": \"x\", \"Status\": \"Success\", \"NumberLoadedRows\": "
                  + rows
                  + "}");
        });
    fake.start();
    return new ServerEndpoint("127.0.0.1", 0, fake.getAddress().getPort());
  }

  private static String header(HttpExchange exchange, String name) {
    String value = exchange.getRequestHeaders().getFirst(name);
    return value == null ? "" : value;
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Test
  void aServerWithoutStreamLoadIsDetectedBy404() throws IOException {
    fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    fake.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          reply(exchange, 404, "{\"status\":\"FAILED\",\"msg\":\"Not found\"}");
        });
    fake.start();
    StreamLoadClient client =
        new StreamLoadClient(new ServerEndpoint("127.0.0.1", 0, fake.getAddress().getPort()));
    assertThat(client.unavailableReason("db", "t")).isEqualTo("HTTP 404 on /api/db/t/_stream_load");
  }

  @Test
  void loadsAFileWithDorisHeadersAndReadsTheAnswer() throws Exception {
    StreamLoadClient client = new StreamLoadClient(startDorisLike());
    assertThat(client.unavailableReason("db", "t")).isNull();
    Path file = temporary.resolve("rows.tbl");
    Files.writeString(file, "1|a\n2|b\n3|c\n");
    StreamLoadClient.Answer answer =
        client.loadFile("db", "t", file, Map.of("label", "l1", "column_separator", "|"));
    assertThat(answer.success()).isTrue();
    assertThat(answer.loadedRows()).isEqualTo(3);
    Map<String, String> load = requests.getLast();
    assertThat(load.get("method")).isEqualTo("PUT");
    assertThat(load.get("authorization")).isEqualTo("Basic cm9vdDo=");
    assertThat(load.get("label")).isEqualTo("l1");
    assertThat(load.get("separator")).isEqualTo("|");
    assertThat(load.get("body")).isEqualTo("1|a\n2|b\n3|c\n");
  }
}
