package dev.basalt.load;

import dev.basalt.meta.catalog.DistributionKind;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.PartitionMeta;
import dev.basalt.meta.catalog.RowsetMeta;
import dev.basalt.meta.catalog.SegmentDeletes;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.TableSnapshot;
import dev.basalt.storage.tablet.TabletSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roaringbitmap.RoaringBitmap;

/**
 * Turns the catalog's snapshot of a table into storage's {@link TabletSnapshot}s: the one place
 * where partitions, tablets, rowsets and delete layers (catalog metadata) become the plain values a
 * tablet reader reads, for scans and point lookups. Stateless.
 *
 * <p>A segment's delete marks are the union of its delete layers at or below its partition's
 * visible version (merge-on-write delete bitmaps, see docs/unique-key.md); one layer is shared with
 * the catalog as it is (never changed), several are merged into a new bitmap.
 */
public final class TabletSnapshots {
  private TabletSnapshots() {}

  /**
   * Whether a table's live rows stream from its segments as they are: DUPLICATE KEY tables, and
   * merge-on-write UNIQUE KEY tables (each live key once, older rows marked deleted). The others
   * (AGGREGATE KEY, merge-on-read UNIQUE KEY) merge their rows by key at read time.
   */
  public static boolean streamsSegments(TableMeta table) {
    return table.keysType() == KeysType.DUP_KEYS || table.mergeOnWrite();
  }

  /**
   * The tablets of the partitions {@code partitions} of {@code snapshot} (formal or temporary; the
   * others are left out), in the snapshot's partition order and each partition's bucket order.
   *
   * <p>For a table merged at read time ({@link #streamsSegments} false) each returned snapshot is a
   * merge group, the set of segments whose rows may share a key: one tablet (hash distribution puts
   * equal keys in one tablet) or, for a table distributed at random, one partition with the rowsets
   * of all its tablets in version order (partition columns are key columns, so equal keys never
   * cross partitions); its id is then the partition's. Every tablet (or partition) is returned,
   * with or without rows.
   */
  public static List<TabletSnapshot> of(
      TableSnapshot snapshot, Collection<PartitionMeta> partitions) {
    Set<Long> read = new HashSet<>();
    for (PartitionMeta partition : partitions) {
      read.add(partition.id());
    }
    List<TableSnapshot.PartitionSnapshot> candidates = new ArrayList<>(snapshot.partitions());
    candidates.addAll(snapshot.temporaryPartitions());
    boolean byPartition =
        !streamsSegments(snapshot.table())
            && snapshot.table().distribution().kind() == DistributionKind.RANDOM;
    List<TabletSnapshot> tablets = new ArrayList<>();
    for (TableSnapshot.PartitionSnapshot partition : candidates) {
      if (!read.contains(partition.partition().id())) {
        continue;
      }
      Map<String, RoaringBitmap> deleted = deletedRows(partition);
      if (byPartition) {
        // Rows of one key in several tablets: only SUM, MIN, MAX and unions are allowed with
        // random distribution, so the order between tablets does not change the result.
        List<RowsetMeta> rowsets = new ArrayList<>();
        for (List<RowsetMeta> tablet : partition.rowsets().values()) {
          rowsets.addAll(tablet);
        }
        rowsets.sort(Comparator.comparingLong(RowsetMeta::endVersion));
        tablets.add(tablet(partition.partition().id(), rowsets, deleted));
      } else {
        for (Map.Entry<Long, List<RowsetMeta>> tablet : partition.rowsets().entrySet()) {
          tablets.add(tablet(tablet.getKey(), tablet.getValue(), deleted));
        }
      }
    }
    return tablets;
  }

  /**
   * One tablet of the catalog as storage sees it.
   *
   * @param rowsets its visible rowsets in version order
   * @param deleted the delete marks of its segments by path (see {@link #deletedRows}); segments
   *     absent have none
   */
  public static TabletSnapshot tablet(
      long tabletId, List<RowsetMeta> rowsets, Map<String, RoaringBitmap> deleted) {
    List<TabletSnapshot.Rowset> result = new ArrayList<>(rowsets.size());
    for (RowsetMeta rowset : rowsets) {
      List<TabletSnapshot.Segment> segments = new ArrayList<>(rowset.segments().size());
      for (SegmentFile segment : rowset.segments()) {
        segments.add(
            new TabletSnapshot.Segment(
                segment.path(),
                segment.rowCount(),
                rowset.endVersion(),
                deleted.get(segment.path())));
      }
      result.add(new TabletSnapshot.Rowset(rowset.startVersion(), rowset.endVersion(), segments));
    }
    return new TabletSnapshot(tabletId, result);
  }

  /** The delete marks of every segment of {@code partition} at its visible version, by path. */
  public static Map<String, RoaringBitmap> deletedRows(TableSnapshot.PartitionSnapshot partition) {
    Map<String, RoaringBitmap> deleted = new HashMap<>();
    for (List<SegmentDeletes> layers : partition.deletes().values()) {
      addDeletedRows(layers, partition.visibleVersion(), deleted);
    }
    return deleted;
  }

  /**
   * The delete marks of the segments {@code layers} (one tablet's, say) name at {@code
   * visibleVersion}, by path: the union of each segment's layers of versions up to it.
   */
  public static Map<String, RoaringBitmap> deletedRows(
      List<SegmentDeletes> layers, long visibleVersion) {
    Map<String, RoaringBitmap> deleted = new HashMap<>();
    addDeletedRows(layers, visibleVersion, deleted);
    return deleted;
  }

  private static void addDeletedRows(
      List<SegmentDeletes> layers, long visibleVersion, Map<String, RoaringBitmap> deleted) {
    Map<String, List<RoaringBitmap>> byPath = new HashMap<>();
    for (SegmentDeletes layer : layers) {
      if (layer.version() <= visibleVersion) {
        byPath.computeIfAbsent(layer.segmentPath(), path -> new ArrayList<>(2)).add(layer.rows());
      }
    }
    for (Map.Entry<String, List<RoaringBitmap>> segment : byPath.entrySet()) {
      List<RoaringBitmap> bitmaps = segment.getValue();
      RoaringBitmap marks =
          bitmaps.size() == 1
              ? bitmaps.get(0)
              : RoaringBitmap.or(bitmaps.toArray(RoaringBitmap[]::new));
      deleted.merge(segment.getKey(), marks, (left, right) -> RoaringBitmap.or(left, right));
    }
  }
}
