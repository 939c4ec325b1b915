package dev.basalt.server.mysql;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.result.BatchStream;
import dev.basalt.common.result.ResultColumn;
import dev.basalt.common.result.ResultSet;
import dev.basalt.common.result.StatementResult;
import dev.basalt.common.result.UpdateCount;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.server.session.QueryHandler;
import dev.basalt.server.session.Session;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the SQL engine that answers the queries drivers send when connecting and a few
 * canned test queries with real {@link ResultSet} / {@link UpdateCount} objects. Records every
 * statement it receives and which sessions were closed.
 */
final class FakeQueryHandler implements QueryHandler {
  static final BigInteger LARGE = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);

  /** The columns of {@code SELECT all_types}: one of every Basalt type. */
  static final List<ResultColumn> ALL_TYPES_COLUMNS =
      List.of(
          new ResultColumn("c_boolean", DataType.BOOLEAN, true, "test", "all_types", "c_boolean"),
          new ResultColumn("c_tinyint", DataType.TINYINT, true, "test", "all_types", "c_tinyint"),
          new ResultColumn(
              "c_smallint", DataType.SMALLINT, true, "test", "all_types", "c_smallint"),
          new ResultColumn("c_int", DataType.INT, true, "test", "all_types", "c_int"),
          new ResultColumn("c_bigint", DataType.BIGINT, true, "test", "all_types", "c_bigint"),
          new ResultColumn(
              "c_largeint", DataType.LARGEINT, true, "test", "all_types", "c_largeint"),
          new ResultColumn("c_float", DataType.FLOAT, true, "test", "all_types", "c_float"),
          new ResultColumn("c_double", DataType.DOUBLE, true, "test", "all_types", "c_double"),
          new ResultColumn(
              "c_decimal", DataType.decimal(10, 2), true, "test", "all_types", "c_decimal"),
          new ResultColumn("c_date", DataType.DATE, true, "test", "all_types", "c_date"),
          new ResultColumn(
              "c_datetime", DataType.DATETIME, true, "test", "all_types", "c_datetime"),
          new ResultColumn(
              "c_datetime6", DataType.datetime(6), true, "test", "all_types", "c_datetime6"),
          new ResultColumn("c_char", DataType.character(5), true, "test", "all_types", "c_char"),
          new ResultColumn(
              "c_varchar", DataType.varchar(20), true, "test", "all_types", "c_varchar"),
          new ResultColumn("c_string", DataType.STRING, true, "test", "all_types", "c_string"),
          ResultColumn.computed("c_null", DataType.NULL));

  /** Row 1 of {@code SELECT all_types}; row 2 is all NULL. */
  static final List<Object> ALL_TYPES_VALUES =
      java.util.Arrays.asList(
          true,
          -5L,
          300L,
          70000L,
          9_000_000_000L,
          LARGE,
          1.5d,
          2.25d,
          new BigDecimal("12345.67"),
          LocalDate.of(2024, 2, 29),
          LocalDateTime.of(2024, 2, 29, 13, 45, 10),
          LocalDateTime.of(2024, 2, 29, 13, 45, 10, 123_456_000),
          "abc",
          "héllo wörld",
          "a long string 🙂",
          null);

  private static final Pattern LEADING_COMMENT =
      Pattern.compile("^\\s*/\\*.*?\\*/", Pattern.DOTALL);
  private static final Pattern SELECT_LIST =
      Pattern.compile("(?is)\\s*select\\s+(.*?)(\\s+limit\\s+\\d+)?\\s*;?\\s*");
  private static final Pattern VARIABLE_ITEM =
      Pattern.compile(
          "(?is)\\s*@@(?:session\\.|global\\.|local\\.)?(\\w+)(?:\\s+(?:as\\s+)?(\\w+))?\\s*");
  private static final Pattern SELECT_INTEGER = Pattern.compile("(?i)select\\s+(-?\\d+)");
  private static final Pattern USE = Pattern.compile("(?i)use\\s+`((?:[^`]|``)*)`");
  private static final Pattern SHOW_COLUMNS =
      Pattern.compile("(?i)show\\s+full\\s+columns\\s+from\\s+`((?:[^`]|``)*)`.*");

  static final Map<String, Object> VARIABLES = new LinkedHashMap<>();

  static {
    VARIABLES.put("auto_increment_increment", 1L);
    VARIABLES.put("autocommit", 1L);
    VARIABLES.put("character_set_client", "utf8mb4");
    VARIABLES.put("character_set_connection", "utf8mb4");
    VARIABLES.put("character_set_results", "utf8mb4");
    VARIABLES.put("character_set_server", "utf8mb4");
    VARIABLES.put("collation_connection", "utf8mb4_general_ci");
    VARIABLES.put("collation_server", "utf8mb4_general_ci");
    VARIABLES.put("init_connect", "");
    VARIABLES.put("interactive_timeout", 3600L);
    VARIABLES.put("license", "Apache License, Version 2.0");
    VARIABLES.put("lower_case_table_names", 0L);
    // Larger than Doris's 16 MiB so that Connector/J lets the 20 MB statement through.
    VARIABLES.put("max_allowed_packet", 268435456L);
    VARIABLES.put("net_write_timeout", 600L);
    VARIABLES.put("performance_schema", "OFF");
    VARIABLES.put("query_cache_size", 1048576L);
    VARIABLES.put("query_cache_type", "OFF");
    VARIABLES.put("sql_mode", "ONLY_FULL_GROUP_BY");
    VARIABLES.put("system_time_zone", "Asia/Shanghai");
    VARIABLES.put("time_zone", "Asia/Shanghai");
    VARIABLES.put("transaction_isolation", "REPEATABLE-READ");
    VARIABLES.put("tx_isolation", "REPEATABLE-READ");
    VARIABLES.put("transaction_read_only", 0L);
    VARIABLES.put("tx_read_only", 0L);
    VARIABLES.put("wait_timeout", 28800L);
    VARIABLES.put("version", "5.7.99");
    VARIABLES.put("version_comment", "Basalt test server");
  }

  final List<String> statements = new CopyOnWriteArrayList<>();
  final List<Session> closedSessions = new CopyOnWriteArrayList<>();
  final AtomicInteger openStreams = new AtomicInteger();

  @Override
  public List<StatementResult> execute(Session session, String sql) {
    statements.add(sql);
    List<StatementResult> results = new ArrayList<>();
    boolean updates = sql.startsWith("UPDATE t ");
    if (sql.startsWith("MULTI ") || updates) {
      for (String part : (updates ? sql : sql.substring(6)).split(";")) {
        results.add(answer(session, part.strip()));
      }
      return results;
    }
    results.add(answer(session, sql));
    return results;
  }

  @Override
  public void sessionClosed(Session session) {
    closedSessions.add(session);
  }

  private StatementResult answer(Session session, String sql) {
    String text = sql.strip();
    Matcher comment;
    while ((comment = LEADING_COMMENT.matcher(text)).find()) {
      text = text.substring(comment.end()).strip();
    }
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.startsWith("set ")) {
      return UpdateCount.OK;
    }
    if (lower.startsWith("echo ") || lower.startsWith("select echo")) {
      return single("sql", DataType.STRING, sql);
    }
    if (lower.startsWith("insert into big ")) {
      return new UpdateCount(
          sql.length(), 0, "{'label':'insert_big', 'status':'VISIBLE', 'txnId':'7'}");
    }
    if (lower.startsWith("update t ")) {
      return UpdateCount.of(1);
    }
    if (lower.startsWith("insert")) {
      return new UpdateCount(3, 1, "{'label':'insert_1', 'status':'VISIBLE', 'txnId':'4005'}");
    }
    if (lower.equals("select all_types")) {
      return allTypes();
    }
    if (lower.equals("select internal_error")) {
      throw new IllegalStateException("the fake engine broke on purpose");
    }
    if (lower.equals("select user_error")) {
      throw new BasaltException(ErrorCode.UNKNOWN_TABLE, "test.missing");
    }
    if (lower.equals("select many_rows")) {
      return manyRows(20_000);
    }
    if (lower.equals("select endless_rows")) {
      return manyRows(Integer.MAX_VALUE);
    }
    if (lower.equals("select database()")) {
      return single("DATABASE()", DataType.varchar(64), session.currentDatabase());
    }
    if (lower.startsWith("show variables")) {
      return showVariables();
    }
    Matcher use = USE.matcher(text);
    if (use.matches()) {
      String database = use.group(1).replace("``", "`");
      if (database.equals("nosuchdb")) {
        throw new BasaltException(ErrorCode.UNKNOWN_DATABASE, database);
      }
      session.setCurrentDatabase(database);
      return UpdateCount.OK;
    }
    Matcher showColumns = SHOW_COLUMNS.matcher(text);
    if (showColumns.matches()) {
      return showColumns();
    }
    Matcher integer = SELECT_INTEGER.matcher(text);
    if (integer.matches()) {
      return single(integer.group(1), DataType.BIGINT, Long.parseLong(integer.group(1)));
    }
    StatementResult variables = selectVariables(text);
    if (variables != null) {
      return variables;
    }
    throw new BasaltException(
        ErrorCode.SYNTAX_ERROR, "the fake handler does not know '" + sql + "'");
  }

  private StatementResult selectVariables(String text) {
    Matcher select = SELECT_LIST.matcher(text);
    if (!select.matches()) {
      return null;
    }
    List<ResultColumn> columns = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    for (String item : select.group(1).split(",")) {
      Matcher variable = VARIABLE_ITEM.matcher(item);
      if (!variable.matches()) {
        return null;
      }
      String name = variable.group(1).toLowerCase(Locale.ROOT);
      if (!VARIABLES.containsKey(name)) {
        throw new BasaltException(ErrorCode.UNKNOWN_SYSTEM_VARIABLE, name);
      }
      Object value = VARIABLES.get(name);
      String label = variable.group(2) != null ? variable.group(2) : item.strip();
      columns.add(
          ResultColumn.computed(
              label, value instanceof Long ? DataType.BIGINT : DataType.varchar(255)));
      values.add(value);
    }
    return rows(columns, List.of(values));
  }

  private StatementResult showVariables() {
    List<List<Object>> rows = new ArrayList<>();
    VARIABLES.forEach((name, value) -> rows.add(List.of(name, String.valueOf(value))));
    return rows(
        List.of(
            ResultColumn.computed("Variable_name", DataType.varchar(64)),
            ResultColumn.computed("Value", DataType.varchar(1024))),
        rows);
  }

  private StatementResult showColumns() {
    List<ResultColumn> columns = new ArrayList<>();
    for (String name :
        List.of(
            "Field",
            "Type",
            "Collation",
            "Null",
            "Key",
            "Default",
            "Extra",
            "Privileges",
            "Comment")) {
      columns.add(ResultColumn.computed(name, DataType.varchar(64)));
    }
    List<List<Object>> rows = new ArrayList<>();
    rows.add(java.util.Arrays.asList("id", "bigint", null, "NO", "YES", null, "", "select", ""));
    rows.add(
        java.util.Arrays.asList(
            "name", "varchar(20)", "utf8mb4_0900_bin", "YES", "NO", null, "", "select", ""));
    rows.add(
        java.util.Arrays.asList(
            "price", "decimal(10,2)", null, "YES", "NO", null, "", "select", ""));
    return rows(columns, rows);
  }

  private StatementResult allTypes() {
    List<Object> nulls = new ArrayList<>();
    for (int i = 0; i < ALL_TYPES_COLUMNS.size(); i++) {
      nulls.add(null);
    }
    return rows(ALL_TYPES_COLUMNS, List.of(ALL_TYPES_VALUES, nulls));
  }

  private StatementResult manyRows(int count) {
    ResultColumn id = ResultColumn.computed("id", DataType.BIGINT);
    ResultColumn name = ResultColumn.computed("name", DataType.varchar(64));
    openStreams.incrementAndGet();
    return new ResultSet(
        List.of(id, name),
        new BatchStream() {
          private int produced;

          @Override
          public Batch next() {
            if (produced >= count) {
              return null;
            }
            int size = (int) Math.min(Batch.DEFAULT_SIZE, (long) count - produced);
            ColumnVectorBuilder ids = new ColumnVectorBuilder(DataType.BIGINT, size);
            ColumnVectorBuilder names = new ColumnVectorBuilder(DataType.varchar(64), size);
            for (int i = 0; i < size; i++) {
              ids.appendLong(produced + i);
              names.appendString("row number " + (produced + i));
            }
            produced += size;
            return Batch.of(List.of(ids.build(), names.build()));
          }

          @Override
          public void close() {
            openStreams.decrementAndGet();
          }
        });
  }

  static ResultSet single(String name, DataType type, Object value) {
    return rows(
        List.of(ResultColumn.computed(name, type)),
        List.of(java.util.Collections.singletonList(value)));
  }

  /** A result set of boxed rows (the representation of {@code Values}). */
  static ResultSet rows(List<ResultColumn> columns, List<List<Object>> rows) {
    List<ColumnVector> vectors = new ArrayList<>();
    for (int column = 0; column < columns.size(); column++) {
      ColumnVectorBuilder builder = new ColumnVectorBuilder(columns.get(column).type());
      for (List<Object> row : rows) {
        builder.appendObject(row.get(column));
      }
      vectors.add(builder.build());
    }
    return new ResultSet(columns, BatchStream.of(List.of(new Batch(vectors, rows.size()))));
  }
}
