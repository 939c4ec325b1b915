package dev.basalt.exec.function;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import java.util.List;

/**
 * A {@link GroupedAccumulator} whose per-group state can leave it as typed columns and be merged
 * into another accumulator of the same aggregate: what two-phase (partial, then final) hash
 * aggregation needs. The partial side calls {@link #states} for its groups and sends the columns
 * on; the final side calls {@link #mergeStates} with those columns instead of {@link #addBatch}.
 * Merging the states of any split of the input gives the {@link #result} of the whole input (up to
 * the rounding of floating-point sums, whose order changes).
 *
 * <p>Implemented by COUNT, SUM, AVG, MIN, MAX and any_value over integers, doubles, decimals (and
 * strings for MIN, MAX and any_value, whose merge keeps some group's first value), the variance and
 * standard deviation family, BIT_AND/OR/XOR and BOOL_AND/OR; DISTINCT, group_concat and the
 * row-wise aggregates are not mergeable and run in one phase. Same threading rules as {@link
 * GroupedAccumulator}.
 */
public interface MergeableGroupedAccumulator extends GroupedAccumulator {

  /** The types of the state columns, in order. */
  List<DataType> stateTypes();

  /** The state columns of groups {@code from .. from + count - 1}. */
  List<ColumnVector> states(int from, int count);

  /**
   * Merges the rows {@code positions[0 .. count)} of {@code states} (columns of {@link
   * #stateTypes()}) into groups {@code groupIds[row]}; the positions as in {@link #addBatch}
   * ({@code null}: rows {@code 0 .. count - 1}).
   */
  void mergeStates(List<ColumnVector> states, int[] groupIds, int[] positions, int count);
}
