package dev.basalt.sql.schema;

import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.operator.Operator;

/**
 * Opens the operator that reads a table for one plan. Implemented by the server: user tables read
 * their segments at one snapshot version, system tables generate rows from the catalog.
 */
public interface ScanProvider {

  /**
   * An operator producing the given columns (indexes into {@code table.columns()}, in that order)
   * with exactly the planner's types for them.
   */
  Operator scan(TableDescriptor table, int[] columns, EvaluationContext context);
}
