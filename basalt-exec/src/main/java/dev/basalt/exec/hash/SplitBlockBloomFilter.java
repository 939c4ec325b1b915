package dev.basalt.exec.hash;

/**
 * A blocked Bloom filter over 64-bit key hashes, on one {@code long[]}: the split-block layout of
 * Putze, Sanders and Singler ("Cache-, Hash- and Space-Efficient Bloom Filters", 2007) as Apache
 * Parquet and Impala use it. A key's hash picks one block of {@link #WORDS_PER_BLOCK} words (512
 * bits, one cache line) from its high 32 bits, and sets one bit in each word of that block from its
 * low 32 bits multiplied by a per-word odd constant; a test reads that one cache line. Sized at
 * {@link #BITS_PER_KEY} bits per expected distinct key, which gives a false-positive rate of about
 * 1% (see {@code SplitBlockBloomFilterTest}); more keys than expected only raise it.
 *
 * <p>Callers hash keys themselves, with {@link dev.basalt.common.vector.Int128#hashLong} for one
 * word, {@link dev.basalt.common.vector.Int128#hash} for 128-bit values and {@link
 * BytesGroupHashTable#hash64} for byte strings, so equal keys of the build and the probe side give
 * equal hashes. Never answers false for a hash that was added.
 *
 * <p>Call order: {@link #add} any number of times, then {@link #mightContain} any number of times.
 * Not thread safe while adding; once no more hashes are added, {@link #mightContain} may be called
 * from several threads at once.
 */
public final class SplitBlockBloomFilter {
  /** Filter bits per expected distinct key. */
  public static final int BITS_PER_KEY = 10;

  /** Words (of 64 bits) per block: a 64-byte cache line. */
  static final int WORDS_PER_BLOCK = 8;

  /** The odd multipliers that pick each word's bit (the SALT constants of Parquet's format). */
  private static final int[] SALTS = {
    0x47b6137b, 0x44974d91, 0x8824ad5b, 0xa2b7289d, 0x705495c7, 0x2df1424b, 0x9efc4947, 0x5c6bfb31
  };

  private final long[] words;
  private final int blockCount;

  /** An empty filter sized for {@code expectedKeys} distinct keys ({@link #bytesFor}). */
  public SplitBlockBloomFilter(long expectedKeys) {
    this.blockCount = blockCount(expectedKeys);
    this.words = new long[blockCount * WORDS_PER_BLOCK];
  }

  /** The heap bytes of a filter sized for {@code expectedKeys} keys (for memory reservations). */
  public static long bytesFor(long expectedKeys) {
    return 16L + 8L * WORDS_PER_BLOCK * blockCount(expectedKeys);
  }

  private static int blockCount(long expectedKeys) {
    long bits = Math.max(1, expectedKeys) * BITS_PER_KEY;
    long blocks = (bits + 64L * WORDS_PER_BLOCK - 1) / (64L * WORDS_PER_BLOCK);
    return (int) Math.min(blocks, Integer.MAX_VALUE / WORDS_PER_BLOCK);
  }

  /** The first word of the block of {@code hash}: its high 32 bits scaled to the block count. */
  private int blockStart(long hash) {
    return (int) (((hash >>> 32) * blockCount) >>> 32) * WORDS_PER_BLOCK;
  }

  /** Adds a key's hash. */
  public void add(long hash) {
    int start = blockStart(hash);
    int low = (int) hash;
    for (int word = 0; word < WORDS_PER_BLOCK; word++) {
      words[start + word] |= 1L << ((low * SALTS[word]) >>> 26);
    }
  }

  /** Whether a key with this hash may have been added (false: it certainly was not). */
  public boolean mightContain(long hash) {
    int start = blockStart(hash);
    int low = (int) hash;
    long missing = 0;
    for (int word = 0; word < WORDS_PER_BLOCK; word++) {
      long bit = 1L << ((low * SALTS[word]) >>> 26);
      missing |= bit & ~words[start + word];
    }
    return missing == 0;
  }

  /** The heap bytes of this filter. */
  public long estimatedBytes() {
    return 16L + 8L * words.length;
  }
}
