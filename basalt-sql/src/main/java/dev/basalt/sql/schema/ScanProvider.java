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

  /**
   * As {@link #scan(TableDescriptor, int[], EvaluationContext)}, told that the plan keeps only rows
   * where column {@code c} (an index into {@code table.columns()}) equals {@code equalities.get(c)}
   * (a non-null value in the {@code Values} representation of the column's planned type). The scan
   * may use this to read less (a merge-on-write unique table looks a full primary key up in its
   * indexes) but need not: the plan filters again, so the scan may return any superset of the
   * matching rows. The default ignores the hint.
   */
  default Operator scan(
      TableDescriptor table,
      int[] columns,
      java.util.Map<Integer, Object> equalities,
      EvaluationContext context) {
    return scan(table, columns, context);
  }
}
