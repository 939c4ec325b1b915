package dev.basalt.common.vector;

import java.math.BigInteger;

/**
 * Kernels on signed 128-bit two's-complement integers held as two {@code long} halves: {@code high}
 * (bits 64..127, signed) and {@code low} (bits 0..63, read as unsigned). This is the layout of
 * {@link LargeIntVector} and of {@link DecimalVector}'s 128-bit layout (the unscaled value of a
 * DECIMAL(19..38)), two parallel {@code long[]} arrays, the same halves the segment format stores
 * (docs/format.md, INT128 pages).
 *
 * <p>Addition, subtraction and multiplication are exact: they throw {@link ArithmeticException}
 * when the result leaves 128 bits, as {@link Math#addExact} does for longs; callers turn that into
 * the user's error. A value "fits a long" when its high half is the sign extension of its low half
 * ({@link #fitsLong}); such a value compares, hashes and prints exactly as that long.
 *
 * <p>Division ({@link #divide}, {@link #divideRoundHalfUp}) is Knuth's algorithm D on the halves
 * (the 128-by-64-bit step on 32-bit digits, and the 128-by-128-bit division reduced to it by
 * normalizing the divisor, both as described in Hacker's Delight, §9), and {@link #toDouble}
 * converts a scaled value with one rounding, as {@link java.math.BigDecimal#doubleValue} does; only
 * scales above 31 there, and the text of values beyond 64 bits, go through {@link BigInteger} per
 * value. Results are written into caller-owned arrays, so the kernels allocate nothing. Stateless.
 */
public final class Int128 {
  /** 10^0 .. 10^38 as halves: {@code POWERS_HIGH[i]}, {@code POWERS_LOW[i]}. */
  private static final long[] POWERS_HIGH = new long[39];

  private static final long[] POWERS_LOW = new long[39];

  static {
    for (int i = 0; i < POWERS_HIGH.length; i++) {
      BigInteger power = BigInteger.TEN.pow(i);
      POWERS_HIGH[i] = high(power);
      POWERS_LOW[i] = low(power);
    }
  }

  /** 5^0 .. 5^38 as halves, the odd part of 10^n: {@code 10^n = 5^n * 2^n}. */
  private static final long[] FIVE_POWERS_HIGH = new long[39];

  private static final long[] FIVE_POWERS_LOW = new long[39];

  /** The largest scale whose 5^scale leaves a 55-bit quotient of a normalized 128-bit value. */
  private static final int MAX_EXACT_DOUBLE_SCALE = 31;

  private static final long LOW_32_BITS = 0xFFFF_FFFFL;

  static {
    for (int i = 0; i < FIVE_POWERS_HIGH.length; i++) {
      BigInteger power = BigInteger.valueOf(5).pow(i);
      FIVE_POWERS_HIGH[i] = high(power);
      FIVE_POWERS_LOW[i] = low(power);
    }
  }

  private Int128() {}

  /** Whether {@code high:low} is a long, i.e. {@code high} is the sign extension of {@code low}. */
  public static boolean fitsLong(long high, long low) {
    return high == (low >> 63);
  }

  /** Signed comparison of {@code aHigh:aLow} with {@code bHigh:bLow}. */
  public static int compare(long aHigh, long aLow, long bHigh, long bLow) {
    int byHigh = Long.compare(aHigh, bHigh);
    return byHigh != 0 ? byHigh : Long.compareUnsigned(aLow, bLow);
  }

  /**
   * A 64-bit hash of the value; equal to {@link #hashLong} of the long when the value fits one, so
   * that a LARGEINT and a BIGINT (or a 128-bit and a scaled-long DECIMAL of one scale) holding the
   * same number hash alike.
   */
  public static long hash(long high, long low) {
    if (fitsLong(high, low)) {
      return hashLong(low);
    }
    // The high half is mixed with a constant first, so that high 0 or -1 (values just beyond a
    // long) does not hash as the long of the same low half.
    return hashLong(low ^ hashLong(high ^ 0x9e3779b97f4a7c15L));
  }

  /** A 64-bit mix of a long (the finalizer of MurmurHash3). */
  public static long hashLong(long value) {
    long h = value;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** The carry out of the unsigned addition of two low halves whose sum is {@code sumLow}. */
  private static long carry(long aLow, long sumLow) {
    return Long.compareUnsigned(sumLow, aLow) < 0 ? 1 : 0;
  }

  /**
   * The high half of {@code a + b} (the low half is {@code aLow + bLow}); throws {@link
   * ArithmeticException} when the sum leaves 128 bits.
   */
  public static long addHigh(long aHigh, long aLow, long bHigh, long bLow) {
    long high = aHigh + bHigh + carry(aLow, aLow + bLow);
    // Two's-complement overflow: both operands have one sign and the sum the other.
    if (((aHigh ^ high) & (bHigh ^ high)) < 0) {
      throw new ArithmeticException("128-bit overflow");
    }
    return high;
  }

  /**
   * The high half of {@code a - b} (the low half is {@code aLow - bLow}); throws {@link
   * ArithmeticException} when the difference leaves 128 bits.
   */
  public static long subtractHigh(long aHigh, long aLow, long bHigh, long bLow) {
    long borrow = Long.compareUnsigned(aLow, bLow) < 0 ? 1 : 0;
    long high = aHigh - bHigh - borrow;
    if (((aHigh ^ bHigh) & (aHigh ^ high)) < 0) {
      throw new ArithmeticException("128-bit overflow");
    }
    return high;
  }

  /** The high half of {@code -value} (the low half is {@code -low}); MIN overflows. */
  public static long negateHigh(long high, long low) {
    return subtractHigh(0, 0, high, low);
  }

  /**
   * The high half of {@code -value} in two's complement, wrapping: MIN stays MIN, whose bits read
   * unsigned are its magnitude 2^127 (the low half is {@code -low}).
   */
  private static long wrappingNegateHigh(long high, long low) {
    return ~high + (low == 0 ? 1 : 0);
  }

  /**
   * Writes {@code a * b} to {@code highs[index]}, {@code lows[index]}; throws {@link
   * ArithmeticException} when the product leaves 128 bits. Multiplies the magnitudes as unsigned
   * 128-bit numbers (schoolbook on 64-bit limbs with {@link Math#unsignedMultiplyHigh}), then
   * applies the sign.
   */
  public static void multiply(
      long aHigh, long aLow, long bHigh, long bLow, long[] highs, long[] lows, int index) {
    if (fitsLong(aHigh, aLow) && fitsLong(bHigh, bLow)) {
      // 64 x 64 bits always fits in 128: the signed high product.
      highs[index] = Math.multiplyHigh(aLow, bLow);
      lows[index] = aLow * bLow;
      return;
    }
    boolean negative = (aHigh < 0) != (bHigh < 0);
    // Magnitudes as unsigned 128-bit numbers (the magnitude of MIN, 2^127, is representable).
    long aMagnitudeHigh = aHigh;
    long aMagnitudeLow = aLow;
    if (aHigh < 0) {
      aMagnitudeLow = -aLow;
      aMagnitudeHigh = wrappingNegateHigh(aHigh, aLow);
    }
    long bMagnitudeHigh = bHigh;
    long bMagnitudeLow = bLow;
    if (bHigh < 0) {
      bMagnitudeLow = -bLow;
      bMagnitudeHigh = wrappingNegateHigh(bHigh, bLow);
    }
    if (aMagnitudeHigh != 0 && bMagnitudeHigh != 0) {
      throw new ArithmeticException("128-bit overflow");
    }
    long productLow = aMagnitudeLow * bMagnitudeLow;
    long productHigh = Math.unsignedMultiplyHigh(aMagnitudeLow, bMagnitudeLow);
    long cross;
    if (aMagnitudeHigh != 0) {
      if (Math.unsignedMultiplyHigh(aMagnitudeHigh, bMagnitudeLow) != 0) {
        throw new ArithmeticException("128-bit overflow");
      }
      cross = aMagnitudeHigh * bMagnitudeLow;
    } else {
      if (Math.unsignedMultiplyHigh(bMagnitudeHigh, aMagnitudeLow) != 0) {
        throw new ArithmeticException("128-bit overflow");
      }
      cross = bMagnitudeHigh * aMagnitudeLow;
    }
    long magnitudeHigh = productHigh + cross;
    if (Long.compareUnsigned(magnitudeHigh, productHigh) < 0) {
      throw new ArithmeticException("128-bit overflow");
    }
    // The signed range: magnitude below 2^127, or exactly 2^127 for a negative product.
    if (magnitudeHigh < 0 && !(negative && magnitudeHigh == Long.MIN_VALUE && productLow == 0)) {
      throw new ArithmeticException("128-bit overflow");
    }
    if (negative) {
      highs[index] = wrappingNegateHigh(magnitudeHigh, productLow);
      lows[index] = -productLow;
    } else {
      highs[index] = magnitudeHigh;
      lows[index] = productLow;
    }
  }

  /**
   * Whether the magnitude of {@code high:low} is below 10^{@code digits} ({@code digits} &gt;= 0);
   * every 128-bit value has at most 39 digits (LARGEINT's DECIMAL(39, 0) in plans).
   */
  public static boolean fitsDigits(long high, long low, int digits) {
    if (digits >= POWERS_HIGH.length) {
      return true;
    }
    long boundHigh = POWERS_HIGH[digits];
    long boundLow = POWERS_LOW[digits];
    if (high >= 0) {
      return compare(high, low, boundHigh, boundLow) < 0;
    }
    // value > -10^digits
    long negativeBoundLow = -boundLow;
    long negativeBoundHigh = wrappingNegateHigh(boundHigh, boundLow);
    return compare(high, low, negativeBoundHigh, negativeBoundLow) > 0;
  }

  /** The high half of 10^{@code exponent} (0 &lt;= exponent &lt;= 38). */
  public static long powerOfTenHigh(int exponent) {
    return POWERS_HIGH[exponent];
  }

  /** The low half of 10^{@code exponent} (0 &lt;= exponent &lt;= 38). */
  public static long powerOfTenLow(int exponent) {
    return POWERS_LOW[exponent];
  }

  /**
   * Signed division truncating toward zero, as {@link BigInteger#divideAndRemainder}: writes the
   * quotient's halves to {@code out[0]} (high) and {@code out[1]} (low) and the remainder's (with
   * the sign of the dividend) to {@code out[2]} and {@code out[3]}. The divisor must not be zero;
   * throws {@link ArithmeticException} for MIN / -1, whose quotient leaves 128 bits.
   */
  public static void divide(long aHigh, long aLow, long bHigh, long bLow, long[] out) {
    boolean negativeDividend = aHigh < 0;
    boolean negativeQuotient = negativeDividend != (bHigh < 0);
    divideMagnitudes(aHigh, aLow, bHigh, bLow, out);
    long quotientHigh = out[0];
    long quotientLow = out[1];
    if (negativeQuotient) {
      out[0] = wrappingNegateHigh(quotientHigh, quotientLow);
      out[1] = -quotientLow;
    } else if (quotientHigh < 0) {
      throw new ArithmeticException("128-bit overflow");
    }
    if (negativeDividend) {
      long remainderLow = out[3];
      out[2] = wrappingNegateHigh(out[2], remainderLow);
      out[3] = -remainderLow;
    }
  }

  /**
   * Signed division rounded half away from zero (MySQL's and {@code RoundingMode.HALF_UP}'s rule):
   * writes the quotient's halves to {@code out[0]} (high) and {@code out[1]} (low); {@code out[2]}
   * and {@code out[3]} are scratch. The divisor must not be zero; throws {@link
   * ArithmeticException} when the rounded quotient leaves 128 bits.
   */
  public static void divideRoundHalfUp(long aHigh, long aLow, long bHigh, long bLow, long[] out) {
    boolean negative = (aHigh < 0) != (bHigh < 0);
    long divisorHigh = bHigh;
    long divisorLow = bLow;
    if (bHigh < 0) {
      divisorLow = -bLow;
      divisorHigh = wrappingNegateHigh(bHigh, bLow);
    }
    divideMagnitudes(aHigh, aLow, bHigh, bLow, out);
    long quotientHigh = out[0];
    long quotientLow = out[1];
    // Round up when remainder >= divisor - remainder, i.e. twice the remainder reaches the divisor.
    long restLow = divisorLow - out[3];
    long restHigh = divisorHigh - out[2] - (Long.compareUnsigned(divisorLow, out[3]) < 0 ? 1 : 0);
    if (compareUnsigned(out[2], out[3], restHigh, restLow) >= 0) {
      quotientLow++;
      if (quotientLow == 0) {
        quotientHigh++;
      }
    }
    if (negative) {
      // The magnitude may be 2^127 (MIN), but not more.
      if (quotientHigh < 0 && !(quotientHigh == Long.MIN_VALUE && quotientLow == 0)) {
        throw new ArithmeticException("128-bit overflow");
      }
      out[0] = wrappingNegateHigh(quotientHigh, quotientLow);
      out[1] = -quotientLow;
    } else {
      if (quotientHigh < 0) {
        throw new ArithmeticException("128-bit overflow");
      }
      out[0] = quotientHigh;
      out[1] = quotientLow;
    }
  }

  /**
   * The unsigned division of the magnitudes of two signed values (the magnitude of MIN, 2^127, is
   * an unsigned 128-bit number): quotient to {@code out[0..1]}, remainder to {@code out[2..3]}.
   */
  private static void divideMagnitudes(long aHigh, long aLow, long bHigh, long bLow, long[] out) {
    long dividendHigh = aHigh;
    long dividendLow = aLow;
    if (aHigh < 0) {
      dividendLow = -aLow;
      dividendHigh = wrappingNegateHigh(aHigh, aLow);
    }
    long divisorHigh = bHigh;
    long divisorLow = bLow;
    if (bHigh < 0) {
      divisorLow = -bLow;
      divisorHigh = wrappingNegateHigh(bHigh, bLow);
    }
    divideUnsigned(dividendHigh, dividendLow, divisorHigh, divisorLow, out);
  }

  /** Unsigned comparison of {@code aHigh:aLow} with {@code bHigh:bLow}. */
  static int compareUnsigned(long aHigh, long aLow, long bHigh, long bLow) {
    int byHigh = Long.compareUnsigned(aHigh, bHigh);
    return byHigh != 0 ? byHigh : Long.compareUnsigned(aLow, bLow);
  }

  /**
   * Unsigned 128-bit division (divisor not zero): quotient to {@code out[0]} (high), {@code out[1]}
   * (low), remainder to {@code out[2]}, {@code out[3]}. A divisor of 64 bits takes one or two
   * 128-by-64-bit steps; a wider one has a quotient of at most 64 bits, estimated from the
   * divisor's normalized top 64 bits and corrected by at most one (Hacker's Delight, divDu).
   */
  static void divideUnsigned(long uHigh, long uLow, long vHigh, long vLow, long[] out) {
    if (vHigh == 0) {
      if (uHigh == 0) {
        out[0] = 0;
        out[1] = Long.divideUnsigned(uLow, vLow);
        out[2] = 0;
        out[3] = Long.remainderUnsigned(uLow, vLow);
        return;
      }
      long quotientHigh = 0;
      long rest = uHigh;
      if (Long.compareUnsigned(uHigh, vLow) >= 0) {
        quotientHigh = Long.divideUnsigned(uHigh, vLow);
        rest = uHigh - quotientHigh * vLow;
      }
      out[1] = divide128By64(rest, uLow, vLow, out);
      out[0] = quotientHigh;
      out[2] = 0;
      return;
    }
    if (compareUnsigned(uHigh, uLow, vHigh, vLow) < 0) {
      out[0] = 0;
      out[1] = 0;
      out[2] = uHigh;
      out[3] = uLow;
      return;
    }
    int shift = Long.numberOfLeadingZeros(vHigh);
    long divisorTop = shift == 0 ? vHigh : (vHigh << shift) | (vLow >>> (64 - shift));
    // u / 2, so that its high half is below the normalized divisor's top.
    long halfHigh = uHigh >>> 1;
    long halfLow = (uLow >>> 1) | (uHigh << 63);
    long estimate = divide128By64(halfHigh, halfLow, divisorTop, out) >>> (63 - shift);
    if (estimate != 0) {
      estimate--;
    }
    // remainder = u - estimate * v; the estimate is the quotient or one less.
    long productLow = estimate * vLow;
    long productHigh = Math.unsignedMultiplyHigh(estimate, vLow) + estimate * vHigh;
    long remainderLow = uLow - productLow;
    long remainderHigh = uHigh - productHigh - (Long.compareUnsigned(uLow, productLow) < 0 ? 1 : 0);
    if (compareUnsigned(remainderHigh, remainderLow, vHigh, vLow) >= 0) {
      estimate++;
      long borrow = Long.compareUnsigned(remainderLow, vLow) < 0 ? 1 : 0;
      remainderLow -= vLow;
      remainderHigh = remainderHigh - vHigh - borrow;
    }
    out[0] = 0;
    out[1] = estimate;
    out[2] = remainderHigh;
    out[3] = remainderLow;
  }

  /**
   * {@code (u1:u0) / v} for unsigned values with {@code u1 < v}, so the quotient fits 64 bits:
   * returns the quotient and writes the remainder to {@code out[3]}. Knuth's algorithm D with
   * 32-bit digits after normalizing {@code v} (Hacker's Delight, divlu).
   */
  private static long divide128By64(long u1, long u0, long v, long[] out) {
    int shift = Long.numberOfLeadingZeros(v);
    long divisor = v << shift;
    long divisorHighDigit = divisor >>> 32;
    long divisorLowDigit = divisor & LOW_32_BITS;
    long top = shift == 0 ? u1 : (u1 << shift) | (u0 >>> (64 - shift));
    long bottom = u0 << shift;
    long bottomHighDigit = bottom >>> 32;
    long bottomLowDigit = bottom & LOW_32_BITS;

    long quotientHighDigit = Long.divideUnsigned(top, divisorHighDigit);
    long partial = top - quotientHighDigit * divisorHighDigit;
    while ((quotientHighDigit >>> 32) != 0
        || Long.compareUnsigned(
                quotientHighDigit * divisorLowDigit, (partial << 32) | bottomHighDigit)
            > 0) {
      quotientHighDigit--;
      partial += divisorHighDigit;
      if ((partial >>> 32) != 0) {
        break;
      }
    }
    long middle = ((top << 32) | bottomHighDigit) - quotientHighDigit * divisor;

    long quotientLowDigit = Long.divideUnsigned(middle, divisorHighDigit);
    partial = middle - quotientLowDigit * divisorHighDigit;
    while ((quotientLowDigit >>> 32) != 0
        || Long.compareUnsigned(
                quotientLowDigit * divisorLowDigit, (partial << 32) | bottomLowDigit)
            > 0) {
      quotientLowDigit--;
      partial += divisorHighDigit;
      if ((partial >>> 32) != 0) {
        break;
      }
    }
    out[3] = (((middle << 32) | bottomLowDigit) - quotientLowDigit * divisor) >>> shift;
    return (quotientHighDigit << 32) | quotientLowDigit;
  }

  /**
   * The DOUBLE nearest to {@code high:low / 10^scale} (ties to even), exactly as {@link
   * java.math.BigDecimal#doubleValue} rounds: the value's magnitude is shifted to fill 128 bits and
   * divided by 5^scale (10^scale = 5^scale * 2^scale, the power of two going into the exponent),
   * which leaves at least 55 quotient bits for scales up to 31; its top 64 bits, with the rest and
   * the remainder folded into a sticky bit, round once to 53 bits. {@code scratch} holds four
   * longs. Scales above 31 convert through {@link java.math.BigDecimal} (no DECIMAL of this engine
   * has them on a hot path).
   */
  public static double toDouble(long high, long low, int scale, long[] scratch) {
    if (fitsLong(high, low) && Math.abs(low) < (1L << 53) && scale <= 22) {
      // Both operands exact doubles: one correctly rounded division.
      return scale == 0 ? (double) low : low / DOUBLE_POWERS_OF_TEN[scale];
    }
    if (scale > MAX_EXACT_DOUBLE_SCALE) {
      return new java.math.BigDecimal(toBigInteger(high, low), scale).doubleValue();
    }
    boolean negative = high < 0;
    long magnitudeHigh = high;
    long magnitudeLow = low;
    if (negative) {
      magnitudeLow = -low;
      magnitudeHigh = wrappingNegateHigh(high, low);
    }
    int leadingZeros =
        magnitudeHigh != 0
            ? Long.numberOfLeadingZeros(magnitudeHigh)
            : 64 + Long.numberOfLeadingZeros(magnitudeLow);
    if (leadingZeros == 128) {
      return 0.0;
    }
    long normalizedHigh;
    long normalizedLow;
    if (leadingZeros >= 64) {
      normalizedHigh = magnitudeLow << (leadingZeros - 64);
      normalizedLow = 0;
    } else if (leadingZeros == 0) {
      normalizedHigh = magnitudeHigh;
      normalizedLow = magnitudeLow;
    } else {
      normalizedHigh = (magnitudeHigh << leadingZeros) | (magnitudeLow >>> (64 - leadingZeros));
      normalizedLow = magnitudeLow << leadingZeros;
    }
    long quotientHigh;
    long quotientLow;
    boolean sticky;
    if (scale == 0) {
      quotientHigh = normalizedHigh;
      quotientLow = normalizedLow;
      sticky = false;
    } else {
      divideUnsigned(
          normalizedHigh, normalizedLow, FIVE_POWERS_HIGH[scale], FIVE_POWERS_LOW[scale], scratch);
      quotientHigh = scratch[0];
      quotientLow = scratch[1];
      sticky = (scratch[2] | scratch[3]) != 0;
    }
    // The quotient's top 64 bits and the power of two of their lowest bit.
    long top;
    int exponent;
    if (quotientHigh != 0) {
      int shift = Long.numberOfLeadingZeros(quotientHigh);
      top = shift == 0 ? quotientHigh : (quotientHigh << shift) | (quotientLow >>> (64 - shift));
      sticky |= (shift == 0 ? quotientLow : quotientLow << shift) != 0;
      exponent = 64 - shift;
    } else {
      int shift = Long.numberOfLeadingZeros(quotientLow);
      top = quotientLow << shift;
      exponent = -shift;
    }
    // 63 bits with the dropped bit and the sticky bit in the last: far below the rounding bit.
    long rounded = (top >>> 1) | (top & 1) | (sticky ? 1 : 0);
    double magnitude = Math.scalb((double) rounded, exponent + 1 - leadingZeros - scale);
    return negative ? -magnitude : magnitude;
  }

  private static final double[] DOUBLE_POWERS_OF_TEN = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  /** Whether {@code value} fits 128-bit two's complement. */
  public static boolean fits(BigInteger value) {
    return value.bitLength() <= 127;
  }

  /** Bits 64..127 of {@code value} (sign-extended). */
  public static long high(BigInteger value) {
    return value.shiftRight(64).longValue();
  }

  /** The low 64 bits of {@code value}. */
  public static long low(BigInteger value) {
    return value.longValue();
  }

  public static BigInteger toBigInteger(long high, long low) {
    if (fitsLong(high, low)) {
      return BigInteger.valueOf(low);
    }
    byte[] bigEndian = new byte[16];
    for (int i = 0; i < 8; i++) {
      bigEndian[7 - i] = (byte) (high >>> (8 * i));
      bigEndian[15 - i] = (byte) (low >>> (8 * i));
    }
    return new BigInteger(bigEndian);
  }

  /**
   * The length of {@link BigInteger#toByteArray()} of the value: its minimal two's-complement bytes
   * (at least one, sign bit included).
   */
  public static int minimalByteLength(long high, long low) {
    int significantBits;
    if (fitsLong(high, low)) {
      significantBits = 64 - Long.numberOfLeadingZeros(low ^ (low >> 63));
    } else {
      significantBits = 128 - Long.numberOfLeadingZeros(high ^ (high >> 63));
    }
    return significantBits / 8 + 1;
  }

  /**
   * Writes the last {@code length} bytes of the value's big-endian two's complement (as {@link
   * BigInteger#toByteArray()} with {@code length} from {@link #minimalByteLength}) at {@code
   * offset}.
   */
  public static void writeBigEndian(long high, long low, byte[] target, int offset, int length) {
    for (int i = 0; i < length; i++) {
      int shift = 8 * i;
      long half = i < 8 ? low : high;
      target[offset + length - 1 - i] = (byte) (half >>> (shift & 63));
    }
  }

  /** The decimal digits of the value (with a leading minus sign when negative). */
  public static String toString(long high, long low) {
    return fitsLong(high, low) ? Long.toString(low) : toBigInteger(high, low).toString();
  }
}
