package dev.basalt.exec.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.function.AggregateFunction;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.memory.MemoryPool;
import dev.basalt.exec.memory.MemoryUsageListener;
import dev.basalt.exec.memory.QueryMemoryBudget;
import dev.basalt.exec.spill.SpillPartitions;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hash aggregation whose groups do not fit its budget spills partitions and aggregates them one
 * at a time: seeded random rows (NULL keys, strings, decimals, doubles with -0.0) give exactly the
 * groups and values of the same aggregation without a memory limit, for COUNT, COUNT DISTINCT, SUM,
 * AVG, MIN, MAX, FILTER and group_concat, and the spill files are gone after close. Without GROUP
 * BY the DISTINCT aggregates spill their values instead and give the in-memory answer too.
 */
class HashAggregateSpillTest {
  private static final FunctionRegistry REGISTRY = FunctionRegistry.builtins();
  private static final List<DataType> TYPES =
      List.of(
          DataType.BIGINT,
          DataType.varchar(12),
          DataType.decimal(12, 2),
          DataType.DOUBLE,
          DataType.BOOLEAN);
  private static final double[] DOUBLES = {0.0, -0.0, 1.5, -2.25, 1e300};

  @TempDir Path spill;

  @Test
  void aSpilledAggregationEqualsTheInMemoryOne() throws IOException {
    for (long seed : new long[] {11, 404, 2026}) {
      Random random = new Random(seed);
      List<Object[]> rows = rows(random, 20_000);
      List<AggregateCall> calls =
          List.of(
              call("count", List.of(), -1, false),
              call("count", List.of(1), -1, true),
              call("sum", List.of(2), -1, false),
              call("avg", List.of(2), -1, false),
              call("min", List.of(1), -1, false),
              call("max", List.of(3), -1, false),
              call("sum", List.of(0), 4, false),
              call("group_concat", List.of(1), -1, false));
      for (int[] groupColumns : new int[][] {{0}, {1}, {0, 1}, {3}, {2, 1}}) {
        String description = "seed " + seed + ", group by " + Arrays.toString(groupColumns);
        List<String> expected = run(rows, groupColumns, calls, QueryMemoryBudget.unlimited());
        QueryMemoryBudget budget =
            new QueryMemoryBudget(new MemoryPool(1 << 30), 200_000, "agg-spill", spill);
        List<String> actual = new ArrayList<>();
        try (HashAggregateOperator operator = aggregate(rows, groupColumns, calls, budget)) {
          boolean spilled = false;
          for (Batch batch = operator.next(); batch != null; batch = operator.next()) {
            spilled |= !files(spill).isEmpty();
            collect(batch, actual);
          }
          if (groupColumns.length == 2 || groupColumns[0] == 0) {
            assertThat(spilled).as(description + ": spilled").isTrue();
          }
        }
        expected.sort(null);
        actual.sort(null);
        assertThat(actual).as(description).isEqualTo(expected);
        assertThat(files(spill)).as("spill files are deleted at close").isEmpty();
        assertThat(budget.used()).isZero();
      }
    }
  }

  @Test
  void aPartitionThatStillDoesNotFitIsPartitionedAgain() throws IOException {
    List<Object[]> rows = new ArrayList<>();
    for (long i = 0; i < 60_000; i++) {
      rows.add(new Object[] {i, null, BigDecimal.valueOf(i, 2), 1.0, true});
    }
    List<AggregateCall> calls =
        List.of(call("count", List.of(), -1, false), call("sum", List.of(2), -1, false));
    QueryMemoryBudget budget =
        new QueryMemoryBudget(new MemoryPool(1 << 30), 240_000, "agg-spill", spill);
    long groups = 0;
    BigDecimal total = BigDecimal.ZERO;
    try (HashAggregateOperator operator = aggregate(rows, new int[] {0}, calls, budget)) {
      for (Batch batch = operator.next(); batch != null; batch = operator.next()) {
        for (int row = 0; row < batch.rowCount(); row++) {
          assertThat(batch.column(1).getObject(row)).isEqualTo(1L);
          total = total.add((BigDecimal) batch.column(2).getObject(row));
          groups++;
        }
      }
    }
    assertThat(groups).isEqualTo(60_000);
    assertThat(total).isEqualByComparingTo(BigDecimal.valueOf(59_999L * 60_000 / 2, 2));
    assertThat(files(spill)).isEmpty();
    assertThat(budget.used()).isZero();
  }

  @Test
  void aGlobalDistinctAggregationSpillsItsValuesAndEqualsTheInMemoryOne() throws IOException {
    List<AggregateCall> calls =
        List.of(
            call("count", List.of(), -1, false),
            call("count", List.of(0), -1, true),
            call("sum", List.of(0), -1, true),
            call("count", List.of(1), -1, true),
            call("max", List.of(1), -1, true),
            call("avg", List.of(2), -1, true),
            call("sum", List.of(2), -1, true),
            call("ndv", List.of(2), -1, false),
            call("sum", List.of(3), -1, true),
            call("min", List.of(3), -1, true),
            call("count", List.of(3), -1, true),
            call("count", List.of(0, 1), -1, true),
            call("count", List.of(2), 4, true),
            call("sum", List.of(2), 4, false),
            call("bit_xor", List.of(0), -1, true),
            call("group_concat", List.of(3), -1, true));
    for (long seed : new long[] {7, 1999, 31337}) {
      Random random = new Random(seed);
      for (int count : new int[] {0, 1, 20_000}) {
        List<Object[]> rows = rows(random, count);
        String description = "seed " + seed + ", " + count + " rows";
        List<String> expected = run(rows, new int[0], calls, QueryMemoryBudget.unlimited());
        QueryMemoryBudget budget =
            new QueryMemoryBudget(new MemoryPool(1 << 30), 200_000, "distinct-spill", spill);
        SpillCounter counter = new SpillCounter();
        budget.attributeTo(counter);
        List<String> actual = run(rows, new int[0], calls, budget);
        assertThat(actual).as(description).isEqualTo(expected);
        assertThat(counter.partitions > 0).as(description + ": spilled").isEqualTo(count > 1);
        assertThat(files(spill)).as("spill files are deleted").isEmpty();
        assertThat(budget.used()).isZero();
      }
    }
  }

  /**
   * 200,000 distinct values in a budget whose set holds about 8,000: each of the 16 partitions is
   * still too large and splits again, and the answer is exact.
   */
  @Test
  void aGlobalDistinctPartitionThatStillDoesNotFitIsPartitionedAgain() throws IOException {
    List<Object[]> rows = new ArrayList<>();
    for (long i = 0; i < 200_000; i++) {
      long value = (i * 7919) % 200_000;
      rows.add(new Object[] {value, null, BigDecimal.ONE, 1.0, true});
    }
    List<AggregateCall> calls =
        List.of(call("count", List.of(0), -1, true), call("count", List.of(), -1, false));
    QueryMemoryBudget budget =
        new QueryMemoryBudget(new MemoryPool(1 << 30), 300_000, "distinct-spill", spill);
    SpillCounter counter = new SpillCounter();
    budget.attributeTo(counter);
    assertThat(run(rows, new int[0], calls, budget)).containsExactly("[200000, 200000]");
    // The first 16 partitions, then at least one deeper round.
    assertThat(counter.partitions).isGreaterThan(SpillPartitions.FANOUT);
    assertThat(files(spill)).isEmpty();
    assertThat(budget.used()).isZero();
  }

  /**
   * group_concat(DISTINCT x) shows the order its values arrive in, so it does not spill: past the
   * limit it fails alone with MEM_LIMIT_EXCEEDED, spill directory or not.
   */
  @Test
  void aGlobalGroupConcatDistinctFailsAloneInsteadOfSpilling() throws IOException {
    List<Object[]> rows = new ArrayList<>();
    for (long i = 0; i < 50_000; i++) {
      rows.add(new Object[] {i, "value " + i, BigDecimal.ONE, 1.0, true});
    }
    QueryMemoryBudget budget =
        new QueryMemoryBudget(new MemoryPool(1 << 30), 200_000, "distinct-spill", spill);
    List<AggregateCall> calls =
        List.of(call("group_concat", List.of(1), -1, true), call("count", List.of(0), -1, true));
    assertThatThrownBy(() -> run(rows, new int[0], calls, budget))
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("HashAggregateOperator")
        .hasMessageContaining("exec_mem_limit = 200000 bytes");
    assertThat(files(spill)).isEmpty();
    assertThat(budget.used()).isZero();
  }

  /** Counts the spill partitions an aggregation reports for its profile. */
  private static final class SpillCounter implements MemoryUsageListener {
    private int partitions;

    @Override
    public void memoryReserved(long bytes) {}

    @Override
    public void memoryReleased(long bytes) {}

    @Override
    public void spilled(long bytes) {}

    @Override
    public synchronized void spillPartitions(int count) {
      partitions += count;
    }
  }

  private static List<String> run(
      List<Object[]> rows,
      int[] groupColumns,
      List<AggregateCall> calls,
      QueryMemoryBudget budget) {
    List<String> result = new ArrayList<>();
    try (HashAggregateOperator operator = aggregate(rows, groupColumns, calls, budget)) {
      for (Batch batch = operator.next(); batch != null; batch = operator.next()) {
        collect(batch, result);
      }
    }
    return result;
  }

  private static HashAggregateOperator aggregate(
      List<Object[]> rows,
      int[] groupColumns,
      List<AggregateCall> calls,
      QueryMemoryBudget budget) {
    BitSet all = new BitSet();
    all.set(0, groupColumns.length);
    return new HashAggregateOperator(
        new ValuesOperator(TYPES, rows), groupColumns, List.of(all), calls, budget);
  }

  private static void collect(Batch batch, List<String> into) {
    for (int row = 0; row < batch.rowCount(); row++) {
      into.add(Arrays.toString(RowBuffer.row(batch, row)));
    }
  }

  static List<Path> files(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(directory)) {
      return files.toList();
    }
  }

  private static List<Object[]> rows(Random random, int count) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(
          new Object[] {
            random.nextInt(25) == 0 ? null : (long) random.nextInt(12_000) - 500,
            random.nextInt(15) == 0 ? null : "k" + random.nextInt(3_000) + "é".repeat(i % 2),
            random.nextInt(10) == 0 ? null : BigDecimal.valueOf(random.nextInt(1_000_000), 2),
            random.nextInt(10) == 0 ? null : DOUBLES[random.nextInt(DOUBLES.length)],
            random.nextInt(10) == 0 ? null : random.nextBoolean()
          });
    }
    return rows;
  }

  private static AggregateCall call(
      String name, List<Integer> arguments, int filter, boolean distinct) {
    List<DataType> types = arguments.stream().map(TYPES::get).toList();
    AggregateFunction function = REGISTRY.resolveAggregate(name, types, distinct);
    return new AggregateCall(function, arguments, filter);
  }
}
