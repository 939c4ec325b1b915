package dev.basalt.exec.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.expression.Expression;
import dev.basalt.exec.expression.FunctionCall;
import dev.basalt.exec.expression.InputReference;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.memory.MemoryPool;
import dev.basalt.exec.memory.MemoryUsageListener;
import dev.basalt.exec.memory.QueryMemoryBudget;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hash join whose build side does not fit its budget becomes a grace hash join: for every join
 * type that hashes (inner, left, right, full, semi, anti; NULL-matching keys as for NOT IN's
 * null-aware form and IS NOT DISTINCT FROM), with and without a residual, on integer, string,
 * DECIMAL and composite keys with NULLs, the rows equal those of the same join without a memory
 * limit; the spill files are gone after close; one key with more rows than the limit fails alone
 * with MEM_LIMIT_EXCEEDED.
 */
class HashJoinSpillTest {
  private static final FunctionRegistry REGISTRY = FunctionRegistry.builtins();
  private static final EvaluationContext CONTEXT =
      EvaluationContext.now(ZoneId.of("Europe/Berlin"), "test");

  /** Columns: key BIGINT, key VARCHAR, key DECIMAL, value BIGINT. */
  private static final List<DataType> TYPES =
      List.of(DataType.BIGINT, DataType.varchar(8), DataType.decimal(9, 2), DataType.BIGINT);

  @TempDir Path spill;

  @Test
  void aGraceHashJoinEqualsTheInMemoryJoin() throws IOException {
    Random random = new Random(2026);
    List<Object[]> leftRows = rows(random, 12_000);
    List<Object[]> rightRows = rows(random, 9_000);
    for (int[] keys : new int[][] {{0}, {1}, {2}, {0, 1}, {0, 3}}) {
      for (JoinType type : JoinType.values()) {
        // Mark joins with = keys: see markJoinsSpillAndAnswerAsInMemory.
        for (boolean nullMatch :
            type.marks() ? new boolean[] {true} : new boolean[] {false, true}) {
          for (boolean withResidual : new boolean[] {false, true}) {
            String description =
                String.format(
                    "keys %s, %s, nullMatches %s, residual %s",
                    Arrays.toString(keys), type, nullMatch, withResidual);
            List<String> expected =
                run(
                    leftRows,
                    rightRows,
                    keys,
                    nullMatch,
                    type,
                    withResidual,
                    QueryMemoryBudget.unlimited());
            QueryMemoryBudget budget =
                new QueryMemoryBudget(new MemoryPool(1 << 30), 200_000, "join-spill", spill);
            List<String> actual =
                run(leftRows, rightRows, keys, nullMatch, type, withResidual, budget);
            expected.sort(null);
            actual.sort(null);
            assertThat(actual).as(description).isEqualTo(expected);
            assertThat(HashAggregateSpillTest.files(spill)).as(description).isEmpty();
            assertThat(budget.used()).isZero();
          }
        }
      }
    }
  }

  @Test
  void probeCopiesSharingOneBuildEqualOneJoinWithAndWithoutSpill() throws IOException {
    Random random = new Random(99);
    List<Object[]> leftRows = rows(random, 12_000);
    List<Object[]> rightRows = rows(random, 9_000);
    for (JoinType type :
        new JoinType[] {
          JoinType.INNER,
          JoinType.LEFT,
          JoinType.SEMI,
          JoinType.ANTI,
          JoinType.MARK,
          JoinType.NULL_AWARE_ANTI,
          JoinType.RIGHT,
          JoinType.FULL,
          JoinType.RIGHT_SEMI,
          JoinType.RIGHT_ANTI
        }) {
      // Mark joins: one compared key, no residual (an uncorrelated [NOT] IN).
      int[] keys = type.marks() ? new int[] {0} : new int[] {0, 1};
      boolean[] nullMatches = new boolean[keys.length];
      boolean withResidual = !type.marks();
      for (boolean spilling : new boolean[] {false, true}) {
        String description = type + (spilling ? ", spilling" : "");
        List<String> expected =
            run(
                leftRows,
                rightRows,
                keys,
                false,
                type,
                withResidual,
                QueryMemoryBudget.unlimited());
        QueryMemoryBudget budget =
            spilling
                ? new QueryMemoryBudget(new MemoryPool(1 << 30), 200_000, "shared-build", spill)
                : QueryMemoryBudget.unlimited();
        HashJoinOperator.SharedBuild shared = new HashJoinOperator.SharedBuild();
        Operator right = new ValuesOperator(TYPES, rightRows);
        List<Operator> copies = new ArrayList<>();
        int copyCount = 3;
        for (int copy = 0; copy < copyCount; copy++) {
          List<Object[]> part = new ArrayList<>();
          for (int row = copy; row < leftRows.size(); row += copyCount) {
            part.add(leftRows.get(row));
          }
          copies.add(
              new HashJoinOperator(
                  new ValuesOperator(TYPES, part),
                  right,
                  keys,
                  keys,
                  nullMatches,
                  type,
                  withResidual ? residual() : null,
                  CONTEXT,
                  budget,
                  shared));
        }
        shared.probes(copyCount);
        List<String> actual = new ArrayList<>();
        try (LocalExchangeOperator exchange = new LocalExchangeOperator(copies)) {
          for (Batch batch = exchange.next(); batch != null; batch = exchange.next()) {
            for (int row = 0; row < batch.rowCount(); row++) {
              actual.add(Arrays.toString(RowBuffer.row(batch, row)));
            }
          }
        }
        expected.sort(null);
        actual.sort(null);
        assertThat(actual).as(description).isEqualTo(expected);
        assertThat(HashAggregateSpillTest.files(spill)).as(description).isEmpty();
        assertThat(budget.used()).as(description).isZero();
      }
    }
  }

  /**
   * A spilled RIGHT join whose probe copies hand their partitions to the last one: when a copy
   * fails instead of finishing, the partitions already handed over are deleted when the copies
   * close, and the memory is released.
   */
  @Test
  void aFailedCopyLeavesNoSpillFilesOfTheHandedOverPartitions() throws IOException {
    Random random = new Random(7);
    List<Object[]> leftRows = rows(random, 12_000);
    List<Object[]> rightRows = rows(random, 9_000);
    QueryMemoryBudget budget =
        new QueryMemoryBudget(new MemoryPool(1 << 30), 200_000, "failed-copy", spill);
    HashJoinOperator.SharedBuild shared = new HashJoinOperator.SharedBuild();
    Operator right = new ValuesOperator(TYPES, rightRows);
    int[] keys = {0};
    List<Operator> copies = new ArrayList<>();
    for (int copy = 0; copy < 3; copy++) {
      List<Object[]> part = new ArrayList<>();
      for (int row = copy; row < leftRows.size(); row += 3) {
        part.add(leftRows.get(row));
      }
      Operator left = new ValuesOperator(TYPES, part);
      if (copy == 2) {
        left = new FailingAfterOneBatch(left);
      }
      copies.add(
          new HashJoinOperator(
              left,
              right,
              keys,
              keys,
              new boolean[1],
              JoinType.RIGHT,
              null,
              CONTEXT,
              budget,
              shared));
    }
    shared.probes(3);
    LocalExchangeOperator exchange = new LocalExchangeOperator(copies);
    assertThatThrownBy(
            () -> {
              while (exchange.next() != null) {
                // drain until the failing copy's error surfaces
              }
            })
        .hasMessageContaining("probe input failed");
    exchange.close();
    assertThat(HashAggregateSpillTest.files(spill)).isEmpty();
    assertThat(budget.used()).isZero();
  }

  /** Returns its input's first batch, then fails. */
  private static final class FailingAfterOneBatch implements Operator {
    private final Operator input;
    private boolean returned;

    FailingAfterOneBatch(Operator input) {
      this.input = input;
    }

    @Override
    public List<DataType> outputTypes() {
      return input.outputTypes();
    }

    @Override
    public Batch next() {
      if (returned) {
        throw new IllegalStateException("probe input failed");
      }
      returned = true;
      return input.next();
    }

    @Override
    public void close() {
      input.close();
    }
  }

  /**
   * Mark joins spill and answer as in memory: with a correlation key ({@code IS NOT DISTINCT FROM})
   * and a compared key ({@code =}) partitioned by the correlation key alone; with one compared key
   * alone (an uncorrelated {@code [NOT] IN}) partitioned by it, its NULL keys answered apart (a
   * build side with and without NULL keys, and an empty one). With several compared keys and no
   * correlation key there is nothing to partition by, and the join fails alone.
   */
  @Test
  void markJoinsSpillAndAnswerAsInMemory() throws IOException {
    Random random = new Random(12);
    List<Object[]> leftRows = rows(random, 12_000);
    List<Object[]> withNulls = rows(random, 9_000);
    List<Object[]> withoutNullKeys = new ArrayList<>();
    for (Object[] row : withNulls) {
      if (row[0] != null) {
        withoutNullKeys.add(row);
      }
    }
    int[][] keyChoices = {{1, 0}, {0}};
    boolean[][] nullMatchChoices = {{true, false}, {false}};
    for (JoinType type : List.of(JoinType.MARK, JoinType.NULL_AWARE_ANTI)) {
      for (int choice = 0; choice < keyChoices.length; choice++) {
        for (List<Object[]> rightRows : List.of(withNulls, withoutNullKeys, List.<Object[]>of())) {
          String description =
              String.format(
                  "%s, keys %s, nullMatches %s, %d build rows",
                  type,
                  Arrays.toString(keyChoices[choice]),
                  Arrays.toString(nullMatchChoices[choice]),
                  rightRows.size());
          List<String> expected = new ArrayList<>();
          List<String> actual = new ArrayList<>();
          for (boolean spilling : new boolean[] {false, true}) {
            QueryMemoryBudget budget =
                spilling
                    ? new QueryMemoryBudget(new MemoryPool(1 << 30), 200_000, "mark-spill", spill)
                    : QueryMemoryBudget.unlimited();
            AtomicLong spilled = new AtomicLong();
            budget.attributeTo(
                new MemoryUsageListener() {
                  @Override
                  public void memoryReserved(long bytes) {}

                  @Override
                  public void memoryReleased(long bytes) {}

                  @Override
                  public void spilled(long bytes) {
                    spilled.addAndGet(bytes);
                  }

                  @Override
                  public void spillPartitions(int count) {}
                });
            try (HashJoinOperator join =
                new HashJoinOperator(
                    new ValuesOperator(TYPES, leftRows),
                    new ValuesOperator(TYPES, rightRows),
                    keyChoices[choice],
                    keyChoices[choice],
                    nullMatchChoices[choice],
                    type,
                    null,
                    CONTEXT,
                    budget)) {
              for (Batch batch = join.next(); batch != null; batch = join.next()) {
                for (int row = 0; row < batch.rowCount(); row++) {
                  (spilling ? actual : expected).add(Arrays.toString(RowBuffer.row(batch, row)));
                }
              }
            }
            if (spilling && !rightRows.isEmpty()) {
              assertThat(spilled.get()).as(description + ": bytes spilled").isPositive();
            }
            assertThat(budget.used()).as(description).isZero();
          }
          expected.sort(null);
          actual.sort(null);
          assertThat(actual).as(description).isEqualTo(expected);
          assertThat(HashAggregateSpillTest.files(spill)).as(description).isEmpty();
        }
      }
      QueryMemoryBudget small =
          new QueryMemoryBudget(new MemoryPool(1 << 30), 200_000, "not-in", spill);
      HashJoinOperator twoComparedKeys =
          new HashJoinOperator(
              new ValuesOperator(TYPES, leftRows),
              new ValuesOperator(TYPES, withNulls),
              new int[] {0, 1},
              new int[] {0, 1},
              new boolean[] {false, false},
              type,
              null,
              CONTEXT,
              small);
      assertThatThrownBy(twoComparedKeys::next)
          .isInstanceOf(BasaltException.class)
          .hasMessageContaining("MEM_LIMIT_EXCEEDED");
      twoComparedKeys.close();
      assertThat(small.used()).isZero();
    }
  }

  @Test
  void theJoinReallySpills() throws IOException {
    Random random = new Random(7);
    QueryMemoryBudget budget =
        new QueryMemoryBudget(new MemoryPool(1 << 30), 200_000, "join-spill", spill);
    try (HashJoinOperator join =
        join(
            rows(random, 5_000),
            rows(random, 9_000),
            new int[] {0},
            false,
            JoinType.INNER,
            false,
            budget)) {
      assertThat(join.next()).isNotNull();
      assertThat(HashAggregateSpillTest.files(spill)).isNotEmpty();
    }
    assertThat(HashAggregateSpillTest.files(spill)).isEmpty();
  }

  @Test
  void oneKeyWithMoreRowsThanTheLimitFailsWithTheMemoryLimit() throws IOException {
    List<Object[]> skewed = new ArrayList<>();
    for (long i = 0; i < 3_000; i++) {
      skewed.add(new Object[] {1L, "same", BigDecimal.ONE, i});
    }
    QueryMemoryBudget budget =
        new QueryMemoryBudget(new MemoryPool(1 << 30), 150_000, "join-skew", spill);
    HashJoinOperator join =
        join(skewed, skewed, new int[] {0}, false, JoinType.INNER, false, budget);
    assertThatThrownBy(join::next)
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("MEM_LIMIT_EXCEEDED")
        .hasMessageContaining("rounds of partitioning");
    join.close();
    assertThat(HashAggregateSpillTest.files(spill)).isEmpty();
    assertThat(budget.used()).isZero();
  }

  private static List<String> run(
      List<Object[]> leftRows,
      List<Object[]> rightRows,
      int[] keys,
      boolean nullMatch,
      JoinType type,
      boolean withResidual,
      QueryMemoryBudget budget) {
    List<String> result = new ArrayList<>();
    try (HashJoinOperator join =
        join(leftRows, rightRows, keys, nullMatch, type, withResidual, budget)) {
      for (Batch batch = join.next(); batch != null; batch = join.next()) {
        for (int row = 0; row < batch.rowCount(); row++) {
          result.add(Arrays.toString(RowBuffer.row(batch, row)));
        }
      }
    }
    return result;
  }

  private static HashJoinOperator join(
      List<Object[]> leftRows,
      List<Object[]> rightRows,
      int[] keys,
      boolean nullMatch,
      JoinType type,
      boolean withResidual,
      QueryMemoryBudget budget) {
    boolean[] nullMatches = new boolean[keys.length];
    Arrays.fill(nullMatches, nullMatch);
    return new HashJoinOperator(
        new ValuesOperator(TYPES, leftRows),
        new ValuesOperator(TYPES, rightRows),
        keys,
        keys,
        nullMatches,
        type,
        withResidual ? residual() : null,
        CONTEXT,
        budget);
  }

  /** {@code left.value < right.value}, NULL when either is NULL. */
  private static Expression residual() {
    List<DataType> argumentTypes = List.of(DataType.BIGINT, DataType.BIGINT);
    return new FunctionCall(
        REGISTRY.resolveScalar("lt", argumentTypes),
        List.of(new InputReference(3, DataType.BIGINT), new InputReference(7, DataType.BIGINT)));
  }

  private static List<Object[]> rows(Random random, int count) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(
          new Object[] {
            random.nextInt(20) == 0 ? null : (long) random.nextInt(6_000),
            random.nextInt(20) == 0 ? null : "s" + random.nextInt(5_000),
            random.nextInt(20) == 0 ? null : BigDecimal.valueOf(random.nextInt(5_000), 2),
            random.nextInt(8) == 0 ? null : (long) random.nextInt(100)
          });
    }
    return rows;
  }
}
