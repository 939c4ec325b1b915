package dev.basalt.exec.function;

import static dev.basalt.exec.function.FunctionTesting.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArithmeticFunctionsTest {

  @Test
  void integerArithmeticIsBigint() {
    assertThat(call("add", integer(2), integer(3))).isEqualTo(5L);
    assertThat(returnType("add", integer(2), arg(DataType.TINYINT, 3L))).isEqualTo(DataType.BIGINT);
    assertThat(call("subtract", bigint(2), bigint(5))).isEqualTo(-3L);
    assertThat(call("multiply", bigint(-4), bigint(5))).isEqualTo(-20L);
    assertThat(call("add", arg(DataType.BOOLEAN, true), integer(1))).isEqualTo(2L);
  }

  @Test
  void integerOverflowIsAnError() {
    assertThatThrownBy(() -> call("add", bigint(Long.MAX_VALUE), bigint(1)))
        .isInstanceOf(BasaltException.class)
        .hasMessage("BIGINT value is out of range in '(9223372036854775807 + 1)'")
        .extracting(e -> ((BasaltException) e).code())
        .isEqualTo(ErrorCode.VALUE_OUT_OF_RANGE);
    assertThatThrownBy(() -> call("multiply", bigint(Long.MAX_VALUE / 2 + 1), bigint(2)))
        .isInstanceOf(BasaltException.class);
    assertThatThrownBy(() -> call("subtract", bigint(Long.MIN_VALUE), bigint(1)))
        .isInstanceOf(BasaltException.class);
    assertThatThrownBy(() -> call("negate", bigint(Long.MIN_VALUE)))
        .isInstanceOf(BasaltException.class);
    assertThat(call("multiply", bigint(-3_037_000_499L), bigint(3_037_000_499L)))
        .isEqualTo(-9_223_372_030_926_249_001L);
  }

  @Test
  void largeIntArithmetic() {
    Argument big = arg(DataType.LARGEINT, new BigInteger("100000000000000000000"));
    assertThat(returnType("add", big, integer(1))).isEqualTo(DataType.LARGEINT);
    assertThat(call("add", big, integer(1))).isEqualTo(new BigInteger("100000000000000000001"));
    assertThat(call("divide", big, integer(4))).isEqualTo(2.5e19);
  }

  @Test
  void divisionOfIntegersIsDouble() {
    assertThat(returnType("divide", integer(1), integer(2))).isEqualTo(DataType.DOUBLE);
    assertThat(call("divide", integer(1), integer(4))).isEqualTo(0.25);
    assertThat(call("divide", integer(1), integer(0))).isNull();
    assertThat(call("divide", dbl(1), dbl(0))).isNull();
  }

  @Test
  void integerDivisionAndModulo() {
    assertThat(call("int_divide", integer(7), integer(2))).isEqualTo(3L);
    assertThat(call("int_divide", integer(-7), integer(2))).isEqualTo(-3L);
    assertThat(call("int_divide", integer(7), integer(0))).isNull();
    assertThat(call("int_divide", dbl(7.9), dbl(2))).isEqualTo(3L);
    assertThat(call("int_divide", dec("7.5"), dec("2.0"))).isEqualTo(3L);
    assertThat(call("mod", integer(-7), integer(3))).isEqualTo(-1L);
    assertThat(call("mod", integer(7), integer(-3))).isEqualTo(1L);
    assertThat(call("mod", integer(7), integer(0))).isNull();
    assertThat(call("mod", dbl(-7.5), dbl(2))).isEqualTo(-1.5);
    assertThat(call("mod", dec("-7.5"), dec("2"))).isEqualTo(new BigDecimal("-1.5"));
    assertThat(call("mod", dec("7.5"), dec("0"))).isNull();
  }

  @Test
  void decimalResultTypes() {
    Argument a = arg(DataType.decimal(10, 2), new BigDecimal("12.34"));
    Argument b = arg(DataType.decimal(5, 3), new BigDecimal("1.005"));
    assertThat(returnType("add", a, b)).isEqualTo(DataType.decimal(12, 3));
    assertThat(call("add", a, b)).isEqualTo(new BigDecimal("13.345"));
    assertThat(returnType("multiply", a, b)).isEqualTo(DataType.decimal(15, 5));
    assertThat(call("multiply", a, b)).isEqualTo(new BigDecimal("12.40170"));
    assertThat(returnType("divide", a, b)).isEqualTo(DataType.decimal(17, 6));
    assertThat(call("divide", a, b)).isEqualTo(new BigDecimal("12.278607"));
    assertThat(call("divide", a, arg(DataType.decimal(5, 3), BigDecimal.ZERO.setScale(3))))
        .isNull();
    assertThat(returnType("add", a, integer(1))).isEqualTo(DataType.decimal(13, 2));
    assertThat(call("subtract", a, integer(1))).isEqualTo(new BigDecimal("11.34"));
    assertThat(returnType("add", a, dbl(1))).isEqualTo(DataType.DOUBLE);
    assertThat(
            returnType(
                "multiply",
                arg(DataType.decimal(38, 10), BigDecimal.ONE),
                arg(DataType.decimal(38, 10), BigDecimal.ONE)))
        .isEqualTo(DataType.decimal(38, 20));
    assertThat(returnType("divide", integer(1), dec("3.0"))).isEqualTo(DataType.decimal(15, 4));
    assertThat(call("divide", integer(1), dec("3.0"))).isEqualTo(new BigDecimal("0.3333"));
  }

  @Test
  void decimalOverflowIsAnError() {
    Argument big = arg(DataType.decimal(38, 0), new BigDecimal("9".repeat(38)));
    assertThatThrownBy(() -> call("add", big, big))
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("out of range");
  }

  @Test
  void stringsAreReadAsDoubleAndNonNumbersAreNull() {
    assertThat(returnType("add", str("1.5"), integer(1))).isEqualTo(DataType.DOUBLE);
    assertThat(call("add", str(" 1.5 "), integer(1))).isEqualTo(2.5);
    assertThat(call("add", str("abc"), integer(1))).isNull();
    assertThat(call("multiply", str("1e3"), integer(2))).isEqualTo(2000.0);
  }

  @Test
  void nullsPropagate() {
    assertThat(call("add", nullOf(DataType.INT), integer(1))).isNull();
    assertThat(call("add", nullOf(DataType.NULL), integer(1))).isNull();
    assertThat(call("divide", nullOf(DataType.NULL), nullOf(DataType.NULL))).isNull();
    assertThat(call("negate", nullOf(DataType.DOUBLE))).isNull();
  }

  @Test
  void negate() {
    assertThat(call("negate", integer(5))).isEqualTo(-5L);
    assertThat(call("negate", dbl(2.5))).isEqualTo(-2.5);
    assertThat(call("negate", dec("1.50"))).isEqualTo(new BigDecimal("-1.50"));
    assertThat(call("negate", str("3"))).isEqualTo(-3.0);
  }

  @Test
  void vectorsWithNullsSkipOverflowChecksOnNullRows() {
    ScalarFunction add =
        FunctionRegistry.builtins().resolveScalar("add", List.of(DataType.BIGINT, DataType.BIGINT));
    ColumnVector left = vector(DataType.BIGINT, 1L, null, 3L, Long.MAX_VALUE);
    ColumnVector right = vector(DataType.BIGINT, 10L, 20L, null, null);
    ColumnVector result = add.evaluate(List.of(left, right), 4, CONTEXT);
    assertThat(rows(result)).isEqualTo(Arrays.asList(11L, null, null, null));
    ScalarFunction divide =
        FunctionRegistry.builtins().resolveScalar("divide", List.of(DataType.DOUBLE, DataType.INT));
    ColumnVector quotient =
        divide.evaluate(
            List.of(vector(DataType.DOUBLE, 1.0, 2.0, null), vector(DataType.INT, 2L, 0L, 1L)),
            3,
            CONTEXT);
    assertThat(rows(quotient)).isEqualTo(Arrays.asList(0.5, null, null));
  }

  @Test
  void datesAreNotArithmeticOperands() {
    assertThatThrownBy(() -> returnType("add", date("2020-01-01"), integer(1)))
        .isInstanceOf(BasaltException.class)
        .extracting(e -> ((BasaltException) e).code())
        .isEqualTo(ErrorCode.WRONG_ARGUMENTS);
  }

  /** Seeded differential test: BIGINT kernels against exact BigInteger arithmetic. */
  @Test
  void bigintKernelsAgreeWithExactArithmetic() {
    long seed = 7L;
    java.util.Random random = new java.util.Random(seed);
    long[] interesting = {
      0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 3_037_000_499L, -3_037_000_500L, 1L << 32
    };
    for (int trial = 0; trial < 3000; trial++) {
      long x =
          random.nextBoolean()
              ? random.nextLong() >> random.nextInt(64)
              : interesting[random.nextInt(interesting.length)];
      long y =
          random.nextBoolean()
              ? random.nextLong() >> random.nextInt(64)
              : interesting[random.nextInt(interesting.length)];
      BigInteger[] exact = {
        BigInteger.valueOf(x).add(BigInteger.valueOf(y)),
        BigInteger.valueOf(x).subtract(BigInteger.valueOf(y)),
        BigInteger.valueOf(x).multiply(BigInteger.valueOf(y))
      };
      String[] names = {"add", "subtract", "multiply"};
      for (int k = 0; k < names.length; k++) {
        boolean fits = exact[k].bitLength() < 64;
        String name = names[k];
        String context = "seed " + seed + ": " + name + "(" + x + ", " + y + ")";
        if (fits) {
          assertThat(call(name, bigint(x), bigint(y)))
              .as(context)
              .isEqualTo(exact[k].longValueExact());
        } else {
          assertThatThrownBy(() -> call(name, bigint(x), bigint(y)))
              .as(context)
              .isInstanceOf(BasaltException.class);
        }
      }
    }
  }
}
