package dev.basalt.exec.hash;

import java.util.Arrays;

/**
 * Assigns dense group ids (0, 1, 2, ... in order of first appearance) to {@code long} keys: open
 * addressing with linear probing over primitive arrays, no boxing. The fast path of hash
 * aggregation for one fixed-width key; callers map SQL NULL to a group of their own.
 *
 * <p>Call order: {@link #findOrInsert} any number of times; {@link #key} and {@link #groupCount} at
 * any time; {@link #addKeylessGroup} at most once, at any time. Not thread safe.
 */
public final class LongGroupHashTable {
  private static final int EMPTY = -1;

  /** slots[i] is a group id, or EMPTY. */
  private int[] slots;

  private int mask;
  private long[] keys;
  private int groupCount;

  /** The group made by {@link #addKeylessGroup}, or EMPTY: it has no slot and no key. */
  private int keylessGroup = EMPTY;

  /**
   * The key of the last {@link #findOrInsert} and its group (-1: none yet). Keys often come in runs
   * (a table sorted or clustered by the key: TPC-H's lineitem by {@code l_orderkey}, four rows an
   * order on average), and a run's later rows then cost one comparison instead of a probe into a
   * table too large for the caches. Group ids never change, so the pair stays valid as the table
   * grows.
   */
  private long lastKey;

  private int lastGroup = -1;

  /** A table sized for about {@code expectedGroups} groups (it grows as needed). */
  public LongGroupHashTable(int expectedGroups) {
    int capacity = Integer.highestOneBit(Math.max(16, expectedGroups * 2 - 1)) << 1;
    slots = new int[capacity];
    Arrays.fill(slots, EMPTY);
    mask = capacity - 1;
    keys = new long[Math.max(16, expectedGroups)];
  }

  /** Mixes the bits of a key so that sequential keys spread over the table (Stafford's mix 13). */
  public static int hash(long key) {
    long mixed = (key ^ (key >>> 30)) * 0xbf58476d1ce4e5b9L;
    mixed = (mixed ^ (mixed >>> 27)) * 0x94d049bb133111ebL;
    return (int) (mixed ^ (mixed >>> 31));
  }

  /** The group id of {@code key}, creating the next group if the key is new. */
  public int findOrInsert(long key) {
    if (key == lastKey && lastGroup >= 0) {
      return lastGroup;
    }
    int slot = hash(key) & mask;
    int group;
    while (true) {
      group = slots[slot];
      if (group == EMPTY) {
        group = insert(slot, key);
        break;
      }
      if (keys[group] == key) {
        break;
      }
      slot = (slot + 1) & mask;
    }
    lastKey = key;
    lastGroup = group;
    return group;
  }

  /** The group id of {@code key}, or -1 if the key was never inserted. */
  public int find(long key) {
    int slot = hash(key) & mask;
    while (true) {
      int group = slots[slot];
      if (group == EMPTY) {
        return -1;
      }
      if (keys[group] == key) {
        return group;
      }
      slot = (slot + 1) & mask;
    }
  }

  /**
   * Writes the group id of each of {@code probeKeys[0 .. count)} into {@code groups} (-1 for a key
   * never inserted), as {@link #find} would. Two passes: the first loads each key's home slot, the
   * second checks the key stored there and walks on only after a collision, so the cache misses of
   * a batch of keys into a large table overlap instead of each waiting for the one before (a hash
   * join's probe side).
   */
  public void findAll(long[] probeKeys, int count, int[] groups) {
    int[] slotGroups = slots;
    int slotMask = mask;
    for (int i = 0; i < count; i++) {
      groups[i] = slotGroups[hash(probeKeys[i]) & slotMask];
    }
    long[] groupKeys = keys;
    for (int i = 0; i < count; i++) {
      int group = groups[i];
      if (group != EMPTY && groupKeys[group] != probeKeys[i]) {
        groups[i] = find(probeKeys[i]);
      }
    }
  }

  /**
   * Creates the next group id without a key, which no lookup finds: the id a caller gives to what
   * its keys cannot express (hash aggregation's group of NULL keys), so that the table's ids stay
   * the caller's group ids.
   */
  public int addKeylessGroup() {
    if (keylessGroup != EMPTY) {
      throw new IllegalStateException("a keyless group exists");
    }
    int group = groupCount++;
    if (group == keys.length) {
      keys = Arrays.copyOf(keys, group * 2);
    }
    keylessGroup = group;
    return group;
  }

  private int insert(int slot, long key) {
    int group = groupCount++;
    if (group == keys.length) {
      keys = Arrays.copyOf(keys, group * 2);
    }
    keys[group] = key;
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
      if (group == keylessGroup) {
        continue;
      }
      int slot = hash(keys[group]) & mask;
      while (slots[slot] != EMPTY) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = group;
    }
  }

  public int groupCount() {
    return groupCount;
  }

  /** The key of {@code group} (0 for the {@linkplain #addKeylessGroup keyless group}). */
  public long key(int group) {
    return keys[group];
  }

  /** Estimated heap bytes of the table. */
  public long estimatedBytes() {
    return 32 + 4L * slots.length + 8L * keys.length;
  }
}
