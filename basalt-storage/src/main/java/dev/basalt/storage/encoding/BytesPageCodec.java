package dev.basalt.storage.encoding;

import java.util.Arrays;

/**
 * Encodes and decodes the non-null values of a {@link StorageType#BINARY} page: {@link
 * Encoding#PLAIN} (all lengths, then all bytes) and {@link Encoding#DICTIONARY} (distinct values
 * once, then bit-packed codes). Values are given as one byte array and {@code count + 1} offsets:
 * value {@code i} is {@code bytes[offsets[i], offsets[i + 1])}. Stateless.
 */
public final class BytesPageCodec {
  /** Pages with more distinct values than this are never dictionary-encoded automatically. */
  static final int MAX_AUTOMATIC_DICTIONARY_SIZE = 1 << 16;

  private BytesPageCodec() {}

  /**
   * Decoded values: {@code offsets} has {@code count + 1} entries starting at 0. A {@link
   * Encoding#DICTIONARY} page also gives its {@code dictionary} (its distinct values, plain) and
   * each value's {@code codes} entry in it; both are {@code null} for other encodings.
   */
  public record Values(byte[] bytes, int[] offsets, Values dictionary, int[] codes) {
    public Values(byte[] bytes, int[] offsets) {
      this(bytes, offsets, null, null);
    }
  }

  /** The encoding that stores the values in the fewest bytes. */
  public static Encoding choose(byte[] bytes, int[] offsets, int count) {
    return chosenDictionary(bytes, offsets, count) != null ? Encoding.DICTIONARY : Encoding.PLAIN;
  }

  /**
   * Writes the values in the encoding {@link #choose} picks and returns it: the same bytes as
   * {@code encode(choose(...), ...)}, with the dictionary built once instead of twice.
   */
  public static Encoding encodeChosen(
      byte[] bytes, int[] offsets, int count, LittleEndianOutput output) {
    Dictionary dictionary = chosenDictionary(bytes, offsets, count);
    if (dictionary == null) {
      writePlain(bytes, offsets, null, count, output);
      return Encoding.PLAIN;
    }
    writeDictionary(dictionary, bytes, offsets, count, output);
    return Encoding.DICTIONARY;
  }

  /** The values' dictionary when a dictionary stores them in fewer bytes than plain; else null. */
  private static Dictionary chosenDictionary(byte[] bytes, int[] offsets, int count) {
    if (count < 2) {
      return null;
    }
    Dictionary dictionary =
        Dictionary.build(bytes, offsets, count, Math.min(count / 2, MAX_AUTOMATIC_DICTIONARY_SIZE));
    if (dictionary == null) {
      return null;
    }
    long plainSize = 4L * count + (offsets[count] - offsets[0]);
    return dictionary.encodedSize(count) < plainSize ? dictionary : null;
  }

  public static void encode(
      Encoding encoding, byte[] bytes, int[] offsets, int count, LittleEndianOutput output) {
    switch (encoding) {
      case PLAIN -> writePlain(bytes, offsets, null, count, output);
      case DICTIONARY ->
          writeDictionary(
              Dictionary.build(bytes, offsets, count, Integer.MAX_VALUE),
              bytes,
              offsets,
              count,
              output);
      case FRAME_OF_REFERENCE, DELTA ->
          throw new IllegalArgumentException(encoding + " does not apply to BINARY values");
    }
  }

  /** The distinct values once, then the bit-packed code of every value. */
  private static void writeDictionary(
      Dictionary dictionary, byte[] bytes, int[] offsets, int count, LittleEndianOutput output) {
    int size = dictionary.size;
    output.writeInt(size);
    writePlain(bytes, offsets, dictionary.firstOccurrence, size, output);
    int width = BitPacking.bitWidth(Math.max(size - 1, 0));
    output.writeByte(width);
    long[] codes = new long[count];
    for (int i = 0; i < count; i++) {
      codes[i] = dictionary.codes[i];
    }
    BitPacking.pack(codes, 0, count, width, output);
  }

  /**
   * Writes values {@code select[i]} (or {@code i} when {@code select} is null) for i below {@code
   * count}.
   */
  private static void writePlain(
      byte[] bytes, int[] offsets, int[] select, int count, LittleEndianOutput output) {
    long total = 0;
    output.ensureCapacity(4 * count);
    for (int i = 0; i < count; i++) {
      int value = select == null ? i : select[i];
      int length = offsets[value + 1] - offsets[value];
      output.writeInt(length);
      total += length;
    }
    if (select == null) {
      output.writeBytes(bytes, offsets[0], (int) total);
    } else {
      output.ensureCapacity((int) total);
      for (int i = 0; i < count; i++) {
        int value = select[i];
        output.writeBytes(bytes, offsets[value], offsets[value + 1] - offsets[value]);
      }
    }
  }

  public static Values decode(Encoding encoding, LittleEndianInput input, int count) {
    return switch (encoding) {
      case PLAIN -> readPlain(input, count);
      case DICTIONARY -> {
        int size = input.readCount("dictionary size");
        input.require(4L * size, "dictionary of " + size + " entries");
        Values dictionary = readPlain(input, size);
        int width = LongPageCodec.readWidth(input);
        long[] packedCodes = new long[count];
        BitPacking.unpack(input, count, width, packedCodes);
        int[] codes = new int[count];
        int[] offsets = new int[count + 1];
        long total = 0;
        for (int i = 0; i < count; i++) {
          long code = packedCodes[i];
          if (code >= size) {
            throw new FormatException(
                "dictionary code "
                    + code
                    + " at value "
                    + i
                    + " but the dictionary has "
                    + size
                    + " entries");
          }
          total += dictionary.offsets[(int) code + 1] - dictionary.offsets[(int) code];
          if (total > Integer.MAX_VALUE - 16) {
            throw new FormatException("decoded strings exceed 2 GiB");
          }
          offsets[i + 1] = (int) total;
          codes[i] = (int) code;
        }
        byte[] bytes = new byte[(int) total];
        for (int i = 0; i < count; i++) {
          int code = codes[i];
          int start = dictionary.offsets[code];
          System.arraycopy(
              dictionary.bytes, start, bytes, offsets[i], dictionary.offsets[code + 1] - start);
        }
        yield new Values(bytes, offsets, dictionary, codes);
      }
      case FRAME_OF_REFERENCE, DELTA ->
          throw new FormatException(encoding + " encoding in a BINARY page");
    };
  }

  private static Values readPlain(LittleEndianInput input, int count) {
    input.require(4L * count, count + " string lengths");
    int[] offsets = new int[count + 1];
    long total = 0;
    for (int i = 0; i < count; i++) {
      int length = input.readCount("string length");
      total += length;
      if (total > input.remaining()) {
        throw new FormatException(
            "string lengths add up to more than the " + input.remaining() + " bytes that remain");
      }
      offsets[i + 1] = (int) total;
    }
    byte[] bytes = input.readBytes((int) total);
    return new Values(bytes, offsets);
  }

  /**
   * Distinct values of a page found with an open-addressing hash table over byte ranges, so that
   * building it allocates nothing per value.
   */
  private static final class Dictionary {
    final int[] firstOccurrence;
    final int[] codes;
    final int size;
    final long distinctBytes;

    private Dictionary(int[] firstOccurrence, int[] codes, int size, long distinctBytes) {
      this.firstOccurrence = firstOccurrence;
      this.codes = codes;
      this.size = size;
      this.distinctBytes = distinctBytes;
    }

    long encodedSize(int count) {
      return 4
          + 4L * size
          + distinctBytes
          + 1
          + BitPacking.packedBytes(count, BitPacking.bitWidth(Math.max(size - 1, 0)));
    }

    /** Null when there are more than {@code maxSize} distinct values. */
    static Dictionary build(byte[] bytes, int[] offsets, int count, int maxSize) {
      int capacity = Integer.highestOneBit(Math.max(16, Math.min(count, maxSize) * 2 - 1)) << 1;
      int[] table = new int[capacity];
      Arrays.fill(table, -1);
      int[] firstOccurrence = new int[Math.min(count, maxSize) + 1];
      int[] codes = new int[count];
      int size = 0;
      long distinctBytes = 0;
      for (int i = 0; i < count; i++) {
        int start = offsets[i];
        int end = offsets[i + 1];
        int slot = hash(bytes, start, end) & (capacity - 1);
        while (true) {
          int code = table[slot];
          if (code < 0) {
            if (size == maxSize) {
              return null;
            }
            if (size == firstOccurrence.length) {
              firstOccurrence = Arrays.copyOf(firstOccurrence, size * 2);
            }
            firstOccurrence[size] = i;
            table[slot] = size;
            codes[i] = size;
            distinctBytes += end - start;
            size++;
            if (size * 2 > capacity) {
              capacity *= 2;
              table = rehash(bytes, offsets, firstOccurrence, size, capacity);
            }
            break;
          }
          int other = firstOccurrence[code];
          if (Arrays.equals(bytes, start, end, bytes, offsets[other], offsets[other + 1])) {
            codes[i] = code;
            break;
          }
          slot = (slot + 1) & (capacity - 1);
        }
      }
      return new Dictionary(firstOccurrence, codes, size, distinctBytes);
    }

    private static int[] rehash(
        byte[] bytes, int[] offsets, int[] firstOccurrence, int size, int capacity) {
      int[] table = new int[capacity];
      Arrays.fill(table, -1);
      for (int code = 0; code < size; code++) {
        int value = firstOccurrence[code];
        int slot = hash(bytes, offsets[value], offsets[value + 1]) & (capacity - 1);
        while (table[slot] >= 0) {
          slot = (slot + 1) & (capacity - 1);
        }
        table[slot] = code;
      }
      return table;
    }

    private static int hash(byte[] bytes, int start, int end) {
      int hash = 0x9E3779B9;
      for (int i = start; i < end; i++) {
        hash = (hash ^ bytes[i]) * 0x01000193;
      }
      return hash ^ (hash >>> 15);
    }
  }
}
