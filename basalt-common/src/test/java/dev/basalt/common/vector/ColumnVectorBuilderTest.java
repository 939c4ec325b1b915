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
