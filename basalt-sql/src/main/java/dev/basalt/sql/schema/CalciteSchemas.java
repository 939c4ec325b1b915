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
   * The tables of one database, listed when Calcite first asks and then kept: one plan sees one
   * version of each table (its {@link TableDescriptor} and the immutable catalog definition in its
   * handle) from validation to execution, however DDL changes the catalog meanwhile. Without this,
   * Calcite's validator and plan converter look a table up separately and a DROP or RENAME in
   * between left the converter with no table (docs/security.md, "DDL and running statements"). Not
   * thread safe; a root schema serves one plan.
   */
  private static final class DatabaseSchema extends AbstractSchema {
    private final SchemaProvider provider;
    private final String database;
    private final java.util.Set<String> partitionReferences;
    private final ViewTyper views;
    private final List<ViewDescriptor> viewPath;
    private Map<String, Table> tables;

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
    protected Map<String, Table> getTableMap() {
      if (tables == null) {
        Map<String, Table> listed = new LinkedHashMap<>();
        for (TableDescriptor table : provider.tables(database)) {
          listed.put(table.name(), new BasaltTable(table, viewPath));
        }
        if (views != null) {
          for (ViewDescriptor view : provider.views(database)) {
            listed.putIfAbsent(view.name(), new BasaltView(view, views));
          }
        }
        addPartitionReferences(listed);
        tables = listed;
      }
      return tables;
    }

    /**
     * Adds a table per {@code t PARTITION(p1,p2)} or {@code t TEMPORARY PARTITION(tp1)} reference,
     * reading only those partitions.
     */
    private void addPartitionReferences(Map<String, Table> tables) {
      for (String reference : partitionReferences) {
        int marker = reference.indexOf(PARTITION_MARKER);
        if (marker < 0 || !reference.endsWith(")")) {
          continue;
        }
        String base = reference.substring(0, marker);
        boolean temporary = base.endsWith(TEMPORARY_SUFFIX);
        if (temporary) {
          base = base.substring(0, base.length() - TEMPORARY_SUFFIX.length());
        }
        TableDescriptor table = null;
        for (Map.Entry<String, Table> entry : tables.entrySet()) {
          if (entry.getKey().equalsIgnoreCase(base) && entry.getValue() instanceof BasaltTable t) {
            table = t.descriptor();
          }
        }
        if (table != null) {
          List<String> partitions =
              List.of(
                  reference
                      .substring(marker + PARTITION_MARKER.length(), reference.length() - 1)
                      .split(","));
          tables.put(
              reference,
              new BasaltTable(
                  temporary
                      ? table.withTemporaryPartitions(partitions)
                      : table.withPartitions(partitions),
                  viewPath));
        }
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
