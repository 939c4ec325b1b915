package dev.basalt.sql.planner;

import dev.basalt.sql.schema.TableDescriptor;
import java.util.List;

/**
 * One scan of a table in a plan and the columns it reads, after the planner dropped the columns no
 * operator uses (see {@link PlannedQuery#tableReads()}). Privilege checks use it: SELECT on the
 * table, or on each of these columns (column privileges, docs/security.md).
 *
 * @param table the table scanned
 * @param columns the names of the columns read, in the table's order; empty when the scan only
 *     counts rows ({@code SELECT COUNT(*)})
 * @param via the outermost view the table is read through (the check asks for SELECT on that view
 *     instead, as views run with their definer's rights); null when the query names the table
 */
public record TableRead(
    TableDescriptor table, List<String> columns, dev.basalt.sql.schema.ViewDescriptor via) {
  public TableRead {
    columns = List.copyOf(columns);
  }

  /** A table the query names itself. */
  public TableRead(TableDescriptor table, List<String> columns) {
    this(table, columns, null);
  }
}
