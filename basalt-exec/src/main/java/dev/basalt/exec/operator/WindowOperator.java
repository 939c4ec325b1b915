package dev.basalt.exec.operator;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.ColumnVectors;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.Accumulator;
import dev.basalt.exec.function.AggregateFunction;
import dev.basalt.exec.memory.MemoryEstimates;
import dev.basalt.exec.memory.MemoryReservation;
import dev.basalt.exec.memory.QueryMemoryBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Window functions: for each {@link Group} (one PARTITION BY / ORDER BY / frame), appends one
 * output column per call after the input columns; rows come out in input order. Materializes the
 * input as typed vectors ({@link ColumnChunks}, reserved in the statement's budget; windows do not
 * spill), orders each group's row positions by partition and order keys with the sort kernel
 * ({@link PositionSort}), finds partitions and peer groups with the same typed comparators, and
 * computes every call in that order into a column builder; the finished column is put back into
 * input order by gathering it through the inverse permutation. Values are read from the typed
 * vectors and never boxed; aggregates slide over their frames ({@link WindowFrameAggregation}:
 * typed running sums, counts and min/max deques, other aggregates through their {@link
 * Accumulator}).
 *
 * <p>Arguments are column indexes; an index at or past the input width refers to {@code constants}
 * (Calcite's window constants, such as LAG's offset). Not thread safe.
 */
public final class WindowOperator implements Operator {

  /** What a window call computes. */
  public enum FunctionKind {
    AGGREGATE,
    ROW_NUMBER,
    RANK,
    DENSE_RANK,
    PERCENT_RANK,
    CUME_DIST,
    NTILE,
    LAG,
    LEAD,
    FIRST_VALUE,
    LAST_VALUE,
    NTH_VALUE
  }

  /** One window function call; {@code aggregate} is set only for {@link FunctionKind#AGGREGATE}. */
  public record Call(
      FunctionKind kind, AggregateFunction aggregate, List<Integer> arguments, DataType type) {
    public Call {
      arguments = List.copyOf(arguments);
    }
  }

  /** A frame boundary. {@code offset} applies to PRECEDING and FOLLOWING. */
  public record Bound(BoundKind kind, long offset) {
    public static final Bound UNBOUNDED_PRECEDING = new Bound(BoundKind.UNBOUNDED_PRECEDING, 0);
    public static final Bound CURRENT_ROW = new Bound(BoundKind.CURRENT_ROW, 0);
    public static final Bound UNBOUNDED_FOLLOWING = new Bound(BoundKind.UNBOUNDED_FOLLOWING, 0);
  }

  /** Kinds of frame boundaries. */
  public enum BoundKind {
    UNBOUNDED_PRECEDING,
    PRECEDING,
    CURRENT_ROW,
    FOLLOWING,
    UNBOUNDED_FOLLOWING
  }

  /**
   * One window: partition columns, order keys, frame ({@code rows} true for ROWS, false for RANGE,
   * where a RANGE frame may only use UNBOUNDED and CURRENT ROW bounds) and the calls sharing it.
   */
  public record Group(
      int[] partitionColumns,
      List<SortKey> orderKeys,
      boolean rows,
      Bound lower,
      Bound upper,
      List<Call> calls) {
    public Group {
      orderKeys = List.copyOf(orderKeys);
      calls = List.copyOf(calls);
    }
  }

  private final Operator input;
  private final List<Group> groups;
  private final List<Object> constants;
  private final List<DataType> constantTypes;
  private final List<DataType> outputTypes;
  private final MemoryReservation memory;
  private List<ColumnVector> result;
  private int rowCount;
  private int cursor = -1;

  /** Each partition row's frame as {@code [frameStarts[i], frameEnds[i])}, reused per partition. */
  private int[] frameStarts;

  private int[] frameEnds;

  /**
   * {@code constants} may hold nulls; {@code constantTypes} gives each constant's type. The rows
   * held are reserved in {@code budget}.
   */
  public WindowOperator(
      Operator input,
      List<Group> groups,
      List<Object> constants,
      List<DataType> constantTypes,
      QueryMemoryBudget budget) {
    this.input = input;
    this.memory = budget.reservation("WindowOperator");
    this.groups = List.copyOf(groups);
    this.constants = new ArrayList<>(constants);
    this.constantTypes = List.copyOf(constantTypes);
    List<DataType> types = new ArrayList<>(input.outputTypes());
    for (Group group : groups) {
      for (Call call : group.calls()) {
        types.add(call.type());
      }
    }
    this.outputTypes = List.copyOf(types);
  }

  @Override
  public List<DataType> outputTypes() {
    return outputTypes;
  }

  @Override
  public Batch next() {
    if (cursor < 0) {
      compute();
      cursor = 0;
    }
    if (cursor >= rowCount) {
      result = null;
      memory.free(memory.held());
      return null;
    }
    int count = Math.min(Batch.DEFAULT_SIZE, rowCount - cursor);
    int[] positions = new int[count];
    for (int i = 0; i < count; i++) {
      positions[i] = cursor + i;
    }
    List<ColumnVector> columns = new ArrayList<>(result.size());
    for (ColumnVector column : result) {
      columns.add(ColumnVectors.take(column, positions, count));
    }
    cursor += count;
    return new Batch(columns, count);
  }

  private void compute() {
    ColumnChunks chunks = new ColumnChunks(input.outputTypes());
    for (Batch batch = input.next(); batch != null; batch = input.next()) {
      memory.add(MemoryEstimates.batch(batch));
      chunks.add(batch);
    }
    rowCount = chunks.rowCount();
    List<ColumnVector> columns = chunks.concatenate();
    int inputWidth = columns.size();
    List<ColumnVector> arguments = new ArrayList<>(columns);
    for (int i = 0; i < constants.size(); i++) {
      arguments.add(ColumnVectorBuilder.constant(constantTypes.get(i), constants.get(i), rowCount));
    }
    result = new ArrayList<>(columns);
    frameStarts = new int[rowCount];
    frameEnds = new int[rowCount];
    memory.add(8L * rowCount);
    for (Group group : groups) {
      // The order, its inverse and the per-row peer bounds, plus one result column per call.
      memory.add((long) rowCount * (PositionSort.BYTES_PER_ROW + 12L + 9L * group.calls().size()));
      List<SortKey> sortKeys = new ArrayList<>();
      for (int column : group.partitionColumns()) {
        sortKeys.add(new SortKey(column, false, true));
      }
      sortKeys.addAll(group.orderKeys());
      int[] order = PositionSort.sort(columns, rowCount, sortKeys);
      PositionSort.PositionComparator partitionOrder =
          PositionSort.comparator(columns, sortKeys.subList(0, group.partitionColumns().length));
      PositionSort.PositionComparator peerOrder = PositionSort.comparator(columns, sortKeys);
      List<ColumnVectorBuilder> builders = new ArrayList<>();
      for (Call call : group.calls()) {
        builders.add(new ColumnVectorBuilder(call.type(), Math.max(rowCount, 1)));
      }
      int[] peerStart = new int[rowCount];
      int[] peerEnd = new int[rowCount];
      int start = 0;
      while (start < rowCount) {
        int end = start + 1;
        while (end < rowCount && partitionOrder.compare(order[start], order[end]) == 0) {
          end++;
        }
        Partition partition = new Partition(order, start, end - start, peerStart, peerEnd);
        partition.findPeers(peerOrder);
        for (int i = 0; i < group.calls().size(); i++) {
          computeCall(group, group.calls().get(i), partition, arguments, builders.get(i));
        }
        start = end;
      }
      int[] inverse = new int[rowCount];
      for (int i = 0; i < rowCount; i++) {
        inverse[order[i]] = i;
      }
      for (ColumnVectorBuilder builder : builders) {
        result.add(ColumnVectors.take(builder.build(), inverse, rowCount));
      }
    }
    frameStarts = null;
    frameEnds = null;
    if (result.size() != outputTypes.size()) {
      throw new IllegalStateException("window output has " + result.size() + " columns");
    }
  }

  /**
   * One partition: rows {@code order[start .. start + size)} of the input, in window order; peer
   * bounds are partition-relative indexes.
   */
  private static final class Partition {
    private final int[] order;
    private final int start;
    private final int size;
    private final int[] peerStart;
    private final int[] peerEnd;

    Partition(int[] order, int start, int size, int[] peerStart, int[] peerEnd) {
      this.order = order;
      this.start = start;
      this.size = size;
      this.peerStart = peerStart;
      this.peerEnd = peerEnd;
    }

    /** The input position of the partition's row {@code index}. */
    int position(int index) {
      return order[start + index];
    }

    int firstPeer(int index) {
      return peerStart[start + index];
    }

    int lastPeer(int index) {
      return peerEnd[start + index];
    }

    void findPeers(PositionSort.PositionComparator peerOrder) {
      int first = 0;
      while (first < size) {
        int last = first;
        while (last + 1 < size && peerOrder.compare(position(first), position(last + 1)) == 0) {
          last++;
        }
        for (int i = first; i <= last; i++) {
          peerStart[start + i] = first;
          peerEnd[start + i] = last;
        }
        first = last + 1;
      }
    }
  }

  private void computeCall(
      Group group,
      Call call,
      Partition partition,
      List<ColumnVector> arguments,
      ColumnVectorBuilder builder) {
    int size = partition.size;
    switch (call.kind()) {
      case ROW_NUMBER -> {
        for (int i = 0; i < size; i++) {
          builder.appendLong(i + 1);
        }
      }
      case RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST -> {
        long dense = 0;
        for (int i = 0; i < size; i++) {
          int firstPeer = partition.firstPeer(i);
          if (firstPeer == i) {
            dense++;
          }
          long rank = firstPeer + 1;
          switch (call.kind()) {
            case RANK -> builder.appendLong(rank);
            case DENSE_RANK -> builder.appendLong(dense);
            case PERCENT_RANK ->
                builder.appendDouble(size == 1 ? 0.0 : (double) (rank - 1) / (size - 1));
            default -> builder.appendDouble((double) (partition.lastPeer(i) + 1) / size);
          }
        }
      }
      case NTILE -> {
        ColumnVector bucketsArgument = arguments.get(call.arguments().get(0));
        long buckets = integerArgument(bucketsArgument, partition.position(0), "NTILE", true);
        long base = size / buckets;
        long extra = size % buckets;
        int row = 0;
        for (long bucket = 1; bucket <= buckets && row < size; bucket++) {
          long count = base + (bucket <= extra ? 1 : 0);
          for (long k = 0; k < count && row < size; k++) {
            builder.appendLong(bucket);
            row++;
          }
        }
      }
      case LAG, LEAD -> {
        ColumnVector values = arguments.get(call.arguments().get(0));
        ColumnVector offsets =
            call.arguments().size() > 1 ? arguments.get(call.arguments().get(1)) : null;
        ColumnVector defaults =
            call.arguments().size() > 2 ? arguments.get(call.arguments().get(2)) : null;
        for (int i = 0; i < size; i++) {
          int position = partition.position(i);
          long offset =
              offsets == null ? 1 : integerArgument(offsets, position, call.kind().name(), false);
          long target = call.kind() == FunctionKind.LAG ? i - offset : i + offset;
          if (target >= 0 && target < size) {
            appendValue(builder, values, partition.position((int) target));
          } else if (defaults != null) {
            appendValue(builder, defaults, position);
          } else {
            builder.appendNull();
          }
        }
      }
      case FIRST_VALUE, LAST_VALUE, NTH_VALUE, AGGREGATE ->
          computeFramed(group, call, partition, arguments, builder);
    }
  }

  private void computeFramed(
      Group group,
      Call call,
      Partition partition,
      List<ColumnVector> arguments,
      ColumnVectorBuilder builder) {
    int size = partition.size;
    boolean hasOrder = !group.orderKeys().isEmpty();
    List<ColumnVector> callArguments = new ArrayList<>(call.arguments().size());
    for (int index : call.arguments()) {
      callArguments.add(arguments.get(index));
    }
    if (call.kind() == FunctionKind.AGGREGATE) {
      for (int i = 0; i < size; i++) {
        frameStarts[i] = clip(frameStart(group, partition, i, hasOrder), size);
        frameEnds[i] = clip(Math.min(frameEnd(group, partition, i, hasOrder), size) + 1, size);
      }
      WindowFrameAggregation.compute(
          call.aggregate(),
          callArguments,
          partition.order,
          partition.start,
          size,
          frameStarts,
          frameEnds,
          builder);
      return;
    }
    for (int i = 0; i < size; i++) {
      long from = frameStart(group, partition, i, hasOrder);
      long to = frameEnd(group, partition, i, hasOrder);
      if (from > to || from >= size || to < 0) {
        builder.appendNull();
      } else if (call.kind() == FunctionKind.FIRST_VALUE) {
        appendValue(builder, callArguments.get(0), partition.position((int) Math.max(from, 0)));
      } else if (call.kind() == FunctionKind.LAST_VALUE) {
        appendValue(
            builder, callArguments.get(0), partition.position((int) Math.min(to, size - 1)));
      } else {
        long nth = integerArgument(callArguments.get(1), partition.position(i), "NTH_VALUE", true);
        long target = Math.max(from, 0) + nth - 1;
        if (target <= Math.min(to, size - 1)) {
          appendValue(builder, callArguments.get(0), partition.position((int) target));
        } else {
          builder.appendNull();
        }
      }
    }
  }

  /** A partition-relative frame bound clipped to {@code [0, size]}. */
  private static int clip(long bound, int size) {
    return (int) Math.max(0, Math.min(bound, size));
  }

  /** The frame's first row (partition-relative; may lie outside the partition). */
  private static long frameStart(Group group, Partition partition, int row, boolean hasOrder) {
    Bound lower = group.lower();
    return switch (lower.kind()) {
      case UNBOUNDED_PRECEDING -> 0;
      case PRECEDING -> group.rows() ? row - lower.offset() : 0;
      case CURRENT_ROW -> group.rows() ? row : hasOrder ? partition.firstPeer(row) : 0;
      case FOLLOWING -> saturatedAdd(row, lower.offset());
      case UNBOUNDED_FOLLOWING -> partition.size;
    };
  }

  /** The frame's last row (partition-relative; may lie outside the partition). */
  private static long frameEnd(Group group, Partition partition, int row, boolean hasOrder) {
    Bound upper = group.upper();
    return switch (upper.kind()) {
      case UNBOUNDED_PRECEDING -> -1;
      case PRECEDING -> row - upper.offset();
      case CURRENT_ROW ->
          group.rows() ? row : hasOrder ? partition.lastPeer(row) : partition.size - 1;
      case FOLLOWING -> group.rows() ? saturatedAdd(row, upper.offset()) : partition.size - 1;
      case UNBOUNDED_FOLLOWING -> partition.size - 1;
    };
  }

  private static long saturatedAdd(long row, long offset) {
    long sum = row + offset;
    return sum < row ? Long.MAX_VALUE : sum;
  }

  /**
   * The integer argument at {@code row} (NTILE's buckets, LAG's offset, NTH_VALUE's n): positive,
   * or non-negative when {@code positive} is false.
   */
  private static long integerArgument(
      ColumnVector vector, int row, String function, boolean positive) {
    long value;
    if (vector instanceof LongVector longs && !longs.isNull(row)) {
      value = longs.getLong(row);
    } else if (vector.getObject(row) instanceof Number number) {
      value = number.longValue();
    } else {
      value = -1;
    }
    String name = function.toLowerCase(Locale.ROOT);
    if (value < 0) {
      throw new BasaltException(
          ErrorCode.WRONG_ARGUMENTS,
          name,
          "the argument must be a non-negative integer, not " + vector.getObject(row));
    }
    if (value == 0 && positive) {
      throw new BasaltException(
          ErrorCode.WRONG_ARGUMENTS, name, "the argument must be a positive integer");
    }
    return value;
  }

  /**
   * Appends row {@code row} of {@code source} to {@code builder}: typed when their physical layouts
   * agree (they do unless a default value's type differs from the call's).
   */
  private static void appendValue(ColumnVectorBuilder builder, ColumnVector source, int row) {
    if (source.type().physical() == builder.type().physical()) {
      ColumnChunks.appendValue(builder, source, row);
    } else {
      builder.appendObject(source.getObject(row));
    }
  }

  @Override
  public void close() {
    result = null;
    memory.close();
    input.close();
  }
}
