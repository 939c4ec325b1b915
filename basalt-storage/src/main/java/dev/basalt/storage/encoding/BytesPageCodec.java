package dev.basalt.storage.encoding;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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

  private static final VarHandle BIG_ENDIAN_LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LITTLE_ENDIAN_LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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
   * What {@link #encodeChosenWithExtremes} wrote: the encoding, and the indexes of the smallest and
   * the largest value (unsigned byte order, as {@link Arrays#compareUnsigned}); both -1 for no
   * values.
   */
  public record Chosen(Encoding encoding, int minIndex, int maxIndex) {}

  /**
   * Writes the values in the encoding {@link #choose} picks (the same bytes as {@code
   * encode(choose(...), ...)}, with the dictionary built once instead of twice), and finds the
   * page's smallest and largest value (its zone map): on a dictionary page among the distinct
   * values only.
   */
  public static Chosen encodeChosenWithExtremes(
      byte[] bytes, int[] offsets, int count, LittleEndianOutput output) {
    Dictionary dictionary = chosenDictionary(bytes, offsets, count);
    if (dictionary == null) {
      writePlain(bytes, offsets, null, count, output);
      long extremes = extremes(bytes, offsets, null, count);
      return new Chosen(Encoding.PLAIN, (int) (extremes >> 32), (int) extremes);
    }
    writeDictionary(dictionary, bytes, offsets, count, output);
    long extremes = extremes(bytes, offsets, dictionary.firstOccurrence, dictionary.size);
    return new Chosen(Encoding.DICTIONARY, (int) (extremes >> 32), (int) extremes);
  }

  /**
   * The indexes of the smallest and the largest of values {@code select[i]} (or {@code i} when
   * {@code select} is null) for i below {@code count}, in unsigned byte order, packed as {@code
   * (min << 32) | max} (-1 for both when {@code count} is 0). Orders most pairs by their first 8
   * bytes read as one unsigned number, comparing whole values only when those are equal.
   */
  public static long extremes(byte[] bytes, int[] offsets, int[] select, int count) {
    if (count == 0) {
      return -1L;
    }
    int low = select == null ? 0 : select[0];
    int high = low;
    long lowKey = prefixKey(bytes, offsets[low], offsets[low + 1]);
    long highKey = lowKey;
    for (int i = 1; i < count; i++) {
      int value = select == null ? i : select[i];
      int start = offsets[value];
      int end = offsets[value + 1];
      long key = prefixKey(bytes, start, end);
      int toLow = Long.compareUnsigned(key, lowKey);
      if (toLow < 0
          || toLow == 0
              && Arrays.compareUnsigned(bytes, start, end, bytes, offsets[low], offsets[low + 1])
                  < 0) {
        low = value;
        lowKey = key;
        continue;
      }
      int toHigh = Long.compareUnsigned(key, highKey);
      if (toHigh > 0
          || toHigh == 0
              && Arrays.compareUnsigned(bytes, start, end, bytes, offsets[high], offsets[high + 1])
                  > 0) {
        high = value;
        highKey = key;
      }
    }
    return ((long) low << 32) | (high & 0xFFFF_FFFFL);
  }

  /**
   * The first 8 bytes of {@code bytes[start, end)} as an unsigned big-endian number, zero-padded
   * when shorter: when two values' keys differ, they order the values as {@link
   * Arrays#compareUnsigned} does (a shorter value that is a prefix of the other pads with zeros,
   * which no byte is below); equal keys say nothing.
   */
  static long prefixKey(byte[] bytes, int start, int end) {
    int length = end - start;
    if (length >= 8) {
      return (long) BIG_ENDIAN_LONGS.get(bytes, start);
    }
    long key = 0;
    for (int i = start; i < end; i++) {
      key = key << 8 | (bytes[i] & 0xFF);
    }
    // A shift by 64 (an empty value) would be a shift by 0; the key is 0 then anyway.
    return key << (8 * (8 - length));
  }

  /** The values' dictionary when a dictionary stores them in fewer bytes than plain; else null. */
  private static Dictionary chosenDictionary(byte[] bytes, int[] offsets, int count) {
    if (count < 2) {
      return null;
    }
    Dictionary dictionary =
        Dictionary.build(
            bytes, offsets, count, Math.min(count / 2, MAX_AUTOMATIC_DICTIONARY_SIZE), true);
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
              Dictionary.build(bytes, offsets, count, Integer.MAX_VALUE, false),
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
    BitPacking.pack(dictionary.codes, count, width, output);
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
    /** Pages with fewer values are never given up on after a sample. */
    static final int SAMPLED_PAGE_VALUES = 512;

    /** The share of distinct values in a page's first eighth above which it gets no dictionary. */
    static final double SAMPLE_DISTINCT_SHARE = 0.97;

    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;

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

    /**
     * Null when there are more than {@code maxSize} distinct values, or, when {@code sampled}, when
     * the first eighth of a page of at least {@link #SAMPLED_PAGE_VALUES} values is nearly all
     * distinct ({@link #SAMPLE_DISTINCT_SHARE}): the page then almost surely has more distinct
     * values than half its count (values drawn uniformly from N show 97 % distinct in a sample of k
     * only when N is above 16 k, twice the page's count), so building on would be thrown away.
     */
    static Dictionary build(byte[] bytes, int[] offsets, int count, int maxSize, boolean sampled) {
      // Room for a sample's worth of distinct values without a rehash; doubles past that.
      int capacity =
          Integer.highestOneBit(Math.max(16, Math.min(Math.min(count, maxSize), count / 8) * 2 - 1))
              << 1;
      int[] table = new int[capacity];
      Arrays.fill(table, -1);
      int[] firstOccurrence = new int[Math.min(Math.min(count, maxSize) + 1, capacity)];
      // Each distinct value's 64-bit hash: compared before the bytes, and reused by a rehash.
      long[] hashes = new long[firstOccurrence.length];
      int[] codes = new int[count];
      int size = 0;
      long distinctBytes = 0;
      int sampleEnd = sampled && count >= SAMPLED_PAGE_VALUES ? count / 8 : -1;
      for (int i = 0; i < count; i++) {
        if (i == sampleEnd && size >= SAMPLE_DISTINCT_SHARE * sampleEnd) {
          return null;
        }
        int start = offsets[i];
        int end = offsets[i + 1];
        long hash = hash(bytes, start, end);
        int slot = slot(hash, capacity);
        while (true) {
          int code = table[slot];
          if (code < 0) {
            if (size == maxSize) {
              return null;
            }
            if (size == firstOccurrence.length) {
              firstOccurrence = Arrays.copyOf(firstOccurrence, size * 2);
              hashes = Arrays.copyOf(hashes, size * 2);
            }
            firstOccurrence[size] = i;
            hashes[size] = hash;
            table[slot] = size;
            codes[i] = size;
            distinctBytes += end - start;
            size++;
            if (size * 2 > capacity) {
              capacity *= 2;
              table = rehash(hashes, size, capacity);
            }
            break;
          }
          if (hashes[code] == hash) {
            int other = firstOccurrence[code];
            int otherStart = offsets[other];
            int otherEnd = offsets[other + 1];
            // Values shorter than 8 bytes of one length have distinct hashes (see hash).
            if (end - start < 8 && otherEnd - otherStart == end - start
                || Arrays.equals(bytes, start, end, bytes, otherStart, otherEnd)) {
              codes[i] = code;
              break;
            }
          }
          slot = (slot + 1) & (capacity - 1);
        }
      }
      return new Dictionary(firstOccurrence, codes, size, distinctBytes);
    }

    private static int slot(long hash, int capacity) {
      return (int) (hash >>> 32) & (capacity - 1);
    }

    private static int[] rehash(long[] hashes, int size, int capacity) {
      int[] table = new int[capacity];
      Arrays.fill(table, -1);
      for (int code = 0; code < size; code++) {
        int slot = slot(hashes[code], capacity);
        while (table[slot] >= 0) {
          slot = (slot + 1) & (capacity - 1);
        }
        table[slot] = code;
      }
      return table;
    }

    /**
     * Mixes 8 bytes at a time (a value's last 8 bytes overlap the word before). A value shorter
     * than 8 bytes is one word with its length in the low 3 bits, and every step after that is a
     * bijection of 64-bit numbers (products by an odd number, xor with a right shift), so two such
     * values of one length hash alike only when they are equal. The order of codes never depends on
     * the hash: codes go by first occurrence.
     */
    private static long hash(byte[] bytes, int start, int end) {
      int length = end - start;
      long hash = length;
      if (length >= 8) {
        for (int i = start; i + 8 < end; i += 8) {
          hash = (hash ^ (long) LITTLE_ENDIAN_LONGS.get(bytes, i)) * MULTIPLIER;
        }
        hash ^= (long) LITTLE_ENDIAN_LONGS.get(bytes, end - 8);
      } else {
        long word = 0;
        for (int i = end - 1; i >= start; i--) {
          word = word << 8 | (bytes[i] & 0xFF);
        }
        hash ^= word << 3;
      }
      // Every input bit reaches the high half of the second product, whose low bits index the
      // table.
      hash *= MULTIPLIER;
      hash ^= hash >>> 32;
      hash *= MULTIPLIER;
      return hash;
    }
  }
}
