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
    long plainSize = 8L * count;
    long forSize = 9 + BitPacking.packedBytes(count, frameOfReferenceWidth(values, count));
    long deltaSize = 17 + BitPacking.packedBytes(count - 1, deltaWidth(values, count));
    if (forSize <= deltaSize && forSize < plainSize) {
      return Encoding.FRAME_OF_REFERENCE;
    }
    if (deltaSize < plainSize) {
      return Encoding.DELTA;
    }
    return Encoding.PLAIN;
  }

  private static int frameOfReferenceWidth(long[] values, int count) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < count; i++) {
      min = Math.min(min, values[i]);
      max = Math.max(max, values[i]);
    }
    return BitPacking.bitWidth(max - min);
  }

  private static int deltaWidth(long[] values, int count) {
    if (count < 2) {
      return 0;
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 1; i < count; i++) {
      long delta = values[i] - values[i - 1];
      min = Math.min(min, delta);
      max = Math.max(max, delta);
    }
    return BitPacking.bitWidth(max - min);
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
        if (count == 0) {
          min = 0;
          max = 0;
        }
        int width = BitPacking.bitWidth(max - min);
        long[] offsets = new long[count];
        for (int i = 0; i < count; i++) {
          offsets[i] = values[i] - min;
        }
        output.writeLong(min);
        output.writeByte(width);
        BitPacking.pack(offsets, 0, count, width, output);
      }
      case DELTA -> {
        int deltaCount = Math.max(count - 1, 0);
        long[] deltas = new long[deltaCount];
        long min = deltaCount == 0 ? 0 : Long.MAX_VALUE;
        long max = deltaCount == 0 ? 0 : Long.MIN_VALUE;
        for (int i = 0; i < deltaCount; i++) {
          long delta = values[i + 1] - values[i];
          deltas[i] = delta;
          min = Math.min(min, delta);
          max = Math.max(max, delta);
        }
        for (int i = 0; i < deltaCount; i++) {
          deltas[i] -= min;
        }
        int width = BitPacking.bitWidth(max - min);
        output.writeLong(count == 0 ? 0 : values[0]);
        output.writeLong(min);
        output.writeByte(width);
        BitPacking.pack(deltas, 0, deltaCount, width, output);
      }
      case DICTIONARY ->
          throw new IllegalArgumentException("DICTIONARY does not apply to INT64 values");
    }
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
