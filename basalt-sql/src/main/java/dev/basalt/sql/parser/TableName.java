package dev.basalt.sql.parser;

import java.util.Objects;

/**
 * A possibly qualified table name, {@code [database.]name}, unquoted.
 *
 * @param database the database, or {@code null} for the session's current one
 * @param name the table name
 */
public record TableName(String database, String name) {
  public TableName {
    Objects.requireNonNull(name, "name");
  }

  /** The database to use: this name's own, else {@code currentDatabase} (which may be null). */
  public String databaseOr(String currentDatabase) {
    return database != null ? database : currentDatabase;
  }
}
