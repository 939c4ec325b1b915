package dev.basalt.exec.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.function.AggregateFunction;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.memory.MemoryPool;
import dev.basalt.exec.memory.QueryMemoryBudget;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two-phase aggregation: seeded random rows split over three pipeline copies, each with a {@link
 * PartialAggregateOperator} (flushing its bounded table), run in parallel by a {@link
 * LocalExchangeOperator} and merged by {@link HashAggregateOperator#mergingStates}, give exactly
 * the groups and values of a one-phase aggregation: COUNT, SUM, AVG, MIN, MAX over integers,
 * doubles, dates and decimals, FILTER, NULL keys and NULL-only groups, no keys over empty input;
 * also when the final phase spills.
 */
class TwoPhaseAggregationTest {
  private static final FunctionRegistry REGISTRY = FunctionRegistry.builtins();
  private static final List<DataType> TYPES =
      List.of(
          DataType.BIGINT,
          DataType.varchar(12),
          DataType.decimal(12, 2),
          DataType.DOUBLE,
          DataType.BOOLEAN,
          DataType.DATE);

  @TempDir Path spill;

  private static List<AggregateCall> calls() {
    return List.of(
        call("count", List.of(), -1),
        call("count", List.of(2), -1),
        call("sum", List.of(0), -1),
        call("sum", List.of(0), 4),
        call("sum", List.of(2), -1),
        call("avg", List.of(2), -1),
        call("sum", List.of(3), -1),
        call("avg", List.of(3), -1),
        call("min", List.of(0), -1),
        call("max", List.of(3), -1),
        call("max", List.of(5), -1),
        call("min", List.of(4), -1));
  }

  @Test
  void mergingPartialStatesEqualsOnePhase() {
    assertThat(PartialAggregateOperator.supports(calls())).isTrue();
    for (long seed : new long[] {1, 42, 2026}) {
      Random random = new Random(seed);
      List<Object[]> rows = rows(random, 150_000);
      for (int[] groupColumns : new int[][] {{}, {0}, {1}, {1, 4}, {5}}) {
        String description = "seed " + seed + ", group by " + Arrays.toString(groupColumns);
        List<String> expected = onePhase(rows, groupColumns);
        List<String> actual = twoPhase(rows, groupColumns, QueryMemoryBudget.unlimited());
        assertThat(actual).as(description).isEqualTo(expected);
        // A small budget: the partial tables flush early and the final phase spills.
        List<Object[]> fewer = rows.subList(0, 30_000);
        QueryMemoryBudget small =
            new QueryMemoryBudget(new MemoryPool(1 << 30), 1_000_000, "two-phase", spill);
        assertThat(twoPhase(fewer, groupColumns, small))
            .as(description + ", spilling")
            .isEqualTo(onePhase(fewer, groupColumns));
        assertThat(small.used()).isZero();
      }
    }
  }

  @Test
  void noKeysOverEmptyInputGiveOneRow() {
    assertThat(twoPhase(List.of(), new int[0], QueryMemoryBudget.unlimited()))
        .isEqualTo(onePhase(List.of(), new int[0]))
        .hasSize(1);
  }

  @Test
  void distinctAndRowWiseAggregatesAreNotMergeable() {
    assertThat(
            PartialAggregateOperator.supports(
                List.of(
                    new AggregateCall(
                        REGISTRY.resolveAggregate("count", List.of(DataType.BIGINT), true),
                        List.of(0),
                        -1))))
        .isFalse();
    assertThat(PartialAggregateOperator.supports(List.of(call("group_concat", List.of(1), -1))))
        .isFalse();
  }

  private static List<String> onePhase(List<Object[]> rows, int[] groupColumns) {
    BitSet all = new BitSet();
    all.set(0, groupColumns.length);
    return drain(
        new HashAggregateOperator(
            new ValuesOperator(TYPES, rows),
            groupColumns,
            List.of(all),
            calls(),
            QueryMemoryBudget.unlimited()));
  }

  private static List<String> twoPhase(
      List<Object[]> rows, int[] groupColumns, QueryMemoryBudget budget) {
    List<Operator> partials = new ArrayList<>();
    int copies = 3;
    for (int copy = 0; copy < copies; copy++) {
      List<Object[]> part = new ArrayList<>();
      for (int row = copy; row < rows.size(); row += copies) {
        part.add(rows.get(row));
      }
      partials.add(
          new PartialAggregateOperator(
              new ValuesOperator(TYPES, part), groupColumns, calls(), budget));
    }
    return drain(
        HashAggregateOperator.mergingStates(
            new LocalExchangeOperator(partials), groupColumns.length, calls(), budget));
  }

  private static List<String> drain(Operator operator) {
    List<String> result = new ArrayList<>();
    try (operator) {
      for (Batch batch = operator.next(); batch != null; batch = operator.next()) {
        for (int row = 0; row < batch.rowCount(); row++) {
          Object[] values = RowBuffer.row(batch, row);
          for (int i = 0; i < values.length; i++) {
            if (values[i] instanceof Double number) {
              // Partial sums add in another order: compare doubles to 9 significant digits.
              values[i] = String.format("%.9g", number);
            }
          }
          result.add(Arrays.toString(values));
        }
      }
    }
    result.sort(null);
    return result;
  }

  private static List<Object[]> rows(Random random, int count) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(
          new Object[] {
            random.nextInt(25) == 0 ? null : (long) random.nextInt(100_000) - 500,
            random.nextInt(15) == 0 ? null : "k" + random.nextInt(300),
            random.nextInt(10) == 0 ? null : BigDecimal.valueOf(random.nextInt(1_000_000), 2),
            random.nextInt(10) == 0 ? null : random.nextDouble() * 1000 - 500,
            random.nextInt(10) == 0 ? null : random.nextBoolean(),
            random.nextInt(10) == 0
                ? null
                : java.time.LocalDate.of(2026, 1, 1).plusDays(random.nextInt(50))
          });
    }
    return rows;
  }

  private static AggregateCall call(String name, List<Integer> arguments, int filter) {
    List<DataType> types = arguments.stream().map(TYPES::get).toList();
    AggregateFunction function = REGISTRY.resolveAggregate(name, types, false);
    return new AggregateCall(function, arguments, filter);
  }
}
