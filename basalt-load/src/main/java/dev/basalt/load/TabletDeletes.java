package dev.basalt.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * The keys a load deletes in one tablet (DELETE loads, Stream Load's merge types, the delete sign),
 * in arrival order, each with the delete row's sequence value when the table has a sequence column
 * and the row gives one: such a delete removes the key's live row only if its sequence value is not
 * smaller than the row's (docs/sql.md, "UNIQUE KEY options"); a delete without one removes it
 * whatever its sequence value.
 *
 * <p>Not thread safe; owned by one load.
 */
final class TabletDeletes {
  private final List<byte[]> keys = new ArrayList<>();
  private long[] sequences = new long[16];
  private final RoaringBitmap ordered = new RoaringBitmap();

  /** Adds a delete without a sequence value. */
  void add(byte[] key) {
    keys.add(key);
  }

  /** Adds a delete carrying sequence value {@code sequence}. */
  void add(byte[] key, long sequence) {
    int index = keys.size();
    if (index == sequences.length) {
      sequences = Arrays.copyOf(sequences, index * 2);
    }
    sequences[index] = sequence;
    ordered.add(index);
    keys.add(key);
  }

  int size() {
    return keys.size();
  }

  /** The encoded key ({@code PrimaryKeyEncoder}) of delete {@code index}. */
  byte[] key(int index) {
    return keys.get(index);
  }

  /** Whether delete {@code index} carries a sequence value. */
  boolean hasSequence(int index) {
    return ordered.contains(index);
  }

  /** The sequence value of delete {@code index}; only meaningful when it has one. */
  long sequence(int index) {
    return sequences[index];
  }
}
