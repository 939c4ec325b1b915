package dev.basalt.exec.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.function.Accumulator;
import dev.basalt.exec.function.AggregateFunction;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.memory.MemoryPool;
import dev.basalt.exec.memory.QueryMemoryBudget;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random inputs through {@link HashAggregateOperator} (typed group tables, batch
 * accumulators) against a reference that groups boxed rows in a map and feeds the row-wise
 * accumulators: the same groups, in the same order, with the same values.
 */
class HashAggregateOperatorTest {
  private static final FunctionRegistry REGISTRY = FunctionRegistry.builtins();
  private static final List<DataType> TYPES =
      List.of(
          DataType.BIGINT,
          DataType.varchar(10),
          DataType.DOUBLE,
          DataType.BIGINT,
          DataType.decimal(10, 2),
          DataType.BOOLEAN);
  private static final double[] DOUBLES = {0.0, -0.0, 1.5, -2.25, 1e300};

  @Test
  void matchesRowWiseAggregationOverGroupingSets() {
    for (long seed : new long[] {7, 99, 2026}) {
      Random random = new Random(seed);
      List<Object[]> rows = randomRows(random, 10_000);
      List<AggregateCall> calls =
          List.of(
              call("count", List.of(), -1),
              call("count", List.of(3), -1),
              call("sum", List.of(3), -1),
              call("sum", List.of(3), 5),
              call("min", List.of(2), -1),
              call("max", List.of(2), -1),
              call("avg", List.of(2), -1),
              call("sum", List.of(4), -1),
              call("avg", List.of(4), -1),
              call("min", List.of(1), -1),
              call("stddev", List.of(3), -1),
              call("sum", List.of(2), -1),
              call("count", List.of(3), -1, true),
              call("count", List.of(1, 2), 5, true),
              call("sum", List.of(4), -1, true),
              call("group_concat", List.of(1), -1),
              call("group_concat", List.of(2), 5, true),
              call("var_samp", List.of(2), -1),
              call("bit_xor", List.of(3), -1),
              call("bool_and", List.of(5), -1),
              call("ndv", List.of(2), -1));
      int[] groupColumns = {0, 1, 2};
      List<BitSet> sets = List.of(bits(0), bits(1, 2), bits(2), bits());
      HashAggregateOperator operator =
          new HashAggregateOperator(
              new ValuesOperator(TYPES, rows),
              groupColumns,
              sets,
              calls,
              QueryMemoryBudget.unlimited());
      List<List<Object>> actual = new ArrayList<>();
      for (Batch batch = operator.next(); batch != null; batch = operator.next()) {
        for (int row = 0; row < batch.rowCount(); row++) {
          actual.add(Arrays.asList(RowBuffer.row(batch, row)));
        }
      }
      operator.close();
      assertThat(actual).as("seed %d", seed).isEqualTo(reference(rows, groupColumns, sets, calls));
    }
  }

  @Test
  void anAggregateOverEmptyInputWithoutKeysGivesOneRow() {
    HashAggregateOperator operator =
        new HashAggregateOperator(
            new ValuesOperator(TYPES, List.of()),
            new int[0],
            List.of(bits()),
            List.of(call("count", List.of(), -1), call("sum", List.of(3), -1)),
            QueryMemoryBudget.unlimited());
    Batch batch = operator.next();
    assertThat(batch.rowCount()).isEqualTo(1);
    assertThat(batch.column(0).getObject(0)).isEqualTo(0L);
    assertThat(batch.column(1).getObject(0)).isNull();
    assertThat(operator.next()).isNull();
  }

  @Test
  void manyGroupsPassASmallMemoryLimit() {
    List<Object[]> rows = new ArrayList<>();
    for (long i = 0; i < 50_000; i++) {
      rows.add(new Object[] {i, "g", 1.0, i, BigDecimal.ONE, true});
    }
    QueryMemoryBudget budget = new QueryMemoryBudget(new MemoryPool(1 << 30), 200_000, "test");
    HashAggregateOperator operator =
        new HashAggregateOperator(
            new ValuesOperator(TYPES, rows),
            new int[] {0},
            List.of(bits(0)),
            List.of(call("count", List.of(), -1)),
            budget);
    assertThatThrownBy(operator::next)
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("HashAggregateOperator")
        .hasMessageContaining("exec_mem_limit = 200000 bytes");
    operator.close();
    assertThat(budget.used()).isZero();
  }

  /**
   * A DISTINCT set grows with the distinct values, not the groups: without a spill directory a
   * COUNT(DISTINCT x) over more values than the budget holds fails alone with MEM_LIMIT_EXCEEDED
   * (with one it spills, HashAggregateSpillTest).
   */
  @Test
  void aDistinctSetLargerThanTheMemoryLimitFailsWithAClearError() {
    List<Object[]> rows = new ArrayList<>();
    for (long i = 0; i < 50_000; i++) {
      rows.add(new Object[] {i % 3, "g", 1.0, i, BigDecimal.ONE, true});
    }
    QueryMemoryBudget budget = new QueryMemoryBudget(new MemoryPool(1 << 30), 200_000, "test");
    HashAggregateOperator operator =
        new HashAggregateOperator(
            new ValuesOperator(TYPES, rows),
            new int[0],
            List.of(bits()),
            List.of(call("count", List.of(3), -1, true)),
            budget);
    assertThatThrownBy(operator::next)
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("HashAggregateOperator")
        .hasMessageContaining("exec_mem_limit = 200000 bytes");
    operator.close();
    assertThat(budget.used()).isZero();
  }

  private static List<List<Object>> reference(
      List<Object[]> rows, int[] groupColumns, List<BitSet> sets, List<AggregateCall> calls) {
    List<List<Object>> result = new ArrayList<>();
    for (BitSet set : sets) {
      Map<List<Object>, Accumulator[]> groups = new LinkedHashMap<>();
      for (Object[] row : rows) {
        Object[] key = new Object[groupColumns.length];
        for (int i = 0; i < groupColumns.length; i++) {
          Object value = set.get(i) ? row[groupColumns[i]] : null;
          key[i] = value instanceof Double number && number == 0 ? 0.0 : value;
        }
        Accumulator[] accumulators =
            groups.computeIfAbsent(
                Arrays.asList(key),
                unused -> {
                  Accumulator[] created = new Accumulator[calls.size()];
                  for (int a = 0; a < created.length; a++) {
                    created[a] = calls.get(a).function().newAccumulator();
                  }
                  return created;
                });
        Batch single = Batch.of(vectorsOf(row));
        for (int a = 0; a < calls.size(); a++) {
          AggregateCall call = calls.get(a);
          if (call.filterColumn() >= 0 && !Boolean.TRUE.equals(row[call.filterColumn()])) {
            continue;
          }
          List<dev.basalt.common.vector.ColumnVector> arguments = new ArrayList<>();
          for (int argument : call.arguments()) {
            arguments.add(single.column(argument));
          }
          accumulators[a].add(arguments, 0);
        }
      }
      if (groups.isEmpty() && set.isEmpty()) {
        groups.put(Arrays.asList(new Object[groupColumns.length]), new Accumulator[0]);
      }
      for (Map.Entry<List<Object>, Accumulator[]> entry : groups.entrySet()) {
        List<Object> row = new ArrayList<>(entry.getKey());
        for (Accumulator accumulator : entry.getValue()) {
          row.add(accumulator.result());
        }
        result.add(row);
      }
    }
    return result;
  }

  private static List<dev.basalt.common.vector.ColumnVector> vectorsOf(Object[] row) {
    List<dev.basalt.common.vector.ColumnVector> vectors = new ArrayList<>();
    for (int column = 0; column < row.length; column++) {
      vectors.add(
          new dev.basalt.common.vector.ColumnVectorBuilder(TYPES.get(column), 1)
              .appendObject(row[column])
              .build());
    }
    return vectors;
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
                : texts.computeIfAbsent(random.nextInt(40), n -> "t" + n + "é".repeat(n % 3)),
            random.nextInt(10) == 0 ? null : DOUBLES[random.nextInt(DOUBLES.length)],
            random.nextInt(10) == 0 ? null : random.nextLong(1_000_000),
            random.nextInt(10) == 0 ? null : BigDecimal.valueOf(random.nextInt(100_000), 2),
            random.nextInt(10) == 0 ? null : random.nextBoolean()
          });
    }
    return rows;
  }

  private static AggregateCall call(String name, List<Integer> arguments, int filter) {
    return call(name, arguments, filter, false);
  }

  private static AggregateCall call(
      String name, List<Integer> arguments, int filter, boolean distinct) {
    List<DataType> types = arguments.stream().map(TYPES::get).toList();
    AggregateFunction function = REGISTRY.resolveAggregate(name, types, distinct);
    return new AggregateCall(function, arguments, filter);
  }

  private static BitSet bits(int... positions) {
    BitSet set = new BitSet();
    for (int position : positions) {
      set.set(position);
    }
    return set;
  }
}
