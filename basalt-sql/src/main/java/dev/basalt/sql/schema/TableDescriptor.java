package dev.basalt.sql.schema;

import java.util.List;

/**
 * A table the planner can read: a user table of the catalog or a system table such as {@code
 * information_schema.tables}. {@code handle} is opaque to the planner and is passed back to the
 * {@link ScanProvider} when the plan reads the table.
 *
 * @param partitions the partitions a {@code FROM t PARTITION (p1, p2)} reference reads, by name;
 *     empty for all of them
 */
public record TableDescriptor(
    String database,
    String name,
    List<ColumnDescriptor> columns,
    Object handle,
    List<String> partitions) {
  public TableDescriptor {
    columns = List.copyOf(columns);
    partitions = List.copyOf(partitions);
  }

  /** A table read whole. */
  public TableDescriptor(
      String database, String name, List<ColumnDescriptor> columns, Object handle) {
    this(database, name, columns, handle, List.of());
  }

  /** The same table restricted to the named partitions. */
  public TableDescriptor withPartitions(List<String> names) {
    return new TableDescriptor(database, name, columns, handle, names);
  }
}
