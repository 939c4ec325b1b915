package dev.basalt.exec.function;

import static dev.basalt.exec.function.FunctionTesting.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonFunctionsTest {

  @Test
  void resultIsBoolean() {
    assertThat(returnType("eq", integer(1), integer(1))).isEqualTo(DataType.BOOLEAN);
    assertThat(call("eq", integer(1), integer(1))).isEqualTo(true);
    assertThat(call("ne", integer(1), integer(1))).isEqualTo(false);
  }

  @Test
  void numbersCompareAcrossTypes() {
    assertThat(call("eq", integer(1), dec("1.00"))).isEqualTo(true);
    assertThat(call("lt", integer(1), dec("1.01"))).isEqualTo(true);
    assertThat(call("eq", dbl(2.5), dec("2.50"))).isEqualTo(true);
    assertThat(call("gt", bigint(3), dbl(2.9))).isEqualTo(true);
    assertThat(call("le", arg(DataType.LARGEINT, BigInteger.TEN), integer(10))).isEqualTo(true);
    assertThat(call("ge", arg(DataType.TINYINT, -1L), arg(DataType.BIGINT, Long.MIN_VALUE)))
        .isEqualTo(true);
    assertThat(
            call(
                "eq",
                arg(DataType.decimal(10, 2), new BigDecimal("1.50")),
                arg(DataType.decimal(20, 5), new BigDecimal("1.50000"))))
        .isEqualTo(true);
  }

  @Test
  void stringWithNumberComparesAsDouble() {
    assertThat(call("eq", str("10"), integer(10))).isEqualTo(true);
    assertThat(call("gt", str("9"), integer(10))).isEqualTo(false);
    assertThat(call("eq", str(" 1.0 "), dbl(1))).isEqualTo(true);
    assertThat(call("eq", str("abc"), integer(0))).isNull();
  }

  @Test
  void stringsCompareByBytesCaseSensitively() {
    assertThat(call("lt", str("B"), str("a"))).isEqualTo(true);
    assertThat(call("eq", str("a"), str("A"))).isEqualTo(false);
    assertThat(call("lt", str("ab"), str("abc"))).isEqualTo(true);
    assertThat(call("gt", str("é"), str("z"))).isEqualTo(true);
    assertThat(call("lt", str("\uffff"), str("😀"))).isEqualTo(true);
    assertThat(call("eq", str("a "), str("a"))).isEqualTo(false);
  }

  @Test
  void charIgnoresTrailingSpaces() {
    Argument padded = arg(DataType.character(5), "ab   ");
    assertThat(call("eq", padded, str("ab"))).isEqualTo(true);
    assertThat(call("lt", str("ab"), padded)).isEqualTo(false);
    assertThat(call("eq", padded, arg(DataType.character(3), "ab "))).isEqualTo(true);
  }

  @Test
  void datesCompareWithStringsAndDatetimes() {
    assertThat(call("eq", date("2024-01-05"), str("2024-01-05"))).isEqualTo(true);
    assertThat(call("eq", date("2024-01-05"), str("2024-1-5"))).isEqualTo(true);
    assertThat(call("lt", date("2024-01-05"), str("2024-01-05 00:00:01"))).isEqualTo(true);
    assertThat(call("eq", date("2024-01-05"), str("not a date"))).isNull();
    assertThat(call("eq", date("2024-01-05"), datetime("2024-01-05 00:00:00"))).isEqualTo(true);
    assertThat(call("lt", date("2024-01-05"), datetime("2024-01-05 08:00:00"))).isEqualTo(true);
    assertThat(call("gt", datetime("2024-01-05 08:00:00.5"), datetime("2024-01-05 08:00:00")))
        .isEqualTo(true);
    assertThat(call("eq", datetime("2024-01-05 08:00:00"), str("2024-01-05 08:00:00")))
        .isEqualTo(true);
  }

  @Test
  void nullsGiveNullExceptNullSafeEquality() {
    assertThat(call("eq", nullOf(DataType.INT), integer(1))).isNull();
    assertThat(call("lt", nullOf(DataType.NULL), str("a"))).isNull();
    assertThat(call("null_safe_eq", nullOf(DataType.INT), integer(1))).isEqualTo(false);
    assertThat(call("null_safe_eq", nullOf(DataType.INT), nullOf(DataType.NULL))).isEqualTo(true);
    assertThat(call("null_safe_eq", integer(1), integer(1))).isEqualTo(true);
  }

  @Test
  void everyOperatorOverVectors() {
    ColumnVector left = vector(DataType.BIGINT, 1L, 2L, 3L, null);
    ColumnVector right = vector(DataType.BIGINT, 2L, 2L, 2L, 2L);
    ColumnVector doubleLeft = vector(DataType.DOUBLE, 1.0, 2.0, 3.0, null);
    ColumnVector stringLeft = vector(DataType.STRING, "1", "2", "3", null);
    ColumnVector stringRight = vector(DataType.STRING, "2", "2", "2", "2");
    String[] names = {"eq", "ne", "lt", "le", "gt", "ge"};
    Boolean[][] expected = {
      {false, true, false, null}, {true, false, true, null}, {true, false, false, null},
      {true, true, false, null}, {false, false, true, null}, {false, true, true, null}
    };
    for (int i = 0; i < names.length; i++) {
      FunctionRegistry registry = FunctionRegistry.builtins();
      List<Object> wanted = Arrays.asList((Object[]) expected[i]);
      assertThat(
              rows(
                  registry
                      .resolveScalar(names[i], List.of(DataType.BIGINT, DataType.BIGINT))
                      .evaluate(List.of(left, right), 4, CONTEXT)))
          .as(names[i])
          .isEqualTo(wanted);
      assertThat(
              rows(
                  registry
                      .resolveScalar(names[i], List.of(DataType.DOUBLE, DataType.BIGINT))
                      .evaluate(List.of(doubleLeft, right), 4, CONTEXT)))
          .as(names[i] + " double")
          .isEqualTo(wanted);
      assertThat(
              rows(
                  registry
                      .resolveScalar(names[i], List.of(DataType.STRING, DataType.STRING))
                      .evaluate(List.of(stringLeft, stringRight), 4, CONTEXT)))
          .as(names[i] + " string")
          .isEqualTo(wanted);
    }
  }
}
