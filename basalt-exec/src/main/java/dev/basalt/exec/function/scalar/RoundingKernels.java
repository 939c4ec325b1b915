package dev.basalt.exec.function.scalar;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.Int128;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.common.vector.ScaledDecimals;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.ScalarFunction;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * Typed kernels of {@code abs}, {@code ceil}, {@code floor}, {@code round} and {@code truncate}
 * ({@link MathFunctions} registers them and keeps the row-wise bodies as the reference) on the
 * longs of integers and scaled-long DECIMALs, the doubles of DOUBLE, and the 128-bit halves of wide
 * DECIMALs ({@link Int128}; for abs also of LARGEINTs). Rounding follows {@link RoundingMode}:
 * {@code HALF_UP} is MySQL's half away from zero for exact values; a DOUBLE rounds as MySQL's
 * {@code my_double_round} ({@link #roundDouble}: half to even). A DECIMAL batch the long arithmetic
 * cannot settle (a result beyond 64 bits) is rounded on its halves; a row the long arithmetic
 * cannot settle otherwise (a digit count past 18 places on an integer), and a DECIMAL batch with a
 * result beyond 128 bits, is computed by the row-wise body's {@link MathFunctions#roundValue}, so
 * the two agree by construction there. The digit count may be a constant vector. Stateless and
 * thread safe.
 */
final class RoundingKernels {
  private RoundingKernels() {}

  /**
   * {@code name(x [, digits])} rounding with {@code mode} to {@code returnType}: BIGINT for an
   * integer {@code x}, DOUBLE for a DOUBLE, a DECIMAL for a DECIMAL (see {@link
   * MathFunctions#roundValue}).
   */
  static ScalarFunction round(String name, RoundingMode mode, DataType returnType) {
    return new KernelFunction(name, returnType) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        ColumnVector value = arguments.get(0);
        int mask = Kernels.rowMask(value, rowCount);
        LongVector digits = arguments.size() > 1 ? (LongVector) arguments.get(1) : null;
        int digitMask = digits == null ? 0 : Kernels.rowMask(digits, rowCount);
        boolean[] nulls = Kernels.mergeNulls(arguments, rowCount);
        int[] digitsOfRow = new int[rowCount];
        if (digits != null) {
          for (int row = 0; row < rowCount; row++) {
            digitsOfRow[row] = clampDigits(digits.getLong(row & digitMask));
          }
        }
        return switch (value) {
          case LongVector longs -> longs(longs, mask, digitsOfRow, nulls, rowCount);
          case DoubleVector doubles -> doubles(doubles, mask, digitsOfRow, nulls, rowCount);
          case DecimalVector decimals when decimals.isScaledLong() ->
              scaledLongs(decimals, mask, digitsOfRow, nulls, rowCount);
          case DecimalVector decimals when decimals.isUnboxed() ->
              halves(decimals, mask, digitsOfRow, nulls, rowCount);
          default -> boxed(value, mask, digitsOfRow, nulls, rowCount);
        };
      }

      private ColumnVector longs(
          LongVector input, int mask, int[] digits, boolean[] nulls, int rowCount) {
        long[] out = new long[rowCount];
        for (int row = 0; row < rowCount; row++) {
          if (Kernels.isNull(nulls, row)) {
            continue;
          }
          long x = input.getLong(row & mask);
          int places = -digits[row];
          if (places <= 0) {
            out[row] = x;
            continue;
          }
          Long rounded =
              places > ScaledDecimals.MAX_LONG_PRECISION ? null : roundToPower(x, places);
          out[row] =
              rounded != null
                  ? rounded
                  : (Long) MathFunctions.roundValue(name(), mode, returnType(), x, digits[row]);
        }
        return new LongVector(returnType(), out, nulls, rowCount);
      }

      /** {@code x} rounded to a multiple of 10^places, or null when that overflows. */
      private Long roundToPower(long x, int places) {
        long factor = ScaledDecimals.powerOfTen(places);
        try {
          return Math.multiplyExact(roundedQuotient(x, factor), factor);
        } catch (ArithmeticException overflow) {
          return null;
        }
      }

      private long roundedQuotient(long x, long factor) {
        long quotient = x / factor;
        long remainder = x % factor;
        return switch (mode) {
          case FLOOR -> remainder < 0 ? quotient - 1 : quotient;
          case CEILING -> remainder > 0 ? quotient + 1 : quotient;
          case HALF_UP -> Math.abs(remainder) * 2 >= factor ? quotient + Long.signum(x) : quotient;
          default -> quotient;
        };
      }

      private ColumnVector doubles(
          DoubleVector input, int mask, int[] digits, boolean[] nulls, int rowCount) {
        double[] out = new double[rowCount];
        for (int row = 0; row < rowCount; row++) {
          if (Kernels.isNull(nulls, row)) {
            continue;
          }
          double x = input.getDouble(row & mask);
          if (Double.isNaN(x) || Double.isInfinite(x)) {
            nulls = Kernels.setNull(nulls, row, rowCount);
          } else {
            out[row] = roundDouble(mode, x, digits[row]);
          }
        }
        return new DoubleVector(returnType(), out, nulls, rowCount);
      }

      private ColumnVector scaledLongs(
          DecimalVector input, int mask, int[] digits, boolean[] nulls, int rowCount) {
        int scale = input.scale();
        int resultScale = returnType().scale();
        long[] out = new long[rowCount];
        for (int row = 0; row < rowCount; row++) {
          if (Kernels.isNull(nulls, row)) {
            continue;
          }
          Long rounded =
              roundUnscaled(input.getUnscaled(row & mask), scale, digits[row], resultScale);
          if (rounded == null) {
            return halves(input, mask, digits, nulls, rowCount);
          }
          out[row] = rounded;
        }
        return new DecimalVector(returnType(), out, nulls, rowCount);
      }

      /**
       * {@code unscaled / 10^scale} rounded to {@code digits} places, as an unscaled long at {@code
       * resultScale}; null when a power of ten or the result leaves 64 bits.
       */
      private Long roundUnscaled(long unscaled, int scale, int digits, int resultScale) {
        try {
          if (digits >= scale) {
            return resultScale - scale > ScaledDecimals.MAX_LONG_PRECISION
                ? null
                : ScaledDecimals.scaleUp(unscaled, scale, resultScale);
          }
          int dropped = scale - digits;
          int restored = resultScale - digits;
          if (dropped > ScaledDecimals.MAX_LONG_PRECISION
              || restored > ScaledDecimals.MAX_LONG_PRECISION
              || restored < 0) {
            return null;
          }
          long quotient = roundedQuotient(unscaled, ScaledDecimals.powerOfTen(dropped));
          return Math.multiplyExact(quotient, ScaledDecimals.powerOfTen(restored));
        } catch (ArithmeticException beyondLong) {
          return null;
        }
      }

      /**
       * Rounds the 128-bit unscaled values of a DECIMAL (either unboxed layout) on their halves
       * ({@link Int128}); a row whose power of ten or result leaves 128 bits sends the batch to
       * {@link #boxed}.
       */
      private ColumnVector halves(
          DecimalVector input, int mask, int[] digits, boolean[] nulls, int rowCount) {
        int scale = input.scale();
        int resultScale = returnType().scale();
        long[] highs = new long[rowCount];
        long[] lows = new long[rowCount];
        long[] scratch = new long[4];
        long[] productHigh = new long[1];
        long[] productLow = new long[1];
        for (int row = 0; row < rowCount; row++) {
          if (Kernels.isNull(nulls, row)) {
            continue;
          }
          int at = row & mask;
          if (!roundHalves(
              input.getHigh(at),
              input.getLow(at),
              scale,
              digits[row],
              resultScale,
              scratch,
              productHigh,
              productLow)) {
            return boxed(input, mask, digits, nulls, rowCount);
          }
          highs[row] = scratch[0];
          lows[row] = scratch[1];
        }
        return new DecimalVector(returnType(), highs, lows, nulls, rowCount);
      }

      /**
       * {@code high:low / 10^scale} rounded with {@code mode} to {@code digits} places, then
       * half-up to {@code resultScale} places (the row-wise body's two {@code setScale}s), as
       * unscaled halves in {@code out[0]}, {@code out[1]}; false when that leaves 128 bits.
       */
      private boolean roundHalves(
          long high,
          long low,
          int scale,
          int digits,
          int resultScale,
          long[] out,
          long[] productHigh,
          long[] productLow) {
        try {
          if (digits >= scale) {
            // Exact at digits places; only the second rounding can drop digits.
            return rescale(
                high, low, resultScale - scale, RoundingMode.HALF_UP, out, productHigh, productLow);
          }
          return rescale(high, low, digits - scale, mode, out, productHigh, productLow)
              && rescale(
                  out[0],
                  out[1],
                  resultScale - digits,
                  RoundingMode.HALF_UP,
                  out,
                  productHigh,
                  productLow);
        } catch (ArithmeticException beyond128Bits) {
          return false;
        }
      }

      /**
       * {@code high:low * 10^shift} (a negative shift divides, rounding with {@code rounding}) into
       * {@code out[0..1]}; false (or {@link ArithmeticException}) when the result leaves 128 bits.
       */
      private boolean rescale(
          long high,
          long low,
          int shift,
          RoundingMode rounding,
          long[] out,
          long[] productHigh,
          long[] productLow) {
        if (shift >= 0) {
          if (high == 0 && low == 0) {
            out[0] = 0;
            out[1] = 0;
            return true;
          }
          if (shift >= MAX_POWER) {
            return false;
          }
          Int128.multiply(
              high,
              low,
              Int128.powerOfTenHigh(shift),
              Int128.powerOfTenLow(shift),
              productHigh,
              productLow,
              0);
          out[0] = productHigh[0];
          out[1] = productLow[0];
          return true;
        }
        int places = -shift;
        if (places >= MAX_POWER) {
          // 10^places exceeds every 128-bit magnitude twice over: the quotient is 0 before the
          // rounding, which gives 0 or one unit away from zero.
          int sign = high < 0 ? -1 : (high | low) != 0 ? 1 : 0;
          long unit =
              switch (rounding) {
                case FLOOR -> sign < 0 ? -1 : 0;
                case CEILING -> sign > 0 ? 1 : 0;
                default -> 0;
              };
          out[0] = unit >> 63;
          out[1] = unit;
          return true;
        }
        long divisorHigh = Int128.powerOfTenHigh(places);
        long divisorLow = Int128.powerOfTenLow(places);
        if (rounding == RoundingMode.HALF_UP) {
          Int128.divideRoundHalfUp(high, low, divisorHigh, divisorLow, out);
          return true;
        }
        Int128.divide(high, low, divisorHigh, divisorLow, out);
        int remainderSign = out[2] < 0 ? -1 : (out[2] | out[3]) != 0 ? 1 : 0;
        long step =
            switch (rounding) {
              case FLOOR -> remainderSign < 0 ? -1 : 0;
              case CEILING -> remainderSign > 0 ? 1 : 0;
              default -> 0;
            };
        if (step != 0) {
          long quotientLow = out[1];
          out[1] = quotientLow + step;
          out[0] = Int128.addHigh(out[0], quotientLow, step >> 63, step);
        }
        return true;
      }

      /** Every row through the row-wise body's arithmetic (wide decimals, rare overflows). */
      private ColumnVector boxed(
          ColumnVector input, int mask, int[] digits, boolean[] nulls, int rowCount) {
        BigDecimal[] out = new BigDecimal[rowCount];
        for (int row = 0; row < rowCount; row++) {
          if (!Kernels.isNull(nulls, row)) {
            out[row] =
                (BigDecimal)
                    MathFunctions.roundValue(
                        name(), mode, returnType(), input.getObject(row & mask), digits[row]);
          }
        }
        return new DecimalVector(returnType(), out, rowCount);
      }
    };
  }

  /** 10^39: the first power of ten beyond {@link Int128}'s table (and every 128-bit value). */
  private static final int MAX_POWER = 39;

  /** The digit count the row-wise body uses: clamped to [-40, 40]. */
  static int clampDigits(long digits) {
    return (int) Math.max(-40, Math.min(40, digits));
  }

  /** 10^0 to 10^40 as doubles, each the nearest double (as MySQL's {@code log_10} table). */
  private static final double[] DOUBLE_POWERS_OF_TEN = new double[41];

  static {
    for (int i = 0; i < DOUBLE_POWERS_OF_TEN.length; i++) {
      DOUBLE_POWERS_OF_TEN[i] = Double.parseDouble("1e" + i);
    }
  }

  /**
   * A finite DOUBLE rounded to {@code digits} places (clamped as {@link #clampDigits}). {@code
   * round} and {@code truncate} are MySQL's {@code my_double_round}: {@code x * 10^d} (or {@code x
   * / 10^-d}) rounded half to even ({@code rint}) or toward zero, then scaled back, in double
   * arithmetic, so {@code ROUND(2.5E0)} is 2 and {@code ROUND(1.005E0, 2)} is 1.00 as in MySQL and
   * MariaDB; {@code x} itself when {@code x * 10^d} overflows. {@code floor} and {@code ceil}
   * (whose digit count is a Doris extension) round the shortest decimal of {@code x} exactly. A
   * zero result is +0.0.
   */
  static double roundDouble(RoundingMode mode, double x, int digits) {
    if (mode == RoundingMode.FLOOR || mode == RoundingMode.CEILING) {
      if (digits != 0) {
        return java.math.BigDecimal.valueOf(x).setScale(digits, mode).doubleValue() + 0.0;
      }
      return (mode == RoundingMode.FLOOR ? Math.floor(x) : Math.ceil(x)) + 0.0;
    }
    double power = DOUBLE_POWERS_OF_TEN[Math.abs(digits)];
    if (digits < 0) {
      return roundToInteger(mode, x, x / power) * power + 0.0;
    }
    double scaled = x * power;
    if (Double.isInfinite(scaled)) {
      return x;
    }
    return roundToInteger(mode, x, scaled) / power + 0.0;
  }

  /** {@code scaled} (of {@code x}'s sign) rounded half to even, or toward zero for truncate. */
  private static double roundToInteger(RoundingMode mode, double x, double scaled) {
    if (mode == RoundingMode.HALF_UP) {
      return Math.rint(scaled);
    }
    return x >= 0 ? Math.floor(scaled) : Math.ceil(scaled);
  }

  /** Whether {@link #round} takes an argument of {@code type}. */
  static boolean roundsTyped(DataType type) {
    return VectorKernels.isLongInteger(type)
        || type.kind() == TypeKind.DOUBLE
        || type.kind() == TypeKind.DECIMAL;
  }

  /**
   * {@code abs(x)} of an integer (BIGINT; the absolute value of the smallest BIGINT is an error), a
   * DOUBLE, a DECIMAL in either unboxed layout, or a LARGEINT; {@code null} for other vectors.
   */
  static ScalarFunction abs(DataType returnType) {
    return new KernelFunction("abs", returnType) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        ColumnVector input = arguments.get(0);
        boolean[] nulls = Kernels.nullsOf(input, rowCount);
        int mask = Kernels.rowMask(input, rowCount);
        switch (input) {
          case LongVector longs -> {
            long[] out = new long[rowCount];
            for (int row = 0; row < rowCount; row++) {
              long value = longs.getLong(row & mask);
              if (value == Long.MIN_VALUE && !Kernels.isNull(nulls, row)) {
                throw new BasaltException(
                    ErrorCode.VALUE_OUT_OF_RANGE, "BIGINT", "abs(" + value + ")");
              }
              out[row] = Math.abs(value);
            }
            return new LongVector(returnType(), out, nulls, rowCount);
          }
          case DoubleVector doubles -> {
            double[] out = new double[rowCount];
            for (int row = 0; row < rowCount; row++) {
              out[row] = Math.abs(doubles.getDouble(row & mask));
            }
            return new DoubleVector(returnType(), out, nulls, rowCount);
          }
          case DecimalVector decimals when decimals.isScaledLong() -> {
            long[] out = new long[rowCount];
            for (int row = 0; row < rowCount; row++) {
              // A DECIMAL(18) value is far from Long.MIN_VALUE, so the negation is exact.
              out[row] = Math.abs(decimals.getUnscaled(row & mask));
            }
            return new DecimalVector(returnType(), out, nulls, rowCount);
          }
          case DecimalVector decimals when decimals.isInt128() -> {
            long[][] halves = absHalves(decimals::getHigh, decimals::getLow, nulls, mask, rowCount);
            return new DecimalVector(returnType(), halves[0], halves[1], nulls, rowCount);
          }
          case LargeIntVector integers -> {
            long[][] halves = absHalves(integers::getHigh, integers::getLow, nulls, mask, rowCount);
            return new LargeIntVector(returnType(), halves[0], halves[1], nulls, rowCount);
          }
          default -> {
            BigDecimal[] out = new BigDecimal[rowCount];
            for (int row = 0; row < rowCount; row++) {
              BigDecimal value = ((DecimalVector) input).getDecimal(row & mask);
              out[row] = value == null ? null : value.abs();
            }
            return new DecimalVector(returnType(), out, rowCount);
          }
        }
      }
    };
  }

  /**
   * The absolute values of 128-bit integers; the absolute value of -2^127 wraps, as no DECIMAL(38)
   * value is that large and a LARGEINT's would not fit either (the row-wise body does not check).
   */
  private static long[][] absHalves(
      java.util.function.IntToLongFunction high,
      java.util.function.IntToLongFunction low,
      boolean[] nulls,
      int mask,
      int rowCount) {
    long[] highs = new long[rowCount];
    long[] lows = new long[rowCount];
    for (int row = 0; row < rowCount; row++) {
      if (Kernels.isNull(nulls, row)) {
        continue;
      }
      long h = high.applyAsLong(row & mask);
      long l = low.applyAsLong(row & mask);
      if (h < 0) {
        highs[row] = ~h + (l == 0 ? 1 : 0);
        lows[row] = -l;
      } else {
        highs[row] = h;
        lows[row] = l;
      }
    }
    return new long[][] {highs, lows};
  }
}
