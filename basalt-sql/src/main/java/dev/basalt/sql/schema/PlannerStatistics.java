package dev.basalt.sql.schema;

import dev.basalt.meta.statistics.ColumnStatistics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the cost model knows about one table when a statement is planned (docs/statistics.md).
 *
 * @param rowCount the table's current row count (rows stored; an estimate for tables merged at read
 *     time), or {@code null} when unknown (system tables)
 * @param columns per column position of the {@link TableDescriptor}, its statistics from the last
 *     {@code ANALYZE}, with NDV scaled to the current row count, or {@code null} when the column
 *     was never analyzed
 */
public record PlannerStatistics(Double rowCount, List<ColumnStatistics> columns) {
  /** Nothing known. */
  public static final PlannerStatistics UNKNOWN = new PlannerStatistics(null, List.of());

  public PlannerStatistics {
    columns = Collections.unmodifiableList(new ArrayList<>(columns));
  }

  /** The statistics of the column at {@code position}, or {@code null} when unknown. */
  public ColumnStatistics column(int position) {
    return position < columns.size() ? columns.get(position) : null;
  }

  /** Whether every column of a table of {@code columnCount} columns has statistics. */
  public boolean analyzed(int columnCount) {
    if (rowCount == null || columns.size() < columnCount) {
      return false;
    }
    for (int i = 0; i < columnCount; i++) {
      if (columns.get(i) == null) {
        return false;
      }
    }
    return true;
  }
}
