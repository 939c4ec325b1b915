package dev.basalt.server.engine;

import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.DatabaseMeta;
import dev.basalt.meta.catalog.HiddenColumns;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.statistics.ColumnStatistics;
import dev.basalt.meta.statistics.TableStatistics;
import dev.basalt.sql.schema.ColumnDescriptor;
import dev.basalt.sql.schema.PlannerStatistics;
import dev.basalt.sql.schema.SchemaProvider;
import dev.basalt.sql.schema.TableDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The planner's view of the catalog: every database with its tables, plus {@code
 * information_schema}. A table's handle is its {@link TableMeta} or its {@link SystemTable}. With
 * {@code showHiddenColumns} (the session variable {@code show_hidden_columns}) a UNIQUE KEY table
 * also has its {@link HiddenColumns}, after its own columns.
 */
final class CatalogSchemaProvider implements SchemaProvider {
  private final Catalog catalog;
  private final boolean showHiddenColumns;

  CatalogSchemaProvider(Catalog catalog, boolean showHiddenColumns) {
    this.catalog = catalog;
    this.showHiddenColumns = showHiddenColumns;
  }

  @Override
  public List<String> databaseNames() {
    List<String> names = new ArrayList<>();
    names.add(SystemTableRows.INFORMATION_SCHEMA);
    for (DatabaseMeta database : catalog.databases()) {
      names.add(database.name());
    }
    return names;
  }

  @Override
  public List<TableDescriptor> tables(String database) {
    List<TableDescriptor> tables = new ArrayList<>();
    if (database.equalsIgnoreCase(SystemTableRows.INFORMATION_SCHEMA)) {
      for (SystemTable table : SystemTable.values()) {
        tables.add(systemTable(table));
      }
      return tables;
    }
    for (TableMeta table : catalog.tables(database)) {
      tables.add(planned(database, table));
    }
    return tables;
  }

  @Override
  public List<String> tableNames(String database) {
    List<String> names = new ArrayList<>();
    if (database.equalsIgnoreCase(SystemTableRows.INFORMATION_SCHEMA)) {
      for (SystemTable table : SystemTable.values()) {
        names.add(table.tableName());
      }
      return names;
    }
    for (TableMeta table : catalog.tables(database)) {
      names.add(table.name());
    }
    return names;
  }

  @Override
  public Optional<TableDescriptor> table(String database, String name) {
    if (database.equalsIgnoreCase(SystemTableRows.INFORMATION_SCHEMA)) {
      for (SystemTable table : SystemTable.values()) {
        if (table.tableName().equals(name)) {
          return Optional.of(systemTable(table));
        }
      }
      return Optional.empty();
    }
    return catalog.table(database, name).map(table -> planned(database, table));
  }

  private static TableDescriptor systemTable(SystemTable table) {
    return new TableDescriptor(
        SystemTableRows.INFORMATION_SCHEMA, table.tableName(), table.columns(), table);
  }

  /** A table as the planner sees it, its statistics read when the cost model first asks. */
  private TableDescriptor planned(String database, TableMeta table) {
    TableDescriptor described = describe(database, table, showHiddenColumns);
    return new TableDescriptor(
        database, table.name(), described.columns(), table, memoized(() -> statistics(table)));
  }

  @Override
  public List<dev.basalt.sql.schema.ViewDescriptor> views(String database) {
    List<dev.basalt.sql.schema.ViewDescriptor> views = new ArrayList<>();
    for (dev.basalt.meta.catalog.ViewMeta view : catalog.views(database)) {
      views.add(
          new dev.basalt.sql.schema.ViewDescriptor(
              database,
              view.name(),
              view.definition(),
              view.columnNames(),
              view.queryDatabase() == null ? database : view.queryDatabase(),
              view.definerUser()));
    }
    return views;
  }

  /**
   * The cost model's view of {@code table}: its current row count and, per column, the statistics
   * of its last ANALYZE with NDV scaled to the rows added or removed since (docs/statistics.md).
   */
  private PlannerStatistics statistics(TableMeta table) {
    double rows = catalog.snapshot(table.id()).rowCount();
    Optional<TableStatistics> analyzed = catalog.statistics().get(table.id());
    List<ColumnStatistics> columns = new ArrayList<>();
    for (ColumnMeta column : table.columns()) {
      ColumnStatistics stats = analyzed.map(a -> a.column(column.uniqueId())).orElse(null);
      columns.add(stats == null ? null : scaled(stats, analyzed.get().rowCount(), rows));
    }
    return new PlannerStatistics(rows, columns);
  }

  /**
   * A column's statistics for a table that has grown or shrunk since it was analyzed: a column
   * whose values were (nearly) all distinct is taken to stay so (a key); others keep their NDV, at
   * most the rows now stored.
   */
  private static ColumnStatistics scaled(ColumnStatistics stats, long analyzedRows, double rows) {
    if (analyzedRows == rows) {
      return stats;
    }
    boolean keyLike = analyzedRows > 0 && stats.ndv() >= 0.9 * (analyzedRows - stats.nullCount());
    long ndv =
        keyLike
            ? Math.round(stats.ndv() * rows / analyzedRows)
            : Math.min(stats.ndv(), (long) rows);
    return new ColumnStatistics(
        stats.columnId(),
        stats.columnName(),
        (long) rows,
        Math.max(ndv, rows > 0 ? 1 : 0),
        stats.nullCount(),
        stats.dataSize(),
        stats.min(),
        stats.max(),
        stats.low(),
        stats.high());
  }

  private static <T> Supplier<T> memoized(Supplier<T> supplier) {
    return new Supplier<>() {
      private T value;

      @Override
      public synchronized T get() {
        if (value == null) {
          value = supplier.get();
        }
        return value;
      }
    };
  }

  static TableDescriptor describe(String database, TableMeta table, boolean showHiddenColumns) {
    List<ColumnDescriptor> columns = new ArrayList<>();
    for (ColumnMeta column :
        showHiddenColumns ? HiddenColumns.withHidden(table) : HiddenColumns.visible(table)) {
      columns.add(new ColumnDescriptor(column.name(), column.type(), column.nullable()));
    }
    return new TableDescriptor(database, table.name(), columns, table);
  }
}
