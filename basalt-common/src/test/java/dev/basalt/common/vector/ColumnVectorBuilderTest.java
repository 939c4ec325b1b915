package dev.basalt.common.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.type.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ColumnVectorBuilderTest {

  @Test
  void everyLayoutRoundTripsBoxedValuesAndNulls() {
    List<DataType> types =
        List.of(
            DataType.BOOLEAN,
            DataType.BIGINT,
            DataType.LARGEINT,
            DataType.DOUBLE,
            DataType.decimal(20, 3),
            DataType.DATE,
            DataType.datetime(6),
            DataType.STRING);
    List<Object> samples =
        List.of(
            true,
            -9_000_000_000L,
            BigInteger.TWO.pow(120),
            -0.5,
            new BigDecimal("12345678901234567.891"),
            LocalDate.of(1969, 12, 31),
            LocalDateTime.of(1960, 1, 1, 0, 0, 0, 1000),
            "héllo 🙂");
    for (int t = 0; t < types.size(); t++) {
      ColumnVectorBuilder builder = new ColumnVectorBuilder(types.get(t), 1);
      for (int i = 0; i < 100; i++) {
        builder.appendObject(i % 3 == 0 ? null : samples.get(t));
      }
      ColumnVector vector = builder.build();
      assertThat(vector.size()).isEqualTo(100);
      assertThat(vector.mayHaveNulls()).isTrue();
      for (int i = 0; i < 100; i++) {
        assertThat(vector.getObject(i))
            .as("%s row %d", types.get(t), i)
            .isEqualTo(i % 3 == 0 ? null : samples.get(t));
      }
    }
  }

  @Test
  void decimalsStayScaledLongsUntilOneDoesNotFit() {
    DataType type = DataType.decimal(38, 2);
    ColumnVectorBuilder builder = new ColumnVectorBuilder(type, 1);
    DecimalVector source =
        new DecimalVector(type, new long[] {12_345, -7, 0}, new boolean[] {false, false, true}, 3);
    for (int row = 0; row < 3; row++) {
      builder.appendFrom(source, row);
    }
    builder.appendDecimal(new BigDecimal("1.5"));
    DecimalVector scaled = (DecimalVector) builder.build();
    assertThat(scaled.isScaledLong()).isTrue();
    assertThat(scaled.getDecimal(0)).isEqualTo(new BigDecimal("123.45"));
    assertThat(scaled.getDecimal(1)).isEqualTo(new BigDecimal("-0.07"));
    assertThat(scaled.isNull(2)).isTrue();
    assertThat(scaled.getDecimal(3)).isEqualTo(new BigDecimal("1.50"));

    // A value beyond a long moves what was gathered to BigDecimals; nulls and values survive.
    for (int row = 0; row < 3; row++) {
      builder.appendFrom(source, row);
    }
    BigDecimal huge = new BigDecimal("123456789012345678901234567.89");
    builder.appendDecimal(huge);
    builder.appendFrom(source, 0);
    DecimalVector boxed = (DecimalVector) builder.build();
    assertThat(boxed.isScaledLong()).isFalse();
    assertThat(boxed.size()).isEqualTo(5);
    assertThat(boxed.getDecimal(0)).isEqualTo(new BigDecimal("123.45"));
    assertThat(boxed.isNull(2)).isTrue();
    assertThat(boxed.getDecimal(3)).isEqualTo(huge);
    assertThat(boxed.getDecimal(4)).isEqualTo(new BigDecimal("123.45"));

    // A source at another scale is rescaled, not copied as unscaled.
    ColumnVectorBuilder other = new ColumnVectorBuilder(DataType.decimal(10, 4), 4);
    other.appendFrom(source, 0);
    assertThat(((DecimalVector) other.build()).getDecimal(0))
        .isEqualByComparingTo(new BigDecimal("123.45"));
  }

  @Test
  void stringsGrowPastTheInitialBuffer() {
    Random random = new Random(7);
    List<String> values = new ArrayList<>();
    ColumnVectorBuilder builder = new ColumnVectorBuilder(DataType.STRING, 2);
    for (int i = 0; i < 5000; i++) {
      String value = "x".repeat(random.nextInt(300));
      values.add(value);
      builder.appendString(value);
    }
    BytesVector vector = (BytesVector) builder.build();
    for (int i = 0; i < values.size(); i++) {
      assertThat(vector.getString(i)).isEqualTo(values.get(i));
    }
    assertThat(vector.mayHaveNulls()).isFalse();
  }

  @Test
  void batchColumnsMustAgreeOnRowCount() {
    ColumnVector three = ColumnVectorBuilder.constant(DataType.INT, 1L, 3);
    ColumnVector two = ColumnVectorBuilder.constant(DataType.INT, 1L, 2);
    assertThatThrownBy(() -> new Batch(List.of(three, two), 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new Batch(List.of(), 5).rowCount()).isEqualTo(5);
  }
}
