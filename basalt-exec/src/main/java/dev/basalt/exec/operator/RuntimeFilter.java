package dev.basalt.exec.operator;

import dev.basalt.exec.hash.LongGroupHashTable;

/**
 * The keys of a hash join's build side, handed to the scan of its probe side so that the scan drops
 * rows that cannot match before it decodes their other columns: a min/max range (which also skips
 * pages by zone maps) and an exact membership test on the join's own hash table (an IN filter that
 * needs no copy of the keys).
 *
 * <p>A {@link HashJoinOperator} publishes it once its build is complete, before it reads its probe
 * side; scans open after that. A filter that was never published (the join did not qualify, or has
 * not built yet) filters nothing. Published state is immutable and read through a volatile field,
 * so parallel scan threads may test keys concurrently.
 */
public final class RuntimeFilter {
  private volatile Keys keys;

  private record Keys(LongGroupHashTable table, long min, long max) {}

  /** Publishes the build side's distinct keys ({@code table} is not modified afterwards). */
  void publish(LongGroupHashTable table) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int group = 0; group < table.groupCount(); group++) {
      long key = table.key(group);
      min = Math.min(min, key);
      max = Math.max(max, key);
    }
    keys = new Keys(table, min, max);
  }

  /** Whether the build side has published its keys. */
  public boolean isReady() {
    return keys != null;
  }

  /** The number of distinct build keys; only when {@link #isReady()}. */
  public int keyCount() {
    return keys.table().groupCount();
  }

  /** The smallest build key; only when ready with at least one key. */
  public long min() {
    return keys.min();
  }

  /** The largest build key; only when ready with at least one key. */
  public long max() {
    return keys.max();
  }

  /** Whether a probe row with this (non-null) key can find a match; only when ready. */
  public boolean mightMatch(long key) {
    Keys published = keys;
    return key >= published.min() && key <= published.max() && published.table().find(key) >= 0;
  }
}
