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
 * Typed kernels of {@code rand}, {@code sign}, {@code gcd}, {@code lcm}, {@code factorial}, {@code
 * bin} and {@code conv} ({@link MathFunctions} registers them and keeps the row-wise bodies as the
 * reference); the DOUBLE functions of two arguments ({@code fmod}, {@code pmod}, {@code log(b, x)},
 * {@code atan(y, x)}) use {@link VectorKernels#doublesToDouble}. Stateless and thread safe.
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
   * {@code rand()}: a uniform DOUBLE in [0, 1) per row from {@link
   * java.util.concurrent.ThreadLocalRandom}, as the row-wise body; not deterministic, so never
   * computed once for a batch.
   */
  static ScalarFunction random() {
    return new KernelFunction("rand", DataType.DOUBLE) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        java.util.concurrent.ThreadLocalRandom generator =
            java.util.concurrent.ThreadLocalRandom.current();
        double[] out = new double[rowCount];
        for (int row = 0; row < rowCount; row++) {
          out[row] = generator.nextDouble();
        }
        return new DoubleVector(DataType.DOUBLE, out, null, rowCount);
      }

      @Override
      public boolean isDeterministic() {
        return false;
      }
    };
  }

  /**
   * {@code rand(seed)} of an integer seed: per row the first {@link java.util.Random#nextDouble} of
   * a generator seeded with the row's seed, as the row-wise body's {@code new
   * Random(seed).nextDouble()}, computed from the seed in place of a new generator (its 48-bit
   * linear congruential step, twice). NULL for a NULL seed.
   */
  static ScalarFunction seededRandom() {
    return new KernelFunction("rand", DataType.DOUBLE) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        LongVector seeds = (LongVector) arguments.get(0);
        int mask = Kernels.rowMask(seeds, rowCount);
        boolean[] nulls = Kernels.nullsOf(seeds, rowCount);
        double[] out = new double[rowCount];
        for (int row = 0; row < rowCount; row++) {
          out[row] = firstRandomDouble(seeds.getLong(row & mask));
        }
        return new DoubleVector(DataType.DOUBLE, out, nulls, rowCount);
      }

      @Override
      public boolean isDeterministic() {
        return false;
      }
    };
  }

  private static final long RANDOM_MULTIPLIER = 0x5DEECE66DL;
  private static final long RANDOM_MASK = (1L << 48) - 1;

  /** {@code new java.util.Random(seed).nextDouble()} without the generator. */
  static double firstRandomDouble(long seed) {
    long state = (seed ^ RANDOM_MULTIPLIER) & RANDOM_MASK;
    state = (state * RANDOM_MULTIPLIER + 0xBL) & RANDOM_MASK;
    long high = state >>> (48 - 26);
    state = (state * RANDOM_MULTIPLIER + 0xBL) & RANDOM_MASK;
    long low = state >>> (48 - 27);
    return ((high << 27) + low) * 0x1.0p-53;
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

  /** n! for n in 0..20 (21! does not fit a BIGINT). */
  private static final long[] FACTORIALS = new long[21];

  static {
    FACTORIALS[0] = 1;
    for (int n = 1; n < FACTORIALS.length; n++) {
      FACTORIALS[n] = FACTORIALS[n - 1] * n;
    }
  }

  /** Doris's {@code factorial(n)}: NULL outside 0..20 ({@link Long#MIN_VALUE} stands for it). */
  static long factorial(long n) {
    return n < 0 || n >= FACTORIALS.length ? Long.MIN_VALUE : FACTORIALS[(int) n];
  }

  /** {@code bin(n)} of an integer vector: the 64-bit two's complement digits, as MySQL. */
  static ScalarFunction bin() {
    return new StringKernels.StringResult("bin", StringFunctions.TEXT) {
      @Override
      StringKernels.RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        LongVector values = (LongVector) arguments.get(0);
        int mask = Kernels.rowMask(values, rowCount);
        return (row, output) -> {
          writeUnsigned(output, values.getLong(row & mask), 2);
          return true;
        };
      }

      @Override
      int estimatedBytes(List<ColumnVector> arguments, int rowCount) {
        return 16 * rowCount;
      }
    };
  }

  /**
   * MySQL's {@code conv(n, from, to)} on the text of {@code n}: NULL for an empty text or a base
   * outside 2..36 (either sign); the text is read as {@link #parseInBase} does, and written in base
   * {@code |to|}, as an unsigned 64-bit value for a positive {@code to}, signed for a negative one,
   * in upper-case digits.
   */
  static ScalarFunction conv() {
    return new StringKernels.StringResult("conv", StringFunctions.TEXT) {
      @Override
      StringKernels.RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        StringKernels.TextArgument text = StringKernels.TextArgument.of(arguments, 0, rowCount);
        LongVector from = (LongVector) arguments.get(1);
        LongVector to = (LongVector) arguments.get(2);
        int fromMask = Kernels.rowMask(from, rowCount);
        int toMask = Kernels.rowMask(to, rowCount);
        return (row, output) ->
            convert(
                text.bytes(),
                text.start(row),
                text.length(row),
                from.getLong(row & fromMask),
                to.getLong(row & toMask),
                output);
      }
    };
  }

  /**
   * Writes {@code conv} of {@code bytes[start, start + length)} to {@code output}; false for NULL.
   * The row-wise body calls this on the text's UTF-8 bytes.
   */
  static boolean convert(
      byte[] bytes, int start, int length, long from, long to, BytesOutput output) {
    if (length == 0 || !isBase(from) || !isBase(to)) {
      return false;
    }
    long value = parseInBase(bytes, start, start + length, (int) from);
    if (to > 0) {
      writeUnsigned(output, value, (int) to);
    } else {
      if (value < 0) {
        output.appendByte('-');
      }
      writeUnsigned(output, value < 0 ? -value : value, (int) -to);
    }
    return true;
  }

  private static boolean isBase(long base) {
    return Math.abs(base) >= 2 && Math.abs(base) <= 36;
  }

  /**
   * MySQL's {@code my_strntoull} ({@code base} > 0) or {@code my_strntoll} ({@code base} < 0, base
   * {@code -base}): leading white space and one sign are skipped, then digits ({@code 0-9}, {@code
   * a-z} either case) below the base are read up to the first other byte; no digit gives 0. An
   * overflow gives {@code 2^64 - 1} unsigned, the nearest BIGINT bound signed; a minus sign negates
   * the result (unless it overflowed unsigned).
   */
  static long parseInBase(byte[] bytes, int start, int end, int base) {
    int radix = Math.abs(base);
    int at = start;
    while (at < end && isSpace(bytes[at])) {
      at++;
    }
    boolean negative = false;
    if (at < end && (bytes[at] == '-' || bytes[at] == '+')) {
      negative = bytes[at] == '-';
      at++;
    }
    long cutoff = Long.divideUnsigned(-1L, radix);
    long cutLimit = Long.remainderUnsigned(-1L, radix);
    long value = 0;
    boolean overflow = false;
    for (; at < end; at++) {
      int digit = digitOf(bytes[at]);
      if (digit >= radix) {
        break;
      }
      if (Long.compareUnsigned(value, cutoff) > 0 || value == cutoff && digit > cutLimit) {
        overflow = true;
      } else {
        value = value * radix + digit;
      }
    }
    if (base > 0) {
      return overflow ? -1L : negative ? -value : value;
    }
    if (negative ? Long.compareUnsigned(value, Long.MIN_VALUE) > 0 : value < 0) {
      overflow = true;
    }
    if (overflow) {
      return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return negative ? -value : value;
  }

  /** The value of an ASCII digit or letter (either case); 99 for any other byte. */
  private static int digitOf(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'a' && b <= 'z') {
      return b - 'a' + 10;
    }
    if (b >= 'A' && b <= 'Z') {
      return b - 'A' + 10;
    }
    return 99;
  }

  /** MySQL's {@code my_isspace}: space, tab, line feed, vertical tab, form feed, return. */
  private static boolean isSpace(byte b) {
    return b == ' ' || b >= '\t' && b <= '\r';
  }

  private static final byte[] DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".getBytes();

  /** Writes {@code value}, read as unsigned, in base {@code radix} (2..36), upper case. */
  private static void writeUnsigned(BytesOutput output, long value, int radix) {
    if (value == 0) {
      output.appendByte('0');
      return;
    }
    output.ensure(64);
    int digits = 0;
    for (long rest = value; rest != 0; rest = Long.divideUnsigned(rest, radix)) {
      digits++;
    }
    int at = output.size + digits;
    for (long rest = value; rest != 0; rest = Long.divideUnsigned(rest, radix)) {
      output.bytes[--at] = DIGITS[(int) Long.remainderUnsigned(rest, radix)];
    }
    output.size += digits;
  }
}
