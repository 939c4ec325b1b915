package dev.basalt.storage.segment;

import java.util.List;

/**
 * A predicate pushed into a segment scan: the scan first skips the whole segment or row ranges that
 * the {@code bounds} rule out by zone maps, then decodes only the {@code filterColumns} of the
 * remaining rows, asks the {@code selector} which rows to keep, narrows them by each of the {@code
 * steps} in turn (decoding a step's columns only at the rows still kept when few are left), and
 * decodes the other requested columns only for the rows kept at the end (late materialization).
 *
 * @param filterColumns indexes into the request list of the columns the selector reads, distinct
 * @param bounds comparisons every kept row satisfies (may be empty)
 * @param selector picks the rows to keep from the filter columns
 * @param steps further conditions on other columns (none of {@code filterColumns}, nor of an
 *     earlier step), applied in order to the rows the selector and the steps before kept
 */
public record SegmentFilter(
    int[] filterColumns, List<ColumnBound> bounds, RowSelector selector, List<Step> steps) {
  public SegmentFilter {
    filterColumns = filterColumns.clone();
    bounds = List.copyOf(bounds);
    steps = List.copyOf(steps);
  }

  /** A filter without steps: the selector decides alone. */
  public SegmentFilter(int[] filterColumns, List<ColumnBound> bounds, RowSelector selector) {
    this(filterColumns, bounds, selector, List.of());
  }

  /**
   * One further condition of a filter: its columns (indexes into the request list, distinct) and
   * what narrows the rows by them.
   */
  public record Step(int[] columns, RowRefiner refiner) {
    public Step {
      columns = columns.clone();
    }
  }
}
