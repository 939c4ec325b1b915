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
 * ({@link #fitsLong}); such a value compares, hashes and prints exactly as that long. Division and
 * the conversions to text of values beyond 64 bits go through {@link BigInteger} per value (rare
 * paths). Stateless.
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
      aMagnitudeHigh = ~aHigh + (aLow == 0 ? 1 : 0);
    }
    long bMagnitudeHigh = bHigh;
    long bMagnitudeLow = bLow;
    if (bHigh < 0) {
      bMagnitudeLow = -bLow;
      bMagnitudeHigh = ~bHigh + (bLow == 0 ? 1 : 0);
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
      highs[index] = ~magnitudeHigh + (productLow == 0 ? 1 : 0);
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
    long negativeBoundHigh = ~boundHigh + (boundLow == 0 ? 1 : 0);
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
