package dev.basalt.exec.operator;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.function.Accumulator;
import dev.basalt.exec.function.AggregateFunction;
import dev.basalt.exec.memory.MemoryReservation;
import dev.basalt.exec.memory.QueryMemoryBudget;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Window functions: for each {@link Group} (one PARTITION BY / ORDER BY / frame), appends one
 * output column per call after the input columns. Materializes the input.
 *
 * <p>Arguments are column indexes; an index at or past the input width refers to {@code constants}
 * (Calcite's window constants, such as LAG's offset).
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
  private RowBuffer output;

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
    if (output == null) {
      output = new RowBuffer(outputTypes, compute());
    }
    return output.next();
  }

  private List<Object[]> compute() {
    List<Object[]> rows = RowBuffer.drain(input, memory);
    int inputWidth = input.outputTypes().size();
    List<Object[]> result = new ArrayList<>(rows.size());
    // The extended copies hold the window results too (estimated as one boxed value each), and
    // each sort of a group copies the list of references.
    int added = outputTypes.size() - inputWidth;
    memory.add((long) rows.size() * (4L * (added + groups.size()) + 16L * added));
    for (Object[] row : rows) {
      Object[] extended = new Object[outputTypes.size()];
      System.arraycopy(row, 0, extended, 0, row.length);
      result.add(extended);
    }
    int outputColumn = inputWidth;
    for (Group group : groups) {
      List<SortKey> sortKeys = new ArrayList<>();
      for (int column : group.partitionColumns()) {
        sortKeys.add(new SortKey(column, false, true));
      }
      sortKeys.addAll(group.orderKeys());
      List<Object[]> sorted = new ArrayList<>(result);
      sorted.sort(SortKey.comparator(sortKeys));
      Comparator<Object[]> partitionOrder =
          SortKey.comparator(sortKeys.subList(0, group.partitionColumns().length));
      Comparator<Object[]> peerOrder = SortKey.comparator(sortKeys);
      int start = 0;
      while (start < sorted.size()) {
        int end = start + 1;
        while (end < sorted.size()
            && partitionOrder.compare(sorted.get(start), sorted.get(end)) == 0) {
          end++;
        }
        List<Object[]> partition = sorted.subList(start, end);
        int column = outputColumn;
        for (Call call : group.calls()) {
          computeCall(group, call, partition, peerOrder, inputWidth, column++);
        }
        start = end;
      }
      outputColumn += group.calls().size();
    }
    return result;
  }

  private long positiveArgument(
      Object[] row, Call call, int position, int inputWidth, String function) {
    long value = nonNegativeArgument(row, call, position, inputWidth, function);
    if (value == 0) {
      throw new BasaltException(
          ErrorCode.WRONG_ARGUMENTS,
          function.toLowerCase(java.util.Locale.ROOT),
          "the argument must be a positive integer");
    }
    return value;
  }

  private long nonNegativeArgument(
      Object[] row, Call call, int position, int inputWidth, String function) {
    Object value = argument(row, call, position, inputWidth);
    if (!(value instanceof Number number) || number.longValue() < 0) {
      throw new BasaltException(
          ErrorCode.WRONG_ARGUMENTS,
          function.toLowerCase(java.util.Locale.ROOT),
          "the argument must be a non-negative integer, not " + value);
    }
    return number.longValue();
  }

  private Object argument(Object[] row, Call call, int position, int inputWidth) {
    int index = call.arguments().get(position);
    return index < inputWidth ? row[index] : constants.get(index - inputWidth);
  }

  private void computeCall(
      Group group,
      Call call,
      List<Object[]> partition,
      Comparator<Object[]> peerOrder,
      int inputWidth,
      int column) {
    int size = partition.size();
    switch (call.kind()) {
      case ROW_NUMBER -> {
        for (int i = 0; i < size; i++) {
          partition.get(i)[column] = (long) (i + 1);
        }
      }
      case RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST -> {
        long rank = 0;
        long dense = 0;
        for (int i = 0; i < size; i++) {
          boolean newPeer =
              i == 0 || peerOrder.compare(partition.get(i - 1), partition.get(i)) != 0;
          if (newPeer) {
            rank = i + 1;
            dense++;
          }
          int lastPeer = i;
          while (lastPeer + 1 < size
              && peerOrder.compare(partition.get(i), partition.get(lastPeer + 1)) == 0) {
            lastPeer++;
          }
          partition.get(i)[column] =
              switch (call.kind()) {
                case RANK -> rank;
                case DENSE_RANK -> dense;
                case PERCENT_RANK -> size == 1 ? 0.0 : (double) (rank - 1) / (size - 1);
                default -> (double) (lastPeer + 1) / size;
              };
        }
      }
      case NTILE -> {
        long buckets = positiveArgument(partition.get(0), call, 0, inputWidth, "NTILE");
        long base = size / buckets;
        long extra = size % buckets;
        int row = 0;
        for (long bucket = 1; bucket <= buckets && row < size; bucket++) {
          long count = base + (bucket <= extra ? 1 : 0);
          for (long k = 0; k < count && row < size; k++) {
            partition.get(row++)[column] = bucket;
          }
        }
      }
      case LAG, LEAD -> {
        for (int i = 0; i < size; i++) {
          Object[] row = partition.get(i);
          long offset =
              call.arguments().size() > 1
                  ? nonNegativeArgument(row, call, 1, inputWidth, call.kind().name())
                  : 1;
          long target = call.kind() == FunctionKind.LAG ? i - offset : i + offset;
          Object value;
          if (target >= 0 && target < size) {
            value = argument(partition.get((int) target), call, 0, inputWidth);
          } else {
            value = call.arguments().size() > 2 ? argument(row, call, 2, inputWidth) : null;
          }
          row[column] = value;
        }
      }
      case FIRST_VALUE, LAST_VALUE, NTH_VALUE, AGGREGATE ->
          computeFramed(group, call, partition, peerOrder, inputWidth, column);
    }
  }

  private void computeFramed(
      Group group,
      Call call,
      List<Object[]> partition,
      Comparator<Object[]> peerOrder,
      int inputWidth,
      int column) {
    int size = partition.size();
    boolean hasOrder = !group.orderKeys().isEmpty();
    for (int i = 0; i < size; i++) {
      int from = frameStart(group, partition, peerOrder, i, hasOrder);
      int to = frameEnd(group, partition, peerOrder, i, hasOrder);
      Object value;
      if (call.kind() == FunctionKind.AGGREGATE) {
        Accumulator accumulator = call.aggregate().newAccumulator();
        for (int r = Math.max(from, 0); r <= Math.min(to, size - 1); r++) {
          accumulator.add(argumentVectors(partition.get(r), call, inputWidth), 0);
        }
        value = accumulator.result();
      } else if (from > to || from >= size || to < 0) {
        value = null;
      } else if (call.kind() == FunctionKind.FIRST_VALUE) {
        value = argument(partition.get(Math.max(from, 0)), call, 0, inputWidth);
      } else if (call.kind() == FunctionKind.LAST_VALUE) {
        value = argument(partition.get(Math.min(to, size - 1)), call, 0, inputWidth);
      } else {
        long nth = positiveArgument(partition.get(i), call, 1, inputWidth, "NTH_VALUE");
        long target = Math.max(from, 0) + nth - 1;
        value =
            target <= Math.min(to, size - 1)
                ? argument(partition.get((int) target), call, 0, inputWidth)
                : null;
      }
      partition.get(i)[column] = value;
    }
  }

  private List<ColumnVector> argumentVectors(Object[] row, Call call, int inputWidth) {
    List<ColumnVector> vectors = new ArrayList<>(call.arguments().size());
    for (int position = 0; position < call.arguments().size(); position++) {
      int index = call.arguments().get(position);
      DataType type =
          index < inputWidth
              ? input.outputTypes().get(index)
              : constantTypes.get(index - inputWidth);
      vectors.add(ColumnVectorBuilder.constant(type, argument(row, call, position, inputWidth), 1));
    }
    return vectors;
  }

  private int frameStart(
      Group group,
      List<Object[]> partition,
      Comparator<Object[]> peerOrder,
      int row,
      boolean hasOrder) {
    Bound lower = group.lower();
    return switch (lower.kind()) {
      case UNBOUNDED_PRECEDING -> 0;
      case PRECEDING -> group.rows() ? (int) Math.max(row - lower.offset(), Integer.MIN_VALUE) : 0;
      case CURRENT_ROW ->
          group.rows() || !hasOrder
              ? (group.rows() ? row : 0)
              : firstPeer(partition, peerOrder, row);
      case FOLLOWING -> (int) Math.min(row + lower.offset(), Integer.MAX_VALUE);
      case UNBOUNDED_FOLLOWING -> partition.size();
    };
  }

  private int frameEnd(
      Group group,
      List<Object[]> partition,
      Comparator<Object[]> peerOrder,
      int row,
      boolean hasOrder) {
    Bound upper = group.upper();
    return switch (upper.kind()) {
      case UNBOUNDED_PRECEDING -> -1;
      case PRECEDING -> (int) Math.max(row - upper.offset(), Integer.MIN_VALUE);
      case CURRENT_ROW ->
          group.rows()
              ? row
              : (hasOrder ? lastPeer(partition, peerOrder, row) : partition.size() - 1);
      case FOLLOWING ->
          group.rows()
              ? (int) Math.min(row + upper.offset(), Integer.MAX_VALUE)
              : partition.size() - 1;
      case UNBOUNDED_FOLLOWING -> partition.size() - 1;
    };
  }

  private static int firstPeer(List<Object[]> partition, Comparator<Object[]> peerOrder, int row) {
    int first = row;
    while (first > 0 && peerOrder.compare(partition.get(first - 1), partition.get(row)) == 0) {
      first--;
    }
    return first;
  }

  private static int lastPeer(List<Object[]> partition, Comparator<Object[]> peerOrder, int row) {
    int last = row;
    while (last + 1 < partition.size()
        && peerOrder.compare(partition.get(last + 1), partition.get(row)) == 0) {
      last++;
    }
    return last;
  }

  @Override
  public void close() {
    memory.close();
    input.close();
  }
}
