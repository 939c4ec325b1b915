package dev.basalt.exec.function.cast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The casts between numbers on primitive arrays ({@link NumericVectorCasts}) against the boxed
 * conversion of each value ({@link Casts#convert}): seeded random DOUBLEs and FLOATs (fractions of
 * both signs, -0.0, NaN, the infinities, values at and beyond the bounds of every integer type and
 * of 2^63, random bit patterns, NULL) to every integer type below LARGEINT, FLOAT and BOOLEAN, and
 * integers to BOOLEAN.
 */
class NumericVectorCastsTest {
  private static final long SEED = 9_183L;

  @Test
  void doublesToIntegersFloatAndBooleanMatchTheBoxedConversion() {
    Random random = new Random(SEED);
    List<DataType> targets =
        List.of(
            DataType.TINYINT,
            DataType.SMALLINT,
            DataType.INT,
            DataType.BIGINT,
            DataType.FLOAT,
            DataType.BOOLEAN);
    for (DataType from : List.of(DataType.DOUBLE, DataType.FLOAT)) {
      for (int round = 0; round < 40; round++) {
        int rows = 300;
        ColumnVectorBuilder values = new ColumnVectorBuilder(from, rows);
        for (int i = 0; i < rows; i++) {
          if (random.nextInt(10) == 0) {
            values.appendNull();
          } else {
            double value = randomDouble(random);
            values.appendDouble(from.equals(DataType.FLOAT) ? (float) value : value);
          }
        }
        ColumnVector source = values.build();
        for (DataType to : targets) {
          ColumnVector converted = NumericVectorCasts.convert(source, from, to);
          assertThat(converted).as("%s to %s", from, to).isNotNull();
          assertMatchesBoxed(source, converted, from, to);
          assertThat(Casts.convertVector(source, from, to).getObject(0))
              .isEqualTo(converted.getObject(0));
        }
      }
    }
  }

  @Test
  void integersToBooleanMatchTheBoxedConversion() {
    Random random = new Random(SEED + 1);
    for (DataType from : List.of(DataType.TINYINT, DataType.INT, DataType.BIGINT)) {
      ColumnVectorBuilder values = new ColumnVectorBuilder(from, 500);
      for (int i = 0; i < 500; i++) {
        switch (random.nextInt(4)) {
          case 0 -> values.appendNull();
          case 1 -> values.appendLong(0);
          default -> values.appendLong(random.nextInt(255) - 127);
        }
      }
      ColumnVector source = values.build();
      ColumnVector converted = NumericVectorCasts.convert(source, from, DataType.BOOLEAN);
      assertThat(converted).isNotNull();
      assertMatchesBoxed(source, converted, from, DataType.BOOLEAN);
    }
  }

  @Test
  void otherPairsAreLeftToTheOtherConversions() {
    ColumnVector doubles = new ColumnVectorBuilder(DataType.DOUBLE, 1).appendDouble(1.5).build();
    assertThat(NumericVectorCasts.convert(doubles, DataType.DOUBLE, DataType.LARGEINT)).isNull();
    assertThat(NumericVectorCasts.convert(doubles, DataType.DOUBLE, DataType.decimal(9, 2)))
        .isNull();
    assertThat(NumericVectorCasts.convert(doubles, DataType.DOUBLE, DataType.DATE)).isNull();
  }

  private static void assertMatchesBoxed(
      ColumnVector source, ColumnVector converted, DataType from, DataType to) {
    assertThat(converted.size()).isEqualTo(source.size());
    for (int row = 0; row < source.size(); row++) {
      Object value = source.getObject(row);
      Object expected = value == null ? null : Casts.convert(value, from, to);
      Object expectedStored =
          new ColumnVectorBuilder(to, 1).appendObject(expected).build().getObject(0);
      assertThat(converted.getObject(row))
          .as("row %d: %s %s to %s", row, from, value, to)
          .isEqualTo(expectedStored);
    }
  }

  private static double randomDouble(Random random) {
    double sign = random.nextBoolean() ? 1 : -1;
    return switch (random.nextInt(9)) {
      case 0 -> random.nextDouble() * 300 * sign;
      case 1 -> (random.nextInt(70_000) + random.nextDouble()) * sign;
      case 2 -> (random.nextLong() >> random.nextInt(64)) + random.nextDouble();
      case 3 -> Double.longBitsToDouble(random.nextLong());
      case 4 ->
          switch (random.nextInt(6)) {
            case 0 -> -0.0;
            case 1 -> Double.NaN;
            case 2 -> Double.POSITIVE_INFINITY;
            case 3 -> Double.NEGATIVE_INFINITY;
            case 4 -> 0x1p63 * sign;
            default -> Math.nextDown(0x1p63) * sign;
          };
      case 5 ->
          new double[] {
                    127.9, 128, -128.9, -129, 32767.5, 32768, -32768.5, 2147483647.9, 2147483648.0
                  }
                  [random.nextInt(9)]
              * (random.nextInt(4) == 0 ? -1 : 1);
      case 6 -> random.nextGaussian() * 1e19;
      case 7 -> random.nextInt(3) - 1;
      default -> random.nextDouble() * sign;
    };
  }
}
