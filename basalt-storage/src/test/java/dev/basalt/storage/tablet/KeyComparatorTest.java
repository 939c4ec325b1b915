package dev.basalt.storage.tablet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.storage.index.PrimaryKeyEncoder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The merge's key order ({@link KeyComparator}, on vectors) is the order of the encoded keys
 * ({@code PrimaryKeyEncoder}, unsigned bytes, docs/format.md §11) that primary-key indexes and
 * segment sort order rely on: for every key type, with NULLs, negative values, values around the
 * 64-bit boundary of DECIMAL and LARGEINT halves (compared across the scaled-long and the 128-bit
 * decimal layouts), strings holding 0x00 and bytes above 0x7F, dates before 1970, and keys of two
 * columns.
 */
class KeyComparatorTest {
  private static final long SEED = 20261207L;
  private static final int ROWS = 160;

  private record KeyType(DataType type, Function<Random, Object> values) {}

  private static final List<KeyType> TYPES =
      List.of(
          new KeyType(DataType.TINYINT, random -> (long) (random.nextInt(256) - 128)),
          new KeyType(DataType.INT, random -> (long) pick(random, Integer.MIN_VALUE, -1, 0, 1)),
          new KeyType(
              DataType.BIGINT,
              random ->
                  random.nextBoolean()
                      ? random.nextLong()
                      : pick(random, Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, 1, 255, 256)),
          new KeyType(
              DataType.DATE, random -> LocalDate.ofEpochDay(random.nextInt(3_652_059) - 719_528)),
          new KeyType(
              DataType.datetime(6),
              random ->
                  LocalDateTime.of(1900 + random.nextInt(200), 1, 1, 0, 0)
                      .plusNanos(random.nextLong(1L << 50) * 1_000)),
          new KeyType(DataType.DOUBLE, KeyComparatorTest::randomDouble),
          new KeyType(
              DataType.decimal(10, 2),
              random -> BigDecimal.valueOf(random.nextLong(-9_999_999_999L, 9_999_999_999L), 2)),
          new KeyType(DataType.decimal(38, 4), random -> new BigDecimal(wideInteger(random), 4)),
          new KeyType(DataType.LARGEINT, KeyComparatorTest::wideInteger),
          new KeyType(DataType.varchar(8), KeyComparatorTest::randomBytes));

  @Test
  void eachKeyTypeOrdersAsItsEncodedBytes() {
    for (int t = 0; t < TYPES.size(); t++) {
      Random random = new Random(SEED + t);
      KeyType type = TYPES.get(t);
      ColumnVector left = vector(type, random, false);
      // The right side holds only small values: a decimal vector in the scaled-long layout
      // against one in the 128-bit layout.
      ColumnVector right = vector(type, random, true);
      String context = "seed " + SEED + ", type " + type.type();
      assertAgree(new ColumnVector[] {left}, new ColumnVector[] {left}, context);
      assertAgree(new ColumnVector[] {left}, new ColumnVector[] {right}, context);
    }
    DecimalVector wide = (DecimalVector) vector(TYPES.get(7), new Random(SEED), false);
    DecimalVector narrow = (DecimalVector) vector(TYPES.get(7), new Random(SEED), true);
    assertThat(wide.isInt128()).isTrue();
    assertThat(narrow.isScaledLong()).isTrue();
  }

  @Test
  void twoColumnKeysOrderAsTheirEncodedBytes() {
    for (int round = 0; round < TYPES.size(); round++) {
      Random random = new Random(SEED * 5 + round);
      KeyType first = TYPES.get(round);
      KeyType second = TYPES.get(random.nextInt(TYPES.size()));
      // Few distinct first values, so that the second column decides often.
      ColumnVector[] keys = {vector(first, random, true, 3), vector(second, random, false)};
      assertAgree(keys, keys, "seed " + SEED + ", types " + first.type() + ", " + second.type());
    }
  }

  private static void assertAgree(ColumnVector[] left, ColumnVector[] right, String context) {
    PrimaryKeyEncoder encoder = new PrimaryKeyEncoder();
    for (int l = 0; l < ROWS; l++) {
      byte[] leftKey = encoder.encode(left, l);
      for (int r = 0; r < ROWS; r++) {
        byte[] rightKey = encoder.encode(right, r);
        int expected = Integer.signum(Arrays.compareUnsigned(leftKey, rightKey));
        int actual = Integer.signum(KeyComparator.compare(left, l, right, r));
        assertThat(actual)
            .as("%s: %s vs %s", context, describe(left, l), describe(right, r))
            .isEqualTo(expected);
      }
    }
  }

  private static String describe(ColumnVector[] key, int row) {
    List<Object> values = new ArrayList<>();
    for (ColumnVector column : key) {
      Object value = column.getObject(row);
      values.add(value instanceof byte[] bytes ? Arrays.toString(bytes) : value);
    }
    return values.toString();
  }

  private static ColumnVector vector(KeyType type, Random random, boolean small) {
    return vector(type, random, small, ROWS);
  }

  /** {@link #ROWS} values, a tenth NULL, drawn from {@code distinct} values at most. */
  private static ColumnVector vector(KeyType type, Random random, boolean small, int distinct) {
    List<Object> pool = new ArrayList<>();
    while (pool.size() < distinct) {
      Object value = type.values().apply(random);
      if (small) {
        value = shrink(value);
      }
      pool.add(value);
    }
    ColumnVectorBuilder builder = new ColumnVectorBuilder(type.type(), ROWS);
    for (int i = 0; i < ROWS; i++) {
      Object value = random.nextInt(10) == 0 ? null : pool.get(random.nextInt(pool.size()));
      if (value instanceof byte[] bytes) {
        builder.appendBytes(bytes, 0, bytes.length);
      } else {
        builder.appendObject(value);
      }
    }
    return builder.build();
  }

  /** A value that fits a long's range as an unscaled integer (decimals, LARGEINTs). */
  private static Object shrink(Object value) {
    return switch (value) {
      case BigDecimal decimal ->
          new BigDecimal(
              BigInteger.valueOf(decimal.unscaledValue().longValue() >> 2), decimal.scale());
      case BigInteger integer -> BigInteger.valueOf(integer.longValue() >> 2);
      default -> value;
    };
  }

  private static long pick(Random random, long... values) {
    return random.nextInt(3) == 0 ? random.nextInt() : values[random.nextInt(values.length)];
  }

  /** Integers of up to 128 bits, many next to the 64-bit boundary and at the extremes. */
  private static BigInteger wideInteger(Random random) {
    BigInteger value =
        switch (random.nextInt(4)) {
          case 0 -> BigInteger.valueOf(random.nextLong());
          case 1 ->
              BigInteger.ONE
                  .shiftLeft(63 + random.nextInt(2))
                  .add(BigInteger.valueOf(random.nextInt(5) - 2));
          case 2 -> new BigInteger(126, random);
          default ->
              random.nextBoolean()
                  ? BigInteger.ONE.shiftLeft(126).subtract(BigInteger.ONE)
                  : BigInteger.ZERO;
        };
    return random.nextBoolean() ? value.negate() : value;
  }

  private static Object randomDouble(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> random.nextGaussian() * 1e6;
      case 1 -> (double) (random.nextInt(7) - 3);
      case 2 -> -0.0;
      default ->
          new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN, 0.0}
              [random.nextInt(4)];
    };
  }

  private static byte[] randomBytes(Random random) {
    byte[] alphabet = {0x00, 0x01, 'a', 'b', 0x7F, (byte) 0x80, (byte) 0xFF};
    byte[] value = new byte[random.nextInt(5)];
    for (int i = 0; i < value.length; i++) {
      value[i] = alphabet[random.nextInt(alphabet.length)];
    }
    return value;
  }
}
