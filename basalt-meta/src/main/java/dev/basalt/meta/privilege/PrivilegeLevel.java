package dev.basalt.meta.privilege;

/**
 * Where a grant applies: everywhere ({@code *.*}), to one database ({@code db.*}), to one table
 * ({@code db.tbl}) or to one column of a table ({@code GRANT SELECT (c) ON db.tbl}). Database and
 * table names are compared exactly, as the catalog compares them; column names ignoring case, as
 * SQL resolves them.
 *
 * @param database the database, or {@code null} for the global level
 * @param table the table, or {@code null} for the global or database level; non-null only with a
 *     database
 * @param column the column, or {@code null} above the column level; non-null only with a table
 */
public record PrivilegeLevel(String database, String table, String column) {
  /** {@code *.*}. */
  public static final PrivilegeLevel GLOBAL = new PrivilegeLevel(null, null, null);

  public PrivilegeLevel {
    if (database == null && table != null) {
      throw new IllegalArgumentException("a table level needs a database");
    }
    if (table == null && column != null) {
      throw new IllegalArgumentException("a column level needs a table");
    }
  }

  /** The global, database or table level. */
  public PrivilegeLevel(String database, String table) {
    this(database, table, null);
  }

  public static PrivilegeLevel column(String database, String table, String column) {
    return new PrivilegeLevel(database, table, column);
  }

  /**
   * Whether this is a column's level. (Not {@code isColumn}: JSON mapping would take that for a
   * second {@code column} property.)
   */
  public boolean namesColumn() {
    return column != null;
  }

  /** Whether this level is {@code table} itself or one of its columns. */
  public boolean isOnTable(String database, String table) {
    return table != null && table.equals(this.table) && database.equals(this.database);
  }

  public static PrivilegeLevel database(String database) {
    return new PrivilegeLevel(database, null);
  }

  public static PrivilegeLevel table(String database, String table) {
    return new PrivilegeLevel(database, table);
  }

  public boolean isGlobal() {
    return database == null;
  }

  /**
   * Whether a grant at this level applies to {@code target}: the global level covers everything, a
   * database level covers the database and its tables, a table level that table and its columns, a
   * column level only that column.
   */
  public boolean covers(PrivilegeLevel target) {
    if (database == null) {
      return true;
    }
    if (!database.equals(target.database)) {
      return false;
    }
    if (table == null) {
      return true;
    }
    if (!table.equals(target.table)) {
      return false;
    }
    return column == null || column.equalsIgnoreCase(target.column);
  }

  /**
   * Doris's form in SHOW GRANTS: {@code internal.db}, {@code internal.db.tbl} or {@code *.*}; a
   * column level shows its table (SHOW GRANTS lists the columns beside it).
   */
  @Override
  public String toString() {
    if (database == null) {
      return "*.*.*";
    }
    return "internal." + database + (table == null ? "" : "." + table);
  }
}
