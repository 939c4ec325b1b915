package dev.basalt.sql.schema;

import java.util.List;
import java.util.function.Supplier;

/**
 * A table the planner can read: a user table of the catalog or a system table such as {@code
 * information_schema.tables}. {@code handle} is opaque to the planner and is passed back to the
 * {@link ScanProvider} when the plan reads the table. {@code statistics} is asked only when the
 * cost model needs it (at most once per planning of a statement that reads the table).
 *
 * @param partitions the partitions a {@code FROM t PARTITION (p1, p2)} reference reads, by name;
 *     empty for all of them
 * @param temporaryPartitions whether {@code partitions} names temporary partitions ({@code FROM t
 *     TEMPORARY PARTITION (tp1)}), which only such a reference reads
 */
public record TableDescriptor(
    String database,
    String name,
    List<ColumnDescriptor> columns,
    Object handle,
    List<String> partitions,
    boolean temporaryPartitions,
    Supplier<PlannerStatistics> statistics) {
  public TableDescriptor {
    columns = List.copyOf(columns);
    partitions = List.copyOf(partitions);
    statistics = statistics == null ? () -> PlannerStatistics.UNKNOWN : statistics;
  }

  /** A table read whole, without statistics. */
  public TableDescriptor(
      String database, String name, List<ColumnDescriptor> columns, Object handle) {
    this(database, name, columns, handle, List.of(), false, null);
  }

  /** A table read whole, with the cost model's statistics. */
  public TableDescriptor(
      String database,
      String name,
      List<ColumnDescriptor> columns,
      Object handle,
      Supplier<PlannerStatistics> statistics) {
    this(database, name, columns, handle, List.of(), false, statistics);
  }

  /** The same table restricted to the named partitions. */
  public TableDescriptor withPartitions(List<String> names) {
    return new TableDescriptor(database, name, columns, handle, names, false, statistics);
  }

  /** The same table restricted to the named temporary partitions. */
  public TableDescriptor withTemporaryPartitions(List<String> names) {
    return new TableDescriptor(database, name, columns, handle, names, true, statistics);
  }
}
