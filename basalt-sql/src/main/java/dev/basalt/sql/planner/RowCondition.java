package dev.basalt.sql.planner;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.exec.expression.Expression;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.meta.catalog.PartitionMeta;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.sql.schema.CalciteSchemas;
import dev.basalt.sql.schema.PartitionPruner;
import dev.basalt.sql.schema.ScanPredicate;
import dev.basalt.sql.schema.TableDescriptor;
import dev.basalt.sql.type.CalciteTypes;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;

/**
 * The WHERE condition of a planned {@code SELECT * FROM t WHERE c}, as an expression over a batch
 * holding only the table columns it reads ({@code columns}, in that order, in the planner's types),
 * for statements that test stored rows themselves rather than run a query: DELETE on DUPLICATE and
 * AGGREGATE tables marks the rows of each segment the condition holds for, decoding only those
 * columns. Immutable.
 *
 * @param expression the condition over the {@code columns}, or null when the query has none (every
 *     row)
 * @param columns the table columns the condition reads, ascending (at least one when there is a
 *     condition)
 * @param pruning the condition's bounds on table columns (by table column index), for {@link
 *     dev.basalt.sql.schema.PartitionPruner} to skip the partitions where it cannot hold, as for a
 *     query with the same WHERE; null when there is no condition
 */
public record RowCondition(Expression expression, int[] columns, ScanPredicate pruning) {
  public RowCondition {
    columns = columns.clone();
  }

  /**
   * The partitions among {@code candidates} of {@code table} (a partitioned table's) where the
   * condition may hold; all of them without a condition.
   */
  public List<PartitionMeta> prune(TableMeta table, List<PartitionMeta> candidates) {
    if (pruning == null) {
      return candidates;
    }
    int[] identity = new int[table.columns().size()];
    for (int i = 0; i < identity.length; i++) {
      identity[i] = i;
    }
    return PartitionPruner.prune(table, candidates, identity, pruning);
  }

  /**
   * The condition of {@code query}, which must be {@code SELECT * FROM t [WHERE c]} with a
   * condition on {@code t}'s own columns.
   *
   * @throws BasaltException UNSUPPORTED when the condition is not a plain row condition (e.g. it
   *     has a subquery, which the planner turns into a join)
   */
  public static RowCondition of(
      PlannedQuery query, FunctionRegistry registry, EvaluationContext context) {
    RelNode node = query.plan();
    while (node instanceof Project project
        && project.getProjects().stream().allMatch(RexInputRef.class::isInstance)) {
      node = project.getInput();
    }
    if (node instanceof TableScan) {
      return new RowCondition(null, new int[0], null);
    }
    if (!(node instanceof Filter filter) || !(filter.getInput() instanceof TableScan scan)) {
      throw new BasaltException(
          ErrorCode.UNSUPPORTED,
          "DELETE conditions with subqueries on DUPLICATE and AGGREGATE tables");
    }
    TableDescriptor table = scan.getTable().unwrap(CalciteSchemas.BasaltTable.class).descriptor();
    RexNode condition = filter.getCondition();
    int[] used = RelOptUtil.InputFinder.bits(condition).toArray();
    if (used.length == 0) {
      // A constant condition still needs a column to count rows by.
      used = new int[] {0};
    }
    int[] position = new int[table.columns().size()];
    List<DataType> types = new ArrayList<>();
    for (int i = 0; i < used.length; i++) {
      position[used[i]] = i;
      types.add(CalciteTypes.plannedType(table.columns().get(used[i]).type()));
    }
    RexBuilder rexBuilder = filter.getCluster().getRexBuilder();
    RexNode overUsed =
        condition.accept(
            new RexShuttle() {
              @Override
              public RexNode visitInputRef(RexInputRef reference) {
                return rexBuilder.makeInputRef(reference.getType(), position[reference.getIndex()]);
              }
            });
    ExpressionTranslator translator = new ExpressionTranslator(registry, rexBuilder);
    Expression expression = translator.translate(overUsed, types);
    List<DataType> tableTypes = new ArrayList<>();
    for (var column : table.columns()) {
      tableTypes.add(CalciteTypes.plannedType(column.type()));
    }
    OperatorBuilder.ScanBounds bounds =
        OperatorBuilder.scanBounds(rexBuilder, condition, tableTypes, translator, context);
    ScanPredicate pruning =
        new ScanPredicate(
            null, new int[0], null, bounds.bounds(), "", List.of(), bounds.alternatives());
    return new RowCondition(expression, used, pruning);
  }
}
