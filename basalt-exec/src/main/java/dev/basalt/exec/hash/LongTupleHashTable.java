package dev.basalt.exec.hash;

import java.util.Arrays;

/**
 * Assigns dense group ids (0, 1, 2, ... in order of first appearance) to keys that are tuples of a
 * fixed number of {@code long} words: open addressing with linear probing over primitive arrays,
 * with the tuples stored side by side in one {@code long[]} and their hashes kept beside them. The
 * path of hash joins on several integer (or DOUBLE, as {@link KeySerializer#doubleKey}) keys, e.g.
 * TPC-H's {@code (ps_partkey, ps_suppkey)}, and on keys compared with {@code IS NOT DISTINCT FROM},
 * whose null flags the caller packs into one more word; it avoids serializing each row's key to
 * bytes ({@link BytesGroupHashTable}).
 *
 * <p>Call order: {@link #findOrInsert} any number of times, then {@link #find} any number of times.
 * A tuple is read from {@code width} consecutive words of the caller's array and copied. Not thread
 * safe while inserting; once no more keys are inserted, {@link #find} may be called from several
 * threads at once.
 */
public final class LongTupleHashTable {
  private static final int EMPTY = -1;

  private final int width;
  private int[] slots;
  private int mask;
  private long[] keys;
  private int[] hashes;
  private int groupCount;

  /** A table of tuples of {@code width} words sized for about {@code expectedGroups} groups. */
  public LongTupleHashTable(int width, int expectedGroups) {
    if (width < 1) {
      throw new IllegalArgumentException("width " + width);
    }
    this.width = width;
    int capacity = Integer.highestOneBit(Math.max(16, expectedGroups * 2 - 1)) << 1;
    slots = new int[capacity];
    Arrays.fill(slots, EMPTY);
    mask = capacity - 1;
    int groups = Math.max(16, expectedGroups);
    keys = new long[groups * width];
    hashes = new int[groups];
  }

  /** The words per tuple. */
  public int width() {
    return width;
  }

  /** The hash of the {@code width} words of {@code tuple} from {@code offset}. */
  private int hash(long[] tuple, int offset) {
    long combined = 0x9E3779B97F4A7C15L;
    for (int i = 0; i < width; i++) {
      combined = (combined ^ tuple[offset + i]) * 0xbf58476d1ce4e5b9L;
      combined ^= combined >>> 31;
    }
    return LongGroupHashTable.hash(combined);
  }

  /** The group id of the tuple at {@code offset} of {@code tuple}, creating it if it is new. */
  public int findOrInsert(long[] tuple, int offset) {
    int hash = hash(tuple, offset);
    int slot = hash & mask;
    while (true) {
      int group = slots[slot];
      if (group == EMPTY) {
        return insert(slot, hash, tuple, offset);
      }
      if (hashes[group] == hash && equalsKey(group, tuple, offset)) {
        return group;
      }
      slot = (slot + 1) & mask;
    }
  }

  /**
   * The group id of the tuple at {@code offset} of {@code tuple}, or -1 if it was never inserted.
   */
  public int find(long[] tuple, int offset) {
    int hash = hash(tuple, offset);
    int slot = hash & mask;
    while (true) {
      int group = slots[slot];
      if (group == EMPTY) {
        return -1;
      }
      if (hashes[group] == hash && equalsKey(group, tuple, offset)) {
        return group;
      }
      slot = (slot + 1) & mask;
    }
  }

  private boolean equalsKey(int group, long[] tuple, int offset) {
    int start = group * width;
    for (int i = 0; i < width; i++) {
      if (keys[start + i] != tuple[offset + i]) {
        return false;
      }
    }
    return true;
  }

  private int insert(int slot, int hash, long[] tuple, int offset) {
    int group = groupCount++;
    if (group == hashes.length) {
      hashes = Arrays.copyOf(hashes, group * 2);
      keys = Arrays.copyOf(keys, group * 2 * width);
    }
    System.arraycopy(tuple, offset, keys, group * width, width);
    hashes[group] = hash;
    slots[slot] = group;
    if (groupCount * 2 > slots.length) {
      rehash();
    }
    return group;
  }

  private void rehash() {
    int capacity = slots.length * 2;
    slots = new int[capacity];
    Arrays.fill(slots, EMPTY);
    mask = capacity - 1;
    for (int group = 0; group < groupCount; group++) {
      int slot = hashes[group] & mask;
      while (slots[slot] != EMPTY) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = group;
    }
  }

  public int groupCount() {
    return groupCount;
  }

  /** Word {@code index} of the tuple of {@code group}. */
  public long key(int group, int index) {
    return keys[group * width + index];
  }

  /** Estimated heap bytes of the table. */
  public long estimatedBytes() {
    return 48 + 4L * slots.length + 4L * hashes.length + 8L * keys.length;
  }
}
