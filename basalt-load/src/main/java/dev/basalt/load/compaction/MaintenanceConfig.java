package dev.basalt.load.compaction;

/**
 * How the server keeps its tablets compact and its data directory clean.
 *
 * @param compactionThreads background compaction threads (0: compaction runs only on request,
 *     {@code ADMIN COMPACT TABLE})
 * @param policy when a tablet is compacted
 * @param garbageGraceMillis how long an unreferenced file stays before it is deleted
 * @param sweepIntervalMillis how often every tablet is checked for compaction and {@code data/} is
 *     swept for unreferenced files and empty directories (0: never in the background)
 */
public record MaintenanceConfig(
    int compactionThreads,
    CompactionPolicy policy,
    long garbageGraceMillis,
    long sweepIntervalMillis) {
  /** One compaction thread, the default policy, a 5-minute grace period, a sweep every 30 s. */
  public static final MaintenanceConfig DEFAULT =
      new MaintenanceConfig(1, CompactionPolicy.DEFAULT, 5 * 60_000L, 30_000L);

  /** Nothing in the background: compaction and collection only on request (unit tests). */
  public static final MaintenanceConfig ON_REQUEST =
      new MaintenanceConfig(0, CompactionPolicy.DEFAULT, 0, 0);

  public MaintenanceConfig {
    if (compactionThreads < 0 || garbageGraceMillis < 0 || sweepIntervalMillis < 0) {
      throw new IllegalArgumentException("maintenance settings must not be negative: " + this);
    }
  }

  public MaintenanceConfig withGarbageGraceMillis(long millis) {
    return new MaintenanceConfig(compactionThreads, policy, millis, sweepIntervalMillis);
  }

  public MaintenanceConfig withSweepIntervalMillis(long millis) {
    return new MaintenanceConfig(compactionThreads, policy, garbageGraceMillis, millis);
  }

  public MaintenanceConfig withPolicy(CompactionPolicy newPolicy) {
    return new MaintenanceConfig(
        compactionThreads, newPolicy, garbageGraceMillis, sweepIntervalMillis);
  }
}
