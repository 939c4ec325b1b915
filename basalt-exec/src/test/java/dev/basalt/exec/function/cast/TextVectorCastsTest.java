package dev.basalt.exec.function.cast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The casts between strings and numbers or dates on bytes ({@link TextVectorCasts}) against the
 * boxed conversion of each value ({@link Casts#convert}): seeded random texts of every shape CAST
 * meets (integers with signs and spaces, fractions, exponents, values beyond the target's range,
 * dates and datetimes valid and impossible, junk, empty and multibyte text, NULL), and integers,
 * DATEs and DATETIMEs of every width and year to text, cut to a VARCHAR's length.
 */
class TextVectorCastsTest {
  private static final long SEED = 7_406L;

  private static final List<DataType> NUMERIC_AND_TEMPORAL_TARGETS =
      List.of(
          DataType.TINYINT,
          DataType.SMALLINT,
          DataType.INT,
          DataType.BIGINT,
          DataType.DOUBLE,
          DataType.FLOAT,
          DataType.decimal(9, 2),
          DataType.decimal(18, 0),
          DataType.decimal(18, 6),
          DataType.decimal(5, 5),
          DataType.DATE,
          DataType.datetime(0),
          DataType.datetime(3),
          DataType.BOOLEAN,
          DataType.LARGEINT,
          DataType.decimal(19, 0),
          DataType.decimal(20, 2),
          DataType.decimal(38, 0),
          DataType.decimal(38, 10),
          DataType.decimal(38, 38),
          DataType.decimal(39, 0));

  @Test
  void textToNumbersAndDatesMatchesTheBoxedConversion() {
    Random random = new Random(SEED);
    for (DataType from : List.of(DataType.STRING, DataType.varchar(40), DataType.character(12))) {
      for (int round = 0; round < 40; round++) {
        int rows = 200;
        ColumnVectorBuilder texts = new ColumnVectorBuilder(from, rows);
        for (int i = 0; i < rows; i++) {
          String text = randomText(random);
          if (text == null) {
            texts.appendNull();
          } else {
            texts.appendString(text);
          }
        }
        ColumnVector source = texts.build();
        for (DataType to : NUMERIC_AND_TEMPORAL_TARGETS) {
          ColumnVector converted = TextVectorCasts.convert(source, from, to);
          assertThat(converted).as("%s to %s", from, to).isNotNull();
          assertMatchesBoxed(source, converted, from, to);
          assertThat(Casts.convertVector(source, from, to).getObject(0))
              .isEqualTo(converted.getObject(0));
        }
      }
    }
  }

  @Test
  void integersAndDatesToTextMatchTheBoxedConversion() {
    Random random = new Random(SEED + 1);
    List<DataType> sources =
        List.of(
            DataType.BOOLEAN,
            DataType.TINYINT,
            DataType.SMALLINT,
            DataType.INT,
            DataType.BIGINT,
            DataType.DATE,
            DataType.datetime(0),
            DataType.datetime(2),
            DataType.datetime(6));
    for (DataType from : sources) {
      for (int round = 0; round < 20; round++) {
        int rows = 200;
        ColumnVectorBuilder values = new ColumnVectorBuilder(from, rows);
        for (int i = 0; i < rows; i++) {
          if (random.nextInt(10) == 0) {
            values.appendNull();
            continue;
          }
          values.appendLong(randomValue(random, from));
        }
        ColumnVector source = values.build();
        for (DataType to : List.of(DataType.STRING, DataType.varchar(5), DataType.varchar(64))) {
          ColumnVector converted = TextVectorCasts.convert(source, from, to);
          assertThat(converted).as("%s to %s", from, to).isNotNull();
          assertMatchesBoxed(source, converted, from, to);
        }
      }
    }
  }

  @Test
  void doublesAndFloatsToTextMatchTheBoxedConversion() {
    Random random = new Random(SEED + 2);
    for (DataType from : List.of(DataType.DOUBLE, DataType.FLOAT)) {
      for (int round = 0; round < 60; round++) {
        int rows = 300;
        ColumnVectorBuilder values = new ColumnVectorBuilder(from, rows);
        for (int i = 0; i < rows; i++) {
          if (random.nextInt(12) == 0) {
            values.appendNull();
            continue;
          }
          double value = randomDouble(random);
          values.appendDouble(from.equals(DataType.FLOAT) ? (float) value : value);
        }
        ColumnVector source = values.build();
        for (DataType to : List.of(DataType.STRING, DataType.varchar(4), DataType.character(30))) {
          ColumnVector converted = TextVectorCasts.convert(source, from, to);
          assertThat(converted).as("%s to %s", from, to).isNotNull();
          assertMatchesBoxed(source, converted, from, to);
        }
      }
    }
  }

  @Test
  void doublesPrintAsTheResultSetsPrintThem() {
    double[] values = {
      1e20, 1e-7, 0.1 + 0.2, -0.0, 0.0, 1e15, 1e16, 123456789012345678.0, 0.5, -2.5
    };
    String[] expected = {
      "1e+20",
      "1e-07",
      "0.30000000000000004",
      "-0",
      "0",
      "1000000000000000",
      "1e+16",
      "1.2345678901234568e+17",
      "0.5",
      "-2.5"
    };
    ColumnVectorBuilder builder = new ColumnVectorBuilder(DataType.DOUBLE, values.length);
    for (double value : values) {
      builder.appendDouble(value);
    }
    ColumnVector texts = TextVectorCasts.convert(builder.build(), DataType.DOUBLE, DataType.STRING);
    for (int row = 0; row < values.length; row++) {
      assertThat(texts.getObject(row)).as("%s", values[row]).isEqualTo(expected[row]);
    }
  }

  @Test
  void otherPairsAreLeftToTheOtherConversions() {
    ColumnVector texts = new ColumnVectorBuilder(DataType.STRING, 1).appendString("1").build();
    assertThat(TextVectorCasts.convert(texts, DataType.STRING, DataType.BITMAP)).isNull();
    ColumnVector doubles = new ColumnVectorBuilder(DataType.DOUBLE, 1).appendDouble(1.5).build();
    assertThat(TextVectorCasts.convert(doubles, DataType.DOUBLE, DataType.BIGINT)).isNull();
  }

  /**
   * Doubles of every shape the text meets: short decimals (the fast path), 17-digit sums and
   * quotients, integers near 2^53 and beyond, tiny and huge magnitudes, subnormals, exact powers of
   * ten at both ends of the plain range, negative zero, NaN and the infinities.
   */
  private static double randomDouble(Random random) {
    double sign = random.nextBoolean() ? 1 : -1;
    return switch (random.nextInt(10)) {
      case 0 -> random.nextInt(1_000_000) / Math.pow(10, random.nextInt(12)) * sign;
      case 1 -> (random.nextInt(1000) / 10.0 + random.nextInt(1000) / 100.0) * sign;
      case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(80) - 40) * sign;
      case 3 -> Double.longBitsToDouble(random.nextLong());
      case 4 -> Math.pow(10, random.nextInt(50) - 25) * sign;
      case 5 -> (double) ((1L << 53) + random.nextInt(1000) - 500) * sign;
      case 6 -> Double.MIN_VALUE * random.nextInt(1000) * sign;
      case 7 ->
          switch (random.nextInt(5)) {
            case 0 -> -0.0;
            case 1 -> Double.NaN;
            case 2 -> Double.POSITIVE_INFINITY;
            case 3 -> Double.NEGATIVE_INFINITY;
            default -> Double.MAX_VALUE * sign;
          };
      case 8 -> random.nextLong() / (double) (1 + random.nextInt(100));
      default -> (random.nextInt(2_000_000) - 1_000_000) * Math.pow(10, random.nextInt(10) - 3);
    };
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

  private static long randomValue(Random random, DataType type) {
    return switch (type.kind()) {
      case BOOLEAN -> random.nextInt(2);
      case TINYINT -> random.nextInt(256) - 128;
      case SMALLINT -> random.nextInt(65_536) - 32_768;
      case INT -> random.nextInt();
      case DATE ->
          random.nextInt(5) == 0 ? random.nextInt(4_000_000) - 1_500_000 : random.nextInt(30_000);
      case DATETIME ->
          (random.nextInt(5) == 0
                      ? random.nextLong(-62_000_000_000L, 254_000_000_000L)
                      : random.nextLong(0, 2_000_000_000L))
                  * 1_000_000L
              + random.nextInt(1_000_000);
      default ->
          switch (random.nextInt(4)) {
            case 0 -> Long.MIN_VALUE + random.nextInt(3);
            case 1 -> Long.MAX_VALUE - random.nextInt(3);
            case 2 -> random.nextInt(2_000) - 1_000;
            default -> random.nextLong();
          };
    };
  }

  private static final String[] JUNK = {
    "",
    " ",
    "abc",
    "12abc",
    "1e3",
    "-1.5E-2",
    " 42 ",
    "+7",
    "-0",
    "0.000",
    "1.",
    ".5",
    "--1",
    "１２",
    "é",
    "9223372036854775807",
    "-9223372036854775808",
    "99999999999999999999",
    "NaN",
    "Infinity",
    "\t12",
    "12\n",
    "2024-02-29",
    "2023-02-29",
    "2024-13-01",
    "0000-00-00",
    "2024-01-05 10:20:30",
    "2024-01-05 24:00:00",
    "2024-01-05T10:20:30",
    "2024-1-5",
    "20240105",
    "2024-01-05 10:20:30.123456",
    "9999-12-31 23:59:59",
    "1.23456789012345678",
    "true",
    " TRUE\t",
    "False",
    "fals",
    "yes",
    "0e0",
    "0.000e-5",
    "-0.0001",
    "1e99999",
    "170141183460469231731687303715884105727",
    "170141183460469231731687303715884105728",
    "-170141183460469231731687303715884105728",
    "-170141183460469231731687303715884105729",
    "99999999999999999999999999999999999999",
    "99999999999999999999999999999999999999.5",
    "0.99999999999999999999999999999999999999",
    "0.000000000000000000000000000000000000005",
    "12345678901234567890123456789.123456789",
    "-0000000000000000000000000000000000000000000123.45",
    "340282366920938463463374607431768211456",
    "\u2003123\u2003",
    "\u00a0123"
  };

  private static String randomText(Random random) {
    return switch (random.nextInt(10)) {
      case 0 -> null;
      case 1 -> JUNK[random.nextInt(JUNK.length)];
      case 2 -> Long.toString(random.nextLong() >> random.nextInt(64));
      case 3 ->
          (random.nextBoolean() ? "-" : "")
              + random.nextInt(100_000)
              + "."
              + random.nextInt(1_000_000);
      case 4 ->
          (random.nextBoolean() ? " " : "")
              + (random.nextInt(2_000) - 1_000)
              + (random.nextBoolean() ? " " : "");
      case 5 ->
          String.format(
              "%04d-%02d-%02d",
              random.nextInt(10_000), 1 + random.nextInt(13), 1 + random.nextInt(31));
      case 6 ->
          String.format(
              "%04d-%02d-%02d %02d:%02d:%02d",
              random.nextInt(10_000),
              1 + random.nextInt(12),
              1 + random.nextInt(28),
              random.nextInt(25),
              random.nextInt(60),
              random.nextInt(61));
      case 7 -> Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(30) - 10));
      case 8 -> wideNumber(random);
      default -> Integer.toString(random.nextInt(1_000)) + "e" + random.nextInt(5);
    };
  }

  /** Numbers of up to 45 integer and 45 fractional digits, with signs, zeros and whitespace. */
  private static String wideNumber(Random random) {
    StringBuilder text = new StringBuilder();
    if (random.nextInt(4) == 0) {
      text.append(random.nextBoolean() ? " " : "\t");
    }
    switch (random.nextInt(4)) {
      case 0 -> text.append('-');
      case 1 -> text.append('+');
      default -> {}
    }
    int integerDigits = random.nextInt(46);
    for (int i = 0; i < integerDigits; i++) {
      text.append(random.nextInt(6) == 0 ? '9' : (char) ('0' + random.nextInt(10)));
    }
    if (random.nextInt(3) != 0 || integerDigits == 0) {
      text.append('.');
      int fractionDigits = (integerDigits == 0 ? 1 : 0) + random.nextInt(45);
      for (int i = 0; i < fractionDigits; i++) {
        text.append(random.nextInt(4) == 0 ? '5' : (char) ('0' + random.nextInt(10)));
      }
    }
    if (random.nextInt(4) == 0) {
      text.append(' ');
    }
    return text.toString();
  }
}
