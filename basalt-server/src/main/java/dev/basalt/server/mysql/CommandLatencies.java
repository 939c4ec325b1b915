package dev.basalt.server.mysql;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's time per MySQL command, from the arrival of the command's packet (decoded on the
 * connection's event loop) to the hand-over of its last reply packet to the socket, as cumulative
 * histograms per command kind: COM_STMT_EXECUTE ({@link Kind#EXECUTE}), COM_QUERY ({@link
 * Kind#QUERY}) and every other command ({@link Kind#OTHER}). The time includes the wait of the
 * connection's virtual thread for a carrier and for the previous command of its connection, not the
 * network or the client. Served by {@code GET /metrics} as Prometheus histograms ({@link
 * #appendPrometheus}); a benchmark reads the buckets before and after its measured window and takes
 * the quantiles of the difference.
 *
 * <p>Thread safe and lock free: {@link #record} is called by every connection's thread after each
 * command; reading is for the metrics endpoint. Counts only grow.
 */
public final class CommandLatencies {

  /** The commands timed apart. */
  public enum Kind {
    EXECUTE("execute"),
    QUERY("query"),
    OTHER("other");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** The value of the {@code command} label in the metrics. */
    public String label() {
      return label;
    }
  }

  /**
   * Upper bounds of the buckets in microseconds, fine below a few milliseconds where point lookups
   * live (10 µs steps up to 100 µs, 50 µs steps up to 1 ms), coarser above; a last bucket holds the
   * rest (Prometheus's {@code +Inf}).
   */
  static final long[] BOUNDS_MICROS = {
    10,
    20,
    30,
    40,
    50,
    60,
    70,
    80,
    90,
    100,
    125,
    150,
    175,
    200,
    250,
    300,
    350,
    400,
    450,
    500,
    550,
    600,
    650,
    700,
    750,
    800,
    850,
    900,
    950,
    1_000,
    1_250,
    1_500,
    1_750,
    2_000,
    2_500,
    3_000,
    4_000,
    5_000,
    7_500,
    10_000,
    15_000,
    20_000,
    30_000,
    50_000,
    75_000,
    100_000,
    250_000,
    500_000,
    1_000_000,
    2_500_000,
    5_000_000,
    10_000_000
  };

  private final AtomicLongArray[] buckets = new AtomicLongArray[Kind.values().length];
  private final LongAdder[] sumNanos = new LongAdder[Kind.values().length];

  public CommandLatencies() {
    for (int kind = 0; kind < buckets.length; kind++) {
      buckets[kind] = new AtomicLongArray(BOUNDS_MICROS.length + 1);
      sumNanos[kind] = new LongAdder();
    }
  }

  /** Counts one command of {@code kind} that took {@code nanos}. */
  public void record(Kind kind, long nanos) {
    long micros = Math.max(0, nanos) / 1_000;
    buckets[kind.ordinal()].incrementAndGet(bucketOf(micros));
    sumNanos[kind.ordinal()].add(Math.max(0, nanos));
  }

  /**
   * The index of the first bucket whose bound is at least {@code micros}; the last for the rest.
   */
  static int bucketOf(long micros) {
    int low = 0;
    int high = BOUNDS_MICROS.length;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (BOUNDS_MICROS[middle] < micros) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  /** Commands of {@code kind} counted so far. */
  public long count(Kind kind) {
    AtomicLongArray counts = buckets[kind.ordinal()];
    long total = 0;
    for (int bucket = 0; bucket < counts.length(); bucket++) {
      total += counts.get(bucket);
    }
    return total;
  }

  /**
   * Appends the histogram {@code name} (seconds, one series per command kind, cumulative {@code le}
   * buckets, {@code _sum} and {@code _count}) in the Prometheus text format.
   */
  public void appendPrometheus(StringBuilder out, String name, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" histogram\n");
    for (Kind kind : Kind.values()) {
      AtomicLongArray counts = buckets[kind.ordinal()];
      long cumulative = 0;
      for (int bucket = 0; bucket <= BOUNDS_MICROS.length; bucket++) {
        cumulative += counts.get(bucket);
        out.append(name).append("_bucket{command=\"").append(kind.label()).append("\",le=\"");
        if (bucket < BOUNDS_MICROS.length) {
          out.append(secondsText(BOUNDS_MICROS[bucket]));
        } else {
          out.append("+Inf");
        }
        out.append("\"} ").append(cumulative).append('\n');
      }
      out.append(name)
          .append("_sum{command=\"")
          .append(kind.label())
          .append("\"} ")
          .append(sumNanos[kind.ordinal()].sum() / 1e9)
          .append('\n');
      out.append(name)
          .append("_count{command=\"")
          .append(kind.label())
          .append("\"} ")
          .append(cumulative)
          .append('\n');
    }
  }

  /** Microseconds as exact decimal seconds, e.g. 50 as {@code 0.00005}. */
  private static String secondsText(long micros) {
    return java.math.BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
  }
}
