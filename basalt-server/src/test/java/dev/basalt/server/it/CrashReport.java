package dev.basalt.server.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The crash harness's figures and the violations it found (each with the seed, cycle and what was
 * wrong). Thread safe.
 */
final class CrashReport {
  final AtomicLong cycles = new AtomicLong();
  final AtomicLong randomKills = new AtomicLong();
  final AtomicLong haltsWhileStarting = new AtomicLong();
  final AtomicLong acknowledgedWrites = new AtomicLong();
  final AtomicLong orphansCollected = new AtomicLong();
  final AtomicLong lost = new AtomicLong();
  final AtomicLong duplicated = new AtomicLong();
  final AtomicLong partial = new AtomicLong();
  final AtomicLong phantom = new AtomicLong();
  final AtomicLong unexpectedErrors = new AtomicLong();
  final AtomicLong unexpectedExits = new AtomicLong();
  final AtomicLong startMillis = new AtomicLong();
  final AtomicLong checkMillis = new AtomicLong();
  final AtomicLong workloadMillis = new AtomicLong();

  /** Wall-clock time of the cycles so far (set up and final check left out). */
  final AtomicLong cycleWallMillis = new AtomicLong();

  private final Map<String, Long> haltsByPoint = new TreeMap<>();
  private final List<String> violations = new ArrayList<>();

  synchronized void halted(String point) {
    haltsByPoint.merge(point, 1L, Long::sum);
  }

  synchronized long halts() {
    return haltsByPoint.values().stream().mapToLong(Long::longValue).sum();
  }

  void lost(String what) {
    lost.incrementAndGet();
    violation("LOST " + what);
  }

  void duplicated(String what) {
    duplicated.incrementAndGet();
    violation("DUPLICATED " + what);
  }

  void partial(String what) {
    partial.incrementAndGet();
    violation("PARTIAL " + what);
  }

  void phantom(String what) {
    phantom.incrementAndGet();
    violation("PHANTOM " + what);
  }

  void unexpectedError(String what) {
    unexpectedErrors.incrementAndGet();
    violation("UNEXPECTED " + what);
  }

  void unexpectedExit(String what) {
    unexpectedExits.incrementAndGet();
    violation("CRASH " + what);
  }

  synchronized void violation(String what) {
    violations.add(what);
  }

  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  @Override
  public synchronized String toString() {
    return "cycles "
        + cycles
        + ", acknowledged writes "
        + acknowledgedWrites
        + ", lost "
        + lost
        + ", duplicated "
        + duplicated
        + ", partial "
        + partial
        + ", phantom "
        + phantom
        + ", unexpected errors "
        + unexpectedErrors
        + ", crashes "
        + unexpectedExits
        + "; halts at fault points "
        + halts()
        + " "
        + haltsByPoint
        + " (while starting "
        + haltsWhileStarting
        + "), random kill -9 "
        + randomKills
        + ", orphan files collected "
        + orphansCollected
        + "; time starting "
        + startMillis.get() / 1000
        + " s, recovering and checking "
        + checkMillis.get() / 1000
        + " s, writing "
        + workloadMillis.get() / 1000
        + " s; "
        + String.format(
            java.util.Locale.ROOT,
            "%.1f s per cycle",
            cycles.get() == 0 ? 0.0 : cycleWallMillis.get() / 1000.0 / cycles.get())
        + (violations.isEmpty() ? "" : "; first violation: " + violations.get(0));
  }
}
