package dev.basalt.meta.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A view: a named query stored as its SQL text and expanded into every query that reads it
 * (docs/sql.md, "Views"). Views share one namespace per database with tables. Stored as one JSON
 * record per view ({@code view/<id>}) in the metadata store, like a table.
 *
 * @param id the view id, unique across catalog objects
 * @param databaseId the database that holds it
 * @param name its name (case-sensitive, like a table's)
 * @param definition the query text after {@code AS}, as written
 * @param columnNames the column list written after the name; empty to take the query's labels
 * @param comment the COMMENT clause, or ""
 * @param definer the definer, {@code 'user'@'host'}
 * @param createTime creation time, epoch milliseconds
 * @param queryDatabase the database the query's unqualified names resolve in: the creating
 *     session's current database, as MySQL resolves them at creation (null: the view's database)
 */
public record ViewMeta(
    long id,
    long databaseId,
    String name,
    String definition,
    List<String> columnNames,
    String comment,
    String definer,
    long createTime,
    String queryDatabase) {
  public ViewMeta {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(definition, "definition");
    columnNames = columnNames == null ? List.of() : List.copyOf(columnNames);
    comment = comment == null ? "" : comment;
    definer = definer == null ? "" : definer;
  }

  /** The definer's user name (without the host). */
  public String definerUser() {
    int at = definer.lastIndexOf('@');
    return at < 0 ? definer : definer.substring(0, at);
  }

  /** The definer's host, {@code %} when none is recorded. */
  public String definerHost() {
    int at = definer.lastIndexOf('@');
    return at < 0 ? "%" : definer.substring(at + 1);
  }
}
