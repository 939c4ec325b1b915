package dev.basalt.meta.privilege;

import java.util.List;

/**
 * What one user may do, at one moment: the union of the user's own grants and those of the roles it
 * holds. Immutable; a GRANT or REVOKE made later is seen by the next statement, which asks the
 * catalog again.
 *
 * <p>A superuser ({@code root}, or anyone holding ADMIN at the global level, e.g. through the
 * built-in {@code admin} role) may do everything.
 */
public final class AccessRights {
  private final boolean superuser;
  private final List<PrivilegeGrant> grants;

  /**
   * @param superuser whether every check passes
   * @param grants the grants of the user and of its roles
   */
  public AccessRights(boolean superuser, List<PrivilegeGrant> grants) {
    this.grants = List.copyOf(grants);
    this.superuser =
        superuser
            || this.grants.stream()
                .anyMatch(
                    grant ->
                        grant.level().isGlobal() && grant.privileges().contains(Privilege.ADMIN));
  }

  /** Everything allowed: root's rights. */
  public static AccessRights superuser() {
    return new AccessRights(true, List.of());
  }

  public boolean isSuperuser() {
    return superuser;
  }

  /** Whether {@code privilege} is held at {@code level} or at a level above it. */
  public boolean has(Privilege privilege, PrivilegeLevel level) {
    if (superuser) {
      return true;
    }
    for (PrivilegeGrant grant : grants) {
      if (grant.level().covers(level) && grant.privileges().contains(privilege)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the user holds anything on the database (at the global or database level, or on one of
   * its tables): it may USE it and see it in SHOW DATABASES.
   */
  public boolean canSeeDatabase(String database) {
    if (superuser) {
      return true;
    }
    for (PrivilegeGrant grant : grants) {
      PrivilegeLevel level = grant.level();
      if (level.isGlobal() || database.equals(level.database())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the user holds anything that covers the table or one of its columns: it may see and
   * describe it.
   */
  public boolean canSeeTable(String database, String table) {
    if (superuser) {
      return true;
    }
    PrivilegeLevel target = PrivilegeLevel.table(database, table);
    for (PrivilegeGrant grant : grants) {
      if (grant.level().covers(target) || grant.level().isOnTable(database, table)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the user may see a column in listings (information_schema.COLUMNS): it holds something
   * on the table or above it, or SELECT on that column.
   */
  public boolean canSeeColumn(String database, String table, String column) {
    if (superuser) {
      return true;
    }
    PrivilegeLevel tableLevel = PrivilegeLevel.table(database, table);
    PrivilegeLevel columnLevel = PrivilegeLevel.column(database, table, column);
    for (PrivilegeGrant grant : grants) {
      if (grant.level().covers(tableLevel) || grant.level().covers(columnLevel)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code privilege} is held on the table or on at least one of its columns (what a query
   * that reads none of the table's columns, such as {@code SELECT COUNT(*)}, needs, as in MySQL).
   */
  public boolean hasOnAnyColumn(Privilege privilege, String database, String table) {
    if (has(privilege, PrivilegeLevel.table(database, table))) {
      return true;
    }
    for (PrivilegeGrant grant : grants) {
      if (grant.level().isOnTable(database, table) && grant.privileges().contains(privilege)) {
        return true;
      }
    }
    return false;
  }
}
