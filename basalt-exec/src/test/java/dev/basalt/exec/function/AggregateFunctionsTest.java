package dev.basalt.exec.function;

import static dev.basalt.exec.function.FunctionTesting.vector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregateFunctionsTest {
  private static final FunctionRegistry REGISTRY = FunctionRegistry.builtins();

  /** Runs an aggregate over every row of the argument vectors. */
  private static Object aggregate(String name, boolean distinct, ColumnVector... arguments) {
    List<ColumnVector> vectors = List.of(arguments);
    AggregateFunction function =
        REGISTRY.resolveAggregate(
            name, vectors.stream().map(ColumnVector::type).toList(), distinct);
    Accumulator accumulator = function.newAccumulator();
    int rows = arguments.length == 0 ? 0 : arguments[0].size();
    for (int row = 0; row < rows; row++) {
      accumulator.add(vectors, row);
    }
    return accumulator.result();
  }

  private static Object aggregate(String name, ColumnVector... arguments) {
    return aggregate(name, false, arguments);
  }

  private static final ColumnVector INTS = vector(DataType.INT, 3L, null, 1L, 3L, 2L);
  private static final ColumnVector EMPTY = vector(DataType.INT);
  private static final ColumnVector ALL_NULL = vector(DataType.INT, null, null);

  @Test
  void countVariants() {
    AggregateFunction countStar = REGISTRY.resolveAggregate("count", List.of(), false);
    Accumulator accumulator = countStar.newAccumulator();
    for (int i = 0; i < 4; i++) {
      accumulator.add(List.of(), i);
    }
    assertThat(accumulator.result()).isEqualTo(4L);
    assertThat(countStar.returnType()).isEqualTo(DataType.BIGINT);
    assertThat(aggregate("count", INTS)).isEqualTo(4L);
    assertThat(aggregate("count", true, INTS)).isEqualTo(3L);
    assertThat(aggregate("count", EMPTY)).isEqualTo(0L);
    ColumnVector a = vector(DataType.INT, 1L, 1L, 1L, null, 2L);
    ColumnVector b = vector(DataType.STRING, "x", "x", "y", "x", null);
    assertThat(aggregate("count", a, b)).isEqualTo(3L);
    assertThat(aggregate("count", true, a, b)).isEqualTo(2L);
  }

  @Test
  void sums() {
    assertThat(aggregate("sum", INTS)).isEqualTo(9L);
    assertThat(REGISTRY.resolveAggregate("sum", List.of(DataType.INT), false).returnType())
        .isEqualTo(DataType.BIGINT);
    assertThat(aggregate("sum", true, INTS)).isEqualTo(6L);
    assertThat(aggregate("sum", EMPTY)).isNull();
    assertThat(aggregate("sum", ALL_NULL)).isNull();
    assertThat(aggregate("sum", vector(DataType.DOUBLE, 1.5, null, 2.0))).isEqualTo(3.5);
    ColumnVector decimals =
        vector(DataType.decimal(5, 2), new BigDecimal("1.25"), new BigDecimal("2.50"), null);
    assertThat(
            REGISTRY.resolveAggregate("sum", List.of(DataType.decimal(5, 2)), false).returnType())
        .isEqualTo(DataType.decimal(38, 2));
    assertThat(aggregate("sum", decimals)).isEqualTo(new BigDecimal("3.75"));
    assertThat(aggregate("sum", vector(DataType.LARGEINT, BigInteger.TWO.pow(100), BigInteger.ONE)))
        .isEqualTo(BigInteger.TWO.pow(100).add(BigInteger.ONE));
    assertThat(aggregate("sum", vector(DataType.STRING, "1.5", "x", "2"))).isEqualTo(3.5);
    assertThatThrownBy(() -> aggregate("sum", vector(DataType.BIGINT, Long.MAX_VALUE, 1L)))
        .isInstanceOf(BasaltException.class)
        .extracting(e -> ((BasaltException) e).code())
        .isEqualTo(ErrorCode.VALUE_OUT_OF_RANGE);
    assertThatThrownBy(() -> REGISTRY.resolveAggregate("sum", List.of(DataType.DATE), false))
        .isInstanceOf(BasaltException.class)
        .extracting(e -> ((BasaltException) e).code())
        .isEqualTo(ErrorCode.WRONG_ARGUMENTS);
  }

  @Test
  void averages() {
    assertThat(aggregate("avg", INTS)).isEqualTo(2.25);
    assertThat(REGISTRY.resolveAggregate("avg", List.of(DataType.INT), false).returnType())
        .isEqualTo(DataType.DOUBLE);
    assertThat(aggregate("avg", true, INTS)).isEqualTo(2.0);
    assertThat(aggregate("avg", EMPTY)).isNull();
    assertThat(aggregate("avg", vector(DataType.BIGINT, Long.MAX_VALUE, Long.MAX_VALUE)))
        .isEqualTo((double) Long.MAX_VALUE);
    ColumnVector decimals =
        vector(
            DataType.decimal(5, 2),
            new BigDecimal("1.00"),
            new BigDecimal("2.00"),
            new BigDecimal("2.00"));
    assertThat(
            REGISTRY.resolveAggregate("avg", List.of(DataType.decimal(5, 2)), false).returnType())
        .isEqualTo(DataType.decimal(38, 4));
    assertThat(aggregate("avg", decimals)).isEqualTo(new BigDecimal("1.6667"));
    assertThat(aggregate("avg", vector(DataType.DOUBLE, 1.0, 2.0))).isEqualTo(1.5);
  }

  @Test
  void minAndMax() {
    assertThat(aggregate("min", INTS)).isEqualTo(1L);
    assertThat(aggregate("max", INTS)).isEqualTo(3L);
    assertThat(aggregate("max", EMPTY)).isNull();
    assertThat(aggregate("min", vector(DataType.STRING, "b", "B", null, "a"))).isEqualTo("B");
    assertThat(aggregate("max", vector(DataType.STRING, "b", "é", "z"))).isEqualTo("é");
    assertThat(
            aggregate(
                "max", vector(DataType.DATE, LocalDate.of(2024, 1, 1), LocalDate.of(2023, 1, 1))))
        .isEqualTo(LocalDate.of(2024, 1, 1));
    assertThat(aggregate("min", vector(DataType.DOUBLE, 2.5, -1.5))).isEqualTo(-1.5);
    assertThat(
            aggregate(
                "max",
                vector(DataType.decimal(4, 1), new BigDecimal("1.5"), new BigDecimal("10.0"))))
        .isEqualTo(new BigDecimal("10.0"));
    assertThat(aggregate("min", vector(DataType.BOOLEAN, true, false))).isEqualTo(false);
    assertThat(REGISTRY.resolveAggregate("max", List.of(DataType.DATE), false).returnType())
        .isEqualTo(DataType.DATE);
    assertThat(aggregate("any_value", vector(DataType.INT, null, 7L, 8L))).isEqualTo(7L);
  }

  @Test
  void groupConcat() {
    ColumnVector words = vector(DataType.STRING, "a", null, "b", "a");
    assertThat(aggregate("group_concat", words)).isEqualTo("a,b,a");
    assertThat(aggregate("group_concat", true, words)).isEqualTo("a,b");
    assertThat(
            aggregate(
                "group_concat", words, ColumnVectorBuilder.constant(DataType.STRING, " | ", 4)))
        .isEqualTo("a | b | a");
    assertThat(
            aggregate(
                "group_concat",
                vector(DataType.decimal(3, 1), new BigDecimal("1.5"), new BigDecimal("2.0"))))
        .isEqualTo("1.5,2.0");
    assertThat(aggregate("group_concat", ALL_NULL)).isNull();
  }

  @Test
  void deviationsAndVariances() {
    ColumnVector values = vector(DataType.DOUBLE, 2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0, null);
    assertThat((Double) aggregate("stddev", values)).isCloseTo(2.0, within(1e-12));
    assertThat((Double) aggregate("std", values)).isCloseTo(2.0, within(1e-12));
    assertThat((Double) aggregate("stddev_pop", values)).isCloseTo(2.0, within(1e-12));
    assertThat((Double) aggregate("variance", values)).isCloseTo(4.0, within(1e-12));
    assertThat((Double) aggregate("var_pop", values)).isCloseTo(4.0, within(1e-12));
    assertThat((Double) aggregate("var_samp", values)).isCloseTo(32.0 / 7, within(1e-12));
    assertThat((Double) aggregate("stddev_samp", values))
        .isCloseTo(Math.sqrt(32.0 / 7), within(1e-12));
    ColumnVector one = vector(DataType.INT, 5L);
    assertThat(aggregate("var_samp", one)).isNull();
    assertThat(aggregate("stddev_samp", one)).isNull();
    assertThat(aggregate("var_pop", one)).isEqualTo(0.0);
    assertThat(aggregate("stddev", EMPTY)).isNull();
  }

  @Test
  void distinctCountsAndBitwise() {
    assertThat(aggregate("ndv", INTS)).isEqualTo(3L);
    assertThat(aggregate("approx_count_distinct", vector(DataType.STRING, "a", "b", "a", null)))
        .isEqualTo(2L);
    assertThat(aggregate("ndv", EMPTY)).isEqualTo(0L);
    ColumnVector bits = vector(DataType.INT, 12L, 10L, null);
    assertThat(aggregate("bit_and", bits)).isEqualTo(8L);
    assertThat(aggregate("bit_or", bits)).isEqualTo(14L);
    assertThat(aggregate("bit_xor", bits)).isEqualTo(6L);
    assertThat(aggregate("group_bit_or", EMPTY)).isNull();
    ColumnVector flags = vector(DataType.BOOLEAN, true, false, null);
    assertThat(aggregate("bool_and", flags)).isEqualTo(false);
    assertThat(aggregate("bool_or", flags)).isEqualTo(true);
    assertThat(aggregate("bool_or", vector(DataType.BOOLEAN))).isNull();
  }

  @Test
  void distinctTreatsEqualDecimalsAsOneValue() {
    ColumnVector decimals =
        vector(
            DataType.decimal(5, 2),
            new BigDecimal("1.00"),
            new BigDecimal("1.00"),
            new BigDecimal("2.00"));
    assertThat(aggregate("sum", true, decimals)).isEqualTo(new BigDecimal("3.00"));
    assertThat(aggregate("count", true, vector(DataType.DOUBLE, 0.0, -0.0, 1.0))).isEqualTo(2L);
  }

  @Test
  void resultCanBeReadRepeatedly() {
    Accumulator accumulator =
        REGISTRY.resolveAggregate("sum", List.of(DataType.INT), false).newAccumulator();
    ColumnVector values = vector(DataType.INT, 1L, 2L);
    accumulator.add(List.of(values), 0);
    assertThat(accumulator.result()).isEqualTo(1L);
    accumulator.add(List.of(values), 1);
    assertThat(accumulator.result()).isEqualTo(3L);
    assertThat(accumulator.result()).isEqualTo(3L);
    assertThat(Arrays.asList(REGISTRY.isAggregate("SUM"), REGISTRY.isAggregate("upper")))
        .containsExactly(true, false);
  }
}
