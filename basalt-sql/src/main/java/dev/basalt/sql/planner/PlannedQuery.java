package dev.basalt.sql.planner;

import dev.basalt.common.result.ResultColumn;
import dev.basalt.sql.schema.CalciteSchemas;
import dev.basalt.sql.schema.TableDescriptor;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * A query after Calcite's validation and Basalt's logical optimization: the relational plan whose
 * output columns are exactly {@code columns}.
 */
public record PlannedQuery(RelNode plan, List<ResultColumn> columns) {
  public PlannedQuery {
    columns = List.copyOf(columns);
  }

  /** Every table the plan reads, user and system tables alike (a self-join lists it twice). */
  public List<TableDescriptor> tablesRead() {
    List<TableDescriptor> tables = new ArrayList<>();
    for (TableRead read : tableReads()) {
      tables.add(read.table());
    }
    return tables;
  }

  /**
   * Every scan of a table in the plan, with the columns it reads, found in plan order (also in
   * subqueries still held in expressions). The planner trims unused columns with a Project right
   * above each scan, so the columns read are that Project's input references; a scan without one
   * reads every column.
   */
  public List<TableRead> tableReads() {
    List<TableRead> reads = new ArrayList<>();
    collectReads(plan, null, reads);
    return reads;
  }

  /** The input columns an aggregate reads: its groups, its calls' arguments and filters. */
  private static ImmutableBitSet aggregateInputs(Aggregate aggregate) {
    ImmutableBitSet.Builder used = ImmutableBitSet.builder();
    used.addAll(aggregate.getGroupSet());
    for (AggregateCall call : aggregate.getAggCallList()) {
      used.addAll(call.getArgList());
      if (call.filterArg >= 0) {
        used.set(call.filterArg);
      }
      for (org.apache.calcite.rel.RelFieldCollation collation :
          call.getCollation().getFieldCollations()) {
        used.set(collation.getFieldIndex());
      }
    }
    return used.build();
  }

  private static void collectReads(RelNode node, RelNode parent, List<TableRead> reads) {
    if (node instanceof TableScan scan) {
      CalciteSchemas.BasaltTable basalt = scan.getTable().unwrap(CalciteSchemas.BasaltTable.class);
      if (basalt != null) {
        List<String> names = scan.getRowType().getFieldNames();
        ImmutableBitSet used =
            switch (parent) {
              case Project project -> RelOptUtil.InputFinder.bits(project.getProjects(), null);
              case Aggregate aggregate -> aggregateInputs(aggregate);
              case null, default -> ImmutableBitSet.range(names.size());
            };
        List<String> columns = new ArrayList<>();
        for (int index : used) {
          columns.add(names.get(index));
        }
        reads.add(new TableRead(basalt.descriptor(), columns, basalt.viewPath()));
      }
    }
    node.accept(
        new RexShuttle() {
          @Override
          public RexNode visitSubQuery(RexSubQuery subQuery) {
            collectReads(subQuery.rel, null, reads);
            return subQuery;
          }
        });
    for (RelNode input : node.getInputs()) {
      collectReads(input, node, reads);
    }
  }
}
