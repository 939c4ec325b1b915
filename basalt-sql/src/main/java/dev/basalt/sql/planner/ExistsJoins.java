package dev.basalt.sql.planner;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexCorrelVariable;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Plans a correlated {@code [NOT] EXISTS} in a WHERE (or HAVING) conjunction as a SEMI (ANTI) join
 * of the filtered rows with the subquery's FROM, on the subquery's correlated conditions, before
 * Calcite's subquery rules see it. Calcite would decorrelate it through the distinct values of the
 * correlation columns, joins and aggregates (TPC-H q21's EXISTS and NOT EXISTS with {@code
 * l2.l_suppkey <> l1.l_suppkey} read lineitem four times); as a join, the equalities become hash
 * keys and the rest (the inequality) a residual tested on each candidate pair, and {@link
 * OperatorBuilder} hashes whichever side is smaller.
 *
 * <p>The two forms mean the same in SQL's three-valued logic: {@code EXISTS} is never NULL, and is
 * TRUE exactly when some subquery row makes the WHERE TRUE, which is when the SEMI join's condition
 * is TRUE for some pair (a NULL in a key or in the residual makes no match, and for NOT EXISTS
 * keeps the outer row, unlike NOT IN, which {@link CorrelatedNotIn} handles). Only the plain shape
 * is rewritten: projections over one filter whose input refers to no outer query, with at least one
 * equality between an outer column and a subquery column; anything else (aggregates, LIMIT, nested
 * correlation) is left to Calcite.
 */
final class ExistsJoins {
  private ExistsJoins() {}

  /** {@code plan} with each eligible {@code [NOT] EXISTS} conjunct turned into a join. */
  static RelNode rewrite(RelNode plan) {
    return plan.accept(
        new RelHomogeneousShuttle() {
          @Override
          public RelNode visit(RelNode other) {
            RelNode visited = super.visit(other);
            return visited instanceof LogicalFilter filter ? rewrite(filter) : visited;
          }
        });
  }

  private static RelNode rewrite(LogicalFilter filter) {
    List<RexNode> kept = new ArrayList<>();
    List<RelNode> joinInputs = new ArrayList<>();
    List<RexNode> joinConditions = new ArrayList<>();
    List<JoinRelType> joinTypes = new ArrayList<>();
    RexBuilder rexBuilder = filter.getCluster().getRexBuilder();
    for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
      boolean negated = conjunct.getKind() == SqlKind.NOT;
      RexNode test = negated ? ((RexCall) conjunct).getOperands().get(0) : conjunct;
      if (test instanceof RexSubQuery subQuery && subQuery.getKind() == SqlKind.EXISTS) {
        Conversion conversion = convert(subQuery, filter, rexBuilder);
        if (conversion != null) {
          joinInputs.add(conversion.inner());
          joinConditions.add(conversion.condition());
          joinTypes.add(negated ? JoinRelType.ANTI : JoinRelType.SEMI);
          continue;
        }
      }
      kept.add(conjunct);
    }
    if (joinInputs.isEmpty()) {
      return filter;
    }
    RelNode result =
        kept.isEmpty()
            ? filter.getInput()
            : LogicalFilter.create(
                filter.getInput(),
                RexUtil.composeConjunction(rexBuilder, kept),
                com.google.common.collect.ImmutableSet.copyOf(filter.getVariablesSet()));
    for (int i = 0; i < joinInputs.size(); i++) {
      result =
          LogicalJoin.create(
              result,
              joinInputs.get(i),
              List.of(),
              joinConditions.get(i),
              Set.of(),
              joinTypes.get(i));
    }
    return result;
  }

  /**
   * The subquery's FROM (with its uncorrelated conditions as a filter) and the join condition over
   * the outer row then that FROM's row; or null when the subquery has another shape.
   */
  private record Conversion(RelNode inner, RexNode condition) {}

  private static Conversion convert(
      RexSubQuery subQuery, LogicalFilter outer, RexBuilder rexBuilder) {
    RelNode node = subQuery.rel;
    while (node instanceof Project project) {
      node = project.getInput();
    }
    if (!(node instanceof Filter where)) {
      return null;
    }
    RelNode from = where.getInput();
    if (!RelOptUtil.getVariablesUsed(from).isEmpty()
        || SubqueryDecorrelation.holdsSubquery(from)
        || RexUtil.SubQueryFinder.find(where.getCondition()) != null) {
      return null;
    }
    Set<CorrelationId> used = RelOptUtil.getVariablesUsed(where);
    if (used.size() != 1 || !outer.getVariablesSet().containsAll(used)) {
      return null;
    }
    CorrelationId correlation = used.iterator().next();
    List<RelDataTypeField> outerFields = outer.getInput().getRowType().getFieldList();
    int outerWidth = outerFields.size();
    List<RexNode> innerOnly = new ArrayList<>();
    List<RexNode> joinConjuncts = new ArrayList<>();
    boolean hasEquiKey = false;
    for (RexNode conjunct : RelOptUtil.conjunctions(where.getCondition())) {
      if (!RexUtil.containsCorrelation(conjunct)) {
        innerOnly.add(conjunct);
        continue;
      }
      RexNode converted = toJoinRow(conjunct, correlation, outerFields);
      if (converted == null) {
        return null;
      }
      hasEquiKey |= isEquiKey(converted, outerWidth);
      joinConjuncts.add(converted);
    }
    if (!hasEquiKey) {
      return null;
    }
    RelNode inner =
        innerOnly.isEmpty()
            ? from
            : LogicalFilter.create(from, RexUtil.composeConjunction(rexBuilder, innerOnly));
    return new Conversion(inner, RexUtil.composeConjunction(rexBuilder, joinConjuncts));
  }

  /**
   * {@code expression}, a condition of a subquery's filter, over the join row of the outer query's
   * row then the filter's input row: its input references shifted past the outer row, the fields of
   * {@code correlation} (the outer row, {@code outerFields}) made references to the outer columns;
   * null when it refers to another correlation.
   */
  static RexNode toJoinRow(
      RexNode expression, CorrelationId correlation, List<RelDataTypeField> outerFields) {
    int outerWidth = outerFields.size();
    boolean[] foreign = {false};
    RexNode converted =
        expression.accept(
            new RexShuttle() {
              @Override
              public RexNode visitInputRef(RexInputRef reference) {
                return new RexInputRef(reference.getIndex() + outerWidth, reference.getType());
              }

              @Override
              public RexNode visitFieldAccess(RexFieldAccess access) {
                if (access.getReferenceExpr() instanceof RexCorrelVariable variable
                    && variable.id.equals(correlation)
                    && variable.getType().getFieldCount() == outerWidth) {
                  int index = access.getField().getIndex();
                  return new RexInputRef(index, outerFields.get(index).getType());
                }
                foreign[0] = true;
                return super.visitFieldAccess(access);
              }

              @Override
              public RexNode visitCorrelVariable(RexCorrelVariable variable) {
                foreign[0] = true;
                return variable;
              }
            });
    return foreign[0] ? null : converted;
  }

  /** Whether {@code conjunct} is {@code outer column = inner column} (either way round). */
  private static boolean isEquiKey(RexNode conjunct, int outerWidth) {
    if (conjunct.getKind() != SqlKind.EQUALS) {
      return false;
    }
    List<RexNode> operands = ((RexCall) conjunct).getOperands();
    if (!(operands.get(0) instanceof RexInputRef a)
        || !(operands.get(1) instanceof RexInputRef b)) {
      return false;
    }
    ImmutableBitSet sides =
        ImmutableBitSet.of(a.getIndex() < outerWidth ? 0 : 1, b.getIndex() < outerWidth ? 0 : 1);
    return sides.cardinality() == 2;
  }
}
