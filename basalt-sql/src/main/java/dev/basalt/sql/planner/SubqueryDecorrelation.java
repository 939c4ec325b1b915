package dev.basalt.sql.planner;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexChecker;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql2rel.RelDecorrelator;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.util.Litmus;

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
    try {
      return RelDecorrelator.decorrelateQuery(rewritten, relBuilder);
    } catch (RuntimeException failure) {
      // The decorrelator gives up on some nestings (a scalar subquery holding EXISTS over a
      // column of its own FROM) with a failed internal check; that is a form Basalt cannot
      // plan yet, not a bug of the query.
      throw new BasaltException(failure, ErrorCode.UNSUPPORTED, NESTED_CORRELATION);
    }
  }

  /**
   * Computes the window functions of a projection that also holds a subquery in a projection of
   * their own below it, so that {@code ROW_NUMBER() OVER (...) IN (SELECT ...)} is planned as MySQL
   * reads it: the window over the projection's input rows, then the subquery over its value. Left
   * in one projection, the subquery rules would move the window into a join condition, where no
   * operator can compute it. The lower projection passes every input column through and adds each
   * distinct window (one holding a subquery itself stays where it is); the upper one reads them as
   * columns.
   */
  static RelNode computeWindowsBeforeSubqueries(RelNode plan) {
    return plan.accept(
        new RelHomogeneousShuttle() {
          @Override
          public RelNode visit(RelNode other) {
            RelNode visited = super.visit(other);
            if (visited instanceof LogicalProject project
                && RexOver.containsOver(project.getProjects(), null)
                && project.getProjects().stream().anyMatch(SubqueryDecorrelation::holdsSubquery)) {
              return windowsBelow(project);
            }
            return visited;
          }
        });
  }

  private static RelNode windowsBelow(LogicalProject project) {
    List<RexOver> windows = new ArrayList<>();
    for (RexNode expression : project.getProjects()) {
      expression.accept(
          new RexShuttle() {
            @Override
            public RexNode visitOver(RexOver over) {
              if (!holdsSubquery(over) && !windows.contains(over)) {
                windows.add(over);
              }
              return over;
            }
          });
    }
    if (windows.isEmpty()) {
      return project;
    }
    // The windows are computed over the projection's input rows, beside its columns.
    RelNode input = project.getInput();
    if (!readsItsColumns(windows, input)) {
      throw new BasaltException(ErrorCode.UNSUPPORTED, WINDOW_BESIDE_SUBQUERY);
    }
    RexBuilder rexBuilder = project.getCluster().getRexBuilder();
    List<RexNode> lower = new ArrayList<>();
    for (int i = 0; i < input.getRowType().getFieldCount(); i++) {
      lower.add(rexBuilder.makeInputRef(input, i));
    }
    List<String> lowerNames = new ArrayList<>(input.getRowType().getFieldNames());
    Map<RexNode, Integer> windowColumns = new LinkedHashMap<>();
    for (RexOver window : windows) {
      windowColumns.put(window, lower.size());
      lower.add(window);
      lowerNames.add("$window" + windowColumns.size());
    }
    RexShuttle toColumns =
        new RexShuttle() {
          @Override
          public RexNode visitOver(RexOver over) {
            Integer column = windowColumns.get(over);
            return column == null
                ? super.visitOver(over)
                : rexBuilder.makeInputRef(over.getType(), column);
          }
        };
    List<RexNode> upper = new ArrayList<>();
    for (RexNode expression : project.getProjects()) {
      upper.add(expression.accept(toColumns));
    }
    RelNode computed =
        LogicalProject.create(input, project.getHints(), lower, lowerNames, Set.of());
    return LogicalProject.create(
        computed,
        project.getHints(),
        upper,
        project.getRowType().getFieldNames(),
        project.getVariablesSet());
  }

  /** Whether every column the windows read is a column of {@code rel}, of the same type. */
  private static boolean readsItsColumns(List<RexOver> windows, RelNode rel) {
    RexChecker checker = new RexChecker(rel.getRowType(), null, Litmus.IGNORE);
    for (RexOver window : windows) {
      window.accept(checker);
    }
    return checker.getFailureCount() == 0;
  }

  /** Whether a node of {@code plan} still has a subquery in one of its expressions. */
  static boolean holdsSubquery(RelNode plan) {
    boolean[] found = {false};
    plan.accept(
        new RelHomogeneousShuttle() {
          @Override
          public RelNode visit(RelNode other) {
            other.accept(
                new RexShuttle() {
                  @Override
                  public RexNode visitSubQuery(RexSubQuery subQuery) {
                    found[0] = true;
                    return subQuery;
                  }
                });
            return super.visit(other);
          }
        });
    return found[0];
  }

  /**
   * Refuses (1235) a nested subquery that is negated ({@code NOT EXISTS}, {@code NOT IN}, {@code IS
   * NOT TRUE} ...) or quantified ({@code > ALL}, {@code = SOME}): once nested in a correlated
   * scalar subquery and referring to both enclosing queries, Calcite's decorrelator answers those
   * wrongly (a NOT EXISTS over columns of both levels counted rows it should not), so they stay
   * refused rather than risk a wrong answer. Plain EXISTS, IN and scalar subqueries nested so are
   * checked against MariaDB in sql/regressions/nested_subqueries.test.
   */
  static void refuseNegatedNestedSubqueries(RelNode plan) {
    plan.accept(
        new RelHomogeneousShuttle() {
          @Override
          public RelNode visit(RelNode other) {
            other.accept(
                new RexShuttle() {
                  @Override
                  public RexNode visitCall(RexCall call) {
                    if (NEGATIONS.contains(call.getKind()) && holdsSubquery(call)) {
                      throw new BasaltException(ErrorCode.UNSUPPORTED, NESTED_CORRELATION);
                    }
                    return super.visitCall(call);
                  }

                  @Override
                  public RexNode visitSubQuery(RexSubQuery subQuery) {
                    if (subQuery.getKind() == SqlKind.SOME || subQuery.getKind() == SqlKind.ALL) {
                      throw new BasaltException(ErrorCode.UNSUPPORTED, NESTED_CORRELATION);
                    }
                    refuseNegatedNestedSubqueries(subQuery.rel);
                    return super.visitSubQuery(subQuery);
                  }
                });
            return super.visit(other);
          }
        });
  }

  private static final java.util.Set<SqlKind> NEGATIONS =
      java.util.EnumSet.of(
          SqlKind.NOT, SqlKind.IS_FALSE, SqlKind.IS_NOT_TRUE, SqlKind.IS_NOT_FALSE, SqlKind.CASE);

  private static boolean holdsSubquery(RexNode expression) {
    return RexUtil.SubQueryFinder.find(expression) != null;
  }

  private static final String WINDOW_BESIDE_SUBQUERY =
      "a window function beside a subquery in one expression (compute the window in a derived"
          + " table, then compare its column with IN (subquery))";

  private static final String NESTED_CORRELATION =
      "this correlated subquery (a negated or quantified subquery nested in a correlated"
          + " subquery, or a nesting the decorrelator cannot untangle; join a derived table"
          + " grouped by the correlated columns instead)";

  /**
   * Refuses, with error 1235 naming the form, a plan that still holds what Basalt's operators
   * cannot run: a subquery the rules above left in place (one nested in a correlated scalar
   * subquery) or a window function outside a Window node (one left of {@code IN (subquery)}, which
   * the subquery rules move into a join condition). Without this check those plans failed later
   * with a misleading "FUNCTION $scalar_query / row_number does not exist".
   *
   * @param plan the plan after subquery removal, decorrelation and the window rule
   */
  static void requirePlannable(RelNode plan) {
    plan.accept(
        new RelHomogeneousShuttle() {
          @Override
          public RelNode visit(RelNode other) {
            if (!(other instanceof Window)) {
              other.accept(
                  new RexShuttle() {
                    @Override
                    public RexNode visitSubQuery(RexSubQuery subQuery) {
                      throw new BasaltException(ErrorCode.UNSUPPORTED, NESTED_CORRELATION);
                    }

                    @Override
                    public RexNode visitOver(RexOver over) {
                      throw new BasaltException(ErrorCode.UNSUPPORTED, WINDOW_BESIDE_SUBQUERY);
                    }
                  });
            }
            return super.visit(other);
          }
        });
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
