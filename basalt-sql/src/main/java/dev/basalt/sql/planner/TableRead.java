package dev.basalt.sql.planner;

import dev.basalt.sql.schema.TableDescriptor;
import dev.basalt.sql.schema.ViewDescriptor;
import java.util.List;

/**
 * One scan of a table in a plan and the columns it reads, after the planner dropped the columns no
 * operator uses (see {@link PlannedQuery#tableReads()}). Privilege checks use it: SELECT on the
 * table, or on each of these columns (column privileges, docs/security.md).
 *
 * @param table the table scanned
 * @param columns the names of the columns read, in the table's order; empty when the scan only
 *     counts rows ({@code SELECT COUNT(*)})
 * @param viewPath the views the table is read through, outermost first (the view the query names,
 *     then each view named in the previous one's query); empty when the query names the table. The
 *     caller then needs SELECT on the first view, and each view's definer SELECT on the next view
 *     or, for the last, on the table: views run with their definer's rights
 */
public record TableRead(
    TableDescriptor table, List<String> columns, List<ViewDescriptor> viewPath) {
  public TableRead {
    columns = List.copyOf(columns);
    viewPath = List.copyOf(viewPath);
  }

  /** A table the query names itself. */
  public TableRead(TableDescriptor table, List<String> columns) {
    this(table, columns, List.of());
  }
}
