package dev.basalt.sql.schema;

import java.util.List;
import java.util.function.Supplier;

/**
 * A table the planner can read: a user table of the catalog or a system table such as {@code
 * information_schema.tables}. {@code handle} is opaque to the planner and is passed back to the
 * {@link ScanProvider} when the plan reads the table. {@code statistics} is asked only when the
 * cost model needs it (at most once per planning of a statement that reads the table).
 */
public record TableDescriptor(
    String database,
    String name,
    List<ColumnDescriptor> columns,
    Object handle,
    Supplier<PlannerStatistics> statistics) {
  public TableDescriptor {
    columns = List.copyOf(columns);
    statistics = statistics == null ? () -> PlannerStatistics.UNKNOWN : statistics;
  }

  /** A table without statistics. */
  public TableDescriptor(
      String database, String name, List<ColumnDescriptor> columns, Object handle) {
    this(database, name, columns, handle, null);
  }
}
