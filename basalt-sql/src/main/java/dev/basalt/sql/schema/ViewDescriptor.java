package dev.basalt.sql.schema;

import java.util.List;

/**
 * A view the planner can expand: its stored query text, planned in its own database whenever a
 * query reads the view.
 *
 * @param database the database that holds the view (the query's default database)
 * @param name the view's name
 * @param definition the query text
 * @param columnNames the view's declared column names; empty to take the query's labels
 * @param queryDatabase where the query's unqualified names resolve
 * @param definer the user whose rights the view's query reads with (its creator)
 */
public record ViewDescriptor(
    String database,
    String name,
    String definition,
    List<String> columnNames,
    String queryDatabase,
    String definer) {
  public ViewDescriptor {
    columnNames = List.copyOf(columnNames);
  }
}
