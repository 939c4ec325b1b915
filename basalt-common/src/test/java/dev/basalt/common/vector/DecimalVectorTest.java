package dev.basalt.common.vector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class DecimalVectorTest {
  private static final DataType TYPE = DataType.decimal(38, 2);

  @Test
  void valuesThatFitAtTheTypeScaleBecomeScaledLongs() {
    DecimalVector vector =
        new DecimalVector(
            TYPE,
            new BigDecimal[] {new BigDecimal("1.5"), null, new BigDecimal("-92233720368547758.08")},
            3);
    assertThat(vector.isScaledLong()).isTrue();
    assertThat(vector.getUnscaled(0)).isEqualTo(150);
    assertThat(vector.getUnscaled(2)).isEqualTo(Long.MIN_VALUE);
    assertThat(vector.isNull(1)).isTrue();
    assertThat(vector.mayHaveNulls()).isTrue();
    assertThat(vector.getDecimal(0)).isEqualTo(new BigDecimal("1.50"));
    assertThat(vector.getObject(1)).isNull();
  }

  @Test
  void valuesBeyondALongOrTheScaleStayBoxed() {
    BigDecimal beyondLong = new BigDecimal("92233720368547758.08");
    DecimalVector wide = new DecimalVector(TYPE, new BigDecimal[] {BigDecimal.ONE, beyondLong}, 2);
    assertThat(wide.isScaledLong()).isFalse();
    assertThat(wide.getDecimal(1)).isEqualTo(beyondLong);

    BigDecimal tooPrecise = new BigDecimal("1.125");
    DecimalVector precise = new DecimalVector(TYPE, new BigDecimal[] {tooPrecise}, 1);
    assertThat(precise.isScaledLong()).isFalse();
    assertThat(precise.getDecimal(0)).isEqualTo(tooPrecise);
  }

  @Test
  void takeKeepsScaledLongsAndPadsWithNull() {
    DecimalVector vector = new DecimalVector(TYPE, new long[] {125, -7, 0}, new boolean[3], 3);
    ColumnVector taken = ColumnVectors.take(vector, new int[] {2, -1, 0}, 3);
    assertThat(taken).isInstanceOf(DecimalVector.class);
    assertThat(((DecimalVector) taken).isScaledLong()).isTrue();
    assertThat(taken.getObject(0)).isEqualTo(new BigDecimal("0.00"));
    assertThat(taken.isNull(1)).isTrue();
    assertThat(taken.getObject(2)).isEqualTo(new BigDecimal("1.25"));
  }

  @Test
  void decimalConstantsAreScaledLongs() {
    ColumnVector constant = ColumnVectorBuilder.constant(TYPE, new BigDecimal("0.07"), 4);
    assertThat(((DecimalVector) constant).isScaledLong()).isTrue();
    assertThat(constant.getObject(3)).isEqualTo(new BigDecimal("0.07"));
  }

  @Test
  void scaledLongsConvertToTheSameDoubleAsBigDecimal() {
    long[] samples = {1, -1, 5, 123456789, 999999999999999999L, Long.MIN_VALUE, 1L << 53, 7};
    for (long unscaled : samples) {
      for (int scale = 0; scale <= 20; scale++) {
        assertThat(ScaledDecimals.toDouble(unscaled, scale))
            .as("%d at scale %d", unscaled, scale)
            .isEqualTo(BigDecimal.valueOf(unscaled, scale).doubleValue());
      }
    }
  }
}
