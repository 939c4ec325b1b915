package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Stream Load client for tests, as root with no password: the JDK HTTP client ({@link #load},
 * {@link #twoPhase}) and the real {@code curl} ({@link #curl}) against one server's HTTP port.
 * Answers must be HTTP 200 with JSON. Not thread safe for {@link #port(int)}; loads may run in
 * parallel.
 */
final class StreamLoadClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private int port;

  StreamLoadClient(int port) {
    this.port = port;
  }

  /** Points the client at another port (after a restart). */
  void port(int newPort) {
    this.port = newPort;
  }

  static Map<String, String> headers(String... namesAndValues) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<String> put(String path, Map<String, String> headers, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(60))
            .expectContinue(true)
            .PUT(HttpRequest.BodyPublishers.ofString(body));
    if (!headers.containsKey("Authorization")) {
      request.header("Authorization", basic("root", ""));
    }
    headers.forEach(request::header);
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@code PUT /api/{db}/{table}/_stream_load}; the answer's JSON. */
  JsonNode load(String database, String table, Map<String, String> headers, String body)
      throws Exception {
    return ok(put("/api/" + database + "/" + table + "/_stream_load", headers, body));
  }

  /** {@code PUT /api/{db}/_stream_load_2pc} with an empty body; the answer's JSON. */
  JsonNode twoPhase(String database, Map<String, String> headers) throws Exception {
    return ok(put("/api/" + database + "/_stream_load_2pc", headers, ""));
  }

  private static JsonNode ok(HttpResponse<String> response) throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /**
   * Runs {@code curl -sS --location-trusted -u root: -X PUT -H name:value ... [-T file] url} and
   * returns its output as JSON.
   *
   * @param file the body, or null for none
   */
  JsonNode curl(String path, Map<String, String> headers, Path file) throws Exception {
    List<String> command = new ArrayList<>();
    command.addAll(List.of("curl", "-sS", "--location-trusted", "-u", "root:", "-X", "PUT"));
    headers.forEach((name, value) -> command.addAll(List.of("-H", name + ":" + value)));
    if (file != null) {
      command.addAll(List.of("-T", file.toString()));
    }
    command.add("http://127.0.0.1:" + port + path);
    Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(curl.exitValue()).as(output).isZero();
    return JSON.readTree(output);
  }

  /** Writes {@code text} to a temporary file for {@link #curl}; the caller deletes it. */
  static Path temporaryFile(String text) throws IOException {
    Path file = Files.createTempFile("basalt-load-", ".txt");
    Files.writeString(file, text);
    return file;
  }

  @Override
  public void close() {
    client.close();
  }
}
