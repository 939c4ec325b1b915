package dev.basalt.common.vector;

/**
 * Arithmetic helpers for DECIMAL values held as scaled longs ({@link
 * DecimalVector#isScaledLong()}): powers of ten and precision bounds. Kernels use {@link
 * Math#multiplyExact} and friends for overflow and fall back to {@link java.math.BigDecimal} when a
 * value leaves 64 bits. Stateless.
 */
public final class ScaledDecimals {
  /** The largest precision whose every value fits in a long. */
  public static final int MAX_LONG_PRECISION = 18;

  private static final long[] POWERS_OF_TEN = new long[MAX_LONG_PRECISION + 1];

  /** 10^0 .. 10^22, every one exactly representable as a double. */
  private static final double[] DOUBLE_POWERS_OF_TEN = new double[23];

  static {
    POWERS_OF_TEN[0] = 1;
    for (int i = 1; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
    }
    for (int i = 0; i < DOUBLE_POWERS_OF_TEN.length; i++) {
      DOUBLE_POWERS_OF_TEN[i] = Double.parseDouble("1e" + i);
    }
  }

  private ScaledDecimals() {}

  /** 10^{@code exponent}; throws {@link ArithmeticException} when it does not fit in a long. */
  public static long powerOfTen(int exponent) {
    if (exponent < 0 || exponent > MAX_LONG_PRECISION) {
      throw new ArithmeticException("10^" + exponent + " is not a long");
    }
    return POWERS_OF_TEN[exponent];
  }

  /**
   * The smallest unscaled magnitude that does not fit DECIMAL({@code precision}, s): 10^precision,
   * or {@link Long#MAX_VALUE} when every long fits (precision 19 and more).
   */
  public static long precisionBound(int precision) {
    return precision <= MAX_LONG_PRECISION ? POWERS_OF_TEN[precision] : Long.MAX_VALUE;
  }

  /**
   * {@code unscaled} at scale {@code from} rescaled to the larger or equal scale {@code to}; throws
   * {@link ArithmeticException} on overflow.
   */
  public static long scaleUp(long unscaled, int from, int to) {
    return from == to ? unscaled : Math.multiplyExact(unscaled, powerOfTen(to - from));
  }

  /**
   * {@code unscaled} / 10^{@code scale} as the nearest double, the same value as {@link
   * java.math.BigDecimal#doubleValue()}: exact operands give a correctly rounded quotient.
   */
  public static double toDouble(long unscaled, int scale) {
    if (scale == 0) {
      return unscaled;
    }
    if (Math.abs(unscaled) < (1L << 53) && scale <= 22 && unscaled != Long.MIN_VALUE) {
      return unscaled / DOUBLE_POWERS_OF_TEN[scale];
    }
    return java.math.BigDecimal.valueOf(unscaled, scale).doubleValue();
  }
}
