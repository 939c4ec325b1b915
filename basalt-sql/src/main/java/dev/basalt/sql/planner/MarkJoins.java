package dev.basalt.sql.planner;

import com.google.common.collect.ImmutableSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.CorrelationId;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.hint.RelHint;
import org.apache.calcite.rel.logical.LogicalFilter;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rel.logical.LogicalProject;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlQuantifyOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;

/**
 * Plans {@code IN}, {@code = SOME} and {@code EXISTS} subqueries whose three-valued answer matters
 * as mark joins ({@link JoinRelType#LEFT_MARK}): each outer row, once, with a BOOLEAN mark that is
 * the subquery's answer, TRUE, FALSE or NULL (see the executor's {@code JoinType.MARK}). That is
 * every such subquery in a select list or under NOT, OR, CASE or a comparison, and {@code NOT IN}
 * conjuncts of a WHERE, which {@link #nullAwareAntiJoins} then turns into null-aware anti joins
 * (rows whose mark is FALSE). Calcite would plan them as a cross join with the subquery's row
 * counts and a left join with its distinct values (the subquery computed twice, and a NULL answer
 * rebuilt by a CASE over the counts). A plain {@code IN} or {@code EXISTS} conjunct, where NULL and
 * FALSE both reject the row, is left to Calcite's semi-join plans and {@link ExistsJoins}.
 *
 * <p>The join condition holds, for {@code IN}, one {@code outer = inner} per compared column (a
 * NULL on either side makes that build row's answer NULL) and, for a correlated subquery, one
 * {@code outer IS NOT DISTINCT FROM inner} per correlation equality, with the subquery's rows whose
 * correlation column is NULL filtered out first (they are in no outer row's subquery, and an outer
 * NULL then meets no row, as {@code =} would have it); an {@code EXISTS}'s other correlated
 * conditions are a residual under {@code IS TRUE} (a NULL there drops the row from the subquery).
 * Compared values of different types are cast to a common one below the join. Only subqueries that
 * refer to no outer query, or whose correlation is in the plain shape (projections over one filter
 * over an input that refers to no outer query, correlated through that filter only) are rewritten;
 * Calcite decorrelates the others. An {@code IN} correlated by anything but equalities is left to
 * Calcite too: a mark join never has both {@code =} keys and a residual.
 */
final class MarkJoins {
  private MarkJoins() {}

  /** The hint that marks an ANTI join as null-aware ({@code NOT IN}): see {@link #isNullAware}. */
  private static final String NULL_AWARE = "basalt_null_aware_anti";

  /** {@code plan} with each eligible subquery of its filters and projections made a mark join. */
  static RelNode rewrite(RelNode plan) {
    return plan.accept(
        new RelHomogeneousShuttle() {
          @Override
          public RelNode visit(RelNode other) {
            RelNode visited = super.visit(other);
            if (visited instanceof LogicalFilter filter) {
              return rewrite(filter);
            }
            if (visited instanceof LogicalProject project) {
              return rewrite(project);
            }
            return visited;
          }
        });
  }

  private static RelNode rewrite(LogicalFilter filter) {
    RelNode input = filter.getInput();
    Rewriter rewriter = new Rewriter(input, filter.getVariablesSet());
    List<RexNode> conjuncts = new ArrayList<>();
    for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
      // A plain IN / EXISTS conjunct rejects a row on FALSE and NULL alike: a semi join's job.
      conjuncts.add(conjunct instanceof RexSubQuery ? conjunct : conjunct.accept(rewriter));
    }
    if (rewriter.current == input) {
      return filter;
    }
    RexBuilder rexBuilder = filter.getCluster().getRexBuilder();
    RexNode condition = RexUtil.composeConjunction(rexBuilder, conjuncts);
    RelNode filtered =
        LogicalFilter.create(
            rewriter.current,
            condition,
            ImmutableSet.copyOf(
                RexUtil.SubQueryFinder.find(condition) == null
                    ? Set.of()
                    : filter.getVariablesSet()));
    return LogicalProject.create(
        filtered,
        List.of(),
        rexBuilder.identityProjects(input.getRowType()),
        input.getRowType().getFieldNames(),
        Set.of());
  }

  private static RelNode rewrite(LogicalProject project) {
    RelNode input = project.getInput();
    Rewriter rewriter = new Rewriter(input, project.getVariablesSet());
    List<RexNode> expressions = new ArrayList<>();
    for (RexNode expression : project.getProjects()) {
      expressions.add(expression.accept(rewriter));
    }
    if (rewriter.current == input) {
      return project;
    }
    return LogicalProject.create(
        rewriter.current,
        project.getHints(),
        expressions,
        project.getRowType().getFieldNames(),
        RexUtil.SubQueryFinder.find(expressions) == null ? Set.of() : project.getVariablesSet());
  }

  private static int width(RelNode node) {
    return node.getRowType().getFieldCount();
  }

  /**
   * Replaces each eligible subquery of the expressions it visits with the mark of a new LEFT_MARK
   * join, stacked on {@link #current} (the node's input, then the joins: its columns come first,
   * unchanged, so the expressions' other references stay valid).
   */
  private static final class Rewriter extends RexShuttle {
    private final int outerWidth;
    private final List<RelDataTypeField> outerFields;
    private final Set<CorrelationId> definedHere;
    private final RexBuilder rexBuilder;
    RelNode current;

    Rewriter(RelNode input, Set<CorrelationId> definedHere) {
      this.current = input;
      this.outerWidth = width(input);
      this.outerFields = input.getRowType().getFieldList();
      this.definedHere = definedHere;
      this.rexBuilder = input.getCluster().getRexBuilder();
    }

    @Override
    public RexNode visitSubQuery(RexSubQuery subQuery) {
      boolean eligible =
          switch (subQuery.getKind()) {
            case EXISTS, IN -> true;
            case SOME ->
                ((SqlQuantifyOperator) subQuery.getOperator()).comparisonKind == SqlKind.EQUALS;
            default -> false;
          };
      if (!eligible) {
        return subQuery;
      }
      Inner inner = inner(subQuery);
      if (inner == null) {
        return subQuery;
      }
      return join(subQuery, inner);
    }

    /**
     * The subquery's side of the join: its rows, the columns it compares ({@code IN}) and the
     * correlation keys and residual; null when the subquery has a shape left to Calcite.
     *
     * @param rel the rows (every column of the subquery's FROM, then the compared columns, then the
     *     inner sides of the correlation equalities)
     * @param fromWidth how many of {@code rel}'s columns are the FROM's
     * @param outerKeys the outer sides of the correlation equalities, over the outer row
     * @param residual correlated conditions other than equalities (EXISTS only) over the outer row
     *     then {@code rel}'s, or null
     */
    private record Inner(RelNode rel, int fromWidth, List<RexNode> outerKeys, RexNode residual) {}

    private Inner inner(RexSubQuery subQuery) {
      Set<CorrelationId> used = RelOptUtil.getVariablesUsed(subQuery.rel);
      boolean exists = subQuery.getKind() == SqlKind.EXISTS;
      if (used.isEmpty()) {
        // Its own subqueries' NULL answers matter as much as this one's.
        RelNode rel = rewrite(subQuery.rel);
        List<RexNode> columns = new ArrayList<>();
        if (!exists) {
          columns.addAll(rexBuilder.identityProjects(rel.getRowType()));
        }
        return new Inner(project(rel, List.of(), columns), 0, List.of(), null);
      }
      if (used.size() != 1 || !definedHere.containsAll(used)) {
        return null;
      }
      CorrelationId correlation = used.iterator().next();
      RelNode node = subQuery.rel;
      List<RexNode> compared = null;
      if (!exists) {
        if (!(node instanceof Project project)) {
          return null;
        }
        compared = project.getProjects();
        node = project.getInput();
      } else {
        while (node instanceof Project project) {
          node = project.getInput();
        }
      }
      if (!(node instanceof Filter where)
          || RexUtil.SubQueryFinder.find(where.getCondition()) != null
          || (compared != null && compared.stream().anyMatch(RexUtil::containsCorrelation))) {
        return null;
      }
      RelNode from = where.getInput();
      if (!RelOptUtil.getVariablesUsed(from).isEmpty()) {
        return null;
      }
      from = rewrite(from);
      int fromWidth = width(from);
      List<RexNode> innerOnly = new ArrayList<>();
      List<RexNode> outerKeys = new ArrayList<>();
      List<RexNode> innerKeys = new ArrayList<>();
      List<RexNode> residual = new ArrayList<>();
      for (RexNode conjunct : RelOptUtil.conjunctions(where.getCondition())) {
        if (!RexUtil.containsCorrelation(conjunct)) {
          innerOnly.add(conjunct);
          continue;
        }
        RexNode[] sides = correlationEquality(conjunct, correlation);
        if (sides != null) {
          outerKeys.add(sides[0]);
          innerKeys.add(sides[1]);
          innerOnly.add(rexBuilder.makeCall(SqlStdOperatorTable.IS_NOT_NULL, sides[1]));
          continue;
        }
        if (!exists) {
          return null;
        }
        RexNode joined = toJoinRow(conjunct, correlation);
        if (joined == null) {
          return null;
        }
        residual.add(rexBuilder.makeCall(SqlStdOperatorTable.IS_TRUE, joined));
      }
      RelNode filtered =
          innerOnly.isEmpty()
              ? from
              : LogicalFilter.create(from, RexUtil.composeConjunction(rexBuilder, innerOnly));
      List<RexNode> columns = new ArrayList<>();
      if (compared != null) {
        columns.addAll(compared);
      }
      columns.addAll(innerKeys);
      return new Inner(
          project(filtered, rexBuilder.identityProjects(from.getRowType()), columns),
          fromWidth,
          outerKeys,
          residual.isEmpty() ? null : RexUtil.composeConjunction(rexBuilder, residual));
    }

    /**
     * For {@code outer = inner} (either way round) where one side reads only the correlation's
     * fields and the other only the subquery's columns: {outer side over the outer row, inner
     * side}; otherwise null.
     */
    private RexNode[] correlationEquality(RexNode conjunct, CorrelationId correlation) {
      if (conjunct.getKind() != SqlKind.EQUALS) {
        return null;
      }
      List<RexNode> operands = ((RexCall) conjunct).getOperands();
      for (int outer = 0; outer < 2; outer++) {
        RexNode outerSide = operands.get(outer);
        RexNode innerSide = operands.get(1 - outer);
        if (RexUtil.containsCorrelation(innerSide)
            || !RexUtil.containsCorrelation(outerSide)
            || RexUtil.containsInputRef(outerSide)) {
          continue;
        }
        RexNode converted = toJoinRow(outerSide, correlation);
        return converted == null ? null : new RexNode[] {converted, innerSide};
      }
      return null;
    }

    private RexNode toJoinRow(RexNode expression, CorrelationId correlation) {
      return ExistsJoins.toJoinRow(expression, correlation, outerFields);
    }

    /** {@code input} projected to {@code first} then {@code rest}. */
    private RelNode project(RelNode input, List<RexNode> first, List<RexNode> rest) {
      List<RexNode> columns = new ArrayList<>(first);
      columns.addAll(rest);
      if (columns.isEmpty()) {
        // EXISTS over an uncorrelated query reads no column; keep one so the input is a relation.
        columns.add(rexBuilder.makeLiteral(true));
      }
      List<String> names = new ArrayList<>();
      for (int i = 0; i < columns.size(); i++) {
        names.add("$m" + i);
      }
      return LogicalProject.create(input, List.of(), columns, names, Set.of());
    }

    /**
     * Stacks the LEFT_MARK join of {@link #current} with the subquery's side and returns the mark
     * (a reference to the join's last column) as the subquery's replacement.
     */
    private RexNode join(RexSubQuery subQuery, Inner inner) {
      // Outer sides that are not plain columns are computed below the join, after the columns.
      List<RexNode> outerColumns =
          new ArrayList<>(rexBuilder.identityProjects(current.getRowType()));
      List<RexNode> comparedOuter = new ArrayList<>(subQuery.getOperands());
      List<RelDataTypeField> innerFields = inner.rel().getRowType().getFieldList();
      List<RexNode> innerColumns =
          new ArrayList<>(rexBuilder.identityProjects(inner.rel().getRowType()));
      List<RexNode> conditions = new ArrayList<>();
      int[] outerRefs = new int[comparedOuter.size() + inner.outerKeys().size()];
      int[] innerRefs = new int[outerRefs.length];
      for (int i = 0; i < outerRefs.length; i++) {
        boolean comparison = i < comparedOuter.size();
        RexNode outer =
            comparison ? comparedOuter.get(i) : inner.outerKeys().get(i - comparedOuter.size());
        int innerIndex = inner.fromWidth() + i;
        RelDataType outerType = outer.getType();
        RelDataType innerType = innerFields.get(innerIndex).getType();
        RelDataType common =
            rexBuilder.getTypeFactory().leastRestrictive(List.of(outerType, innerType));
        if (common == null) {
          return subQuery;
        }
        if (!sameIgnoringNullability(outerType, common)) {
          outer = rexBuilder.makeCast(nullableLike(common, outerType), outer, true, false);
        }
        if (!sameIgnoringNullability(innerType, common)) {
          innerColumns.set(
              innerIndex,
              rexBuilder.makeCast(
                  nullableLike(common, innerType), innerColumns.get(innerIndex), true, false));
        }
        if (outer instanceof RexInputRef reference) {
          outerRefs[i] = reference.getIndex();
        } else {
          outerRefs[i] = outerColumns.size();
          outerColumns.add(outer);
        }
        innerRefs[i] = innerIndex;
      }
      RelNode outerRel = current;
      if (outerColumns.size() > width(current)) {
        outerRel =
            LogicalProject.create(
                current, List.of(), outerColumns, names(current, outerColumns.size()), Set.of());
      }
      RelNode innerRel = inner.rel();
      if (!innerColumns.equals(rexBuilder.identityProjects(innerRel.getRowType()))) {
        innerRel =
            LogicalProject.create(
                innerRel, List.of(), innerColumns, innerRel.getRowType().getFieldNames(), Set.of());
      }
      int leftWidth = width(outerRel);
      List<RelDataTypeField> leftFields = outerRel.getRowType().getFieldList();
      List<RelDataTypeField> rightFields = innerRel.getRowType().getFieldList();
      for (int i = 0; i < outerRefs.length; i++) {
        boolean comparison = i < comparedOuter.size();
        conditions.add(
            rexBuilder.makeCall(
                comparison ? SqlStdOperatorTable.EQUALS : SqlStdOperatorTable.IS_NOT_DISTINCT_FROM,
                rexBuilder.makeInputRef(leftFields.get(outerRefs[i]).getType(), outerRefs[i]),
                rexBuilder.makeInputRef(
                    rightFields.get(innerRefs[i]).getType(), leftWidth + innerRefs[i])));
      }
      if (inner.residual() != null) {
        int shift = leftWidth - outerWidth;
        conditions.add(
            inner
                .residual()
                .accept(
                    new RexShuttle() {
                      @Override
                      public RexNode visitInputRef(RexInputRef reference) {
                        int index = reference.getIndex();
                        return index < outerWidth
                            ? reference
                            : new RexInputRef(index + shift, reference.getType());
                      }
                    }));
      }
      RexNode condition = RexUtil.composeConjunction(rexBuilder, conditions);
      Join join =
          LogicalJoin.create(
              outerRel, innerRel, List.of(), condition, Set.of(), JoinRelType.LEFT_MARK);
      current = join;
      RelDataTypeField mark = join.getRowType().getFieldList().get(leftWidth);
      RexNode markRef = rexBuilder.makeInputRef(mark.getType(), leftWidth);
      return rexBuilder.ensureType(subQuery.getType(), markRef, true);
    }

    private static List<String> names(RelNode input, int count) {
      List<String> names = new ArrayList<>(input.getRowType().getFieldNames());
      while (names.size() < count) {
        names.add("$m" + names.size());
      }
      return names.subList(0, count);
    }

    private boolean sameIgnoringNullability(RelDataType a, RelDataType b) {
      return rexBuilder
          .getTypeFactory()
          .createTypeWithNullability(a, true)
          .equals(rexBuilder.getTypeFactory().createTypeWithNullability(b, true));
    }

    private RelDataType nullableLike(RelDataType type, RelDataType like) {
      return rexBuilder.getTypeFactory().createTypeWithNullability(type, like.isNullable());
    }
  }

  /**
   * After the logical rules: each filter whose condition has the conjunct {@code NOT mark} over the
   * LEFT_MARK join of that mark (a {@code NOT IN}), with no other use of the mark in the condition,
   * becomes a null-aware ANTI join (the outer rows whose mark is FALSE) under the filter's other
   * conjuncts, with the mark column kept as a FALSE literal for the consumers.
   */
  static RelNode nullAwareAntiJoins(RelNode plan) {
    return plan.accept(
        new RelHomogeneousShuttle() {
          @Override
          public RelNode visit(RelNode other) {
            RelNode visited = super.visit(other);
            if (visited instanceof Filter filter
                && filter.getInput() instanceof Join join
                && join.getJoinType() == JoinRelType.LEFT_MARK) {
              return antiJoin(filter, join);
            }
            return visited;
          }
        });
  }

  private static RelNode antiJoin(Filter filter, Join join) {
    int mark = width(join.getLeft());
    RexBuilder rexBuilder = filter.getCluster().getRexBuilder();
    List<RexNode> rest = new ArrayList<>();
    boolean negated = false;
    for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
      if (!negated
          && conjunct.getKind() == SqlKind.NOT
          && ((RexCall) conjunct).getOperands().get(0) instanceof RexInputRef reference
          && reference.getIndex() == mark) {
        negated = true;
      } else if (RelOptUtil.InputFinder.bits(conjunct).get(mark)) {
        return filter;
      } else {
        rest.add(conjunct);
      }
    }
    if (!negated) {
      return filter;
    }
    RelNode anti =
        LogicalJoin.create(
            join.getLeft(),
            join.getRight(),
            List.of(RelHint.builder(NULL_AWARE).build()),
            join.getCondition(),
            Set.of(),
            JoinRelType.ANTI);
    RelNode filtered =
        rest.isEmpty()
            ? anti
            : LogicalFilter.create(anti, RexUtil.composeConjunction(rexBuilder, rest));
    List<RexNode> columns = new ArrayList<>(rexBuilder.identityProjects(anti.getRowType()));
    columns.add(
        rexBuilder.makeLiteral(false, join.getRowType().getFieldList().get(mark).getType()));
    return LogicalProject.create(
        filtered, List.of(), columns, join.getRowType().getFieldNames(), Set.of());
  }

  /** Whether {@code join} is a null-aware ANTI join made by {@link #nullAwareAntiJoins}. */
  static boolean isNullAware(Join join) {
    return join.getJoinType() == JoinRelType.ANTI
        && join.getHints().stream().anyMatch(hint -> hint.hintName.equals(NULL_AWARE));
  }
}
