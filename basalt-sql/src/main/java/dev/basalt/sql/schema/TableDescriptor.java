package dev.basalt.sql.schema;

import java.util.List;

/**
 * A table the planner can read: a user table of the catalog or a system table such as {@code
 * information_schema.tables}. {@code handle} is opaque to the planner and is passed back to the
 * {@link ScanProvider} when the plan reads the table.
 */
public record TableDescriptor(
    String database, String name, List<ColumnDescriptor> columns, Object handle) {
  public TableDescriptor {
    columns = List.copyOf(columns);
  }
}
