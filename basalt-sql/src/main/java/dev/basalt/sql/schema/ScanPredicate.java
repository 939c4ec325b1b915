package dev.basalt.sql.schema;

import dev.basalt.exec.expression.Expression;
import dev.basalt.exec.operator.RuntimeFilter;
import dev.basalt.storage.segment.ColumnBound;
import java.util.List;

/**
 * A filter pushed into a table scan (see {@link ScanProvider#scan(TableDescriptor, int[],
 * ScanPredicate, dev.basalt.exec.function.EvaluationContext)}): the scan returns only the rows for
 * which the condition is TRUE. Immutable.
 *
 * @param condition the whole condition over the scan's output columns
 * @param filterColumns the output positions the condition reads, ascending, at least one
 * @param filterCondition the same condition over a batch holding only the {@code filterColumns}, in
 *     that order (what a scan evaluates before it decodes the other columns)
 * @param bounds comparisons of single output columns with constants that the condition implies (its
 *     conjuncts), for zone-map pruning; {@link ColumnBound#column()} is an output position
 * @param text the condition as EXPLAIN shows it, with column names
 * @param runtimeFilters join build sides' keys that rows must match once published (an optional
 *     extra: the plan's join drops rows without a match anyway)
 * @param alternatives conjuncts of the form {@code c = v1 OR c = v2 ...} (IN lists) as their EQUAL
 *     bounds: every row satisfies at least one bound of each list (for partition pruning)
 */
public record ScanPredicate(
    Expression condition,
    int[] filterColumns,
    Expression filterCondition,
    List<ColumnBound> bounds,
    String text,
    List<RuntimeKey> runtimeFilters,
    List<List<ColumnBound>> alternatives) {
  public ScanPredicate {
    filterColumns = filterColumns.clone();
    bounds = List.copyOf(bounds);
    runtimeFilters = List.copyOf(runtimeFilters);
    alternatives = alternatives.stream().map(List::copyOf).toList();
  }

  /** A predicate without IN-list alternatives. */
  public ScanPredicate(
      Expression condition,
      int[] filterColumns,
      Expression filterCondition,
      List<ColumnBound> bounds,
      String text,
      List<RuntimeKey> runtimeFilters) {
    this(condition, filterColumns, filterCondition, bounds, text, runtimeFilters, List.of());
  }

  /**
   * A runtime filter on one filter column.
   *
   * @param filterPosition the column's index in {@code filterColumns}
   * @param filter the keys, published by a hash join before the scan opens
   */
  public record RuntimeKey(int filterPosition, RuntimeFilter filter) {}
}
