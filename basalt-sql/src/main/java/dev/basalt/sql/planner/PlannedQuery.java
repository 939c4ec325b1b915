package dev.basalt.sql.planner;

import dev.basalt.common.result.ResultColumn;
import java.util.List;
import org.apache.calcite.rel.RelNode;

/**
 * A query after Calcite's validation and Basalt's logical optimization: the relational plan whose
 * output columns are exactly {@code columns}.
 */
public record PlannedQuery(RelNode plan, List<ResultColumn> columns) {
  public PlannedQuery {
    columns = List.copyOf(columns);
  }
}
