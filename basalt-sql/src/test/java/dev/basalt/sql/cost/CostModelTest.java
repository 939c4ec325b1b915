package dev.basalt.sql.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.basalt.common.type.DataType;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.meta.statistics.ColumnStatistics;
import dev.basalt.sql.planner.NoVariables;
import dev.basalt.sql.planner.QueryPlanner;
import dev.basalt.sql.planner.VariableResolver;
import dev.basalt.sql.schema.ColumnDescriptor;
import dev.basalt.sql.schema.PlannerStatistics;
import dev.basalt.sql.schema.SchemaProvider;
import dev.basalt.sql.schema.TableDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.junit.jupiter.api.Test;

/**
 * The cost model's estimates on planned queries, and the join order and build sides they lead to.
 * Tables: orders (1,000,000 rows, 100,000 customers), customer (100,000 rows, 25 nations), nation
 * (25 rows).
 */
class CostModelTest {
  private static final QueryPlanner PLANNER = new QueryPlanner(FunctionRegistry.builtins());

  private static final VariableResolver NO_VARIABLES = NoVariables.INSTANCE;

  private static ColumnStatistics key(String name, long rows) {
    return new ColumnStatistics(0, name, rows, rows, 0, rows * 8, "1", "" + rows, 1.0, rows + 0.0);
  }

  private static ColumnStatistics foreign(String name, long rows, long ndv) {
    return new ColumnStatistics(0, name, rows, ndv, 0, rows * 8, "1", "" + ndv, 1.0, ndv + 0.0);
  }

  private static TableDescriptor table(
      String name, long rows, boolean analyzed, Map<String, ColumnStatistics> columns) {
    List<ColumnDescriptor> descriptors = new ArrayList<>();
    List<ColumnStatistics> stats = new ArrayList<>();
    for (var column : columns.entrySet()) {
      descriptors.add(new ColumnDescriptor(column.getKey(), DataType.BIGINT, false));
      stats.add(analyzed ? column.getValue() : null);
    }
    return new TableDescriptor(
        "db", name, descriptors, name, () -> new PlannerStatistics((double) rows, stats));
  }

  private static Map<String, ColumnStatistics> ordered(
      String firstName, ColumnStatistics first, String secondName, ColumnStatistics second) {
    Map<String, ColumnStatistics> columns = new LinkedHashMap<>();
    columns.put(firstName, first);
    columns.put(secondName, second);
    return columns;
  }

  private static SchemaProvider schema(boolean analyzed) {
    List<TableDescriptor> tables =
        List.of(
            table(
                "orders",
                1_000_000,
                analyzed,
                ordered(
                    "o_orderkey", key("o_orderkey", 1_000_000),
                    "o_custkey", foreign("o_custkey", 1_000_000, 100_000))),
            table(
                "customer",
                100_000,
                analyzed,
                ordered(
                    "c_custkey", key("c_custkey", 100_000),
                    "c_nationkey", foreign("c_nationkey", 100_000, 25))),
            table(
                "nation",
                25,
                analyzed,
                ordered(
                    "n_nationkey", key("n_nationkey", 25), "n_regionkey", foreign("r", 25, 5))));
    return new SchemaProvider() {
      @Override
      public List<String> databaseNames() {
        return List.of("db");
      }

      @Override
      public List<TableDescriptor> tables(String database) {
        return database.equals("db") ? tables : List.of();
      }

      @Override
      public Optional<TableDescriptor> table(String database, String name) {
        return tables(database).stream().filter(t -> t.name().equals(name)).findFirst();
      }
    };
  }

  private static RelNode plan(String sql, boolean analyzed) {
    return PLANNER.plan(sql, schema(analyzed), "db", NO_VARIABLES).plan();
  }

  private static Join topJoin(RelNode node) {
    if (node instanceof Join join) {
      return join;
    }
    for (RelNode input : node.getInputs()) {
      Join found = topJoin(input);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static List<String> scans(RelNode node, List<String> into) {
    if (node instanceof TableScan scan) {
      into.add(scan.getTable().getQualifiedName().get(1));
    }
    for (RelNode input : node.getInputs()) {
      scans(input, into);
    }
    return into;
  }

  /** Tables t0 .. t{count-1}: t_i has 1,000 * (i + 1) rows, a key k and a column n. */
  private static SchemaProvider chain(int count) {
    List<TableDescriptor> tables = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long rows = 1_000L * (i + 1);
      tables.add(
          table("t" + i, rows, true, ordered("k", key("k", rows), "n", foreign("n", rows, 1_000))));
    }
    return new SchemaProvider() {
      @Override
      public List<String> databaseNames() {
        return List.of("db");
      }

      @Override
      public List<TableDescriptor> tables(String database) {
        return database.equals("db") ? tables : List.of();
      }

      @Override
      public Optional<TableDescriptor> table(String database, String name) {
        return tables(database).stream().filter(t -> t.name().equals(name)).findFirst();
      }
    };
  }

  private static String chainQuery(int count) {
    StringBuilder sql = new StringBuilder("SELECT count(*) FROM t0");
    for (int i = 1; i < count; i++) {
      sql.append(" JOIN t").append(i).append(" ON t").append(i).append(".n = t");
      sql.append(i - 1).append(".k");
    }
    return sql.toString();
  }

  @Test
  void manyWayJoinsAreOrderedUpToTheCapAndKeepTheirOrderAboveIt() {
    int ordered = JoinOrder.MAX_FACTORS;
    RelNode within = PLANNER.plan(chainQuery(ordered), chain(ordered), "db", NO_VARIABLES).plan();
    List<String> withinOrder = scans(within, new ArrayList<>());
    assertThat(withinOrder).hasSize(ordered).first().isNotEqualTo("t0");

    int tooMany = JoinOrder.MAX_FACTORS + 1;
    RelNode above = PLANNER.plan(chainQuery(tooMany), chain(tooMany), "db", NO_VARIABLES).plan();
    List<String> fromOrder = new ArrayList<>();
    for (int i = 0; i < tooMany; i++) {
      fromOrder.add("t" + i);
    }
    assertThat(scans(above, new ArrayList<>())).isEqualTo(fromOrder);
  }

  @Test
  void joinCardinalityIsTheProductOverTheLargerNdv() {
    RelNode plan =
        plan("SELECT * FROM customer c JOIN orders o ON o.o_custkey = c.c_custkey", true);
    Join join = topJoin(plan);
    RelMetadataQuery mq = join.getCluster().getMetadataQuery();
    assertThat(mq.getRowCount(join)).isCloseTo(1_000_000.0, within(1.0));
  }

  @Test
  void filtersShrinkJoinKeysNdv() {
    RelNode plan =
        plan(
            "SELECT * FROM customer c JOIN nation n ON c.c_nationkey = n.n_nationkey"
                + " WHERE n.n_nationkey = 7",
            true);
    Join join = topJoin(plan);
    RelMetadataQuery mq = join.getCluster().getMetadataQuery();
    // One nation survives; a 25th of the customers match it.
    assertThat(mq.getRowCount(join)).isCloseTo(4_000.0, within(400.0));
  }

  @Test
  void threeWayJoinProbesTheLargestTableAndBuildsTheSmallest() {
    String sql =
        "SELECT count(*) FROM nation n JOIN customer c ON c.c_nationkey = n.n_nationkey"
            + " JOIN orders o ON o.o_custkey = c.c_custkey";
    assertThat(scans(plan(sql, false), new ArrayList<>()))
        .as("without statistics: FROM order")
        .containsExactly("nation", "customer", "orders");
    RelNode analyzed = plan(sql, true);
    List<String> order = scans(analyzed, new ArrayList<>());
    assertThat(order).as(RelOptUtil.toString(analyzed)).startsWith("orders");
    Join top = topJoin(analyzed);
    RelMetadataQuery mq = top.getCluster().getMetadataQuery();
    assertThat(mq.getRowCount(top.getRight())).isLessThanOrEqualTo(mq.getRowCount(top.getLeft()));
  }
}
