package dev.basalt.storage.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PageCodecTest {
  private static final long SEED = 424242L;

  @Test
  void bitPackingRoundTripsEveryWidth() {
    Random random = new Random(SEED);
    for (int width = 0; width <= 64; width++) {
      for (int count : new int[] {0, 1, 7, 63, 64, 65, 1000}) {
        long[] values = new long[count];
        for (int i = 0; i < count; i++) {
          values[i] = width == 0 ? 0 : random.nextLong() >>> (64 - width);
        }
        LittleEndianOutput output = new LittleEndianOutput(16);
        BitPacking.pack(values, 0, count, width, output);
        assertThat(output.size()).isEqualTo(BitPacking.packedBytes(count, width));
        long[] decoded = new long[count];
        BitPacking.unpack(new LittleEndianInput(output.toByteArray()), count, width, decoded);
        assertThat(decoded).as("width %d count %d seed %d", width, count, SEED).isEqualTo(values);
      }
    }
  }

  @Test
  void longEncodingsRoundTripExtremes() {
    Random random = new Random(SEED);
    long[][] cases = {
      {},
      {5},
      {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1},
      {Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE},
      random.longs(500).toArray(),
      random.longs(500, -3, 3).toArray(),
      java.util.stream.LongStream.range(1_700_000_000_000L, 1_700_000_000_500L).toArray(),
    };
    for (long[] values : cases) {
      for (Encoding encoding :
          new Encoding[] {Encoding.PLAIN, Encoding.FRAME_OF_REFERENCE, Encoding.DELTA}) {
        LittleEndianOutput output = new LittleEndianOutput(16);
        LongPageCodec.encode(encoding, values, values.length, output);
        long[] decoded = new long[values.length];
        LittleEndianInput input = new LittleEndianInput(output.toByteArray());
        LongPageCodec.decode(encoding, input, values.length, decoded);
        input.expectEnd("values");
        assertThat(decoded).as("%s of %s", encoding, Arrays.toString(values)).isEqualTo(values);
      }
    }
    assertThat(LongPageCodec.choose(cases[5], 500)).isEqualTo(Encoding.FRAME_OF_REFERENCE);
    assertThat(LongPageCodec.choose(cases[6], 500)).isEqualTo(Encoding.DELTA);
    assertThat(LongPageCodec.choose(cases[4], 500)).isEqualTo(Encoding.PLAIN);
  }

  @Test
  void int128LowHalvesDecodeAloneOnlyWhenEveryValueFits() {
    Random random = new Random(SEED);
    long[] low = random.longs(300).toArray();
    long[] high = new long[low.length];
    for (int i = 0; i < low.length; i++) {
      high[i] = low[i] >> 63;
    }
    LittleEndianOutput output = new LittleEndianOutput(16);
    Int128PageCodec.encode(low, high, low.length, output);
    long[] decoded = new long[low.length];
    LittleEndianInput input = new LittleEndianInput(output.toByteArray());
    assertThat(Int128PageCodec.decodeIfFitsInLow(Encoding.PLAIN, input, low.length, decoded))
        .isTrue();
    input.expectEnd("values");
    assertThat(decoded).as("seed %d", SEED).isEqualTo(low);

    // One value past 64 bits (a positive value whose low half looks negative): nothing consumed,
    // and the full decode gives both halves.
    high[123] = 0;
    low[123] = Long.MIN_VALUE;
    output = new LittleEndianOutput(16);
    Int128PageCodec.encode(low, high, low.length, output);
    input = new LittleEndianInput(output.toByteArray());
    assertThat(Int128PageCodec.decodeIfFitsInLow(Encoding.PLAIN, input, low.length, decoded))
        .isFalse();
    long[] decodedHigh = new long[low.length];
    Int128PageCodec.decode(Encoding.PLAIN, input, low.length, decoded, decodedHigh);
    input.expectEnd("values");
    assertThat(decoded).isEqualTo(low);
    assertThat(decodedHigh).isEqualTo(high);
  }

  @Test
  void encodingTheChosenWayWritesWhatChoosingThenEncodingWrites() {
    Random random = new Random(SEED);
    for (int page = 0; page < 200; page++) {
      int count = random.nextInt(3000);
      // From all-equal pages to all-distinct ones: either encoding gets chosen.
      int distinct = 1 + random.nextInt(1 + random.nextInt(count + 1));
      byte[][] values = new byte[count][];
      int total = 0;
      for (int i = 0; i < count; i++) {
        values[i] = ("v" + random.nextInt(distinct) + "x".repeat(random.nextInt(20))).getBytes();
        total += values[i].length;
      }
      byte[] bytes = new byte[total];
      int[] offsets = new int[count + 1];
      for (int i = 0; i < count; i++) {
        System.arraycopy(values[i], 0, bytes, offsets[i], values[i].length);
        offsets[i + 1] = offsets[i] + values[i].length;
      }
      LittleEndianOutput expected = new LittleEndianOutput(16);
      Encoding chosen = BytesPageCodec.choose(bytes, offsets, count);
      BytesPageCodec.encode(chosen, bytes, offsets, count, expected);
      LittleEndianOutput actual = new LittleEndianOutput(16);
      assertThat(BytesPageCodec.encodeChosenWithExtremes(bytes, offsets, count, actual).encoding())
          .as("page %d (seed %d)", page, SEED)
          .isEqualTo(chosen);
      assertThat(actual.toByteArray()).isEqualTo(expected.toByteArray());
    }
  }

  @Test
  void dictionaryRoundTripsAndRejectsBadCodes() {
    String[] words = {"red", "", "green", "红色", "red", "", "blue", "red"};
    byte[] bytes = String.join("", words).getBytes(StandardCharsets.UTF_8);
    int[] offsets = new int[words.length + 1];
    for (int i = 0; i < words.length; i++) {
      offsets[i + 1] = offsets[i] + words[i].getBytes(StandardCharsets.UTF_8).length;
    }
    for (Encoding encoding : new Encoding[] {Encoding.PLAIN, Encoding.DICTIONARY}) {
      LittleEndianOutput output = new LittleEndianOutput(16);
      BytesPageCodec.encode(encoding, bytes, offsets, words.length, output);
      BytesPageCodec.Values decoded =
          BytesPageCodec.decode(
              encoding, new LittleEndianInput(output.toByteArray()), words.length);
      assertThat(decoded.offsets()).isEqualTo(offsets);
      assertThat(decoded.bytes()).isEqualTo(bytes);
    }
    // A dictionary of one entry and a code of 3 (width 2): out of range.
    LittleEndianOutput forged = new LittleEndianOutput(16);
    forged.writeInt(1);
    forged.writeInt(1);
    forged.writeByte('x');
    forged.writeByte(2);
    forged.writeByte(0b11);
    assertThatThrownBy(
            () ->
                BytesPageCodec.decode(
                    Encoding.DICTIONARY, new LittleEndianInput(forged.toByteArray()), 1))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining("dictionary code 3");
    LittleEndianOutput hugeLength = new LittleEndianOutput(16);
    hugeLength.writeInt(Integer.MAX_VALUE);
    assertThatThrownBy(
            () ->
                BytesPageCodec.decode(
                    Encoding.PLAIN, new LittleEndianInput(hugeLength.toByteArray()), 1))
        .isInstanceOf(FormatException.class);
  }

  @Test
  void compressionRoundTripsAndRejectsGarbage() {
    byte[] data =
        "abcabcabcabcabcabcabcabcabcabcabcabcabcabc"
            .repeat(100)
            .getBytes(StandardCharsets.US_ASCII);
    for (Compression compression : new Compression[] {Compression.LZ4, Compression.ZSTD}) {
      byte[] compressed = compression.compress(data, 0, data.length);
      assertThat(compressed.length).isLessThan(data.length);
      assertThat(compression.decompress(compressed, 0, compressed.length, data.length))
          .isEqualTo(data);
      byte[] garbage = compressed.clone();
      Arrays.fill(garbage, 0, Math.min(8, garbage.length), (byte) 0x7F);
      assertThatThrownBy(() -> compression.decompress(garbage, 0, garbage.length, data.length))
          .isInstanceOf(FormatException.class);
      assertThatThrownBy(
              () -> compression.decompress(compressed, 0, compressed.length, data.length + 1))
          .isInstanceOf(FormatException.class);
    }
    assertThat(Compression.LZ4.compress(new byte[] {1, 2, 3}, 0, 3)).as("incompressible").isNull();
    assertThat(Compression.fromId(2)).isEqualTo(Compression.ZSTD);
    assertThatThrownBy(() -> Compression.fromId(9)).isInstanceOf(FormatException.class);
  }

  @Test
  void bitPackingOfIntsAndOfDifferencesWritesWhatPackingLongsWrites() {
    Random random = new Random(SEED);
    for (int width = 0; width <= 32; width++) {
      for (int count : new int[] {0, 1, 7, 63, 64, 65, 1000}) {
        int[] ints = new int[count];
        long[] longs = new long[count];
        long[] shifted = new long[count];
        long reference = random.nextLong();
        for (int i = 0; i < count; i++) {
          longs[i] = width == 0 ? 0 : random.nextLong() >>> (64 - width);
          ints[i] = (int) longs[i];
          shifted[i] = longs[i] + reference;
        }
        LittleEndianOutput expected = new LittleEndianOutput(16);
        BitPacking.pack(longs, 0, count, width, expected);
        LittleEndianOutput fromInts = new LittleEndianOutput(16);
        BitPacking.pack(ints, count, width, fromInts);
        LittleEndianOutput fromDifferences = new LittleEndianOutput(16);
        BitPacking.pack(shifted, 0, count, width, reference, fromDifferences);
        assertThat(fromInts.toByteArray())
            .as("width %d count %d seed %d", width, count, SEED)
            .isEqualTo(expected.toByteArray());
        assertThat(fromDifferences.toByteArray())
            .as("width %d count %d seed %d", width, count, SEED)
            .isEqualTo(expected.toByteArray());
      }
    }
  }

  @Test
  void longEncodingTheChosenWayWritesWhatChoosingThenEncodingWrites() {
    Random random = new Random(SEED);
    for (int page = 0; page < 300; page++) {
      int count = random.nextInt(3) == 0 ? random.nextInt(3) : random.nextInt(2000);
      long[] values = new long[count];
      long base = random.nextLong();
      int shape = random.nextInt(4);
      for (int i = 0; i < count; i++) {
        values[i] =
            switch (shape) {
              case 0 -> random.nextLong();
              case 1 -> base + random.nextInt(1000);
              case 2 -> base + 3L * i + random.nextInt(2);
              default -> random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;
            };
      }
      long min = Arrays.stream(values).min().orElse(0);
      long max = Arrays.stream(values).max().orElse(0);
      LittleEndianOutput expected = new LittleEndianOutput(16);
      Encoding chosen = LongPageCodec.choose(values, count);
      LongPageCodec.encode(chosen, values, count, expected);
      LittleEndianOutput actual = new LittleEndianOutput(16);
      assertThat(LongPageCodec.encodeChosen(values, count, min, max, actual))
          .as("page %d (seed %d)", page, SEED)
          .isEqualTo(chosen);
      assertThat(actual.toByteArray())
          .as("page %d (seed %d)", page, SEED)
          .isEqualTo(expected.toByteArray());
    }
  }

  /** Strings that share prefixes of 0 to 12 bytes, are empty, multibyte, or end in NUL bytes. */
  private static byte[] randomString(Random random) {
    String[] stems = {"", "a", "abc", "abcdefgh", "abcdefghijk", "红色", "\u00ff", "zz"};
    StringBuilder text = new StringBuilder(stems[random.nextInt(stems.length)]);
    int extra = random.nextInt(4) == 0 ? 0 : random.nextInt(12);
    for (int i = 0; i < extra; i++) {
      int kind = random.nextInt(6);
      text.append(
          switch (kind) {
            case 0 -> '\0';
            case 1 -> (char) (0x80 + random.nextInt(0x700));
            case 2 -> (char) (0x4E00 + random.nextInt(100));
            default -> (char) ('a' + random.nextInt(4));
          });
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void extremesAreTheUnsignedMinimumAndMaximumOfTheSelectedValues() {
    Random random = new Random(SEED);
    for (int page = 0; page < 500; page++) {
      int count = 1 + random.nextInt(random.nextBoolean() ? 5 : 400);
      // Few distinct values on some pages, so that the dictionary path is taken too.
      int distinct = 1 + random.nextInt(count);
      byte[][] pool = new byte[distinct][];
      for (int i = 0; i < distinct; i++) {
        pool[i] = randomString(random);
      }
      byte[][] values = new byte[count][];
      int total = 0;
      for (int i = 0; i < count; i++) {
        values[i] = pool[random.nextInt(distinct)];
        total += values[i].length;
      }
      byte[] bytes = new byte[total];
      int[] offsets = new int[count + 1];
      for (int i = 0; i < count; i++) {
        System.arraycopy(values[i], 0, bytes, offsets[i], values[i].length);
        offsets[i + 1] = offsets[i] + values[i].length;
      }
      int[] select = random.ints(1 + random.nextInt(count), 0, count).toArray();
      long extremes = BytesPageCodec.extremes(bytes, offsets, select, select.length);
      byte[][] selected = Arrays.stream(select).mapToObj(i -> values[i]).toArray(byte[][]::new);
      assertExtremes(selected, values[(int) (extremes >> 32)], values[(int) extremes], page);

      BytesPageCodec.Chosen chosen =
          BytesPageCodec.encodeChosenWithExtremes(
              bytes, offsets, count, new LittleEndianOutput(16));
      assertThat(chosen.encoding()).isEqualTo(BytesPageCodec.choose(bytes, offsets, count));
      assertExtremes(values, values[chosen.minIndex()], values[chosen.maxIndex()], page);
    }
    assertThat(BytesPageCodec.extremes(new byte[0], new int[] {0}, null, 0)).isEqualTo(-1L);
  }

  private static void assertExtremes(byte[][] values, byte[] min, byte[] max, int page) {
    byte[] expectedMin = Arrays.stream(values).min(Arrays::compareUnsigned).orElseThrow();
    byte[] expectedMax = Arrays.stream(values).max(Arrays::compareUnsigned).orElseThrow();
    assertThat(min).as("min of page %d (seed %d)", page, SEED).isEqualTo(expectedMin);
    assertThat(max).as("max of page %d (seed %d)", page, SEED).isEqualTo(expectedMax);
  }

  @Test
  void aPageWhoseFirstEighthIsAllDistinctIsPlainAndOneWithRepeatsIsADictionary() {
    int count = 4000;
    Random random = new Random(SEED);
    byte[][] distinct = new byte[count][];
    byte[][] repeated = new byte[count][];
    for (int i = 0; i < count; i++) {
      distinct[i] = ("comment number " + i).getBytes(StandardCharsets.UTF_8);
      // Drawn from 1,000 clerks: about 80 % of the first eighth (500 values) is distinct.
      repeated[i] = ("clerk#" + random.nextInt(1000)).getBytes(StandardCharsets.UTF_8);
    }
    assertThat(choose(distinct)).isEqualTo(Encoding.PLAIN);
    assertThat(choose(repeated)).isEqualTo(Encoding.DICTIONARY);
  }

  private static Encoding choose(byte[][] values) {
    int total = Arrays.stream(values).mapToInt(v -> v.length).sum();
    byte[] bytes = new byte[total];
    int[] offsets = new int[values.length + 1];
    for (int i = 0; i < values.length; i++) {
      System.arraycopy(values[i], 0, bytes, offsets[i], values[i].length);
      offsets[i + 1] = offsets[i] + values[i].length;
    }
    return BytesPageCodec.choose(bytes, offsets, values.length);
  }

  @Test
  void int128ValuesThatFitIn64BitsGetAFrameOfReferenceAndOthersStayPlain() {
    Random random = new Random(SEED);
    long[][] cases = {
      {5},
      {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1},
      random.longs(500, -3, 3).toArray(),
      random.longs(700).toArray(),
      random.longs(300, 90_000, 10_000_000).toArray(),
    };
    for (long[] low : cases) {
      long[] high = new long[low.length];
      for (int i = 0; i < low.length; i++) {
        high[i] = low[i] >> 63;
      }
      LittleEndianOutput output = new LittleEndianOutput(16);
      BigInteger[] bounds = Int128PageCodec.bounds(low, high, low.length);
      assertThat(bounds)
          .containsExactly(
              BigInteger.valueOf(Arrays.stream(low).min().orElseThrow()),
              BigInteger.valueOf(Arrays.stream(low).max().orElseThrow()));
      Encoding encoding =
          Int128PageCodec.encode(
              Encoding.FRAME_OF_REFERENCE, low, high, low.length, bounds[0], bounds[1], output);
      assertThat(encoding).isEqualTo(Encoding.FRAME_OF_REFERENCE);
      long[] decodedLow = new long[low.length];
      long[] decodedHigh = new long[low.length];
      LittleEndianInput input = new LittleEndianInput(output.toByteArray());
      Int128PageCodec.decode(encoding, input, low.length, decodedLow, decodedHigh);
      input.expectEnd("values");
      assertThat(decodedLow).as("seed %d", SEED).isEqualTo(low);
      assertThat(decodedHigh).isEqualTo(high);
      long[] lowOnly = new long[low.length];
      input = new LittleEndianInput(output.toByteArray());
      assertThat(Int128PageCodec.decodeIfFitsInLow(encoding, input, low.length, lowOnly)).isTrue();
      input.expectEnd("values");
      assertThat(lowOnly).isEqualTo(low);
    }
    // One value past 64 bits: plain, both halves kept.
    long[] low = {1, -1, 7};
    long[] high = {0, 0, 0};
    LittleEndianOutput output = new LittleEndianOutput(16);
    BigInteger[] bounds = Int128PageCodec.bounds(low, high, 3);
    assertThat(bounds)
        .containsExactly(BigInteger.ONE, BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));
    assertThat(
            Int128PageCodec.encode(
                Encoding.FRAME_OF_REFERENCE, low, high, 3, bounds[0], bounds[1], output))
        .isEqualTo(Encoding.PLAIN);
    assertThat(output.size()).isEqualTo(48);
    long[] decodedLow = new long[3];
    long[] decodedHigh = new long[3];
    Int128PageCodec.decode(
        Encoding.PLAIN, new LittleEndianInput(output.toByteArray()), 3, decodedLow, decodedHigh);
    assertThat(decodedLow).isEqualTo(low);
    assertThat(decodedHigh).isEqualTo(high);
    assertThat(Encoding.FRAME_OF_REFERENCE.supports(StorageType.INT128)).isTrue();
    assertThat(Encoding.DELTA.supports(StorageType.INT128)).isFalse();
  }

  @Test
  void dictionariesOfShortValuesTellApartEveryByteAndLength() {
    // Values of 0 to 9 bytes from {0, 1, 0xFF}: many share a prefix, differ in one byte or only in
    // length (a trailing 0 byte), which is where a value under 8 bytes is compared by its hash.
    Random random = new Random(SEED);
    byte[] alphabet = {0, 1, (byte) 0xFF};
    for (int page = 0; page < 100; page++) {
      int count = 1 + random.nextInt(2000);
      byte[][] values = new byte[count][];
      int total = 0;
      for (int i = 0; i < count; i++) {
        values[i] = new byte[random.nextInt(10)];
        for (int k = 0; k < values[i].length; k++) {
          values[i][k] = alphabet[random.nextInt(alphabet.length)];
        }
        total += values[i].length;
      }
      byte[] bytes = new byte[total];
      int[] offsets = new int[count + 1];
      for (int i = 0; i < count; i++) {
        System.arraycopy(values[i], 0, bytes, offsets[i], values[i].length);
        offsets[i + 1] = offsets[i] + values[i].length;
      }
      LittleEndianOutput output = new LittleEndianOutput(16);
      BytesPageCodec.encode(Encoding.DICTIONARY, bytes, offsets, count, output);
      BytesPageCodec.Values decoded =
          BytesPageCodec.decode(
              Encoding.DICTIONARY, new LittleEndianInput(output.toByteArray()), count);
      assertThat(decoded.offsets()).as("page %d (seed %d)", page, SEED).isEqualTo(offsets);
      assertThat(decoded.bytes()).as("page %d (seed %d)", page, SEED).isEqualTo(bytes);
      long distinct =
          Arrays.stream(values).map(v -> java.util.HexFormat.of().formatHex(v)).distinct().count();
      assertThat(decoded.dictionary().offsets()).hasSize((int) distinct + 1);
    }
  }
}
