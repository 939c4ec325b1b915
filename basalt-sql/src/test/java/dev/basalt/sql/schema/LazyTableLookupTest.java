package dev.basalt.sql.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.type.DataType;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.sql.planner.NoVariables;
import dev.basalt.sql.planner.PlannedQuery;
import dev.basalt.sql.planner.QueryPlanner;
import dev.basalt.sql.planner.VariableResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A plan describes only the tables its statement names, however many tables the database has: the
 * plan cache keeps plans, and each plan keeps its schema (docs/architecture.md, "Plan cache").
 */
class LazyTableLookupTest {
  private static final int TABLES = 1_000;

  /** A database {@code db} of tables {@code t0} ... {@code t999} that counts what is described. */
  private static final class CountingProvider implements SchemaProvider {
    final List<String> described = new ArrayList<>();
    int listings;

    @Override
    public List<String> databaseNames() {
      return List.of("db");
    }

    @Override
    public List<TableDescriptor> tables(String database) {
      listings++;
      List<TableDescriptor> tables = new ArrayList<>();
      for (String name : tableNames(database)) {
        tables.add(table(database, name).orElseThrow());
      }
      return tables;
    }

    @Override
    public List<String> tableNames(String database) {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < TABLES; i++) {
        names.add("t" + i);
      }
      return names;
    }

    @Override
    public Optional<TableDescriptor> table(String database, String name) {
      if (!name.matches("t[0-9]+") || Integer.parseInt(name.substring(1)) >= TABLES) {
        return Optional.empty();
      }
      described.add(name);
      return Optional.of(
          new TableDescriptor(
              database,
              name,
              List.of(
                  new ColumnDescriptor("k", DataType.BIGINT, false),
                  new ColumnDescriptor("v", DataType.BIGINT, true)),
              name));
    }
  }

  private static final VariableResolver NO_VARIABLES = NoVariables.INSTANCE;

  private final QueryPlanner planner = new QueryPlanner(FunctionRegistry.builtins());

  @Test
  void aPlanDescribesOnlyTheTablesItNames() {
    CountingProvider provider = new CountingProvider();

    PlannedQuery plan =
        planner.plan(
            "SELECT t7.k, SUM(t912.v) FROM t7 JOIN t912 ON t7.k = t912.k GROUP BY t7.k",
            provider,
            "db",
            NO_VARIABLES);

    assertThat(plan.tablesRead()).extracting(TableDescriptor::name).containsExactly("t7", "t912");
    assertThat(provider.listings).as("tables described by listing the database").isZero();
    assertThat(provider.described).containsOnly("t7", "t912");
  }

  @Test
  void namesAreMatchedIgnoringCaseOverTheNamesAlone() {
    CountingProvider provider = new CountingProvider();

    PlannedQuery plan = planner.plan("SELECT k FROM T42", provider, "db", NO_VARIABLES);

    assertThat(plan.tablesRead()).extracting(TableDescriptor::name).containsExactly("t42");
    assertThat(provider.listings).isZero();
    assertThat(provider.described).containsOnly("t42");
  }

  @Test
  void anUnknownTableIsStillReported() {
    CountingProvider provider = new CountingProvider();

    assertThatThrownBy(() -> planner.plan("SELECT k FROM t1000", provider, "db", NO_VARIABLES))
        .hasMessageContaining("t1000");
    assertThat(provider.listings).isZero();
  }
}
