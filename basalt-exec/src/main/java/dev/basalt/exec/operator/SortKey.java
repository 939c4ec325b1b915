package dev.basalt.exec.operator;

import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.Int128;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One ORDER BY key: input column, direction and where NULLs go (MySQL puts NULLs first in ascending
 * order and last in descending order; the planner passes what the query asked for).
 */
public record SortKey(int column, boolean descending, boolean nullsFirst) {

  /**
   * Orders boxed rows by these keys (the reference the typed sort is tested against, and the order
   * of code that still works on boxed values).
   */
  public static Comparator<Object[]> comparator(List<SortKey> keys) {
    return (left, right) -> {
      for (SortKey key : keys) {
        int order = compareNullable(left[key.column], right[key.column], key.nullsFirst);
        if (order != 0) {
          boolean bothPresent = left[key.column] != null && right[key.column] != null;
          return key.descending && bothPresent ? -order : order;
        }
      }
      return 0;
    };
  }

  private static int compareNullable(Object left, Object right, boolean nullsFirst) {
    if (left == null || right == null) {
      if (left == right) {
        return 0;
      }
      return (left == null) == nullsFirst ? -1 : 1;
    }
    return compareValues(left, right);
  }

  /**
   * Compares two non-null boxed values of the same type, in the order the rest of the engine uses:
   * -0.0 equals 0.0 (NaN sorts last), and strings compare by code point, which is the order of
   * their UTF-8 bytes (String.compareTo's UTF-16 order differs above U+FFFF).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static int compareValues(Object left, Object right) {
    if (left instanceof Double leftDouble && right instanceof Double rightDouble) {
      return compareDoubles(leftDouble, rightDouble);
    }
    if (left instanceof String leftText && right instanceof String rightText) {
      return compareCodePoints(leftText, rightText);
    }
    return ((Comparable) left).compareTo(right);
  }

  /** The order of DOUBLE values: -0.0 equals 0.0, NaN sorts after every number and equals NaN. */
  public static int compareDoubles(double left, double right) {
    return left == right ? 0 : Double.compare(left, right);
  }

  /**
   * The order of strings: their UTF-8 bytes compared unsigned (which is code point order); trailing
   * spaces count.
   */
  public static int compareUtf8(
      byte[] left, int leftStart, int leftLength, byte[] right, int rightStart, int rightLength) {
    return Arrays.compareUnsigned(
        left, leftStart, leftStart + leftLength, right, rightStart, rightStart + rightLength);
  }

  /**
   * Compares the non-null value at {@code leftRow} of {@code left} with the one at {@code rightRow}
   * of {@code right} (vectors of one type), reading the typed arrays: the typed form of {@link
   * #compareValues}.
   */
  public static int compareNonNull(
      ColumnVector left, int leftRow, ColumnVector right, int rightRow) {
    return switch (left) {
      case LongVector longs ->
          Long.compare(longs.getLong(leftRow), ((LongVector) right).getLong(rightRow));
      case DoubleVector doubles ->
          compareDoubles(doubles.getDouble(leftRow), ((DoubleVector) right).getDouble(rightRow));
      case BytesVector strings -> {
        BytesVector other = (BytesVector) right;
        yield compareUtf8(
            strings.rawBytes(),
            strings.offset(leftRow),
            strings.byteLength(leftRow),
            other.rawBytes(),
            other.offset(rightRow),
            other.byteLength(rightRow));
      }
      case DecimalVector decimals -> {
        DecimalVector other = (DecimalVector) right;
        if (decimals.isScaledLong() && other.isScaledLong() && decimals.scale() == other.scale()) {
          yield Long.compare(decimals.getUnscaled(leftRow), other.getUnscaled(rightRow));
        }
        if (decimals.isUnboxed() && other.isUnboxed() && decimals.scale() == other.scale()) {
          yield Int128.compare(
              decimals.getHigh(leftRow),
              decimals.getLow(leftRow),
              other.getHigh(rightRow),
              other.getLow(rightRow));
        }
        yield decimals.getDecimal(leftRow).compareTo(other.getDecimal(rightRow));
      }
      case LargeIntVector integers -> {
        LargeIntVector other = (LargeIntVector) right;
        yield Int128.compare(
            integers.getHigh(leftRow),
            integers.getLow(leftRow),
            other.getHigh(rightRow),
            other.getLow(rightRow));
      }
    };
  }

  /**
   * Compares row {@code leftRow} of {@code left} with row {@code rightRow} of {@code right} (column
   * lists of one row type) by {@code keys}, NULLs placed as each key says.
   */
  public static int compareRows(
      List<ColumnVector> left,
      int leftRow,
      List<ColumnVector> right,
      int rightRow,
      List<SortKey> keys) {
    for (SortKey key : keys) {
      ColumnVector leftColumn = left.get(key.column);
      ColumnVector rightColumn = right.get(key.column);
      boolean leftNull = leftColumn.isNull(leftRow);
      boolean rightNull = rightColumn.isNull(rightRow);
      int order;
      if (leftNull || rightNull) {
        order = leftNull == rightNull ? 0 : leftNull == key.nullsFirst ? -1 : 1;
      } else {
        order = compareNonNull(leftColumn, leftRow, rightColumn, rightRow);
        order = key.descending ? -Integer.signum(order) : order;
      }
      if (order != 0) {
        return order;
      }
    }
    return 0;
  }

  private static int compareCodePoints(String left, String right) {
    int leftIndex = 0;
    int rightIndex = 0;
    while (leftIndex < left.length() && rightIndex < right.length()) {
      int leftCodePoint = left.codePointAt(leftIndex);
      int rightCodePoint = right.codePointAt(rightIndex);
      if (leftCodePoint != rightCodePoint) {
        return Integer.compare(leftCodePoint, rightCodePoint);
      }
      leftIndex += Character.charCount(leftCodePoint);
      rightIndex += Character.charCount(rightCodePoint);
    }
    return Integer.compare(left.length() - leftIndex, right.length() - rightIndex);
  }
}
