package dev.basalt.exec.operator;

import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.hash.LongGroupHashTable;
import dev.basalt.exec.memory.MemoryReservation;

/**
 * The keys of a hash join's build side, handed to the scan of its probe side so that the scan drops
 * rows that cannot match before it decodes their other columns: a min/max range (which also skips
 * pages by zone maps) and an exact membership test, on a bitmap over {@code [min, max]} when that
 * range is small ({@link #MAX_BITMAP_BITS}; TPC-H's keys are dense integers), otherwise on the
 * join's own hash table (an IN filter that needs no copy of the keys).
 *
 * <p>A {@link HashJoinOperator} publishes it once its build is complete, before it reads its probe
 * side; scans open after that. A filter that was never published (the join did not qualify, or has
 * not built yet) filters nothing. Published state is immutable and read through a volatile field,
 * so parallel scan threads may test keys concurrently.
 */
public final class RuntimeFilter {
  /** The widest key range kept as a bitmap: 2^23 bits, 1 MiB. */
  static final long MAX_BITMAP_BITS = 1L << 23;

  private volatile Keys keys;

  /** {@code bitmap} is null when the range is too wide: then membership asks {@code table}. */
  private record Keys(LongGroupHashTable table, long min, long max, long[] bitmap) {}

  /**
   * Publishes the build side's distinct keys ({@code table} is not modified afterwards); the
   * bitmap, if the key range allows one, is reserved in {@code memory} (refused: the table is
   * used).
   */
  void publish(LongGroupHashTable table, MemoryReservation memory) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int group = 0; group < table.groupCount(); group++) {
      long key = table.key(group);
      min = Math.min(min, key);
      max = Math.max(max, key);
    }
    long[] bitmap = null;
    if (table.groupCount() > 0) {
      long range = max - min;
      if (range >= 0 && range < MAX_BITMAP_BITS && memory.tryAdd(8 * (range / 64 + 1))) {
        bitmap = new long[(int) (range / 64 + 1)];
        for (int group = 0; group < table.groupCount(); group++) {
          long bit = table.key(group) - min;
          bitmap[(int) (bit >>> 6)] |= 1L << bit;
        }
      }
    }
    keys = new Keys(table, min, max, bitmap);
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

  /**
   * What the filter holds, as EXPLAIN ANALYZE shows it on its join: {@code not_published} (the join
   * never built, or its memory was refused), or {@code published kind=... keys=n bytes=b min=x
   * max=y}, where the kind is {@code min/max+bitmap} (bytes: the bitmap's) or {@code
   * min/max+exact_in} (membership asks the join's hash table; bytes: that table's estimate).
   */
  public String describe() {
    Keys published = keys;
    if (published == null) {
      return "not_published";
    }
    int keyCount = published.table().groupCount();
    if (keyCount == 0) {
      return "published kind=empty keys=0 bytes=0";
    }
    return "published kind="
        + (published.bitmap() != null ? "min/max+bitmap" : "min/max+exact_in")
        + " keys="
        + keyCount
        + " bytes="
        + (published.bitmap() != null
            ? 8L * published.bitmap().length
            : published.table().estimatedBytes())
        + " min="
        + published.min()
        + " max="
        + published.max();
  }

  /** Whether a probe row with this (non-null) key can find a match; only when ready. */
  public boolean mightMatch(long key) {
    Keys published = keys;
    if (key < published.min() || key > published.max()) {
      return false;
    }
    long[] bitmap = published.bitmap();
    if (bitmap != null) {
      long bit = key - published.min();
      return (bitmap[(int) (bit >>> 6)] & (1L << bit)) != 0;
    }
    return published.table().find(key) >= 0;
  }

  /**
   * Keeps, of the {@code count} rows listed in {@code selected}, those whose key in {@code keys} is
   * not NULL and can find a match, compacted to the front of {@code selected}; returns how many.
   * Only when ready.
   */
  public int retainMatching(LongVector keys, int[] selected, int count) {
    Keys published = this.keys;
    long min = published.min();
    long max = published.max();
    long[] bitmap = published.bitmap();
    LongGroupHashTable table = published.table();
    boolean mayHaveNulls = keys.mayHaveNulls();
    int kept = 0;
    for (int i = 0; i < count; i++) {
      int row = selected[i];
      if (mayHaveNulls && keys.isNull(row)) {
        continue;
      }
      long key = keys.getLong(row);
      if (key < min || key > max) {
        continue;
      }
      boolean member;
      if (bitmap != null) {
        long bit = key - min;
        member = (bitmap[(int) (bit >>> 6)] & (1L << bit)) != 0;
      } else {
        member = table.find(key) >= 0;
      }
      if (member) {
        selected[kept++] = row;
      }
    }
    return kept;
  }
}
