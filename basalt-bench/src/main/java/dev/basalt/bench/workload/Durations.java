package dev.basalt.bench.workload;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Small statistics and formatting helpers shared by the workloads. */
public final class Durations {
  private Durations() {}

  /** The median of {@code values}; the mean of the middle two for an even count. */
  public static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  /**
   * The {@code quantile} (0 to 1) of sorted nanosecond latencies, in milliseconds (nearest rank).
   */
  public static double quantileMillis(long[] sortedNanos, double quantile) {
    if (sortedNanos.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(quantile * sortedNanos.length) - 1;
    return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank))] / 1e6;
  }

  /** Sorts a copy of the first {@code count} values. */
  public static long[] sortedCopy(long[] values, int count) {
    long[] copy = Arrays.copyOf(values, count);
    Arrays.sort(copy);
    return copy;
  }

  /** A rate with thousands separators and no fraction: {@code 12,345}. */
  public static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f", perSecond);
  }

  /** Milliseconds with two decimals below 10 ms, none above. */
  public static String millis(double millis) {
    return String.format(Locale.ROOT, millis < 10 ? "%.2f" : "%.0f", millis);
  }
}
