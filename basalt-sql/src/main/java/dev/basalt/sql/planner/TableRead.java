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
 */
public record TableRead(TableDescriptor table, List<String> columns) {
  public TableRead {
    columns = List.copyOf(columns);
  }
}
