package dev.basalt.exec.function.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.tdigest.TDigestDouble;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.longlong.Roaring64NavigableMap;

/** The serialized forms of docs/format.md ("Sketch values"): round trips and corrupt input. */
class SketchValuesTest {

  @Test
  void bitmapRoundTripKeepsUnsignedValuesInOrder() {
    long seed = 42;
    Random random = new Random(seed);
    Roaring64NavigableMap bitmap = BitmapValues.empty();
    TreeSet<String> expected = new TreeSet<>();
    for (int i = 0; i < 5000; i++) {
      long value = i % 3 == 0 ? random.nextLong() : random.nextInt(100_000);
      bitmap.addLong(value);
      expected.add(Long.toUnsignedString(value));
    }
    byte[] bytes = BitmapValues.serialize(bitmap);
    assertThat(bytes[0]).as("format byte, seed %d", seed).isEqualTo(BitmapValues.FORMAT);
    Roaring64NavigableMap read = BitmapValues.deserialize(bytes);
    assertThat(read.getLongCardinality()).isEqualTo(expected.size());
    assertThat(read).isEqualTo(bitmap);
    String text = BitmapValues.toText(read);
    assertThat(text.split(",")).hasSize(expected.size());
    // Unsigned order: the largest values (negative as signed longs) come last.
    assertThat(BitmapValues.toText(BitmapValues.parse("18446744073709551615,1,0")))
        .isEqualTo("0,1,18446744073709551615");
  }

  @Test
  void bitmapReadsFromTheMiddleOfAnArray() {
    byte[] one = BitmapValues.serialize(Roaring64NavigableMap.bitmapOf(7, 9));
    byte[] padded = new byte[one.length + 10];
    System.arraycopy(one, 0, padded, 5, one.length);
    assertThat(BitmapValues.toText(BitmapValues.deserialize(padded, 5, one.length)))
        .isEqualTo("7,9");
  }

  @Test
  void bitmapParseRefusesWhatIsNoUnsignedInteger() {
    assertThat(BitmapValues.parse("")).isNotNull().matches(Roaring64NavigableMap::isEmpty);
    assertThat(BitmapValues.parse("1,-2")).isNull();
    assertThat(BitmapValues.parse("18446744073709551616")).isNull();
    assertThat(BitmapValues.parse("1,,2")).isNull();
  }

  @Test
  void hllRoundTripKeepsTheEstimate() {
    HllSketch sketch = HllValues.empty();
    for (int i = 0; i < 100; i++) {
      sketch.update("value" + i);
    }
    byte[] bytes = HllValues.serialize(sketch);
    assertThat(bytes[0]).isEqualTo(HllValues.FORMAT);
    assertThat(HllValues.cardinality(HllValues.deserialize(bytes))).isEqualTo(100);
    assertThat(HllValues.cardinality(HllValues.deserialize(HllValues.serializedEmpty()))).isZero();
  }

  @Test
  void quantileStateRoundTripKeepsValuesAndCompression() {
    TDigestDouble digest = QuantileStates.empty(4096);
    for (int i = 1; i <= 100; i++) {
      digest.update(i);
    }
    TDigestDouble read = QuantileStates.deserialize(QuantileStates.serialize(digest));
    assertThat(read.getK()).isEqualTo((short) 4096);
    assertThat(QuantileStates.percent(read, 0)).isEqualTo(1.0);
    assertThat(QuantileStates.percent(read, 1)).isEqualTo(100.0);
    assertThat(QuantileStates.percent(QuantileStates.empty(2048), 0.5)).isNull();
  }

  @Test
  void unionsMergeSerializedSketches() {
    byte[] left = BitmapValues.serialize(Roaring64NavigableMap.bitmapOf(1, 2));
    byte[] right = BitmapValues.serialize(Roaring64NavigableMap.bitmapOf(2, 3));
    assertThat(
            BitmapValues.toText(
                BitmapValues.deserialize(SketchValues.union(TypeKind.BITMAP, left, right))))
        .isEqualTo("1,2,3");
    HllSketch a = HllValues.empty();
    a.update("x");
    HllSketch b = HllValues.empty();
    b.update("y");
    b.update("x");
    byte[] merged =
        SketchValues.union(TypeKind.HLL, HllValues.serialize(a), HllValues.serialize(b));
    assertThat(HllValues.cardinality(HllValues.deserialize(merged))).isEqualTo(2);
    assertThat(SketchValues.empty(DataType.QUANTILE_STATE)[0]).isEqualTo(QuantileStates.FORMAT);
  }

  @Test
  void corruptInputIsRefusedClearly() {
    byte[] bitmap = BitmapValues.serialize(Roaring64NavigableMap.bitmapOf(1, 2, 3));
    assertCorrupt(() -> BitmapValues.deserialize(new byte[0]), "BITMAP value", "empty value");
    assertCorrupt(
        () -> BitmapValues.deserialize(new byte[] {9, 0, 0}), "BITMAP value", "format byte 9");
    assertCorrupt(
        () -> BitmapValues.deserialize(Arrays.copyOf(bitmap, bitmap.length - 3)), "BITMAP value");
    assertCorrupt(
        () -> BitmapValues.deserialize(Arrays.copyOf(bitmap, bitmap.length + 2)),
        "BITMAP value",
        "bytes after the bitmap");
    byte[] hll = HllValues.serialize(HllValues.empty());
    assertCorrupt(() -> HllValues.deserialize(new byte[] {1}), "HLL value");
    byte[] badHll = hll.clone();
    badHll[2] = 99;
    assertCorrupt(() -> HllValues.deserialize(badHll), "HLL value");
    assertCorrupt(() -> QuantileStates.deserialize(new byte[] {1, 5, 5}), "QUANTILE_STATE value");
    assertCorrupt(() -> QuantileStates.deserialize(new byte[] {2, 0}), "QUANTILE_STATE value");
  }

  private static void assertCorrupt(Runnable read, String... messageParts) {
    assertThatThrownBy(read::run)
        .isInstanceOfSatisfying(
            BasaltException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_CORRUPTION))
        .hasMessageContainingAll(messageParts);
  }
}
