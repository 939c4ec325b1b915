package dev.basalt.sql.ddl;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.result.ResultSet;
import dev.basalt.common.type.DataType;
import dev.basalt.meta.catalog.AggregationType;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.DatabaseMeta;
import dev.basalt.meta.catalog.DefaultValue;
import dev.basalt.meta.catalog.DistributionKind;
import dev.basalt.meta.catalog.HiddenColumns;
import dev.basalt.meta.catalog.PartitionKind;
import dev.basalt.meta.catalog.PartitionMeta;
import dev.basalt.meta.catalog.RoleMeta;
import dev.basalt.meta.catalog.RowsetMeta;
import dev.basalt.meta.catalog.SegmentDeletes;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.TableSnapshot;
import dev.basalt.meta.catalog.UserMeta;
import dev.basalt.meta.privilege.AccessRights;
import dev.basalt.meta.privilege.Privilege;
import dev.basalt.meta.privilege.PrivilegeGrant;
import dev.basalt.meta.privilege.PrivilegeLevel;
import dev.basalt.sql.parser.Statement;
import dev.basalt.sql.parser.TableName;
import dev.basalt.sql.schema.PartitionPruner;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Answers the SHOW and DESC statements that read the catalog, with Doris's column names: SHOW
 * DATABASES, [FULL] TABLES, TABLE STATUS, CREATE TABLE, CREATE DATABASE, [FULL] COLUMNS, DESC
 * [ALL], PARTITIONS, TABLETS, KEYS/INDEX, ENGINES, CHARSET, COLLATION. Session-level SHOWs
 * (VARIABLES, PROCESSLIST, WARNINGS, GRANTS, FRONTENDS, BACKENDS) are the SQL engine's.
 *
 * <p>{@code information_schema} is listed by SHOW DATABASES but served by the SQL engine; other
 * statements naming it fail here with UNKNOWN_DATABASE. Times are printed in {@code zone}. Thread
 * safe; each call returns a new, fully built result the caller closes.
 */
public final class ShowExecutor {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
  private static final DataType BIGINT = DataType.BIGINT;

  private final Catalog catalog;
  private final ZoneId zone;

  public ShowExecutor(Catalog catalog, ZoneId zone) {
    this.catalog = catalog;
    this.zone = zone;
  }

  /** Whether {@link #execute} handles this kind of statement. */
  public static boolean handles(Statement statement) {
    return switch (statement) {
      case Statement.ShowDatabases s -> true;
      case Statement.ShowTables s -> true;
      case Statement.ShowTableStatus s -> true;
      case Statement.ShowCreateTable s -> true;
      case Statement.ShowCreateDatabase s -> true;
      case Statement.ShowColumns s -> true;
      case Statement.Describe s -> true;
      case Statement.ShowPartitions s -> true;
      case Statement.ShowTablets s -> true;
      case Statement.ShowTableStats s -> true;
      case Statement.ShowColumnStats s -> true;
      case Statement.ShowIndex s -> true;
      case Statement.ShowEngines s -> true;
      case Statement.ShowCharset s -> true;
      case Statement.ShowCollation s -> true;
      case Statement.ShowGrants s -> true;
      case Statement.ShowRoles s -> true;
      case Statement.ShowRoutineStatus s -> true;
      case Statement.ShowEmpty s -> true;
      case Statement.ShowPrivileges s -> true;
      case Statement.ShowData s -> true;
      case Statement.ShowProc s -> !ENGINE_PROC_PATHS.contains(normalizeProcPath(s.path()));
      default -> false;
    };
  }

  /**
   * Executes a SHOW or DESC statement.
   *
   * @param currentDatabase the session's database for unqualified names, or {@code null}
   * @throws BasaltException NO_DATABASE_SELECTED, UNKNOWN_DATABASE, UNKNOWN_TABLE
   * @throws IllegalArgumentException for a statement {@link #handles} rejects
   */
  public ResultSet execute(Statement statement, String currentDatabase) {
    return execute(statement, currentDatabase, Catalog.ROOT_USER);
  }

  /**
   * Executes a SHOW or DESC statement for {@code user}: listings (databases, tables, table status)
   * show only what the user holds a privilege on; SHOW GRANTS without FOR shows the user's own.
   * Whether the user may run the statement at all is checked before, by the server's access
   * control.
   */
  public ResultSet execute(Statement statement, String currentDatabase, String user) {
    AccessRights rights = catalog.accessRights(user);
    return switch (statement) {
      case Statement.ShowDatabases show -> showDatabases(show.like(), rights);
      case Statement.ShowTables show ->
          showTables(database(show.database(), currentDatabase), show.full(), show.like(), rights);
      case Statement.ShowTableStatus show ->
          showTableStatus(database(show.database(), currentDatabase), show.like(), rights);
      case Statement.ShowGrants show -> showGrants(show, user);
      case Statement.ShowRoles show -> showRoles();
      case Statement.ShowRoutineStatus show ->
          ShowRows.text(
                  "Db",
                  "Name",
                  "Type",
                  "Definer",
                  "Modified",
                  "Created",
                  "Security_type",
                  "Comment",
                  "character_set_client",
                  "collation_connection",
                  "Database Collation")
              .build();
      case Statement.ShowEmpty show -> showEmpty(show.what());
      case Statement.ShowPrivileges show -> showPrivileges();
      case Statement.ShowData show -> showData(show.target(), currentDatabase, rights);
      case Statement.ShowProc show -> showProc(normalizeProcPath(show.path()), rights);
      case Statement.ShowCreateTable show -> {
        TableMeta table = table(show.table(), currentDatabase);
        yield ShowRows.text("Table", "Create Table")
            .row(table.name(), CreateTableFormatter.format(table))
            .build();
      }
      case Statement.ShowCreateDatabase show -> {
        String database = database(show.database(), null);
        yield ShowRows.text("Database", "Create Database")
            .row(database, "CREATE DATABASE `" + database + "`")
            .build();
      }
      case Statement.ShowColumns show ->
          showColumns(
              visibleColumns(show.table(), currentDatabase, rights), show.full(), show.like());
      case Statement.Describe describe -> {
        TableMeta table = table(describe.table(), currentDatabase);
        List<ColumnMeta> columns = visibleColumns(describe.table(), currentDatabase, rights);
        yield describe.all() ? describeAll(table, columns) : describe(table, columns);
      }
      case Statement.ShowPartitions show ->
          showPartitions(table(show.table(), currentDatabase), show.temporary());
      case Statement.ShowTablets show ->
          showTablets(table(show.table(), currentDatabase), show.partitions(), show.temporary());
      case Statement.ShowTableStats show -> {
        TableMeta table = table(show.table(), currentDatabase);
        yield StatisticsShow.tableStats(
            table,
            catalog.snapshot(table.id()).rowCount(),
            catalog.statistics().get(table.id()),
            zone);
      }
      case Statement.ShowColumnStats show -> {
        TableMeta table = table(show.table(), currentDatabase);
        yield StatisticsShow.columnStats(
            table, show.columns(), catalog.statistics().get(table.id()), zone);
      }
      case Statement.ShowIndex show -> {
        table(show.table(), currentDatabase);
        yield ShowRows.text(
                "Table",
                "Non_unique",
                "Key_name",
                "Seq_in_index",
                "Column_name",
                "Collation",
                "Cardinality",
                "Sub_part",
                "Packed",
                "Null",
                "Index_type",
                "Comment",
                "Properties")
            .build();
      }
      case Statement.ShowEngines show ->
          ShowRows.text("Engine", "Support", "Comment", "Transactions", "XA", "Savepoints")
              .row("Olap", "DEFAULT", "Olap storage engine", "YES", "NO", "NO")
              .build();
      case Statement.ShowCharset show -> {
        ShowRows rows =
            ShowRows.text("Charset", "Description", "Default collation").column("Maxlen", BIGINT);
        if (matches(show.like(), "utf8mb4")) {
          rows.row("utf8mb4", "UTF-8 Unicode", "utf8mb4_0900_bin", 4L);
        }
        yield rows.build();
      }
      case Statement.ShowCollation show -> {
        ShowRows rows =
            ShowRows.text("Collation", "Charset")
                .column("Id", BIGINT)
                .column("Default", ShowRows.TEXT)
                .column("Compiled", ShowRows.TEXT)
                .column("Sortlen", BIGINT);
        if (matches(show.like(), "utf8mb4_0900_bin")) {
          rows.row("utf8mb4_0900_bin", "utf8mb4", 309L, "Yes", "Yes", 1L);
        }
        yield rows.build();
      }
      default ->
          throw new IllegalArgumentException(
              "not a SHOW statement for ShowExecutor: " + statement.getClass().getSimpleName());
    };
  }

  /**
   * SHOW GRANTS in Doris's shape: one row per user with the roles and the privileges at each level
   * ({@code Select_priv,Load_priv} lists, levels as {@code internal.db} or {@code internal.db.tbl},
   * joined by {@code "; "}).
   */
  private ResultSet showGrants(Statement.ShowGrants show, String currentUser) {
    ShowRows rows =
        ShowRows.text(
            "UserIdentity",
            "Comment",
            "Password",
            "Roles",
            "GlobalPrivs",
            "CatalogPrivs",
            "DatabasePrivs",
            "TablePrivs",
            "ColPrivs");
    List<UserMeta> users;
    if (show.all()) {
      users = catalog.users();
    } else {
      String name = show.user() != null ? show.user().user() : currentUser;
      users =
          List.of(
              catalog
                  .user(name)
                  .orElseThrow(
                      () -> new BasaltException(ErrorCode.UNKNOWN_USER, "SHOW GRANTS", name, "%")));
    }
    for (UserMeta user : users) {
      boolean root = user.name().equals(Catalog.ROOT_USER);
      List<String> global = new ArrayList<>();
      List<String> databases = new ArrayList<>();
      List<String> tables = new ArrayList<>();
      java.util.Map<String, List<String>> columnsByTable = new java.util.LinkedHashMap<>();
      for (PrivilegeGrant grant : user.grants()) {
        String privileges = privilegeNames(grant);
        PrivilegeLevel level = grant.level();
        if (level.namesColumn()) {
          columnsByTable
              .computeIfAbsent(level.toString(), table -> new ArrayList<>())
              .add(level.column());
        } else if (level.isGlobal()) {
          global.add(privileges);
        } else if (level.table() == null) {
          databases.add(level + ": " + privileges);
        } else {
          tables.add(level + ": " + privileges);
        }
      }
      List<String> roles = root ? List.of("operator") : user.roles();
      rows.row(
          "'" + user.name() + "'@'" + user.host() + "'",
          root ? "ROOT" : "",
          user.passwordHash().length == 0 ? "No" : "Yes",
          String.join(",", roles),
          root ? "Node_priv,Admin_priv" : nullIfEmpty(String.join(",", global)),
          null,
          nullIfEmpty(String.join("; ", databases)),
          nullIfEmpty(String.join("; ", tables)),
          nullIfEmpty(columnPrivileges(columnsByTable)));
    }
    return rows.build();
  }

  /**
   * The ColPrivs column of SHOW GRANTS: {@code internal.db.tbl: Select_priv(c1,c2)} per table,
   * joined by {@code "; "} (SELECT is the only column-level privilege).
   */
  private static String columnPrivileges(java.util.Map<String, List<String>> columnsByTable) {
    List<String> entries = new ArrayList<>();
    columnsByTable.forEach(
        (table, columns) ->
            entries.add(table + ": Select_priv(" + String.join(",", columns) + ")"));
    return String.join("; ", entries);
  }

  /** A grant's privileges as SHOW GRANTS prints them: {@code Select_priv,Load_priv}. */
  private static String privilegeNames(PrivilegeGrant grant) {
    return grant.privileges().stream()
        .sorted()
        .map(Privilege::displayName)
        .collect(Collectors.joining(","));
  }

  private static String nullIfEmpty(String text) {
    return text.isEmpty() ? null : text;
  }

  /** SHOW ROLES: each role with its privileges in SHOW GRANTS's notation. */
  private ResultSet showRoles() {
    ShowRows rows = ShowRows.text("Name", "Comment", "Users", "Privileges");
    for (RoleMeta role : catalog.roles()) {
      List<String> holders =
          catalog.users().stream()
              .filter(user -> user.roles().contains(role.name()))
              .map(user -> "'" + user.name() + "'@'%'")
              .toList();
      String privileges =
          role.grants().stream()
              .map(grant -> grant.level() + ": " + privilegeNames(grant))
              .collect(Collectors.joining("; "));
      boolean builtIn = Catalog.BUILT_IN_ROLES.contains(role);
      rows.row(role.name(), builtIn ? "built-in" : "", String.join(", ", holders), privileges);
    }
    return rows.build();
  }

  private ResultSet showDatabases(String like, AccessRights rights) {
    ShowRows rows = ShowRows.text("Database");
    List<String> names = new ArrayList<>();
    names.add("information_schema");
    catalog.databases().stream()
        .map(DatabaseMeta::name)
        .filter(rights::canSeeDatabase)
        .forEach(names::add);
    for (String name : names) {
      if (matches(like, name)) {
        rows.row(name);
      }
    }
    return rows.build();
  }

  private ResultSet showTables(String database, boolean full, String like, AccessRights rights) {
    ShowRows rows =
        full
            ? ShowRows.text("Tables_in_" + database, "Table_type")
            : ShowRows.text("Tables_in_" + database);
    java.util.TreeMap<String, String> objects = new java.util.TreeMap<>();
    for (TableMeta table : catalog.tables(database)) {
      objects.put(table.name(), "BASE TABLE");
    }
    for (dev.basalt.meta.catalog.ViewMeta view : catalog.views(database)) {
      objects.put(view.name(), "VIEW");
    }
    for (java.util.Map.Entry<String, String> object : objects.entrySet()) {
      String name = object.getKey();
      if (matches(like, name) && rights.canSeeTable(database, name)) {
        if (full) {
          rows.row(name, object.getValue());
        } else {
          rows.row(name);
        }
      }
    }
    return rows.build();
  }

  /** SHOW PROC paths the server answers itself (from its frontend and backend listings). */
  public static final java.util.Set<String> ENGINE_PROC_PATHS =
      java.util.Set.of("/frontends", "/backends");

  /** {@code path} without a trailing slash ({@code '/dbs/'} is {@code '/dbs'}); {@code /} stays. */
  public static String normalizeProcPath(String path) {
    String trimmed = path.trim();
    while (trimmed.length() > 1 && trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed;
  }

  private static ResultSet showEmpty(String what) {
    return switch (what) {
      case "TRIGGERS" ->
          ShowRows.text(
                  "Trigger",
                  "Event",
                  "Table",
                  "Statement",
                  "Timing",
                  "Created",
                  "sql_mode",
                  "Definer",
                  "character_set_client",
                  "collation_connection",
                  "Database Collation")
              .build();
      case "EVENTS" ->
          ShowRows.text(
                  "Db",
                  "Name",
                  "Definer",
                  "Time zone",
                  "Type",
                  "Execute at",
                  "Interval value",
                  "Interval field",
                  "Starts",
                  "Ends",
                  "Status",
                  "Originator",
                  "character_set_client",
                  "collation_connection",
                  "Database Collation")
              .build();
      case "PLUGINS" ->
          ShowRows.text(
                  "Name",
                  "Type",
                  "Description",
                  "Version",
                  "JavaVersion",
                  "ClassName",
                  "SoName",
                  "Sources",
                  "Status",
                  "Properties")
              .build();
      default -> ShowRows.text("Variable_name", "Value").build();
    };
  }

  /** Doris's {@code SHOW PRIVILEGES}: one row per privilege with where it applies. */
  private static ResultSet showPrivileges() {
    ShowRows rows = ShowRows.text("Privilege", "Context", "Comment");
    for (Privilege privilege : Privilege.values()) {
      String context = privilege == Privilege.ADMIN ? "GLOBAL" : "GLOBAL,DATABASE,TABLE";
      rows.row(privilege.displayName(), context, PRIVILEGE_COMMENTS.get(privilege));
    }
    return rows.build();
  }

  private static final java.util.Map<Privilege, String> PRIVILEGE_COMMENTS =
      java.util.Map.of(
          Privilege.SELECT, "Privilege for select data in tables",
          Privilege.LOAD, "Privilege for loading data into tables",
          Privilege.ALTER, "Privilege for alter database or table",
          Privilege.CREATE, "Privilege for creating database or table",
          Privilege.DROP, "Privilege for dropping database or table",
          Privilege.GRANT, "Privilege for granting privileges and managing users",
          Privilege.ADMIN, "Privilege for admin user");

  /**
   * Doris's {@code SHOW DATA}: per table of the database (with a {@code Total} row), or per index
   * of one table (Basalt has one index per table, named after it). Sizes are the bytes of the
   * visible segment files, printed as Doris prints them ({@code 1.234 KB}).
   */
  private ResultSet showData(TableName target, String currentDatabase, AccessRights rights) {
    String listedDatabase = currentDatabase;
    if (target != null
        && target.database() == null
        && catalog.database(target.name()).isPresent()
        && (currentDatabase == null || catalog.table(currentDatabase, target.name()).isEmpty())) {
      // Doris reads SHOW DATA FROM x as table x of the current database; when there is no such
      // table but a database x, Basalt lists that database, which is what users mean.
      listedDatabase = target.name();
      target = null;
    }
    if (target != null) {
      TableMeta table = table(target, currentDatabase);
      TableSnapshot snapshot = catalog.snapshot(table.id());
      long bytes = bytes(snapshot);
      return ShowRows.text("TableName", "IndexName", "Size", "ReplicaCount")
          .column("RowCount", BIGINT)
          .row(
              table.name(),
              table.name(),
              readableSize(bytes),
              String.valueOf(tabletCount(table)),
              snapshot.rowCount())
          .row("", "Total", readableSize(bytes), String.valueOf(tabletCount(table)), null)
          .build();
    }
    String database = database(null, listedDatabase);
    ShowRows rows = ShowRows.text("TableName", "Size", "ReplicaCount");
    long totalBytes = 0;
    long totalReplicas = 0;
    for (TableMeta table : catalog.tables(database)) {
      if (!rights.canSeeTable(database, table.name())) {
        continue;
      }
      long bytes = bytes(catalog.snapshot(table.id()));
      long replicas = tabletCount(table);
      rows.row(table.name(), readableSize(bytes), String.valueOf(replicas));
      totalBytes += bytes;
      totalReplicas += replicas;
    }
    rows.row("Total", readableSize(totalBytes), String.valueOf(totalReplicas));
    return rows.build();
  }

  private static long tabletCount(TableMeta table) {
    return table.partitions().stream().mapToLong(p -> p.tabletIds().size()).sum();
  }

  /** Doris's size text: {@code 0.000 }, {@code 1.500 KB}, {@code 2.000 MB} ... */
  static String readableSize(long bytes) {
    String[] units = {"", "KB", "MB", "GB", "TB", "PB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.3f %s", value, units[unit]);
  }

  /**
   * {@code SHOW PROC}: {@code /} lists the directories Basalt has; {@code /dbs} the databases;
   * {@code /dbs/<db id>} the tables of one; {@code /dbs/<db id>/<table id>} ... is not there yet.
   */
  private ResultSet showProc(String path, AccessRights rights) {
    if (path.equals("/")) {
      ShowRows rows = ShowRows.text("name");
      for (String name : List.of("backends", "dbs", "frontends")) {
        rows.row(name);
      }
      return rows.build();
    }
    if (path.equals("/dbs")) {
      ShowRows rows =
          ShowRows.text("DbId", "DbName", "TableNum", "Size", "Quota", "LastConsistencyCheckTime")
              .column("ReplicaCount", BIGINT);
      for (DatabaseMeta database : catalog.databases()) {
        if (!rights.canSeeDatabase(database.name())) {
          continue;
        }
        List<TableMeta> tables = catalog.tables(database.name());
        long bytes = 0;
        long replicas = 0;
        for (TableMeta table : tables) {
          bytes += bytes(catalog.snapshot(table.id()));
          replicas += tabletCount(table);
        }
        rows.row(
            String.valueOf(database.id()),
            database.name(),
            String.valueOf(tables.size()),
            readableSize(bytes),
            "1024.000 TB",
            null,
            replicas);
      }
      return rows.build();
    }
    java.util.regex.Matcher tables = java.util.regex.Pattern.compile("/dbs/(\\d+)").matcher(path);
    if (tables.matches()) {
      long databaseId = Long.parseLong(tables.group(1));
      DatabaseMeta database =
          catalog
              .databaseById(databaseId)
              .filter(found -> rights.canSeeDatabase(found.name()))
              .orElseThrow(
                  () ->
                      new BasaltException(ErrorCode.UNKNOWN_DATABASE, String.valueOf(databaseId)));
      ShowRows rows =
          ShowRows.text(
                  "TableId",
                  "TableName",
                  "IndexNum",
                  "PartitionColumnName",
                  "DistributionColumnName",
                  "State",
                  "Type")
              .column("RowCount", BIGINT);
      for (TableMeta table : catalog.tables(database.name())) {
        if (!rights.canSeeTable(database.name(), table.name())) {
          continue;
        }
        rows.row(
            String.valueOf(table.id()),
            table.name(),
            "1",
            String.join(",", table.partitioning().columns()),
            String.join(",", table.distribution().columns()),
            "NORMAL",
            "OLAP",
            catalog.snapshot(table.id()).rowCount());
      }
      return rows.build();
    }
    throw new BasaltException(
        ErrorCode.UNSUPPORTED,
        "SHOW PROC '"
            + path
            + "' (Basalt has '/', '/dbs', '/dbs/<db id>', '/frontends' and '/backends')");
  }

  private ResultSet showTableStatus(String database, String like, AccessRights rights) {
    ShowRows rows =
        ShowRows.text("Name", "Engine")
            .column("Version", BIGINT)
            .column("Row_format", ShowRows.TEXT)
            .column("Rows", BIGINT)
            .column("Avg_row_length", BIGINT)
            .column("Data_length", BIGINT)
            .column("Max_data_length", BIGINT)
            .column("Index_length", BIGINT)
            .column("Data_free", BIGINT)
            .column("Auto_increment", BIGINT)
            .column("Create_time", DataType.DATETIME)
            .column("Update_time", DataType.DATETIME)
            .column("Check_time", DataType.DATETIME)
            .column("Collation", ShowRows.TEXT)
            .column("Checksum", BIGINT)
            .column("Create_options", ShowRows.TEXT)
            .column("Comment", ShowRows.TEXT);
    for (TableMeta table : catalog.tables(database)) {
      if (!matches(like, table.name()) || !rights.canSeeTable(database, table.name())) {
        continue;
      }
      TableSnapshot snapshot = catalog.snapshot(table.id());
      long rowCount = snapshot.rowCount();
      long bytes = bytes(snapshot);
      long updated =
          table.partitions().stream()
              .mapToLong(PartitionMeta::visibleVersionTime)
              .max()
              .orElse(table.createTime());
      rows.row(
          table.name(),
          "Doris",
          null,
          null,
          rowCount,
          rowCount == 0 ? 0L : bytes / rowCount,
          bytes,
          null,
          null,
          null,
          null,
          localTime(table.createTime()),
          localTime(updated),
          null,
          "utf8mb4_0900_bin",
          null,
          "",
          table.comment());
    }
    // A view has a row with no engine and the comment VIEW, as in MySQL (mysqldump tells views
    // from tables by it). Listed after the tables.
    for (dev.basalt.meta.catalog.ViewMeta view : catalog.views(database)) {
      if (matches(like, view.name()) && rights.canSeeTable(database, view.name())) {
        rows.row(
            view.name(),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            localTime(view.createTime()),
            null,
            null,
            null,
            null,
            null,
            "VIEW");
      }
    }
    return rows.build();
  }

  /**
   * {@code DESC t} with {@code show_hidden_columns = true}: a UNIQUE KEY table's {@link
   * HiddenColumns} follow its columns.
   */
  public ResultSet describeWithHiddenColumns(Statement.Describe describe, String currentDatabase) {
    TableMeta table = table(describe.table(), currentDatabase);
    return describe(table, HiddenColumns.withHidden(table));
  }

  /**
   * The columns of a table that {@code rights} may see, in table order: all of them with a
   * privilege on the table or above, else those granted SELECT by column (as MySQL's DESC and SHOW
   * COLUMNS, and information_schema.COLUMNS, list them).
   */
  private List<ColumnMeta> visibleColumns(
      TableName name, String currentDatabase, AccessRights rights) {
    String database = database(name.database(), currentDatabase);
    TableMeta table = table(name, currentDatabase);
    if (rights.isSuperuser()) {
      return HiddenColumns.visible(table);
    }
    List<ColumnMeta> visible = new ArrayList<>();
    for (ColumnMeta column : HiddenColumns.visible(table)) {
      if (rights.canSeeColumn(database, table.name(), column.name())) {
        visible.add(column);
      }
    }
    return visible;
  }

  /**
   * DESC, SHOW [FULL] COLUMNS or (with {@code describe} false and not {@code full}) their forms for
   * a view whose planned columns are {@code columns} (names, types, nullability only).
   */
  public ResultSet viewColumns(
      List<ColumnMeta> columns, boolean describe, boolean full, String like) {
    return describe ? describe(null, columns) : showColumns(columns, full, like);
  }

  private ResultSet describe(TableMeta table, List<ColumnMeta> columns) {
    ShowRows rows = ShowRows.text("Field", "Type", "Null", "Key", "Default", "Extra");
    for (ColumnMeta column : columns) {
      rows.row(
          column.name(),
          descType(column),
          column.nullable() ? "Yes" : "No",
          column.key() ? "true" : "false",
          defaultText(column),
          extra(column));
    }
    return rows.build();
  }

  private ResultSet describeAll(TableMeta table, List<ColumnMeta> columns) {
    ShowRows rows =
        ShowRows.text(
            "IndexName",
            "IndexKeysType",
            "Field",
            "Type",
            "InternalType",
            "Null",
            "Key",
            "Default",
            "Extra",
            "Visible",
            "DefineExpr",
            "WhereClause");
    boolean first = true;
    for (ColumnMeta column : columns) {
      rows.row(
          first ? table.name() : "",
          first ? table.keysType().name() : "",
          column.name(),
          descType(column),
          internalType(column.type()),
          column.nullable() ? "Yes" : "No",
          column.key() ? "true" : "false",
          defaultText(column),
          extra(column),
          "true",
          "",
          "");
      first = false;
    }
    return rows.build();
  }

  private ResultSet showColumns(List<ColumnMeta> columns, boolean full, String like) {
    ShowRows rows =
        full
            ? ShowRows.text(
                "Field",
                "Type",
                "Collation",
                "Null",
                "Key",
                "Default",
                "Extra",
                "Privileges",
                "Comment")
            : ShowRows.text("Field", "Type", "Null", "Key", "Default", "Extra");
    for (ColumnMeta column : columns) {
      if (!matches(like, column.name())) {
        continue;
      }
      String type = column.type().sqlName();
      String nullable = column.nullable() ? "YES" : "NO";
      String key = column.key() ? "YES" : "NO";
      String extra =
          column.aggregation() != AggregationType.NONE
              ? column.aggregation().name()
              : (column.autoIncrement() ? "AUTO_INCREMENT" : "");
      if (full) {
        String collation = column.type().kind().isString() ? "utf8mb4_0900_bin" : null;
        rows.row(
            column.name(),
            type,
            collation,
            nullable,
            key,
            defaultText(column),
            extra,
            "select,insert,update,references",
            column.comment());
      } else {
        rows.row(column.name(), type, nullable, key, defaultText(column), extra);
      }
    }
    return rows.build();
  }

  /**
   * {@code SHOW PARTITIONS FROM t}, or with {@code temporary} {@code SHOW TEMPORARY PARTITIONS FROM
   * t} (the same columns, one row per temporary partition).
   */
  private ResultSet showPartitions(TableMeta table, boolean temporary) {
    ShowRows rows =
        ShowRows.text(
            "PartitionId",
            "PartitionName",
            "VisibleVersion",
            "VisibleVersionTime",
            "State",
            "PartitionKey",
            "Range",
            "DistributionKey",
            "Buckets",
            "ReplicationNum",
            "StorageMedium",
            "CooldownTime",
            "RemoteStoragePolicy",
            "LastConsistencyCheckTime",
            "DataSize",
            "IsInMemory",
            "ReplicaAllocation",
            "IsMutable",
            "RowCount");
    TableSnapshot snapshot = catalog.snapshot(table.id());
    String distributionKey =
        table.distribution().kind() == DistributionKind.HASH
            ? String.join(", ", table.distribution().columns())
            : "RANDOM";
    for (TableSnapshot.PartitionSnapshot partitionSnapshot :
        temporary ? snapshot.temporaryPartitions() : snapshot.partitions()) {
      PartitionMeta partition = partitionSnapshot.partition();
      long bytes =
          partitionSnapshot.rowsets().values().stream()
              .flatMap(List::stream)
              .mapToLong(RowsetMeta::byteSize)
              .sum();
      rows.row(
          String.valueOf(partition.id()),
          partition.name(),
          String.valueOf(partitionSnapshot.visibleVersion()),
          TIME.format(localTime(partition.visibleVersionTime())),
          "NORMAL",
          String.join(", ", table.partitioning().columns()),
          rangeText(table, partition),
          distributionKey,
          String.valueOf(partition.tabletIds().size()),
          "1",
          "HDD",
          "9999-12-31 23:59:59",
          "",
          null,
          byteText(bytes),
          "false",
          "tag.location.default: 1",
          "true",
          String.valueOf(liveRows(partitionSnapshot)));
    }
    return rows.build();
  }

  /** The rows of a partition's visible rowsets less those its delete bitmaps mark. */
  private static long liveRows(TableSnapshot.PartitionSnapshot partition) {
    long rows = 0;
    for (List<RowsetMeta> rowsets : partition.rowsets().values()) {
      for (RowsetMeta rowset : rowsets) {
        rows += rowset.segments().stream().mapToLong(SegmentFile::rowCount).sum();
      }
    }
    java.util.Map<String, org.roaringbitmap.RoaringBitmap> deleted = new java.util.HashMap<>();
    for (List<SegmentDeletes> layers : partition.deletes().values()) {
      for (SegmentDeletes layer : layers) {
        if (layer.version() <= partition.visibleVersion()) {
          deleted.merge(
              layer.segmentPath(),
              layer.rows(),
              (left, right) -> org.roaringbitmap.RoaringBitmap.or(left, right));
        }
      }
    }
    for (org.roaringbitmap.RoaringBitmap rowsDeleted : deleted.values()) {
      rows -= rowsDeleted.getLongCardinality();
    }
    return rows;
  }

  /**
   * One row per tablet of the named partitions (formal or temporary), or of every formal partition
   * when none is named, in partition then bucket order.
   */
  private ResultSet showTablets(TableMeta table, List<String> partitionNames, boolean temporary) {
    Set<Long> chosen = new HashSet<>();
    for (PartitionMeta partition : PartitionPruner.selected(table, partitionNames, temporary)) {
      chosen.add(partition.id());
    }
    ShowRows rows =
        ShowRows.text(
            "TabletId",
            "ReplicaId",
            "BackendId",
            "SchemaHash",
            "Version",
            "LstSuccessVersion",
            "LstFailedVersion",
            "LstFailedTime",
            "LocalDataSize",
            "RemoteDataSize",
            "RowCount",
            "State",
            "LstConsistencyCheckTime",
            "CheckVersion",
            "VisibleVersionCount",
            "VersionCount",
            "QueryHits",
            "PathHash",
            "Path",
            "MetaUrl",
            "CompactionStatus",
            "CooldownReplicaId",
            "CooldownMetaId");
    TableSnapshot snapshot = catalog.snapshot(table.id());
    List<TableSnapshot.PartitionSnapshot> partitions =
        temporary ? snapshot.temporaryPartitions() : snapshot.partitions();
    for (TableSnapshot.PartitionSnapshot partition : partitions) {
      if (!chosen.contains(partition.partition().id())) {
        continue;
      }
      for (var tablet : partition.rowsets().entrySet()) {
        List<RowsetMeta> rowsets = tablet.getValue();
        long bytes = rowsets.stream().mapToLong(RowsetMeta::byteSize).sum();
        long rowCount = rowsets.stream().mapToLong(RowsetMeta::rowCount).sum();
        String version = String.valueOf(partition.visibleVersion());
        // Basalt has one replica per tablet on the local node: replica id = tablet id, backend 1.
        rows.row(
            String.valueOf(tablet.getKey()),
            String.valueOf(tablet.getKey()),
            "1",
            "0",
            version,
            version,
            "-1",
            null,
            String.valueOf(bytes),
            "0",
            String.valueOf(rowCount),
            "NORMAL",
            null,
            "-1",
            String.valueOf(rowsets.size()),
            String.valueOf(rowsets.size()),
            "0",
            "0",
            "",
            "",
            "",
            "-1",
            "");
      }
    }
    return rows.build();
  }

  // ---------------------------------------------------------------- helpers

  private String database(String named, String currentDatabase) {
    String database = named != null ? named : currentDatabase;
    if (database == null) {
      throw new BasaltException(ErrorCode.NO_DATABASE_SELECTED);
    }
    if (catalog.database(database).isEmpty()) {
      throw new BasaltException(ErrorCode.UNKNOWN_DATABASE, database);
    }
    return database;
  }

  private TableMeta table(TableName name, String currentDatabase) {
    String database = database(name.database(), currentDatabase);
    return catalog
        .table(database, name.name())
        .orElseThrow(
            () -> new BasaltException(ErrorCode.UNKNOWN_TABLE, database + "." + name.name()));
  }

  private LocalDateTime localTime(long epochMillis) {
    return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), zone).withNano(0);
  }

  private static long bytes(TableSnapshot snapshot) {
    return snapshot.partitions().stream()
        .flatMap(p -> p.rowsets().values().stream())
        .flatMap(List::stream)
        .mapToLong(RowsetMeta::byteSize)
        .sum();
  }

  /**
   * DESC's type text as Doris 2.x prints it: lower case ({@code int}, {@code varchar(20)}, {@code
   * decimal(10,2)}, {@code datetime(3)}), {@code text} for STRING.
   */
  private static String descType(ColumnMeta column) {
    return column.type().sqlName();
  }

  private static String internalType(DataType type) {
    return switch (type.kind()) {
      case DATE -> "DATEV2";
      case DATETIME -> "DATETIMEV2(" + type.scale() + ")";
      case DECIMAL -> "DECIMALV3(" + type.precision() + ", " + type.scale() + ")";
      default -> type.sqlName().toUpperCase(Locale.ROOT);
    };
  }

  private static String defaultText(ColumnMeta column) {
    DefaultValue value = column.defaultValue();
    return switch (value.kind()) {
      case NONE, NULL -> null;
      case LITERAL -> value.literal();
      case CURRENT_TIMESTAMP -> "CURRENT_TIMESTAMP";
    };
  }

  private static String extra(ColumnMeta column) {
    if (column.autoIncrement()) {
      return "AUTO_INCREMENT";
    }
    if (column.key()) {
      return "";
    }
    return column.aggregation().name();
  }

  /**
   * Doris's partition range text, e.g. {@code [types: [INT]; keys: [0]; ..types: [INT]; keys: [10];
   * )}.
   */
  static String rangeText(TableMeta table, PartitionMeta partition) {
    if (table.partitioning().kind() == PartitionKind.NONE) {
      return "";
    }
    List<DataType> types =
        table.partitioning().columns().stream()
            .map(c -> table.column(c).orElseThrow().type())
            .toList();
    String typeList =
        types.stream().map(PartitionValues::dorisTypeName).collect(Collectors.joining(", "));
    if (table.partitioning().kind() == PartitionKind.LIST) {
      return partition.listValues().stream()
          .map(tuple -> "types: [" + typeList + "]; keys: [" + String.join(", ", tuple) + "]; ")
          .collect(Collectors.joining(", ", "[", "]"));
    }
    List<String> lower = new ArrayList<>(partition.lowerBound());
    for (int i = lower.size(); i < types.size(); i++) {
      lower.add(PartitionValues.minimum(types.get(i)));
    }
    String upper =
        partition.upperBound().isEmpty() ? "MAXVALUE" : String.join(", ", partition.upperBound());
    return "[types: ["
        + typeList
        + "]; keys: ["
        + String.join(", ", lower)
        + "]; ..types: ["
        + typeList
        + "]; keys: ["
        + upper
        + "]; )";
  }

  /** Doris's size text: {@code 0.000 }, {@code 12.000 B}, {@code 1.500 KB}, ... */
  static String byteText(long bytes) {
    if (bytes == 0) {
      return "0.000 ";
    }
    String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.3f %s", value, units[unit]);
  }

  /**
   * SQL LIKE with {@code %}, {@code _} and backslash escapes, case-insensitive, as SHOW ... LIKE
   * matches names; a null pattern matches everything.
   */
  public static boolean matches(String pattern, String value) {
    if (pattern == null) {
      return true;
    }
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (c == '%') {
        regex.append(".*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(
            regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL)
        .matcher(value)
        .matches();
  }
}
