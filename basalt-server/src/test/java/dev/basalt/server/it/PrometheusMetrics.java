package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** A server's {@code GET /metrics} (Prometheus text), read by the tests that check its figures. */
final class PrometheusMetrics {
  private PrometheusMetrics() {}

  /** Every sample line's value by its name and labels, in the order served. */
  static Map<String, Double> fetch(int httpPort) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      Map<String, Double> values = new LinkedHashMap<>();
      for (String line : response.body().split("\n")) {
        if (!line.startsWith("#") && !line.isBlank()) {
          int space = line.lastIndexOf(' ');
          values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
      }
      return values;
    }
  }
}
