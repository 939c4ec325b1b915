package dev.basalt.storage.segment;

import java.util.List;

/**
 * A predicate pushed into a segment scan: the scan first skips the whole segment or row ranges that
 * the {@code bounds} rule out by zone maps, then decodes only the {@code filterColumns} of the
 * remaining rows, asks the {@code selector} which rows to keep and decodes the other requested
 * columns only for those rows (late materialization).
 *
 * @param filterColumns indexes into the request list of the columns the selector reads, distinct
 * @param bounds comparisons every kept row satisfies (may be empty)
 * @param selector picks the rows to keep from the filter columns
 */
public record SegmentFilter(int[] filterColumns, List<ColumnBound> bounds, RowSelector selector) {
  public SegmentFilter {
    filterColumns = filterColumns.clone();
    bounds = List.copyOf(bounds);
  }
}
