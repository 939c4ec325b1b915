package dev.basalt.exec.function.cast;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.PhysicalType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.type.ValueText;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.Int128;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.common.vector.ScaledDecimals;
import dev.basalt.exec.function.TypeCoercion;
import java.util.function.IntToLongFunction;

/**
 * The conversions of {@link Casts#convertVector} that stay on primitive arrays for unboxed DECIMAL
 * vectors: integers (LARGEINT too) to DECIMAL and DECIMAL to a DECIMAL of a larger or equal scale,
 * on longs or on 128-bit halves ({@link Int128}) where a value leaves 64 bits, and to a smaller
 * scale rounding half away from zero; unboxed DECIMAL and LARGEINT to DOUBLE; scaled-long DECIMAL
 * to BIGINT; unboxed DECIMAL and DOUBLE to LARGEINT, truncated toward zero; unboxed DECIMAL and
 * LARGEINT to strings. Each gives exactly what the boxed conversion gives, and returns {@code null}
 * whenever it cannot (a value that would not fit, other types), so that the boxed path decides.
 * Stateless.
 */
final class ScaledDecimalCasts {
  private ScaledDecimalCasts() {}

  static ColumnVector convert(ColumnVector vector, DataType from, DataType to) {
    boolean toText =
        to.kind() == TypeKind.STRING || to.kind() == TypeKind.VARCHAR || to.kind() == TypeKind.CHAR;
    if (toText && vector instanceof DecimalVector decimals && decimals.isUnboxed()) {
      return texts(decimals, decimals::getHigh, decimals::getLow, decimals.scale(), to);
    }
    if (toText && vector instanceof LargeIntVector integers) {
      return texts(integers, integers::getHigh, integers::getLow, 0, to);
    }
    try {
      if (to.kind() == TypeKind.DECIMAL) {
        if (vector instanceof LongVector longs && TypeCoercion.isIntegerLike(from.kind())) {
          ColumnVector scaled = rescaleOrNull(longs, null, 0, to);
          return scaled != null
              ? scaled
              : rescaleInt128(longs, i -> longs.getLong(i) >> 63, longs::getLong, 0, to);
        }
        if (vector instanceof DecimalVector decimals
            && decimals.isScaledLong()
            && to.scale() >= decimals.scale()) {
          ColumnVector scaled = rescaleOrNull(null, decimals, decimals.scale(), to);
          return scaled != null
              ? scaled
              : rescaleInt128(decimals, decimals::getHigh, decimals::getLow, decimals.scale(), to);
        }
        if (vector instanceof DecimalVector decimals
            && decimals.isInt128()
            && to.scale() >= decimals.scale()) {
          return rescaleInt128(decimals, decimals::getHigh, decimals::getLow, decimals.scale(), to);
        }
        if (vector instanceof DecimalVector decimals
            && decimals.isUnboxed()
            && to.scale() < decimals.scale()) {
          return roundToScale(decimals, to);
        }
        if (vector instanceof LargeIntVector integers) {
          return rescaleInt128(integers, integers::getHigh, integers::getLow, 0, to);
        }
        return null;
      }
      if (to.kind() == TypeKind.LARGEINT) {
        if (vector instanceof DecimalVector decimals && decimals.isUnboxed()) {
          return truncateToLargeInt(decimals, to);
        }
        if (vector instanceof DoubleVector doubles) {
          return truncateToLargeInt(doubles, to);
        }
        return null;
      }
      boolean toDouble = to.physical() == PhysicalType.DOUBLE && to.kind() == TypeKind.DOUBLE;
      if (toDouble && vector instanceof LargeIntVector integers) {
        return doubles(integers, integers::getHigh, integers::getLow, 0, to);
      }
      if (!(vector instanceof DecimalVector decimals) || !decimals.isUnboxed()) {
        return null;
      }
      if (toDouble) {
        return doubles(decimals, decimals::getHigh, decimals::getLow, decimals.scale(), to);
      }
      if (!decimals.isScaledLong()) {
        return null;
      }
      int size = decimals.size();
      boolean[] nulls = nullsOf(decimals);
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

  /**
   * The text of each value, as {@link Casts#toText} prints it, written from the halves; cut to a
   * CHAR/VARCHAR length as {@code Casts} cuts (the text is ASCII, so code points are chars).
   */
  private static ColumnVector texts(
      ColumnVector source, IntToLongFunction high, IntToLongFunction low, int scale, DataType to) {
    int size = source.size();
    ColumnVectorBuilder builder = new ColumnVectorBuilder(to, Math.max(size, 1));
    int length = to.kind() == TypeKind.STRING ? 0 : to.length();
    for (int i = 0; i < size; i++) {
      if (source.isNull(i)) {
        builder.appendNull();
        continue;
      }
      String text = ValueText.formatUnscaledDecimal(high.applyAsLong(i), low.applyAsLong(i), scale);
      builder.appendString(length > 0 && text.length() > length ? text.substring(0, length) : text);
    }
    return builder.build();
  }

  /**
   * Each value as the nearest DOUBLE, rounded once as {@code BigDecimal.doubleValue} rounds ({@link
   * Int128#toDouble}).
   */
  private static ColumnVector doubles(
      ColumnVector source, IntToLongFunction high, IntToLongFunction low, int scale, DataType to) {
    int size = source.size();
    boolean[] nulls = nullsOf(source);
    double[] values = new double[size];
    long[] scratch = new long[4];
    for (int i = 0; i < size; i++) {
      if (nulls == null || !nulls[i]) {
        values[i] = Int128.toDouble(high.applyAsLong(i), low.applyAsLong(i), scale, scratch);
      }
    }
    return new DoubleVector(to, values, nulls, size);
  }

  /**
   * The values of {@code decimals} rounded half away from zero to the smaller scale of {@code to},
   * on longs or on 128-bit halves; {@code null} when one does not fit {@code to}'s precision (the
   * boxed path then gives that value NULL).
   */
  private static ColumnVector roundToScale(DecimalVector decimals, DataType to) {
    int size = decimals.size();
    boolean[] nulls = nullsOf(decimals);
    int shift = decimals.scale() - to.scale();
    long divisorHigh = Int128.powerOfTenHigh(shift);
    long divisorLow = Int128.powerOfTenLow(shift);
    boolean longDivisor = Int128.fitsLong(divisorHigh, divisorLow);
    int precision = Math.min(to.precision(), DataType.MAX_DECIMAL_PRECISION);
    long[] highs = new long[size];
    long[] lows = new long[size];
    long[] quotient = new long[4];
    boolean allFitLong = true;
    for (int i = 0; i < size; i++) {
      if (nulls != null && nulls[i]) {
        continue;
      }
      long high = decimals.getHigh(i);
      long low = decimals.getLow(i);
      if (longDivisor && Int128.fitsLong(high, low)) {
        // |remainder| < divisor <= 10^18, so twice it is a long.
        long rounded = low / divisorLow;
        long remainder = low % divisorLow;
        if (2 * Math.abs(remainder) >= divisorLow) {
          rounded += low < 0 ? -1 : 1;
        }
        highs[i] = rounded >> 63;
        lows[i] = rounded;
      } else {
        Int128.divideRoundHalfUp(high, low, divisorHigh, divisorLow, quotient);
        highs[i] = quotient[0];
        lows[i] = quotient[1];
        allFitLong &= Int128.fitsLong(quotient[0], quotient[1]);
      }
      if (!Int128.fitsDigits(highs[i], lows[i], precision)) {
        return null;
      }
    }
    return allFitLong
        ? new DecimalVector(to, lows, nulls, size)
        : new DecimalVector(to, highs, lows, nulls, size);
  }

  /**
   * The values of {@code decimals} as LARGEINT, the fraction truncated toward zero ({@code 2.7} ->
   * 2, {@code -2.7} -> -2), as every cast to an integer does.
   */
  private static ColumnVector truncateToLargeInt(DecimalVector decimals, DataType to) {
    int size = decimals.size();
    boolean[] nulls = nullsOf(decimals);
    int scale = decimals.scale();
    long divisorHigh = Int128.powerOfTenHigh(scale);
    long divisorLow = Int128.powerOfTenLow(scale);
    boolean longDivisor = Int128.fitsLong(divisorHigh, divisorLow);
    long[] highs = new long[size];
    long[] lows = new long[size];
    long[] quotient = new long[4];
    for (int i = 0; i < size; i++) {
      if (nulls != null && nulls[i]) {
        continue;
      }
      long high = decimals.getHigh(i);
      long low = decimals.getLow(i);
      if (longDivisor && Int128.fitsLong(high, low)) {
        long truncated = low / divisorLow; // Java's division truncates toward zero
        highs[i] = truncated >> 63;
        lows[i] = truncated;
      } else {
        Int128.divide(high, low, divisorHigh, divisorLow, quotient);
        highs[i] = quotient[0];
        lows[i] = quotient[1];
      }
    }
    return new LargeIntVector(to, highs, lows, nulls, size);
  }

  /**
   * The values of {@code doubles} as LARGEINT, truncated toward zero; {@code null} when one is not
   * finite or has 2^53 or more in magnitude. The boxed path converts a DOUBLE through its shortest
   * decimal text ({@code 4.611686018427388E18}, not the binary value 4611686018427387904); below
   * 2^53 every integer is a DOUBLE, so that text truncates to the same integer as the value itself.
   */
  private static ColumnVector truncateToLargeInt(DoubleVector doubles, DataType to) {
    int size = doubles.size();
    boolean[] nulls = nullsOf(doubles);
    long[] highs = new long[size];
    long[] lows = new long[size];
    for (int i = 0; i < size; i++) {
      if (nulls != null && nulls[i]) {
        continue;
      }
      double value = doubles.getDouble(i);
      if (!(Math.abs(value) < 0x1p53)) {
        return null;
      }
      long truncated = (long) value; // a double-to-long conversion truncates toward zero
      highs[i] = truncated >> 63;
      lows[i] = truncated;
    }
    return new LargeIntVector(to, highs, lows, nulls, size);
  }

  /** As {@link #rescale}, but {@code null} when a value leaves 64 bits. */
  private static ColumnVector rescaleOrNull(
      LongVector longs, DecimalVector decimals, int fromScale, DataType to) {
    try {
      return rescale(longs, decimals, fromScale, to);
    } catch (ArithmeticException beyondLong) {
      return null;
    }
  }

  /**
   * The 128-bit values of {@code source} (read by the halves, at scale {@code fromScale}) at the
   * larger or equal scale of {@code to}, as 128-bit halves; {@code null} when one does not fit
   * {@code to}'s precision (the boxed path reports it). Throws {@link ArithmeticException} when one
   * leaves 128 bits.
   */
  private static ColumnVector rescaleInt128(
      ColumnVector source,
      IntToLongFunction high,
      IntToLongFunction low,
      int fromScale,
      DataType to) {
    int size = source.size();
    boolean[] nulls = nullsOf(source);
    int shift = to.scale() - fromScale;
    long factorHigh = Int128.powerOfTenHigh(shift);
    long factorLow = Int128.powerOfTenLow(shift);
    int precision = Math.min(to.precision(), DataType.MAX_DECIMAL_PRECISION);
    long[] highs = new long[size];
    long[] lows = new long[size];
    for (int i = 0; i < size; i++) {
      if (nulls != null && nulls[i]) {
        continue;
      }
      Int128.multiply(
          high.applyAsLong(i), low.applyAsLong(i), factorHigh, factorLow, highs, lows, i);
      if (!Int128.fitsDigits(highs[i], lows[i], precision)) {
        return null;
      }
    }
    return new DecimalVector(to, highs, lows, nulls, size);
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
