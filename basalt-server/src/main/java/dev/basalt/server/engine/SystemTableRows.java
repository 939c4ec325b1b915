package dev.basalt.server.engine;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.DatabaseMeta;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.privilege.AccessRights;
import dev.basalt.server.session.Session;
import dev.basalt.server.session.SessionRegistry;
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

  private final Catalog catalog;
  private final SessionRegistry sessions;
  private final SystemVariables variables;

  SystemTableRows(Catalog catalog, SessionRegistry sessions, SystemVariables variables) {
    this.catalog = catalog;
    this.sessions = sessions;
    this.variables = variables;
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
            int position = 1;
            for (ColumnMeta column : meta.columns()) {
              String defaultText =
                  column.defaultValue() == null ? null : column.defaultValue().literal();
              rows.add(
                  columnRow(
                      database.name(),
                      meta.name(),
                      column.name(),
                      position++,
                      column.type(),
                      column.nullable(),
                      column.key(),
                      defaultText,
                      column.comment()));
            }
          }
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
      case PROCESSLIST -> {
        for (Session other : visibleSessions(session, rights)) {
          rows.add(
              new Object[] {
                other.connectionId(),
                other.user(),
                other.clientHost(),
                other.currentDatabase(),
                other.command(),
                (System.currentTimeMillis() - other.commandStartMillis()) / 1000,
                "",
                other.currentStatement(),
                other.currentQueryId()
              });
        }
      }
      default -> {
        // VIEWS, STATISTICS, constraints and routines: Basalt has none of these objects yet.
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

  /** Every session for a superuser; otherwise the user's own sessions, as MySQL without PROCESS. */
  List<Session> visibleSessions(Session viewer, AccessRights rights) {
    return sessions.sessions().stream()
        .filter(other -> rights.isSuperuser() || other.user().equals(viewer.user()))
        .toList();
  }
}
