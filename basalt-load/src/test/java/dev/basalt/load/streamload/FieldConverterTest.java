package dev.basalt.load.streamload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.exec.function.cast.Casts;
import dev.basalt.load.ColumnBuffer;
import dev.basalt.meta.catalog.AggregationType;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.DefaultValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FieldConverterTest {

  /** The value stored, as the vector's boxed value, or the rejection reason. */
  private static Object convert(DataType type, boolean strict, boolean nullable, String text) {
    ColumnMeta column =
        new ColumnMeta(
            0, "c", type, nullable, false, AggregationType.NONE, DefaultValue.NONE, "", false);
    FieldConverter converter = new FieldConverter(column, strict);
    ColumnBuffer buffer = new ColumnBuffer(type, 4);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    String reason = converter.append(bytes, 0, bytes.length, buffer);
    if (reason != null) {
      return reason;
    }
    return buffer.vector(new int[] {0}, 0, 1).getObject(0);
  }

  @Test
  void fastPathsAgreeWithCastOnTheCommonShapes() {
    for (String text :
        List.of("0", "-12", "+7", " 42 ", "2147483647", "2147483648", "12.9", "1e2")) {
      assertThat(convert(DataType.INT, false, true, text))
          .as(text)
          .isEqualTo(Casts.convert(text, DataType.STRING, DataType.INT));
    }
    for (String text :
        List.of("1.005", "-0.5", "12345678901234.99", "1e3", "abc", "99999999999999999")) {
      assertThat(convert(DataType.decimal(15, 2), false, true, text))
          .as(text)
          .isEqualTo(Casts.convert(text, DataType.STRING, DataType.decimal(15, 2)));
    }
    for (String text : List.of("2.5", "-1e-3", ".5", "1.", "nan", "")) {
      assertThat(convert(DataType.DOUBLE, false, true, text))
          .as(text)
          .isEqualTo(Casts.convert(text, DataType.STRING, DataType.DOUBLE));
    }
    for (String text :
        List.of("2024-02-29", "2023-02-29", "1999-12-31", "0001-01-01", "2024-1-5", "20240105")) {
      assertThat(convert(DataType.DATE, false, true, text))
          .as(text)
          .isEqualTo(Casts.convert(text, DataType.STRING, DataType.DATE));
    }
    for (String text :
        List.of("2024-02-29 23:59:59", "2024-02-29 24:00:00", "2024-02-29T01:02:03")) {
      assertThat(convert(DataType.DATETIME, false, true, text))
          .as(text)
          .isEqualTo(Casts.convert(text, DataType.STRING, DataType.DATETIME));
    }
  }

  @Test
  void decimalsAndDoublesAgreeWithCastOnRandomText() {
    long seed = 11L;
    Random random = new Random(seed);
    List<DataType> decimals =
        List.of(
            DataType.decimal(15, 2),
            DataType.decimal(5, 0),
            DataType.decimal(18, 6),
            DataType.decimal(18, 0),
            DataType.decimal(27, 9),
            DataType.decimal(38, 2));
    for (int i = 0; i < 20_000; i++) {
      StringBuilder text = new StringBuilder();
      int shape = random.nextInt(10);
      if (shape == 0) {
        text.append(random.nextBoolean() ? '-' : '+');
      } else if (shape == 1) {
        text.append(' ');
      }
      int integerDigits = random.nextInt(22);
      for (int d = 0; d < integerDigits; d++) {
        text.append((char) ('0' + (d == 0 && random.nextBoolean() ? 0 : random.nextInt(10))));
      }
      if (random.nextInt(4) != 0) {
        text.append('.');
        int fractionDigits = random.nextInt(random.nextInt(5) == 0 ? 30 : 8);
        for (int d = 0; d < fractionDigits; d++) {
          text.append((char) ('0' + (random.nextInt(3) == 0 ? 5 : random.nextInt(10))));
        }
      }
      if (shape == 2) {
        text.append(random.nextBoolean() ? "e3" : "x");
      }
      String value = text.toString();
      for (DataType type : decimals) {
        Object expected = Casts.convert(value, DataType.STRING, type);
        Object actual = convert(type, false, true, value);
        assertThat(actual == null ? null : ((java.math.BigDecimal) actual).stripTrailingZeros())
            .as("seed %d: '%s' as %s", seed, value, type)
            .isEqualTo(
                expected == null ? null : ((java.math.BigDecimal) expected).stripTrailingZeros());
      }
      assertThat(convert(DataType.DOUBLE, false, true, value))
          .as("seed %d: '%s' as DOUBLE", seed, value)
          .isEqualTo(Casts.convert(value, DataType.STRING, DataType.DOUBLE));
    }
  }

  @Test
  void strictModeNullsAndLengths() {
    assertThat(convert(DataType.INT, false, true, "abc")).isNull();
    assertThat((String) convert(DataType.INT, true, true, "abc")).contains("strict_mode");
    assertThat((String) convert(DataType.INT, false, false, "abc")).contains("NOT NULL");
    assertThat(convert(DataType.varchar(3), false, true, "äöü")).isEqualTo("äöü");
    assertThat((String) convert(DataType.varchar(3), false, true, "abcd")).contains("longer than");
    assertThat(convert(DataType.BOOLEAN, false, true, "true")).isEqualTo(true);
    assertThat(convert(DataType.TINYINT, false, true, "300")).isNull();
  }
}
