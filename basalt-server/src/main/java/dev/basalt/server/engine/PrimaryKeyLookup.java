package dev.basalt.server.engine;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.load.TabletSnapshots;
import dev.basalt.meta.catalog.DistributionKind;
import dev.basalt.meta.catalog.RowsetMeta;
import dev.basalt.meta.catalog.SegmentDeletes;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.TableSnapshot;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.index.PrimaryKeyEncoder;
import dev.basalt.storage.index.PrimaryKeyIndex;
import dev.basalt.storage.segment.ColumnRequest;
import dev.basalt.storage.segment.PageCache;
import dev.basalt.storage.segment.SegmentFooterCache;
import dev.basalt.storage.segment.SegmentReader;
import dev.basalt.storage.tablet.DistributionHash;
import dev.basalt.storage.tablet.PrimaryKeyProbe;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads the row of one full primary key of a merge-on-write UNIQUE KEY table at a snapshot, without
 * scanning (docs/architecture.md, "Point queries"): the key's bucket picks the one tablet per
 * partition that can hold it (the load routed it there by the same hash), and the tablet layer's
 * {@link PrimaryKeyProbe} finds the key's live row in that tablet's segments, newest first through
 * their primary-key indexes and the snapshot's delete marks. On a table with a row store
 * (docs/format.md section 14) the row is decoded from the segment's row-store column, one value
 * instead of a page per column; otherwise, and for segments written before the row store or without
 * a requested column in it, from the columns. The row's pages come from the server's point-read
 * {@link PageCache} and the segment's footer from its {@link SegmentFooterCache} ({@link
 * SegmentCaches}), so repeated lookups neither open, re-read nor re-decode anything.
 *
 * <p>A found row is tested against one bitmap of its segment's delete marks, merged once per change
 * of the tablet's delete layers, so that test does not grow with the number of upserts the table
 * has had; what still does is one bloom filter word per segment of the tablet, read from one array
 * of the tablet's filters side by side ({@link PrimaryKeyProbe.Segments}), until compaction merges
 * the segments.
 *
 * <p>Thread safe (the caches are shared, and safe for concurrent use).
 */
final class PrimaryKeyLookup {
  private final FileSystem fileSystem;
  private final PrimaryKeyProbe probe;
  private final PageCache pages;
  private final SegmentFooterCache footers;

  /**
   * Bytes of bloom filters kept at most (16 bits per key: the filters of about 32 million keys);
   * past it the tablets' segment lists start over.
   */
  private static final long MAX_SEGMENT_FILTER_BYTES = 64L << 20;

  /**
   * Bytes of merged delete bitmaps kept at most (not of layers shared as they are), or tablets with
   * layers kept at most; past either the merged layers start over.
   */
  private static final long MAX_MERGED_LAYER_BYTES = 64L << 20;

  private static final int MAX_TABLETS_WITH_LAYERS = 65_536;

  /**
   * Each tablet's delete layers merged into one bitmap per segment, built from the catalog's list
   * of layers and kept while that list and the partition's visible version are current (the catalog
   * replaces a tablet's list, never changes it). A tablet gains a delete layer for each segment an
   * upsert load replaces keys of, so testing a found row against every layer made a lookup's cost
   * grow with the table's history (a key in the base segment of a table after 1,000 upsert loads
   * met 1,000 layers); merged, it is one bitmap's test.
   */
  private final BoundedTabletCache<SegmentDeleteLayers> deleteLayers =
      new BoundedTabletCache<>(
          SegmentDeleteLayers::mergedBytes, MAX_MERGED_LAYER_BYTES, MAX_TABLETS_WITH_LAYERS);

  /**
   * Each tablet's segments newest first with their bloom filters side by side, kept while the
   * tablet's list of rowsets is current: a lookup tests the key against each segment's filter from
   * one array, and reaches the index cache only for the segments that may hold the key.
   */
  private final BoundedTabletCache<TabletSegments> segmentsByTablet =
      new BoundedTabletCache<>(
          TabletSegments::filterBytes, MAX_SEGMENT_FILTER_BYTES, Integer.MAX_VALUE);

  PrimaryKeyLookup(FileSystem fileSystem, SegmentCaches caches) {
    this.fileSystem = fileSystem;
    this.probe = new PrimaryKeyProbe(fileSystem);
    this.pages = caches.pointReadPages();
    this.footers = caches.footers();
  }

  /**
   * The batches holding the live row of the key in row {@code keyRow} of {@code key} (at most one
   * row in all), or empty when a segment of the table has no primary-key index (the caller then
   * scans).
   *
   * @param key one vector per key column, in the order of {@link TableMeta#keyColumns}, of the
   *     columns' types; each of its rows is one key
   * @param keyRow the row of {@code key} to look up
   * @param requests the columns to read
   */
  Optional<List<Batch>> find(
      TableSnapshot snapshot,
      TableMeta table,
      ColumnVector[] key,
      int keyRow,
      List<ColumnRequest> requests) {
    byte[] encoded = new PrimaryKeyEncoder().encode(key, keyRow);
    long hash = PrimaryKeyIndex.hash(encoded);
    long bucketHash = bucketHash(table, key, keyRow);
    List<Batch> batches = new ArrayList<>(1);
    for (TableSnapshot.PartitionSnapshot partition : snapshot.partitions()) {
      List<Long> tabletIds = partition.partition().tabletIds();
      List<Long> candidates =
          bucketHash == NO_BUCKET_HASH
              ? tabletIds
              : List.of(tabletIds.get(DistributionHash.bucketOf(bucketHash, tabletIds.size())));
      for (long tabletId : candidates) {
        List<RowsetMeta> rowsets = partition.rowsets().getOrDefault(tabletId, List.of());
        PrimaryKeyProbe.Location found =
            probe.probe(
                tabletSegments(tabletId, rowsets),
                encoded,
                hash,
                () -> deleteLayers(partition, tabletId));
        if (found == null) {
          return Optional.empty();
        }
        if (found.found()) {
          try (SegmentReader reader = SegmentReader.open(fileSystem, found.path(), footers)) {
            Batch row = reader.readRow(requests, found.row(), pages);
            if (row == null) {
              try (BatchStream stream = reader.read(requests, found.row(), 1, pages)) {
                row = stream.next();
              }
            }
            batches.add(row);
          }
        }
      }
    }
    return Optional.of(batches);
  }

  /**
   * The tablet's segments newest first for its current list of rowsets ({@code rowsets}), with
   * their bloom filters from the second lookup of that list on (the first probes each segment's
   * index through the cache newest first and need not read the indexes of segments older than the
   * key's: the first lookup after a restart, or after a commit to the tablet); without filters when
   * a segment has no primary-key index (the probe then answers null).
   */
  private PrimaryKeyProbe.Segments tabletSegments(long tabletId, List<RowsetMeta> rowsets) {
    TabletSegments cached = segmentsByTablet.get(tabletId);
    if (cached != null && cached.source() == rowsets) {
      if (cached.segments().filters() != null || cached.withoutFilters()) {
        return cached.segments();
      }
      PrimaryKeyProbe.Segments filtered = probe.withBloomFilters(cached.segments());
      TabletSegments built =
          filtered == null
              ? new TabletSegments(rowsets, cached.segments(), true)
              : new TabletSegments(rowsets, filtered, false);
      segmentsByTablet.put(tabletId, built);
      return built.segments();
    }
    PrimaryKeyProbe.Segments segments =
        PrimaryKeyProbe.Segments.of(TabletSnapshots.tablet(tabletId, rowsets, Map.of()));
    segmentsByTablet.put(tabletId, new TabletSegments(rowsets, segments, false));
    return segments;
  }

  /**
   * A tablet's segments, newest first, for its list of rowsets {@code source} (the catalog's,
   * replaced and never changed when the tablet's rowsets change), with their bloom filters once
   * that list has been looked up twice.
   *
   * @param withoutFilters a segment has no primary-key index: no filters are built
   */
  private record TabletSegments(
      List<RowsetMeta> source, PrimaryKeyProbe.Segments segments, boolean withoutFilters) {
    long filterBytes() {
      return segments.filterBytes();
    }
  }

  private static final long NO_BUCKET_HASH = 0;

  /**
   * The key's distribution hash when the table is hash-distributed on key columns only (Doris
   * requires it of unique tables), else {@link #NO_BUCKET_HASH}: every tablet is then probed. A
   * real hash of 0 only costs the probes of the other tablets.
   */
  private static long bucketHash(TableMeta table, ColumnVector[] key, int keyRow) {
    if (table.distribution().kind() != DistributionKind.HASH) {
      return NO_BUCKET_HASH;
    }
    // mix hashes rows 0..count-1; the key vectors hold a few rows at most (PointQuery#key).
    long[] hashes = new long[keyRow + 1];
    for (String column : table.distribution().columns()) {
      int position = keyPosition(table, column);
      if (position < 0) {
        return NO_BUCKET_HASH;
      }
      DistributionHash.mix(key[position], hashes, keyRow + 1);
    }
    return hashes[keyRow];
  }

  private static int keyPosition(TableMeta table, String column) {
    for (int k = 0; k < table.keyColumns().size(); k++) {
      if (table.keyColumns().get(k).equalsIgnoreCase(column)) {
        return k;
      }
    }
    return -1;
  }

  /** The tablet's delete marks at the snapshot, one bitmap per segment path. */
  private SegmentDeleteLayers deleteLayers(
      TableSnapshot.PartitionSnapshot partition, long tabletId) {
    List<SegmentDeletes> current = partition.deletes().getOrDefault(tabletId, List.of());
    if (current.isEmpty()) {
      return SegmentDeleteLayers.NONE;
    }
    SegmentDeleteLayers cached = deleteLayers.get(tabletId);
    if (cached != null
        && cached.source() == current
        && cached.visibleVersion() == partition.visibleVersion()) {
      return cached;
    }
    SegmentDeleteLayers merged = SegmentDeleteLayers.of(current, partition.visibleVersion());
    // A concurrent lookup at an older or newer snapshot may overwrite this entry; either is
    // correct for the snapshot it was built from, and the next lookup rebuilds if needed.
    deleteLayers.put(tabletId, merged);
    return merged;
  }

  /**
   * One tablet's delete layers ({@code source}, the catalog's list) up to {@code visibleVersion},
   * merged into one bitmap per segment path ({@link TabletSnapshots#deletedRows}). Immutable once
   * built.
   *
   * @param mergedBytes bytes of the merged bitmaps, not counting layers shared as they are
   */
  private record SegmentDeleteLayers(
      List<SegmentDeletes> source,
      long visibleVersion,
      Map<String, RoaringBitmap> byPath,
      long mergedBytes)
      implements PrimaryKeyProbe.DeleteMarks {
    static final SegmentDeleteLayers NONE = new SegmentDeleteLayers(List.of(), -1, Map.of(), 0);

    static SegmentDeleteLayers of(List<SegmentDeletes> layers, long visibleVersion) {
      Map<String, RoaringBitmap> byPath = TabletSnapshots.deletedRows(layers, visibleVersion);
      Set<RoaringBitmap> shared = Collections.newSetFromMap(new IdentityHashMap<>());
      for (SegmentDeletes layer : layers) {
        shared.add(layer.rows());
      }
      long mergedBytes = 0;
      for (RoaringBitmap deleted : byPath.values()) {
        if (!shared.contains(deleted)) {
          mergedBytes += deleted.getLongSizeInBytes();
        }
      }
      return new SegmentDeleteLayers(layers, visibleVersion, byPath, mergedBytes);
    }

    @Override
    public RoaringBitmap of(String path) {
      return byPath.get(path);
    }
  }
}
