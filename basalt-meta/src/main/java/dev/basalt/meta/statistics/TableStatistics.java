package dev.basalt.meta.statistics;

import java.util.List;

/**
 * The result of one {@code ANALYZE TABLE}: the table's rows at that time and its columns'
 * statistics. Immutable.
 *
 * @param tableId the analyzed table's id
 * @param rowCount the rows the analysis read
 * @param analyzedAtMillis when the analysis finished (milliseconds since the epoch)
 * @param trigger {@link #MANUAL} for {@code ANALYZE TABLE}, {@link #SYSTEM} for automatic analysis
 *     after loads
 * @param columns one entry per analyzed column
 */
public record TableStatistics(
    long tableId,
    long rowCount,
    long analyzedAtMillis,
    String trigger,
    List<ColumnStatistics> columns) {
  public static final String MANUAL = "MANUAL";
  public static final String SYSTEM = "SYSTEM";

  public TableStatistics {
    columns = List.copyOf(columns);
  }

  /** The statistics of the column with this unique id, or {@code null} when it was not analyzed. */
  public ColumnStatistics column(int columnId) {
    for (ColumnStatistics column : columns) {
      if (column.columnId() == columnId) {
        return column;
      }
    }
    return null;
  }
}
