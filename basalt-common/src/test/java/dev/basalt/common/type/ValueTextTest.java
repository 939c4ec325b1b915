package dev.basalt.common.type;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class ValueTextTest {

  @Test
  void doublesPrintShortestWithoutTrailingZero() {
    assertThat(ValueText.formatDouble(1.0, false)).isEqualTo("1");
    assertThat(ValueText.formatDouble(0.1 + 0.2, false)).isEqualTo("0.30000000000000004");
    assertThat(ValueText.formatDouble(100.0 / 3, false)).isEqualTo("33.333333333333336");
    assertThat(ValueText.formatDouble(1e20, false)).isEqualTo("1e+20");
    assertThat(ValueText.formatDouble(-2.5e-7, false)).isEqualTo("-2.5e-07");
    assertThat(ValueText.formatDouble(0.00001, false)).isEqualTo("0.00001");
    assertThat(ValueText.formatDouble(-0.0, false)).isEqualTo("-0");
    assertThat(ValueText.formatDouble(Double.NaN, false)).isEqualTo("NaN");
    assertThat(ValueText.formatDouble(1.1f, true)).isEqualTo("1.1");
  }

  @Test
  void decimalsAndDatetimesUseTheDeclaredScale() {
    assertThat(ValueText.format(DataType.decimal(10, 2), new BigDecimal("1.5"))).isEqualTo("1.50");
    assertThat(ValueText.format(DataType.decimal(10, 0), new BigDecimal("7"))).isEqualTo("7");
    LocalDateTime value = LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000);
    assertThat(ValueText.format(DataType.datetime(0), value)).isEqualTo("2024-02-29 23:59:59");
    assertThat(ValueText.format(DataType.datetime(3), value)).isEqualTo("2024-02-29 23:59:59.123");
    assertThat(ValueText.format(DataType.datetime(6), value))
        .isEqualTo("2024-02-29 23:59:59.123456");
    assertThat(ValueText.format(DataType.DATE, LocalDate.of(33, 1, 5))).isEqualTo("0033-01-05");
  }

  @Test
  void booleansAndNulls() {
    assertThat(ValueText.format(DataType.BOOLEAN, true)).isEqualTo("1");
    assertThat(ValueText.format(DataType.BOOLEAN, 0L)).isEqualTo("0");
    assertThat(ValueText.format(DataType.INT, null)).isNull();
  }
}
