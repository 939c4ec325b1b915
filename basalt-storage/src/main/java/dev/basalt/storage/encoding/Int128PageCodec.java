package dev.basalt.storage.encoding;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;

/**
 * Encodes and decodes the non-null values of an {@link StorageType#INT128} page (LARGEINT, and the
 * unscaled value of DECIMAL) held as two {@code long} halves: {@link Encoding#PLAIN}, 16 bytes per
 * value, low half first, each half little-endian; and {@link Encoding#FRAME_OF_REFERENCE} for a
 * page whose every value fits in 64 bits (each high half the sign extension of its low half): the
 * low halves as {@link LongPageCodec} writes that encoding, the high halves implied. Also converts
 * between halves and {@link BigInteger}. Stateless.
 */
public final class Int128PageCodec {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Int128PageCodec() {}

  /**
   * The smallest and the largest of values {@code [0, count)} ({@code count} at least 1), as {min,
   * max}. Most pages (every DECIMAL of precision 18 or less) hold values that fit in 64 bits: one
   * pass of long comparisons finds both; otherwise a second pass compares the 128-bit values.
   */
  public static BigInteger[] bounds(long[] low, long[] high, int count) {
    long misfit = 0;
    long lowValue = Long.MAX_VALUE;
    long highValue = Long.MIN_VALUE;
    for (int i = 0; i < count; i++) {
      long value = low[i];
      misfit |= high[i] ^ (value >> 63);
      lowValue = Math.min(lowValue, value);
      highValue = Math.max(highValue, value);
    }
    if (misfit == 0) {
      return new BigInteger[] {BigInteger.valueOf(lowValue), BigInteger.valueOf(highValue)};
    }
    int min = 0;
    int max = 0;
    for (int i = 1; i < count; i++) {
      if (compare(low[i], high[i], low[min], high[min]) < 0) {
        min = i;
      }
      if (compare(low[i], high[i], low[max], high[max]) > 0) {
        max = i;
      }
    }
    return new BigInteger[] {toBigInteger(low[min], high[min]), toBigInteger(low[max], high[max])};
  }

  /**
   * Writes the values in {@code encoding} where it applies, else plain; returns the encoding
   * written. {@link Encoding#FRAME_OF_REFERENCE} needs every value to fit in 64 bits, which they do
   * when their bounds do (the values between two 64-bit numbers are 64-bit numbers).
   *
   * @param min the smallest value, as {@link #bounds} finds it; ignored when {@code count} is 0
   * @param max the largest value; ignored when {@code count} is 0
   */
  public static Encoding encode(
      Encoding encoding,
      long[] low,
      long[] high,
      int count,
      BigInteger min,
      BigInteger max,
      LittleEndianOutput output) {
    if (encoding == Encoding.FRAME_OF_REFERENCE
        && count > 0
        && min.bitLength() < Long.SIZE
        && max.bitLength() < Long.SIZE) {
      LongPageCodec.writeFrameOfReference(low, count, min.longValue(), max.longValue(), output);
      return Encoding.FRAME_OF_REFERENCE;
    }
    encode(low, high, count, output);
    return Encoding.PLAIN;
  }

  public static void encode(long[] low, long[] high, int count, LittleEndianOutput output) {
    output.ensureCapacity(16 * count);
    for (int i = 0; i < count; i++) {
      output.writeLong(low[i]);
      output.writeLong(high[i]);
    }
  }

  public static void decode(
      Encoding encoding, LittleEndianInput input, int count, long[] low, long[] high) {
    if (encoding == Encoding.FRAME_OF_REFERENCE) {
      LongPageCodec.decode(encoding, input, count, low);
      for (int i = 0; i < count; i++) {
        high[i] = low[i] >> 63;
      }
      return;
    }
    if (encoding != Encoding.PLAIN) {
      throw new FormatException(encoding + " encoding in an INT128 page");
    }
    input.require(16L * count, count + " 128-bit values");
    for (int i = 0; i < count; i++) {
      low[i] = input.readLong();
      high[i] = input.readLong();
    }
  }

  /**
   * Decodes only the low halves into {@code low} when every value fits in 64 bits (each high half
   * is the sign extension of its low half), as DECIMAL(p &lt;= 18) and most LARGEINT pages do, and
   * returns true; the input is then past the values. Returns false when some value does not fit,
   * leaving the input where it was (call {@link #decode} then); {@code low} may have been written.
   * One pass over the bytes, no array of high halves.
   */
  public static boolean decodeIfFitsInLow(
      Encoding encoding, LittleEndianInput input, int count, long[] low) {
    if (encoding == Encoding.FRAME_OF_REFERENCE) {
      // Written only for values that fit: the low halves are the values.
      LongPageCodec.decode(encoding, input, count, low);
      return true;
    }
    if (encoding != Encoding.PLAIN) {
      throw new FormatException(encoding + " encoding in an INT128 page");
    }
    int start = input.require(16L * count, count + " 128-bit values");
    byte[] bytes = input.array();
    long misfit = 0;
    for (int i = 0, offset = start; i < count; i++, offset += 16) {
      long lowHalf = (long) LONGS.get(bytes, offset);
      long highHalf = (long) LONGS.get(bytes, offset + 8);
      low[i] = lowHalf;
      misfit |= highHalf ^ (lowHalf >> 63);
    }
    if (misfit != 0) {
      return false;
    }
    input.skip(16 * count, count + " 128-bit values");
    return true;
  }

  /** Whether {@code value} fits in 128-bit two's complement. */
  public static boolean fits(BigInteger value) {
    return value.bitLength() <= 127;
  }

  /** The low 64 bits of {@code value}. */
  public static long low(BigInteger value) {
    return value.longValue();
  }

  /** Bits 64..127 of {@code value} (sign-extended). */
  public static long high(BigInteger value) {
    return value.shiftRight(64).longValue();
  }

  public static BigInteger toBigInteger(long low, long high) {
    if (high == (low >> 63)) {
      return BigInteger.valueOf(low);
    }
    byte[] bigEndian = new byte[16];
    for (int i = 0; i < 8; i++) {
      bigEndian[7 - i] = (byte) (high >>> (8 * i));
      bigEndian[15 - i] = (byte) (low >>> (8 * i));
    }
    return new BigInteger(bigEndian);
  }

  /** Signed comparison of two 128-bit values given as halves. */
  public static int compare(long lowA, long highA, long lowB, long highB) {
    int byHigh = Long.compare(highA, highB);
    return byHigh != 0 ? byHigh : Long.compareUnsigned(lowA, lowB);
  }
}
