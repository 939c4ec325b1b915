package dev.basalt.exec.function;

import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import java.util.List;

/**
 * The running state of one aggregate for all groups of a hash aggregation, updated a batch at a
 * time: state lives in arrays indexed by group id (primitive arrays for COUNT, SUM, MIN, MAX, AVG,
 * the statistics, bit and boolean aggregates; one hash table on arrays for all groups' DISTINCT
 * sets; byte buffers for group_concat and string extremes), so the per-row loop has no virtual call
 * and no boxing.
 *
 * <p>Call order: {@link #ensureGroups} whenever the group count grows (new groups start empty),
 * {@link #addBatch} once per input batch, then {@link #writeResults} for runs of groups (or {@link
 * #result} for one group; both repeatable, neither changes the state). Owned by one operator; not
 * thread safe.
 */
public interface GroupedAccumulator {

  /** Makes room for groups {@code 0 .. groupCount - 1}. */
  void ensureGroups(int groupCount);

  /**
   * Adds the rows {@code positions[0 .. count)} of {@code arguments} (one vector per argument; none
   * for {@code count(*)}) to the groups {@code groupIds[row]}, in that order; {@code positions} is
   * {@code null} for rows {@code 0 .. count - 1}. The positions are a batch's selection (or a
   * FILTER clause's, or DISTINCT's first occurrences): ascending offsets into vectors that may be
   * longer, whose other rows (and their {@code groupIds} entries) are never read. Implementations
   * loop over the positions, {@code row = positions == null ? i : positions[i]}, one loop for every
   * density (the {@code null} test is loop-invariant, so the unselected case costs what a plain
   * loop costs).
   */
  void addBatch(List<ColumnVector> arguments, int[] groupIds, int[] positions, int count);

  /** The aggregate's value for {@code group}, as in {@link dev.basalt.common.vector.Values}. */
  Object result(int group);

  /**
   * Appends the values of groups {@code fromGroup .. fromGroup + count - 1} to {@code out} (a
   * builder of the aggregate's result type): the same values as {@link #result}, NULLs included.
   * The typed accumulators write longs, doubles, scaled longs or 128-bit halves straight into the
   * builder's arrays; this default, kept by the row-wise aggregates, appends each boxed result.
   */
  default void writeResults(int fromGroup, int count, ColumnVectorBuilder out) {
    for (int group = fromGroup; group < fromGroup + count; group++) {
      out.appendObject(result(group));
    }
  }

  /** Estimated heap bytes held per group (for the query's memory budget). */
  long bytesPerGroup();

  /**
   * Estimated heap bytes held on top of {@link #bytesPerGroup} per group: what grows with the
   * values rather than with the groups (DISTINCT's sets of seen values, GROUP_CONCAT's text). The
   * hash aggregation reserves it in the query's memory budget after each batch; 0 for fixed-size
   * states.
   */
  default long variableBytes() {
    return 0;
  }
}
