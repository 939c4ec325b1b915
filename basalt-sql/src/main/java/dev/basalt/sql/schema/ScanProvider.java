package dev.basalt.sql.schema;

import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.operator.FilterOperator;
import dev.basalt.exec.operator.Operator;
import java.util.List;

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

  /**
   * As {@link #scan(TableDescriptor, int[], EvaluationContext)}, returning only the rows for which
   * {@code predicate}'s condition is TRUE. A scan of stored segments skips segments and row ranges
   * by zone maps and decodes the columns outside the predicate only for the rows it keeps. The
   * default scans everything and filters on top.
   */
  default Operator scan(
      TableDescriptor table, int[] columns, ScanPredicate predicate, EvaluationContext context) {
    return new FilterOperator(scan(table, columns, context), predicate.condition(), context);
  }

  /**
   * Opens up to {@code workers} operators that together return the rows of {@link
   * #scan(TableDescriptor, int[], ScanPredicate, EvaluationContext)} ({@code predicate} may be
   * {@code null}: all rows), each row from exactly one of them, in no particular order: the leaves
   * of copies of one pipeline run on several threads. The operators may be driven concurrently,
   * each by one thread. A provider that does not split (small tables, system tables) returns one
   * operator, which is also the default.
   */
  default List<Operator> scanInParallel(
      TableDescriptor table,
      int[] columns,
      ScanPredicate predicate,
      int workers,
      EvaluationContext context) {
    return List.of(
        predicate == null
            ? scan(table, columns, context)
            : scan(table, columns, predicate, context));
  }
}
