package dev.basalt.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.basalt.bench.server.ServerEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The kept-alive small-load connection against a fake Doris front door (the JDK's server). */
class SmallLoadConnectionTest {
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private HttpServer fake;

  @AfterEach
  void stop() {
    if (fake != null) {
      fake.stop(0);
    }
  }

  private ServerEndpoint start(String status) throws IOException {
    fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    fake.createContext(
        "/api/db/t/_stream_load",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          var headers = exchange.getRequestHeaders();
          seen.add(
              exchange.getRequestMethod()
                  + " "
                  + headers.getFirst("Authorization")
                  + " "
                  + headers.getFirst("group_commit")
                  + " expect="
                  + headers.getFirst("Expect")
                  + " "
                  + body.lines().count());
          byte[] answer =
              ("{\n  \"TxnId\" : 1,\n  \"Status\" : \"" + status + "\"\n}\n")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    fake.start();
    return new ServerEndpoint("127.0.0.1", 0, fake.getAddress().getPort());
  }

  @Test
  void sendsLoadsOneAfterAnotherOnOneConnectionAndReadsTheirStatus() throws IOException {
    ServerEndpoint endpoint = start("Success");
    try (SmallLoadConnection connection =
        new SmallLoadConnection(endpoint, "db", "t", Map.of("group_commit", "async_mode"))) {
      for (int load = 0; load < 3; load++) {
        StreamLoadClient.Answer answer =
            connection.load("1|a\n2|b\n".getBytes(StandardCharsets.UTF_8));
        assertThat(answer.httpStatus()).isEqualTo(200);
        assertThat(answer.success()).isTrue();
      }
    }
    assertThat(seen).hasSize(3).allMatch("PUT Basic cm9vdDo= async_mode expect=null 2"::equals);
  }

  @Test
  void aFailedLoadIsNotASuccess() throws IOException {
    ServerEndpoint endpoint = start("Fail");
    try (SmallLoadConnection connection = new SmallLoadConnection(endpoint, "db", "t", Map.of())) {
      assertThat(connection.load("1\n".getBytes(StandardCharsets.UTF_8)).success()).isFalse();
    }
  }
}
