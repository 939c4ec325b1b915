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
 * <p>Either operand may be a constant vector ({@link Kernels#rowMask}). A row whose divisor is zero
 * is NULL. {@link #compute} returns {@code null} when a value needs the boxed path: a rescaled
 * operand or a quotient beyond 128 bits, a result beyond {@code precision} digits, a {@code DIV}
 * quotient beyond BIGINT. The caller then computes the whole batch on {@code BigDecimal}s, which
 * reports the error, so a result never differs. Stateless.
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
