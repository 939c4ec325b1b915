package dev.basalt.exec.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.expression.Expression;
import dev.basalt.exec.expression.FunctionCall;
import dev.basalt.exec.expression.InputReference;
import dev.basalt.exec.expression.Literal;
import dev.basalt.exec.expression.LogicalExpression;
import dev.basalt.exec.function.AggregateFunction;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.FunctionTesting;
import dev.basalt.exec.memory.QueryMemoryBudget;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Selection vectors through filter, projection and hash aggregation: seeded random rows through
 * chains whose operators pass selections on ({@link Operator#nextSelected()}) give the same answers
 * as the same chains with every batch compacted between operators (the gathering path), and a
 * filter over a filter only narrows the selection it is given.
 */
class SelectionVectorTest {
  private static final FunctionRegistry REGISTRY = FunctionRegistry.builtins();
  private static final List<DataType> TYPES =
      List.of(
          DataType.BIGINT,
          DataType.varchar(10),
          DataType.DOUBLE,
          DataType.BIGINT,
          DataType.decimal(10, 2),
          DataType.BOOLEAN);

  @Test
  void filterFilterAggregateEqualsTheCompactedPath() {
    for (long seed : new long[] {3, 41, 2026}) {
      Random random = new Random(seed);
      List<Object[]> rows = randomRows(random, 20_000);
      for (int round = 0; round < 6; round++) {
        // Thresholds from "keeps almost nothing" (gathered) to "keeps almost everything".
        long first = random.nextLong(1_000_000);
        long second = random.nextInt(260) - 120;
        boolean bare = random.nextBoolean();
        List<List<Object>> selected = aggregate(rows, true, first, second, false, bare, false);
        List<List<Object>> compacted = aggregate(rows, true, first, second, true, bare, false);
        List<List<Object>> reference =
            aggregate(passing(rows, first, second), false, 0, 0, true, bare, false);
        assertThat(selected)
            .as("seed %d round %d (col3 > %d, col0 < %d)", seed, round, first, second)
            .isEqualTo(compacted)
            .isEqualTo(reference);
      }
    }
  }

  /**
   * Selections of every density are aggregated in place ({@link AggregationInput}): the
   * accumulators loop over the selected positions, nothing is gathered.
   */
  @Test
  void denseAndSparseSelectionsAggregateAlike() {
    Random random = new Random(11);
    List<Object[]> rows = randomRows(random, 20_000);
    for (Object[] row : rows) {
      row[0] = row[0] == null ? 0L : row[0];
      row[3] = row[3] == null ? 999_999L : row[3];
    }
    for (long first : new long[] {-1, 10_000, 60_000, 400_000}) {
      for (boolean partial : new boolean[] {false, true}) {
        assertThat(aggregate(rows, true, first, 1000, false, true, partial))
            .as("col3 > %d, partial %s", first, partial)
            .isEqualTo(aggregate(rows, true, first, 1000, true, true, partial))
            .isEqualTo(aggregate(passing(rows, first, 1000), false, 0, 0, true, true, partial));
      }
    }
    for (long first : new long[] {60_000, 400_000}) {
      Batch selected =
          new FilterOperator(values(rows), greaterThan(3, first), CONTEXT).nextSelected();
      assertThat(selected.hasSelection()).isTrue();
      AggregationInput input = AggregationInput.of(selected);
      assertThat(input.positions()).isSameAs(selected.selection());
      assertThat(input.count()).isEqualTo(selected.selectedCount());
      assertThat(input.columns()).isEqualTo(selected.columns());
    }
  }

  @Test
  void partialAggregationOverSelectionsEqualsTheCompactedPath() {
    Random random = new Random(77);
    List<Object[]> rows = randomRows(random, 20_000);
    for (long first : new long[] {0, 30_000, 500_000, 990_000}) {
      assertThat(aggregate(rows, true, first, 50, false, false, true))
          .as("col3 > %d", first)
          .isEqualTo(aggregate(rows, true, first, 50, true, false, true))
          .isEqualTo(aggregate(passing(rows, first, 50), false, 0, 0, true, false, true));
    }
  }

  @Test
  void aFilterOverASelectionRefinesItAndNextNeverReturnsOne() {
    Random random = new Random(5);
    List<Object[]> rows = randomRows(random, 10_000);
    Operator lower = new FilterOperator(values(rows), greaterThan(3, 300_000), CONTEXT);
    Operator upper = new FilterOperator(lower, lessThan(0, 100), CONTEXT);
    int offset = 0;
    int batches = 0;
    for (Batch batch = upper.nextSelected(); batch != null; batch = upper.nextSelected()) {
      assertThat(batch.hasSelection()).isTrue();
      // The input's vectors, unchanged: the selection indexes the rows of one source batch.
      while (offset + batch.rowCount() <= rows.size() && !sameRow(rows.get(offset), batch, 0)) {
        offset += Batch.DEFAULT_SIZE;
      }
      List<Integer> expected = new ArrayList<>();
      for (int row = 0; row < batch.rowCount(); row++) {
        Object[] values = rows.get(offset + row);
        if (values[3] != null
            && (Long) values[3] > 300_000
            && values[0] != null
            && (Long) values[0] < 100) {
          expected.add(row);
        }
      }
      int[] positions = new int[batch.selectedCount()];
      batch.positions(positions);
      assertThat(Arrays.stream(positions).boxed().toList()).isEqualTo(expected);
      offset += batch.rowCount();
      batches++;
    }
    assertThat(batches).isEqualTo((rows.size() + Batch.DEFAULT_SIZE - 1) / Batch.DEFAULT_SIZE);
    upper.close();

    Operator compacting =
        new FilterOperator(
            new FilterOperator(values(rows), greaterThan(3, 300_000), CONTEXT),
            lessThan(0, 100),
            CONTEXT);
    for (Batch batch = compacting.next(); batch != null; batch = compacting.next()) {
      assertThat(batch.hasSelection()).isFalse();
    }
  }

  @Test
  void aFilterGathersWhatFewRowsSurvive() {
    List<Object[]> rows = new ArrayList<>();
    for (long i = 0; i < Batch.DEFAULT_SIZE; i++) {
      rows.add(new Object[] {i, "a", 1.0, i, BigDecimal.ONE, true});
    }
    int few = Batch.DEFAULT_SIZE / FilterOperator.GATHER_BELOW - 1;
    Operator sparse = new FilterOperator(values(rows), lessThan(3, few), CONTEXT);
    Batch batch = sparse.nextSelected();
    assertThat(batch.hasSelection()).isFalse();
    assertThat(batch.rowCount()).isEqualTo(few);
    Operator dense = new FilterOperator(values(rows), lessThan(3, few + 2), CONTEXT);
    assertThat(dense.nextSelected().hasSelection()).isTrue();
  }

  /**
   * values → filter(col3 > first) → filter(col0 < second OR col1 = 't3') → project → aggregate
   * (without the filters unless {@code filtered}), read as selections or with every batch compacted
   * between operators.
   */
  private static List<List<Object>> aggregate(
      List<Object[]> rows,
      boolean filtered,
      long first,
      long second,
      boolean compactEach,
      boolean bareProjection,
      boolean partial) {
    Operator operator = values(rows);
    if (filtered) {
      operator =
          maybeCompacting(
              new FilterOperator(operator, greaterThan(3, first), CONTEXT), compactEach);
      DataType text = DataType.varchar(10);
      Expression isT3 =
          new FunctionCall(
              scalar("eq", text, text),
              List.of(new InputReference(1, text), new Literal("t3", text)));
      Expression secondCondition =
          new LogicalExpression(LogicalExpression.Kind.OR, List.of(lessThan(0, second), isT3));
      operator =
          maybeCompacting(new FilterOperator(operator, secondCondition, CONTEXT), compactEach);
    }
    // Output columns: 0 group key (BIGINT), 1 group key (VARCHAR), 2 DOUBLE, 3 BIGINT or
    // col3 + col3, 4 DECIMAL, 5 BOOLEAN.
    List<Expression> projection = new ArrayList<>();
    for (int column = 0; column < TYPES.size(); column++) {
      projection.add(new InputReference(column, TYPES.get(column)));
    }
    if (!bareProjection) {
      InputReference value = new InputReference(3, DataType.BIGINT);
      projection.set(
          3,
          new FunctionCall(scalar("add", DataType.BIGINT, DataType.BIGINT), List.of(value, value)));
    }
    operator = maybeCompacting(new ProjectOperator(operator, projection, CONTEXT), compactEach);
    List<AggregateCall> calls =
        List.of(
            call("count", List.of(), -1),
            call("count", List.of(2), -1),
            call("sum", List.of(3), -1),
            call("sum", List.of(4), 5),
            call("min", List.of(2), -1),
            call("max", List.of(4), -1));
    Operator aggregation =
        partial
            ? HashAggregateOperator.mergingStates(
                new PartialAggregateOperator(operator, new int[] {1}, calls, unlimited()),
                1,
                calls,
                unlimited())
            : new HashAggregateOperator(
                operator,
                new int[] {0, 1},
                List.of(bits(0, 1), bits(1), bits()),
                calls,
                unlimited());
    List<List<Object>> result = new ArrayList<>();
    for (Batch batch = aggregation.next(); batch != null; batch = aggregation.next()) {
      for (int row = 0; row < batch.rowCount(); row++) {
        result.add(Arrays.asList(RowBuffer.row(batch, row)));
      }
    }
    aggregation.close();
    if (partial) {
      result.sort(java.util.Comparator.comparing(row -> String.valueOf(row.get(0))));
    }
    return result;
  }

  /** The rows that pass both filters, chosen by a plain loop: the reference's input. */
  private static List<Object[]> passing(List<Object[]> rows, long first, long second) {
    List<Object[]> kept = new ArrayList<>();
    for (Object[] row : rows) {
      boolean firstPasses = row[3] != null && (Long) row[3] > first;
      boolean secondPasses = row[0] != null && (Long) row[0] < second || "t3".equals(row[1]);
      if (firstPasses && secondPasses) {
        kept.add(row);
      }
    }
    return kept;
  }

  private static Operator maybeCompacting(Operator operator, boolean compactEach) {
    return compactEach ? new Compacting(operator) : operator;
  }

  /** Hands its input's batches on through {@link #next()} only: every batch compacted. */
  private record Compacting(Operator input) implements Operator {
    @Override
    public List<DataType> outputTypes() {
      return input.outputTypes();
    }

    @Override
    public Batch next() {
      return input.next();
    }

    @Override
    public void close() {
      input.close();
    }
  }

  private static final dev.basalt.exec.function.EvaluationContext CONTEXT = FunctionTesting.CONTEXT;

  private static Operator values(List<Object[]> rows) {
    return new ValuesOperator(TYPES, rows);
  }

  private static boolean sameRow(Object[] row, Batch batch, int position) {
    return Arrays.equals(row, RowBuffer.row(batch, position));
  }

  private static Expression greaterThan(int column, long value) {
    return comparison("gt", column, value);
  }

  private static Expression lessThan(int column, long value) {
    return comparison("lt", column, value);
  }

  private static Expression comparison(String name, int column, long value) {
    return new FunctionCall(
        scalar(name, DataType.BIGINT, DataType.BIGINT),
        List.of(new InputReference(column, DataType.BIGINT), new Literal(value, DataType.BIGINT)));
  }

  private static dev.basalt.exec.function.ScalarFunction scalar(
      String name, DataType left, DataType right) {
    return REGISTRY.resolveScalar(name, List.of(left, right));
  }

  private static AggregateCall call(String name, List<Integer> arguments, int filter) {
    List<DataType> types = arguments.stream().map(TYPES::get).toList();
    AggregateFunction function = REGISTRY.resolveAggregate(name, types, false);
    return new AggregateCall(function, arguments, filter);
  }

  private static QueryMemoryBudget unlimited() {
    return QueryMemoryBudget.unlimited();
  }

  private static BitSet bits(int... positions) {
    BitSet set = new BitSet();
    for (int position : positions) {
      set.set(position);
    }
    return set;
  }

  private static List<Object[]> randomRows(Random random, int count) {
    List<Object[]> rows = new ArrayList<>();
    Map<Integer, String> texts = new HashMap<>();
    for (int i = 0; i < count; i++) {
      rows.add(
          new Object[] {
            random.nextInt(20) == 0 ? null : (long) random.nextInt(300) - 100,
            random.nextInt(15) == 0
                ? null
                : texts.computeIfAbsent(random.nextInt(40), n -> "t" + n),
            random.nextInt(10) == 0 ? null : random.nextDouble(),
            random.nextInt(10) == 0 ? null : random.nextLong(1_000_000),
            random.nextInt(10) == 0 ? null : BigDecimal.valueOf(random.nextInt(100_000), 2),
            random.nextInt(10) == 0 ? null : random.nextBoolean()
          });
    }
    return rows;
  }
}
