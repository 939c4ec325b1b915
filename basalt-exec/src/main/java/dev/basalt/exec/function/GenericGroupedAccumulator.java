package dev.basalt.exec.function;

import dev.basalt.common.vector.ColumnVector;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link GroupedAccumulator} over one row-wise {@link Accumulator} per group, for the aggregates
 * that have no batch implementation of their own (ordered aggregates such as {@code group_concat(x
 * ORDER BY y)}, bitmap_intersect, intersect_count and the planner's single-value and literal
 * aggregates). Its results are boxed per group (the default {@link #writeResults}). Not thread
 * safe.
 */
public final class GenericGroupedAccumulator implements GroupedAccumulator {
  private final AggregateFunction function;
  private Accumulator[] accumulators = new Accumulator[16];

  public GenericGroupedAccumulator(AggregateFunction function) {
    this.function = function;
  }

  @Override
  public void ensureGroups(int groupCount) {
    if (groupCount > accumulators.length) {
      accumulators = Arrays.copyOf(accumulators, Math.max(groupCount, accumulators.length * 2));
    }
  }

  @Override
  public void addBatch(List<ColumnVector> arguments, int[] groupIds, int[] positions, int count) {
    for (int i = 0; i < count; i++) {
      int row = positions == null ? i : positions[i];
      accumulator(groupIds[row]).add(arguments, row);
    }
  }

  private Accumulator accumulator(int group) {
    Accumulator accumulator = accumulators[group];
    if (accumulator == null) {
      accumulator = function.newAccumulator();
      accumulators[group] = accumulator;
    }
    return accumulator;
  }

  @Override
  public Object result(int group) {
    return accumulator(group).result();
  }

  @Override
  public long bytesPerGroup() {
    return 4 + 48;
  }
}
