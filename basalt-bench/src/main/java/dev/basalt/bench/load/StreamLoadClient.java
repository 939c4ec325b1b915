package dev.basalt.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basalt.bench.server.ServerEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * A Doris Stream Load client: {@code PUT /api/{db}/{table}/_stream_load} with Basic auth ({@code
 * root}, no password), {@code Expect: 100-continue}, a label and format headers; the answer is
 * Doris's JSON ({@code "Status": "Success"}). Thread safe (one {@link HttpClient}).
 */
public final class StreamLoadClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AUTHORIZATION =
      "Basic " + Base64.getEncoder().encodeToString("root:".getBytes(StandardCharsets.UTF_8));

  private final ServerEndpoint endpoint;
  private final HttpClient client;

  /**
   * @param endpoint the server; its HTTP port must be known
   */
  public StreamLoadClient(ServerEndpoint endpoint) {
    this.endpoint = endpoint;
    this.client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /**
   * The answer of one load.
   *
   * @param httpStatus the HTTP status code
   * @param success whether Doris's {@code Status} is {@code Success} (or {@code Publish Timeout})
   * @param loadedRows {@code NumberLoadedRows}, or -1 when absent
   * @param body the response body
   */
  public record Answer(int httpStatus, boolean success, long loadedRows, String body) {}

  /**
   * Whether the server has Stream Load: a small empty load into an existing table must not answer
   * 404.
   *
   * @return {@code null} when Stream Load is there, otherwise why not (e.g. {@code HTTP 404})
   */
  public String unavailableReason(String database, String table) {
    if (endpoint.httpPort() <= 0) {
      return "the server's HTTP port is unknown (pass --http-port)";
    }
    try {
      Answer answer =
          send(
              database,
              table,
              HttpRequest.BodyPublishers.ofString(""),
              Map.of("label", "basalt_bench_probe_" + System.nanoTime(), "column_separator", "|"));
      if (answer.httpStatus() == 404) {
        return "HTTP 404 on /api/" + database + "/" + table + "/_stream_load";
      }
      if (!answer.body().contains("\"Status\"")) {
        return "HTTP " + answer.httpStatus() + " without a Doris load result";
      }
      return null;
    } catch (IOException e) {
      return "no HTTP answer: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** Loads a whole file with the given headers (e.g. {@code column_separator}, {@code format}). */
  public Answer loadFile(String database, String table, Path file, Map<String, String> headers)
      throws IOException, InterruptedException {
    return send(database, table, HttpRequest.BodyPublishers.ofFile(file), headers);
  }

  /** Loads {@code body} with the given headers. */
  public Answer loadBytes(String database, String table, byte[] body, Map<String, String> headers)
      throws IOException, InterruptedException {
    return send(database, table, HttpRequest.BodyPublishers.ofByteArray(body), headers);
  }

  private Answer send(
      String database, String table, HttpRequest.BodyPublisher body, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    endpoint.httpBase() + "/api/" + database + "/" + table + "/_stream_load"))
            .timeout(Duration.ofMinutes(30))
            .expectContinue(true)
            .header("Authorization", AUTHORIZATION)
            .PUT(body);
    headers.forEach(request::header);
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    String text = response.body();
    boolean success = false;
    long loadedRows = -1;
    try {
      JsonNode json = JSON.readTree(text);
      String status = json.path("Status").asText("");
      success = status.equals("Success") || status.equals("Publish Timeout");
      loadedRows = json.path("NumberLoadedRows").asLong(-1);
    } catch (IOException notJson) {
      // success stays false; the body goes into the error message.
    }
    return new Answer(response.statusCode(), success, loadedRows, text);
  }
}
