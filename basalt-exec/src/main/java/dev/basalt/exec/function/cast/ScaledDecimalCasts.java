package dev.basalt.exec.function.cast;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.PhysicalType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.common.vector.ScaledDecimals;
import dev.basalt.exec.function.TypeCoercion;

/**
 * The conversions of {@link Casts#convertVector} that stay on primitive arrays for scaled-long
 * DECIMAL vectors: integers to DECIMAL, DECIMAL to a DECIMAL of a larger or equal scale, DECIMAL to
 * DOUBLE and to BIGINT. Each gives exactly what the boxed conversion gives, and returns {@code
 * null} whenever it cannot (a value that would not fit, rounding to a smaller scale, other types),
 * so that the boxed path decides. Stateless.
 */
final class ScaledDecimalCasts {
  private ScaledDecimalCasts() {}

  static ColumnVector convert(ColumnVector vector, DataType from, DataType to) {
    try {
      if (to.kind() == TypeKind.DECIMAL) {
        if (vector instanceof LongVector longs && TypeCoercion.isIntegerLike(from.kind())) {
          return rescale(longs, null, 0, to);
        }
        if (vector instanceof DecimalVector decimals
            && decimals.isScaledLong()
            && to.scale() >= decimals.scale()) {
          return rescale(null, decimals, decimals.scale(), to);
        }
        return null;
      }
      if (!(vector instanceof DecimalVector decimals) || !decimals.isScaledLong()) {
        return null;
      }
      int size = decimals.size();
      boolean[] nulls = nullsOf(decimals);
      if (to.physical() == PhysicalType.DOUBLE && to.kind() == TypeKind.DOUBLE) {
        double[] values = new double[size];
        int scale = decimals.scale();
        for (int i = 0; i < size; i++) {
          values[i] = ScaledDecimals.toDouble(decimals.getUnscaled(i), scale);
        }
        return new DoubleVector(to, values, nulls, size);
      }
      if (to.kind() == TypeKind.BIGINT) {
        long[] values = new long[size];
        long divisor = ScaledDecimals.powerOfTen(decimals.scale());
        for (int i = 0; i < size; i++) {
          values[i] = decimals.getUnscaled(i) / divisor; // truncates toward zero, as CAST does
        }
        return new LongVector(to, values, nulls, size);
      }
      return null;
    } catch (ArithmeticException beyondLong) {
      return null;
    }
  }

  /** Values of {@code longs} (scale 0) or {@code decimals} (scale {@code from}) at {@code to}. */
  private static ColumnVector rescale(
      LongVector longs, DecimalVector decimals, int fromScale, DataType to) {
    ColumnVector source = longs != null ? longs : decimals;
    int size = source.size();
    boolean[] nulls = nullsOf(source);
    long factor = ScaledDecimals.powerOfTen(to.scale() - fromScale);
    long bound = ScaledDecimals.precisionBound(to.precision());
    long[] values = new long[size];
    for (int i = 0; i < size; i++) {
      if (nulls != null && nulls[i]) {
        continue;
      }
      long value =
          Math.multiplyExact(longs != null ? longs.getLong(i) : decimals.getUnscaled(i), factor);
      if (value >= bound || value <= -bound) {
        return null;
      }
      values[i] = value;
    }
    return new DecimalVector(to, values, nulls, size);
  }

  private static boolean[] nullsOf(ColumnVector vector) {
    if (!vector.mayHaveNulls()) {
      return null;
    }
    boolean[] nulls = new boolean[vector.size()];
    for (int i = 0; i < nulls.length; i++) {
      nulls[i] = vector.isNull(i);
    }
    return nulls;
  }
}
