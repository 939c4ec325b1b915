package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.server.ServerStartException;
import dev.basalt.server.http.HttpFrontDoor;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP front door on its own (no engine): liveness, health JSON, errors, busy port. */
class HttpFrontDoorTest {

  private HttpFrontDoor frontDoor;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeEach
  void start() {
    frontDoor = new HttpFrontDoor("127.0.0.1", 0);
    frontDoor.start();
  }

  @AfterEach
  void stop() {
    frontDoor.close();
    client.close();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + frontDoor.port() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void rootAnswersOkForLivenessProbes() throws Exception {
    HttpResponse<String> response = send("GET", "/");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith("Basalt ");
    assertThat(frontDoor.port()).isPositive();
  }

  @Test
  void healthAnswersJsonInBothDorisShapes() throws Exception {
    HttpResponse<String> response = send("GET", "/api/health");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    assertThat(response.body())
        .isEqualTo(
            "{\"status\":\"OK\",\"msg\":\"success\",\"code\":0,"
                + "\"data\":{\"online_backend_num\":1,\"total_backend_num\":1},\"count\":0}");
    assertThat(response.headers().firstValue("Server")).isEmpty();
  }

  @Test
  void headIsAnsweredLikeGetWithoutBody() throws Exception {
    HttpResponse<String> response = send("HEAD", "/api/health");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void unknownPathIsNotFoundWithJsonNamingThePath() throws Exception {
    HttpResponse<String> response = send("GET", "/api/nope");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body())
        .isEqualTo("{\"status\":\"FAILED\",\"msg\":\"Not found: /api/nope\"}");
  }

  @Test
  void otherMethodsAreNotAllowed() throws Exception {
    HttpResponse<String> response = send("POST", "/api/health");
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(response.body()).contains("Method POST is not allowed on /api/health");
  }

  @Test
  void busyPortFailsWithOneLineNamingThePort() throws Exception {
    try (ServerSocket occupied = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = occupied.getLocalPort();
      HttpFrontDoor second = new HttpFrontDoor("127.0.0.1", port);
      try {
        assertThatThrownBy(second::start)
            .isInstanceOf(ServerStartException.class)
            .hasMessageContaining("127.0.0.1:" + port)
            .hasMessageContaining("--http-port")
            .satisfies(error -> assertThat(error.getMessage()).doesNotContain("\n"));
      } finally {
        second.close();
      }
    }
  }

  @Test
  void closeIsIdempotentAndReleasesThePort() throws Exception {
    int port = frontDoor.port();
    frontDoor.close();
    frontDoor.close();
    try (ServerSocket rebound = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(rebound.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void portIsRejectedOutsideItsRange() {
    assertThatThrownBy(() -> new HttpFrontDoor("127.0.0.1", 70000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("70000");
  }
}
