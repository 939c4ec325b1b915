package dev.basalt.storage.segment;

import dev.basalt.common.vector.Batch;

/**
 * Chooses the rows a filtered segment scan returns, from the decoded filter columns only (see
 * {@link SegmentFilter}). Called once per batch by the one thread that drives the stream.
 */
@FunctionalInterface
public interface RowSelector {

  /**
   * Writes the offsets (ascending, in {@code [0, filterColumns.rowCount())}) of the rows to keep
   * into {@code selected} and returns how many there are.
   *
   * @param filterColumns the filter columns of rows {@code [firstRow, firstRow + rowCount)} of the
   *     segment, in {@link SegmentFilter#filterColumns()} order
   * @param firstRow the segment row number of the batch's first row
   * @param selected room for at least {@code filterColumns.rowCount()} offsets
   */
  int select(Batch filterColumns, long firstRow, int[] selected);
}
