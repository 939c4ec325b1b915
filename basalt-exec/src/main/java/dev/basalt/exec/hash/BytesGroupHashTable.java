package dev.basalt.exec.hash;

import dev.basalt.common.vector.Int128;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Assigns dense group ids (0, 1, 2, ... in order of first appearance) to keys given as byte
 * strings: each distinct key is copied once into a growing byte arena, and open addressing with
 * linear probing maps hashes to group ids. The general path of hash aggregation: keys of several
 * columns, strings and decimals are serialized by {@link GroupKeySerializer} first.
 *
 * <p>Call order: {@link #findOrInsert} any number of times; {@link #groupCount} at any time. Keys
 * passed in are copied; the caller may reuse its buffer. Not thread safe.
 */
public final class BytesGroupHashTable {
  private static final int EMPTY = -1;

  private int[] slots;
  private int mask;
  private int[] hashes;
  private long[] offsets;
  private int[] lengths;
  private byte[] arena;
  private long arenaSize;
  private int groupCount;

  public BytesGroupHashTable(int expectedGroups) {
    int capacity = Integer.highestOneBit(Math.max(16, expectedGroups * 2 - 1)) << 1;
    slots = new int[capacity];
    Arrays.fill(slots, EMPTY);
    mask = capacity - 1;
    int groups = Math.max(16, expectedGroups);
    hashes = new int[groups];
    offsets = new long[groups];
    lengths = new int[groups];
    arena = new byte[groups * 16];
  }

  /** Little-endian 8-byte reads from a byte array. */
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** A 32-bit hash of {@code length} bytes of {@code key} from {@code offset}. */
  public static int hash(byte[] key, int offset, int length) {
    return LongGroupHashTable.hash(combine(key, offset, length));
  }

  /**
   * A 64-bit hash of {@code length} bytes of {@code key} from {@code offset} (for Bloom filters,
   * which need more bits than {@link #hash}).
   */
  public static long hash64(byte[] key, int offset, int length) {
    return Int128.hashLong(combine(key, offset, length));
  }

  /** The bytes folded into one word, 8 at a time (little-endian), then the rest one by one. */
  private static long combine(byte[] key, int offset, int length) {
    long hash = 0x9E3779B97F4A7C15L ^ length;
    int position = offset;
    int end = offset + length;
    for (; position + 8 <= end; position += 8) {
      hash = (hash ^ (long) LONGS.get(key, position)) * 0xbf58476d1ce4e5b9L;
      hash ^= hash >>> 29;
    }
    for (; position < end; position++) {
      hash = (hash ^ (key[position] & 0xFF)) * 0x94d049bb133111ebL;
    }
    return hash;
  }

  /** The group id of the key, creating the next group if the key is new. */
  public int findOrInsert(byte[] key, int offset, int length) {
    int hash = hash(key, offset, length);
    int slot = hash & mask;
    while (true) {
      int group = slots[slot];
      if (group == EMPTY) {
        return insert(slot, hash, key, offset, length);
      }
      if (hashes[group] == hash && equalsKey(group, key, offset, length)) {
        return group;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** The group id of the key, or -1 if it was never inserted. */
  public int find(byte[] key, int offset, int length) {
    int hash = hash(key, offset, length);
    int slot = hash & mask;
    while (true) {
      int group = slots[slot];
      if (group == EMPTY) {
        return -1;
      }
      if (hashes[group] == hash && equalsKey(group, key, offset, length)) {
        return group;
      }
      slot = (slot + 1) & mask;
    }
  }

  private boolean equalsKey(int group, byte[] key, int offset, int length) {
    if (lengths[group] != length) {
      return false;
    }
    int start = (int) offsets[group];
    return Arrays.equals(arena, start, start + length, key, offset, offset + length);
  }

  private int insert(int slot, int hash, byte[] key, int offset, int length) {
    int group = groupCount++;
    if (group == hashes.length) {
      int capacity = group * 2;
      hashes = Arrays.copyOf(hashes, capacity);
      offsets = Arrays.copyOf(offsets, capacity);
      lengths = Arrays.copyOf(lengths, capacity);
    }
    if (arenaSize + length > arena.length) {
      long needed = Math.max(arena.length * 2L, arenaSize + length);
      if (needed > Integer.MAX_VALUE - 16) {
        needed = Integer.MAX_VALUE - 16;
      }
      arena = Arrays.copyOf(arena, (int) needed);
    }
    System.arraycopy(key, offset, arena, (int) arenaSize, length);
    hashes[group] = hash;
    offsets[group] = arenaSize;
    lengths[group] = length;
    arenaSize += length;
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

  /** Estimated heap bytes of the table. */
  public long estimatedBytes() {
    return 64 + 4L * slots.length + 16L * hashes.length + arena.length;
  }
}
