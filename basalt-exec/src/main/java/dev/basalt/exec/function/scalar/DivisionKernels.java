package dev.basalt.exec.function.scalar;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.Int128;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;

/**
 * {@code /}, {@code %} and {@code DIV} of unboxed DECIMALs (scaled longs or 128-bit halves) and
 * LARGEINTs, on longs where the operands fit and on {@link Int128} halves otherwise, with no {@code
 * BigDecimal} per value. The operands are brought to a common footing first: the dividend times
 * 10^{@code dividendShift}, the divisor times 10^{@code divisorShift} (e.g. for DECIMAL {@code /},
 * the dividend's unscaled value times 10^(result scale - s1 + s2), so that the rounded integer
 * quotient is the result's unscaled value).
 *
 * <p>Either operand may be a constant vector ({@link Kernels#rowMask}); a scaled-long column
 * divided by a constant has a loop of its own ({@link #byConstant}). A row whose divisor is zero is
 * NULL. {@link #compute} returns {@code null} when a value needs the boxed path: a rescaled operand
 * or a quotient beyond 128 bits, a result beyond {@code precision} digits, a {@code DIV} quotient
 * beyond BIGINT. The caller then computes the whole batch on {@code BigDecimal}s, which reports the
 * error, so a result never differs. Stateless.
 */
final class DivisionKernels {
  private DivisionKernels() {}

  /** What is computed from the rescaled operands. */
  enum Kind {
    /** The quotient rounded half away from zero (DECIMAL {@code /}). */
    ROUNDED_QUOTIENT,
    /** The remainder, with the dividend's sign ({@code %}). */
    REMAINDER,
    /** The quotient truncated toward zero, a BIGINT ({@code DIV}). */
    TRUNCATED_QUOTIENT
  }

  /** The largest shift whose power of ten is a long. */
  private static final int MAX_LONG_SHIFT = 18;

  /**
   * The operation on every row of {@code dividends} and {@code divisors} (each a {@link
   * DecimalVector} with {@link DecimalVector#isUnboxed} or a {@link LargeIntVector}); the result
   * has {@code resultType} (BIGINT for {@link Kind#TRUNCATED_QUOTIENT}, whose result must fit a
   * long; otherwise results must have at most {@code precision} digits). {@code null} when the
   * batch must take the boxed path.
   */
  static ColumnVector compute(
      Kind kind,
      ColumnVector dividends,
      ColumnVector divisors,
      int dividendShift,
      int divisorShift,
      DataType resultType,
      int precision,
      int rowCount) {
    if (dividendShift < 0 || divisorShift < 0 || dividendShift > 38 || divisorShift > 38) {
      return null;
    }
    boolean[] nulls = Kernels.mergeNulls(dividends, divisors, rowCount);
    int dividendMask = Kernels.rowMask(dividends, rowCount);
    int divisorMask = Kernels.rowMask(divisors, rowCount);
    if (divisorMask == 0
        && dividendMask != 0
        && dividends instanceof DecimalVector decimals
        && decimals.isScaledLong()
        && !divisors.isNull(0)
        && resultType.kind() != TypeKind.LARGEINT) {
      long[] values =
          columnByConstant(
              kind, decimals, divisors, dividendShift, divisorShift, precision, rowCount);
      if (values != null) {
        return kind == Kind.TRUNCATED_QUOTIENT
            ? new LongVector(resultType, values, nulls, rowCount)
            : new DecimalVector(resultType, values, nulls, rowCount);
      }
    }
    long[] highs = new long[rowCount];
    long[] lows = new long[rowCount];
    boolean allFitLong = true;
    // The long path applies when both shifts have long powers and the rescaled operands fit.
    boolean longShifts = dividendShift <= MAX_LONG_SHIFT && divisorShift <= MAX_LONG_SHIFT;
    long dividendFactor = longShifts ? Int128.powerOfTenLow(dividendShift) : 0;
    long divisorFactor = longShifts ? Int128.powerOfTenLow(divisorShift) : 0;
    long dividendFactorHigh = Int128.powerOfTenHigh(dividendShift);
    long dividendFactorLow = Int128.powerOfTenLow(dividendShift);
    long divisorFactorHigh = Int128.powerOfTenHigh(divisorShift);
    long divisorFactorLow = Int128.powerOfTenLow(divisorShift);
    long longBound = precision <= MAX_LONG_SHIFT ? Int128.powerOfTenLow(precision) : Long.MAX_VALUE;
    long[] productHigh = new long[1];
    long[] productLow = new long[1];
    long[] quotient = new long[4];
    try {
      for (int i = 0; i < rowCount; i++) {
        if (nulls != null && nulls[i]) {
          continue;
        }
        long xHigh = high(dividends, i & dividendMask);
        long xLow = low(dividends, i & dividendMask);
        long yHigh = high(divisors, i & divisorMask);
        long yLow = low(divisors, i & divisorMask);
        if ((yHigh | yLow) == 0) {
          nulls = Kernels.setNull(nulls, i, rowCount);
          continue;
        }
        if (longShifts && Int128.fitsLong(xHigh, xLow) && Int128.fitsLong(yHigh, yLow)) {
          long x = xLow * dividendFactor;
          long y = yLow * divisorFactor;
          // Both products exact and neither Long.MIN_VALUE, so that |x|, |y| and x / y are longs.
          if (Math.multiplyHigh(xLow, dividendFactor) == (x >> 63)
              && Math.multiplyHigh(yLow, divisorFactor) == (y >> 63)
              && x != Long.MIN_VALUE
              && y != Long.MIN_VALUE) {
            long result =
                switch (kind) {
                  case ROUNDED_QUOTIENT -> roundedQuotient(x, y);
                  case REMAINDER -> x % y;
                  case TRUNCATED_QUOTIENT -> x / y;
                };
            if (kind != Kind.TRUNCATED_QUOTIENT && (result >= longBound || result <= -longBound)) {
              return null;
            }
            highs[i] = result >> 63;
            lows[i] = result;
            continue;
          }
        }
        Int128.multiply(
            xHigh, xLow, dividendFactorHigh, dividendFactorLow, productHigh, productLow, 0);
        long dividendHigh = productHigh[0];
        long dividendLow = productLow[0];
        Int128.multiply(
            yHigh, yLow, divisorFactorHigh, divisorFactorLow, productHigh, productLow, 0);
        long divisorHigh = productHigh[0];
        long divisorLow = productLow[0];
        long resultHigh;
        long resultLow;
        if (kind == Kind.ROUNDED_QUOTIENT) {
          Int128.divideRoundHalfUp(dividendHigh, dividendLow, divisorHigh, divisorLow, quotient);
          resultHigh = quotient[0];
          resultLow = quotient[1];
        } else {
          Int128.divide(dividendHigh, dividendLow, divisorHigh, divisorLow, quotient);
          boolean remainder = kind == Kind.REMAINDER;
          resultHigh = remainder ? quotient[2] : quotient[0];
          resultLow = remainder ? quotient[3] : quotient[1];
        }
        if (kind == Kind.TRUNCATED_QUOTIENT
            ? !Int128.fitsLong(resultHigh, resultLow)
            : !Int128.fitsDigits(resultHigh, resultLow, precision)) {
          return null;
        }
        allFitLong &= Int128.fitsLong(resultHigh, resultLow);
        highs[i] = resultHigh;
        lows[i] = resultLow;
      }
    } catch (ArithmeticException beyond128Bits) {
      return null;
    }
    if (kind == Kind.TRUNCATED_QUOTIENT) {
      return new LongVector(resultType, lows, nulls, rowCount);
    }
    if (resultType.kind() == TypeKind.LARGEINT) {
      return new LargeIntVector(resultType, highs, lows, nulls, rowCount);
    }
    return allFitLong
        ? new DecimalVector(resultType, lows, nulls, rowCount)
        : new DecimalVector(resultType, highs, lows, nulls, rowCount);
  }

  /**
   * A scaled-long column divided by a constant (not NULL) on longs: the column's values times
   * 10^{@code dividendShift} and the constant times 10^{@code divisorShift} ({@link
   * ConstantOperandKernels#exact}, {@link #byConstant}); {@code null} when a value leaves 64 bits,
   * the divisor is one {@link #byConstant} does not take, or a result exceeds {@code precision}
   * digits ({@link #compute} then goes on with its general loop).
   */
  private static long[] columnByConstant(
      Kind kind,
      DecimalVector dividends,
      ColumnVector divisors,
      int dividendShift,
      int divisorShift,
      int precision,
      int rowCount) {
    long divisorHigh = high(divisors, 0);
    long divisorLow = low(divisors, 0);
    if (dividendShift > MAX_LONG_SHIFT
        || divisorShift > MAX_LONG_SHIFT
        || !Int128.fitsLong(divisorHigh, divisorLow)) {
      return null;
    }
    long divisorFactor = Int128.powerOfTenLow(divisorShift);
    long divisor = divisorLow * divisorFactor;
    if (Math.multiplyHigh(divisorLow, divisorFactor) != (divisor >> 63)) {
      return null;
    }
    long[] values = new long[rowCount];
    if (dividendShift == 0) {
      ConstantOperandKernels.copy(dividends, values, rowCount);
    } else {
      if (!ConstantOperandKernels.exact(
          ArithmeticFunctions.Operator.MULTIPLY,
          dividends,
          Int128.powerOfTenLow(dividendShift),
          false,
          values,
          rowCount)) {
        return null;
      }
    }
    if (!byConstant(kind, values, divisor, rowCount)) {
      return null;
    }
    if (kind != Kind.TRUNCATED_QUOTIENT) {
      long bound = precision <= MAX_LONG_SHIFT ? Int128.powerOfTenLow(precision) : Long.MAX_VALUE;
      boolean outside = false;
      for (int i = 0; i < rowCount; i++) {
        outside |= values[i] >= bound | values[i] <= -bound;
      }
      if (outside) {
        return null;
      }
    }
    return values;
  }

  /**
   * Replaces each of {@code values[0 .. rowCount)} by what {@code kind} computes from it and {@code
   * divisor}, a loop without a branch or a division per row (the quotient is a multiply-high by
   * {@link #magic}); returns false, changing nothing, for a divisor of 0, -1 or {@link
   * Long#MIN_VALUE} (division by zero is NULL, {@code MIN_VALUE / -1} overflows: the callers'
   * general loops handle them).
   */
  static boolean byConstant(Kind kind, long[] values, long divisor, int rowCount) {
    if (divisor == 0 || divisor == -1 || divisor == Long.MIN_VALUE) {
      return false;
    }
    if (divisor == 1) {
      // x / 1 = x, x % 1 = 0; no multiplier exists for 1.
      if (kind == Kind.REMAINDER) {
        java.util.Arrays.fill(values, 0, rowCount, 0L);
      }
      return true;
    }
    long[] magic = magic(divisor);
    long multiplier = magic[0];
    int shift = (int) magic[1];
    // The dividend is added to the high half when the multiplier's sign is not the divisor's.
    long correction = divisor > 0 && multiplier < 0 ? 1 : divisor < 0 && multiplier > 0 ? -1 : 0;
    switch (kind) {
      case ROUNDED_QUOTIENT -> {
        // As roundedQuotient, with |divisor| taken out of the loop.
        long magnitude = Math.abs(divisor);
        for (int i = 0; i < rowCount; i++) {
          long x = values[i];
          long quotient = (Math.multiplyHigh(multiplier, x) + correction * x) >> shift;
          quotient += quotient >>> 63;
          long remainder = Math.abs(x - quotient * divisor);
          long away = ((x ^ divisor) >> 63) | 1;
          values[i] = remainder >= magnitude - remainder ? quotient + away : quotient;
        }
      }
      case REMAINDER -> {
        for (int i = 0; i < rowCount; i++) {
          long x = values[i];
          long quotient = (Math.multiplyHigh(multiplier, x) + correction * x) >> shift;
          quotient += quotient >>> 63;
          values[i] = x - quotient * divisor;
        }
      }
      case TRUNCATED_QUOTIENT -> {
        for (int i = 0; i < rowCount; i++) {
          long x = values[i];
          long quotient = (Math.multiplyHigh(multiplier, x) + correction * x) >> shift;
          values[i] = quotient + (quotient >>> 63);
        }
      }
    }
    return true;
  }

  /**
   * The multiplier and shift {@code {m, s}} with which {@code x / divisor} (truncated toward zero,
   * for every long x) is {@code q + (q >>> 63)} where {@code q = (multiplyHigh(m, x) + c * x) >> s}
   * and c is 1 when {@code divisor > 0 > m}, -1 when {@code divisor < 0 < m}, else 0: signed
   * division by a constant as a multiplication (Granlund and Montgomery; the algorithm "magic" of
   * Hacker's Delight, 2nd edition, section 10-4, on 64 bits). {@code |divisor| >= 2}, not {@link
   * Long#MIN_VALUE}.
   */
  static long[] magic(long divisor) {
    long twoTo63 = Long.MIN_VALUE; // 2^63, as an unsigned number
    long magnitude = Math.abs(divisor);
    long t = twoTo63 + (divisor >>> 63);
    // |nc|: the largest dividend (within t) whose remainder by |divisor| is |divisor| - 1.
    long absNc = t - 1 - Long.remainderUnsigned(t, magnitude);
    int power = 63;
    long q1 = Long.divideUnsigned(twoTo63, absNc);
    long r1 = twoTo63 - q1 * absNc;
    long q2 = Long.divideUnsigned(twoTo63, magnitude);
    long r2 = twoTo63 - q2 * magnitude;
    long delta;
    do {
      power++;
      q1 <<= 1;
      r1 <<= 1;
      if (Long.compareUnsigned(r1, absNc) >= 0) {
        q1++;
        r1 -= absNc;
      }
      q2 <<= 1;
      r2 <<= 1;
      if (Long.compareUnsigned(r2, magnitude) >= 0) {
        q2++;
        r2 -= magnitude;
      }
      delta = magnitude - r2;
    } while (Long.compareUnsigned(q1, delta) < 0 || (q1 == delta && r1 == 0));
    long multiplier = q2 + 1;
    return new long[] {divisor < 0 ? -multiplier : multiplier, power - 64};
  }

  /** {@code x / y} rounded half away from zero; neither is {@link Long#MIN_VALUE}. */
  static long roundedQuotient(long x, long y) {
    long quotient = x / y;
    long remainder = Math.abs(x % y);
    long divisor = Math.abs(y);
    if (remainder >= divisor - remainder) {
      quotient += (x ^ y) < 0 ? -1 : 1;
    }
    return quotient;
  }

  private static long high(ColumnVector vector, int row) {
    return vector instanceof DecimalVector decimals
        ? decimals.getHigh(row)
        : ((LargeIntVector) vector).getHigh(row);
  }

  private static long low(ColumnVector vector, int row) {
    return vector instanceof DecimalVector decimals
        ? decimals.getLow(row)
        : ((LargeIntVector) vector).getLow(row);
  }
}
