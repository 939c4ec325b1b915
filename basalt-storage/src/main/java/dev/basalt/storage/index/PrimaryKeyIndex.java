package dev.basalt.storage.index;

import dev.basalt.storage.encoding.FormatException;
import dev.basalt.storage.encoding.LittleEndianInput;
import dev.basalt.storage.encoding.LittleEndianOutput;
import java.util.Arrays;

/**
 * The primary-key index of one segment of a merge-on-write UNIQUE KEY table: the segment's encoded
 * keys ({@link PrimaryKeyEncoder}) in row order, strictly increasing (such a segment holds each key
 * once, sorted), so the row number of a key is its position; plus a bloom filter that rejects most
 * absent keys before the binary search. Layout in docs/format.md §11.
 *
 * <p>Immutable after {@link Builder#build()} or {@link #parse}; safe to share between threads.
 */
public final class PrimaryKeyIndex {
  private static final int BITS_PER_KEY = 16;
  private static final java.lang.invoke.VarHandle LITTLE_ENDIAN_LONG =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final int HASH_COUNT = 6;

  private final byte[] keyBytes;
  private final int[] offsets;
  private final long[] bloom;
  private final int hashCount;

  private PrimaryKeyIndex(byte[] keyBytes, int[] offsets, long[] bloom, int hashCount) {
    this.keyBytes = keyBytes;
    this.offsets = offsets;
    this.bloom = bloom;
    this.hashCount = hashCount;
  }

  /** Keys (= rows) in the index. */
  public int keyCount() {
    return offsets.length - 1;
  }

  /** Approximate heap bytes, for caches. */
  public long estimatedBytes() {
    return keyBytes.length + 4L * offsets.length + 8L * bloom.length + 64;
  }

  /** The bloom filter's words, not copied: for {@link SegmentBloomFilters}, which copies them. */
  long[] bloomWords() {
    return bloom;
  }

  /** The bits the bloom filter sets per key. */
  int bloomHashCount() {
    return hashCount;
  }

  /** A copy of the encoded key of {@code row}. */
  public byte[] key(int row) {
    return Arrays.copyOfRange(keyBytes, offsets[row], offsets[row + 1]);
  }

  /** The row holding {@code key}, or -1 when the segment does not hold it. */
  public int find(byte[] key) {
    return find(key, hash(key));
  }

  /**
   * As {@link #find(byte[])} with the key's {@link #hash} computed once by a caller that probes
   * many segments with one key.
   */
  public int find(byte[] key, long keyHash) {
    int count = keyCount();
    if (count == 0 || !mightContain(keyHash)) {
      return -1;
    }
    return search(key);
  }

  /**
   * As {@link #find(byte[], long)} for a caller that probes this index with increasing keys (the
   * sorted keys of a new segment): the search starts at {@code fromRow}, below which no later key
   * can lie, and gallops forward (doubling steps, then a binary search), so a run of close keys
   * costs a few comparisons each instead of a search over the whole segment.
   *
   * @param fromRow the row to search from: 0 for the first key, then what the previous call
   *     returned through {@link #nextFromRow}
   * @return the row holding {@code key}, or a negative number when the segment does not hold it;
   *     either way {@link #nextFromRow} of it is where the next, greater key's search starts
   */
  public int findFrom(byte[] key, long keyHash, int fromRow) {
    int count = keyCount();
    if (fromRow >= count || !mightContain(keyHash)) {
      return -1 - fromRow;
    }
    int low = fromRow;
    int order = compareAt(low, key);
    if (order >= 0) {
      return order == 0 ? low : -1 - low;
    }
    // keyAt(low) < key: find high with keyAt(high) >= key (or high = count).
    int step = 1;
    int high = low + step;
    while (high < count && compareAt(high, key) < 0) {
      low = high;
      step <<= 1;
      high = low + step;
    }
    // keyAt(low) < key <= keyAt(high) (high = count: beyond the end); search (low, high).
    int first = low + 1;
    int last = high < count ? high : count - 1;
    while (first <= last) {
      int middle = (first + last) >>> 1;
      int comparison = compareAt(middle, key);
      if (comparison < 0) {
        first = middle + 1;
      } else if (comparison > 0) {
        last = middle - 1;
      } else {
        return middle;
      }
    }
    return -1 - first;
  }

  /**
   * Where the search for the next, greater key starts after {@link #findFrom} returned {@code
   * found}.
   */
  public static int nextFromRow(int found) {
    return found >= 0 ? found + 1 : -1 - found;
  }

  private int compareAt(int row, byte[] key) {
    return Arrays.compareUnsigned(keyBytes, offsets[row], offsets[row + 1], key, 0, key.length);
  }

  /**
   * Whether {@code key} lies between the segment's smallest and greatest key. Touches two keys
   * only, so a caller that probes many segments tests this before it hashes the key and reads a
   * bloom filter word (keys of new rows are often beyond every older segment's range).
   */
  public boolean covers(byte[] key) {
    int count = keyCount();
    return count > 0
        && Arrays.compareUnsigned(keyBytes, offsets[0], offsets[1], key, 0, key.length) <= 0
        && Arrays.compareUnsigned(keyBytes, offsets[count - 1], offsets[count], key, 0, key.length)
            >= 0;
  }

  /** Binary search for {@code key}: its row, or -1. */
  private int search(byte[] key) {
    int count = keyCount();
    int low = 0;
    int high = count - 1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      int order =
          Arrays.compareUnsigned(
              keyBytes, offsets[middle], offsets[middle + 1], key, 0, key.length);
      if (order < 0) {
        low = middle + 1;
      } else if (order > 0) {
        high = middle - 1;
      } else {
        return middle;
      }
    }
    return -1;
  }

  private boolean mightContain(long hash) {
    long mask = bloomMask(hash, hashCount);
    return (bloom[bloomWord(hash, bloom.length)] & mask) == mask;
  }

  /**
   * The bloom filter word of a key: one 64-bit word holds all of a key's bits (a register-blocked
   * bloom filter), so a probe costs one memory access; chosen by the hash's high 32 bits scaled to
   * the word count.
   */
  static int bloomWord(long hash, int words) {
    return (int) (((hash >>> 32) * words) >>> 32);
  }

  /** The key's bits in its word: six bits of a remixed hash per probe, from the top down. */
  static long bloomMask(long hash, int hashCount) {
    long mixed = Long.rotateLeft(hash, 32) * 0x9E3779B97F4A7C15L;
    long mask = 0;
    for (int i = 0; i < hashCount; i++) {
      mask |= 1L << ((mixed >>> (58 - 6 * i)) & 63);
    }
    return mask;
  }

  /**
   * The 64-bit hash of an encoded key that the bloom filters use (a multiply-rotate mix finished
   * with Murmur3's fmix64; docs/format.md §11).
   */
  public static long hash(byte[] key) {
    return hash(key, 0, key.length);
  }

  /** {@link #hash(byte[])} of the key {@code bytes[from .. to)}. */
  private static long hash(byte[] bytes, int from, int to) {
    long h = to - from;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long word = (long) LITTLE_ENDIAN_LONG.get(bytes, i);
      h = Long.rotateLeft(h ^ (word * 0x87C37B91114253D5L), 31) * 0x9E3779B97F4A7C15L;
    }
    long tail = 0;
    for (int b = to - 1; b >= i; b--) {
      tail = (tail << 8) | (bytes[b] & 0xFF);
    }
    h = Long.rotateLeft(h ^ (tail * 0x87C37B91114253D5L), 31) * 0x9E3779B97F4A7C15L;
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return h;
  }

  /** The index's bytes as stored in a segment (docs/format.md §11). */
  public byte[] serialize() {
    LittleEndianOutput output = new LittleEndianOutput(keyBytes.length + 4 * offsets.length + 64);
    output.writeInt(keyCount());
    output.writeByte(hashCount);
    output.writeInt(bloom.length);
    output.writeLongs(bloom, 0, bloom.length);
    for (int i = 1; i < offsets.length; i++) {
      output.writeInt(offsets[i]);
    }
    output.writeBytes(keyBytes, 0, keyBytes.length);
    return output.toByteArray();
  }

  /** Parses and validates stored index bytes; problems are {@link FormatException}s. */
  public static PrimaryKeyIndex parse(byte[] bytes) {
    LittleEndianInput input = new LittleEndianInput(bytes);
    int count = input.readCount("primary key count");
    int hashCount = input.readUnsignedByte();
    int words = input.readCount("bloom filter words");
    if (hashCount < 1 || hashCount > 10 || words < 1) {
      throw new FormatException(
          "bloom filter with " + hashCount + " hashes and " + words + " words");
    }
    input.require(8L * words + 4L * count, "bloom filter and key offsets");
    // Bulk copies: a restarted server's first lookups parse many indexes before the JIT has
    // compiled anything, and a copy is not an interpreted loop.
    java.nio.ByteBuffer view =
        java.nio.ByteBuffer.wrap(bytes, input.position(), 8 * words + 4 * count)
            .slice()
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    long[] bloom = new long[words];
    view.asLongBuffer().get(bloom);
    int[] offsets = new int[count + 1];
    view.position(8 * words);
    view.asIntBuffer().get(offsets, 1, count);
    input.skip(8 * words + 4 * count, "bloom filter and key offsets");
    for (int i = 1; i <= count; i++) {
      if (offsets[i] <= offsets[i - 1]) {
        throw new FormatException("primary key " + (i - 1) + " is empty or out of place");
      }
    }
    byte[] keys = input.readBytes(offsets[count]);
    input.expectEnd("the primary key index");
    // The keys' order is not compared again here: the writer refuses keys out of order ({@link
    // Builder#add}) and the segment's CRC32C has checked the bytes since. Comparing every pair of
    // neighbours was most of a restart's first lookup (each probed segment's index is parsed).
    return new PrimaryKeyIndex(keys, offsets, bloom, hashCount);
  }

  /** Collects a segment's keys in row order and builds its index. Not thread safe. */
  public static final class Builder {
    private byte[] keys = new byte[1024];
    private int[] offsets = new int[257];
    private int count;
    private int lastStart;

    /**
     * Adds the next row's key, which must be greater than the previous one.
     *
     * @throws IllegalArgumentException when keys are not strictly increasing (a bug in the writer)
     */
    public void add(byte[] key) {
      if (count > 0
          && Arrays.compareUnsigned(keys, lastStart, offsets[count], key, 0, key.length) >= 0) {
        throw new IllegalArgumentException(
            "primary keys must be unique and increasing; row " + count + " is not");
      }
      int start = offsets[count];
      if (start + key.length > keys.length) {
        keys = Arrays.copyOf(keys, Math.max(keys.length * 2, start + key.length));
      }
      System.arraycopy(key, 0, keys, start, key.length);
      if (count + 2 > offsets.length) {
        offsets = Arrays.copyOf(offsets, offsets.length * 2);
      }
      lastStart = start;
      count++;
      offsets[count] = start + key.length;
    }

    public PrimaryKeyIndex build() {
      int words = (int) Math.max(1, ((long) count * BITS_PER_KEY + 63) / 64);
      long[] bloom = new long[words];
      for (int row = 0; row < count; row++) {
        long hash = hash(keys, offsets[row], offsets[row + 1]);
        bloom[bloomWord(hash, words)] |= bloomMask(hash, HASH_COUNT);
      }
      return new PrimaryKeyIndex(
          Arrays.copyOf(keys, offsets[count]),
          Arrays.copyOf(offsets, count + 1),
          bloom,
          HASH_COUNT);
    }
  }
}
