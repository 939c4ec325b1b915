package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.ColumnVectors;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.GroupedAccumulator;
import dev.basalt.exec.memory.MemoryEstimates;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The batch form of {@link OrderedAggregateFunction} ({@code group_concat(x ORDER BY y DESC)}, with
 * or without DISTINCT): the selected rows of each batch are kept as typed columns ({@link
 * ColumnChunks}: a group id column, the inner aggregate's arguments, then the ORDER BY columns);
 * when a result is first asked for, they are sorted once by group id and then the ORDER BY keys
 * ({@link PositionSort}, stable, so rows with equal keys keep their arrival order as the row-wise
 * accumulator's stable sort does), and the inner aggregate's own batch accumulator is fed the
 * sorted rows in one call. No value is boxed on the way; the results are the inner accumulator's.
 *
 * <p>Same call order and threading rules as {@link GroupedAccumulator}; an {@link #addBatch} after
 * a result makes the next result sort again.
 */
final class OrderedGroupedAccumulator implements GroupedAccumulator {
  private final int innerWidth;
  private final List<SortKey> keys;
  private final Supplier<GroupedAccumulator> innerFactory;

  /** The buffered rows; {@code null} until the first batch tells the ORDER BY columns' types. */
  private ColumnChunks chunks;

  private long bufferBytes;
  private int groupCount;

  /** The inner accumulator fed the sorted rows; {@code null} until a result is asked for. */
  private GroupedAccumulator sorted;

  /**
   * @param innerWidth the number of the inner aggregate's arguments, which the ORDER BY columns
   *     follow in {@link #addBatch}'s arguments
   * @param order the ORDER BY keys, column 0 being the first ORDER BY column
   */
  OrderedGroupedAccumulator(
      int innerWidth, List<SortKey> order, Supplier<GroupedAccumulator> innerFactory) {
    this.innerWidth = innerWidth;
    this.innerFactory = innerFactory;
    List<SortKey> sortKeys = new ArrayList<>(order.size() + 1);
    sortKeys.add(new SortKey(0, false, false));
    for (SortKey key : order) {
      sortKeys.add(new SortKey(1 + innerWidth + key.column(), key.descending(), key.nullsFirst()));
    }
    this.keys = List.copyOf(sortKeys);
  }

  @Override
  public void ensureGroups(int groupCount) {
    this.groupCount = Math.max(this.groupCount, groupCount);
  }

  @Override
  public void addBatch(List<ColumnVector> arguments, int[] groupIds, int[] positions, int count) {
    if (count == 0) {
      return;
    }
    long[] groups = new long[count];
    for (int i = 0; i < count; i++) {
      groups[i] = groupIds[positions == null ? i : positions[i]];
    }
    List<ColumnVector> columns = new ArrayList<>(arguments.size() + 1);
    columns.add(new LongVector(DataType.INT, groups, null, count));
    for (ColumnVector argument : arguments) {
      columns.add(positions == null ? argument : ColumnVectors.take(argument, positions, count));
    }
    Batch rows = new Batch(columns, count);
    if (chunks == null) {
      List<DataType> types = new ArrayList<>(columns.size());
      for (ColumnVector column : columns) {
        types.add(column.type());
      }
      chunks = new ColumnChunks(types);
    }
    bufferBytes += MemoryEstimates.batch(rows);
    chunks.add(rows);
    sorted = null;
  }

  /** Sorts the buffered rows and feeds them to a new inner accumulator, once per state. */
  private GroupedAccumulator sorted() {
    if (sorted != null) {
      return sorted;
    }
    GroupedAccumulator inner = innerFactory.get();
    inner.ensureGroups(groupCount);
    int rowCount = chunks == null ? 0 : chunks.rowCount();
    if (rowCount > 0) {
      List<ColumnVector> columns = chunks.concatenate();
      // Kept as one chunk, so that a later addBatch sorts them again with its rows.
      chunks.add(new Batch(columns, rowCount));
      int[] order = PositionSort.sort(columns, rowCount, keys);
      LongVector groups = (LongVector) columns.getFirst();
      int[] groupIds = new int[rowCount];
      for (int i = 0; i < rowCount; i++) {
        groupIds[i] = (int) groups.getLong(order[i]);
      }
      List<ColumnVector> arguments = new ArrayList<>(innerWidth);
      for (int column = 1; column <= innerWidth; column++) {
        arguments.add(ColumnVectors.take(columns.get(column), order, rowCount));
      }
      inner.addBatch(arguments, groupIds, null, rowCount);
    }
    sorted = inner;
    return inner;
  }

  @Override
  public Object result(int group) {
    return sorted().result(group);
  }

  @Override
  public void writeResults(int fromGroup, int count, ColumnVectorBuilder out) {
    sorted().writeResults(fromGroup, count, out);
  }

  @Override
  public long bytesPerGroup() {
    return 0;
  }

  /** The buffered rows (with the sort's scratch), then the inner accumulator's text. */
  @Override
  public long variableBytes() {
    long held = chunks == null ? 0 : bufferBytes + chunks.rowCount() * PositionSort.BYTES_PER_ROW;
    return sorted == null ? held : held + sorted.variableBytes();
  }
}
