package dev.basalt.exec.hash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.LargeIntVector;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Equal DECIMAL values give equal key bytes whatever their vector layout (scaled long, 128-bit
 * halves) and declared precision, and unequal ones differ; LARGEINT keys likewise. Seeded.
 */
class KeySerializerInt128Test {
  private static final long SEED = 1407L;

  private static byte[] key(ColumnVector vector, int row) {
    KeySerializer serializer = new KeySerializer();
    int length = serializer.serialize(List.of(vector), row);
    return Arrays.copyOf(serializer.buffer(), length);
  }

  @Test
  void equalValuesGiveEqualBytesAcrossLayouts() {
    Random random = new Random(SEED);
    for (int i = 0; i < 2000; i++) {
      long unscaled = random.nextLong() >> random.nextInt(64);
      BigDecimal value = BigDecimal.valueOf(unscaled, 2);
      DecimalVector scaledLong =
          new DecimalVector(DataType.decimal(18, 2), new long[] {unscaled}, null, 1);
      DecimalVector wide =
          new DecimalVector(
              DataType.decimal(38, 2), new long[] {unscaled >> 63}, new long[] {unscaled}, null, 1);
      assertThat(scaledLong.isScaledLong()).isTrue();
      assertThat(wide.isInt128()).isTrue();
      assertThat(key(wide, 0)).as("seed %d: %s", SEED, value).isEqualTo(key(scaledLong, 0));

      BigInteger big = new BigInteger(1 + random.nextInt(126), random);
      big = random.nextBoolean() ? big.negate() : big;
      LargeIntVector once = new LargeIntVector(DataType.LARGEINT, new BigInteger[] {big}, 1);
      LargeIntVector again = new LargeIntVector(DataType.LARGEINT, new BigInteger[] {big}, 1);
      LargeIntVector next =
          new LargeIntVector(DataType.LARGEINT, new BigInteger[] {big.add(BigInteger.ONE)}, 1);
      assertThat(key(once, 0)).as("seed %d: %s", SEED, big).isEqualTo(key(again, 0));
      assertThat(key(once, 0)).as("seed %d: %s", SEED, big).isNotEqualTo(key(next, 0));
    }
  }
}
