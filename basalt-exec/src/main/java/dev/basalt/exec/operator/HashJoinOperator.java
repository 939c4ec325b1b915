package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.PhysicalType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.ColumnVectors;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.expression.Expression;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.hash.BytesGroupHashTable;
import dev.basalt.exec.hash.KeySerializer;
import dev.basalt.exec.hash.LongGroupHashTable;
import dev.basalt.exec.memory.MemoryEstimates;
import dev.basalt.exec.memory.MemoryReservation;
import dev.basalt.exec.memory.QueryMemoryBudget;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Equi-join by hashing the right input, probing with the left; optional residual condition over the
 * joined row (left columns then right columns). With no keys it is a nested-loop join.
 *
 * <p>A key whose {@code nullMatches} flag is false never matches when NULL (SQL {@code =}); true
 * gives {@code IS NOT DISTINCT FROM}. Outer joins pad the missing side with NULLs; SEMI and ANTI
 * output the left rows that have (have no) accepted match. DOUBLE keys compare with -0.0 equal to
 * 0.0.
 *
 * <p>Build: the right input is kept as one typed column vector per column, and a hash table maps
 * each distinct key to a key id ({@link LongGroupHashTable} for one non-null-matching fixed-width
 * key, otherwise {@link BytesGroupHashTable} over {@link KeySerializer} bytes); the build rows of a
 * key id form a chain in insertion order ({@code firstRow}/{@code nextRow} arrays). Probe: a left
 * batch at a time, candidate pairs are collected into index vectors of at most {@link
 * Batch#DEFAULT_SIZE}, the residual is evaluated on the gathered pairs, and output is gathered from
 * the index vectors. Probing is resumable, so one probe batch that matches many build rows (a cross
 * join) produces output a batch at a time instead of all at once.
 *
 * <p>The build side and its table are reserved in the statement's {@link QueryMemoryBudget}
 * (spilling is a later slice of issue 14). Pipeline breaker on the right input only. Not thread
 * safe.
 */
public final class HashJoinOperator implements Operator {
  private static final int CHUNK = Batch.DEFAULT_SIZE;
  private static final int NOT_STARTED = -2;
  private static final int NONE = -1;

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
  private final MemoryReservation memory;
  private final Deque<Batch> ready = new ArrayDeque<>();
  private RuntimeFilter runtimeFilter;

  private boolean built;
  private List<ColumnVector> buildColumns;
  private int buildRowCount;
  private LongGroupHashTable longTable;
  private BytesGroupHashTable bytesTable;
  private final KeySerializer serializer = new KeySerializer();
  private int[] firstRow;
  private int[] lastRow;
  private int[] nextRow;
  private boolean[] rightMatched;

  private Batch probe;
  private List<ColumnVector> probeKeys;
  private int probeRow;
  private int cursor = NOT_STARTED;
  private boolean[] probeMatched;
  private final int[] pairLeft = new int[CHUNK];
  private final int[] pairRight = new int[CHUNK];
  private boolean leftDone;
  private int unmatchedCursor;

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

  /**
   * Publishes the build side's keys into {@code filter} once the build is complete (before the
   * probe side is read), for the probe side's scan. Only an INNER, SEMI or RIGHT join on one
   * integer key that never matches NULL qualifies (probe rows without a match are not output), and
   * only when that key is {@code probeKey} (a column of the left input), the column the filter is
   * meant for; returns whether this join will publish.
   */
  public boolean publishRuntimeFilter(RuntimeFilter filter, int probeKey) {
    boolean qualifies =
        (joinType == JoinType.INNER || joinType == JoinType.SEMI || joinType == JoinType.RIGHT)
            && fixedWidthKey()
            && leftKeys[0] == probeKey
            && left.outputTypes().get(leftKeys[0]).physical() == PhysicalType.LONG;
    if (qualifies) {
      runtimeFilter = filter;
    }
    return qualifies;
  }

  @Override
  public List<DataType> outputTypes() {
    return outputTypes;
  }

  @Override
  public Batch next() {
    if (!built) {
      build();
    }
    while (ready.isEmpty()) {
      if (probe != null) {
        step();
      } else if (!leftDone) {
        Batch batch = left.next();
        if (batch == null) {
          leftDone = true;
        } else if (batch.rowCount() > 0) {
          startProbe(batch);
        }
      } else if (!emitUnmatchedRight()) {
        return null;
      }
    }
    return ready.poll();
  }

  private void build() {
    built = true;
    List<DataType> rightTypes = right.outputTypes();
    List<List<ColumnVector>> parts = new ArrayList<>();
    for (int column = 0; column < rightTypes.size(); column++) {
      parts.add(new ArrayList<>());
    }
    long partBytes = 0;
    for (Batch batch = right.next(); batch != null; batch = right.next()) {
      if (batch.rowCount() == 0) {
        continue;
      }
      long bytes = MemoryEstimates.batch(batch);
      memory.add(bytes);
      partBytes += bytes;
      for (int column = 0; column < rightTypes.size(); column++) {
        parts.get(column).add(batch.column(column));
      }
      buildRowCount += batch.rowCount();
    }
    buildColumns = new ArrayList<>(rightTypes.size());
    for (int column = 0; column < rightTypes.size(); column++) {
      ColumnVector concatenated =
          VectorGather.concatenate(rightTypes.get(column), parts.get(column));
      memory.add(MemoryEstimates.vector(concatenated));
      buildColumns.add(concatenated);
      parts.get(column).clear();
    }
    memory.free(partBytes);
    rightMatched = new boolean[buildRowCount];
    nextRow = new int[buildRowCount];
    if (leftKeys.length > 0) {
      buildTable();
    }
    memory.add(buildRowCount * 5L + tableBytes());
    if (runtimeFilter != null && longTable != null) {
      runtimeFilter.publish(longTable);
    }
    if (buildRowCount == 0
        && (joinType == JoinType.INNER
            || joinType == JoinType.SEMI
            || joinType == JoinType.RIGHT)) {
      // Nothing can match and unmatched left rows are not output: the left input is not read.
      leftDone = true;
    }
  }

  private boolean fixedWidthKey() {
    if (leftKeys.length != 1 || nullMatches[0]) {
      return false;
    }
    PhysicalType leftType = left.outputTypes().get(leftKeys[0]).physical();
    PhysicalType rightType = right.outputTypes().get(rightKeys[0]).physical();
    return leftType == rightType
        && (leftType == PhysicalType.LONG || leftType == PhysicalType.DOUBLE);
  }

  private void buildTable() {
    int expected = Math.max(16, buildRowCount);
    if (fixedWidthKey()) {
      longTable = new LongGroupHashTable(expected);
    } else {
      bytesTable = new BytesGroupHashTable(expected);
    }
    firstRow = new int[16];
    lastRow = new int[16];
    List<ColumnVector> keys = new ArrayList<>(rightKeys.length);
    for (int key : rightKeys) {
      keys.add(buildColumns.get(key));
    }
    for (int row = 0; row < buildRowCount; row++) {
      int keyCount = keyCount();
      int keyId = keyId(keys, row, true);
      if (keyId < 0) {
        continue;
      }
      nextRow[row] = NONE;
      if (keyId == keyCount) {
        if (keyId == firstRow.length) {
          firstRow = Arrays.copyOf(firstRow, keyId * 2);
          lastRow = Arrays.copyOf(lastRow, keyId * 2);
        }
        firstRow[keyId] = row;
      } else {
        nextRow[lastRow[keyId]] = row;
      }
      lastRow[keyId] = row;
    }
  }

  private int keyCount() {
    return longTable != null ? longTable.groupCount() : bytesTable.groupCount();
  }

  private long tableBytes() {
    long bytes = firstRow == null ? 0 : 8L * firstRow.length;
    if (longTable != null) {
      bytes += longTable.estimatedBytes();
    }
    if (bytesTable != null) {
      bytes += bytesTable.estimatedBytes();
    }
    return bytes;
  }

  /**
   * The key id of row {@code row} of {@code keys} (inserting it when {@code insert}), or -1 when
   * the key contains a NULL that never matches or, when probing, is not in the table.
   */
  private int keyId(List<ColumnVector> keys, int row, boolean insert) {
    for (int i = 0; i < keys.size(); i++) {
      if (!nullMatches[i] && keys.get(i).isNull(row)) {
        return -1;
      }
    }
    if (longTable != null) {
      ColumnVector key = keys.get(0);
      long value =
          key instanceof LongVector longs
              ? longs.getLong(row)
              : KeySerializer.doubleKey(((DoubleVector) key).getDouble(row));
      return insert ? longTable.findOrInsert(value) : longTable.find(value);
    }
    int length = serializer.serialize(keys, row);
    return insert
        ? bytesTable.findOrInsert(serializer.buffer(), 0, length)
        : bytesTable.find(serializer.buffer(), 0, length);
  }

  private void startProbe(Batch batch) {
    probe = batch;
    probeRow = 0;
    cursor = NOT_STARTED;
    probeMatched = new boolean[batch.rowCount()];
    probeKeys = new ArrayList<>(leftKeys.length);
    for (int key : leftKeys) {
      probeKeys.add(batch.column(key));
    }
  }

  /** The first build row that may match probe row {@code row}, or NONE. */
  private int firstCandidate(int row) {
    if (leftKeys.length == 0) {
      return buildRowCount > 0 ? 0 : NONE;
    }
    int keyId = keyId(probeKeys, row, false);
    return keyId < 0 ? NONE : firstRow[keyId];
  }

  private int nextCandidate(int buildRow) {
    if (leftKeys.length == 0) {
      return buildRow + 1 < buildRowCount ? buildRow + 1 : NONE;
    }
    return nextRow[buildRow];
  }

  /** Collects up to one chunk of candidate pairs from the probe batch and processes them. */
  private void step() {
    // Without a residual, one candidate decides a SEMI or ANTI row.
    boolean firstMatchDecides =
        residual == null && (joinType == JoinType.SEMI || joinType == JoinType.ANTI);
    int rowCount = probe.rowCount();
    int pairs = 0;
    while (pairs < CHUNK && probeRow < rowCount) {
      if (cursor == NOT_STARTED) {
        cursor = firstCandidate(probeRow);
      }
      while (cursor >= 0 && pairs < CHUNK) {
        pairLeft[pairs] = probeRow;
        pairRight[pairs] = cursor;
        pairs++;
        cursor = firstMatchDecides ? NONE : nextCandidate(cursor);
      }
      if (cursor < 0) {
        probeRow++;
        cursor = NOT_STARTED;
      }
    }
    if (pairs > 0) {
      processPairs(pairs);
    }
    if (probeRow >= rowCount) {
      finishProbe();
      probe = null;
    }
  }

  private void processPairs(int pairs) {
    int accepted = pairs;
    if (residual != null) {
      List<ColumnVector> columns = gather(pairLeft, pairRight, pairs);
      LongVector condition = (LongVector) residual.evaluate(new Batch(columns, pairs), context);
      accepted = 0;
      for (int p = 0; p < pairs; p++) {
        if (!condition.isNull(p) && condition.getLong(p) != 0) {
          pairLeft[accepted] = pairLeft[p];
          pairRight[accepted] = pairRight[p];
          accepted++;
        }
      }
    }
    for (int p = 0; p < accepted; p++) {
      probeMatched[pairLeft[p]] = true;
      rightMatched[pairRight[p]] = true;
    }
    if (joinType.outputsRight() && accepted > 0) {
      ready.add(new Batch(gather(pairLeft, pairRight, accepted), accepted));
    }
  }

  /** The joined columns of the pairs: left columns of the probe batch, then build columns. */
  private List<ColumnVector> gather(int[] leftRows, int[] rightRows, int count) {
    List<ColumnVector> columns = new ArrayList<>(joinedTypes.size());
    for (ColumnVector column : probe.columns()) {
      columns.add(ColumnVectors.take(column, leftRows, count));
    }
    for (ColumnVector column : buildColumns) {
      columns.add(ColumnVectors.take(column, rightRows, count));
    }
    return columns;
  }

  /** Outputs the left-only rows of the finished probe batch (SEMI, ANTI, LEFT and FULL). */
  private void finishProbe() {
    if (joinType == JoinType.INNER || joinType == JoinType.RIGHT) {
      return;
    }
    boolean wanted = joinType == JoinType.SEMI;
    int[] rows = new int[probe.rowCount()];
    int count = 0;
    for (int row = 0; row < probe.rowCount(); row++) {
      if (probeMatched[row] == wanted) {
        rows[count++] = row;
      }
    }
    if (count == 0) {
      return;
    }
    List<ColumnVector> columns = new ArrayList<>(outputTypes.size());
    for (ColumnVector column : probe.columns()) {
      columns.add(ColumnVectors.take(column, rows, count));
    }
    if (joinType.outputsRight()) {
      for (DataType type : right.outputTypes()) {
        columns.add(ColumnVectorBuilder.constant(type, null, count));
      }
    }
    ready.add(new Batch(columns, count));
  }

  /** Queues the next chunk of unmatched build rows (RIGHT, FULL); false when there are no more. */
  private boolean emitUnmatchedRight() {
    if (joinType != JoinType.RIGHT && joinType != JoinType.FULL) {
      return false;
    }
    int[] rows = new int[CHUNK];
    int count = 0;
    while (unmatchedCursor < buildRowCount && count < CHUNK) {
      if (!rightMatched[unmatchedCursor]) {
        rows[count++] = unmatchedCursor;
      }
      unmatchedCursor++;
    }
    if (count == 0) {
      return false;
    }
    List<ColumnVector> columns = new ArrayList<>(outputTypes.size());
    for (DataType type : left.outputTypes()) {
      columns.add(ColumnVectorBuilder.constant(type, null, count));
    }
    for (ColumnVector column : buildColumns) {
      columns.add(ColumnVectors.take(column, rows, count));
    }
    ready.add(new Batch(columns, count));
    return true;
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
