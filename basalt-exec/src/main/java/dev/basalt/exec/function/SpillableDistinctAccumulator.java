package dev.basalt.exec.function;

import dev.basalt.common.vector.ColumnVector;
import java.util.List;

/**
 * A DISTINCT aggregate's state ({@code COUNT(DISTINCT x)}, {@code SUM(DISTINCT x)}, NDV, ...) whose
 * set of seen argument tuples can stop growing, so that a hash aggregation without GROUP BY can
 * spill the tuples it has not seen yet instead of holding them (see {@code HashAggregateOperator}):
 * once its budget refuses more memory the aggregation asks for the {@link #unseenRows} of each
 * batch and writes them to spill partitions by their hash; at the end of its input it calls {@link
 * #forgetValues} and then adds each partition with {@link #addBatch}, one partition at a time,
 * forgetting the values again after each. Since a tuple lives in one partition only and the
 * partitions hold no tuple of the first set, each distinct tuple still reaches the inner aggregate
 * once, though in another order than in memory: only aggregates whose result does not depend on
 * that order ({@link #valuesMaySpill}) are spilled.
 *
 * <p>Same call order and threading rules as {@link GroupedAccumulator}, with {@link #unseenRows}
 * and {@link #forgetValues} allowed between any two {@link #addBatch} calls.
 */
public interface SpillableDistinctAccumulator extends GroupedAccumulator {

  /**
   * Whether the inner aggregate's result is the same whatever order the distinct tuples reach it in
   * (COUNT, SUM, AVG, MIN, MAX, NDV, the variance family up to floating-point rounding; not
   * group_concat, whose text shows the order).
   */
  boolean valuesMaySpill();

  /**
   * Writes to {@code unseen} the rows among {@code positions[0 .. count)} (as in {@link #addBatch})
   * whose (group, argument tuple) is not in the set, without adding them, and returns how many.
   * Rows {@link #addBatch} would skip without looking them up (a NULL single argument) are left
   * out.
   */
  int unseenRows(
      List<ColumnVector> arguments, int[] groupIds, int[] positions, int count, int[] unseen);

  /**
   * Drops the set of seen tuples (its memory, as {@link #variableBytes} then shows) and keeps the
   * inner aggregate's state. Tuples added afterwards must be new to every set forgotten so far.
   */
  void forgetValues();
}
