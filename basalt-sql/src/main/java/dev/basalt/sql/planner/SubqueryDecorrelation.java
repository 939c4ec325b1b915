package dev.basalt.sql.planner;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql2rel.RelDecorrelator;
import org.apache.calcite.tools.RelBuilder;

/**
 * Turns correlated subqueries into joins with Calcite's {@link RelDecorrelator}, after removing the
 * one shape it gets wrong. Once a query has any correlated subquery, the decorrelator rewrites
 * every aggregate of the plan, and one grouped only by constants (the {@code GROUP BY true} that an
 * uncorrelated {@code [NOT] EXISTS} becomes, or a user's {@code GROUP BY 'k'}) loses its keys and
 * then returns a row even over empty input: {@code NOT EXISTS (...)} was always false and {@code
 * GROUP BY 'k'} over no rows returned a row. Such an aggregate is first rewritten to what it means,
 * "the aggregates over all rows, if there is a row": a global aggregate that also counts the rows,
 * kept where the count is positive, with the constant keys projected back.
 */
final class SubqueryDecorrelation {
  private SubqueryDecorrelation() {}

  static RelNode decorrelate(RelNode plan, RelBuilder relBuilder) {
    RelNode rewritten = plan.accept(new ConstantGroupRewriter(relBuilder));
    return RelDecorrelator.decorrelateQuery(rewritten, relBuilder);
  }

  private static final class ConstantGroupRewriter extends RelHomogeneousShuttle {
    private final RelBuilder relBuilder;

    ConstantGroupRewriter(RelBuilder relBuilder) {
      this.relBuilder = relBuilder;
    }

    @Override
    public RelNode visit(RelNode other) {
      RelNode visited = super.visit(other);
      if (visited instanceof LogicalAggregate aggregate
          && aggregate.getGroupType() == LogicalAggregate.Group.SIMPLE
          && !aggregate.getGroupSet().isEmpty()
          && aggregate.getInput() instanceof Project input
          && aggregate.getGroupSet().asList().stream()
              .allMatch(key -> input.getProjects().get(key) instanceof RexLiteral)
          && RelOptUtil.getVariablesUsed(aggregate).isEmpty()) {
        return rewrite(aggregate, input);
      }
      return visited;
    }

    private RelNode rewrite(LogicalAggregate aggregate, Project input) {
      List<AggregateCall> calls = aggregate.getAggCallList();
      relBuilder.push(input);
      List<RelBuilder.AggCall> globalCalls = new ArrayList<>();
      for (AggregateCall call : calls) {
        globalCalls.add(relBuilder.aggregateCall(call));
      }
      globalCalls.add(relBuilder.countStar("row_count"));
      relBuilder.aggregate(relBuilder.groupKey(), globalCalls);
      relBuilder.filter(
          relBuilder.call(
              SqlStdOperatorTable.GREATER_THAN,
              relBuilder.field(calls.size()),
              relBuilder.literal(0)));
      List<RexNode> fields = new ArrayList<>();
      for (int key : aggregate.getGroupSet()) {
        fields.add(input.getProjects().get(key));
      }
      for (int i = 0; i < calls.size(); i++) {
        fields.add(relBuilder.field(i));
      }
      relBuilder.project(fields, aggregate.getRowType().getFieldNames(), true);
      RelNode result = relBuilder.build();
      return relBuilder.push(result).convert(aggregate.getRowType(), false).build();
    }
  }
}
