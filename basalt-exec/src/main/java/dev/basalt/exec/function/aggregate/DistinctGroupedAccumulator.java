package dev.basalt.exec.function.aggregate;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.PhysicalType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.common.vector.Values;
import dev.basalt.exec.function.GroupedAccumulator;
import dev.basalt.exec.function.SpillableDistinctAccumulator;
import dev.basalt.exec.hash.BytesGroupHashTable;
import dev.basalt.exec.hash.KeySerializer;
import dev.basalt.exec.hash.LongTupleHashTable;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code f(DISTINCT ...)} (and NDV) for all groups of a hash aggregation: one hash table on
 * primitive arrays holds every (group id, argument tuple) seen so far, and each batch passes only
 * the rows whose pair is new to the inner aggregate's {@link GroupedAccumulator} (as the positions
 * it adds), so each group's distinct values reach it once, in order of first appearance, as with
 * the row-wise {@code DistinctAggregate}.
 *
 * <p>One BIGINT-like or DOUBLE argument is a pair of words in a {@link LongTupleHashTable} (a
 * DOUBLE as {@link KeySerializer#doubleKey}, so -0.0 meets 0.0 and NaN meets NaN); rows where it is
 * NULL are skipped, as every aggregate skips them. Anything else (strings, decimals, LARGEINT,
 * several arguments) is serialized with its null flags by a {@link KeySerializer} after the group
 * id into a {@link BytesGroupHashTable}, and the inner aggregate decides what a NULL means (COUNT
 * of several arguments skips the row, GROUP_CONCAT's NULL separator joins without one).
 *
 * <p>The table grows with the distinct pairs, not the groups: its size is reported by {@link
 * #variableBytes} for the query's memory budget. Without GROUP BY the aggregation spills the pairs
 * it has not seen once the budget refuses more ({@link SpillableDistinctAccumulator}); the same
 * table answers {@link #unseenRows} without inserting. Not mergeable (a DISTINCT aggregate runs its
 * final phase over whole groups). Not thread safe.
 */
final class DistinctGroupedAccumulator implements SpillableDistinctAccumulator {
  private final GroupedAccumulator inner;
  private final KeySerializer serializer;
  private LongTupleHashTable pairs;
  private BytesGroupHashTable serializedPairs;
  private long[] pair = new long[2];
  private int[] firstSeen = new int[0];
  private long[] groupWords = new long[0];

  /**
   * @param argumentTypes the aggregate's argument types (at least one)
   * @param inner the state of the aggregate over the distinct values
   */
  DistinctGroupedAccumulator(List<DataType> argumentTypes, GroupedAccumulator inner) {
    this.inner = inner;
    PhysicalType physical =
        argumentTypes.size() == 1 ? argumentTypes.get(0).physical() : PhysicalType.BYTES;
    serializer =
        physical == PhysicalType.LONG || physical == PhysicalType.DOUBLE
            ? null
            : new KeySerializer();
    forgetValues();
  }

  @Override
  public void forgetValues() {
    if (serializer == null) {
      pairs = new LongTupleHashTable(2, 16);
    } else {
      serializedPairs = new BytesGroupHashTable(16);
    }
  }

  @Override
  public boolean valuesMaySpill() {
    // group_concat shows the order its values arrive in; every other inner aggregate folds them.
    return !(inner instanceof GroupConcatGroupedAccumulator);
  }

  @Override
  public void ensureGroups(int groupCount) {
    inner.ensureGroups(groupCount);
  }

  @Override
  public void addBatch(List<ColumnVector> arguments, int[] groupIds, int[] positions, int count) {
    if (firstSeen.length < count) {
      firstSeen = new int[Math.max(count, firstSeen.length * 2)];
    }
    int[] fresh = firstSeen;
    int freshCount = selectNew(arguments, groupIds, positions, count, fresh, true);
    inner.addBatch(arguments, groupIds, fresh, freshCount);
  }

  @Override
  public int unseenRows(
      List<ColumnVector> arguments, int[] groupIds, int[] positions, int count, int[] unseen) {
    return selectNew(arguments, groupIds, positions, count, unseen, false);
  }

  /**
   * Writes into {@code fresh} the rows whose pair is not in the table, inserting them if {@code
   * insert} (then a pair repeated within the batch counts once), and returns how many.
   */
  private int selectNew(
      List<ColumnVector> arguments,
      int[] groupIds,
      int[] positions,
      int count,
      int[] fresh,
      boolean insert) {
    return serializer == null
        ? selectNewValues(arguments.get(0), groupIds, positions, count, fresh, insert)
        : selectNewTuples(arguments, groupIds, positions, count, fresh, insert);
  }

  /** One fixed-width argument: (group, value bits) pairs in the long-tuple table. */
  private int selectNewValues(
      ColumnVector argument,
      int[] groupIds,
      int[] positions,
      int count,
      int[] fresh,
      boolean insert) {
    LongTupleHashTable table = pairs;
    long[] key = pair;
    LongVector longs = argument instanceof LongVector vector ? vector : null;
    DoubleVector doubles = argument instanceof DoubleVector vector ? vector : null;
    boolean nullable = argument.mayHaveNulls();
    int freshCount = 0;
    for (int i = 0; i < count; i++) {
      int row = positions == null ? i : positions[i];
      if (nullable && argument.isNull(row)) {
        continue;
      }
      key[0] = groupIds[row];
      if (longs != null) {
        key[1] = longs.getLong(row);
      } else if (doubles != null) {
        key[1] = KeySerializer.doubleKey(doubles.getDouble(row));
      } else {
        // Another vector class (a constant): the same words its type's own vector would give.
        key[1] = wordOf(argument, row);
      }
      if (insert) {
        int before = table.groupCount();
        if (table.findOrInsert(key, 0) == before) {
          fresh[freshCount++] = row;
        }
      } else if (table.find(key, 0) < 0) {
        fresh[freshCount++] = row;
      }
    }
    return freshCount;
  }

  private static long wordOf(ColumnVector argument, int row) {
    Object value = argument.getObject(row);
    return argument.type().physical() == PhysicalType.DOUBLE
        ? KeySerializer.doubleKey(((Number) value).doubleValue())
        : Values.toLong(argument.type(), value);
  }

  /** Anything else: the group id then the serialized arguments, in the bytes table. */
  private int selectNewTuples(
      List<ColumnVector> arguments,
      int[] groupIds,
      int[] positions,
      int count,
      int[] fresh,
      boolean insert) {
    int rowCount = arguments.get(0).size();
    if (groupWords.length < rowCount) {
      groupWords = new long[Math.max(rowCount, groupWords.length * 2)];
    }
    for (int i = 0; i < count; i++) {
      int row = positions == null ? i : positions[i];
      groupWords[row] = groupIds[row];
    }
    List<ColumnVector> key = new ArrayList<>(arguments.size() + 1);
    key.add(new LongVector(DataType.INT, groupWords, null, rowCount));
    key.addAll(arguments);
    BytesGroupHashTable table = serializedPairs;
    int freshCount = 0;
    for (int i = 0; i < count; i++) {
      int row = positions == null ? i : positions[i];
      int length = serializer.serialize(key, row);
      if (insert) {
        int before = table.groupCount();
        if (table.findOrInsert(serializer.buffer(), 0, length) == before) {
          fresh[freshCount++] = row;
        }
      } else if (table.find(serializer.buffer(), 0, length) < 0) {
        fresh[freshCount++] = row;
      }
    }
    return freshCount;
  }

  @Override
  public Object result(int group) {
    return inner.result(group);
  }

  @Override
  public void writeResults(int fromGroup, int count, ColumnVectorBuilder out) {
    inner.writeResults(fromGroup, count, out);
  }

  @Override
  public long bytesPerGroup() {
    return inner.bytesPerGroup();
  }

  @Override
  public long variableBytes() {
    long table = serializer == null ? pairs.estimatedBytes() : serializedPairs.estimatedBytes();
    return table + inner.variableBytes();
  }
}
