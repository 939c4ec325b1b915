package dev.basalt.storage.encoding;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Packs unsigned integers of a fixed bit width (0 to 64) into a little-endian bit stream: value
 * {@code i} occupies bits {@code [i * width, (i + 1) * width)}, bit 0 being the least significant
 * bit of the first byte. The stream is {@code ceil(count * width / 8)} bytes long. Stateless.
 */
public final class BitPacking {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private BitPacking() {}

  /** Bits needed to represent {@code value} read as unsigned (0 for 0). */
  public static int bitWidth(long value) {
    return 64 - Long.numberOfLeadingZeros(value);
  }

  public static long packedBytes(int count, int width) {
    return ((long) count * width + 7) / 8;
  }

  /**
   * Appends {@code count} values of {@code values} (each below {@code 2^width}) to {@code output}.
   */
  public static void pack(
      long[] values, int offset, int count, int width, LittleEndianOutput output) {
    pack(values, offset, count, width, 0, output);
  }

  /**
   * Appends {@code values[offset + i] - reference} for i below {@code count} (each difference, read
   * as unsigned, below {@code 2^width}) to {@code output}: a frame of reference without an array of
   * differences.
   */
  public static void pack(
      long[] values, int offset, int count, int width, long reference, LittleEndianOutput output) {
    if (width == 0 || count == 0) {
      return;
    }
    output.ensureCapacity((int) packedBytes(count, width));
    // Values go into a 64-bit accumulator, written out a whole word at a time.
    long word = 0;
    int bits = 0;
    for (int i = 0; i < count; i++) {
      long value = values[offset + i] - reference;
      word |= value << bits;
      bits += width;
      if (bits >= 64) {
        output.writeLong(word);
        bits -= 64;
        // The value's high bits that did not fit (none when it ended exactly at the word's end;
        // a shift by 64 would be a shift by 0 in Java).
        word = bits == 0 ? 0 : value >>> (width - bits);
      }
    }
    for (int shift = 0; shift < bits; shift += 8) {
      output.writeByte((int) (word >>> shift));
    }
  }

  /**
   * Appends {@code count} values of {@code values} (each non-negative and below {@code 2^width}) to
   * {@code output}, as {@link #pack(long[], int, int, int, LittleEndianOutput)} does for longs.
   */
  public static void pack(int[] values, int count, int width, LittleEndianOutput output) {
    if (width == 0 || count == 0) {
      return;
    }
    if (width > 32) {
      throw new IllegalArgumentException("bit width " + width + " for int values");
    }
    output.ensureCapacity((int) packedBytes(count, width));
    long word = 0;
    int bits = 0;
    for (int i = 0; i < count; i++) {
      long value = values[i] & 0xFFFF_FFFFL;
      word |= value << bits;
      bits += width;
      if (bits >= 64) {
        output.writeLong(word);
        bits -= 64;
        word = bits == 0 ? 0 : value >>> (width - bits);
      }
    }
    for (int shift = 0; shift < bits; shift += 8) {
      output.writeByte((int) (word >>> shift));
    }
  }

  /**
   * Reads {@code count} values of {@code width} bits from {@code input} into {@code destination}.
   */
  public static void unpack(LittleEndianInput input, int count, int width, long[] destination) {
    long byteCount = packedBytes(count, width);
    int start = input.require(byteCount, count + " packed values of " + width + " bits");
    if (width == 0) {
      Arrays.fill(destination, 0, count, 0L);
      return;
    }
    byte[] bytes = input.array();
    long[] words = new long[(int) ((byteCount + 7) / 8) + 1];
    int fullWords = (int) (byteCount / 8);
    for (int word = 0; word < fullWords; word++) {
      words[word] = (long) LONGS.get(bytes, start + word * 8);
    }
    for (int i = fullWords * 8; i < byteCount; i++) {
      words[i >>> 3] |= (bytes[start + i] & 0xFFL) << ((i & 7) * 8);
    }
    input.skip((int) byteCount, "packed values");
    long mask = width == 64 ? -1L : (1L << width) - 1;
    long bitPosition = 0;
    for (int i = 0; i < count; i++) {
      int wordIndex = (int) (bitPosition >>> 6);
      int bitOffset = (int) (bitPosition & 63);
      long value = words[wordIndex] >>> bitOffset;
      if (bitOffset + width > 64) {
        value |= words[wordIndex + 1] << (64 - bitOffset);
      }
      destination[i] = value & mask;
      bitPosition += width;
    }
  }
}
