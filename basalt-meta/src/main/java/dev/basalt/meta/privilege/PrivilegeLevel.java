package dev.basalt.meta.privilege;

/**
 * Where a grant applies: everywhere ({@code *.*}), to one database ({@code db.*}) or to one table
 * ({@code db.tbl}). Names are compared exactly, as the catalog compares database and table names.
 *
 * @param database the database, or {@code null} for the global level
 * @param table the table, or {@code null} for the global or database level; non-null only with a
 *     database
 */
public record PrivilegeLevel(String database, String table) {
  /** {@code *.*}. */
  public static final PrivilegeLevel GLOBAL = new PrivilegeLevel(null, null);

  public PrivilegeLevel {
    if (database == null && table != null) {
      throw new IllegalArgumentException("a table level needs a database");
    }
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
   * database level covers the database and its tables, a table level only that table.
   */
  public boolean covers(PrivilegeLevel target) {
    if (database == null) {
      return true;
    }
    if (!database.equals(target.database)) {
      return false;
    }
    return table == null || table.equals(target.table);
  }

  /** Doris's form in SHOW GRANTS: {@code internal.db}, {@code internal.db.tbl} or {@code *.*}. */
  @Override
  public String toString() {
    if (database == null) {
      return "*.*.*";
    }
    return "internal." + database + (table == null ? "" : "." + table);
  }
}
