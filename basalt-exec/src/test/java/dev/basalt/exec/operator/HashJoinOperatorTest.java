package dev.basalt.exec.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.expression.Expression;
import dev.basalt.exec.expression.FunctionCall;
import dev.basalt.exec.expression.InputReference;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.memory.QueryMemoryBudget;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random inputs through {@link HashJoinOperator} (typed build columns, primitive hash
 * tables, resumable probing) against a nested-loop reference over boxed rows, for every join type,
 * with and without a residual condition, NULL-matching keys, several keys and DOUBLE keys with -0.0
 * and 0.0 (equal). The mark joins against a three-valued reference: the OR over all build rows of
 * the condition, each {@code =} key NULL when either side is.
 */
class HashJoinOperatorTest {
  private static final FunctionRegistry REGISTRY = FunctionRegistry.builtins();
  private static final EvaluationContext CONTEXT =
      EvaluationContext.now(ZoneId.of("Europe/Berlin"), "test");

  /** Columns: key BIGINT, key VARCHAR, key DOUBLE, value BIGINT. */
  private static final List<DataType> TYPES =
      List.of(DataType.BIGINT, DataType.varchar(8), DataType.DOUBLE, DataType.BIGINT);

  private static final double[] DOUBLES = {0.0, -0.0, 1.5, 2.5};

  @Test
  void matchesANestedLoopReferenceForEveryJoinType() {
    int[][] keyChoices = {{0}, {2}, {1}, {0, 1}, {0, 3}, {3, 2, 0}, {}};
    for (long seed : new long[] {3, 17, 2026}) {
      Random random = new Random(seed);
      List<Object[]> leftInput = rows(random, 300);
      List<Object[]> rightInput = rows(random, random.nextInt(3) == 0 ? 0 : 250);
      for (int[] keys : keyChoices) {
        for (JoinType type : JoinType.values()) {
          for (boolean nullMatch : new boolean[] {false, true}) {
            for (boolean withResidual : new boolean[] {false, true}) {
              boolean[] nullMatches = new boolean[keys.length];
              Arrays.fill(nullMatches, nullMatch);
              if (type.marks() && withResidual && !nullMatch && keys.length > 0) {
                continue; // refused: see marksRefuseEqualsKeysWithAResidual
              }
              String description =
                  String.format(
                      "seed %d, keys %s, %s, nullMatches %s, residual %s",
                      seed, Arrays.toString(keys), type, nullMatch, withResidual);
              Expression residual = withResidual ? residual() : null;
              // A nested loop (no keys) outputs the cross product: smaller inputs keep it quick.
              List<Object[]> leftRows = keys.length == 0 ? leftInput.subList(0, 60) : leftInput;
              List<Object[]> rightRows =
                  keys.length == 0
                      ? rightInput.subList(0, rightInput.isEmpty() ? 0 : 50)
                      : rightInput;
              HashJoinOperator operator =
                  new HashJoinOperator(
                      new ValuesOperator(TYPES, leftRows),
                      new ValuesOperator(TYPES, rightRows),
                      keys,
                      keys,
                      nullMatches,
                      type,
                      residual,
                      CONTEXT,
                      QueryMemoryBudget.unlimited());
              List<String> actual = drain(operator);
              List<String> expected =
                  type.marks()
                      ? markReference(leftRows, rightRows, keys, nullMatches, type, withResidual)
                      : reference(leftRows, rightRows, keys, nullMatch, type, withResidual);
              // Sorted copies: AssertJ's any-order comparison is quadratic.
              actual.sort(null);
              expected.sort(null);
              assertThat(actual).as(description).isEqualTo(expected);
            }
          }
        }
      }
    }
  }

  /**
   * A build side of several chunks of key ids ({@link Batch#DEFAULT_SIZE} rows each) on fixed-width
   * key tuples (two and three integer and DOUBLE keys, with and without NULL-matching keys).
   */
  @Test
  void fixedWidthKeyTuplesOverSeveralBuildChunksMatchTheReference() {
    Random random = new Random(91);
    List<Object[]> leftRows = rows(random, 400);
    List<Object[]> rightRows = rows(random, 2 * Batch.DEFAULT_SIZE + 321);
    for (int[] keys : new int[][] {{0, 3}, {3, 2, 0}, {2}}) {
      for (JoinType type : List.of(JoinType.INNER, JoinType.FULL, JoinType.ANTI)) {
        for (boolean nullMatch : new boolean[] {false, true}) {
          boolean[] nullMatches = new boolean[keys.length];
          Arrays.fill(nullMatches, nullMatch);
          HashJoinOperator operator =
              new HashJoinOperator(
                  new ValuesOperator(TYPES, leftRows),
                  new ValuesOperator(TYPES, rightRows),
                  keys,
                  keys,
                  nullMatches,
                  type,
                  null,
                  CONTEXT,
                  QueryMemoryBudget.unlimited());
          List<String> actual = drain(operator);
          List<String> expected = reference(leftRows, rightRows, keys, nullMatch, type, false);
          actual.sort(null);
          expected.sort(null);
          assertThat(actual)
              .as("keys %s, %s, nullMatches %s", Arrays.toString(keys), type, nullMatch)
              .isEqualTo(expected);
        }
      }
    }
  }

  /**
   * Two integer keys packed into one word by the build side's ranges ({@code PackedLongKeys}):
   * probe values below, inside and above each build range, negative values, NULLs, and build sides
   * whose ranges are too wide to pack (the tuple table instead), for the join types that read key
   * ids on both sides.
   */
  @Test
  void packedIntegerKeysMatchTheReferenceAroundTheBuildRanges() {
    Random random = new Random(4242);
    long[][] buildRanges = {{10, 30}, {-7, 7}, {0, 0}, {Long.MIN_VALUE / 2, Long.MAX_VALUE / 2}};
    for (long[] range : buildRanges) {
      List<Object[]> rightRows = integerKeyRows(random, 2 * Batch.DEFAULT_SIZE + 77, range, 0);
      List<Object[]> leftRows = integerKeyRows(random, 900, range, 5);
      for (JoinType type : List.of(JoinType.INNER, JoinType.LEFT, JoinType.FULL, JoinType.ANTI)) {
        HashJoinOperator operator =
            new HashJoinOperator(
                new ValuesOperator(TYPES, leftRows),
                new ValuesOperator(TYPES, rightRows),
                new int[] {0, 3},
                new int[] {0, 3},
                new boolean[] {false, false},
                type,
                null,
                CONTEXT,
                QueryMemoryBudget.unlimited());
        List<String> actual = drain(operator);
        List<String> expected =
            reference(leftRows, rightRows, new int[] {0, 3}, false, type, false);
        actual.sort(null);
        expected.sort(null);
        assertThat(actual)
            .as("build range %s, %s", Arrays.toString(range), type)
            .isEqualTo(expected);
      }
    }
  }

  /**
   * Rows whose two BIGINT columns (0 and 3) take values in {@code [range[0] - spread, range[1] +
   * spread]} (clamped to the range when {@code spread} is 0), with some NULLs; a huge range takes
   * its two ends and a few values between.
   */
  private static List<Object[]> integerKeyRows(
      Random random, int count, long[] range, long spread) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Object[] row = new Object[4];
      for (int column : new int[] {0, 3}) {
        long value;
        if (range[1] - range[0] > 1_000_000) {
          long[] choices = {range[0], range[1], 0, 1, -1};
          value = choices[random.nextInt(choices.length)];
        } else {
          value = range[0] - spread + random.nextInt((int) (range[1] - range[0] + 2 * spread + 1));
        }
        row[column] = random.nextInt(15) == 0 ? null : value;
      }
      rows.add(row);
    }
    return rows;
  }

  /**
   * Mark joins whose keys mix correlation values ({@code IS NOT DISTINCT FROM}) and comparisons
   * ({@code =}, NULL when either side is NULL), over several build chunks, against the three-valued
   * reference; a build side with NULL comparison keys and one without.
   */
  @Test
  void marksWithCorrelationAndComparisonKeysMatchTheThreeValuedReference() {
    int[][] keyChoices = {{0}, {1}, {2}, {0, 1}, {1, 0}, {3, 2, 0}, {0, 1}, {2, 3}};
    boolean[][] nullMatchChoices = {
      {false},
      {false},
      {false},
      {true, false},
      {false, true},
      {true, false, false},
      {false, false},
      {true, true}
    };
    for (long seed : new long[] {44}) {
      Random random = new Random(seed);
      List<Object[]> leftRows = rows(random, 300);
      List<Object[]> withNulls = rows(random, Batch.DEFAULT_SIZE + 77);
      List<Object[]> withoutNulls = new ArrayList<>();
      for (Object[] row : withNulls) {
        if (Arrays.stream(row).noneMatch(Objects::isNull)) {
          withoutNulls.add(row);
        }
      }
      for (List<Object[]> rightRows : List.of(withNulls, withoutNulls)) {
        for (int choice = 0; choice < keyChoices.length; choice++) {
          int[] keys = keyChoices[choice];
          boolean[] nullMatches = nullMatchChoices[choice];
          boolean allNullSafe = !Arrays.toString(nullMatches).contains("false");
          for (JoinType type : List.of(JoinType.MARK, JoinType.NULL_AWARE_ANTI)) {
            for (boolean withResidual :
                allNullSafe ? new boolean[] {false, true} : new boolean[] {false}) {
              String description =
                  String.format(
                      "seed %d, build rows %d, keys %s, nullMatches %s, %s, residual %s",
                      seed,
                      rightRows.size(),
                      Arrays.toString(keys),
                      Arrays.toString(nullMatches),
                      type,
                      withResidual);
              HashJoinOperator operator =
                  new HashJoinOperator(
                      new ValuesOperator(TYPES, leftRows),
                      new ValuesOperator(TYPES, rightRows),
                      keys,
                      keys,
                      nullMatches,
                      type,
                      withResidual ? residual() : null,
                      CONTEXT,
                      QueryMemoryBudget.unlimited());
              List<String> actual = drain(operator);
              List<String> expected =
                  markReference(leftRows, rightRows, keys, nullMatches, type, withResidual);
              actual.sort(null);
              expected.sort(null);
              assertThat(actual).as(description).isEqualTo(expected);
            }
          }
        }
      }
    }
  }

  @Test
  void marksRefuseEqualsKeysWithAResidual() {
    assertThatThrownBy(
            () ->
                new HashJoinOperator(
                    new ValuesOperator(TYPES, List.of()),
                    new ValuesOperator(TYPES, List.of()),
                    new int[] {0},
                    new int[] {0},
                    new boolean[] {false},
                    JoinType.MARK,
                    residual(),
                    CONTEXT,
                    QueryMemoryBudget.unlimited()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * The rows a MARK join (each left row and its mark) or a NULL_AWARE_ANTI join (the left rows
   * whose mark is FALSE) outputs: the mark is the three-valued OR over the build rows of the AND of
   * the keys (per {@code nullMatches}) and the residual.
   */
  private static List<String> markReference(
      List<Object[]> leftRows,
      List<Object[]> rightRows,
      int[] keys,
      boolean[] nullMatches,
      JoinType type,
      boolean withResidual) {
    List<String> result = new ArrayList<>();
    for (Object[] leftRow : leftRows) {
      Boolean mark = false;
      for (Object[] rightRow : rightRows) {
        Boolean condition = true;
        for (int i = 0; i < keys.length; i++) {
          Object leftValue = normalize(leftRow[keys[i]]);
          Object rightValue = normalize(rightRow[keys[i]]);
          Boolean equal;
          if (leftValue == null || rightValue == null) {
            equal = nullMatches[i] ? leftValue == rightValue : null;
          } else {
            equal = leftValue.equals(rightValue);
          }
          condition = and(condition, equal);
        }
        if (withResidual) {
          Long leftValue = (Long) leftRow[3];
          Long rightValue = (Long) rightRow[3];
          condition =
              and(
                  condition,
                  leftValue == null || rightValue == null ? null : leftValue < rightValue);
        }
        mark = or(mark, condition);
      }
      if (type == JoinType.MARK) {
        result.add(Arrays.toString(concat(leftRow, new Object[] {mark})));
      } else if (Boolean.FALSE.equals(mark)) {
        result.add(Arrays.toString(leftRow));
      }
    }
    return result;
  }

  /** Every row the join outputs (batches of 1 to {@link Batch#DEFAULT_SIZE} rows); closes it. */
  private static List<String> drain(HashJoinOperator operator) {
    List<String> rows = new ArrayList<>();
    for (Batch batch = operator.next(); batch != null; batch = operator.next()) {
      assertThat(batch.rowCount()).isBetween(1, Batch.DEFAULT_SIZE);
      for (int row = 0; row < batch.rowCount(); row++) {
        rows.add(Arrays.toString(RowBuffer.row(batch, row)));
      }
    }
    operator.close();
    return rows;
  }

  private static Boolean and(Boolean a, Boolean b) {
    if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
      return false;
    }
    return a == null || b == null ? null : true;
  }

  private static Boolean or(Boolean a, Boolean b) {
    if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
      return true;
    }
    return a == null || b == null ? null : false;
  }

  /** {@code left.value < right.value}, NULL when either is NULL. */
  @Test
  void publishesTheBuildKeysForTheProbeScanBeforeReadingTheProbeSide() {
    List<DataType> types = List.of(DataType.BIGINT);
    List<Object[]> build = List.of(new Object[] {7L}, new Object[] {-3L}, new Object[] {null});
    RuntimeFilter filter = new RuntimeFilter();
    boolean[] probed = new boolean[1];
    Operator values = new ValuesOperator(types, List.of(new Object[] {7L}, new Object[] {8L}));
    Operator probe =
        new Operator() {
          @Override
          public List<DataType> outputTypes() {
            return values.outputTypes();
          }

          @Override
          public Batch next() {
            assertThat(filter.isReady()).as("published before the probe side is read").isTrue();
            probed[0] = true;
            return values.next();
          }

          @Override
          public void close() {
            values.close();
          }
        };
    try (HashJoinOperator join =
        new HashJoinOperator(
            probe,
            new ValuesOperator(types, build),
            new int[] {0},
            new int[] {0},
            new boolean[] {false},
            JoinType.INNER,
            null,
            CONTEXT,
            QueryMemoryBudget.unlimited())) {
      assertThat(join.publishRuntimeFilter(filter, 0)).isTrue();
      assertThat(filter.isReady()).isFalse();
      int rows = 0;
      for (Batch batch = join.next(); batch != null; batch = join.next()) {
        rows += batch.rowCount();
      }
      assertThat(rows).isEqualTo(1);
    }
    assertThat(probed[0]).isTrue();
    assertThat(filter.kind()).isEqualTo(RuntimeFilter.Kind.BITMAP);
    assertThat(filter.lowerBound()).isEqualTo(-3L);
    assertThat(filter.upperBound()).isEqualTo(7L);
    assertThat(filter.mightMatch(7)).isTrue();
    assertThat(filter.mightMatch(0)).isFalse();
    assertThat(filter.mightMatch(8)).isFalse();
  }

  @Test
  void outerAndNullMatchingJoinsPublishNoRuntimeFilter() {
    List<DataType> types = List.of(DataType.BIGINT);
    for (JoinType type : List.of(JoinType.LEFT, JoinType.FULL, JoinType.ANTI)) {
      HashJoinOperator join =
          new HashJoinOperator(
              new ValuesOperator(types, List.of()),
              new ValuesOperator(types, List.of()),
              new int[] {0},
              new int[] {0},
              new boolean[] {false},
              type,
              null,
              CONTEXT,
              QueryMemoryBudget.unlimited());
      assertThat(join.publishRuntimeFilter(new RuntimeFilter(), 0)).as("%s", type).isFalse();
    }
    HashJoinOperator nullSafe =
        new HashJoinOperator(
            new ValuesOperator(types, List.of()),
            new ValuesOperator(types, List.of()),
            new int[] {0},
            new int[] {0},
            new boolean[] {true},
            JoinType.INNER,
            null,
            CONTEXT,
            QueryMemoryBudget.unlimited());
    assertThat(nullSafe.publishRuntimeFilter(new RuntimeFilter(), 0)).isFalse();
  }

  private static Expression residual() {
    List<DataType> argumentTypes = List.of(DataType.BIGINT, DataType.BIGINT);
    return new FunctionCall(
        REGISTRY.resolveScalar("lt", argumentTypes),
        List.of(new InputReference(3, DataType.BIGINT), new InputReference(7, DataType.BIGINT)));
  }

  private static List<String> reference(
      List<Object[]> leftRows,
      List<Object[]> rightRows,
      int[] keys,
      boolean nullMatch,
      JoinType type,
      boolean withResidual) {
    List<String> result = new ArrayList<>();
    boolean[] rightMatched = new boolean[rightRows.size()];
    for (Object[] leftRow : leftRows) {
      boolean matched = false;
      for (int r = 0; r < rightRows.size(); r++) {
        Object[] rightRow = rightRows.get(r);
        if (!keysMatch(leftRow, rightRow, keys, nullMatch)) {
          continue;
        }
        if (withResidual) {
          Long leftValue = (Long) leftRow[3];
          Long rightValue = (Long) rightRow[3];
          if (leftValue == null || rightValue == null || leftValue >= rightValue) {
            continue;
          }
        }
        matched = true;
        rightMatched[r] = true;
        if (type != JoinType.SEMI
            && type != JoinType.ANTI
            && type != JoinType.RIGHT_SEMI
            && type != JoinType.RIGHT_ANTI) {
          result.add(Arrays.toString(concat(leftRow, rightRow)));
        }
      }
      if (type == JoinType.SEMI && matched || type == JoinType.ANTI && !matched) {
        result.add(Arrays.toString(leftRow));
      }
      if (!matched && (type == JoinType.LEFT || type == JoinType.FULL)) {
        result.add(Arrays.toString(concat(leftRow, new Object[TYPES.size()])));
      }
    }
    if (type == JoinType.RIGHT || type == JoinType.FULL) {
      for (int r = 0; r < rightRows.size(); r++) {
        if (!rightMatched[r]) {
          result.add(Arrays.toString(concat(new Object[TYPES.size()], rightRows.get(r))));
        }
      }
    }
    if (type == JoinType.RIGHT_SEMI || type == JoinType.RIGHT_ANTI) {
      for (int r = 0; r < rightRows.size(); r++) {
        if (rightMatched[r] == (type == JoinType.RIGHT_SEMI)) {
          result.add(Arrays.toString(rightRows.get(r)));
        }
      }
    }
    return result;
  }

  private static boolean keysMatch(Object[] left, Object[] right, int[] keys, boolean nullMatch) {
    for (int key : keys) {
      Object leftValue = normalize(left[key]);
      Object rightValue = normalize(right[key]);
      if (leftValue == null || rightValue == null) {
        if (!nullMatch || leftValue != rightValue) {
          return false;
        }
      } else if (!Objects.equals(leftValue, rightValue)) {
        return false;
      }
    }
    return true;
  }

  private static Object normalize(Object value) {
    return value instanceof Double number && number == 0 ? 0.0 : value;
  }

  private static Object[] concat(Object[] left, Object[] right) {
    Object[] row = Arrays.copyOf(left, left.length + right.length);
    System.arraycopy(right, 0, row, left.length, right.length);
    return row;
  }

  private static List<Object[]> rows(Random random, int count) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(
          new Object[] {
            random.nextInt(12) == 0 ? null : (long) random.nextInt(40),
            random.nextInt(12) == 0 ? null : "s" + random.nextInt(15),
            random.nextInt(12) == 0 ? null : DOUBLES[random.nextInt(DOUBLES.length)],
            random.nextInt(8) == 0 ? null : (long) random.nextInt(100)
          });
    }
    return rows;
  }
}
