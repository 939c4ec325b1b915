package dev.basalt.server.engine;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.privilege.AccessRights;
import dev.basalt.meta.privilege.Privilege;
import dev.basalt.meta.privilege.PrivilegeLevel;
import dev.basalt.server.session.Session;
import dev.basalt.sql.parser.SetAssignment;
import dev.basalt.sql.parser.Statement;
import dev.basalt.sql.parser.TableName;
import dev.basalt.sql.parser.VariableScope;
import dev.basalt.sql.planner.TableRead;
import dev.basalt.sql.schema.TableDescriptor;
import dev.basalt.sql.schema.ViewDescriptor;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether a session's user may run a statement, before it runs, by Doris's privilege model
 * (docs/security.md): which privilege each statement needs, at which level. Reads of tables are
 * checked where every plan is made ({@link #checkRead}), so queries, EXPLAIN, INSERT ... SELECT
 * sources, CTAS sources and SET expressions are all covered by one rule.
 *
 * <p>Rights are asked of the catalog on every check, so a GRANT or REVOKE takes effect at the next
 * statement of every session. Thread safe (stateless apart from the catalog).
 */
public final class AccessControl {
  private final Catalog catalog;

  public AccessControl(Catalog catalog) {
    this.catalog = catalog;
  }

  /** What {@code session}'s user may do now. */
  public AccessRights rights(Session session) {
    return catalog.accessRights(session.user());
  }

  /**
   * Checks the privileges {@code statement} needs, apart from reading tables through a query plan
   * (see {@link #checkRead}).
   *
   * @throws BasaltException TABLE_ACCESS_DENIED (1142), DATABASE_ACCESS_DENIED (1044) or
   *     SPECIFIC_ACCESS_DENIED (1227)
   */
  public void check(Session session, Statement statement) {
    AccessRights rights = rights(session);
    if (rights.isSuperuser()) {
      return;
    }
    String current = session.currentDatabase();
    switch (statement) {
      case Statement.CreateDatabase create ->
          requireDatabase(session, rights, Privilege.CREATE, create.name());
      case Statement.DropDatabase drop ->
          requireDatabase(session, rights, Privilege.DROP, drop.name());
      case Statement.CreateTable create ->
          requireTable(session, rights, Privilege.CREATE, create.table(), current, "CREATE");
      case Statement.CreateTableAsSelect create ->
          requireTable(session, rights, Privilege.CREATE, create.table(), current, "CREATE");
      case Statement.CreateTableLike like -> {
        requireTable(session, rights, Privilege.CREATE, like.table(), current, "CREATE");
        requireTable(session, rights, Privilege.SELECT, like.source(), current, "SELECT");
      }
      case Statement.DropTable drop ->
          requireTable(session, rights, Privilege.DROP, drop.table(), current, "DROP");
      case Statement.CreateView create ->
          requireTable(session, rights, Privilege.CREATE, create.view(), current, "CREATE VIEW");
      case Statement.DropView drop -> {
        for (TableName view : drop.views()) {
          requireTable(session, rights, Privilege.DROP, view, current, "DROP");
        }
      }
      case Statement.ShowCreateView show -> requireVisibleTable(session, rights, show.view());
      case Statement.TruncateTable truncate ->
          requireTable(session, rights, Privilege.LOAD, truncate.table(), current, "TRUNCATE");
      case Statement.AlterTable alter ->
          requireTable(session, rights, Privilege.ALTER, alter.table(), current, "ALTER");
      case Statement.CreateIndex index ->
          requireTable(session, rights, Privilege.ALTER, index.table(), current, "INDEX");
      case Statement.AlterTableKeys keys ->
          requireTable(session, rights, Privilege.ALTER, keys.table(), current, "ALTER");
      case Statement.DropIndex index ->
          requireTable(session, rights, Privilege.ALTER, index.table(), current, "INDEX");
      case Statement.Insert insert ->
          requireTable(session, rights, Privilege.LOAD, insert.table(), current, "INSERT");
      case Statement.Delete delete ->
          requireTable(session, rights, Privilege.LOAD, delete.table(), current, "DELETE");
      case Statement.Update update ->
          requireTable(session, rights, Privilege.LOAD, update.table(), current, "UPDATE");
      case Statement.UseDatabase use -> {
        if (!use.database().equalsIgnoreCase(SystemTableRows.INFORMATION_SCHEMA)
            && !rights.canSeeDatabase(use.database())) {
          throw databaseDenied(session, use.database());
        }
      }
      case Statement.ShowTables show -> requireVisibleDatabase(session, rights, show.database());
      case Statement.ShowTableStatus show ->
          requireVisibleDatabase(session, rights, show.database());
      case Statement.ShowCreateTable show -> requireVisibleTable(session, rights, show.table());
      case Statement.ShowColumns show -> requireVisibleTable(session, rights, show.table());
      case Statement.Describe describe -> requireVisibleTable(session, rights, describe.table());
      case Statement.ShowPartitions show -> requireVisibleTable(session, rights, show.table());
      case Statement.ShowTablets show -> requireVisibleTable(session, rights, show.table());
      case Statement.ShowTableStats show -> requireVisibleTable(session, rights, show.table());
      case Statement.ShowColumnStats show -> requireVisibleTable(session, rights, show.table());
      case Statement.DropStats drop ->
          requireTable(session, rights, Privilege.ALTER, drop.table(), current, "DROP STATS");
      case Statement.Analyze analyze ->
          requireTable(session, rights, Privilege.SELECT, analyze.table(), current, "ANALYZE");
      case Statement.ShowIndex show -> requireVisibleTable(session, rights, show.table());
      case Statement.CreateUser ignored -> requireGlobal(rights, Privilege.GRANT);
      case Statement.AlterUser alter -> {
        if (!alter.user().user().equals(session.user())) {
          requireGlobal(rights, Privilege.GRANT);
        }
      }
      case Statement.DropUser ignored -> requireGlobal(rights, Privilege.GRANT);
      case Statement.CreateRole ignored -> requireGlobal(rights, Privilege.GRANT);
      case Statement.DropRole ignored -> requireGlobal(rights, Privilege.GRANT);
      case Statement.GrantRoles ignored -> requireGlobal(rights, Privilege.GRANT);
      case Statement.ShowRoles ignored -> requireGlobal(rights, Privilege.GRANT);
      case Statement.GrantPrivileges grant -> {
        PrivilegeLevel level = grant.target().level(current);
        if (grant.privileges().contains(Privilege.ADMIN)) {
          requireGlobal(rights, Privilege.ADMIN);
        }
        if (!rights.has(Privilege.GRANT, level)) {
          throw specificDenied("GRANT");
        }
      }
      case Statement.SetPassword password -> {
        if (password.user() != null && !password.user().user().equals(session.user())) {
          requireGlobal(rights, Privilege.GRANT);
        }
      }
      case Statement.ShowGrants show -> {
        if (show.all() || (show.user() != null && !show.user().user().equals(session.user()))) {
          requireGlobal(rights, Privilege.GRANT);
        }
      }
      case Statement.FilteredShow filtered -> check(session, filtered.show());
      case Statement.ShowData show -> {
        if (show.target() != null && show.target().database() != null) {
          requireVisibleTable(session, rights, show.target());
        }
      }
      case Statement.AdminShowConfig ignored -> requireGlobal(rights, Privilege.ADMIN);
      case Statement.AdminCompact ignored -> requireGlobal(rights, Privilege.ADMIN);
      case Statement.Set set -> {
        for (SetAssignment assignment : set.assignments()) {
          if (assignment instanceof SetAssignment.SystemVariable variable
              && variable.scope() == VariableScope.GLOBAL) {
            requireGlobal(rights, Privilege.ADMIN);
          }
        }
      }
      default -> {
        // Queries and EXPLAIN are checked by checkRead; the rest (SHOW DATABASES, SHOW
        // VARIABLES, SET of session variables, transactions ...) needs no privilege, and
        // listings show only what the user may see.
      }
    }
  }

  /**
   * Checks SELECT on every user table a plan reads: on the table, or else on each column the plan
   * reads from it (column privileges; a scan reading no column, as for {@code COUNT(*)}, needs
   * SELECT on at least one column, as in MySQL). System tables (information_schema) are readable by
   * everyone; their rows list only what the user may see.
   *
   * <p>A table read through views ({@link TableRead#viewPath()}) is read with the views' definers'
   * rights, as MySQL's {@code SQL SECURITY DEFINER}: the caller needs SELECT on the outermost view
   * only, and each view's definer, now, SELECT on what its query reads (the next view, or the table
   * and its columns). So a REVOKE from a definer, or dropping the definer, closes its views.
   *
   * @throws BasaltException TABLE_ACCESS_DENIED (1142) when the user holds no SELECT on the table
   *     (or the outermost view) or its columns, COLUMN_ACCESS_DENIED (1143) naming the first column
   *     read without it, VIEW_INVALID (1356) when a view's definer lacks the rights its query needs
   */
  public void checkRead(Session session, List<TableRead> reads) {
    AccessRights rights = null;
    for (TableRead read : reads) {
      TableDescriptor table = read.table();
      if (!(table.handle() instanceof TableMeta)) {
        continue;
      }
      if (rights == null) {
        rights = rights(session);
      }
      List<ViewDescriptor> path = read.viewPath();
      if (path.isEmpty()) {
        String denied = deniedRead(rights, table, read.columns());
        if (denied != null) {
          throw denied.isEmpty()
              ? tableDenied(session, "SELECT", table.name())
              : new BasaltException(
                  ErrorCode.COLUMN_ACCESS_DENIED,
                  "SELECT",
                  session.user(),
                  session.clientHost(),
                  denied,
                  table.name());
        }
        continue;
      }
      ViewDescriptor outermost = path.get(0);
      if (!rights.has(
          Privilege.SELECT, PrivilegeLevel.table(outermost.database(), outermost.name()))) {
        throw tableDenied(session, "SELECT", outermost.name());
      }
      for (int i = 0; i < path.size(); i++) {
        ViewDescriptor view = path.get(i);
        AccessRights definer = catalog.accessRights(view.definer());
        boolean allowed =
            i + 1 < path.size()
                ? definer.has(
                    Privilege.SELECT,
                    PrivilegeLevel.table(path.get(i + 1).database(), path.get(i + 1).name()))
                : deniedRead(definer, table, read.columns()) == null;
        if (!allowed) {
          throw new BasaltException(ErrorCode.VIEW_INVALID, view.database() + "." + view.name());
        }
      }
    }
  }

  /**
   * Why {@code rights} may not read {@code columns} of {@code table}: null when they may (SELECT on
   * the table, or on each column read), "" when they hold SELECT on no column of it, else the first
   * column read without it.
   */
  private static String deniedRead(
      AccessRights rights, TableDescriptor table, List<String> columns) {
    if (rights.has(Privilege.SELECT, PrivilegeLevel.table(table.database(), table.name()))) {
      return null;
    }
    if (!rights.hasOnAnyColumn(Privilege.SELECT, table.database(), table.name())) {
      return "";
    }
    for (String column : columns) {
      if (!rights.has(
          Privilege.SELECT, PrivilegeLevel.column(table.database(), table.name(), column))) {
        return column;
      }
    }
    return null;
  }

  /**
   * Checks LOAD on a table for a load that does not go through SQL (Stream Load).
   *
   * @throws BasaltException TABLE_ACCESS_DENIED (1142)
   */
  public void checkLoad(String user, String clientHost, String database, String table) {
    checkTable(Privilege.LOAD, user, clientHost, database, table);
  }

  /** SELECT on a table for an HTTP request (the connectors' {@code _schema}). */
  public void checkSelect(String user, String clientHost, String database, String table) {
    checkTable(Privilege.SELECT, user, clientHost, database, table);
  }

  private void checkTable(
      Privilege privilege, String user, String clientHost, String database, String table) {
    AccessRights rights = catalog.accessRights(user);
    if (!rights.has(privilege, PrivilegeLevel.table(database, table))) {
      throw new BasaltException(
          ErrorCode.TABLE_ACCESS_DENIED, privilege.name(), user, clientHost, table);
    }
  }

  private void requireDatabase(
      Session session, AccessRights rights, Privilege privilege, String database) {
    if (!rights.has(privilege, PrivilegeLevel.database(database))) {
      throw databaseDenied(session, database);
    }
  }

  private void requireTable(
      Session session,
      AccessRights rights,
      Privilege privilege,
      TableName table,
      String currentDatabase,
      String command) {
    String database = table.databaseOr(currentDatabase);
    if (database == null) {
      return; // the statement fails with NO_DATABASE_SELECTED when it runs
    }
    if (!rights.has(privilege, PrivilegeLevel.table(database, table.name()))) {
      throw tableDenied(session, command, table.name());
    }
  }

  private void requireVisibleDatabase(Session session, AccessRights rights, String database) {
    String name = database != null ? database : session.currentDatabase();
    if (name != null
        && !name.equalsIgnoreCase(SystemTableRows.INFORMATION_SCHEMA)
        && !rights.canSeeDatabase(name)) {
      throw databaseDenied(session, name);
    }
  }

  private void requireVisibleTable(Session session, AccessRights rights, TableName table) {
    String database = table.databaseOr(session.currentDatabase());
    if (database == null || database.equalsIgnoreCase(SystemTableRows.INFORMATION_SCHEMA)) {
      return;
    }
    if (!rights.canSeeTable(database, table.name())) {
      throw tableDenied(session, "SHOW", table.name());
    }
  }

  private static void requireGlobal(AccessRights rights, Privilege privilege) {
    if (!rights.has(privilege, PrivilegeLevel.GLOBAL)) {
      throw specificDenied(privilege == Privilege.ADMIN ? "ADMIN" : "GRANT");
    }
  }

  private static BasaltException tableDenied(Session session, String command, String table) {
    return new BasaltException(
        ErrorCode.TABLE_ACCESS_DENIED,
        command.toUpperCase(Locale.ROOT),
        session.user(),
        session.clientHost(),
        table);
  }

  private static BasaltException databaseDenied(Session session, String database) {
    return new BasaltException(
        ErrorCode.DATABASE_ACCESS_DENIED, session.user(), session.clientHost(), database);
  }

  private static BasaltException specificDenied(String privilege) {
    return new BasaltException(ErrorCode.SPECIFIC_ACCESS_DENIED, privilege);
  }
}
