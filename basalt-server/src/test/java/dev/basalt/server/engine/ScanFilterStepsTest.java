package dev.basalt.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.expression.Expression;
import dev.basalt.exec.expression.FunctionCall;
import dev.basalt.exec.expression.InputReference;
import dev.basalt.exec.expression.Literal;
import dev.basalt.exec.expression.LogicalExpression;
import dev.basalt.exec.expression.NullTest;
import dev.basalt.exec.expression.SelectionFilter;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.FunctionRegistry;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ScanFilterSteps} against the condition it was cut from: random ANDs of comparisons on one
 * or two of five columns (with NULLs, ORs and IS NULL inside), applied step after step over each
 * step's own columns, keep exactly the rows the whole condition keeps.
 */
class ScanFilterStepsTest {
  private static final FunctionRegistry REGISTRY = FunctionRegistry.builtins();
  private static final EvaluationContext CONTEXT =
      new EvaluationContext(ZoneId.of("Asia/Shanghai"), LocalDateTime.of(2024, 3, 15, 10, 0), "t");
  private static final String[] COMPARISONS = {"eq", "ne", "lt", "le", "gt", "ge"};
  private static final List<DataType> TYPES =
      List.of(
          DataType.BIGINT, DataType.decimal(15, 2), DataType.BIGINT, DataType.INT, DataType.BIGINT);

  @Test
  void stepsKeepTheRowsOfTheWholeCondition() {
    long seed = 20261207L;
    Random random = new Random(seed);
    int cutInSeveral = 0;
    for (int round = 0; round < 300; round++) {
      int rows = 1 + random.nextInt(500);
      Batch batch = randomBatch(random, rows);
      List<Expression> conjuncts = new ArrayList<>();
      for (int i = 0, n = 1 + random.nextInt(5); i < n; i++) {
        conjuncts.add(randomConjunct(random));
      }
      Expression condition =
          conjuncts.size() == 1
              ? conjuncts.get(0)
              : new LogicalExpression(LogicalExpression.Kind.AND, conjuncts);
      int[] runtime = random.nextInt(3) == 0 ? new int[] {random.nextInt(5)} : new int[0];
      ScanFilterSteps steps = ScanFilterSteps.of(condition, TYPES.size(), runtime);
      if (steps.steps().size() > 1) {
        cutInSeveral++;
      }
      int[] expected = new int[rows];
      int expectedCount = SelectionFilter.of(condition).select(batch, CONTEXT, expected);
      int[] positions = new int[rows];
      int kept = SelectionFilter.selectAll(positions, rows);
      boolean[] seen = new boolean[TYPES.size()];
      for (ScanFilterSteps.Step step : steps.steps()) {
        List<ColumnVector> columns = new ArrayList<>();
        for (int column : step.columns()) {
          assertThat(seen[column]).as("column %d in two steps", column).isFalse();
          seen[column] = true;
          columns.add(batch.column(column));
        }
        if (step.condition() != null) {
          kept =
              SelectionFilter.of(step.condition())
                  .refine(new Batch(columns, rows), CONTEXT, positions, kept);
        }
      }
      for (int column : runtime) {
        assertThat(Arrays.stream(steps.steps().get(0).columns()).anyMatch(c -> c == column))
            .as("runtime filter column %d in the first step", column)
            .isTrue();
      }
      assertThat(Arrays.copyOf(positions, kept))
          .as("seed %d round %d: %s", seed, round, condition)
          .isEqualTo(Arrays.copyOf(expected, expectedCount));
    }
    assertThat(cutInSeveral).isGreaterThan(50);
  }

  private static Batch randomBatch(Random random, int rows) {
    List<ColumnVector> columns = new ArrayList<>();
    for (DataType type : TYPES) {
      ColumnVectorBuilder builder = new ColumnVectorBuilder(type);
      for (int row = 0; row < rows; row++) {
        builder.appendObject(random.nextInt(8) == 0 ? null : value(random, type));
      }
      columns.add(builder.build());
    }
    return new Batch(columns, rows);
  }

  private static Object value(Random random, DataType type) {
    return type.kind() == dev.basalt.common.type.TypeKind.DECIMAL
        ? BigDecimal.valueOf(random.nextInt(2001) - 1000, 2)
        : (Object) (long) (random.nextInt(21) - 10);
  }

  private static Expression randomConjunct(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> new NullTest(column(random.nextInt(5)), random.nextBoolean());
      case 1 ->
          new LogicalExpression(
              LogicalExpression.Kind.OR, List.of(comparison(random), comparison(random)));
      case 2 -> {
        int left = random.nextInt(5);
        int right = random.nextInt(5);
        yield call(COMPARISONS[random.nextInt(COMPARISONS.length)], column(left), column(right));
      }
      default -> comparison(random);
    };
  }

  private static Expression comparison(Random random) {
    int index = random.nextInt(5);
    Expression constant = new Literal(value(random, TYPES.get(index)), TYPES.get(index));
    String name = COMPARISONS[random.nextInt(COMPARISONS.length)];
    return random.nextBoolean()
        ? call(name, column(index), constant)
        : call(name, constant, column(index));
  }

  private static Expression column(int index) {
    return new InputReference(index, TYPES.get(index));
  }

  private static Expression call(String name, Expression left, Expression right) {
    return new FunctionCall(
        REGISTRY.resolveScalar(name, List.of(left.type(), right.type())), List.of(left, right));
  }
}
