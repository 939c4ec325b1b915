package dev.basalt.sql.planner;

import dev.basalt.common.result.ResultColumn;
import dev.basalt.sql.schema.CalciteSchemas;
import dev.basalt.sql.schema.TableDescriptor;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;

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
    for (RelOptTable table : RelOptUtil.findAllTables(plan)) {
      CalciteSchemas.BasaltTable basalt = table.unwrap(CalciteSchemas.BasaltTable.class);
      if (basalt != null) {
        tables.add(basalt.descriptor());
      }
    }
    return tables;
  }
}
