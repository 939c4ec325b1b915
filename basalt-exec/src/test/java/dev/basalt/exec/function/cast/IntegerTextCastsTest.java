package dev.basalt.exec.function.cast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The unboxed CAST paths between strings and TINYINT ... BIGINT give what the row-by-row rule
 * ({@link Casts#convert}) gives, for seeded random values of every shape: plain digits, signs and
 * spaces, fractions, exponents, out-of-range and non-numbers, NULLs, the extreme longs.
 */
class IntegerTextCastsTest {
  private static final long SEED = 20261207L;
  private static final List<DataType> INTEGERS =
      List.of(DataType.TINYINT, DataType.SMALLINT, DataType.INT, DataType.BIGINT);

  @Test
  void stringsToIntegersMatchTheRowRule() {
    Random random = new Random(SEED);
    List<String> texts = new ArrayList<>();
    String[] fixed = {
      "0",
      "-0",
      "+5",
      " 7 ",
      "127",
      "128",
      "-128",
      "-129",
      "32768",
      "2147483647",
      "2147483648",
      "-2147483649",
      "9223372036854775807",
      "-9223372036854775808",
      "99999999999999999999",
      "12.9",
      "-12.9",
      "1e3",
      "abc",
      "",
      " ",
      "0x10",
      "--1",
      "1 2",
      "007"
    };
    texts.addAll(List.of(fixed));
    for (int i = 0; i < 2_000; i++) {
      texts.add(
          switch (random.nextInt(4)) {
            case 0 -> Long.toString(random.nextLong() >> random.nextInt(64));
            case 1 -> Integer.toString(random.nextInt(70_000) - 35_000);
            case 2 -> (random.nextInt(2000) - 1000) + "." + random.nextInt(100);
            default -> null;
          });
    }
    ColumnVectorBuilder builder = new ColumnVectorBuilder(DataType.varchar(40));
    texts.forEach(builder::appendString);
    ColumnVector strings = builder.build();
    for (DataType to : INTEGERS) {
      ColumnVector converted = Casts.convertVector(strings, DataType.varchar(40), to);
      for (int row = 0; row < texts.size(); row++) {
        Object expected = Casts.convert(texts.get(row), DataType.varchar(40), to);
        assertThat(converted.isNull(row))
            .as("seed %d: '%s' as %s", SEED, texts.get(row), to.sqlName())
            .isEqualTo(expected == null);
        if (expected != null) {
          assertThat(((Number) converted.getObject(row)).longValue())
              .as("seed %d: '%s' as %s", SEED, texts.get(row), to.sqlName())
              .isEqualTo(((Number) expected).longValue());
        }
      }
    }
  }

  @Test
  void integersToStringsMatchTheRowRule() {
    Random random = new Random(SEED);
    for (DataType from : INTEGERS) {
      ColumnVectorBuilder builder = new ColumnVectorBuilder(from);
      List<Long> values = new ArrayList<>();
      values.add(0L);
      values.add(null);
      values.add(from.equals(DataType.BIGINT) ? Long.MIN_VALUE : -128L);
      values.add(from.equals(DataType.BIGINT) ? Long.MAX_VALUE : 127L);
      for (int i = 0; i < 1_000; i++) {
        values.add(random.nextInt(10) == 0 ? null : (long) (random.nextInt(256) - 128));
      }
      for (Long value : values) {
        if (value == null) {
          builder.appendNull();
        } else {
          builder.appendLong(value);
        }
      }
      ColumnVector longs = builder.build();
      for (DataType to : List.of(DataType.STRING, DataType.varchar(20))) {
        ColumnVector text = Casts.convertVector(longs, from, to);
        for (int row = 0; row < values.size(); row++) {
          Object expected =
              values.get(row) == null ? null : Casts.convert(values.get(row), from, to);
          assertThat(text.getObject(row)).as("%s as %s", values.get(row), to).isEqualTo(expected);
        }
      }
    }
  }
}
