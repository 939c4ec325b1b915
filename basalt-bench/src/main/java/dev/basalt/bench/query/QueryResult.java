package dev.basalt.bench.query;

import java.util.List;

/**
 * The outcome of one query run.
 *
 * @param status how it ended
 * @param elapsedNanos the wall time of executing the statement and reading every row; for a
 *     timeout, the time waited
 * @param columnNames the result's column labels ({@code OK} only, else empty)
 * @param rows the result rows, values normalized by {@link ResultRows#normalize} ({@code OK} only,
 *     else empty)
 * @param error the error message, or {@code null}
 */
public record QueryResult(
    QueryStatus status,
    long elapsedNanos,
    List<String> columnNames,
    List<List<Object>> rows,
    String error) {

  /** The elapsed time in milliseconds. */
  public double elapsedMillis() {
    return elapsedNanos / 1e6;
  }

  /** A failed, timed-out or skipped run with a message. */
  public static QueryResult unsuccessful(QueryStatus status, long elapsedNanos, String error) {
    return new QueryResult(status, elapsedNanos, List.of(), List.of(), error);
  }
}
