package dev.basalt.exec.function.cast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.Int128;
import dev.basalt.common.vector.LargeIntVector;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The casts of unboxed DECIMALs to a smaller scale and to LARGEINT (truncating), of DECIMALs and
 * LARGEINTs to DOUBLE and of DOUBLEs to LARGEINT, on the halves, against the boxed conversion of
 * each value ({@link Casts#convert}): seeded random values of every digit count, in the scaled-long
 * and the 128-bit layouts, with NULL rows and values that round to beyond the target's precision
 * (NULL by the boxed rule).
 */
class Int128CastsTest {
  private static final long SEED = 12_801L;

  @Test
  void roundingToASmallerScaleAndToDoubleMatchTheBoxedConversion() {
    Random random = new Random(SEED);
    int[][] sources = {{38, 2}, {38, 10}, {38, 38}, {20, 6}, {18, 4}, {38, 20}, {30, 30}};
    for (int[] source : sources) {
      DataType from = DataType.decimal(source[0], source[1]);
      for (int round = 0; round < 20; round++) {
        int rows = 64;
        long[] highs = new long[rows];
        long[] lows = new long[rows];
        boolean[] nulls = new boolean[rows];
        boolean allFitLong = true;
        BigDecimal[] values = new BigDecimal[rows];
        for (int i = 0; i < rows; i++) {
          if (i % 9 == 4) {
            nulls[i] = true;
            continue;
          }
          int digits = 1 + random.nextInt(from.precision());
          BigInteger unscaled =
              new BigInteger(BigInteger.TEN.pow(digits).bitLength() + 8, random)
                  .mod(BigInteger.TEN.pow(digits));
          if (random.nextInt(4) == 0) {
            // A tie at some smaller scale: ...5 followed by zeros.
            int zeros = random.nextInt(Math.max(1, Math.min(digits, from.scale())));
            unscaled =
                unscaled
                    .divide(BigInteger.TEN.pow(zeros + 1))
                    .multiply(BigInteger.TEN)
                    .add(BigInteger.valueOf(5))
                    .multiply(BigInteger.TEN.pow(zeros));
            if (unscaled.compareTo(BigInteger.TEN.pow(from.precision())) >= 0) {
              unscaled = BigInteger.valueOf(5);
            }
          }
          if (random.nextBoolean()) {
            unscaled = unscaled.negate();
          }
          values[i] = new BigDecimal(unscaled, from.scale());
          highs[i] = Int128.high(unscaled);
          lows[i] = Int128.low(unscaled);
          allFitLong &= unscaled.bitLength() < 64;
        }
        for (boolean wide : new boolean[] {false, true}) {
          DecimalVector vector =
              wide || !allFitLong
                  ? new DecimalVector(from, highs.clone(), lows.clone(), nulls.clone(), rows)
                  : new DecimalVector(from, lows.clone(), nulls.clone(), rows);
          int scale = random.nextInt(from.scale() + 1);
          int precision = Math.max(1, Math.min(38, from.precision() - random.nextInt(12)));
          DataType to = DataType.decimal(Math.max(precision, scale), scale);
          check(vector, values, from, to, wide);
          check(vector, values, from, DataType.DOUBLE, wide);
          check(vector, values, from, DataType.LARGEINT, wide);
          assertInstanceOf(
              LargeIntVector.class, Casts.convertVector(vector, from, DataType.LARGEINT));
        }
      }
    }
  }

  @Test
  void largeIntToDoubleMatchesTheBoxedConversion() {
    Random random = new Random(SEED + 1);
    int rows = 500;
    long[] highs = new long[rows];
    long[] lows = new long[rows];
    BigInteger[] values = new BigInteger[rows];
    for (int i = 0; i < rows; i++) {
      BigInteger value = new BigInteger(1 + random.nextInt(127), random);
      values[i] = random.nextBoolean() ? value.negate() : value;
      highs[i] = Int128.high(values[i]);
      lows[i] = Int128.low(values[i]);
    }
    ColumnVector doubles =
        Casts.convertVector(
            new LargeIntVector(DataType.LARGEINT, highs, lows, null, rows),
            DataType.LARGEINT,
            DataType.DOUBLE);
    for (int i = 0; i < rows; i++) {
      assertEquals(
          Casts.convert(values[i], DataType.LARGEINT, DataType.DOUBLE),
          doubles.getObject(i),
          "seed " + (SEED + 1) + ": " + values[i]);
    }
  }

  @Test
  void doubleToLargeIntTruncatesAsTheBoxedConversion() {
    Random random = new Random(SEED + 2);
    int rows = 500;
    double[] values = new double[rows];
    boolean[] nulls = new boolean[rows];
    double[] fixed = {
      2.7, -2.7, 2.5, -2.5, 0.5, -0.5, 0.49, -0.99, 0.0, -0.0, 0x1p52 + 0.5, -0x1p52 - 0.5
    };
    for (int i = 0; i < rows; i++) {
      nulls[i] = i % 11 == 3;
      values[i] =
          i < fixed.length
              ? fixed[i]
              : (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(16));
    }
    ColumnVector integers =
        Casts.convertVector(
            new DoubleVector(DataType.DOUBLE, values, nulls, rows),
            DataType.DOUBLE,
            DataType.LARGEINT);
    assertInstanceOf(LargeIntVector.class, integers);
    for (int i = 0; i < rows; i++) {
      Object expected =
          nulls[i] ? null : Casts.convert(values[i], DataType.DOUBLE, DataType.LARGEINT);
      assertEquals(expected, integers.getObject(i), "seed " + (SEED + 2) + ": " + values[i]);
    }
    assertEquals(BigInteger.TWO, integers.getObject(0));
    assertEquals(BigInteger.valueOf(-2), integers.getObject(1));
    // From 2^53 on the vector converts row by row, as the boxed conversion does.
    ColumnVector large =
        Casts.convertVector(
            new DoubleVector(DataType.DOUBLE, new double[] {1e20, -2.5, 0x1p62}, null, 3),
            DataType.DOUBLE,
            DataType.LARGEINT);
    assertEquals(new BigInteger("100000000000000000000"), large.getObject(0));
    assertEquals(BigInteger.valueOf(-2), large.getObject(1));
    assertEquals(new BigInteger("4611686018427388000"), large.getObject(2));
  }

  private static void check(
      DecimalVector vector, BigDecimal[] values, DataType from, DataType to, boolean wide) {
    ColumnVector converted = Casts.convertVector(vector, from, to);
    for (int i = 0; i < values.length; i++) {
      Object expected = values[i] == null ? null : Casts.convert(values[i], from, to);
      assertEquals(
          expected,
          converted.getObject(i),
          "seed "
              + SEED
              + ": "
              + values[i]
              + " "
              + from
              + " -> "
              + to
              + (wide ? " (128-bit)" : ""));
    }
  }
}
