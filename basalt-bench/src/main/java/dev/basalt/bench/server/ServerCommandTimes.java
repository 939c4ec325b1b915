package dev.basalt.bench.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's own time per COM_STMT_EXECUTE, read from the histogram {@code
 * basalt_mysql_command_duration_seconds{command="execute"}} of Basalt's {@code GET /metrics} (from
 * the arrival of the command's packet to its last reply packet written; docs/architecture.md,
 * "Sessions and the protocol"). A benchmark takes a {@link #snapshot} before and after its measured
 * window; {@link #between} gives the quantiles of the commands in between, interpolated linearly
 * inside a bucket (the buckets are 10 µs wide below 100 µs and 50 µs wide below 1 ms).
 *
 * <p>Immutable and thread safe.
 */
public final class ServerCommandTimes {
  private static final String BUCKET_PREFIX =
      "basalt_mysql_command_duration_seconds_bucket{command=\"execute\",le=\"";

  private final double[] upperBoundsMillis;
  private final long[] cumulativeCounts;

  private ServerCommandTimes(double[] upperBoundsMillis, long[] cumulativeCounts) {
    this.upperBoundsMillis = upperBoundsMillis;
    this.cumulativeCounts = cumulativeCounts;
  }

  /**
   * The histogram now, or {@code null} when the server has no HTTP port known to the harness or
   * serves no such histogram (an older build): reports then leave the server's figures out.
   */
  public static ServerCommandTimes snapshot(ServerEndpoint endpoint) {
    if (endpoint.httpPort() <= 0) {
      return null;
    }
    String body;
    try (HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create(endpoint.httpBase() + "/metrics"))
                  .timeout(Duration.ofSeconds(30))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return null;
      }
      body = response.body();
    } catch (IOException failed) {
      return null;
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return null;
    }
    List<Double> bounds = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.startsWith(BUCKET_PREFIX)) {
        int boundEnd = line.indexOf('"', BUCKET_PREFIX.length());
        String bound = line.substring(BUCKET_PREFIX.length(), boundEnd);
        bounds.add(
            bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound) * 1e3);
        counts.add(Long.parseLong(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    if (bounds.isEmpty()) {
      return null;
    }
    return new ServerCommandTimes(
        bounds.stream().mapToDouble(Double::doubleValue).toArray(),
        counts.stream().mapToLong(Long::longValue).toArray());
  }

  /**
   * The executes counted between {@code before} and {@code after}, or {@code null} when either is
   * missing.
   */
  public static Window between(ServerCommandTimes before, ServerCommandTimes after) {
    if (before == null
        || after == null
        || before.cumulativeCounts.length != after.cumulativeCounts.length) {
      return null;
    }
    long[] counts = new long[after.cumulativeCounts.length];
    for (int bucket = 0; bucket < counts.length; bucket++) {
      counts[bucket] = after.cumulativeCounts[bucket] - before.cumulativeCounts[bucket];
    }
    return new Window(after.upperBoundsMillis, counts);
  }

  /**
   * The server times of the executes of one measured window.
   *
   * @param upperBoundsMillis each bucket's upper bound, the last infinite
   * @param cumulativeCounts executes at or below each bound
   */
  public record Window(double[] upperBoundsMillis, long[] cumulativeCounts) {

    /** Executes in the window. */
    public long count() {
      return cumulativeCounts[cumulativeCounts.length - 1];
    }

    /**
     * The {@code quantile} (0..1) in milliseconds, interpolated inside its bucket; the lower bound
     * of the last (unbounded) bucket when it falls there, NaN for an empty window.
     */
    public double quantileMillis(double quantile) {
      long total = count();
      if (total == 0) {
        return Double.NaN;
      }
      double rank = quantile * total;
      long below = 0;
      for (int bucket = 0; bucket < cumulativeCounts.length; bucket++) {
        long upTo = cumulativeCounts[bucket];
        if (upTo >= rank && upTo > below) {
          double lower = bucket == 0 ? 0 : upperBoundsMillis[bucket - 1];
          double upper = upperBoundsMillis[bucket];
          if (Double.isInfinite(upper)) {
            return lower;
          }
          return lower + (upper - lower) * (rank - below) / (upTo - below);
        }
        below = upTo;
      }
      return upperBoundsMillis[upperBoundsMillis.length - 2];
    }
  }
}
