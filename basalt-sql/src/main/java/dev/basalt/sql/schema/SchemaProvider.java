package dev.basalt.sql.schema;

import java.util.List;
import java.util.Optional;

/**
 * What tables exist, as of the start of one statement. Implemented by the server over the catalog
 * plus the system tables. Must be safe to call from the planning thread.
 */
public interface SchemaProvider {

  List<String> databaseNames();

  List<TableDescriptor> tables(String database);

  /** The table of exactly this name; the planner asks only for the tables a statement names. */
  Optional<TableDescriptor> table(String database, String name);

  /**
   * The names of a database's tables, in the order of {@link #tables}; implementations with many
   * tables answer without describing each one.
   */
  default List<String> tableNames(String database) {
    return tables(database).stream().map(TableDescriptor::name).toList();
  }

  /** The views of a database (none by default); they share the namespace of its tables. */
  default List<ViewDescriptor> views(String database) {
    return List.of();
  }
}
