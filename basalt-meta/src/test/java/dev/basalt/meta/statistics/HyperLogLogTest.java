package dev.basalt.meta.statistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HyperLogLogTest {

  @Test
  void emptySketchEstimatesZero() {
    assertThat(new HyperLogLog().estimate()).isZero();
  }

  @Test
  void smallCardinalitiesAreNearlyExact() {
    HyperLogLog sketch = new HyperLogLog();
    for (int repeat = 0; repeat < 3; repeat++) {
      for (long value = 0; value < 100; value++) {
        sketch.addHash(HyperLogLog.mix(value));
      }
    }
    assertThat(sketch.estimate()).isBetween(99L, 101L);
  }

  @Test
  void largeCardinalitiesAreWithinTwoPercent() {
    for (long distinct : new long[] {10_000, 100_000, 1_000_000}) {
      HyperLogLog sketch = new HyperLogLog();
      SplittableRandom random = new SplittableRandom(42);
      for (long i = 0; i < distinct; i++) {
        long value = random.nextLong();
        sketch.addHash(HyperLogLog.mix(value));
        if (i % 3 == 0) {
          sketch.addHash(HyperLogLog.mix(value)); // duplicates do not count
        }
      }
      assertThat((double) sketch.estimate())
          .as("seed 42, %d distinct", distinct)
          .isCloseTo(distinct, within(distinct * 0.02));
    }
  }

  @Test
  void sequentialKeysAndStringsSpreadOverTheRegisters() {
    HyperLogLog keys = new HyperLogLog();
    HyperLogLog strings = new HyperLogLog();
    for (long key = 1; key <= 200_000; key++) {
      keys.addHash(HyperLogLog.mix(key));
      byte[] text = ("Customer#" + key).getBytes(StandardCharsets.UTF_8);
      strings.addHash(HyperLogLog.hashBytes(text, 0, text.length));
    }
    assertThat((double) keys.estimate()).isCloseTo(200_000, within(4_000.0));
    assertThat((double) strings.estimate()).isCloseTo(200_000, within(4_000.0));
  }

  @Test
  void mergeEstimatesTheUnion() {
    HyperLogLog left = new HyperLogLog();
    HyperLogLog right = new HyperLogLog();
    for (long value = 0; value < 60_000; value++) {
      left.addHash(HyperLogLog.mix(value));
      right.addHash(HyperLogLog.mix(value + 30_000));
    }
    left.merge(right);
    assertThat((double) left.estimate()).isCloseTo(90_000, within(1_800.0));
  }

  @Test
  void byteHashesDependOnEveryByteAndTheRange() {
    byte[] bytes = "abcdefghijklmnop".getBytes(StandardCharsets.UTF_8);
    long whole = HyperLogLog.hashBytes(bytes, 0, 16);
    assertThat(HyperLogLog.hashBytes(bytes, 0, 15)).isNotEqualTo(whole);
    assertThat(HyperLogLog.hashBytes(bytes, 1, 15))
        .isNotEqualTo(HyperLogLog.hashBytes(bytes, 0, 15));
    byte[] copy = "xxabcdefghijklmnop".getBytes(StandardCharsets.UTF_8);
    assertThat(HyperLogLog.hashBytes(copy, 2, 16)).isEqualTo(whole);
  }
}
