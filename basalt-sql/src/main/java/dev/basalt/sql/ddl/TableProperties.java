package dev.basalt.sql.ddl;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.meta.catalog.GroupCommitProperties;
import dev.basalt.meta.catalog.UniqueKeyOptions;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The table properties Basalt accepts (Doris's CREATE TABLE properties, doris-compat-notes §5.3),
 * their validation and normalization, and the defaults {@code SHOW CREATE TABLE} prints. Stateless.
 */
final class TableProperties {
  private TableProperties() {}

  static final String MERGE_ON_WRITE = "enable_unique_key_merge_on_write";
  static final String DUPLICATE_WITHOUT_KEYS = "enable_duplicate_without_keys_by_default";
  static final String SEQUENCE_COLUMN = UniqueKeyOptions.SEQUENCE_COLUMN;
  static final String SEQUENCE_TYPE = UniqueKeyOptions.SEQUENCE_TYPE;
  static final String REPLICATION_ALLOCATION = "replication_allocation";
  static final String REPLICATION_NUM = "replication_num";

  private static final Set<String> KNOWN =
      Set.of(
          REPLICATION_NUM,
          REPLICATION_ALLOCATION,
          "min_load_replica_num",
          "storage_medium",
          "storage_cooldown_time",
          "storage_policy",
          "colocate_with",
          "bloom_filter_columns",
          "bloom_filter_fpp",
          "compression",
          MERGE_ON_WRITE,
          UniqueKeyOptions.REPLACE_IF_NOT_NULL,
          SEQUENCE_COLUMN,
          SEQUENCE_TYPE,
          "light_schema_change",
          "disable_auto_compaction",
          "enable_single_replica_compaction",
          DUPLICATE_WITHOUT_KEYS,
          "skip_write_index_on_load",
          "compaction_policy",
          "time_series_compaction_goal_size_mbytes",
          "time_series_compaction_file_count_threshold",
          "time_series_compaction_time_threshold_seconds",
          "time_series_compaction_empty_rowsets_threshold",
          "time_series_compaction_level_threshold",
          "group_commit_interval_ms",
          "group_commit_data_bytes",
          "enable_mow_light_delete",
          "store_row_column",
          "row_store_columns",
          "row_store_page_size",
          "is_being_synced",
          "inverted_index_storage_format",
          "file_cache_ttl_seconds",
          "storage_vault_name",
          "enable_unique_key_skip_bitmap_column",
          "storage_format",
          "in_memory");

  private static final Set<String> DYNAMIC_PARTITION =
      Set.of(
          "enable",
          "time_unit",
          "start",
          "end",
          "prefix",
          "buckets",
          "replication_num",
          "replication_allocation",
          "create_history_partition",
          "history_partition_num",
          "time_zone",
          "start_day_of_week",
          "start_day_of_month",
          "reserved_history_periods",
          "storage_medium",
          "hot_partition_num");

  private static final Set<String> BOOLEANS =
      Set.of(
          MERGE_ON_WRITE,
          UniqueKeyOptions.REPLACE_IF_NOT_NULL,
          "light_schema_change",
          "disable_auto_compaction",
          "enable_single_replica_compaction",
          DUPLICATE_WITHOUT_KEYS,
          "skip_write_index_on_load",
          "enable_mow_light_delete",
          "store_row_column",
          "is_being_synced",
          "enable_unique_key_skip_bitmap_column",
          "in_memory",
          "dynamic_partition.enable",
          "dynamic_partition.create_history_partition");

  /**
   * Validates {@code given} and returns what the catalog stores: names lower-cased, {@code
   * replication_num} turned into {@code replication_allocation}.
   *
   * @throws BasaltException UNKNOWN_PROPERTY for a name Doris does not know, INVALID_DDL for a bad
   *     value
   */
  static Map<String, String> normalize(Map<String, String> given) {
    Map<String, String> result = new TreeMap<>();
    for (Map.Entry<String, String> entry : given.entrySet()) {
      String name = entry.getKey().toLowerCase(Locale.ROOT);
      String value = entry.getValue();
      boolean known =
          KNOWN.contains(name)
              || (name.startsWith("dynamic_partition.")
                  && DYNAMIC_PARTITION.contains(name.substring("dynamic_partition.".length())));
      if (!known) {
        throw new BasaltException(ErrorCode.UNKNOWN_PROPERTY, entry.getKey());
      }
      if (BOOLEANS.contains(name)
          && !value.equalsIgnoreCase("true")
          && !value.equalsIgnoreCase("false")) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL,
            "Invalid value '" + value + "' for property " + name + ": expected true or false");
      }
      if (BOOLEANS.contains(name)) {
        value = value.toLowerCase(Locale.ROOT);
      }
      if (name.equals(GroupCommitProperties.INTERVAL_MS)
          || name.equals(GroupCommitProperties.DATA_BYTES)) {
        value = String.valueOf(GroupCommitProperties.parse(name, value));
      }
      if (name.equals(REPLICATION_NUM)) {
        int replicas = parsePositive(name, value);
        name = REPLICATION_ALLOCATION;
        value = "tag.location.default: " + replicas;
      }
      result.put(name, value);
    }
    return result;
  }

  private static int parsePositive(String name, String value) {
    try {
      int number = Integer.parseInt(value.strip());
      if (number > 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BasaltException(
        ErrorCode.INVALID_DDL,
        "Invalid value '" + value + "' for property " + name + ": expected a positive integer");
  }

  /**
   * The properties SHOW CREATE TABLE prints: Doris's defaults in Doris's order, then the others.
   */
  static Map<String, String> forDisplay(Map<String, String> stored, boolean uniqueKeys) {
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put(REPLICATION_ALLOCATION, "tag.location.default: 1");
    shown.put("min_load_replica_num", "-1");
    shown.put("is_being_synced", "false");
    shown.put("storage_medium", "hdd");
    shown.put("storage_format", "V2");
    shown.put("inverted_index_storage_format", "V2");
    if (uniqueKeys) {
      shown.put(MERGE_ON_WRITE, "true");
    }
    shown.put("light_schema_change", "true");
    shown.put("disable_auto_compaction", "false");
    shown.put("enable_single_replica_compaction", "false");
    shown.put(
        GroupCommitProperties.INTERVAL_MS,
        String.valueOf(GroupCommitProperties.DEFAULT_INTERVAL_MS));
    shown.put(
        GroupCommitProperties.DATA_BYTES, String.valueOf(GroupCommitProperties.DEFAULT_DATA_BYTES));
    Map<String, String> others = new TreeMap<>();
    for (Map.Entry<String, String> entry : stored.entrySet()) {
      if (shown.containsKey(entry.getKey())) {
        shown.put(entry.getKey(), entry.getValue());
      } else {
        others.put(entry.getKey(), entry.getValue());
      }
    }
    shown.putAll(others);
    return shown;
  }
}
