package dev.basalt.meta.catalog;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A table's definition and partitions. Immutable: every change produces a new instance with a
 * higher {@code schemaVersion} (schema changes) or new partition versions (loads).
 *
 * <p>As a definition handed to {@link Catalog#createTable}, ids are 0, partitions carry only names
 * and bounds (none for an unpartitioned table), and {@code nextColumnUniqueId}, {@code createTime}
 * and {@code schemaVersion} are ignored.
 *
 * @param id the table id
 * @param databaseId the owning database's id
 * @param name the table name (case-sensitive)
 * @param keysType the data model
 * @param keyColumns names of the key columns, in key order (the leading columns)
 * @param columns all columns in declaration order
 * @param partitioning the partitioning scheme
 * @param partitions the partitions, in declaration order
 * @param distribution the bucketing
 * @param properties the table properties as given (validated by the DDL layer), sorted by name
 * @param comment the table comment, "" when none
 * @param createTime creation time, epoch milliseconds
 * @param schemaVersion starts at 1, +1 per schema change
 * @param nextColumnUniqueId the unique id the next added column gets
 * @param mergeOnWrite true for a UNIQUE KEY table whose segments carry primary-key indexes and
 *     whose loads record delete bitmaps (merge-on-write, docs/architecture.md); false for every
 *     other table, including merge-on-write unique tables created before Basalt had it (they keep
 *     the read-time merge; absent in their stored JSON, so false)
 * @param temporaryPartitions the temporary partitions ({@code ALTER TABLE t ADD TEMPORARY
 *     PARTITION}), in the order they were added: invisible to queries and loads that do not name
 *     them, until {@code REPLACE PARTITION} makes them formal; absent in JSON stored before Basalt
 *     had them, so empty
 */
public record TableMeta(
    long id,
    long databaseId,
    String name,
    KeysType keysType,
    List<String> keyColumns,
    List<ColumnMeta> columns,
    Partitioning partitioning,
    List<PartitionMeta> partitions,
    Distribution distribution,
    Map<String, String> properties,
    String comment,
    long createTime,
    int schemaVersion,
    int nextColumnUniqueId,
    boolean mergeOnWrite,
    List<PartitionMeta> temporaryPartitions) {

  public TableMeta {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keysType, "keysType");
    Objects.requireNonNull(distribution, "distribution");
    keyColumns = List.copyOf(keyColumns);
    columns = List.copyOf(columns);
    partitioning = partitioning == null ? Partitioning.NONE : partitioning;
    partitions = List.copyOf(partitions);
    properties = java.util.Collections.unmodifiableMap(new TreeMap<>(properties));
    comment = comment == null ? "" : comment;
    temporaryPartitions =
        temporaryPartitions == null ? List.of() : List.copyOf(temporaryPartitions);
  }

  /** A definition for {@link Catalog#createTable}: no ids, no partitions beyond the given ones. */
  public static TableMeta definition(
      String name,
      KeysType keysType,
      List<String> keyColumns,
      List<ColumnMeta> columns,
      Partitioning partitioning,
      List<PartitionMeta> partitions,
      Distribution distribution,
      Map<String, String> properties,
      String comment) {
    return new TableMeta(
        0,
        0,
        name,
        keysType,
        keyColumns,
        columns,
        partitioning,
        partitions,
        distribution,
        properties,
        comment,
        0,
        1,
        0,
        false,
        List.of());
  }

  /** The column named {@code columnName}, compared case-insensitively. */
  public Optional<ColumnMeta> column(String columnName) {
    String lower = columnName.toLowerCase(Locale.ROOT);
    return columns.stream()
        .filter(c -> c.name().toLowerCase(Locale.ROOT).equals(lower))
        .findFirst();
  }

  public Optional<PartitionMeta> partition(String partitionName) {
    return partitions.stream().filter(p -> p.name().equalsIgnoreCase(partitionName)).findFirst();
  }

  /** The temporary partition named {@code partitionName}, compared case-insensitively. */
  public Optional<PartitionMeta> temporaryPartition(String partitionName) {
    return temporaryPartitions.stream()
        .filter(p -> p.name().equalsIgnoreCase(partitionName))
        .findFirst();
  }

  /** Whether a formal or a temporary partition has this name (they share one name space). */
  public boolean hasPartitionName(String partitionName) {
    return partition(partitionName).isPresent() || temporaryPartition(partitionName).isPresent();
  }

  /** This table with {@code newTemporaryPartitions} instead of its temporary partitions. */
  public TableMeta withTemporaryPartitions(List<PartitionMeta> newTemporaryPartitions) {
    return new TableMeta(
        id,
        databaseId,
        name,
        keysType,
        keyColumns,
        columns,
        partitioning,
        partitions,
        distribution,
        properties,
        comment,
        createTime,
        schemaVersion,
        nextColumnUniqueId,
        mergeOnWrite,
        newTemporaryPartitions);
  }

  /** This table with {@code newProperties} instead of its properties. */
  public TableMeta withProperties(Map<String, String> newProperties) {
    return new TableMeta(
        id,
        databaseId,
        name,
        keysType,
        keyColumns,
        columns,
        partitioning,
        partitions,
        distribution,
        newProperties,
        comment,
        createTime,
        schemaVersion,
        nextColumnUniqueId,
        mergeOnWrite,
        temporaryPartitions);
  }

  public TableMeta withName(String newName) {
    return new TableMeta(
        id,
        databaseId,
        newName,
        keysType,
        keyColumns,
        columns,
        partitioning,
        partitions,
        distribution,
        properties,
        comment,
        createTime,
        schemaVersion,
        nextColumnUniqueId,
        mergeOnWrite,
        temporaryPartitions);
  }

  public TableMeta withPartitions(List<PartitionMeta> newPartitions) {
    return new TableMeta(
        id,
        databaseId,
        name,
        keysType,
        keyColumns,
        columns,
        partitioning,
        newPartitions,
        distribution,
        properties,
        comment,
        createTime,
        schemaVersion,
        nextColumnUniqueId,
        mergeOnWrite,
        temporaryPartitions);
  }

  /** A new schema: the given columns, key columns derived from them, schema version + 1. */
  public TableMeta withColumns(List<ColumnMeta> newColumns, int newNextColumnUniqueId) {
    List<String> keys = newColumns.stream().filter(ColumnMeta::key).map(ColumnMeta::name).toList();
    return new TableMeta(
        id,
        databaseId,
        name,
        keysType,
        keys,
        newColumns,
        partitioning,
        partitions,
        distribution,
        properties,
        comment,
        createTime,
        schemaVersion + 1,
        newNextColumnUniqueId,
        mergeOnWrite,
        temporaryPartitions);
  }

  /**
   * The first column of {@code earlier} (this table at an older schema version) that has another
   * unique id under the same name here: a schema change rewrote it (rowsets written since hold its
   * values under the new id, docs/architecture.md "Metadata"), or it was dropped and added again.
   * Empty when none, e.g. after ADD, DROP, RENAME or a metadata-only MODIFY COLUMN.
   */
  public Optional<ColumnMeta> replacedSince(TableMeta earlier) {
    if (earlier.schemaVersion() == schemaVersion) {
      return Optional.empty();
    }
    for (ColumnMeta then : earlier.columns()) {
      Optional<ColumnMeta> now = column(then.name());
      if (now.isPresent() && now.get().uniqueId() != then.uniqueId()) {
        return Optional.of(then);
      }
    }
    return Optional.empty();
  }
}
