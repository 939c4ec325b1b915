package dev.basalt.server.engine;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.DatabaseMeta;
import dev.basalt.meta.catalog.HiddenColumns;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.PartitionMeta;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.TableSnapshot;
import dev.basalt.meta.catalog.ViewMeta;
import dev.basalt.meta.privilege.AccessRights;
import dev.basalt.server.session.Session;
import dev.basalt.server.session.SessionRegistry;
import dev.basalt.sql.parser.SqlRedaction;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Generates the rows of an {@link SystemTable} from the catalog and the live sessions. */
final class SystemTableRows {
  static final String INFORMATION_SCHEMA = "information_schema";

  /** A view's columns as a query over it sees them (the view is planned). */
  @FunctionalInterface
  interface ViewColumns {
    List<ColumnMeta> of(Session session, String database, String view);
  }

  private final Catalog catalog;
  private final SessionRegistry sessions;
  private final SystemVariables variables;
  private final ViewColumns viewColumns;

  SystemTableRows(
      Catalog catalog,
      SessionRegistry sessions,
      SystemVariables variables,
      ViewColumns viewColumns) {
    this.catalog = catalog;
    this.sessions = sessions;
    this.variables = variables;
    this.viewColumns = viewColumns;
  }

  private void partitionRows(String database, TableMeta meta, List<Object[]> rows) {
    TableSnapshot snapshot = catalog.snapshot(meta.id());
    String method =
        switch (meta.partitioning().kind()) {
          case RANGE -> "RANGE";
          case LIST -> "LIST";
          default -> null;
        };
    String expression =
        method == null
            ? null
            : meta.partitioning().columns().stream()
                .map(column -> "`" + column + "`")
                .collect(java.util.stream.Collectors.joining(","));
    int position = 1;
    for (TableSnapshot.PartitionSnapshot partition : snapshot.partitions()) {
      PartitionMeta partitionMeta = partition.partition();
      long rowCount = 0;
      long bytes = 0;
      for (List<dev.basalt.meta.catalog.RowsetMeta> rowsets : partition.rowsets().values()) {
        for (dev.basalt.meta.catalog.RowsetMeta rowset : rowsets) {
          rowCount += rowset.rowCount();
          bytes += rowset.byteSize();
        }
      }
      String description = null;
      if ("RANGE".equals(method)) {
        description =
            partitionMeta.upperBound().isEmpty()
                ? "MAXVALUE"
                : String.join(",", partitionMeta.upperBound());
      } else if ("LIST".equals(method)) {
        description =
            partitionMeta.listValues().stream()
                .map(values -> String.join(",", values))
                .collect(java.util.stream.Collectors.joining(","));
      }
      rows.add(
          new Object[] {
            "internal",
            database,
            meta.name(),
            method == null ? null : partitionMeta.name(),
            null,
            method == null ? null : (long) position,
            null,
            method,
            null,
            expression,
            null,
            description,
            rowCount,
            rowCount == 0 ? 0L : bytes / rowCount,
            bytes,
            0L,
            0L,
            0L,
            dateTime(meta.createTime()),
            partitionMeta.visibleVersionTime() > 0
                ? dateTime(partitionMeta.visibleVersionTime())
                : null,
            null,
            null,
            "",
            "default",
            null
          });
      position++;
    }
  }

  private static void keyRows(
      SystemTable table, String database, TableMeta meta, List<Object[]> rows) {
    if (table == SystemTable.TABLE_CONSTRAINTS) {
      rows.add(new Object[] {"def", database, "PRIMARY", database, meta.name(), "PRIMARY KEY"});
      return;
    }
    int position = 1;
    for (String key : meta.keyColumns()) {
      if (table == SystemTable.KEY_COLUMN_USAGE) {
        rows.add(
            new Object[] {
              "def",
              database,
              "PRIMARY",
              "def",
              database,
              meta.name(),
              key,
              (long) position,
              null,
              null,
              null,
              null
            });
      } else {
        boolean nullable = meta.column(key).map(ColumnMeta::nullable).orElse(false);
        rows.add(
            new Object[] {
              "def",
              database,
              meta.name(),
              0L,
              database,
              "PRIMARY",
              (long) position,
              key,
              "A",
              null,
              null,
              null,
              nullable ? "YES" : "",
              "BTREE",
              "",
              ""
            });
      }
      position++;
    }
  }

  /**
   * The columns of each view of {@code database} the user may see, as a query over the view sees
   * them (GUI tools read a view's columns here). A view that no longer plans (a table or column it
   * reads was dropped) has no rows, as in MySQL, which warns instead.
   */
  private void viewColumnRows(
      Session session, AccessRights rights, String database, List<Object[]> rows) {
    for (ViewMeta view : catalog.views(database)) {
      if (!rights.canSeeTable(database, view.name())) {
        continue;
      }
      List<ColumnMeta> columns;
      try {
        columns = viewColumns.of(session, database, view.name());
      } catch (BasaltException invalid) {
        continue;
      }
      int position = 1;
      for (ColumnMeta column : columns) {
        rows.add(
            columnRow(
                database,
                view.name(),
                column.name(),
                position++,
                column.type(),
                column.nullable(),
                false,
                null,
                ""));
      }
    }
  }

  /** The rows of a system table as {@code session}'s user may see them (docs/security.md). */
  List<Object[]> rows(SystemTable table, Session session) {
    AccessRights rights = catalog.accessRights(session.user());
    List<Object[]> rows = new ArrayList<>();
    switch (table) {
      case SCHEMATA -> {
        rows.add(
            new Object[] {
              "internal", INFORMATION_SCHEMA, "utf8mb4", "utf8mb4_0900_bin", null, "NO"
            });
        for (DatabaseMeta database : visibleDatabases(rights)) {
          rows.add(
              new Object[] {
                "internal", database.name(), "utf8mb4", "utf8mb4_0900_bin", null, "NO"
              });
        }
      }
      case TABLES -> {
        for (SystemTable system : SystemTable.values()) {
          rows.add(
              tableRow(
                  INFORMATION_SCHEMA, system.tableName(), "SYSTEM VIEW", "MEMORY", 0, null, ""));
        }
        for (DatabaseMeta database : visibleDatabases(rights)) {
          for (TableMeta meta : visibleTables(rights, database)) {
            long rowCount = catalog.snapshot(meta.id()).rowCount();
            rows.add(
                tableRow(
                    database.name(),
                    meta.name(),
                    "BASE TABLE",
                    "Doris",
                    rowCount,
                    dateTime(meta.createTime()),
                    meta.comment()));
          }
          for (ViewMeta view : catalog.views(database.name())) {
            if (rights.canSeeTable(database.name(), view.name())) {
              Object[] row =
                  tableRow(
                      database.name(),
                      view.name(),
                      "VIEW",
                      null,
                      0,
                      dateTime(view.createTime()),
                      "VIEW");
              // MySQL reports no engine, version, row format or sizes for a view.
              for (int i = 5; i <= 13; i++) {
                row[i] = null;
              }
              row[17] = null;
              rows.add(row);
            }
          }
        }
      }
      case VIEWS -> {
        for (DatabaseMeta database : visibleDatabases(rights)) {
          for (ViewMeta view : catalog.views(database.name())) {
            if (rights.canSeeTable(database.name(), view.name())) {
              rows.add(
                  new Object[] {
                    "def",
                    database.name(),
                    view.name(),
                    view.definition(),
                    "NONE",
                    "NO",
                    view.definer(),
                    "DEFINER",
                    "utf8mb4",
                    "utf8mb4_0900_bin"
                  });
            }
          }
        }
      }
      case COLUMNS -> {
        for (SystemTable system : SystemTable.values()) {
          int position = 1;
          for (var column : system.columns()) {
            rows.add(
                columnRow(
                    INFORMATION_SCHEMA,
                    system.tableName(),
                    column.name(),
                    position++,
                    column.type(),
                    true,
                    false,
                    null,
                    ""));
          }
        }
        for (DatabaseMeta database : visibleDatabases(rights)) {
          for (TableMeta meta : visibleTables(rights, database)) {
            int position = 0;
            for (ColumnMeta column : HiddenColumns.visible(meta)) {
              position++; // the column's real position, also when columns before it are hidden
              if (!rights.canSeeColumn(database.name(), meta.name(), column.name())) {
                continue; // a user with column privileges sees only those columns
              }
              String defaultText =
                  column.defaultValue() == null ? null : column.defaultValue().literal();
              rows.add(
                  columnRow(
                      database.name(),
                      meta.name(),
                      column.name(),
                      position,
                      column.type(),
                      column.nullable(),
                      column.key(),
                      defaultText,
                      column.comment()));
            }
          }
          viewColumnRows(session, rights, database.name(), rows);
        }
      }
      case ENGINES ->
          rows.add(
              new Object[] {
                "Doris",
                "DEFAULT",
                "Basalt columnar storage (Doris-compatible OLAP tables)",
                "YES",
                "NO",
                "NO"
              });
      case CHARACTER_SETS ->
          rows.add(new Object[] {"utf8mb4", "utf8mb4_0900_bin", "UTF-8 Unicode", 4L});
      case COLLATIONS -> {
        rows.add(new Object[] {"utf8mb4_0900_bin", "utf8mb4", 309L, "Yes", "Yes", 1L});
        rows.add(new Object[] {"utf8mb4_general_ci", "utf8mb4", 45L, "", "Yes", 1L});
      }
      case SESSION_VARIABLES, GLOBAL_VARIABLES -> {
        boolean global = table == SystemTable.GLOBAL_VARIABLES;
        for (Map.Entry<String, Object> entry : variables.all(session, global).entrySet()) {
          rows.add(
              new Object[] {
                entry.getKey().toUpperCase(Locale.ROOT), VariableText.of(entry.getValue())
              });
        }
      }
      case PROCESSLIST -> rows.addAll(processList(session, rights, true));
      case PARTITIONS -> {
        for (DatabaseMeta database : visibleDatabases(rights)) {
          for (TableMeta meta : visibleTables(rights, database)) {
            partitionRows(database.name(), meta, rows);
          }
        }
      }
      case STATISTICS, KEY_COLUMN_USAGE, TABLE_CONSTRAINTS -> {
        // A UNIQUE KEY table's key is unique, so it is reported as the table's primary key (the
        // form SQLAlchemy, DBeaver and DataGrip read keys in); DUPLICATE and AGGREGATE keys are
        // sort keys, not constraints, and are not listed (docs/sql.md).
        for (DatabaseMeta database : visibleDatabases(rights)) {
          for (TableMeta meta : visibleTables(rights, database)) {
            if (meta.keysType() != KeysType.UNIQUE_KEYS) {
              continue;
            }
            keyRows(table, database.name(), meta, rows);
          }
        }
      }
      default -> {
        // Routines, files and foreign keys: Basalt has none of these objects.
      }
    }
    return rows;
  }

  private static Object[] tableRow(
      String database,
      String name,
      String type,
      String engine,
      long rows,
      LocalDateTime created,
      String comment) {
    return new Object[] {
      "internal",
      database,
      name,
      type,
      engine,
      10L,
      "Dynamic",
      rows,
      0L,
      0L,
      0L,
      0L,
      0L,
      null,
      created,
      null,
      null,
      "utf8mb4_0900_bin",
      null,
      "",
      comment
    };
  }

  private static Object[] columnRow(
      String database,
      String table,
      String column,
      int position,
      DataType type,
      boolean nullable,
      boolean key,
      String defaultText,
      String comment) {
    boolean isString = type.kind().isString();
    Long length = isString ? Long.valueOf(type.length()) : null;
    Long precision =
        type.kind() == TypeKind.DECIMAL ? Long.valueOf(type.precision()) : numericPrecision(type);
    Long scale =
        type.kind() == TypeKind.DECIMAL
            ? Long.valueOf(type.scale())
            : (type.kind().isInteger() ? Long.valueOf(0) : null);
    Long datetimePrecision = type.kind() == TypeKind.DATETIME ? Long.valueOf(type.scale()) : null;
    return new Object[] {
      "internal",
      database,
      table,
      column,
      (long) position,
      defaultText,
      nullable ? "YES" : "NO",
      dataTypeName(type),
      length,
      length == null ? null : length * 4,
      precision,
      scale,
      datetimePrecision,
      isString ? "utf8mb4" : null,
      isString ? "utf8mb4_0900_bin" : null,
      columnTypeName(type),
      key ? "PRI" : "",
      "",
      "select,insert,update,references",
      comment,
      length != null ? length : precision,
      scale,
      null,
      null
    };
  }

  private static Long numericPrecision(DataType type) {
    return switch (type.kind()) {
      case BOOLEAN -> 0L;
      case TINYINT -> 3L;
      case SMALLINT -> 5L;
      case INT -> 10L;
      case BIGINT -> 19L;
      case LARGEINT -> 39L;
      case FLOAT -> 12L;
      case DOUBLE -> 22L;
      default -> null;
    };
  }

  /**
   * {@code DATA_TYPE} as the Doris connectors expect it (BOOLEAN is tinyint, LARGEINT bigint
   * unsigned).
   */
  static String dataTypeName(DataType type) {
    return switch (type.kind()) {
      case BOOLEAN -> "tinyint";
      case LARGEINT -> "bigint unsigned";
      case STRING -> "text";
      default -> type.kind().name().toLowerCase(Locale.ROOT);
    };
  }

  static String columnTypeName(DataType type) {
    return switch (type.kind()) {
      case BOOLEAN -> "tinyint(1)";
      case TINYINT -> "tinyint(4)";
      case SMALLINT -> "smallint(6)";
      case INT -> "int(11)";
      case BIGINT -> "bigint(20)";
      case LARGEINT -> "largeint(40)";
      default -> type.sqlName();
    };
  }

  private static LocalDateTime dateTime(long epochMillis) {
    return LocalDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneId.systemDefault())
        .withNano(0);
  }

  private List<DatabaseMeta> visibleDatabases(AccessRights rights) {
    return catalog.databases().stream()
        .filter(database -> rights.canSeeDatabase(database.name()))
        .toList();
  }

  private List<TableMeta> visibleTables(AccessRights rights, DatabaseMeta database) {
    return catalog.tables(database.name()).stream()
        .filter(table -> rights.canSeeTable(database.name(), table.name()))
        .toList();
  }

  /** The characters of a statement SHOW PROCESSLIST shows without FULL, as MySQL. */
  private static final int PROCESSLIST_INFO_CHARACTERS = 100;

  /**
   * The rows of SHOW [FULL] PROCESSLIST and information_schema.PROCESSLIST: Id, User, Host, db,
   * Command (Query/Sleep ...), Time (seconds since the command began), State, Info (the statement,
   * its literals replaced by {@code ?} as in the logs; its first 100 characters unless {@code
   * full}), QueryId.
   */
  List<Object[]> processList(Session viewer, AccessRights rights, boolean full) {
    List<Object[]> rows = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (Session other : visibleSessions(viewer, rights)) {
      String statement = other.currentStatement();
      String info = statement == null ? null : SqlRedaction.redact(statement);
      if (info != null && !full && info.length() > PROCESSLIST_INFO_CHARACTERS) {
        info = info.substring(0, PROCESSLIST_INFO_CHARACTERS);
      }
      rows.add(
          new Object[] {
            other.connectionId(),
            other.user(),
            other.clientHost(),
            other.currentDatabase(),
            other.command(),
            Math.max(0, (now - other.commandStartMillis()) / 1000),
            other.state(),
            info,
            other.currentQueryId()
          });
    }
    return rows;
  }

  /** Every session for a superuser; otherwise the user's own sessions, as MySQL without PROCESS. */
  List<Session> visibleSessions(Session viewer, AccessRights rights) {
    return sessions.sessions().stream()
        .filter(other -> rights.isSuperuser() || other.user().equals(viewer.user()))
        .toList();
  }
}
