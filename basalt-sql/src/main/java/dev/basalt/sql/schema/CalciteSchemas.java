package dev.basalt.sql.schema;

import dev.basalt.sql.type.CalciteTypes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.schema.lookup.Named;

/**
 * Exposes a {@link SchemaProvider} to Calcite as a root schema with one sub-schema per database.
 */
public final class CalciteSchemas {
  private CalciteSchemas() {}

  public static CalciteSchema root(SchemaProvider provider) {
    return root(provider, java.util.Set.of());
  }

  /**
   * As {@link #root(SchemaProvider)}, where each database also has the tables named in {@code
   * partitionReferences} ({@code t PARTITION(p1,p2)}, from a query's {@code FROM t PARTITION (p1,
   * p2)}): table {@code t} restricted to those partitions.
   */
  public static CalciteSchema root(
      SchemaProvider provider, java.util.Set<String> partitionReferences) {
    return root(provider, partitionReferences, null, List.of());
  }

  /**
   * As {@link #root(SchemaProvider, java.util.Set)}, where each database also has its views, typed
   * by {@code views} (null: no views), and every table is marked as read through the views of
   * {@code viewPath} (outermost first; empty: read by the query itself), for the privilege check of
   * views' definer rights.
   */
  public static CalciteSchema root(
      SchemaProvider provider,
      java.util.Set<String> partitionReferences,
      ViewTyper views,
      List<ViewDescriptor> viewPath) {
    CalciteSchema root = CalciteSchema.createRootSchema(false, false);
    for (String database : provider.databaseNames()) {
      root.add(
          database, new DatabaseSchema(provider, database, partitionReferences, views, viewPath));
    }
    return root;
  }

  /**
   * Gives a view its row type by validating its query (the planner implements it). Called at most
   * once per view per root schema.
   */
  @FunctionalInterface
  public interface ViewTyper {
    RelDataType rowType(ViewDescriptor view, RelDataTypeFactory typeFactory);
  }

  /** The marker between a table name and its partition list, as {@code SqlText} writes it. */
  private static final String PARTITION_MARKER = " PARTITION(";

  /**
   * What precedes {@link #PARTITION_MARKER} in a {@code t TEMPORARY PARTITION(tp1)} reference, as
   * {@code SqlText} writes it.
   */
  private static final String TEMPORARY_SUFFIX = " TEMPORARY";

  /**
   * The tables of one database, each looked up when Calcite first asks for it by name and then
   * kept: one plan sees one version of each table (its {@link TableDescriptor} and the immutable
   * catalog definition in its handle) from validation to execution, however DDL changes the catalog
   * meanwhile. Without this, Calcite's validator and plan converter look a table up separately and
   * a DROP or RENAME in between left the converter with no table (docs/security.md, "DDL and
   * running statements").
   *
   * <p>Only the tables a statement names are described: a plan keeps its root schema, and the plan
   * cache keeps up to a thousand plans, so describing every table of a database with thousands of
   * tables made each cached plan hold them all (docs/architecture.md, "Plan cache"). Names are
   * matched exactly first, then ignoring case (the planner is case insensitive), over the names
   * alone. Not thread safe; a root schema serves one plan.
   */
  private static final class DatabaseSchema extends AbstractSchema {
    private final SchemaProvider provider;
    private final String database;
    private final java.util.Set<String> partitionReferences;
    private final ViewTyper views;
    private final List<ViewDescriptor> viewPath;

    /** Every name resolved so far, with its table; empty for a name that is not there. */
    private final Map<String, java.util.Optional<Table>> resolved = new java.util.HashMap<>();

    private final Lookup<Table> lookup = new TableLookup();

    DatabaseSchema(
        SchemaProvider provider,
        String database,
        java.util.Set<String> partitionReferences,
        ViewTyper views,
        List<ViewDescriptor> viewPath) {
      this.provider = provider;
      this.database = database;
      this.partitionReferences = partitionReferences;
      this.views = views;
      this.viewPath = viewPath;
    }

    @Override
    public Lookup<Table> tables() {
      return lookup;
    }

    /** Every table, view and partition reference; for Calcite's callers that list a schema. */
    @Override
    protected Map<String, Table> getTableMap() {
      Map<String, Table> listed = new LinkedHashMap<>();
      for (String name : names()) {
        Table table = table(name);
        if (table != null) {
          listed.putIfAbsent(name, table);
        }
      }
      return listed;
    }

    /** The names of the tables, then of the views, then the partition references, in that order. */
    private List<String> names() {
      List<String> names = new java.util.ArrayList<>(provider.tableNames(database));
      if (views != null) {
        for (ViewDescriptor view : provider.views(database)) {
          names.add(view.name());
        }
      }
      names.addAll(partitionReferences);
      return names;
    }

    /** The table, view or partition reference of exactly this name, or null. */
    private Table table(String name) {
      java.util.Optional<Table> known = resolved.get(name);
      if (known == null) {
        known = java.util.Optional.ofNullable(resolve(name));
        resolved.put(name, known);
      }
      return known.orElse(null);
    }

    private Table resolve(String name) {
      if (partitionReferences.contains(name)) {
        return partitionReference(name);
      }
      java.util.Optional<TableDescriptor> table = provider.table(database, name);
      if (table.isPresent()) {
        return new BasaltTable(table.get(), viewPath);
      }
      if (views != null) {
        for (ViewDescriptor view : provider.views(database)) {
          if (view.name().equals(name)) {
            return new BasaltView(view, views);
          }
        }
      }
      return null;
    }

    /**
     * The table of a {@code t PARTITION(p1,p2)} or {@code t TEMPORARY PARTITION(tp1)} reference,
     * reading only those partitions; null when {@code t} is not a table of this database.
     */
    private Table partitionReference(String reference) {
      int marker = reference.indexOf(PARTITION_MARKER);
      if (marker < 0 || !reference.endsWith(")")) {
        return null;
      }
      String base = reference.substring(0, marker);
      boolean temporary = base.endsWith(TEMPORARY_SUFFIX);
      if (temporary) {
        base = base.substring(0, base.length() - TEMPORARY_SUFFIX.length());
      }
      TableDescriptor table = null;
      for (String name : provider.tableNames(database)) {
        if (name.equalsIgnoreCase(base) && table(name) instanceof BasaltTable t) {
          table = t.descriptor();
        }
      }
      if (table == null) {
        return null;
      }
      List<String> partitions =
          List.of(
              reference
                  .substring(marker + PARTITION_MARKER.length(), reference.length() - 1)
                  .split(","));
      return new BasaltTable(
          temporary ? table.withTemporaryPartitions(partitions) : table.withPartitions(partitions),
          viewPath);
    }

    /** Calcite's view of the tables: by exact name, ignoring case, or all names by pattern. */
    private final class TableLookup implements Lookup<Table> {
      @Override
      public Table get(String name) {
        return table(name);
      }

      @Override
      public Named<Table> getIgnoreCase(String name) {
        Table exact = table(name);
        if (exact != null) {
          return new Named<>(name, exact);
        }
        for (String candidate : names()) {
          if (candidate.equalsIgnoreCase(name)) {
            Table table = table(candidate);
            if (table != null) {
              return new Named<>(candidate, table);
            }
          }
        }
        return null;
      }

      @Override
      public java.util.Set<String> getNames(LikePattern pattern) {
        org.apache.calcite.linq4j.function.Predicate1<String> matcher = pattern.matcher();
        java.util.Set<String> matching = new java.util.LinkedHashSet<>();
        for (String name : names()) {
          if (matcher.apply(name)) {
            matching.add(name);
          }
        }
        return matching;
      }
    }

    @Override
    public boolean isMutable() {
      return false;
    }

    @Override
    public Schema snapshot(org.apache.calcite.schema.SchemaVersion version) {
      return this;
    }
  }

  /** A Calcite table backed by a {@link TableDescriptor}; the plan converter unwraps it. */
  public static final class BasaltTable extends AbstractTable {
    private final TableDescriptor descriptor;
    private final List<ViewDescriptor> viewPath;

    BasaltTable(TableDescriptor descriptor, List<ViewDescriptor> viewPath) {
      this.descriptor = descriptor;
      this.viewPath = List.copyOf(viewPath);
    }

    public TableDescriptor descriptor() {
      return descriptor;
    }

    /**
     * The views this table is read through, outermost first (the view the query names, then each
     * view named in the previous one's query); empty when the query names the table itself.
     */
    public List<ViewDescriptor> viewPath() {
      return viewPath;
    }

    /**
     * The row count for Calcite's cost model. No keys are declared: NDV from ANALYZE is an
     * estimate, and Calcite would use a declared key to remove outer joins.
     */
    @Override
    public Statistic getStatistic() {
      Double rows = descriptor.statistics().get().rowCount();
      return rows == null ? Statistics.UNKNOWN : Statistics.of(rows, List.of());
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
      RelDataTypeFactory.Builder builder = typeFactory.builder();
      for (ColumnDescriptor column : descriptor.columns()) {
        builder.add(
            column.name(), CalciteTypes.toCalcite(typeFactory, column.type(), column.nullable()));
      }
      return builder.build();
    }
  }

  /**
   * A view: Calcite asks its row type (its query validated, with the declared column names) and,
   * where a query reads it, its relational expression, which the planner's view expander makes from
   * the stored query text ({@code QueryPlanner}). Not thread safe; a root schema serves one plan.
   */
  public static final class BasaltView extends AbstractTable
      implements org.apache.calcite.schema.TranslatableTable {
    private final ViewDescriptor view;
    private final ViewTyper typer;
    private RelDataType rowType;

    BasaltView(ViewDescriptor view, ViewTyper typer) {
      this.view = view;
      this.typer = typer;
    }

    public ViewDescriptor view() {
      return view;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
      if (rowType == null) {
        rowType = typer.rowType(view, typeFactory);
      }
      return rowType;
    }

    @Override
    public org.apache.calcite.rel.RelNode toRel(
        org.apache.calcite.plan.RelOptTable.ToRelContext context,
        org.apache.calcite.plan.RelOptTable relOptTable) {
      RelDataType type = relOptTable.getRowType();
      org.apache.calcite.rel.RelRoot root =
          context.expandView(
              type,
              view.definition(),
              List.of(view.queryDatabase()),
              List.of(view.database(), view.name()));
      return org.apache.calcite.plan.RelOptUtil.createCastRel(root.project(), type, true);
    }
  }
}
