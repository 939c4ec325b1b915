package dev.basalt.storage.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
      assertThat(BytesPageCodec.encodeChosen(bytes, offsets, count, actual))
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
}
