package dev.basalt.exec.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionRegistryTest {
  private static final FunctionRegistry REGISTRY = FunctionRegistry.builtins();

  /** Sample types and one value of each, for exhaustive signature probing. */
  private static final List<DataType> TYPES =
      List.of(
          DataType.BIGINT,
          DataType.DOUBLE,
          DataType.decimal(10, 2),
          DataType.varchar(20),
          DataType.DATE,
          DataType.DATETIME,
          DataType.BOOLEAN,
          DataType.BITMAP,
          DataType.HLL,
          DataType.QUANTILE_STATE);

  private static final List<Object> VALUES =
      List.of(
          3L,
          2.5,
          new BigDecimal("1.25"),
          "2024-01-31",
          LocalDate.of(2024, 1, 31),
          LocalDateTime.of(2024, 1, 31, 10, 0),
          true,
          dev.basalt.exec.function.sketch.SketchValues.empty(DataType.BITMAP),
          dev.basalt.exec.function.sketch.SketchValues.empty(DataType.HLL),
          dev.basalt.exec.function.sketch.SketchValues.empty(DataType.QUANTILE_STATE));

  @Test
  void unknownNamesAndBadArguments() {
    assertThatThrownBy(() -> REGISTRY.resolveScalar("no_such_function", List.of()))
        .isInstanceOf(BasaltException.class)
        .hasMessage("FUNCTION no_such_function does not exist")
        .extracting(e -> ((BasaltException) e).code())
        .isEqualTo(ErrorCode.UNKNOWN_FUNCTION);
    assertThatThrownBy(() -> REGISTRY.resolveAggregate("no_such_aggregate", List.of(), false))
        .extracting(e -> ((BasaltException) e).code())
        .isEqualTo(ErrorCode.UNKNOWN_FUNCTION);
    assertThatThrownBy(
            () -> REGISTRY.resolveScalar("upper", List.of(DataType.STRING, DataType.STRING)))
        .isInstanceOf(BasaltException.class)
        .hasMessage(
            "Incorrect parameter count or types in the call to function 'upper': (text, text)")
        .extracting(e -> ((BasaltException) e).code())
        .isEqualTo(ErrorCode.WRONG_ARGUMENTS);
    assertThatThrownBy(() -> REGISTRY.resolveScalar("pi", List.of(DataType.INT)))
        .extracting(e -> ((BasaltException) e).code())
        .isEqualTo(ErrorCode.WRONG_ARGUMENTS);
    assertThatThrownBy(() -> REGISTRY.resolveAggregate("sum", List.of(), false))
        .hasMessageContaining("no arguments");
  }

  @Test
  void namesAreCaseInsensitive() {
    assertThat(REGISTRY.resolveScalar("UPPER", List.of(DataType.STRING)).returnType())
        .isEqualTo(DataType.varchar(65533));
    assertThat(REGISTRY.isScalar("Date_Format")).isTrue();
    assertThat(REGISTRY.isScalar("sum")).isFalse();
    assertThat(REGISTRY.isAggregate("GROUP_CONCAT")).isTrue();
    assertThat(REGISTRY.scalarNames())
        .contains(
            "add",
            "subtract",
            "multiply",
            "divide",
            "int_divide",
            "mod",
            "negate",
            "eq",
            "ne",
            "lt",
            "le",
            "gt",
            "ge",
            "null_safe_eq",
            "like",
            "regexp",
            "concat");
    assertThat(REGISTRY.aggregateNames())
        .contains("count", "sum", "avg", "min", "max", "group_concat", "ndv");
    assertThat(REGISTRY.scalarNames())
        .allMatch(name -> name.equals(name.toLowerCase(java.util.Locale.ROOT)));
  }

  @Test
  void intervalFunctionNames() {
    assertThat(FunctionRegistry.intervalFunctionName("hour", false)).isEqualTo("hours_add");
    assertThat(FunctionRegistry.intervalFunctionName("MICROSECOND", true))
        .isEqualTo("microseconds_sub");
    for (String unit :
        List.of(
            "YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE", "SECOND", "MICROSECOND")) {
      assertThat(REGISTRY.isScalar(FunctionRegistry.intervalFunctionName(unit, false)))
          .as(unit)
          .isTrue();
      assertThat(REGISTRY.isScalar(FunctionRegistry.intervalFunctionName(unit, true)))
          .as(unit)
          .isTrue();
    }
    assertThatThrownBy(() -> FunctionRegistry.intervalFunctionName("EON", false))
        .isInstanceOf(BasaltException.class);
  }

  /**
   * Every scalar name resolves for at least one signature of up to three sample types; every
   * signature that resolves evaluates (a non-NULL row and a NULL row) to a vector of its declared
   * type, failing only with BasaltException — never a ClassCastException or similar bug.
   */
  @Test
  void everyScalarResolvesAndEvaluatesWithoutInternalErrors() {
    List<String> unresolved = new ArrayList<>();
    for (String name : REGISTRY.scalarNames()) {
      int resolved = 0;
      for (List<Integer> signature : SCALAR_SIGNATURES) {
        List<DataType> types = signature.stream().map(TYPES::get).toList();
        List<Object> constants = signature.stream().map(VALUES::get).toList();
        for (boolean withConstants : new boolean[] {false, true}) {
          ScalarFunction function;
          try {
            function =
                withConstants
                    ? REGISTRY.resolveScalar(name, types, constants)
                    : REGISTRY.resolveScalar(name, types);
          } catch (BasaltException rejected) {
            assertThat(rejected.code()).isIn(ErrorCode.WRONG_ARGUMENTS, ErrorCode.INVALID_CAST);
            continue;
          }
          resolved++;
          List<ColumnVector> arguments = new ArrayList<>();
          for (int index : signature) {
            ColumnVectorBuilder builder = new ColumnVectorBuilder(TYPES.get(index));
            builder.appendObject(VALUES.get(index));
            builder.appendNull();
            arguments.add(builder.build());
          }
          try {
            ColumnVector result = function.evaluate(arguments, 2, FunctionTesting.CONTEXT);
            assertThat(result.size()).as(name + types).isEqualTo(2);
            assertThat(result.type()).as(name + types).isEqualTo(function.returnType());
            result.getObject(0);
          } catch (BasaltException userError) {
            assertThat(userError.code()).as(name + types).isNotEqualTo(ErrorCode.INTERNAL_ERROR);
          } catch (RuntimeException bug) {
            throw new AssertionError(name + types + " failed: " + bug, bug);
          }
        }
      }
      if (resolved == 0) {
        unresolved.add(name);
      }
    }
    assertThat(unresolved).isEmpty();
  }

  @Test
  void everyAggregateResolvesAndAccumulates() {
    for (String name : REGISTRY.aggregateNames()) {
      int resolved = 0;
      List<List<Integer>> aggregateSignatures = new ArrayList<>(signatures(2));
      // intersect_count(bitmap, column, value, ...) needs three.
      aggregateSignatures.add(List.of(7, 0, 0));
      for (List<Integer> signature : aggregateSignatures) {
        List<DataType> types = signature.stream().map(TYPES::get).toList();
        for (boolean distinct : new boolean[] {false, true}) {
          AggregateFunction function;
          try {
            function = REGISTRY.resolveAggregate(name, types, distinct);
          } catch (BasaltException rejected) {
            assertThat(rejected.code()).isEqualTo(ErrorCode.WRONG_ARGUMENTS);
            continue;
          }
          resolved++;
          List<ColumnVector> arguments = new ArrayList<>();
          for (int index : signature) {
            ColumnVectorBuilder builder = new ColumnVectorBuilder(TYPES.get(index));
            builder.appendObject(VALUES.get(index));
            builder.appendNull();
            builder.appendObject(VALUES.get(index));
            arguments.add(builder.build());
          }
          Accumulator accumulator = function.newAccumulator();
          try {
            for (int row = 0; row < 3; row++) {
              accumulator.add(arguments, row);
            }
            Object result = accumulator.result();
            ColumnVectorBuilder output = new ColumnVectorBuilder(function.returnType());
            output.appendObject(result);
            assertThat(output.build().getObject(0)).as(name + types).isEqualTo(result);
          } catch (BasaltException userError) {
            assertThat(userError.code()).isNotEqualTo(ErrorCode.INTERNAL_ERROR);
          } catch (RuntimeException bug) {
            throw new AssertionError(name + types + " failed: " + bug, bug);
          }
        }
      }
      assertThat(resolved).as(name).isPositive();
    }
  }

  /**
   * Up to two arguments of every sample type, three of the first five (no DECIMAL or BOOLEAN
   * third).
   */
  private static final List<List<Integer>> SCALAR_SIGNATURES =
      signatures(3).stream()
          .filter(s -> s.size() < 3 || s.stream().allMatch(i -> i != 2 && i != 6))
          .toList();

  /** Every list of up to {@code maximum} indexes into {@link #TYPES}. */
  private static List<List<Integer>> signatures(int maximum) {
    List<List<Integer>> all = new ArrayList<>();
    all.add(List.of());
    List<List<Integer>> previous = List.of(List.of());
    for (int length = 1; length <= maximum; length++) {
      List<List<Integer>> next = new ArrayList<>();
      for (List<Integer> prefix : previous) {
        for (int index = 0; index < TYPES.size(); index++) {
          List<Integer> signature = new ArrayList<>(prefix);
          signature.add(index);
          next.add(List.copyOf(signature));
        }
      }
      all.addAll(next);
      previous = next;
    }
    return all;
  }
}
