package dev.basalt.exec.function.scalar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.expression.Expression;
import dev.basalt.exec.expression.FunctionCall;
import dev.basalt.exec.expression.InputReference;
import dev.basalt.exec.expression.Literal;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.ScalarFunction;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The arithmetic and comparison operators with constant vectors (a literal as one row) against the
 * same function with the literal expanded to every row, on seeded random vectors with NULLs and
 * edge values: overflow, division by zero, -0.0, decimals of different scales (rescaling a
 * constant), 128-bit decimals and LARGEINT. A call that fails must fail with the same message.
 */
class ConstantOperandDifferentialTest {
  private static final long SEED = 20261207L;
  private static final int ROWS = 1_500;
  private static final FunctionRegistry REGISTRY = FunctionRegistry.builtins();
  private static final EvaluationContext CONTEXT =
      new EvaluationContext(
          ZoneId.of("Asia/Shanghai"), LocalDateTime.of(2024, 3, 15, 10, 20, 30), "test-query");

  private static final List<String> ARITHMETIC =
      List.of("add", "subtract", "multiply", "divide", "int_divide", "mod");
  private static final List<String> COMPARISONS =
      List.of("eq", "ne", "lt", "le", "gt", "ge", "null_safe_eq");

  private static final List<List<DataType>> NUMERIC_PAIRS =
      List.of(
          List.of(DataType.BIGINT, DataType.BIGINT),
          List.of(DataType.INT, DataType.BIGINT),
          List.of(DataType.TINYINT, DataType.INT),
          List.of(DataType.DOUBLE, DataType.DOUBLE),
          List.of(DataType.DOUBLE, DataType.INT),
          List.of(DataType.decimal(15, 2), DataType.decimal(2, 1)),
          List.of(DataType.decimal(15, 2), DataType.INT),
          List.of(DataType.decimal(12, 2), DataType.decimal(18, 4)),
          List.of(DataType.decimal(18, 0), DataType.decimal(18, 9)),
          List.of(DataType.decimal(30, 3), DataType.decimal(20, 1)),
          List.of(DataType.decimal(38, 10), DataType.decimal(10, 2)),
          List.of(DataType.decimal(38, 0), DataType.decimal(38, 0)),
          List.of(DataType.decimal(15, 2), DataType.DOUBLE),
          List.of(DataType.LARGEINT, DataType.LARGEINT),
          List.of(DataType.LARGEINT, DataType.BIGINT),
          List.of(DataType.varchar(20), DataType.INT));

  private static final List<List<DataType>> COMPARISON_ONLY_PAIRS =
      List.of(
          List.of(DataType.varchar(20), DataType.varchar(20)),
          List.of(DataType.character(4), DataType.varchar(20)),
          List.of(DataType.DATE, DataType.DATE),
          List.of(DataType.DATETIME, DataType.DATE),
          List.of(DataType.DATE, DataType.varchar(20)));

  @Test
  void arithmeticWithConstantsMatchesExpandedVectors() {
    Random random = new Random(SEED);
    for (List<DataType> types : NUMERIC_PAIRS) {
      for (String operator : ARITHMETIC) {
        compareShapes(random, operator, types);
      }
    }
  }

  @Test
  void comparisonsWithConstantsMatchExpandedVectors() {
    Random random = new Random(SEED + 1);
    List<List<DataType>> pairs = new ArrayList<>(NUMERIC_PAIRS);
    pairs.addAll(COMPARISON_ONLY_PAIRS);
    for (List<DataType> types : pairs) {
      for (String operator : COMPARISONS) {
        compareShapes(random, operator, types);
      }
    }
  }

  /**
   * The loops for a column and a constant ({@link ConstantOperandKernels}, {@link
   * DivisionKernels#byConstant}) at the constants where they hand over to the general loops or
   * overflow: 0, 1, -1, the bounds of BIGINT and of DECIMAL(15, 2), on either side, over columns
   * with extreme values.
   */
  @Test
  void columnAndChosenConstantsMatchExpandedVectors() {
    Random random = new Random(SEED + 3);
    // In a fixed order, so that the seeded values are the same in every run.
    List<Map.Entry<DataType, List<Object>>> constants =
        List.of(
            Map.entry(
                DataType.BIGINT,
                Arrays.<Object>asList(0L, 1L, -1L, 7L, -3L, Long.MAX_VALUE, Long.MIN_VALUE, null)),
            Map.entry(
                DataType.decimal(15, 2),
                Arrays.<Object>asList(
                    new BigDecimal("0.00"),
                    new BigDecimal("1.00"),
                    new BigDecimal("-1.00"),
                    new BigDecimal("0.01"),
                    new BigDecimal("3.00"),
                    // Halves to round: x * 10^6 / 128 has remainder 64 for odd x.
                    new BigDecimal("1.28"),
                    new BigDecimal("-0.64"),
                    new BigDecimal("9999999999999.99"),
                    new BigDecimal("-9999999999999.99"),
                    null)),
            Map.entry(
                DataType.DOUBLE,
                Arrays.<Object>asList(0.0, -0.0, 1.0, -1.0, 3.0, 1e-300, 1e300, null)));
    for (Map.Entry<DataType, List<Object>> entry : constants) {
      DataType type = entry.getKey();
      for (String operator : ARITHMETIC) {
        for (Object constant : entry.getValue()) {
          for (int shape = 0; shape < 4; shape++) {
            // Columns of extreme values, then of small ones (whose quotients fit in 64 bits).
            boolean small = shape >= 2;
            List<Object> column = new ArrayList<>();
            for (int row = 0; row < ROWS; row++) {
              column.add(small ? smallValue(random, type) : value(random, type, true));
            }
            compareColumnWithConstant(operator, type, column, constant, shape % 2 == 1);
          }
        }
      }
    }
  }

  /**
   * A row that overflows only under a NULL (whose stored value is any long) is no error: the loop
   * for a column and a constant hands the batch to the general loop, which skips NULL rows.
   */
  @Test
  void overflowUnderANullRowIsNoError() {
    long[] values = {1, Long.MAX_VALUE, 2, Long.MIN_VALUE};
    boolean[] nulls = {false, true, false, true};
    ColumnVector longs = new LongVector(DataType.BIGINT, values, nulls, 4);
    ColumnVector decimals = new DecimalVector(DataType.decimal(18, 2), values.clone(), nulls, 4);
    for (String operator : List.of("add", "subtract", "multiply", "divide", "int_divide", "mod")) {
      for (ColumnVector column : List.of(longs, decimals)) {
        for (boolean constantFirst : new boolean[] {false, true}) {
          DataType constantType = column.type();
          ColumnVector constant =
              ColumnVectorBuilder.constant(
                  constantType,
                  constantType.kind() == TypeKind.DECIMAL ? new BigDecimal("-3.00") : -3L,
                  1);
          ScalarFunction function =
              constantFirst
                  ? resolve(operator, constantType, column.type())
                  : resolve(operator, column.type(), constantType);
          ColumnVector actual =
              function.evaluate(
                  constantFirst ? List.of(constant, column) : List.of(column, constant),
                  4,
                  CONTEXT);
          String what = operator + " " + column.type() + (constantFirst ? " constant first" : "");
          assertThat(actual.isNull(1)).as(what).isTrue();
          assertThat(actual.isNull(3)).as(what).isTrue();
          assertThat(actual.isNull(0)).as(what).isFalse();
        }
      }
    }
    ColumnVector sums =
        resolve("add", DataType.BIGINT, DataType.BIGINT)
            .evaluate(
                List.of(longs, ColumnVectorBuilder.constant(DataType.BIGINT, 5L, 1)), 4, CONTEXT);
    assertThat(sums.getObject(0)).isEqualTo(6L);
    assertThat(sums.getObject(2)).isEqualTo(7L);
  }

  /** {@code column <operator> constant} (or the other way round) against expanded vectors. */
  private void compareColumnWithConstant(
      String operator, DataType type, List<Object> column, Object constant, boolean constantFirst) {
    ScalarFunction function = resolve(operator, type, type);
    List<Object> one = new ArrayList<>();
    one.add(constant);
    ColumnVector columnVector = vector(type, column);
    ColumnVector constantVector = vector(type, one);
    ColumnVector expandedVector = ColumnVectorBuilder.constant(type, constant, ROWS);
    List<ColumnVector> typed =
        constantFirst
            ? List.of(constantVector, columnVector)
            : List.of(columnVector, constantVector);
    List<ColumnVector> reference =
        constantFirst
            ? List.of(expandedVector, columnVector)
            : List.of(columnVector, expandedVector);
    String what =
        operator
            + " "
            + type
            + (constantFirst ? " constant " + constant + " first" : " by constant " + constant)
            + " (seed "
            + SEED
            + ")";
    ColumnVector expected;
    try {
      expected = function.evaluate(reference, ROWS, CONTEXT);
    } catch (BasaltException error) {
      assertThatThrownBy(() -> function.evaluate(typed, ROWS, CONTEXT))
          .as(what)
          .hasMessage(error.getMessage());
      return;
    }
    assertSame(what, expected, function.evaluate(typed, ROWS, CONTEXT));
  }

  /**
   * A nested call passes each literal as a constant: in {@code (a + 1) * 2} the multiplication
   * receives the sum as a full vector and 2 as one row, and the result equals the calls on expanded
   * vectors; a call on literals only still gives a vector of the batch's rows.
   */
  @Test
  void nestedCallsPassLiteralsAsConstantVectors() {
    Random random = new Random(SEED + 2);
    List<Object> values = new ArrayList<>();
    for (int row = 0; row < ROWS; row++) {
      values.add(value(random, DataType.decimal(15, 2), false));
    }
    Batch batch = new Batch(List.of(vector(DataType.decimal(15, 2), values)), ROWS);
    List<Integer> sizes = new ArrayList<>();
    ScalarFunction add = recording(resolve("add", DataType.decimal(15, 2), DataType.INT), sizes);
    DataType sum = add.returnType();
    ScalarFunction multiply = recording(resolve("multiply", sum, DataType.decimal(2, 1)), sizes);
    Expression nested =
        new FunctionCall(
            multiply,
            List.of(
                new FunctionCall(
                    add,
                    List.of(
                        new InputReference(0, DataType.decimal(15, 2)),
                        new Literal(1L, DataType.INT))),
                new Literal(new BigDecimal("0.9"), DataType.decimal(2, 1))));
    ColumnVector actual = nested.evaluate(batch, CONTEXT);
    assertThat(sizes).containsExactly(ROWS, 1, ROWS, 1);

    ColumnVector sums =
        add.evaluate(List.of(batch.column(0), expanded(DataType.INT, 1L)), ROWS, CONTEXT);
    ColumnVector expected =
        multiply.evaluate(
            List.of(sums, expanded(DataType.decimal(2, 1), new BigDecimal("0.9"))), ROWS, CONTEXT);
    assertSame("(d + 1) * 0.9", expected, actual);

    Expression constantsOnly =
        new FunctionCall(
            resolve("gt", DataType.BIGINT, DataType.BIGINT),
            List.of(new Literal(3L, DataType.BIGINT), new Literal(2L, DataType.BIGINT)));
    ColumnVector answers = constantsOnly.evaluate(batch, CONTEXT);
    assertThat(answers.size()).isEqualTo(ROWS);
    for (int row = 0; row < ROWS; row++) {
      assertThat(answers.getObject(row)).isEqualTo(true);
    }
    assertThat(constantsOnly.evaluate(new Batch(List.of(), 0), CONTEXT).size()).isZero();
  }

  /** Column with constant, constant with column, and two constants, for one operator. */
  private void compareShapes(Random random, String operator, List<DataType> types) {
    ScalarFunction function = resolve(operator, types.get(0), types.get(1));
    assertThat(function.takesConstantVectors()).as(operator + types).isTrue();
    // Per round: the constant side (2: both), then NULL constants (rounds 4, 5) and zeros (6, 7).
    int[] constantSides = {1, 0, 2, 1, 0, 1, 1, 0};
    int compared = 0;
    for (int round = 0; round < constantSides.length; round++) {
      boolean extremes = round % 2 == 1;
      int constantSide = constantSides[round];
      List<ColumnVector> typed = new ArrayList<>();
      List<ColumnVector> reference = new ArrayList<>();
      for (int side = 0; side < 2; side++) {
        DataType type = types.get(side);
        boolean constant = side == constantSide || constantSide == 2;
        Object repeated =
            round == 4 || round == 5
                ? null
                : round >= 6 ? zero(type) : value(random, type, extremes);
        List<Object> values = new ArrayList<>();
        for (int row = 0; row < ROWS; row++) {
          values.add(constant ? repeated : value(random, type, extremes));
        }
        List<Object> one = new ArrayList<>();
        one.add(repeated);
        typed.add(constant ? vector(type, one) : vector(type, values));
        reference.add(vector(type, values));
      }
      String what = operator + types + " round " + round + " (seed " + SEED + ")";
      ColumnVector expected;
      try {
        expected = function.evaluate(reference, ROWS, CONTEXT);
      } catch (BasaltException error) {
        assertThatThrownBy(() -> function.evaluate(typed, ROWS, CONTEXT))
            .as(what)
            .hasMessage(error.getMessage());
        continue;
      }
      assertSame(what, expected, function.evaluate(typed, ROWS, CONTEXT));
      compared++;
    }
    // Not every round may end in an error (an overflow): some must compare values.
    assertThat(compared).as(operator + types + " rounds compared").isGreaterThan(2);
  }

  private static ScalarFunction resolve(String name, DataType left, DataType right) {
    return REGISTRY.resolveScalar(name, List.of(left, right));
  }

  /** {@code function}, recording the size of every argument it receives into {@code sizes}. */
  private static ScalarFunction recording(ScalarFunction function, List<Integer> sizes) {
    return new ScalarFunction() {
      @Override
      public String name() {
        return function.name();
      }

      @Override
      public DataType returnType() {
        return function.returnType();
      }

      @Override
      public boolean takesConstantVectors() {
        return function.takesConstantVectors();
      }

      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        arguments.forEach(argument -> sizes.add(argument.size()));
        return function.evaluate(arguments, rowCount, context);
      }
    };
  }

  private static Object zero(DataType type) {
    return switch (type.kind()) {
      case DOUBLE -> -0.0;
      case DECIMAL -> BigDecimal.ZERO.setScale(type.scale());
      case LARGEINT -> BigInteger.ZERO;
      case CHAR, VARCHAR, STRING -> "0";
      case DATE -> LocalDate.of(1970, 1, 1);
      case DATETIME -> LocalDateTime.of(1970, 1, 1, 0, 0);
      default -> 0L;
    };
  }

  /**
   * A value of {@code type}: NULL one time in ten, zero one in twelve, with {@code extremes} the
   * type's bounds now and then, else small values that often meet.
   */
  private static Object value(Random random, DataType type, boolean extremes) {
    if (random.nextInt(10) == 0) {
      return null;
    }
    if (random.nextInt(12) == 0) {
      return zero(type);
    }
    boolean extreme = extremes && random.nextInt(40) == 0;
    return switch (type.kind()) {
      case TINYINT ->
          (long) (extreme ? (random.nextBoolean() ? 127 : -128) : random.nextInt(9) - 4);
      case INT ->
          (long)
              (extreme
                  ? (random.nextBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE)
                  : random.nextInt(2001) - 1000);
      case BIGINT ->
          extreme
              ? new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -1, Long.MAX_VALUE - 1}
                  [random.nextInt(4)]
              : random.nextBoolean() ? (long) random.nextInt(21) - 10 : random.nextLong() >> 34;
      case LARGEINT ->
          extreme
              ? BigInteger.ONE.shiftLeft(126).subtract(BigInteger.valueOf(random.nextInt(3)))
              : BigInteger.valueOf(random.nextLong()).shiftLeft(random.nextInt(50));
      case DOUBLE ->
          extreme
              ? new double[] {1e308, -1e308, Double.MIN_VALUE, -0.0}[random.nextInt(4)]
              : (random.nextInt(401) - 200) / 8.0;
      case DECIMAL -> decimal(random, type, extreme);
      case DATE -> LocalDate.of(2024, 1, 1).plusDays(random.nextInt(6));
      case DATETIME -> LocalDateTime.of(2024, 1, 1, 0, 0).plusHours(12L * random.nextInt(10));
      default ->
          switch (random.nextInt(5)) {
            case 0 -> "2024-01-0" + (1 + random.nextInt(5));
            case 1 -> "ab ";
            case 2 -> "x";
            default -> Integer.toString(random.nextInt(21) - 10);
          };
    };
  }

  /** A value of {@code type} of at most five digits, or NULL one time in ten. */
  private static Object smallValue(Random random, DataType type) {
    if (random.nextInt(10) == 0) {
      return null;
    }
    int digits = random.nextInt(200_001) - 100_000;
    return switch (type.kind()) {
      case DECIMAL -> BigDecimal.valueOf(digits, type.scale());
      case DOUBLE -> digits / 8.0;
      default -> (long) digits;
    };
  }

  /** A DECIMAL of {@code type}: its largest magnitude, or up to all its digits, or a few. */
  private static BigDecimal decimal(Random random, DataType type, boolean extreme) {
    int precision = type.precision();
    BigInteger bound = BigInteger.TEN.pow(precision);
    BigInteger unscaled;
    if (extreme) {
      unscaled = bound.subtract(BigInteger.ONE);
    } else if (random.nextBoolean()) {
      unscaled = BigInteger.valueOf(random.nextInt(2001) - 1000);
    } else {
      int digits = 1 + random.nextInt(precision);
      unscaled = new BigInteger(digits * 4, random).mod(BigInteger.TEN.pow(digits));
    }
    return new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(), type.scale());
  }

  private static ColumnVector expanded(DataType type, Object value) {
    return ColumnVectorBuilder.constant(type, value, ROWS);
  }

  private static ColumnVector vector(DataType type, List<?> values) {
    ColumnVectorBuilder builder = new ColumnVectorBuilder(type, Math.max(values.size(), 1));
    for (Object value : values) {
      builder.appendObject(value);
    }
    return builder.build();
  }

  private static void assertSame(String what, ColumnVector expected, ColumnVector actual) {
    assertThat(actual.type()).as(what + " type").isEqualTo(expected.type());
    assertThat(actual.size()).as(what + " size").isEqualTo(expected.size());
    for (int row = 0; row < expected.size(); row++) {
      assertThat(actual.isNull(row))
          .as(what + " null at row " + row)
          .isEqualTo(expected.isNull(row));
      assertThat(actual.getObject(row)).as(what + " row " + row).isEqualTo(expected.getObject(row));
    }
  }
}
