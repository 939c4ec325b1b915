package dev.basalt.sql.cost;

import dev.basalt.meta.statistics.ColumnStatistics;
import dev.basalt.sql.schema.CalciteSchemas;
import dev.basalt.sql.schema.PlannerStatistics;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelMdSelectivity;
import org.apache.calcite.rel.metadata.RelMdUtil;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Calcite's selectivity metadata from table statistics: a predicate over a table scan is estimated
 * by {@link PredicateSelectivity}; an inner or outer join's equi-conditions by 1 / max(NDV of the
 * left keys, NDV of the right keys), so that |L ⋈ R| = |L|·|R| / max(ndv) (the NDVs come from
 * {@link StatisticsDistinctRowCount} through the join's inputs, filters included). Other nodes keep
 * Calcite's estimates. Stateless.
 */
public class StatisticsSelectivity extends RelMdSelectivity {

  @Override
  public Double getSelectivity(TableScan scan, RelMetadataQuery mq, RexNode predicate) {
    PlannerStatistics statistics = statistics(scan);
    if (statistics == null) {
      return super.getSelectivity(scan, mq, predicate);
    }
    return PredicateSelectivity.estimate(predicate, statistics::column);
  }

  @Override
  public Double getSelectivity(Join join, RelMetadataQuery mq, RexNode predicate) {
    JoinRelType type = join.getJoinType();
    if (predicate == null || !type.projectsRight()) {
      return super.getSelectivity(join, mq, predicate);
    }
    int leftCount = join.getLeft().getRowType().getFieldCount();
    ImmutableBitSet.Builder leftKeys = ImmutableBitSet.builder();
    ImmutableBitSet.Builder rightKeys = ImmutableBitSet.builder();
    List<RexNode> others = new ArrayList<>();
    for (RexNode conjunct : RelOptUtil.conjunctions(predicate)) {
      int[] pair = equiPair(conjunct, leftCount);
      if (pair == null) {
        others.add(conjunct);
      } else {
        leftKeys.set(pair[0]);
        rightKeys.set(pair[1] - leftCount);
      }
    }
    double selectivity = 1.0;
    if (!leftKeys.isEmpty()) {
      Double leftDistinct = mq.getDistinctRowCount(join.getLeft(), leftKeys.build(), null);
      Double rightDistinct = mq.getDistinctRowCount(join.getRight(), rightKeys.build(), null);
      if (leftDistinct == null || rightDistinct == null) {
        return super.getSelectivity(join, mq, predicate);
      }
      selectivity = 1.0 / Math.max(1.0, Math.max(leftDistinct, rightDistinct));
    }
    for (RexNode other : others) {
      selectivity *= RelMdUtil.guessSelectivity(other);
    }
    return selectivity;
  }

  /** {@code [left, right]} input indexes of {@code $l = $r} across the join, or null. */
  private static int[] equiPair(RexNode conjunct, int leftCount) {
    if (!(conjunct instanceof RexCall call)
        || call.getKind() != SqlKind.EQUALS
        || !(call.getOperands().get(0) instanceof RexInputRef a)
        || !(call.getOperands().get(1) instanceof RexInputRef b)) {
      return null;
    }
    if (a.getIndex() < leftCount && b.getIndex() >= leftCount) {
      return new int[] {a.getIndex(), b.getIndex()};
    }
    if (b.getIndex() < leftCount && a.getIndex() >= leftCount) {
      return new int[] {b.getIndex(), a.getIndex()};
    }
    return null;
  }

  /** The scanned table's statistics, or null when it has none (never analyzed, system table). */
  static PlannerStatistics statistics(TableScan scan) {
    CalciteSchemas.BasaltTable table = scan.getTable().unwrap(CalciteSchemas.BasaltTable.class);
    if (table == null) {
      return null;
    }
    PlannerStatistics statistics = table.descriptor().statistics().get();
    for (ColumnStatistics column : statistics.columns()) {
      if (column != null) {
        return statistics;
      }
    }
    return null;
  }
}
