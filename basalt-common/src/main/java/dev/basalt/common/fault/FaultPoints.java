package dev.basalt.common.fault;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deterministic fault injection for tests; off in production. Durability code calls {@link
 * #hit(FaultPoint)} before and after each fsync, atomic rename and metadata commit. Hits are
 * counted over the points listed in {@code -Dbasalt.fault.points} (a comma-separated list of {@link
 * FaultPoint#propertyName()}s; all points when absent), and two modes act on them:
 *
 * <ul>
 *   <li><b>halt</b>, {@code -Dbasalt.fault.halt-at=N}: the N-th hit prints one line naming the
 *       point to standard error and stops the process at once with {@link Runtime#halt(int)} and
 *       exit code {@link #HALT_EXIT_CODE}: no shutdown hooks, no finally blocks, no flushing, as
 *       {@code kill -9} would.
 *   <li><b>fail</b>, {@code -Dbasalt.fault.fail-at=N[,M...]}: the listed hits throw an {@link
 *       IOException} (as a failing disk would) and print one line naming the point; the caller
 *       handles it as any I/O error of that step, and the process goes on.
 * </ul>
 *
 * <p>{@code -Dbasalt.fault.acknowledge-before-durable=true} is the crash harness's vacuity switch:
 * it makes the server acknowledge writes before their metadata commit is durable (see {@code
 * meta.store.EarlyAcknowledgingMetaStore}), which the harness must detect as lost writes.
 *
 * <p>Without these properties {@link #hit} is one read of a static final field. Thread safe.
 */
public final class FaultPoints {
  /** The exit code of a process halted at a fault point. */
  public static final int HALT_EXIT_CODE = 86;

  /** The start of the message of an injected I/O error. */
  public static final String INJECTED_FAILURE = "injected I/O error at fault point ";

  private static final long HALT_AT = Long.getLong("basalt.fault.halt-at", 0L);
  private static final Set<Long> FAIL_AT = parseHits(System.getProperty("basalt.fault.fail-at"));
  private static final boolean ARMED = HALT_AT > 0 || !FAIL_AT.isEmpty();
  private static final Set<FaultPoint> POINTS =
      parsePoints(System.getProperty("basalt.fault.points"));
  private static final boolean ACKNOWLEDGE_BEFORE_DURABLE =
      Boolean.getBoolean("basalt.fault.acknowledge-before-durable");
  private static final AtomicLong HITS = new AtomicLong();

  private FaultPoints() {}

  /**
   * Called by durability code at {@code point}: halts the process at the configured hit, or fails
   * it.
   *
   * @throws IOException at a hit listed in {@code basalt.fault.fail-at}
   */
  public static void hit(FaultPoint point) throws IOException {
    if (!ARMED || !POINTS.contains(point)) {
      return;
    }
    long hit = HITS.incrementAndGet();
    if (hit == HALT_AT) {
      System.err.println(
          "basalt fault point " + point.propertyName() + " hit " + HALT_AT + ": halting");
      System.err.flush();
      Runtime.getRuntime().halt(HALT_EXIT_CODE);
    }
    if (FAIL_AT.contains(hit)) {
      System.err.println(
          "basalt fault point " + point.propertyName() + " hit " + hit + ": failing");
      throw new IOException(INJECTED_FAILURE + point.propertyName() + " (hit " + hit + ")");
    }
  }

  /** Whether the vacuity switch is on: acknowledge before the metadata commit is durable. */
  public static boolean acknowledgeBeforeDurable() {
    return ACKNOWLEDGE_BEFORE_DURABLE;
  }

  private static Set<FaultPoint> parsePoints(String list) {
    if (list == null || list.isBlank()) {
      return EnumSet.allOf(FaultPoint.class);
    }
    Set<FaultPoint> points = EnumSet.noneOf(FaultPoint.class);
    for (String name : list.split(",")) {
      points.add(FaultPoint.named(name.trim()));
    }
    return points;
  }

  private static Set<Long> parseHits(String list) {
    Set<Long> hits = new TreeSet<>();
    if (list != null && !list.isBlank()) {
      for (String hit : list.split(",")) {
        hits.add(Long.parseLong(hit.trim()));
      }
    }
    return Set.copyOf(hits);
  }
}
