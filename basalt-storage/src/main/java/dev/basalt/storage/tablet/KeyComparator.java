package dev.basalt.storage.tablet;

import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import java.util.Arrays;

/**
 * Compares the keys of two rows straight on their vectors, in the order segments are sorted in:
 * NULL first, then by value (signed integers, DATE and DATETIME as their signed {@code long}s,
 * {@link Double#compare}, decimals and LARGEINTs by value on their 128-bit halves, strings by
 * unsigned bytes), the same order as {@code index.PrimaryKeyEncoder}'s bytes (docs/format.md §11;
 * {@code KeyComparatorTest} checks that they agree) without encoding a key per row: the one key
 * order of merged scans and compaction ({@link SortedMerge}). Stateless.
 */
final class KeyComparator {
  private KeyComparator() {}

  /** Compares row {@code leftRow} of {@code left} with row {@code rightRow} of {@code right}. */
  static int compare(ColumnVector[] left, int leftRow, ColumnVector[] right, int rightRow) {
    for (int k = 0; k < left.length; k++) {
      int order = compare(left[k], leftRow, right[k], rightRow);
      if (order != 0) {
        return order;
      }
    }
    return 0;
  }

  /**
   * Compares one value of {@code left} with one of {@code right} (vectors of one type): the order
   * of keys, and of MIN / MAX value columns when rowsets are merged.
   */
  static int compare(ColumnVector left, int leftRow, ColumnVector right, int rightRow) {
    boolean leftNull = left.isNull(leftRow);
    boolean rightNull = right.isNull(rightRow);
    if (leftNull || rightNull) {
      return leftNull == rightNull ? 0 : leftNull ? -1 : 1;
    }
    return switch (left) {
      case LongVector l -> Long.compare(l.getLong(leftRow), ((LongVector) right).getLong(rightRow));
      case DoubleVector d ->
          Double.compare(d.getDouble(leftRow), ((DoubleVector) right).getDouble(rightRow));
      case DecimalVector d -> {
        DecimalVector other = (DecimalVector) right;
        if (d.scale() != other.scale() || !d.isUnboxed() || !other.isUnboxed()) {
          yield d.getDecimal(leftRow).compareTo(other.getDecimal(rightRow));
        }
        if (d.isScaledLong() && other.isScaledLong()) {
          yield Long.compare(d.getUnscaled(leftRow), other.getUnscaled(rightRow));
        }
        // Unscaled 128-bit integers at one scale: the signed high halves, then the low halves
        // unsigned (a scaled long reads as its sign extension).
        int high = Long.compare(d.getHigh(leftRow), other.getHigh(rightRow));
        yield high != 0 ? high : Long.compareUnsigned(d.getLow(leftRow), other.getLow(rightRow));
      }
      case LargeIntVector l -> {
        LargeIntVector other = (LargeIntVector) right;
        int high = Long.compare(l.getHigh(leftRow), other.getHigh(rightRow));
        yield high != 0 ? high : Long.compareUnsigned(l.getLow(leftRow), other.getLow(rightRow));
      }
      case BytesVector b -> {
        BytesVector other = (BytesVector) right;
        yield Arrays.compareUnsigned(
            b.rawBytes(),
            b.offset(leftRow),
            b.offset(leftRow) + b.byteLength(leftRow),
            other.rawBytes(),
            other.offset(rightRow),
            other.offset(rightRow) + other.byteLength(rightRow));
      }
    };
  }
}
