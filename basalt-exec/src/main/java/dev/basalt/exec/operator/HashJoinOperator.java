package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.expression.Expression;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.memory.MemoryEstimates;
import dev.basalt.exec.memory.MemoryReservation;
import dev.basalt.exec.memory.QueryMemoryBudget;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Equi-join by hashing the right input, probing with the left; optional residual condition over the
 * joined row (left columns then right columns). With no keys it is a nested-loop join.
 *
 * <p>A key whose {@code nullMatches} flag is false never matches when NULL (SQL {@code =}); true
 * gives {@code IS NOT DISTINCT FROM}. Outer joins pad the missing side with NULLs.
 */
public final class HashJoinOperator implements Operator {
  private static final int PAIRS_PER_CHUNK = Batch.DEFAULT_SIZE;

  private final Operator left;
  private final Operator right;
  private final int[] leftKeys;
  private final int[] rightKeys;
  private final boolean[] nullMatches;
  private final JoinType joinType;
  private final Expression residual;
  private final EvaluationContext context;
  private final List<DataType> outputTypes;
  private final List<DataType> joinedTypes;
  private final Deque<Object[]> pending = new ArrayDeque<>();
  private final MemoryReservation memory;

  private List<Object[]> rightRows;
  private Map<List<Object>, List<Integer>> table;
  private BitSet matchedRight;
  private boolean leftDone;
  private boolean unmatchedRightEmitted;

  public HashJoinOperator(
      Operator left,
      Operator right,
      int[] leftKeys,
      int[] rightKeys,
      boolean[] nullMatches,
      JoinType joinType,
      Expression residual,
      EvaluationContext context,
      QueryMemoryBudget budget) {
    this.memory = budget.reservation("HashJoinOperator(" + joinType + ")");
    this.left = left;
    this.right = right;
    this.leftKeys = leftKeys.clone();
    this.rightKeys = rightKeys.clone();
    this.nullMatches = nullMatches.clone();
    this.joinType = joinType;
    this.residual = residual;
    this.context = context;
    List<DataType> joined = new ArrayList<>(left.outputTypes());
    joined.addAll(right.outputTypes());
    this.joinedTypes = List.copyOf(joined);
    this.outputTypes = joinType.outputsRight() ? joinedTypes : left.outputTypes();
  }

  @Override
  public List<DataType> outputTypes() {
    return outputTypes;
  }

  @Override
  public Batch next() {
    if (table == null) {
      build();
    }
    while (pending.size() < Batch.DEFAULT_SIZE && !leftDone) {
      Batch batch = left.next();
      if (batch == null) {
        leftDone = true;
      } else {
        probe(batch);
      }
    }
    if (leftDone && !unmatchedRightEmitted) {
      unmatchedRightEmitted = true;
      if (joinType == JoinType.RIGHT || joinType == JoinType.FULL) {
        int leftWidth = left.outputTypes().size();
        for (int r = 0; r < rightRows.size(); r++) {
          if (!matchedRight.get(r)) {
            Object[] row = new Object[joinedTypes.size()];
            System.arraycopy(rightRows.get(r), 0, row, leftWidth, rightRows.get(r).length);
            addPending(row);
          }
        }
      }
    }
    if (pending.isEmpty()) {
      return null;
    }
    List<Object[]> rows = new ArrayList<>();
    while (!pending.isEmpty() && rows.size() < Batch.DEFAULT_SIZE) {
      Object[] row = pending.poll();
      memory.free(MemoryEstimates.row(row));
      rows.add(row);
    }
    return new RowBuffer(outputTypes, rows).next();
  }

  private void build() {
    rightRows = RowBuffer.drain(right, memory);
    table = new HashMap<>();
    matchedRight = new BitSet(rightRows.size());
    for (int r = 0; r < rightRows.size(); r++) {
      List<Object> key = key(rightRows.get(r), rightKeys);
      if (key != null) {
        // Key array and list, map entry, row id list and boxed row id.
        memory.add(16 + 4L * rightKeys.length + 16 + 48 + 40 + 16);
        table.computeIfAbsent(key, unused -> new ArrayList<>()).add(r);
      }
    }
  }

  private List<Object> key(Object[] row, int[] columns) {
    Object[] key = new Object[columns.length];
    for (int i = 0; i < columns.length; i++) {
      key[i] = row[columns[i]];
      if (key[i] == null && !nullMatches[i]) {
        return null;
      }
    }
    return Arrays.asList(key);
  }

  private void probe(Batch batch) {
    int leftWidth = left.outputTypes().size();
    List<Integer> allRight = null;
    int[] pairLeft = new int[PAIRS_PER_CHUNK];
    int[] pairRight = new int[PAIRS_PER_CHUNK];
    boolean[] leftMatched = new boolean[batch.rowCount()];
    Object[][] leftRows = new Object[batch.rowCount()][];
    int pairs = 0;
    for (int row = 0; row < batch.rowCount(); row++) {
      leftRows[row] = RowBuffer.row(batch, row);
      List<Integer> candidates;
      if (leftKeys.length == 0) {
        if (allRight == null) {
          allRight = new ArrayList<>(rightRows.size());
          for (int r = 0; r < rightRows.size(); r++) {
            allRight.add(r);
          }
        }
        candidates = allRight;
      } else {
        List<Object> key = key(leftRows[row], leftKeys);
        candidates = key == null ? null : table.get(key);
      }
      if (candidates == null) {
        continue;
      }
      for (int candidate : candidates) {
        pairLeft[pairs] = row;
        pairRight[pairs] = candidate;
        pairs++;
        if (pairs == PAIRS_PER_CHUNK) {
          emitPairs(leftRows, pairLeft, pairRight, pairs, leftMatched, leftWidth);
          pairs = 0;
        }
      }
    }
    emitPairs(leftRows, pairLeft, pairRight, pairs, leftMatched, leftWidth);
    for (int row = 0; row < batch.rowCount(); row++) {
      if (joinType == JoinType.SEMI && leftMatched[row]) {
        addPending(leftRows[row]);
      } else if (!leftMatched[row]) {
        if (joinType == JoinType.ANTI) {
          addPending(leftRows[row]);
        } else if (joinType == JoinType.LEFT || joinType == JoinType.FULL) {
          addPending(Arrays.copyOf(leftRows[row], joinedTypes.size()));
        }
      }
    }
  }

  private void emitPairs(
      Object[][] leftRows,
      int[] pairLeft,
      int[] pairRight,
      int pairs,
      boolean[] leftMatched,
      int leftWidth) {
    if (pairs == 0) {
      return;
    }
    LongVector accepted = null;
    if (residual != null) {
      List<ColumnVector> columns = new ArrayList<>(joinedTypes.size());
      for (int column = 0; column < joinedTypes.size(); column++) {
        ColumnVectorBuilder builder = new ColumnVectorBuilder(joinedTypes.get(column), pairs);
        for (int p = 0; p < pairs; p++) {
          Object value =
              column < leftWidth
                  ? leftRows[pairLeft[p]][column]
                  : rightRows.get(pairRight[p])[column - leftWidth];
          builder.appendObject(value);
        }
        columns.add(builder.build());
      }
      accepted = (LongVector) residual.evaluate(new Batch(columns, pairs), context);
    }
    for (int p = 0; p < pairs; p++) {
      if (accepted != null && (accepted.isNull(p) || accepted.getLong(p) == 0)) {
        continue;
      }
      leftMatched[pairLeft[p]] = true;
      matchedRight.set(pairRight[p]);
      if (joinType.outputsRight()) {
        Object[] row = new Object[joinedTypes.size()];
        Object[] leftRow = leftRows[pairLeft[p]];
        Object[] rightRow = rightRows.get(pairRight[p]);
        System.arraycopy(leftRow, 0, row, 0, leftWidth);
        System.arraycopy(rightRow, 0, row, leftWidth, rightRow.length);
        addPending(row);
      }
    }
  }

  /**
   * Queues an output row; queued rows count against the memory limit, since one probe batch may
   * produce many (a cross join multiplies it by the build side's size).
   */
  private void addPending(Object[] row) {
    memory.add(MemoryEstimates.row(row));
    pending.add(row);
  }

  @Override
  public void close() {
    memory.close();
    try {
      left.close();
    } finally {
      right.close();
    }
  }
}
