package dev.basalt.sql.planner;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Pulls the factors common to every disjunct out of an OR in a join's condition (or in a filter
 * directly over a join), and adds what the OR implies for each input alone, so that the usual
 * pushdown moves it below the join. TPC-H q19's {@code (p = l AND l_quantity BETWEEN 1 AND 11 AND
 * l_shipmode IN (...) AND p_brand = 'Brand#12' ...) OR (...)} implies, for lineitem, {@code
 * l_shipmode IN (...) AND l_shipinstruct = '...' AND (l_quantity BETWEEN 1 AND 11 OR ...)}:
 * lineitem is filtered in its scan instead of after the join.
 *
 * <p>For an OR conjunct, the implied filter on one side is the OR, over the disjuncts, of each
 * disjunct's conjuncts that read only that side; it exists when every disjunct has such a conjunct.
 * Common factors are then pulled out of it ({@link RexUtil#pullFactors}). A row (or row pair) for
 * which the OR is TRUE has one disjunct TRUE, so the implied filter is TRUE too: adding it with AND
 * changes nothing a filter or join condition keeps, in SQL's three-valued logic and for every join
 * type. Only deterministic conjuncts are copied. Stateless.
 */
final class JoinDisjunctions {
  private JoinDisjunctions() {}

  /** {@code plan} with the implied single-input filters added to joins and filters over joins. */
  static RelNode derive(RelNode plan) {
    return plan.accept(
        new RelHomogeneousShuttle() {
          @Override
          public RelNode visit(RelNode other) {
            RelNode visited = super.visit(other);
            if (visited instanceof LogicalFilter filter && filter.getInput() instanceof Join join) {
              RexNode condition = extend(filter.getCondition(), join, filter);
              return condition == filter.getCondition()
                  ? visited
                  : filter.copy(filter.getTraitSet(), filter.getInput(), condition);
            }
            if (visited instanceof LogicalJoin join) {
              RexNode condition = extend(join.getCondition(), join, join);
              return condition == join.getCondition()
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
   * {@code condition} (over the fields of {@code join}, left then right) with the implied filters
   * of its OR conjuncts added, or {@code condition} itself when there are none.
   */
  private static RexNode extend(RexNode condition, Join join, RelNode owner) {
    int leftCount = join.getLeft().getRowType().getFieldCount();
    int totalCount = leftCount + join.getRight().getRowType().getFieldCount();
    List<ImmutableBitSet> sides =
        List.of(ImmutableBitSet.range(0, leftCount), ImmutableBitSet.range(leftCount, totalCount));
    RexBuilder rexBuilder = owner.getCluster().getRexBuilder();
    // Factors shared by every disjunct first (q19's p_partkey = l_partkey), so that the join sees
    // them as plain conjuncts: a hash key, and a runtime filter for the probe side's scan.
    List<RexNode> conjuncts = new ArrayList<>();
    boolean pulled = false;
    for (RexNode conjunct : RelOptUtil.conjunctions(condition)) {
      RexNode factored =
          conjunct.getKind() == SqlKind.OR ? RexUtil.pullFactors(rexBuilder, conjunct) : conjunct;
      pulled |= factored.getKind() != SqlKind.OR && conjunct.getKind() == SqlKind.OR;
      conjuncts.addAll(RelOptUtil.conjunctions(factored));
    }
    List<RexNode> added = new ArrayList<>();
    for (RexNode conjunct : conjuncts) {
      if (conjunct.getKind() != SqlKind.OR) {
        continue;
      }
      for (ImmutableBitSet side : sides) {
        RexNode implied = implied(conjunct, side, rexBuilder);
        if (implied != null && !conjuncts.contains(implied) && !added.contains(implied)) {
          added.add(implied);
        }
      }
    }
    if (added.isEmpty() && !pulled) {
      return condition;
    }
    List<RexNode> all = new ArrayList<>(conjuncts);
    all.addAll(added);
    return RexUtil.composeConjunction(rexBuilder, all);
  }

  /** What {@code or} implies for the fields in {@code side}, or {@code null} if nothing. */
  private static RexNode implied(RexNode or, ImmutableBitSet side, RexBuilder rexBuilder) {
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
}
