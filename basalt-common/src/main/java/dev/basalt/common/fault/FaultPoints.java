package dev.basalt.common.fault;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deterministic crash injection for tests; off in production. Durability code calls {@link
 * #hit(FaultPoint)} before and after each fsync, atomic rename and metadata commit. When the JVM
 * was started with {@code -Dbasalt.fault.halt-at=N}, the N-th hit (counted over the points listed
 * in {@code -Dbasalt.fault.points}, a comma-separated list of {@link FaultPoint#propertyName()}s;
 * all points when absent) prints one line naming the point to standard error and stops the process
 * at once with {@link Runtime#halt(int)} and exit code {@link #HALT_EXIT_CODE}: no shutdown hooks,
 * no finally blocks, no flushing, as {@code kill -9} would.
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

  private static final long HALT_AT = Long.getLong("basalt.fault.halt-at", 0L);
  private static final boolean ARMED = HALT_AT > 0;
  private static final Set<FaultPoint> POINTS =
      parsePoints(System.getProperty("basalt.fault.points"));
  private static final boolean ACKNOWLEDGE_BEFORE_DURABLE =
      Boolean.getBoolean("basalt.fault.acknowledge-before-durable");
  private static final AtomicLong HITS = new AtomicLong();

  private FaultPoints() {}

  /** Called by durability code at {@code point}; halts the process at the configured hit. */
  public static void hit(FaultPoint point) {
    if (ARMED && POINTS.contains(point) && HITS.incrementAndGet() == HALT_AT) {
      System.err.println(
          "basalt fault point " + point.propertyName() + " hit " + HALT_AT + ": halting");
      System.err.flush();
      Runtime.getRuntime().halt(HALT_EXIT_CODE);
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
}
