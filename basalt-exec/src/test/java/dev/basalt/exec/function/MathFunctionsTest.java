package dev.basalt.exec.function;

import static dev.basalt.exec.function.FunctionTesting.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.basalt.common.type.DataType;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MathFunctionsTest {

  @Test
  void absKeepsKind() {
    assertThat(call("abs", integer(-3))).isEqualTo(3L);
    assertThat(returnType("abs", integer(-3))).isEqualTo(DataType.BIGINT);
    assertThat(call("abs", dec("-1.50"))).isEqualTo(new BigDecimal("1.50"));
    assertThat(returnType("abs", dec("-1.50"))).isEqualTo(DataType.decimal(3, 2));
    assertThat(call("abs", dbl(-2.5))).isEqualTo(2.5);
    assertThat(call("abs", nullOf(DataType.INT))).isNull();
  }

  @Test
  void ceilAndFloor() {
    assertThat(call("ceil", dbl(1.2))).isEqualTo(2.0);
    assertThat(call("ceiling", dbl(-1.2))).isEqualTo(-1.0);
    assertThat(call("floor", dbl(-1.2))).isEqualTo(-2.0);
    assertThat(call("floor", integer(5))).isEqualTo(5L);
    assertThat(returnType("ceil", dec("1.23"))).isEqualTo(DataType.decimal(2, 0));
    assertThat(call("ceil", dec("1.23"))).isEqualTo(new BigDecimal("2"));
    assertThat(call("floor", dec("-1.23"))).isEqualTo(new BigDecimal("-2"));
  }

  /** Exact values round half away from zero; a DOUBLE half to even, as MySQL's my_double_round. */
  @Test
  void roundHalfAwayFromZero() {
    assertThat(call("round", dbl(2.5))).isEqualTo(2.0);
    assertThat(call("round", dbl(-2.5))).isEqualTo(-2.0);
    assertThat(call("round", dbl(3.5))).isEqualTo(4.0);
    assertThat(call("round", dbl(1.005), bigint(2))).isEqualTo(1.0);
    assertThat(call("round", dbl(2.675), bigint(2))).isEqualTo(2.68);
    assertThat(call("round", dbl(25), bigint(-1))).isEqualTo(20.0);
    assertThat(call("truncate", dbl(0.29), bigint(2))).isEqualTo(0.28);
    assertThat(call("round", dbl(1.298), bigint(1))).isEqualTo(1.3);
    assertThat(call("round", dbl(23.298), bigint(-1))).isEqualTo(20.0);
    assertThat(call("round", dec("-1.5"))).isEqualTo(new BigDecimal("-2"));
    assertThat(call("round", dec("1.235"), bigint(2))).isEqualTo(new BigDecimal("1.240"));
    assertThat(returnType("round", dec("1.235"), bigint(2))).isEqualTo(DataType.decimal(5, 3));
    assertThat(call("round", integer(1234), bigint(-2))).isEqualTo(1200L);
    assertThat(call("round", integer(1250), bigint(-2))).isEqualTo(1300L);
    assertThat(call("truncate", dbl(1.999), bigint(1))).isEqualTo(1.9);
    assertThat(call("truncate", dbl(-1.999), bigint(1))).isEqualTo(-1.9);
    assertThat(call("truncate", integer(122), bigint(-2))).isEqualTo(100L);
    assertThat(call("truncate", dec("1.999"), bigint(0))).isEqualTo(new BigDecimal("1.000"));
  }

  @Test
  void domainErrorsAreNull() {
    assertThat(call("sqrt", dbl(4))).isEqualTo(2.0);
    assertThat(call("sqrt", dbl(-1))).isNull();
    assertThat(call("ln", dbl(0))).isNull();
    assertThat(call("log", dbl(-1))).isNull();
    assertThat(call("log", dbl(1), dbl(100))).isNull();
    assertThat((Double) call("log", dbl(2), dbl(8))).isCloseTo(3.0, within(1e-12));
    assertThat((Double) call("log2", dbl(8))).isCloseTo(3.0, within(1e-12));
    assertThat(call("log10", dbl(1000))).isEqualTo(3.0);
    assertThat((Double) call("ln", dbl(Math.E))).isCloseTo(1.0, within(1e-12));
    assertThat(call("acos", dbl(2))).isNull();
  }

  @Test
  void powersAndTrigonometry() {
    assertThat(call("pow", integer(2), integer(10))).isEqualTo(1024.0);
    assertThat(call("power", dbl(4), dbl(0.5))).isEqualTo(2.0);
    assertThat(call("exp", dbl(0))).isEqualTo(1.0);
    assertThat(call("pi")).isEqualTo(Math.PI);
    assertThat(call("degrees", dbl(Math.PI))).isEqualTo(180.0);
    assertThat(call("radians", dbl(180))).isEqualTo(Math.PI);
    assertThat(call("sin", dbl(0))).isEqualTo(0.0);
    assertThat(call("cos", dbl(0))).isEqualTo(1.0);
    assertThat((Double) call("tan", dbl(Math.PI / 4))).isCloseTo(1.0, within(1e-12));
    assertThat((Double) call("atan", dbl(1))).isCloseTo(Math.PI / 4, within(1e-12));
    assertThat((Double) call("atan2", dbl(1), dbl(1))).isCloseTo(Math.PI / 4, within(1e-12));
    assertThat((Double) call("atan", dbl(1), dbl(1))).isCloseTo(Math.PI / 4, within(1e-12));
    assertThat((Double) call("asin", dbl(1))).isCloseTo(Math.PI / 2, within(1e-12));
  }

  @Test
  void signRandomAndBases() {
    assertThat(call("sign", dbl(-3.2))).isEqualTo(-1L);
    assertThat(call("sign", integer(0))).isEqualTo(0L);
    assertThat(call("sign", dec("0.5"))).isEqualTo(1L);
    assertThat((Double) call("rand")).isBetween(0.0, 1.0);
    assertThat(call("rand", bigint(7))).isEqualTo(call("rand", bigint(7)));
    assertThat(call("bin", integer(12))).isEqualTo("1100");
    assertThat(call("conv", str("a"), integer(16), integer(2))).isEqualTo("1010");
    assertThat(call("conv", str("6E"), integer(18), integer(8))).isEqualTo("172");
    assertThat(call("conv", str("-17"), integer(10), integer(-18))).isEqualTo("-H");
  }
}
