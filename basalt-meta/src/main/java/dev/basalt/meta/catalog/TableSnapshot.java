package dev.basalt.meta.catalog;

import java.util.List;
import java.util.Map;

/**
 * A consistent, immutable view of one table for a reader: its definition and, per partition, the
 * visible version and each tablet's visible rowsets, all taken at one point in time. Later loads do
 * not change a snapshot. Compaction, DROP and TRUNCATE may unreference its files meanwhile; a
 * reader keeps them alive by registering with the garbage collector's reader registry before it
 * takes the snapshot (docs/architecture.md, "Garbage collection").
 *
 * @param table the table definition at that point
 * @param partitions one entry per partition, in the table's partition order
 * @param temporaryPartitions one entry per temporary partition, in the table's order of them; read
 *     only by a query that names them ({@code FROM t TEMPORARY PARTITION (tp)})
 */
public record TableSnapshot(
    TableMeta table,
    List<PartitionSnapshot> partitions,
    List<PartitionSnapshot> temporaryPartitions) {
  public TableSnapshot {
    partitions = List.copyOf(partitions);
    temporaryPartitions = List.copyOf(temporaryPartitions);
  }

  /** A snapshot of a table without temporary partitions. */
  public TableSnapshot(TableMeta table, List<PartitionSnapshot> partitions) {
    this(table, partitions, List.of());
  }

  /**
   * One partition of a {@link TableSnapshot}.
   *
   * @param partition the partition
   * @param visibleVersion its visible version
   * @param rowsets per tablet id (every tablet of the partition, in bucket order), its visible
   *     rowsets ordered by version
   * @param deletes per tablet id of a merge-on-write table, the delete layers of its segments (all
   *     with versions up to {@code visibleVersion}), ordered by version; tablets without marks are
   *     absent
   */
  public record PartitionSnapshot(
      PartitionMeta partition,
      long visibleVersion,
      Map<Long, List<RowsetMeta>> rowsets,
      Map<Long, List<SegmentDeletes>> deletes) {}

  /** Rows over all visible rowsets of the (formal) partitions. */
  public long rowCount() {
    return partitions.stream()
        .flatMap(p -> p.rowsets().values().stream())
        .flatMap(List::stream)
        .mapToLong(RowsetMeta::rowCount)
        .sum();
  }
}
