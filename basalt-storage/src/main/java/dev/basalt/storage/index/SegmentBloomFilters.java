package dev.basalt.storage.index;

import java.util.List;

/**
 * The bloom filters of several segments' primary-key indexes (a tablet's, newest first), copied
 * side by side into one array. A point lookup on a tablet with many rowsets tests the key against
 * every segment's filter before it searches the few indexes that may hold it; from one array that
 * costs one word read per segment, instead of a cache lookup, an index object and its own array per
 * segment (docs/architecture.md, "Point queries").
 *
 * <p>Immutable and thread safe. Holds {@link PrimaryKeyIndex#estimatedBytes} of no index: only the
 * filters' words (16 bits per key), see {@link #estimatedBytes}.
 */
public final class SegmentBloomFilters {
  private final long[] words;
  private final int[] starts;
  private final byte[] hashCounts;

  private SegmentBloomFilters(long[] words, int[] starts, byte[] hashCounts) {
    this.words = words;
    this.starts = starts;
    this.hashCounts = hashCounts;
  }

  /** The filters of {@code indexes}, segment {@code i} being {@code indexes.get(i)}. */
  public static SegmentBloomFilters of(List<PrimaryKeyIndex> indexes) {
    int[] starts = new int[indexes.size() + 1];
    byte[] hashCounts = new byte[indexes.size()];
    long total = 0;
    for (int i = 0; i < indexes.size(); i++) {
      total += indexes.get(i).bloomWords().length;
      if (total > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("too many bloom filter words: " + total);
      }
      starts[i + 1] = (int) total;
      hashCounts[i] = (byte) indexes.get(i).bloomHashCount();
    }
    long[] words = new long[(int) total];
    for (int i = 0; i < indexes.size(); i++) {
      long[] bloom = indexes.get(i).bloomWords();
      System.arraycopy(bloom, 0, words, starts[i], bloom.length);
    }
    return new SegmentBloomFilters(words, starts, hashCounts);
  }

  /** Segments whose filters this holds. */
  public int segmentCount() {
    return hashCounts.length;
  }

  /**
   * Whether segment {@code segment}'s index may hold the key of {@code keyHash} ({@link
   * PrimaryKeyIndex#hash}): false means it does not; true is what {@link
   * PrimaryKeyIndex#find(byte[], long)} would find out by searching.
   */
  public boolean mightContain(int segment, long keyHash) {
    int start = starts[segment];
    int count = starts[segment + 1] - start;
    if (count == 0) {
      return false;
    }
    long mask = PrimaryKeyIndex.bloomMask(keyHash, hashCounts[segment]);
    return (words[start + PrimaryKeyIndex.bloomWord(keyHash, count)] & mask) == mask;
  }

  /** Approximate heap bytes. */
  public long estimatedBytes() {
    return 8L * words.length + 4L * starts.length + hashCounts.length + 64;
  }
}
