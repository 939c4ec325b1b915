package dev.basalt.exec.function;

import static dev.basalt.exec.function.FunctionTesting.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class ConditionalFunctionsTest {

  @Test
  void ifPicksByCondition() {
    assertThat(call("if", arg(DataType.BOOLEAN, true), integer(1), integer(2))).isEqualTo(1L);
    assertThat(call("if", arg(DataType.BOOLEAN, false), integer(1), integer(2))).isEqualTo(2L);
    assertThat(call("if", nullOf(DataType.BOOLEAN), integer(1), integer(2))).isEqualTo(2L);
    assertThat(call("if", integer(5), str("yes"), str("no"))).isEqualTo("yes");
    assertThat(returnType("if", arg(DataType.BOOLEAN, true), integer(1), dbl(2)))
        .isEqualTo(DataType.DOUBLE);
    assertThat(returnType("if", arg(DataType.BOOLEAN, true), integer(1), dec("2.50")))
        .isEqualTo(DataType.decimal(12, 2));
    assertThat(call("if", arg(DataType.BOOLEAN, true), integer(1), dec("2.50")))
        .isEqualTo(new BigDecimal("1.00"));
    assertThat(returnType("if", arg(DataType.BOOLEAN, true), integer(1), str("a")))
        .isEqualTo(DataType.varchar(65533));
    assertThat(call("if", arg(DataType.BOOLEAN, true), integer(1), str("a"))).isEqualTo("1");
    assertThat(
            returnType(
                "if", arg(DataType.BOOLEAN, true), nullOf(DataType.NULL), date("2024-01-01")))
        .isEqualTo(DataType.DATE);
  }

  @Test
  void nullHandling() {
    assertThat(call("ifnull", nullOf(DataType.INT), integer(2))).isEqualTo(2L);
    assertThat(call("ifnull", integer(1), integer(2))).isEqualTo(1L);
    assertThat(call("nvl", nullOf(DataType.STRING), str("x"))).isEqualTo("x");
    assertThat(call("coalesce", nullOf(DataType.INT), nullOf(DataType.NULL), bigint(3), integer(4)))
        .isEqualTo(3L);
    assertThat(returnType("coalesce", nullOf(DataType.INT), bigint(3))).isEqualTo(DataType.BIGINT);
    assertThat(call("coalesce", nullOf(DataType.INT))).isNull();
    assertThat(call("coalesce", date("2024-01-01"), datetime("2024-01-01 10:00:00")))
        .isEqualTo(LocalDateTime.of(2024, 1, 1, 0, 0));
    assertThat(call("isnull", nullOf(DataType.INT))).isEqualTo(true);
    assertThat(call("isnull", integer(0))).isEqualTo(false);
    assertThat(call("isnotnull", integer(0))).isEqualTo(true);
    assertThat(call("nullif", integer(1), integer(1))).isNull();
    assertThat(call("nullif", integer(1), integer(2))).isEqualTo(1L);
    assertThat(call("nullif", integer(1), dec("1.0"))).isNull();
    assertThat(call("nullif", nullOf(DataType.INT), integer(1))).isNull();
    assertThat(call("nullif", str("a"), nullOf(DataType.STRING))).isEqualTo("a");
  }

  @Test
  void greatestAndLeast() {
    assertThat(call("greatest", integer(2), integer(0), integer(7))).isEqualTo(7L);
    assertThat(call("least", integer(2), integer(0), integer(7))).isEqualTo(0L);
    assertThat(call("greatest", integer(2), dbl(2.5))).isEqualTo(2.5);
    assertThat(call("least", str("B"), str("a"), str("C"))).isEqualTo("B");
    assertThat(call("greatest", integer(1), nullOf(DataType.INT))).isNull();
    assertThat(call("greatest", date("2024-01-01"), date("2023-12-31")))
        .isEqualTo(LocalDate.of(2024, 1, 1));
    assertThat(returnType("least", integer(1), dec("0.5"))).isEqualTo(DataType.decimal(11, 1));
    assertThat(call("least", integer(1), dec("0.5"))).isEqualTo(new BigDecimal("0.5"));
  }
}
