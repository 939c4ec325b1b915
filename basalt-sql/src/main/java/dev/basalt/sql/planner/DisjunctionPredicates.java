package dev.basalt.sql.planner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexTableInputRef;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Adds the predicates an OR implies for one join input or one table alone, so that the planner's
 * filter pushdown moves them below the joins. Two derivations run on each condition, in one pass
 * over the plan:
 *
 * <ol>
 *   <li><b>Per join input</b>, for a join's condition (any join type) or a filter directly over a
 *       join. The factors common to every disjunct are pulled out of each OR first ({@link
 *       RexUtil#pullFactors}), so that TPC-H q19's {@code p_partkey = l_partkey} becomes a plain
 *       conjunct: a hash key, and a runtime filter for the probe side's scan. Then, for each input,
 *       the OR over the disjuncts of each disjunct's conjuncts that read only that input, when
 *       every disjunct has one: q19's lineitem gets {@code l_shipmode IN (...) AND l_shipinstruct =
 *       '...' AND (l_quantity BETWEEN 1 AND 11 OR ...)}.
 *   <li><b>Per table</b>, for a filter's or an inner join's condition, through any projections and
 *       joins below it: for each table, the OR over the disjuncts of each disjunct's conjuncts that
 *       read only that table, when every disjunct has one. TPC-H q07's {@code (n1.n_name = 'FRANCE'
 *       AND n2.n_name = 'GERMANY') OR (n1.n_name = 'GERMANY' AND n2.n_name = 'FRANCE')} implies
 *       {@code n1.n_name IN ('FRANCE', 'GERMANY')} and the same for {@code n2}. Columns are traced
 *       to their table with {@link RelMetadataQuery#getExpressionLineage}; a column that comes from
 *       an aggregate, several tables or an outer join's nullable side traces to none and is left
 *       alone.
 * </ol>
 *
 * <p>Why this is safe: a row (or row pair) for which the OR is TRUE has one disjunct TRUE, so every
 * derived predicate is TRUE too; adding it with AND changes nothing a filter or join condition
 * keeps, in SQL's three-valued logic and for every join type. The original condition stays as
 * written. Only deterministic conjuncts are copied (and, per table, only uncorrelated ones). Every
 * derived predicate is factored the same way, so one that both derivations find (a table alone on
 * one side of a join) is added once.
 *
 * <p>Runs once over the plan, before the filter pushdown: as a rule it would fire again on its own
 * output. Stateless.
 */
final class DisjunctionPredicates {
  /** The most per-table predicates' nodes per condition, against blow-ups of deep ORs. */
  private static final int MAXIMUM_NODES = 100;

  private DisjunctionPredicates() {}

  /** {@code plan} with the implied predicates added to its filters' and joins' conditions. */
  static RelNode derive(RelNode plan) {
    return plan.accept(
        new RelHomogeneousShuttle() {
          @Override
          public RelNode visit(RelNode other) {
            RelNode visited = super.visit(other);
            if (visited instanceof LogicalFilter filter) {
              // A mark join's last column is its mark, not a column of its right input.
              Join join =
                  filter.getInput() instanceof Join input
                          && input.getJoinType() != JoinRelType.LEFT_MARK
                      ? input
                      : null;
              RexNode condition = expanded(filter.getCondition(), filter.getInput(), join, true);
              return condition == null
                  ? visited
                  : filter.copy(filter.getTraitSet(), filter.getInput(), condition);
            }
            if (visited instanceof LogicalJoin join
                && join.getJoinType() != JoinRelType.LEFT_MARK) {
              boolean inner = join.getJoinType() == JoinRelType.INNER;
              RexNode condition = expanded(join.getCondition(), join, join, inner);
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
   * {@code condition} with the implied predicates added, or null when it stays as it is. {@code
   * fields} is the node whose output the condition's input references point into (a filter's input;
   * a join itself, whose row type is its inputs' side by side); {@code join} is that node when it
   * is a join whose inputs get their own predicates, else null; {@code perTable} says whether
   * per-table predicates may be added (not to an outer join's condition).
   */
  private static RexNode expanded(RexNode condition, RelNode fields, Join join, boolean perTable) {
    List<RexNode> original = RelOptUtil.conjunctions(condition);
    if (original.stream().noneMatch(conjunct -> conjunct.getKind() == SqlKind.OR)) {
      return null;
    }
    RexBuilder rexBuilder = fields.getCluster().getRexBuilder();
    List<RexNode> conjuncts = original;
    if (join != null) {
      conjuncts = new ArrayList<>();
      for (RexNode conjunct : original) {
        RexNode factored =
            conjunct.getKind() == SqlKind.OR ? RexUtil.pullFactors(rexBuilder, conjunct) : conjunct;
        conjuncts.addAll(RelOptUtil.conjunctions(factored));
      }
    }
    Set<RexNode> all = new LinkedHashSet<>(conjuncts);
    if (join != null) {
      int leftCount = join.getLeft().getRowType().getFieldCount();
      int totalCount = leftCount + join.getRight().getRowType().getFieldCount();
      List<ImmutableBitSet> sides =
          List.of(
              ImmutableBitSet.range(0, leftCount), ImmutableBitSet.range(leftCount, totalCount));
      for (RexNode conjunct : conjuncts) {
        if (conjunct.getKind() == SqlKind.OR) {
          for (ImmutableBitSet side : sides) {
            RexNode implied = perSide(conjunct, side, rexBuilder);
            if (implied != null) {
              all.add(implied);
            }
          }
        }
      }
    }
    if (perTable) {
      addPerTable(conjuncts, fields, rexBuilder, all);
    }
    List<RexNode> expanded = new ArrayList<>(all);
    return expanded.equals(original) ? null : RexUtil.composeConjunction(rexBuilder, expanded);
  }

  /**
   * What {@code or} implies for the fields in {@code side} of a join, or null if nothing new: every
   * disjunct must have a conjunct that reads only that side, and some disjunct must read the other.
   */
  private static RexNode perSide(RexNode or, ImmutableBitSet side, RexBuilder rexBuilder) {
    List<RexNode> branches = new ArrayList<>();
    boolean partial = false;
    for (RexNode disjunct : RelOptUtil.disjunctions(or)) {
      List<RexNode> kept = new ArrayList<>();
      List<RexNode> parts = RelOptUtil.conjunctions(disjunct);
      for (RexNode part : parts) {
        ImmutableBitSet fields = RelOptUtil.InputFinder.bits(part);
        if (!fields.isEmpty() && side.contains(fields) && RexUtil.isDeterministic(part)) {
          kept.add(part);
        }
      }
      if (kept.isEmpty()) {
        return null;
      }
      partial |= kept.size() < parts.size();
      branches.add(RexUtil.composeConjunction(rexBuilder, kept));
    }
    if (!partial) {
      return null; // the OR reads this side only: the pushdown moves it as it is
    }
    return RexUtil.pullFactors(rexBuilder, RexUtil.composeDisjunction(rexBuilder, branches));
  }

  /** Adds to {@code all} what each OR among {@code conjuncts} implies for each table alone. */
  private static void addPerTable(
      List<RexNode> conjuncts, RelNode fields, RexBuilder rexBuilder, Set<RexNode> all) {
    RelMetadataQuery metadata = fields.getCluster().getMetadataQuery();
    Map<Integer, RexTableInputRef.RelTableRef> tables = new HashMap<>();
    int nodes = 0;
    for (RexNode conjunct : conjuncts) {
      if (conjunct.getKind() != SqlKind.OR) {
        continue;
      }
      for (int column : RelOptUtil.InputFinder.bits(conjunct)) {
        if (!tables.containsKey(column)) {
          tables.put(column, tableOf(fields, column, metadata));
        }
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
        RexNode predicate =
            RexUtil.pullFactors(rexBuilder, RexUtil.composeDisjunction(rexBuilder, branches));
        nodes += predicate.nodeCount();
        if (nodes <= MAXIMUM_NODES) {
          all.add(predicate);
        }
      }
    }
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
