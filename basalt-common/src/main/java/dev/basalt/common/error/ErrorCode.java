package dev.basalt.common.error;

/**
 * Every error a user can see: a name, the MySQL error number and SQLSTATE that clients receive, and
 * a message template ({@link String#format} style).
 *
 * <p>Add a code here rather than reusing a loosely fitting one; tests match on the message text.
 */
public enum ErrorCode {
  // Syntax and analysis
  SYNTAX_ERROR(1064, "42000", "You have an error in your SQL syntax; %s"),
  UNKNOWN_DATABASE(1049, "42000", "Unknown database '%s'"),
  NO_DATABASE_SELECTED(1046, "3D000", "No database selected"),
  UNKNOWN_TABLE(1146, "42S02", "Table '%s' doesn't exist"),
  UNKNOWN_COLUMN(1054, "42S22", "Unknown column '%s' in '%s'"),
  UNKNOWN_PARTITION(1735, "HY000", "Unknown partition '%s' in table '%s'"),
  TABLE_EXISTS(1050, "42S01", "Table '%s' already exists"),
  VIEW_INVALID(
      1356,
      "HY000",
      "View '%s' references invalid table(s) or column(s) or function(s) or definer/invoker of view"
          + " lack rights to use them"),
  VIEW_SELECT_VARIABLE(1351, "HY000", "View's SELECT contains a variable or parameter"),
  WRONG_OBJECT(1347, "HY000", "'%s' is not %s"),
  VIEW_NOT_INSERTABLE(1471, "HY000", "The target table %s of the %s is not insertable-into"),
  VIEW_COLUMN_COUNT(
      1353,
      "HY000",
      "In definition of view, derived table or common table expression, SELECT list and column"
          + " names list have different column counts"),
  DATABASE_EXISTS(1007, "HY000", "Can't create database '%s'; database exists"),
  DUPLICATE_COLUMN(1060, "42S21", "Duplicate column name '%s'"),
  AMBIGUOUS_COLUMN(1052, "23000", "Column '%s' in %s is ambiguous"),
  UNKNOWN_FUNCTION(1305, "42000", "FUNCTION %s does not exist"),
  WRONG_ARGUMENTS(
      1582, "42000", "Incorrect parameter count or types in the call to function '%s': %s"),
  COLUMN_COUNT_MISMATCH(1136, "21S01", "Column count doesn't match value count at row %d"),
  UNKNOWN_SYSTEM_VARIABLE(1193, "HY000", "Unknown system variable '%s'"),
  WRONG_VALUE_FOR_VARIABLE(1231, "42000", "Variable '%s' can't be set to the value of '%s'"),
  UNKNOWN_TIME_ZONE(1298, "HY000", "Unknown or incorrect time zone: '%s'"),
  UNSUPPORTED(1235, "42000", "This version of Basalt doesn't yet support '%s'"),
  INVALID_DDL(1105, "HY000", "errCode = 2, detailMessage = %s"),
  UNKNOWN_PROPERTY(1105, "HY000", "errCode = 2, detailMessage = Unknown table property '%s'"),
  ANALYSIS_ERROR(1105, "HY000", "errCode = 2, detailMessage = %s"),
  /** MySQL's ER_TABLE_DEF_CHANGED: a DDL changed or dropped the table under a running statement. */
  TABLE_DEFINITION_CHANGED(1412, "HY000", "Table definition has changed, please retry: %s"),
  UNKNOWN_USER(1396, "HY000", "Operation %s failed for '%s'@'%s'"),
  SUBQUERY_RETURNS_MORE_THAN_ONE_ROW(1242, "21000", "Subquery returns more than 1 row"),

  // Sessions
  UNKNOWN_THREAD(1094, "HY000", "Unknown thread id: %d"),
  NOT_THREAD_OWNER(1095, "HY000", "You are not owner of thread %d"),

  // Privileges
  TABLE_ACCESS_DENIED(1142, "42000", "%s command denied to user '%s'@'%s' for table '%s'"),
  COLUMN_ACCESS_DENIED(
      1143, "42000", "%s command denied to user '%s'@'%s' for column '%s' in table '%s'"),
  ILLEGAL_GRANT_FOR_TABLE(
      1144,
      "42000",
      "Illegal GRANT/REVOKE command; a column list needs a table: GRANT SELECT (c1, c2) ON"
          + " db.tbl"),
  DATABASE_ACCESS_DENIED(1044, "42000", "Access denied for user '%s'@'%s' to database '%s'"),
  SPECIFIC_ACCESS_DENIED(
      1227,
      "42000",
      "Access denied; you need (at least one of) the %s privilege(s) for this operation"),

  // Limits
  STATEMENT_TOO_DEEP(
      1473,
      "HY000",
      "Too high level of nesting: the statement has too many nested expressions or set operations"
          + " (UNION, INTERSECT, EXCEPT) to plan; split it into smaller statements"),
  IDENTIFIER_TOO_LONG(1059, "42000", "Identifier name '%s' is too long (at most %d characters)"),
  TOO_MANY_COLUMNS(1117, "HY000", "Too many columns: %d (at most %d per table)"),
  LONG_DATA_TOO_LARGE(
      1153,
      "08S01",
      "Parameter of prepared statement which is set through mysql_send_long_data() is longer than"
          + " 'max_allowed_packet' (%d bytes)"),

  // Data
  INVALID_CHARACTER_STRING(1300, "HY000", "Invalid utf8mb4 character string: '%s'"),
  BAD_VALUE(1366, "HY000", "Incorrect %s value: '%s' for column '%s' at row %d"),
  DATA_TOO_LONG(1406, "22001", "Data too long for column '%s' at row %d"),
  NULL_IN_NOT_NULL_COLUMN(1048, "23000", "Column '%s' cannot be null"),
  NO_DEFAULT_FOR_FIELD(1364, "HY000", "Field '%s' doesn't have a default value"),
  OUT_OF_RANGE(1264, "22003", "Out of range value for column '%s' at row %d"),
  DIVISION_BY_ZERO(1365, "22012", "Division by 0"),
  INVALID_CAST(1105, "HY000", "errCode = 2, detailMessage = Can not cast '%s' to %s"),
  LABEL_ALREADY_EXISTS(
      1105,
      "HY000",
      "errCode = 2, detailMessage = Label [%s] has already been used, relate to txn [%d]"),

  // Loads (Stream Load): what the HTTP response's Message says; MySQL number for other doors
  LOAD_BAD_HEADER(1105, "HY000", "Invalid value of header '%s': %s"),
  LOAD_UNSUPPORTED_HEADER(
      1235, "42000", "Stream load header '%s' is not supported yet by Basalt; %s"),
  LOAD_TOO_MANY_FILTERED_ROWS(
      1105,
      "HY000",
      "[DATA_QUALITY_ERROR]too many filtered rows: %d of %d rows were filtered, more than"
          + " max_filter_ratio %s allows; first error: %s"),
  LOAD_MALFORMED_DATA(1105, "HY000", "[DATA_QUALITY_ERROR]malformed %s data at line %d: %s"),
  LOAD_LINE_TOO_LONG(
      1105,
      "HY000",
      "[DATA_QUALITY_ERROR]line %d is longer than %d bytes (the longest line a stream load"
          + " accepts); check line_delimiter"),
  LOAD_EMPTY_BODY(1105, "HY000", "The request body is empty: there is no data to load"),
  LOAD_BODY_FAILED(1105, "HY000", "Reading the request body failed after %d bytes: %s"),
  LOAD_TIMEOUT(
      1105, "HY000", "[TIMEOUT]the stream load did not finish within its timeout of %d seconds"),
  TRANSACTION_NOT_FOUND(1105, "HY000", "errCode = 2, detailMessage = transaction [%d] not found."),
  TRANSACTION_ABORTED(
      1105,
      "HY000",
      "errCode = 2, detailMessage = transaction [%d] is already aborted. abort reason: %s"),
  TRANSACTION_NOT_PRECOMMITTED(
      1105,
      "HY000",
      "errCode = 2, detailMessage = transaction [%d] is already %s, not pre-committed."),
  TRANSACTION_CANNOT_ABORT(
      1105,
      "HY000",
      "errCode = 2, detailMessage = transaction [%d] is already %s, could not abort."),
  LOCAL_INFILE_DISABLED(
      3948,
      "42000",
      "Loading local data is disabled; this must be enabled on both the client and server sides"
          + " (the client must allow it, e.g. mysql --local-infile=1 or Connector/J's"
          + " allowLoadLocalInfile=true)"),
  GROUP_COMMIT_BAD_MODE(
      1105, "HY000", "group_commit can only be [async_mode, sync_mode, off_mode]; got '%s'"),
  GROUP_COMMIT_WITH_LABEL(1105, "HY000", "label and group_commit can't be set at the same time"),
  GROUP_COMMIT_WITH_TWO_PHASE_COMMIT(
      1105,
      "HY000",
      "group commit does not support two-phase commit; send the load with group_commit: off_mode"
          + " or without two_phase_commit"),
  GROUP_COMMIT_FAILED(
      1105, "HY000", "errCode = 2, detailMessage = group commit %s into table %s failed: %s"),
  LOAD_NO_DEFAULT(
      1364,
      "HY000",
      "Column has no default value. column: %s (list it in the 'columns' header or give it a"
          + " default)"),

  // Access
  ACCESS_DENIED(1045, "28000", "Access denied for user '%s'@'%s' (using password: %s)"),
  PLUGIN_NOT_LOADED(1524, "HY000", "Plugin '%s' is not loaded"),
  COMMAND_DENIED(1142, "42000", "%s command denied to user '%s'@'%s' for table '%s'"),

  // Protocol and server
  UNKNOWN_COMMAND(1047, "08S01", "Unsupported command(%s)"),
  UNKNOWN_STATEMENT_HANDLER(1243, "HY000", "Unknown prepared statement handler (%d) given to %s"),
  WRONG_PARAMETER_COUNT(1210, "HY000", "Incorrect arguments to %s"),
  TOO_MANY_PLACEHOLDERS(1390, "HY000", "Prepared statement contains too many placeholders"),
  QUERY_INTERRUPTED(1317, "70100", "Query execution was interrupted"),
  QUERY_TIMEOUT(
      3024,
      "HY000",
      "Query execution was interrupted, maximum statement execution time exceeded (%s = %s)"),
  MEMORY_LIMIT_EXCEEDED(1105, "HY000", "errCode = 2, detailMessage = [MEM_LIMIT_EXCEEDED] %s"),
  STORAGE_CORRUPTION(1105, "HY000", "errCode = 2, detailMessage = Corrupt data in %s: %s"),
  IO_ERROR(1105, "HY000", "errCode = 2, detailMessage = I/O error: %s"),
  /**
   * Another front end sharing the catalog committed a conflicting change first; nothing of this
   * statement was committed. 1213/40001 is what MySQL clients and connection pools retry.
   */
  CATALOG_CHANGED_CONCURRENTLY(
      1213,
      "40001",
      "errCode = 2, detailMessage = The catalog was changed by another front end while this"
          + " statement committed (%s); nothing was committed, retry the statement"),
  /**
   * A schema change that rewrites data (ALTER TABLE MODIFY COLUMN) was cancelled: a stored value
   * does not convert, or the table changed meanwhile; the table is as it was before the statement.
   */
  SCHEMA_CHANGE_CANCELLED(
      1105,
      "HY000",
      "errCode = 2, detailMessage = [DATA_QUALITY_ERROR]schema change job %d of table %s was"
          + " cancelled: %s"),
  /**
   * A load's commit found a column it wrote rewritten by a schema change that committed while the
   * load ran; nothing was committed. 1213/40001, which clients retry.
   */
  TABLE_REWRITTEN_DURING_LOAD(
      1213,
      "40001",
      "errCode = 2, detailMessage = A schema change rewrote column '%2$s' of table %1$s while this"
          + " load ran; nothing was loaded, run the load again"),
  COMPACTION_CONFLICT(
      1105, "HY000", "errCode = 2, detailMessage = Compaction of tablet %s was abandoned: %s"),
  CORRUPT_METADATA(
      1105,
      "HY000",
      "errCode = 2, detailMessage = The metadata store %s is damaged: %s. It may have been"
          + " truncated by a crash or a disk fault; restore it from a backup, or move the data"
          + " directory aside to start an empty warehouse"),
  /** A bug in Basalt: never an expected outcome in a test. */
  INTERNAL_ERROR(1815, "HY000", "Internal error (query id %s): %s"),

  // Appended by the function library
  /** Arithmetic overflow in an expression, as MySQL's ER_DATA_OUT_OF_RANGE. */
  VALUE_OUT_OF_RANGE(1690, "22003", "%s value is out of range in '%s'");

  private final int mysqlErrorNumber;
  private final String sqlState;
  private final String messageTemplate;

  ErrorCode(int mysqlErrorNumber, String sqlState, String messageTemplate) {
    this.mysqlErrorNumber = mysqlErrorNumber;
    this.sqlState = sqlState;
    this.messageTemplate = messageTemplate;
  }

  public int mysqlErrorNumber() {
    return mysqlErrorNumber;
  }

  public String sqlState() {
    return sqlState;
  }

  public String messageTemplate() {
    return messageTemplate;
  }

  public String format(Object... args) {
    return args.length == 0 ? messageTemplate : String.format(messageTemplate, args);
  }
}
