package dev.basalt.load.compaction;

import dev.basalt.load.gc.GarbageCollector;

/**
 * How the server keeps its tablets compact and its data directory clean.
 *
 * @param compactionThreads background compaction threads (0: compaction runs only on request,
 *     {@code ADMIN COMPACT TABLE})
 * @param policy when a tablet is compacted
 * @param garbageGraceMillis how long an unreferenced file stays before it is deleted
 * @param sweepIntervalMillis how often every tablet is checked for compaction and {@code data/} is
 *     swept for unreferenced files and empty directories (0: never in the background)
 * @param sharedStorageGraceMillis the least grace period in storage shared by several front ends
 *     (whatever {@code garbageGraceMillis} says): the other front ends' uncommitted files and the
 *     files their running queries read are known only to them
 */
public record MaintenanceConfig(
    int compactionThreads,
    CompactionPolicy policy,
    long garbageGraceMillis,
    long sweepIntervalMillis,
    long sharedStorageGraceMillis) {
  /** One compaction thread, the default policy, a 5-minute grace period, a sweep every 30 s. */
  public static final MaintenanceConfig DEFAULT =
      new MaintenanceConfig(1, CompactionPolicy.DEFAULT, 5 * 60_000L, 30_000L);

  /** Nothing in the background: compaction and collection only on request (unit tests). */
  public static final MaintenanceConfig ON_REQUEST =
      new MaintenanceConfig(0, CompactionPolicy.DEFAULT, 0, 0);

  public MaintenanceConfig {
    if (compactionThreads < 0
        || garbageGraceMillis < 0
        || sweepIntervalMillis < 0
        || sharedStorageGraceMillis < 0) {
      throw new IllegalArgumentException("maintenance settings must not be negative: " + this);
    }
  }

  /** With the default least grace period in shared storage. */
  public MaintenanceConfig(
      int compactionThreads,
      CompactionPolicy policy,
      long garbageGraceMillis,
      long sweepIntervalMillis) {
    this(
        compactionThreads,
        policy,
        garbageGraceMillis,
        sweepIntervalMillis,
        GarbageCollector.SHARED_STORAGE_GRACE_MILLIS);
  }

  public MaintenanceConfig withGarbageGraceMillis(long millis) {
    return new MaintenanceConfig(
        compactionThreads, policy, millis, sweepIntervalMillis, sharedStorageGraceMillis);
  }

  public MaintenanceConfig withSweepIntervalMillis(long millis) {
    return new MaintenanceConfig(
        compactionThreads, policy, garbageGraceMillis, millis, sharedStorageGraceMillis);
  }

  public MaintenanceConfig withPolicy(CompactionPolicy newPolicy) {
    return new MaintenanceConfig(
        compactionThreads,
        newPolicy,
        garbageGraceMillis,
        sweepIntervalMillis,
        sharedStorageGraceMillis);
  }

  public MaintenanceConfig withSharedStorageGraceMillis(long millis) {
    return new MaintenanceConfig(
        compactionThreads, policy, garbageGraceMillis, sweepIntervalMillis, millis);
  }

  /**
   * The grace period that applies: in shared storage at least {@link #sharedStorageGraceMillis}.
   */
  public long effectiveGraceMillis(boolean sharedStorage) {
    return sharedStorage
        ? Math.max(garbageGraceMillis, sharedStorageGraceMillis)
        : garbageGraceMillis;
  }
}
