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

  Optional<TableDescriptor> table(String database, String name);

  /** The views of a database (none by default); they share the namespace of its tables. */
  default List<ViewDescriptor> views(String database) {
    return List.of();
  }
}
