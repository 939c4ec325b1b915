package dev.basalt.sql.cost;

import dev.basalt.meta.statistics.ColumnStatistics;
import dev.basalt.sql.schema.PlannerStatistics;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelMdDistinctRowCount;
import org.apache.calcite.rel.metadata.RelMdUtil;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Calcite's distinct-row-count metadata for table scans from ANALYZE's NDVs: the distinct values of
 * a set of columns are the product of their NDVs (NULL counting as one value), at most the row
 * count; under a predicate, the expected distinct values among the rows it keeps ({@link
 * RelMdUtil#numDistinctVals}). Other nodes keep Calcite's derivations, which reach the scans.
 * Stateless.
 */
public class StatisticsDistinctRowCount extends RelMdDistinctRowCount {

  @Override
  public Double getDistinctRowCount(
      TableScan scan, RelMetadataQuery mq, ImmutableBitSet groupKey, RexNode predicate) {
    PlannerStatistics statistics = StatisticsSelectivity.statistics(scan);
    Double rows = mq.getRowCount(scan);
    if (statistics == null || rows == null) {
      return super.getDistinctRowCount(scan, mq, groupKey, predicate);
    }
    if (groupKey.isEmpty()) {
      return rows > 0 ? 1.0 : 0.0;
    }
    double distinct = 1.0;
    for (int column : groupKey) {
      ColumnStatistics stats = statistics.column(column);
      if (stats == null) {
        return super.getDistinctRowCount(scan, mq, groupKey, predicate);
      }
      distinct *= Math.max(1, stats.ndv()) + (stats.nullCount() > 0 ? 1 : 0);
    }
    distinct = Math.min(distinct, rows);
    if (predicate == null || predicate.isAlwaysTrue()) {
      return distinct;
    }
    double kept = rows * PredicateSelectivity.estimate(predicate, statistics::column);
    return RelMdUtil.numDistinctVals(distinct, kept);
  }
}
