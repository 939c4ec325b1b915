package dev.basalt.server.engine;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.load.groupcommit.GroupCommitMode;
import dev.basalt.server.Version;
import dev.basalt.server.session.Session;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's system variables with Doris's defaults (what drivers and BI tools read at connect),
 * global values changed by {@code SET GLOBAL}, and each session's overrides. Names are lower case.
 * Values are String, Long or Boolean. Thread safe.
 */
public final class SystemVariables {
  /** The value to pass to {@link #set} for {@code SET x = DEFAULT}: the server's default. */
  public static final Object DEFAULT = new Object();

  private final Map<String, Object> globals = new ConcurrentHashMap<>();
  private final Map<String, Object> defaults;

  public SystemVariables() {
    String zone = TimeZone.getDefault().getID();
    Map<String, Object> defaults = new TreeMap<>();
    defaults.put("version", Version.MYSQL_SERVER_VERSION);
    defaults.put("version_comment", Version.VERSION_COMMENT);
    defaults.put("auto_increment_increment", 1L);
    defaults.put("autocommit", 1L);
    defaults.put("character_set_client", "utf8mb4");
    defaults.put("character_set_connection", "utf8mb4");
    defaults.put("character_set_results", "utf8mb4");
    defaults.put("character_set_server", "utf8mb4");
    defaults.put("character_set_database", "utf8mb4");
    defaults.put("collation_connection", "utf8mb4_0900_bin");
    defaults.put("collation_database", "utf8mb4_0900_bin");
    defaults.put("collation_server", "utf8mb4_0900_bin");
    defaults.put("init_connect", "");
    defaults.put("interactive_timeout", 3600L);
    defaults.put("wait_timeout", 28800L);
    defaults.put("license", "Apache License, Version 2.0");
    defaults.put("lower_case_table_names", 0L);
    // What the MySQL front door enforces (MysqlServer.DEFAULT_MAX_PACKET_BYTES, MySQL 8's default).
    defaults.put("max_allowed_packet", 67108864L);
    defaults.put("net_write_timeout", 600L);
    defaults.put("net_read_timeout", 600L);
    defaults.put("net_buffer_length", 16384L);
    defaults.put("performance_schema", "OFF");
    defaults.put("query_cache_size", 1048576L);
    defaults.put("query_cache_type", 0L);
    defaults.put("have_query_cache", "NO");
    defaults.put("sql_mode", "ONLY_FULL_GROUP_BY");
    defaults.put("sql_select_limit", Long.MAX_VALUE);
    defaults.put("sql_auto_is_null", 0L);
    defaults.put("sql_safe_updates", 0L);
    defaults.put("system_time_zone", zone);
    defaults.put("time_zone", zone);
    defaults.put("transaction_isolation", "REPEATABLE-READ");
    defaults.put("tx_isolation", "REPEATABLE-READ");
    defaults.put("transaction_read_only", 0L);
    defaults.put("tx_read_only", 0L);
    defaults.put("event_scheduler", "OFF");
    defaults.put("storage_engine", "olap");
    defaults.put("default_storage_engine", "olap");
    defaults.put("default_tmp_storage_engine", "olap");
    defaults.put("language", "/basalt/share/english/");
    defaults.put("read_only", 0L);
    defaults.put("super_read_only", 0L);
    defaults.put("max_connections", 4096L);
    defaults.put("query_timeout", 900L);
    defaults.put("max_execution_time", 900000L);
    defaults.put("insert_timeout", 14400L);
    defaults.put("exec_mem_limit", 2147483648L);
    defaults.put("enable_insert_strict", true);
    defaults.put("insert_max_filter_ratio", "1.0");
    defaults.put("show_hidden_columns", false);
    defaults.put("enable_profile", false);
    defaults.put("parallel_pipeline_task_num", 0L);
    defaults.put("batch_size", 4096L);
    defaults.put("enable_server_side_prepared_statement", true);
    defaults.put("group_commit", "off_mode");
    // Basalt's own: plain INSERT ... VALUES into DUPLICATE KEY tables share one commit
    // (docs/stream-load.md, "INSERTs sharing a commit"); off as Doris's off_mode.
    defaults.put("enable_insert_shared_commit", false);
    // Doris variables that tools and scripts set; accepted with Doris's defaults (docs/sql.md says
    // which ones change what Basalt does).
    defaults.put("enable_unique_key_partial_update", false);
    defaults.put("enable_sql_cache", false);
    defaults.put("default_order_by_limit", -1L);
    defaults.put("allow_partition_column_nullable", true);
    defaults.put("delete_without_partition", false);
    defaults.put("describe_extend_variant_column", false);
    defaults.put("skip_delete_bitmap", false);
    defaults.put("skip_delete_predicate", false);
    defaults.put("workload_group", "");
    defaults.put("enable_nereids_planner", true);
    defaults.put("enable_fallback_to_original_planner", false);
    defaults.put("enable_pipeline_engine", true);
    defaults.put("enable_vectorized_engine", true);
    defaults.put("parallel_fragment_exec_instance_num", 8L);
    defaults.put("runtime_filter_mode", "GLOBAL");
    defaults.put("sql_dialect", "doris");
    defaults.put("load_mem_limit", 2147483648L);
    defaults.put("send_batch_parallelism", 1L);
    defaults.put("enable_spill", false);
    defaults.put("max_scan_key_num", 48L);
    defaults.put("character_set_filesystem", "binary");
    defaults.put("div_precision_increment", 4L);
    defaults.put("default_password_lifetime", 0L);
    defaults.put("port", 9030L);
    defaults.put("hostname", "basalt");
    defaults.put("sql_quote_show_create", 1L);
    defaults.put("foreign_key_checks", 1L);
    defaults.put("unique_checks", 1L);
    defaults.put("sql_notes", 1L);
    defaults.put("warning_count", 0L);
    defaults.put("error_count", 0L);
    defaults.put("last_insert_id", 0L);
    defaults.put("identity", 0L);
    globals.putAll(defaults);
    this.defaults = Map.copyOf(defaults);
  }

  /** The variable's value for {@code session} (its override, else the global value). */
  public Object get(Session session, String name, boolean global) {
    String key = name.toLowerCase(Locale.ROOT);
    if (!global && session != null && (key.equals("warning_count") || key.equals("error_count"))) {
      // The diagnostics area holds at most the last statement's error (Session.lastError).
      return session.lastError() == null ? 0L : 1L;
    }
    if (!global && session != null && session.variables().containsKey(key)) {
      return session.variables().get(key);
    }
    Object value = globals.get(key);
    if (value == null) {
      throw new BasaltException(ErrorCode.UNKNOWN_SYSTEM_VARIABLE, name);
    }
    return value;
  }

  /** Sets a variable; MySQL accepts unknown names only as errors, so do we. */
  public void set(Session session, String name, Object value, boolean global) {
    String key = name.toLowerCase(Locale.ROOT);
    Object current = globals.get(key);
    if (current == null) {
      throw new BasaltException(ErrorCode.UNKNOWN_SYSTEM_VARIABLE, name);
    }
    Object converted = value == DEFAULT ? defaults.get(key) : convert(key, current, value);
    if (key.equals("time_zone")) {
      validateTimeZone(converted.toString());
    }
    if (key.equals("group_commit")) {
      try {
        converted = GroupCommitMode.parse(converted.toString()).value();
      } catch (BasaltException invalid) {
        throw new BasaltException(ErrorCode.WRONG_VALUE_FOR_VARIABLE, name, converted);
      }
    }
    if (global) {
      globals.put(key, converted);
    } else {
      session.variables().put(key, converted);
    }
  }

  /**
   * MySQL accepts SYSTEM, offsets such as {@code +08:00} and region names; others are error 1298.
   */
  private static void validateTimeZone(String zone) {
    if (zone.equalsIgnoreCase("SYSTEM")) {
      return;
    }
    try {
      java.time.ZoneId.of(zone);
    } catch (java.time.DateTimeException e) {
      throw new BasaltException(ErrorCode.UNKNOWN_TIME_ZONE, zone);
    }
  }

  private static Object convert(String name, Object current, Object value) {
    if (value == null) {
      // SET character_set_results = NULL and the like: an empty value.
      return current instanceof String ? "" : current;
    }
    if (current instanceof Long) {
      if (value instanceof Number number) {
        return number.longValue();
      }
      if (value instanceof Boolean bool) {
        return bool ? 1L : 0L;
      }
      String text = value.toString().trim();
      if (text.equalsIgnoreCase("on") || text.equalsIgnoreCase("true")) {
        return 1L;
      }
      if (text.equalsIgnoreCase("off") || text.equalsIgnoreCase("false")) {
        return 0L;
      }
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new BasaltException(ErrorCode.WRONG_VALUE_FOR_VARIABLE, name, text);
      }
    }
    if (current instanceof Boolean) {
      String text = value.toString().trim();
      return text.equals("1") || text.equalsIgnoreCase("true") || text.equalsIgnoreCase("on");
    }
    return value.toString();
  }

  /** All variables with the session's overrides applied, sorted by name. */
  public Map<String, Object> all(Session session, boolean global) {
    Map<String, Object> result = new TreeMap<>(globals);
    if (!global && session != null) {
      result.putAll(session.variables());
    }
    return result;
  }
}
