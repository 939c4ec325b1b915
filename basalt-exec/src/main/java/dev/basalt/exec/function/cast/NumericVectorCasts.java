package dev.basalt.exec.function.cast;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.TypeCoercion;

/**
 * The casts of {@link Casts#convertVector} between numbers that stay on primitive arrays besides
 * the widenings {@link Casts} makes itself: DOUBLE or FLOAT to TINYINT, SMALLINT, INT or BIGINT
 * (truncated toward zero; NaN, the infinities and values outside the type are NULL), to FLOAT
 * (rounded to float precision) and to BOOLEAN (any value but zero, NaN included, is true), and
 * integers to BOOLEAN. Every row gets exactly what {@link Casts#convert} gives. {@link #convert}
 * returns {@code null} for other pairs of types. Stateless.
 */
final class NumericVectorCasts {
  private NumericVectorCasts() {}

  static ColumnVector convert(ColumnVector vector, DataType from, DataType to) {
    TypeKind target = to.kind();
    if (vector instanceof DoubleVector doubles && TypeCoercion.isFloating(from.kind())) {
      return switch (target) {
        case TINYINT, SMALLINT, INT, BIGINT -> doublesToIntegers(doubles, to);
        case FLOAT -> doublesToFloats(doubles, to);
        case BOOLEAN -> doublesToBooleans(doubles, to);
        default -> null;
      };
    }
    if (vector instanceof LongVector longs
        && target == TypeKind.BOOLEAN
        && from.kind().isInteger()
        && from.kind() != TypeKind.LARGEINT) {
      int size = longs.size();
      long[] values = new long[size];
      for (int row = 0; row < size; row++) {
        values[row] = longs.getLong(row) != 0 ? 1 : 0;
      }
      return new LongVector(to, values, nullsOf(longs), size);
    }
    return null;
  }

  private static ColumnVector doublesToIntegers(DoubleVector doubles, DataType to) {
    long minimum = to.kind().minimumLong();
    long maximum = to.kind().maximumLong();
    int size = doubles.size();
    long[] values = new long[size];
    boolean[] nulls = nullsOf(doubles);
    for (int row = 0; row < size; row++) {
      if (nulls != null && nulls[row]) {
        continue;
      }
      double value = doubles.getDouble(row);
      // NaN fails both comparisons; the bounds are exact doubles (2^63 itself is out of range).
      double truncated = value < 0 ? Math.ceil(value) : Math.floor(value);
      if (truncated >= -0x1p63 && truncated < 0x1p63) {
        long whole = (long) truncated;
        if (whole >= minimum && whole <= maximum) {
          values[row] = whole;
          continue;
        }
      }
      if (nulls == null) {
        nulls = new boolean[size];
      }
      nulls[row] = true;
    }
    return new LongVector(to, values, nulls, size);
  }

  private static ColumnVector doublesToFloats(DoubleVector doubles, DataType to) {
    int size = doubles.size();
    double[] values = new double[size];
    for (int row = 0; row < size; row++) {
      values[row] = (float) doubles.getDouble(row);
    }
    return new DoubleVector(to, values, nullsOf(doubles), size);
  }

  private static ColumnVector doublesToBooleans(DoubleVector doubles, DataType to) {
    int size = doubles.size();
    long[] values = new long[size];
    for (int row = 0; row < size; row++) {
      values[row] = doubles.getDouble(row) != 0 ? 1 : 0;
    }
    return new LongVector(to, values, nullsOf(doubles), size);
  }

  /** A fresh copy of the vector's NULL flags, or {@code null} when it has no NULL. */
  private static boolean[] nullsOf(ColumnVector vector) {
    if (!vector.mayHaveNulls()) {
      return null;
    }
    int size = vector.size();
    boolean[] nulls = new boolean[size];
    for (int row = 0; row < size; row++) {
      nulls[row] = vector.isNull(row);
    }
    return nulls;
  }
}
