package dev.basalt.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ColumnBufferTest {

  private static List<BigDecimal> values(ColumnVector vector) {
    List<BigDecimal> values = new ArrayList<>();
    for (int row = 0; row < vector.size(); row++) {
      values.add(((DecimalVector) vector).getDecimal(row));
    }
    return values;
  }

  @Test
  void decimalsStayScaledLongsUntilOneDoesNotFit() {
    DataType type = DataType.decimal(38, 2);
    ColumnBuffer buffer = new ColumnBuffer(type, 4);
    buffer.appendUnscaled(-150);
    buffer.appendNull();
    buffer.appendObject(new BigDecimal("7.5"));
    assertThat(buffer.holdsLongs()).isFalse();
    ColumnVector scaled = buffer.vector(new int[] {2, 1, 0}, 0, 3);
    assertThat(((DecimalVector) scaled).isScaledLong()).isTrue();
    assertThat(values(scaled))
        .containsExactly(new BigDecimal("7.50"), null, new BigDecimal("-1.50"));

    BigDecimal huge = new BigDecimal("123456789012345678901234.56");
    buffer.appendObject(huge);
    buffer.appendUnscaled(1);
    assertThat(buffer.compare(3, 0)).isPositive();
    assertThat(buffer.compare(1, 0)).isNegative();
    ColumnVector boxed = buffer.toVector();
    assertThat(((DecimalVector) boxed).isScaledLong()).isFalse();
    assertThat(values(boxed))
        .containsExactly(
            new BigDecimal("-1.50"), null, new BigDecimal("7.50"), huge, new BigDecimal("0.01"));
  }

  @Test
  void appendRowsKeepsEitherDecimalLayoutAndTheOrder() {
    long seed = 5L;
    Random random = new Random(seed);
    DataType type = DataType.decimal(20, 3);
    int count = 500;
    BigDecimal[] source = new BigDecimal[count];
    for (int i = 0; i < count; i++) {
      source[i] =
          random.nextInt(10) == 0
              ? null
              : BigDecimal.valueOf(random.nextLong() % 1_000_000_000_000L, 3);
    }
    source[400] = new BigDecimal("99999999999999999.999");
    int[] rows = new int[count];
    for (int i = 0; i < count; i++) {
      rows[i] = count - 1 - i;
    }
    ColumnBuffer buffer = new ColumnBuffer(type, 4);
    // Rows 0..399 fit in longs (scaled layout); the whole vector does not (boxed layout).
    buffer.appendRows(new DecimalVector(type, Arrays.copyOf(source, 400), 400), rows, 0);
    buffer.appendRows(
        new DecimalVector(type, Arrays.copyOf(source, 400), 400),
        Arrays.copyOfRange(rows, 100, count),
        400);
    assertThat(buffer.holdsLongs()).isFalse();
    buffer.appendRows(new DecimalVector(type, source, count), rows, count);
    List<BigDecimal> expected = new ArrayList<>();
    for (int i = 100; i < count; i++) {
      expected.add(source[rows[i]]);
    }
    for (int i = 0; i < count; i++) {
      expected.add(source[rows[i]]);
    }
    assertThat(values(buffer.toVector())).as("seed %d", seed).isEqualTo(expected);
  }
}
