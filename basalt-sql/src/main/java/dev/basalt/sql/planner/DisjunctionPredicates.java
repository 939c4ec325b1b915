package dev.basalt.sql.planner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexTableInputRef;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Derives single-table predicates from an OR that spans several tables, so that each table is
 * filtered before the joins. TPC-H q07's {@code (n1.n_name = 'FRANCE' AND n2.n_name = 'GERMANY') OR
 * (n1.n_name = 'GERMANY' AND n2.n_name = 'FRANCE')} implies {@code n1.n_name IN ('FRANCE',
 * 'GERMANY')} and the same for {@code n2}: every branch restricts both nation scans, so their OR
 * holds for any row that passes. Without these, both nation scans keep all 25 rows and the supplier
 * and customer sides of the join keep every row until the OR is tested at the top.
 *
 * <p>For each top-level conjunct of a filter's (or inner join's) condition that is an OR, and for
 * each table read below it, the derived predicate is the OR over the branches of the branch's
 * conjuncts that read only that table; a table some branch does not restrict gets none. The derived
 * predicates are added next to the original condition, which stays as written (they are implied by
 * it, so the result never changes); the planner's later filter pushdown moves them onto their
 * scans. Columns are traced to their table through projections and joins ({@link
 * RelMetadataQuery#getExpressionLineage}); a column that comes from an aggregate, several tables or
 * an outer join's nullable side traces to none and is left alone.
 *
 * <p>Runs once over the plan, before the filter pushdown: as a rule it would fire again on its own
 * output. Stateless.
 */
final class DisjunctionPredicates {
  /** The most derived predicates' nodes per condition, against blow-ups of deep ORs. */
  private static final int MAXIMUM_NODES = 100;

  private DisjunctionPredicates() {}

  static RelNode derive(RelNode plan) {
    return plan.accept(
        new RelHomogeneousShuttle() {
          @Override
          public RelNode visit(RelNode other) {
            RelNode visited = super.visit(other);
            if (visited instanceof LogicalFilter filter) {
              RexNode condition = expanded(filter.getCondition(), filter.getInput());
              return condition == null
                  ? visited
                  : filter.copy(filter.getTraitSet(), filter.getInput(), condition);
            }
            if (visited instanceof Join join && join.getJoinType() == JoinRelType.INNER) {
              RexNode condition = expanded(join.getCondition(), join);
              return condition == null
                  ? visited
                  : join.copy(
                      join.getTraitSet(),
                      condition,
                      join.getLeft(),
                      join.getRight(),
                      join.getJoinType(),
                      join.isSemiJoinDone());
            }
            return visited;
          }
        });
  }

  /**
   * {@code condition} with the derived predicates added, or null when there are none. {@code
   * fields} is the node whose output the condition's input references point into (the filter's
   * input; the join itself, whose row type is its inputs' side by side).
   */
  private static RexNode expanded(RexNode condition, RelNode fields) {
    List<RexNode> conjuncts = RelOptUtil.conjunctions(condition);
    if (conjuncts.stream().noneMatch(conjunct -> conjunct.getKind() == SqlKind.OR)) {
      return null;
    }
    RexBuilder rexBuilder = fields.getCluster().getRexBuilder();
    RelMetadataQuery metadata = fields.getCluster().getMetadataQuery();
    Map<Integer, RexTableInputRef.RelTableRef> tables = new HashMap<>();
    for (int column : RelOptUtil.InputFinder.bits(condition)) {
      RexTableInputRef.RelTableRef table = tableOf(fields, column, metadata);
      if (table != null) {
        tables.put(column, table);
      }
    }
    Set<RexNode> present = new HashSet<>(conjuncts);
    List<RexNode> derived = new ArrayList<>();
    int nodes = 0;
    for (RexNode conjunct : conjuncts) {
      if (conjunct.getKind() != SqlKind.OR) {
        continue;
      }
      Map<RexTableInputRef.RelTableRef, List<RexNode>> perTable = null;
      for (RexNode branch : RelOptUtil.disjunctions(conjunct)) {
        Map<RexTableInputRef.RelTableRef, List<RexNode>> restrictions = new LinkedHashMap<>();
        for (RexNode factor : RelOptUtil.conjunctions(branch)) {
          RexTableInputRef.RelTableRef table = singleTable(factor, tables);
          if (table != null) {
            restrictions.computeIfAbsent(table, key -> new ArrayList<>()).add(factor);
          }
        }
        if (perTable == null) {
          perTable = new LinkedHashMap<>();
          for (Map.Entry<RexTableInputRef.RelTableRef, List<RexNode>> entry :
              restrictions.entrySet()) {
            List<RexNode> branches = new ArrayList<>();
            branches.add(RexUtil.composeConjunction(rexBuilder, entry.getValue()));
            perTable.put(entry.getKey(), branches);
          }
        } else {
          perTable.keySet().retainAll(restrictions.keySet());
          for (Map.Entry<RexTableInputRef.RelTableRef, List<RexNode>> entry : perTable.entrySet()) {
            entry
                .getValue()
                .add(RexUtil.composeConjunction(rexBuilder, restrictions.get(entry.getKey())));
          }
        }
        if (perTable.isEmpty()) {
          break;
        }
      }
      for (List<RexNode> branches : perTable.values()) {
        // Factored as JoinDisjunctions factors what it derives, so the same predicate derived by
        // both (a table alone on one side of a join) is recognized as present and added once.
        RexNode predicate =
            RexUtil.pullFactors(rexBuilder, RexUtil.composeDisjunction(rexBuilder, branches));
        nodes += predicate.nodeCount();
        if (nodes <= MAXIMUM_NODES && present.add(predicate)) {
          derived.add(predicate);
        }
      }
    }
    return derived.isEmpty()
        ? null
        : RexUtil.composeConjunction(rexBuilder, concat(conjuncts, derived));
  }

  private static List<RexNode> concat(List<RexNode> first, List<RexNode> second) {
    List<RexNode> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  /** The one table every column {@code factor} reads comes from, or null. */
  private static RexTableInputRef.RelTableRef singleTable(
      RexNode factor, Map<Integer, RexTableInputRef.RelTableRef> tables) {
    ImmutableBitSet columns = RelOptUtil.InputFinder.bits(factor);
    if (columns.isEmpty() || RexUtil.containsCorrelation(factor)) {
      return null;
    }
    RexTableInputRef.RelTableRef table = null;
    for (int column : columns) {
      RexTableInputRef.RelTableRef columnTable = tables.get(column);
      if (columnTable == null || table != null && !table.equals(columnTable)) {
        return null;
      }
      table = columnTable;
    }
    return RexUtil.isDeterministic(factor) ? table : null;
  }

  /** The table column {@code column} of {@code node}'s output is a plain copy of, or null. */
  private static RexTableInputRef.RelTableRef tableOf(
      RelNode node, int column, RelMetadataQuery metadata) {
    Set<RexNode> lineage =
        metadata.getExpressionLineage(node, RexInputRef.of(column, node.getRowType()));
    if (lineage == null || lineage.size() != 1) {
      return null;
    }
    RexNode origin = lineage.iterator().next();
    return origin instanceof RexTableInputRef reference ? reference.getTableRef() : null;
  }
}
