package dev.basalt.server.engine;

import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.DatabaseMeta;
import dev.basalt.meta.catalog.HiddenColumns;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.sql.schema.ColumnDescriptor;
import dev.basalt.sql.schema.SchemaProvider;
import dev.basalt.sql.schema.TableDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        tables.add(
            new TableDescriptor(
                SystemTableRows.INFORMATION_SCHEMA, table.tableName(), table.columns(), table));
      }
      return tables;
    }
    for (TableMeta table : catalog.tables(database)) {
      tables.add(describe(database, table, showHiddenColumns));
    }
    return tables;
  }

  @Override
  public Optional<TableDescriptor> table(String database, String name) {
    return tables(database).stream().filter(table -> table.name().equals(name)).findFirst();
  }

  static TableDescriptor describe(String database, TableMeta table, boolean showHiddenColumns) {
    List<ColumnDescriptor> columns = new ArrayList<>();
    for (ColumnMeta column :
        showHiddenColumns ? HiddenColumns.withHidden(table) : table.columns()) {
      columns.add(new ColumnDescriptor(column.name(), column.type(), column.nullable()));
    }
    return new TableDescriptor(database, table.name(), columns, table);
  }
}
