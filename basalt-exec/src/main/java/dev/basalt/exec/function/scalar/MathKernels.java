package dev.basalt.exec.function.scalar;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.ScalarFunction;
import java.util.List;

/**
 * Typed kernels of {@code sign}, {@code gcd} and {@code lcm} ({@link MathFunctions} registers them
 * and keeps the row-wise bodies as the reference); the DOUBLE functions of two arguments ({@code
 * fmod}, {@code pmod}, {@code log(b, x)}, {@code atan(y, x)}) use {@link
 * VectorKernels#doublesToDouble}. Stateless and thread safe.
 */
final class MathKernels {
  private MathKernels() {}

  /**
   * {@code sign(x)} of an integer, DOUBLE or DECIMAL vector as a TINYINT: -1, 0 or 1 (0 for -0.0
   * and NaN, as the row-wise body's {@code (long) Math.signum}).
   */
  static ScalarFunction sign() {
    return new KernelFunction("sign", DataType.TINYINT) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        ColumnVector input = arguments.get(0);
        int mask = Kernels.rowMask(input, rowCount);
        boolean[] nulls = Kernels.nullsOf(input, rowCount);
        long[] out = new long[rowCount];
        switch (input) {
          case LongVector longs -> {
            for (int row = 0; row < rowCount; row++) {
              out[row] = Long.signum(longs.getLong(row & mask));
            }
          }
          case DoubleVector doubles -> {
            for (int row = 0; row < rowCount; row++) {
              out[row] = (long) Math.signum(doubles.getDouble(row & mask));
            }
          }
          case DecimalVector decimals when decimals.isUnboxed() -> {
            for (int row = 0; row < rowCount; row++) {
              int at = row & mask;
              long high = decimals.getHigh(at);
              out[row] = high != 0 ? Long.signum(high) : decimals.getLow(at) != 0 ? 1 : 0;
            }
          }
          default -> {
            DecimalVector decimals = (DecimalVector) input;
            for (int row = 0; row < rowCount; row++) {
              if (!Kernels.isNull(nulls, row)) {
                out[row] = decimals.getDecimal(row & mask).signum();
              }
            }
          }
        }
        return new LongVector(DataType.TINYINT, out, nulls, rowCount);
      }
    };
  }

  /**
   * {@code gcd(a, b)} of two integers as the row-wise body's {@link java.math.BigInteger#gcd}: of
   * the magnitudes (read unsigned, so that the magnitude of the smallest BIGINT is 2^63), wrapped
   * to 64 bits ({@code gcd(-2^63, 0)} is -2^63, as {@code BigInteger.longValue()}).
   */
  static long gcd(long a, long b) {
    long x = a < 0 ? -a : a;
    long y = b < 0 ? -b : b;
    while (y != 0) {
      long rest = Long.remainderUnsigned(x, y);
      x = y;
      y = rest;
    }
    return x;
  }

  /** The result of {@link #lcm} that stands for NULL (no least common multiple is negative). */
  static final long NO_LCM = -1;

  /**
   * {@code lcm(a, b)}: 0 when either is 0, else {@code |a * b| / gcd(a, b)}, or {@link #NO_LCM}
   * when that needs 64 bits or more (the row-wise body's NULL).
   */
  static long lcm(long a, long b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    long divisor = gcd(a, b);
    long x = Long.divideUnsigned(a < 0 ? -a : a, divisor);
    long y = b < 0 ? -b : b;
    long high = Math.unsignedMultiplyHigh(x, y);
    long low = x * y;
    return high != 0 || low < 0 ? NO_LCM : low;
  }
}
