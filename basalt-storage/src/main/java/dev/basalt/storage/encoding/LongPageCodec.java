package dev.basalt.storage.encoding;

/**
 * Encodes and decodes the non-null values of an {@link StorageType#INT64} page: {@link
 * Encoding#PLAIN}, {@link Encoding#FRAME_OF_REFERENCE} and {@link Encoding#DELTA}. Differences are
 * taken with wrapping 64-bit arithmetic and packed as unsigned, so every {@code long} sequence
 * round-trips, including ones spanning {@code Long.MIN_VALUE..Long.MAX_VALUE}. Stateless.
 */
public final class LongPageCodec {
  private LongPageCodec() {}

  /** The encoding that stores {@code values[0, count)} in the fewest bytes. */
  public static Encoding choose(long[] values, int count) {
    if (count == 0) {
      return Encoding.PLAIN;
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < count; i++) {
      min = Math.min(min, values[i]);
      max = Math.max(max, values[i]);
    }
    return choose(count, min, max, deltaMin(values, count), deltaMax(values, count));
  }

  private static Encoding choose(int count, long min, long max, long deltaMin, long deltaMax) {
    long plainSize = 8L * count;
    long forSize = 9 + BitPacking.packedBytes(count, BitPacking.bitWidth(max - min));
    long deltaSize =
        17
            + BitPacking.packedBytes(
                count - 1, count < 2 ? 0 : BitPacking.bitWidth(deltaMax - deltaMin));
    if (forSize <= deltaSize && forSize < plainSize) {
      return Encoding.FRAME_OF_REFERENCE;
    }
    if (deltaSize < plainSize) {
      return Encoding.DELTA;
    }
    return Encoding.PLAIN;
  }

  /**
   * Writes the values in the encoding {@link #choose} picks and returns it: the same bytes as
   * {@code encode(choose(values, count), values, count, output)}, given the values' {@code min} and
   * {@code max} (which the caller has for the zone map), with one pass over the values to choose
   * instead of three and no array of differences for a frame of reference.
   */
  public static Encoding encodeChosen(
      long[] values, int count, long min, long max, LittleEndianOutput output) {
    if (count == 0) {
      return Encoding.PLAIN;
    }
    long deltaMin = Long.MAX_VALUE;
    long deltaMax = Long.MIN_VALUE;
    for (int i = 1; i < count; i++) {
      long delta = values[i] - values[i - 1];
      deltaMin = Math.min(deltaMin, delta);
      deltaMax = Math.max(deltaMax, delta);
    }
    Encoding encoding = choose(count, min, max, deltaMin, deltaMax);
    switch (encoding) {
      case PLAIN -> output.writeLongs(values, 0, count);
      case FRAME_OF_REFERENCE -> writeFrameOfReference(values, count, min, max, output);
      case DELTA -> writeDelta(values, count, deltaMin, deltaMax, output);
      default -> throw new IllegalStateException(encoding.toString());
    }
    return encoding;
  }

  private static long deltaMin(long[] values, int count) {
    long min = Long.MAX_VALUE;
    for (int i = 1; i < count; i++) {
      min = Math.min(min, values[i] - values[i - 1]);
    }
    return min;
  }

  private static long deltaMax(long[] values, int count) {
    long max = Long.MIN_VALUE;
    for (int i = 1; i < count; i++) {
      max = Math.max(max, values[i] - values[i - 1]);
    }
    return max;
  }

  public static void encode(
      Encoding encoding, long[] values, int count, LittleEndianOutput output) {
    switch (encoding) {
      case PLAIN -> output.writeLongs(values, 0, count);
      case FRAME_OF_REFERENCE -> {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) {
          min = Math.min(min, values[i]);
          max = Math.max(max, values[i]);
        }
        writeFrameOfReference(values, count, min, max, output);
      }
      case DELTA ->
          writeDelta(values, count, deltaMin(values, count), deltaMax(values, count), output);
      case DICTIONARY ->
          throw new IllegalArgumentException("DICTIONARY does not apply to INT64 values");
    }
  }

  /** Writes a frame of reference for values whose minimum and maximum are given. */
  static void writeFrameOfReference(
      long[] values, int count, long min, long max, LittleEndianOutput output) {
    if (count == 0) {
      min = 0;
      max = 0;
    }
    int width = BitPacking.bitWidth(max - min);
    output.writeLong(min);
    output.writeByte(width);
    BitPacking.pack(values, 0, count, width, min, output);
  }

  /**
   * {@code deltaMin} and {@code deltaMax} bound the differences of neighbours (any, for count below
   * 2).
   */
  private static void writeDelta(
      long[] values, int count, long deltaMin, long deltaMax, LittleEndianOutput output) {
    int deltaCount = Math.max(count - 1, 0);
    if (deltaCount == 0) {
      deltaMin = 0;
      deltaMax = 0;
    }
    long[] deltas = new long[deltaCount];
    for (int i = 0; i < deltaCount; i++) {
      deltas[i] = values[i + 1] - values[i] - deltaMin;
    }
    int width = BitPacking.bitWidth(deltaMax - deltaMin);
    output.writeLong(count == 0 ? 0 : values[0]);
    output.writeLong(deltaMin);
    output.writeByte(width);
    BitPacking.pack(deltas, 0, deltaCount, width, output);
  }

  /** Decodes {@code count} values into {@code destination[0, count)}. */
  public static void decode(
      Encoding encoding, LittleEndianInput input, int count, long[] destination) {
    switch (encoding) {
      case PLAIN -> input.readLongs(destination, 0, count);
      case FRAME_OF_REFERENCE -> {
        long reference = input.readLong();
        int width = readWidth(input);
        BitPacking.unpack(input, count, width, destination);
        for (int i = 0; i < count; i++) {
          destination[i] += reference;
        }
      }
      case DELTA -> {
        long first = input.readLong();
        long minDelta = input.readLong();
        int width = readWidth(input);
        if (count == 0) {
          BitPacking.unpack(input, 0, width, destination);
          return;
        }
        long[] deltas = new long[count];
        BitPacking.unpack(input, count - 1, width, deltas);
        long value = first;
        destination[0] = value;
        for (int i = 1; i < count; i++) {
          value += deltas[i - 1] + minDelta;
          destination[i] = value;
        }
      }
      case DICTIONARY -> throw new FormatException("DICTIONARY encoding in an INT64 page");
    }
  }

  static int readWidth(LittleEndianInput input) {
    int width = input.readUnsignedByte();
    if (width > 64) {
      throw new FormatException("bit width " + width + " exceeds 64");
    }
    return width;
  }
}
