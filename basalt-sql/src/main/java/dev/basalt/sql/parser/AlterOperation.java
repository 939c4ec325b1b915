package dev.basalt.sql.parser;

import dev.basalt.meta.catalog.ColumnPosition;
import java.util.List;
import java.util.Map;

/** One operation of {@code ALTER TABLE}. */
public sealed interface AlterOperation {

  /**
   * {@code ADD COLUMN def [FIRST|AFTER c]} or {@code ADD COLUMN (def, ...)}.
   *
   * @param columns the columns to add
   * @param position where (only for a single column), {@link ColumnPosition#DEFAULT} otherwise
   */
  record AddColumns(List<ColumnDefinition> columns, ColumnPosition position)
      implements AlterOperation {
    public AddColumns {
      columns = List.copyOf(columns);
    }
  }

  /** {@code DROP COLUMN name}. @param name the column */
  record DropColumn(String name) implements AlterOperation {}

  /**
   * {@code MODIFY COLUMN def [FIRST|AFTER c]}.
   *
   * @param column the new definition
   * @param position where to move it, {@link ColumnPosition#DEFAULT} to stay
   */
  record ModifyColumn(ColumnDefinition column, ColumnPosition position) implements AlterOperation {}

  /**
   * {@code ORDER BY (c1, c2, ...)}: reorders the table's columns (every column named once).
   *
   * @param columns the columns in their new order
   */
  record ReorderColumns(List<String> columns) implements AlterOperation {
    public ReorderColumns {
      columns = List.copyOf(columns);
    }
  }

  /** {@code RENAME new_name}. @param newName the new table name */
  record RenameTable(String newName) implements AlterOperation {}

  /**
   * {@code RENAME COLUMN old new}.
   *
   * @param oldName the current name
   * @param newName the new name
   */
  record RenameColumn(String oldName, String newName) implements AlterOperation {}

  /**
   * {@code ADD PARTITION [IF NOT EXISTS] p VALUES ... [DISTRIBUTED BY ... BUCKETS n]}.
   *
   * @param partition the partition's name and bounds
   * @param ifNotExists true to do nothing when a partition of that name exists
   * @param buckets the partition's bucket count, 0 for the table's
   */
  record AddPartition(
      PartitionClause.PartitionDefinition partition, boolean ifNotExists, int buckets)
      implements AlterOperation {}

  /**
   * {@code DROP PARTITION [IF EXISTS] p [FORCE]}.
   *
   * @param name the partition
   * @param ifExists true to do nothing when it does not exist
   */
  record DropPartition(String name, boolean ifExists) implements AlterOperation {}

  /**
   * {@code ADD TEMPORARY PARTITION tp VALUES ... [DISTRIBUTED BY ... BUCKETS n]}.
   *
   * @param partition the temporary partition's name and bounds
   * @param buckets its bucket count, 0 for the table's
   */
  record AddTemporaryPartition(PartitionClause.PartitionDefinition partition, int buckets)
      implements AlterOperation {}

  /**
   * {@code DROP TEMPORARY PARTITION [IF EXISTS] tp [FORCE]}.
   *
   * @param name the temporary partition
   * @param ifExists true to do nothing when it does not exist
   */
  record DropTemporaryPartition(String name, boolean ifExists) implements AlterOperation {}

  /**
   * {@code REPLACE PARTITION (p, ...) WITH TEMPORARY PARTITION (tp, ...) [PROPERTIES (...)]}.
   *
   * @param partitions the formal partitions replaced
   * @param temporaryPartitions the temporary partitions that replace them
   * @param properties {@code strict_range} and {@code use_temp_partition_name}, as given
   */
  record ReplacePartitions(
      List<String> partitions, List<String> temporaryPartitions, Map<String, String> properties)
      implements AlterOperation {
    public ReplacePartitions {
      partitions = List.copyOf(partitions);
      temporaryPartitions = List.copyOf(temporaryPartitions);
      properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
    }
  }

  /**
   * {@code SET ("name" = "value", ...)}: changes table properties; Basalt takes the {@code
   * dynamic_partition.*} ones and the group commit ones ({@code group_commit_interval_ms}, {@code
   * group_commit_data_bytes}), as Doris does.
   *
   * @param properties the properties as given, in order
   */
  record SetProperties(Map<String, String> properties) implements AlterOperation {
    public SetProperties {
      properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
    }
  }
}
