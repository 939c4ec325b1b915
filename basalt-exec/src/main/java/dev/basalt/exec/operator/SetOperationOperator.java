package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectors;
import dev.basalt.exec.memory.MemoryEstimates;
import dev.basalt.exec.memory.MemoryReservation;
import dev.basalt.exec.memory.QueryMemoryBudget;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * UNION, INTERSECT and EXCEPT over inputs with the same column types, with ALL (multiset) or
 * DISTINCT semantics. UNION ALL streams; the others give every distinct row a group id through
 * {@link GroupKeys} (typed hash tables; -0.0 and 0.0 are one value, as are two NULLs), count its
 * occurrences per input in {@code long} arrays, and output each distinct row as many times as the
 * operation asks, in order of first appearance. The distinct rows and counts are reserved in the
 * statement's {@link QueryMemoryBudget}. Not thread safe.
 */
public final class SetOperationOperator implements Operator {
  /** The set operation. */
  public enum Kind {
    UNION,
    INTERSECT,
    EXCEPT
  }

  private final Kind kind;
  private final boolean all;
  private final List<Operator> inputs;
  private final List<DataType> types;
  private final MemoryReservation memory;
  private int current;

  private List<ColumnVector> distinctRows;
  private long[] times;
  private int outputGroup;
  private long outputRepeat;

  /** The distinct rows and their counts are reserved in {@code budget}. */
  public SetOperationOperator(
      Kind kind,
      boolean all,
      List<Operator> inputs,
      List<DataType> types,
      QueryMemoryBudget budget) {
    this.memory = budget.reservation("SetOperationOperator(" + kind + ")");
    this.kind = kind;
    this.all = all;
    this.inputs = List.copyOf(inputs);
    this.types = List.copyOf(types);
  }

  @Override
  public List<DataType> outputTypes() {
    return types;
  }

  @Override
  public Batch next() {
    if (kind == Kind.UNION && all) {
      while (current < inputs.size()) {
        Batch batch = inputs.get(current).next();
        if (batch != null) {
          return batch;
        }
        current++;
      }
      return null;
    }
    if (distinctRows == null) {
      compute();
    }
    int[] positions = new int[Batch.DEFAULT_SIZE];
    int count = 0;
    while (count < positions.length && outputGroup < times.length) {
      if (outputRepeat < times[outputGroup]) {
        positions[count++] = outputGroup;
        outputRepeat++;
      } else {
        outputGroup++;
        outputRepeat = 0;
      }
    }
    if (count == 0) {
      return null;
    }
    List<ColumnVector> columns = new ArrayList<>(types.size());
    for (ColumnVector column : distinctRows) {
      columns.add(ColumnVectors.take(column, positions, count));
    }
    return new Batch(columns, count);
  }

  private void compute() {
    GroupKeys groups = new GroupKeys(types);
    // counts[i][group] = how often the distinct row occurs in input i.
    long[][] counts = new long[inputs.size()][16];
    int[] groupIds = new int[Batch.DEFAULT_SIZE];
    long reported = 0;
    for (int i = 0; i < inputs.size(); i++) {
      Operator input = inputs.get(i);
      for (Batch batch = input.next(); batch != null; batch = input.next()) {
        int rowCount = batch.rowCount();
        if (groupIds.length < rowCount) {
          groupIds = new int[rowCount];
        }
        groups.groupIds(batch.columns(), rowCount, groupIds);
        int groupCount = groups.groupCount();
        if (groupCount > counts[0].length) {
          int capacity = Math.max(groupCount, counts[0].length * 2);
          for (int j = 0; j < counts.length; j++) {
            counts[j] = Arrays.copyOf(counts[j], capacity);
          }
        }
        long[] occurrences = counts[i];
        for (int row = 0; row < rowCount; row++) {
          occurrences[groupIds[row]]++;
        }
        long held = groups.estimatedBytes() + 8L * counts.length * counts[0].length;
        if (held > reported) {
          memory.add(held - reported);
          reported = held;
        }
      }
    }
    int groupCount = groups.groupCount();
    times = new long[groupCount];
    for (int group = 0; group < groupCount; group++) {
      times[group] = times(counts, group);
    }
    distinctRows = new ArrayList<>(types.size());
    for (int column = 0; column < types.size(); column++) {
      ColumnVector vector = groups.keyColumn(column, 0, groupCount);
      memory.add(MemoryEstimates.vector(vector));
      distinctRows.add(vector);
    }
  }

  private long times(long[][] counts, int group) {
    return switch (kind) {
      case UNION -> {
        if (!all) {
          yield 1;
        }
        long sum = 0;
        for (long[] input : counts) {
          sum += input[group];
        }
        yield sum;
      }
      case INTERSECT -> {
        long min = Long.MAX_VALUE;
        for (long[] input : counts) {
          min = Math.min(min, input[group]);
        }
        yield all ? min : Math.min(min, 1);
      }
      case EXCEPT -> {
        long rest = 0;
        for (int i = 1; i < counts.length; i++) {
          rest += counts[i][group];
        }
        long first = counts[0][group];
        yield all ? Math.max(0, first - rest) : (first > 0 && rest == 0 ? 1 : 0);
      }
    };
  }

  @Override
  public void close() {
    memory.close();
    RuntimeException failure = null;
    for (Operator input : inputs) {
      try {
        input.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
