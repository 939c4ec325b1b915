package dev.basalt.exec.hash;

import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.LongVector;
import java.util.Arrays;
import java.util.List;

/**
 * Several integer key columns packed into one {@code long} by the ranges of a hash join's build
 * side, so that a join on {@code (ps_partkey, ps_suppkey)} hashes one word per row in a {@link
 * LongGroupHashTable} instead of a tuple in a {@link LongTupleHashTable}: column {@code c}
 * contributes {@code value - min[c]} in its own bits, as many as its build range {@code max[c] -
 * min[c]} needs. The packing is one-to-one on values within the ranges; a probe value outside its
 * column's build range (or NULL) cannot be equal to any build key, so {@link #pack} marks its row
 * as matching nothing instead of packing it.
 *
 * <p>Immutable once made by {@link #of}; thread safe.
 */
public final class PackedLongKeys {
  private final long[] min;
  private final long[] max;
  private final int[] shift;

  private PackedLongKeys(long[] min, long[] max, int[] shift) {
    this.min = min;
    this.max = max;
    this.shift = shift;
  }

  /**
   * The packing for build key columns {@code keys} of {@code rowCount} rows (NULL rows ignored), or
   * null when some column is not a {@link LongVector}, there is no row whose keys are all non-null,
   * or the ranges need more than 63 bits together.
   */
  public static PackedLongKeys of(List<ColumnVector> keys, int rowCount) {
    int columns = keys.size();
    long[] min = new long[columns];
    long[] max = new long[columns];
    int[] shift = new int[columns];
    int bits = 0;
    for (int column = 0; column < columns; column++) {
      if (!(keys.get(column) instanceof LongVector longs)) {
        return null;
      }
      long low = Long.MAX_VALUE;
      long high = Long.MIN_VALUE;
      boolean mayHaveNulls = longs.mayHaveNulls();
      for (int row = 0; row < rowCount; row++) {
        if (!mayHaveNulls || !longs.isNull(row)) {
          long value = longs.getLong(row);
          low = Math.min(low, value);
          high = Math.max(high, value);
        }
      }
      if (low > high) {
        return null;
      }
      long span = high - low;
      if (span < 0) {
        return null; // the range overflows a long
      }
      min[column] = low;
      max[column] = high;
      shift[column] = bits;
      bits += Long.SIZE - Long.numberOfLeadingZeros(span);
      if (bits > Long.SIZE - 1) {
        return null;
      }
    }
    return new PackedLongKeys(min, max, shift);
  }

  /**
   * Packs the keys of rows {@code [from, from + count)} of {@code keys} (one vector per column, in
   * the order given to {@link #of}) into {@code packed[0, count)}. A row with a NULL key or a value
   * outside its column's build range gets {@code keyIds[i] = -1} and an unspecified packed word;
   * every other row gets {@code keyIds[i] = 0}. Returns how many rows got -1.
   */
  public int pack(List<ColumnVector> keys, int from, int count, long[] packed, int[] keyIds) {
    Arrays.fill(packed, 0, count, 0L);
    Arrays.fill(keyIds, 0, count, 0);
    int excluded = 0;
    for (int column = 0; column < min.length; column++) {
      LongVector longs = (LongVector) keys.get(column);
      long low = min[column];
      long high = max[column];
      int bits = shift[column];
      boolean mayHaveNulls = longs.mayHaveNulls();
      for (int i = 0; i < count; i++) {
        int row = from + i;
        long value = longs.getLong(row);
        if ((mayHaveNulls && longs.isNull(row)) || value < low || value > high) {
          if (keyIds[i] == 0) {
            keyIds[i] = -1;
            excluded++;
          }
        } else {
          packed[i] |= (value - low) << bits;
        }
      }
    }
    return excluded;
  }
}
