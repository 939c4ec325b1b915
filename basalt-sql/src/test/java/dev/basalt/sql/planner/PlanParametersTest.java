package dev.basalt.sql.planner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.sql.schema.ColumnDescriptor;
import dev.basalt.sql.schema.SchemaProvider;
import dev.basalt.sql.schema.TableDescriptor;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.plan.RelOptUtil;
import org.junit.jupiter.api.Test;

/**
 * Which plans with {@code ?} placeholders are reusable, and which values bind into them: a value
 * binds only where the literal text would mean exactly the same.
 */
class PlanParametersTest {
  private static final TableDescriptor ITEMS =
      new TableDescriptor(
          "shop",
          "items",
          List.of(
              new ColumnDescriptor("id", DataType.BIGINT, false),
              new ColumnDescriptor("small", DataType.TINYINT, true),
              new ColumnDescriptor("name", DataType.varchar(10), true),
              new ColumnDescriptor("price", DataType.decimal(6, 2), true),
              new ColumnDescriptor("weight", DataType.DOUBLE, true)),
          "items");

  private static final SchemaProvider SHOP =
      new SchemaProvider() {
        @Override
        public List<String> databaseNames() {
          return List.of("shop");
        }

        @Override
        public List<TableDescriptor> tables(String database) {
          return database.equals("shop") ? List.of(ITEMS) : List.of();
        }

        @Override
        public Optional<TableDescriptor> table(String database, String name) {
          return tables(database).stream().filter(t -> t.name().equals(name)).findFirst();
        }
      };

  private static final VariableResolver NO_VARIABLES = NoVariables.INSTANCE;

  private final QueryPlanner planner = new QueryPlanner(FunctionRegistry.builtins());

  private PlanParameters parameters(String sql) {
    return PlanParameters.of(planner.plan(sql, SHOP, "shop", NO_VARIABLES));
  }

  private String bound(PlanParameters parameters, Object... values) {
    PlannedQuery plan = parameters.bind(Arrays.asList(values));
    return plan == null ? null : RelOptUtil.toString(plan.plan());
  }

  @Test
  void placeholdersInComparisonsAreReusable() {
    PlanParameters lookup = parameters("SELECT name FROM items WHERE id = ?");
    assertThat(lookup).isNotNull();
    assertThat(lookup.count()).isEqualTo(1);
    assertThat(lookup.tablesRead()).extracting(TableDescriptor::name).containsExactly("items");
    assertThat(RelOptUtil.toString(lookup.plan().plan())).contains("?0");
    String plan = bound(lookup, 42L);
    assertThat(plan).contains("42").doesNotContain("?0");
    // The cached plan itself is unchanged: every execution binds its own values.
    assertThat(bound(lookup, 7L)).contains("7").doesNotContain("42");
    assertThat(parameters("SELECT id FROM items WHERE small >= ? AND name = ?").count())
        .isEqualTo(2);
  }

  @Test
  void placeholdersWhoseTypeShapesThePlanAreNotReusable() {
    assertThat(reusable("SELECT id, ? FROM items")).isFalse();
    assertThat(reusable("SELECT id FROM items WHERE id + ? = 3")).isFalse();
    assertThat(reusable("SELECT id FROM items WHERE abs(?) > id")).isFalse();
    assertThat(reusable("SELECT id FROM items WHERE ? = ?")).isFalse();
    assertThat(reusable("SELECT id FROM items WHERE id = ? LIMIT ?")).isFalse();
  }

  /** As the plan cache decides: a plan that fails with placeholders is not reusable either. */
  private boolean reusable(String sql) {
    try {
      return parameters(sql) != null;
    } catch (RuntimeException notPlannable) {
      return false;
    }
  }

  @Test
  void onlyValuesExactlyRepresentableInThePlaceholderTypeBind() {
    PlanParameters small = parameters("SELECT id FROM items WHERE small = ?");
    assertThat(bound(small, 127L)).isNotNull();
    assertThat(bound(small, 128L)).isNull();
    assertThat(bound(small, "5")).isNull();
    assertThat(bound(small, 5.0)).isNull();
    assertThat(bound(small, (Object) null)).isNull();
    assertThat(bound(small, new BigDecimal("5.00"))).isNotNull();
    assertThat(bound(small, new BigDecimal("5.5"))).isNull();

    PlanParameters price = parameters("SELECT id FROM items WHERE price = ?");
    assertThat(bound(price, new BigDecimal("1234.5"))).isNotNull();
    assertThat(bound(price, new BigDecimal("1.255"))).isNull();
    assertThat(bound(price, new BigDecimal("12345.5"))).isNull();

    PlanParameters weight = parameters("SELECT id FROM items WHERE weight < ?");
    assertThat(bound(weight, 0.25)).isNotNull();
    assertThat(bound(weight, 3L)).isNotNull();
    assertThat(bound(weight, Double.NaN)).isNull();

    PlanParameters name = parameters("SELECT id FROM items WHERE name = ?");
    assertThat(bound(name, "a name longer than ten")).contains("a name longer than ten");
    assertThat(bound(name, 5L)).isNull();
  }
}
