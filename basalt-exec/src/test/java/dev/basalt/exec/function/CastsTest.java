package dev.basalt.exec.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CastsTest {
  private static final FunctionRegistry REGISTRY = FunctionRegistry.builtins();

  private static Object cast(Object value, DataType from, DataType to) {
    ScalarFunction cast = REGISTRY.resolveCast(from, to);
    assertThat(cast.returnType()).isEqualTo(to);
    ColumnVector result =
        cast.evaluate(
            List.of(ColumnVectorBuilder.constant(from, value, 1)), 1, FunctionTesting.CONTEXT);
    assertThat(result.type()).isEqualTo(to);
    return result.getObject(0);
  }

  private static Object fromString(String text, DataType to) {
    return cast(text, DataType.STRING, to);
  }

  @Test
  void stringToNumbers() {
    assertThat(fromString(" 42 ", DataType.INT)).isEqualTo(42L);
    assertThat(fromString("-7", DataType.BIGINT)).isEqualTo(-7L);
    assertThat(fromString("12.9", DataType.INT)).isEqualTo(12L);
    assertThat(fromString("-12.9", DataType.INT)).isEqualTo(-12L);
    assertThat(fromString("1e3", DataType.BIGINT)).isEqualTo(1000L);
    assertThat(fromString("abc", DataType.INT)).isNull();
    assertThat(fromString("12abc", DataType.INT)).isNull();
    assertThat(fromString("", DataType.INT)).isNull();
    assertThat(fromString("0x10", DataType.INT)).isNull();
    assertThat(fromString("NaN", DataType.DOUBLE)).isNull();
    assertThat(fromString("Infinity", DataType.DOUBLE)).isNull();
    assertThat(fromString("1.5d", DataType.DOUBLE)).isNull();
    assertThat(fromString(".5", DataType.DOUBLE)).isEqualTo(0.5);
    assertThat(fromString("+2.5e-1", DataType.DOUBLE)).isEqualTo(0.25);
    assertThat(fromString("3.14159", DataType.decimal(5, 2))).isEqualTo(new BigDecimal("3.14"));
    assertThat(fromString("3.145", DataType.decimal(5, 2))).isEqualTo(new BigDecimal("3.15"));
    assertThat(fromString("12345.6", DataType.decimal(5, 2))).isNull();
    assertThat(fromString("170141183460469231731687303715884105727", DataType.LARGEINT))
        .isEqualTo(new BigInteger("170141183460469231731687303715884105727"));
    assertThat(fromString("170141183460469231731687303715884105728", DataType.LARGEINT)).isNull();
  }

  @Test
  void outOfRangeIntegersAreNull() {
    assertThat(cast(300L, DataType.INT, DataType.TINYINT)).isNull();
    assertThat(cast(-128L, DataType.INT, DataType.TINYINT)).isEqualTo(-128L);
    assertThat(cast(40000L, DataType.BIGINT, DataType.SMALLINT)).isNull();
    assertThat(cast(1e19, DataType.DOUBLE, DataType.BIGINT)).isNull();
    assertThat(cast(new BigInteger("99999999999999999999"), DataType.LARGEINT, DataType.BIGINT))
        .isNull();
    assertThat(
            cast(
                5L,
                DataType.LARGEINT.kind() == null ? DataType.INT : DataType.INT,
                DataType.LARGEINT))
        .isEqualTo(BigInteger.valueOf(5));
  }

  @Test
  void fractionsToIntegersTruncateTowardZero() {
    assertThat(cast(2.7, DataType.DOUBLE, DataType.INT)).isEqualTo(2L);
    assertThat(cast(-2.7, DataType.DOUBLE, DataType.INT)).isEqualTo(-2L);
    assertThat(cast(2.4, DataType.DOUBLE, DataType.INT)).isEqualTo(2L);
    assertThat(cast(new BigDecimal("-1.50"), DataType.decimal(5, 2), DataType.BIGINT))
        .isEqualTo(-1L);
    assertThat(cast(new BigDecimal("-1.99"), DataType.decimal(5, 2), DataType.LARGEINT))
        .isEqualTo(java.math.BigInteger.ONE.negate());
  }

  @Test
  void decimalRescaling() {
    assertThat(cast(new BigDecimal("1.005"), DataType.decimal(6, 3), DataType.decimal(6, 2)))
        .isEqualTo(new BigDecimal("1.01"));
    assertThat(cast(new BigDecimal("-1.005"), DataType.decimal(6, 3), DataType.decimal(6, 2)))
        .isEqualTo(new BigDecimal("-1.01"));
    assertThat(cast(1.25, DataType.DOUBLE, DataType.decimal(4, 1)))
        .isEqualTo(new BigDecimal("1.3"));
    assertThat(cast(7L, DataType.INT, DataType.decimal(4, 2))).isEqualTo(new BigDecimal("7.00"));
    assertThat(cast(700L, DataType.INT, DataType.decimal(4, 2))).isNull();
  }

  @Test
  void stringsToDates() {
    assertThat(fromString("2024-02-29", DataType.DATE)).isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(fromString("2024-2-9", DataType.DATE)).isEqualTo(LocalDate.of(2024, 2, 9));
    assertThat(fromString("20240229", DataType.DATE)).isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(fromString("2024/02/29", DataType.DATE)).isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(fromString("2024-02-29 13:14:15", DataType.DATE))
        .isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(fromString("2023-02-29", DataType.DATE)).isNull();
    assertThat(fromString("2024-13-01", DataType.DATE)).isNull();
    assertThat(fromString("hello", DataType.DATE)).isNull();
    assertThat(fromString("2024-02-29 25:00:00", DataType.DATETIME)).isNull();
    assertThat(fromString("2024-02-29 13:14:15", DataType.DATETIME))
        .isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 14, 15));
    assertThat(fromString("2024-02-29T13:14", DataType.DATETIME))
        .isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 14));
    assertThat(fromString("2024-02-29 13:14:15.123456", DataType.datetime(6)))
        .isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123_456_000));
    assertThat(fromString("2024-02-29 13:14:15.5", DataType.DATETIME))
        .isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 14, 16));
    assertThat(fromString("20240229131415", DataType.DATETIME))
        .isEqualTo(LocalDateTime.of(2024, 2, 29, 13, 14, 15));
    assertThat(fromString("24-02-29", DataType.DATE)).isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(fromString("99-02-28", DataType.DATE)).isEqualTo(LocalDate.of(1999, 2, 28));
    assertThat(cast(20240229L, DataType.BIGINT, DataType.DATE))
        .isEqualTo(LocalDate.of(2024, 2, 29));
  }

  @Test
  void datesAndDatetimes() {
    assertThat(cast(LocalDateTime.of(2024, 1, 2, 3, 4, 5), DataType.DATETIME, DataType.DATE))
        .isEqualTo(LocalDate.of(2024, 1, 2));
    assertThat(cast(LocalDate.of(2024, 1, 2), DataType.DATE, DataType.DATETIME))
        .isEqualTo(LocalDateTime.of(2024, 1, 2, 0, 0));
    assertThat(cast(LocalDate.of(2024, 1, 2), DataType.DATE, DataType.BIGINT)).isEqualTo(20240102L);
    assertThat(
            cast(
                LocalDateTime.of(2024, 1, 2, 3, 4, 5, 999_999_000),
                DataType.datetime(6),
                DataType.datetime(3)))
        .isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4, 6));
  }

  @Test
  void toStringUsesValueTextAndTruncatesToLength() {
    assertThat(cast(1.5, DataType.DOUBLE, DataType.STRING)).isEqualTo("1.5");
    assertThat(cast(1e20, DataType.DOUBLE, DataType.STRING)).isEqualTo("1e+20");
    assertThat(cast(new BigDecimal("1.50"), DataType.decimal(5, 2), DataType.STRING))
        .isEqualTo("1.50");
    assertThat(cast(LocalDate.of(2024, 1, 2), DataType.DATE, DataType.STRING))
        .isEqualTo("2024-01-02");
    assertThat(cast(LocalDateTime.of(2024, 1, 2, 3, 4, 5), DataType.DATETIME, DataType.STRING))
        .isEqualTo("2024-01-02 03:04:05");
    assertThat(cast(true, DataType.BOOLEAN, DataType.STRING)).isEqualTo("1");
    assertThat(cast("hello", DataType.STRING, DataType.varchar(3))).isEqualTo("hel");
    assertThat(cast("日本語", DataType.STRING, DataType.character(2))).isEqualTo("日本");
    assertThat(cast(12345L, DataType.INT, DataType.varchar(2))).isEqualTo("12");
  }

  @Test
  void booleans() {
    assertThat(cast(true, DataType.BOOLEAN, DataType.INT)).isEqualTo(1L);
    assertThat(cast(0L, DataType.INT, DataType.BOOLEAN)).isEqualTo(false);
    assertThat(cast(-3.5, DataType.DOUBLE, DataType.BOOLEAN)).isEqualTo(true);
    assertThat(fromString("TRUE", DataType.BOOLEAN)).isEqualTo(true);
    assertThat(fromString("0", DataType.BOOLEAN)).isEqualTo(false);
    assertThat(fromString("maybe", DataType.BOOLEAN)).isNull();
    assertThat(cast(true, DataType.BOOLEAN, DataType.DOUBLE)).isEqualTo(1.0);
  }

  @Test
  void nullsAndVectors() {
    assertThat(cast(null, DataType.NULL, DataType.INT)).isNull();
    assertThat(cast(null, DataType.STRING, DataType.DATE)).isNull();
    ScalarFunction widen = REGISTRY.resolveCast(DataType.INT, DataType.BIGINT);
    ColumnVector input = FunctionTesting.vector(DataType.INT, 1L, null, 3L);
    assertThat(FunctionTesting.rows(widen.evaluate(List.of(input), 3, FunctionTesting.CONTEXT)))
        .isEqualTo(Arrays.asList(1L, null, 3L));
    ScalarFunction toDouble = REGISTRY.resolveCast(DataType.BIGINT, DataType.DOUBLE);
    assertThat(
            FunctionTesting.rows(
                toDouble.evaluate(
                    List.of(FunctionTesting.vector(DataType.BIGINT, 1L, null)),
                    2,
                    FunctionTesting.CONTEXT)))
        .isEqualTo(Arrays.asList(1.0, null));
    assertThatThrownBy(() -> REGISTRY.resolveCast(DataType.INT, DataType.NULL))
        .isInstanceOf(BasaltException.class);
  }
}
