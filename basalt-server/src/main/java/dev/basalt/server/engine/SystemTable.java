package dev.basalt.server.engine;

import dev.basalt.common.type.DataType;
import dev.basalt.sql.schema.ColumnDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables of {@code information_schema}: their columns follow MySQL 5.7 (plus what Doris adds
 * where tools rely on it); their rows are generated from the catalog and the live sessions by
 * {@link SystemTableRows} when a query scans them.
 */
enum SystemTable {
  SCHEMATA(
      "CATALOG_NAME",
      "SCHEMA_NAME",
      "DEFAULT_CHARACTER_SET_NAME",
      "DEFAULT_COLLATION_NAME",
      "SQL_PATH",
      "DEFAULT_ENCRYPTION"),
  TABLES(
      "TABLE_CATALOG",
      "TABLE_SCHEMA",
      "TABLE_NAME",
      "TABLE_TYPE",
      "ENGINE",
      "#VERSION",
      "ROW_FORMAT",
      "#TABLE_ROWS",
      "#AVG_ROW_LENGTH",
      "#DATA_LENGTH",
      "#MAX_DATA_LENGTH",
      "#INDEX_LENGTH",
      "#DATA_FREE",
      "#AUTO_INCREMENT",
      "@CREATE_TIME",
      "@UPDATE_TIME",
      "@CHECK_TIME",
      "TABLE_COLLATION",
      "#CHECKSUM",
      "CREATE_OPTIONS",
      "TABLE_COMMENT"),
  COLUMNS(
      "TABLE_CATALOG",
      "TABLE_SCHEMA",
      "TABLE_NAME",
      "COLUMN_NAME",
      "#ORDINAL_POSITION",
      "COLUMN_DEFAULT",
      "IS_NULLABLE",
      "DATA_TYPE",
      "#CHARACTER_MAXIMUM_LENGTH",
      "#CHARACTER_OCTET_LENGTH",
      "#NUMERIC_PRECISION",
      "#NUMERIC_SCALE",
      "#DATETIME_PRECISION",
      "CHARACTER_SET_NAME",
      "COLLATION_NAME",
      "COLUMN_TYPE",
      "COLUMN_KEY",
      "EXTRA",
      "PRIVILEGES",
      "COLUMN_COMMENT",
      "#COLUMN_SIZE",
      "#DECIMAL_DIGITS",
      "GENERATION_EXPRESSION",
      "#SRS_ID"),
  VIEWS(
      "TABLE_CATALOG",
      "TABLE_SCHEMA",
      "TABLE_NAME",
      "VIEW_DEFINITION",
      "CHECK_OPTION",
      "IS_UPDATABLE",
      "DEFINER",
      "SECURITY_TYPE",
      "CHARACTER_SET_CLIENT",
      "COLLATION_CONNECTION"),
  STATISTICS(
      "TABLE_CATALOG",
      "TABLE_SCHEMA",
      "TABLE_NAME",
      "#NON_UNIQUE",
      "INDEX_SCHEMA",
      "INDEX_NAME",
      "#SEQ_IN_INDEX",
      "COLUMN_NAME",
      "COLLATION",
      "#CARDINALITY",
      "#SUB_PART",
      "PACKED",
      "NULLABLE",
      "INDEX_TYPE",
      "COMMENT",
      "INDEX_COMMENT"),
  TABLE_CONSTRAINTS(
      "CONSTRAINT_CATALOG",
      "CONSTRAINT_SCHEMA",
      "CONSTRAINT_NAME",
      "TABLE_SCHEMA",
      "TABLE_NAME",
      "CONSTRAINT_TYPE"),
  KEY_COLUMN_USAGE(
      "CONSTRAINT_CATALOG",
      "CONSTRAINT_SCHEMA",
      "CONSTRAINT_NAME",
      "TABLE_CATALOG",
      "TABLE_SCHEMA",
      "TABLE_NAME",
      "COLUMN_NAME",
      "#ORDINAL_POSITION",
      "#POSITION_IN_UNIQUE_CONSTRAINT",
      "REFERENCED_TABLE_SCHEMA",
      "REFERENCED_TABLE_NAME",
      "REFERENCED_COLUMN_NAME"),
  REFERENTIAL_CONSTRAINTS(
      "CONSTRAINT_CATALOG",
      "CONSTRAINT_SCHEMA",
      "CONSTRAINT_NAME",
      "UNIQUE_CONSTRAINT_CATALOG",
      "UNIQUE_CONSTRAINT_SCHEMA",
      "UNIQUE_CONSTRAINT_NAME",
      "MATCH_OPTION",
      "UPDATE_RULE",
      "DELETE_RULE",
      "TABLE_NAME",
      "REFERENCED_TABLE_NAME"),
  ROUTINES(
      "SPECIFIC_NAME",
      "ROUTINE_CATALOG",
      "ROUTINE_SCHEMA",
      "ROUTINE_NAME",
      "ROUTINE_TYPE",
      "DTD_IDENTIFIER",
      "ROUTINE_BODY",
      "ROUTINE_DEFINITION",
      "ROUTINE_COMMENT"),
  PARTITIONS(
      "TABLE_CATALOG",
      "TABLE_SCHEMA",
      "TABLE_NAME",
      "PARTITION_NAME",
      "SUBPARTITION_NAME",
      "#PARTITION_ORDINAL_POSITION",
      "#SUBPARTITION_ORDINAL_POSITION",
      "PARTITION_METHOD",
      "SUBPARTITION_METHOD",
      "PARTITION_EXPRESSION",
      "SUBPARTITION_EXPRESSION",
      "PARTITION_DESCRIPTION",
      "#TABLE_ROWS",
      "#AVG_ROW_LENGTH",
      "#DATA_LENGTH",
      "#MAX_DATA_LENGTH",
      "#INDEX_LENGTH",
      "#DATA_FREE",
      "@CREATE_TIME",
      "@UPDATE_TIME",
      "@CHECK_TIME",
      "#CHECKSUM",
      "PARTITION_COMMENT",
      "NODEGROUP",
      "TABLESPACE_NAME"),
  FILES(
      "#FILE_ID",
      "FILE_NAME",
      "FILE_TYPE",
      "TABLESPACE_NAME",
      "TABLE_CATALOG",
      "TABLE_SCHEMA",
      "TABLE_NAME",
      "LOGFILE_GROUP_NAME",
      "#LOGFILE_GROUP_NUMBER",
      "ENGINE",
      "FULLTEXT_KEYS",
      "#DELETED_ROWS",
      "#UPDATE_COUNT",
      "#FREE_EXTENTS",
      "#TOTAL_EXTENTS",
      "#EXTENT_SIZE",
      "#INITIAL_SIZE",
      "#MAXIMUM_SIZE",
      "#AUTOEXTEND_SIZE",
      "@CREATION_TIME",
      "@LAST_UPDATE_TIME",
      "@LAST_ACCESS_TIME",
      "#RECOVER_TIME",
      "#TRANSACTION_COUNTER",
      "#VERSION",
      "ROW_FORMAT",
      "#TABLE_ROWS",
      "#AVG_ROW_LENGTH",
      "#DATA_LENGTH",
      "#MAX_DATA_LENGTH",
      "#INDEX_LENGTH",
      "#DATA_FREE",
      "@CREATE_TIME",
      "@UPDATE_TIME",
      "@CHECK_TIME",
      "#CHECKSUM",
      "STATUS",
      "EXTRA"),
  TRIGGERS(
      "TRIGGER_CATALOG",
      "TRIGGER_SCHEMA",
      "TRIGGER_NAME",
      "EVENT_MANIPULATION",
      "EVENT_OBJECT_CATALOG",
      "EVENT_OBJECT_SCHEMA",
      "EVENT_OBJECT_TABLE",
      "#ACTION_ORDER",
      "ACTION_CONDITION",
      "ACTION_STATEMENT",
      "ACTION_ORIENTATION",
      "ACTION_TIMING",
      "ACTION_REFERENCE_OLD_TABLE",
      "ACTION_REFERENCE_NEW_TABLE",
      "ACTION_REFERENCE_OLD_ROW",
      "ACTION_REFERENCE_NEW_ROW",
      "@CREATED",
      "SQL_MODE",
      "DEFINER",
      "CHARACTER_SET_CLIENT",
      "COLLATION_CONNECTION",
      "DATABASE_COLLATION"),
  EVENTS(
      "EVENT_CATALOG",
      "EVENT_SCHEMA",
      "EVENT_NAME",
      "DEFINER",
      "TIME_ZONE",
      "EVENT_BODY",
      "EVENT_DEFINITION",
      "EVENT_TYPE",
      "@EXECUTE_AT",
      "INTERVAL_VALUE",
      "INTERVAL_FIELD",
      "SQL_MODE",
      "@STARTS",
      "@ENDS",
      "STATUS",
      "ON_COMPLETION",
      "@CREATED",
      "@LAST_ALTERED",
      "@LAST_EXECUTED",
      "EVENT_COMMENT",
      "#ORIGINATOR",
      "CHARACTER_SET_CLIENT",
      "COLLATION_CONNECTION",
      "DATABASE_COLLATION"),
  ENGINES("ENGINE", "SUPPORT", "COMMENT", "TRANSACTIONS", "XA", "SAVEPOINTS"),
  CHARACTER_SETS("CHARACTER_SET_NAME", "DEFAULT_COLLATE_NAME", "DESCRIPTION", "#MAXLEN"),
  COLLATIONS(
      "COLLATION_NAME", "CHARACTER_SET_NAME", "#ID", "IS_DEFAULT", "IS_COMPILED", "#SORTLEN"),
  SESSION_VARIABLES("VARIABLE_NAME", "VARIABLE_VALUE"),
  GLOBAL_VARIABLES("VARIABLE_NAME", "VARIABLE_VALUE"),
  PROCESSLIST("#ID", "USER", "HOST", "DB", "COMMAND", "#TIME", "STATE", "INFO", "QUERY_ID");

  private final List<ColumnDescriptor> columns;

  /**
   * Column names; a {@code #} prefix makes a BIGINT column, {@code @} a DATETIME, others are
   * strings.
   */
  SystemTable(String... columnNames) {
    List<ColumnDescriptor> list = new ArrayList<>();
    for (String name : columnNames) {
      if (name.startsWith("#")) {
        list.add(new ColumnDescriptor(name.substring(1), DataType.BIGINT, true));
      } else if (name.startsWith("@")) {
        list.add(new ColumnDescriptor(name.substring(1), DataType.DATETIME, true));
      } else {
        list.add(new ColumnDescriptor(name, DataType.varchar(512), true));
      }
    }
    this.columns = List.copyOf(list);
  }

  List<ColumnDescriptor> columns() {
    return columns;
  }

  String tableName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
