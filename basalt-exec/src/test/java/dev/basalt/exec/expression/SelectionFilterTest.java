package dev.basalt.exec.expression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.FunctionTesting;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.cast.Casts;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SelectionFilter} against the rows for which the condition, evaluated as an expression, is
 * TRUE: random conditions over integer, decimal, date and CHAR columns with NULLs.
 */
class SelectionFilterTest {
  private static final FunctionRegistry REGISTRY = FunctionRegistry.builtins();
  private static final String[] COMPARISONS = {"eq", "ne", "lt", "le", "gt", "ge", "null_safe_eq"};
  private static final String[] WORDS = {"AIR", "AIR REG", "MAIL", "SHIP", "AIR ", ""};

  private static final DataType DECIMAL = DataType.decimal(15, 2);
  private static final DataType CHAR = DataType.character(10);
  private static final List<DataType> TYPES =
      List.of(DataType.BIGINT, DECIMAL, DataType.DATE, CHAR, DataType.INT);

  @Test
  void selectsExactlyTheRowsWhereTheConditionIsTrue() {
    long seed = 20261206L;
    Random random = new Random(seed);
    for (int round = 0; round < 400; round++) {
      Batch batch = randomBatch(random, 1 + random.nextInt(300));
      Expression condition = randomCondition(random, 3);
      LongVector truth = (LongVector) condition.evaluate(batch, FunctionTesting.CONTEXT);
      List<Integer> expected = new ArrayList<>();
      for (int row = 0; row < batch.rowCount(); row++) {
        if (!truth.isNull(row) && truth.getLong(row) != 0) {
          expected.add(row);
        }
      }
      int[] selected = new int[batch.rowCount()];
      int count = SelectionFilter.of(condition).select(batch, FunctionTesting.CONTEXT, selected);
      List<Integer> actual = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        actual.add(selected[i]);
      }
      assertThat(actual).as("seed %d round %d: %s", seed, round, condition).isEqualTo(expected);
    }
  }

  @Test
  void decimalConstantsFinerThanTheColumnCompareExactly() {
    ColumnVector prices = vector(DECIMAL, "0.05", "0.06", "0.07", null, "-0.06");
    Batch batch = new Batch(List.of(prices), 5);
    assertThat(select(batch, comparison("lt", column(0, DECIMAL), decimal("0.055"))))
        .containsExactly(0, 4);
    assertThat(select(batch, comparison("ge", column(0, DECIMAL), decimal("0.055"))))
        .containsExactly(1, 2);
    assertThat(select(batch, comparison("le", column(0, DECIMAL), decimal("0.065"))))
        .containsExactly(0, 1, 4);
    assertThat(select(batch, comparison("gt", decimal("-0.055"), column(0, DECIMAL))))
        .containsExactly(4);
    assertThat(select(batch, comparison("eq", column(0, DECIMAL), decimal("0.055")))).isEmpty();
    assertThat(select(batch, comparison("ne", column(0, DECIMAL), decimal("0.055"))))
        .containsExactly(0, 1, 2, 4);
  }

  /**
   * An AND or OR of comparisons of one computed value with constants (what {@code f(x) IN (...)}
   * and {@code f(x) BETWEEN a AND b} become) computes the value once per batch and selects the same
   * rows as the expression.
   */
  @Test
  void sharedComputedOperandIsEvaluatedOnceAndSelectsTheSameRows() {
    long seed = 20261207L;
    Random random = new Random(seed);
    ScalarFunction add = REGISTRY.resolveScalar("add", List.of(DataType.BIGINT, DataType.BIGINT));
    int[] calls = new int[1];
    ScalarFunction counted =
        new ScalarFunction() {
          @Override
          public String name() {
            return add.name();
          }

          @Override
          public DataType returnType() {
            return add.returnType();
          }

          @Override
          public ColumnVector evaluate(
              List<ColumnVector> arguments,
              int rowCount,
              dev.basalt.exec.function.EvaluationContext context) {
            calls[0]++;
            return add.evaluate(arguments, rowCount, context);
          }
        };
    for (int round = 0; round < 200; round++) {
      Batch batch = randomBatch(random, 1 + random.nextInt(300));
      Expression computed =
          new FunctionCall(
              counted, List.of(column(0, DataType.BIGINT), new Literal(3L, DataType.BIGINT)));
      List<Expression> comparisons = new ArrayList<>();
      for (int i = 0, n = 2 + random.nextInt(5); i < n; i++) {
        Expression constant =
            random.nextInt(10) == 0
                ? new Literal(null, DataType.BIGINT)
                : new Literal((long) random.nextInt(21) - 7, DataType.BIGINT);
        String name = COMPARISONS[random.nextInt(COMPARISONS.length)];
        comparisons.add(
            random.nextBoolean()
                ? comparison(name, computed, constant)
                : comparison(name, constant, computed));
      }
      Expression condition =
          new LogicalExpression(
              random.nextBoolean() ? LogicalExpression.Kind.AND : LogicalExpression.Kind.OR,
              comparisons);
      LongVector truth = (LongVector) condition.evaluate(batch, FunctionTesting.CONTEXT);
      List<Integer> expected = new ArrayList<>();
      for (int row = 0; row < batch.rowCount(); row++) {
        if (!truth.isNull(row) && truth.getLong(row) != 0) {
          expected.add(row);
        }
      }
      calls[0] = 0;
      assertThat(select(batch, condition))
          .as("seed %d round %d: %s", seed, round, condition)
          .isEqualTo(expected);
      assertThat(calls[0]).as("evaluations of the shared operand").isEqualTo(1);
    }
  }

  private static List<Integer> select(Batch batch, Expression condition) {
    int[] selected = new int[batch.rowCount()];
    int count = SelectionFilter.of(condition).select(batch, FunctionTesting.CONTEXT, selected);
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(selected[i]);
    }
    return rows;
  }

  private static Batch randomBatch(Random random, int rows) {
    List<ColumnVector> columns = new ArrayList<>();
    for (DataType type : TYPES) {
      ColumnVectorBuilder builder = new ColumnVectorBuilder(type);
      for (int row = 0; row < rows; row++) {
        builder.appendObject(random.nextInt(8) == 0 ? null : randomValue(random, type));
      }
      columns.add(builder.build());
    }
    return new Batch(columns, rows);
  }

  private static Object randomValue(Random random, DataType type) {
    return switch (type.kind()) {
      case BIGINT, INT -> (long) random.nextInt(21) - 10;
      case DECIMAL -> BigDecimal.valueOf(random.nextInt(2001) - 1000, 2);
      case DATE -> LocalDate.of(1994, 1, 1).plusDays(random.nextInt(40) - 20);
      default -> WORDS[random.nextInt(WORDS.length)];
    };
  }

  private static Expression randomCondition(Random random, int depth) {
    int choice = random.nextInt(depth > 0 ? 6 : 3);
    if (choice <= 2) {
      return randomComparison(random);
    }
    if (choice == 5) {
      return new LogicalExpression(
          LogicalExpression.Kind.NOT, List.of(randomCondition(random, depth - 1)));
    }
    List<Expression> operands = new ArrayList<>();
    for (int i = 0, n = 2 + random.nextInt(3); i < n; i++) {
      operands.add(randomCondition(random, depth - 1));
    }
    return new LogicalExpression(
        choice == 3 ? LogicalExpression.Kind.AND : LogicalExpression.Kind.OR, operands);
  }

  private static Expression randomComparison(Random random) {
    int index = random.nextInt(TYPES.size());
    DataType type = TYPES.get(index);
    Expression column = column(index, type);
    Expression constant =
        switch (random.nextInt(4)) {
          case 0 -> new Literal(null, type);
          case 1 -> constantOfOtherType(random, type);
          default -> new Literal(randomValue(random, type), type);
        };
    if (random.nextInt(6) == 0) {
      // A column on both sides: evaluated, not a kernel.
      constant = column((index + 1) % TYPES.size(), TYPES.get((index + 1) % TYPES.size()));
      if (!TYPES.get((index + 1) % TYPES.size()).equals(type)) {
        constant = column(index, type);
      }
    }
    if (random.nextInt(3) == 0 && column instanceof InputReference reference) {
      // A widening cast the filter looks through, or (to a smaller scale) one it must not.
      DataType to =
          switch (type.kind()) {
            case DECIMAL ->
                random.nextBoolean() ? DataType.decimal(16, 2) : DataType.decimal(16, 1);
            case INT -> DataType.BIGINT;
            case CHAR -> random.nextBoolean() ? DataType.varchar(10) : DataType.varchar(3);
            default -> type;
          };
      column = new FunctionCall(Casts.resolve(type, to), List.of(reference));
    }
    String name = COMPARISONS[random.nextInt(COMPARISONS.length)];
    return random.nextBoolean()
        ? comparison(name, column, constant)
        : comparison(name, constant, column);
  }

  /** Constants the comparison has to convert: finer decimals, integers, date arithmetic. */
  private static Expression constantOfOtherType(Random random, DataType type) {
    return switch (type.kind()) {
      case BIGINT, INT -> decimal(BigDecimal.valueOf(random.nextInt(2001) - 1000, 2).toString());
      case DECIMAL ->
          random.nextBoolean()
              ? decimal(BigDecimal.valueOf(random.nextInt(20001) - 10000, 3).toString())
              : new Literal((long) random.nextInt(21) - 10, DataType.INT);
      case DATE -> {
        Literal start = new Literal(LocalDate.of(1994, 1, 1), DataType.DATE);
        Literal days = new Literal((long) random.nextInt(21) - 10, DataType.INT);
        Literal unit = new Literal("DAY", DataType.varchar(3));
        ScalarFunction add =
            REGISTRY.resolveScalar(
                "date_add",
                List.of(DataType.DATE, DataType.INT, unit.type()),
                java.util.Arrays.asList(start.value(), days.value(), unit.value()));
        yield new FunctionCall(add, List.of(start, days, unit));
      }
      default -> new Literal(WORDS[random.nextInt(WORDS.length)], DataType.varchar(10));
    };
  }

  private static Expression column(int index, DataType type) {
    return new InputReference(index, type);
  }

  private static Expression decimal(String text) {
    BigDecimal value = new BigDecimal(text);
    return new Literal(
        value, DataType.decimal(Math.max(value.precision(), value.scale() + 1), value.scale()));
  }

  private static Expression comparison(String name, Expression left, Expression right) {
    ScalarFunction function = REGISTRY.resolveScalar(name, List.of(left.type(), right.type()));
    return new FunctionCall(function, List.of(left, right));
  }

  private static ColumnVector vector(DataType type, String... values) {
    ColumnVectorBuilder builder = new ColumnVectorBuilder(type);
    for (String value : values) {
      builder.appendObject(value == null ? null : new BigDecimal(value));
    }
    return builder.build();
  }
}
