package dev.basalt.sql.cost;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.List;
import java.util.Optional;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.sql.SqlKind;
import org.junit.jupiter.api.Test;

/**
 * Join orders of TPC-H queries planned against the statistics ANALYZE TABLE gives at scale factor 1
 * (row counts, NDVs, min and max of the columns the queries read).
 */
class TpchJoinOrderTest {
  private static final QueryPlanner PLANNER = new QueryPlanner(FunctionRegistry.builtins());

  private static final VariableResolver NO_VARIABLES = NoVariables.INSTANCE;

  /** One column: name, type, NDV, min and max (numbers or text). */
  private record Column(String name, DataType type, long ndv, String min, String max) {}

  private static Column number(String name, long ndv, long min, long max) {
    return new Column(name, DataType.BIGINT, ndv, "" + min, "" + max);
  }

  private static Column money(String name, long ndv, String min, String max) {
    return new Column(name, DataType.decimal(15, 2), ndv, min, max);
  }

  private static Column text(String name, long ndv) {
    return new Column(name, DataType.varchar(152), ndv, "A", "z");
  }

  private static TableDescriptor table(String name, long rows, Column... columns) {
    List<ColumnDescriptor> descriptors = new ArrayList<>();
    List<ColumnStatistics> statistics = new ArrayList<>();
    for (Column column : columns) {
      descriptors.add(new ColumnDescriptor(column.name(), column.type(), false));
      boolean numeric = !column.type().equals(DataType.varchar(152));
      statistics.add(
          new ColumnStatistics(
              0,
              column.name(),
              rows,
              column.ndv(),
              0,
              rows * 8,
              column.min(),
              column.max(),
              numeric ? Double.parseDouble(column.min()) : null,
              numeric ? Double.parseDouble(column.max()) : null));
    }
    return new TableDescriptor(
        "tpch", name, descriptors, name, () -> new PlannerStatistics((double) rows, statistics));
  }

  private static final List<TableDescriptor> TABLES =
      List.of(
          table(
              "part",
              200_000,
              number("p_partkey", 198_299, 1, 200_000),
              text("p_name", 199_411),
              text("p_mfgr", 5),
              text("p_brand", 25),
              text("p_type", 151),
              number("p_size", 50, 1, 50),
              text("p_container", 40)),
          table(
              "partsupp",
              800_000,
              number("ps_partkey", 198_299, 1, 200_000),
              number("ps_suppkey", 9_995, 1, 10_000),
              number("ps_availqty", 9_993, 1, 9_999),
              money("ps_supplycost", 99_521, "1.00", "1000.00")),
          table(
              "supplier",
              10_000,
              number("s_suppkey", 9_995, 1, 10_000),
              text("s_name", 9_986),
              text("s_address", 9_952),
              number("s_nationkey", 25, 0, 24),
              text("s_phone", 9_991),
              money("s_acctbal", 9_903, "-998.22", "9999.72"),
              text("s_comment", 9_952)),
          table(
              "nation",
              25,
              number("n_nationkey", 25, 0, 24),
              text("n_name", 25),
              number("n_regionkey", 5, 0, 4)),
          table("region", 5, number("r_regionkey", 5, 0, 4), text("r_name", 5)),
          table(
              "customer",
              150_000,
              number("c_custkey", 150_000, 1, 150_000),
              number("c_nationkey", 25, 0, 24)),
          table(
              "orders",
              1_500_000,
              number("o_orderkey", 1_500_000, 1, 6_000_000),
              number("o_custkey", 99_996, 1, 149_999),
              text("o_comment", 1_482_071)));

  private static final SchemaProvider SCHEMA =
      new SchemaProvider() {
        @Override
        public List<String> databaseNames() {
          return List.of("tpch");
        }

        @Override
        public List<TableDescriptor> tables(String database) {
          return database.equals("tpch") ? TABLES : List.of();
        }

        @Override
        public Optional<TableDescriptor> table(String database, String name) {
          return tables(database).stream().filter(t -> t.name().equals(name)).findFirst();
        }
      };

  private static RelNode plan(String sql) {
    return PLANNER.plan(sql, SCHEMA, "tpch", NO_VARIABLES).plan();
  }

  private static final String Q02 =
      """
      select s_acctbal, s_name, n_name, p_partkey, p_mfgr, s_address, s_phone, s_comment
      from part, supplier, partsupp, nation, region
      where p_partkey = ps_partkey and s_suppkey = ps_suppkey and p_size = 15
        and p_type like '%BRASS' and s_nationkey = n_nationkey and n_regionkey = r_regionkey
        and r_name = 'EUROPE'
        and ps_supplycost = (
          select min(ps_supplycost) from partsupp, supplier, nation, region
          where p_partkey = ps_partkey and s_suppkey = ps_suppkey
            and s_nationkey = n_nationkey and n_regionkey = r_regionkey and r_name = 'EUROPE')
      order by s_acctbal desc, n_name, s_name, p_partkey
      limit 100
      """;

  /**
   * The decorrelated MIN subquery is joined with the filtered parts (about 400 estimated rows)
   * before anything else, so the parts' keys filter the subquery's partsupp scan through the
   * aggregate; the greedy left-deep order joined the 800,000 partsupp rows with the whole aggregate
   * on the supply cost first.
   */
  @Test
  void q02JoinsTheSubqueryAggregateWithTheFilteredParts() {
    RelNode plan = plan(Q02);
    Join aggregateJoin = joinOver(plan, Aggregate.class);
    assertThat(aggregateJoin).as(RelOptUtil.toString(plan)).isNotNull();
    RelNode other =
        aggregateJoin.getLeft() instanceof Aggregate
            ? aggregateJoin.getRight()
            : aggregateJoin.getLeft();
    assertThat(scans(other, new ArrayList<>()))
        .as(RelOptUtil.toString(plan))
        .containsExactly("part");
  }

  /**
   * q13's 150,000 customers LEFT JOIN 1.5M orders becomes orders RIGHT JOIN customers: the hash
   * table holds the customers (the join's right input, its build side), not the orders.
   */
  @Test
  void q13HashesTheCustomersNotTheOrders() {
    RelNode plan =
        plan(
            """
            select c_count, count(*) as custdist
            from (
              select c_custkey, count(o_orderkey) as c_count
              from customer left outer join orders
                on c_custkey = o_custkey and o_comment not like '%special%requests%'
              group by c_custkey
            ) as c_orders
            group by c_count
            order by custdist desc, c_count desc
            """);
    Join join = firstJoin(plan);
    assertThat(join.getJoinType()).as(RelOptUtil.toString(plan)).isEqualTo(JoinRelType.RIGHT);
    assertThat(scans(join.getRight(), new ArrayList<>()))
        .as(RelOptUtil.toString(plan))
        .containsExactly("customer");
  }

  /** A LEFT join whose right input is the smaller one keeps it as its build side. */
  @Test
  void leftJoinOfASmallRightInputStaysLeft() {
    RelNode plan =
        plan(
            "select c_custkey, n_name from customer left join nation on c_nationkey = n_nationkey");
    Join join = firstJoin(plan);
    assertThat(join.getJoinType()).as(RelOptUtil.toString(plan)).isEqualTo(JoinRelType.LEFT);
    assertThat(scans(join.getRight(), new ArrayList<>()))
        .as(RelOptUtil.toString(plan))
        .containsExactly("nation");
  }

  private static Join firstJoin(RelNode node) {
    if (node instanceof Join join) {
      return join;
    }
    for (RelNode input : node.getInputs()) {
      Join found = firstJoin(input);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** The first join whose left or right input is a {@code type} node, or null. */
  private static Join joinOver(RelNode node, Class<? extends RelNode> type) {
    if (node instanceof Join join
        && (type.isInstance(join.getLeft()) || type.isInstance(join.getRight()))) {
      return join;
    }
    for (RelNode input : node.getInputs()) {
      Join found = joinOver(input, type);
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

  /**
   * q07's OR of two nation pairs restricts each nation scan to the two names: both scans are
   * filtered below the joins.
   */
  @Test
  void q07NationPairsFilterEachNationScan() {
    RelNode plan =
        plan(
            """
            select count(*) from supplier, partsupp, nation n1, nation n2
            where s_suppkey = ps_suppkey and s_nationkey = n1.n_nationkey
              and ps_availqty = n2.n_nationkey
              and ((n1.n_name = 'FRANCE' and n2.n_name = 'GERMANY')
                or (n1.n_name = 'GERMANY' and n2.n_name = 'FRANCE'))
            """);
    List<String> filteredScans = new ArrayList<>();
    collectScansUnderFilters(plan, false, filteredScans);
    assertThat(filteredScans).as(RelOptUtil.toString(plan)).containsExactly("nation", "nation");
  }

  /**
   * q19's shape: an OR of conjunctions that share the join's equality. The equality comes out of
   * the OR as the join's own condition (a hash key), and each input's part of the OR filters its
   * scan below the join.
   */
  @Test
  void q19SharedEqualityKeysTheJoinAndEachSideIsFilteredInItsScan() {
    RelNode plan =
        plan(
            """
            select count(*) from partsupp, part
            where (p_partkey = ps_partkey and p_brand = 'Brand#12' and ps_availqty between 1 and 11
                   and p_size between 1 and 5)
               or (p_partkey = ps_partkey and p_brand = 'Brand#23' and ps_availqty between 10 and 20
                   and p_size between 1 and 10)
            """);
    List<String> filteredScans = new ArrayList<>();
    collectScansUnderFilters(plan, false, filteredScans);
    assertThat(filteredScans)
        .as(RelOptUtil.toString(plan))
        .containsExactlyInAnyOrder("part", "partsupp");
    Join join = joinOver(plan, RelNode.class);
    assertThat(RelOptUtil.conjunctions(join.getCondition()))
        .as(RelOptUtil.toString(plan))
        .anyMatch(conjunct -> conjunct.getKind() == SqlKind.EQUALS);
  }

  /** The names of the tables scanned with a filter right above them (through projections). */
  private static void collectScansUnderFilters(RelNode node, boolean filtered, List<String> into) {
    if (node instanceof TableScan scan && filtered) {
      into.add(scan.getTable().getQualifiedName().get(1));
    }
    for (RelNode input : node.getInputs()) {
      boolean below = node instanceof Filter || filtered && node instanceof Project;
      collectScansUnderFilters(input, below, into);
    }
  }
}
