package dev.basalt.server.engine;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.meta.catalog.DistributionKind;
import dev.basalt.meta.catalog.RowsetMeta;
import dev.basalt.meta.catalog.SegmentDeletes;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.TableSnapshot;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.index.PrimaryKeyEncoder;
import dev.basalt.storage.index.PrimaryKeyIndex;
import dev.basalt.storage.index.PrimaryKeyIndexCache;
import dev.basalt.storage.index.SegmentBloomFilters;
import dev.basalt.storage.segment.ColumnRequest;
import dev.basalt.storage.segment.PageCache;
import dev.basalt.storage.segment.SegmentFooterCache;
import dev.basalt.storage.segment.SegmentReader;
import dev.basalt.storage.tablet.DistributionHash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads the row of one full primary key of a merge-on-write UNIQUE KEY table at a snapshot, without
 * scanning (docs/architecture.md, "Point queries"): the key's bucket picks the one tablet per
 * partition that can hold it (the load routed it there by the same hash), that tablet's segments
 * are probed newest first through their primary-key indexes (bloom filter, then binary search), and
 * the newest segment holding the key in a row the snapshot's delete bitmaps do not mark has its
 * only live row (usually the newest holding it at all; with a sequence column a newer row may have
 * lost). On a table with a row store (docs/format.md section 14) the row is decoded from the
 * segment's row-store column, one value instead of a page per column; otherwise, and for segments
 * written before the row store or without a requested column in it, from the columns. The row's
 * pages come from the server's point-read {@link PageCache} and the segment's footer from its
 * {@link SegmentFooterCache} ({@link SegmentCaches}), so repeated lookups neither open, re-read nor
 * re-decode anything.
 *
 * <p>A found row is tested against one bitmap of its segment's delete marks, merged once per change
 * of the tablet's delete layers, so that test does not grow with the number of upserts the table
 * has had; what still does is one bloom filter word per segment of the tablet, read from one array
 * of the tablet's filters side by side ({@link SegmentBloomFilters}), until compaction merges the
 * segments.
 *
 * <p>Thread safe (the caches are shared, and safe for concurrent use).
 */
final class PrimaryKeyLookup {
  private final FileSystem fileSystem;
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
        Probe probe = probe(partition, tabletId, rowsets, encoded, hash);
        if (probe == null) {
          return Optional.empty();
        }
        if (probe.row() >= 0) {
          try (SegmentReader reader = SegmentReader.open(fileSystem, probe.path(), footers)) {
            Batch row = reader.readRow(requests, probe.row(), pages);
            if (row == null) {
              try (BatchStream stream = reader.read(requests, probe.row(), 1, pages)) {
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

  /** Where a key was found: a segment and row, or row -1 when no segment holds it. */
  private record Probe(String path, int row) {}

  /**
   * The newest segment of a tablet holding {@code encoded} in a row the snapshot does not mark
   * deleted (with a sequence column the newest row of a key may have lost to an older one); null
   * when a segment has no index.
   */
  private Probe probe(
      TableSnapshot.PartitionSnapshot partition,
      long tabletId,
      List<RowsetMeta> rowsets,
      byte[] encoded,
      long hash) {
    TabletSegments segments = tabletSegments(tabletId, rowsets);
    if (segments == null) {
      return probeEachSegment(partition, tabletId, rowsets, encoded, hash);
    }
    SegmentProbes probes = new SegmentProbes(partition, tabletId, encoded, hash);
    for (int s = 0; s < segments.paths().length; s++) {
      if (!segments.filters().mightContain(s, hash)) {
        continue;
      }
      Probe probe = probes.probe(segments.paths()[s]);
      if (probe != NOT_IN_SEGMENT) {
        return probe;
      }
    }
    return new Probe(null, -1);
  }

  /**
   * As {@link #probe}, reaching each segment's index through the cache, newest first, and stopping
   * at the first that holds the key: for the first lookup of a tablet's current rowsets, which need
   * not read the indexes of older segments than the key's (the first lookup after a restart, or
   * after a commit to the tablet).
   */
  private Probe probeEachSegment(
      TableSnapshot.PartitionSnapshot partition,
      long tabletId,
      List<RowsetMeta> rowsets,
      byte[] encoded,
      long hash) {
    SegmentProbes probes = new SegmentProbes(partition, tabletId, encoded, hash);
    for (int r = rowsets.size() - 1; r >= 0; r--) {
      List<SegmentFile> files = rowsets.get(r).segments();
      for (int s = files.size() - 1; s >= 0; s--) {
        Probe probe = probes.probe(files.get(s).path());
        if (probe != NOT_IN_SEGMENT) {
          return probe;
        }
      }
    }
    return new Probe(null, -1);
  }

  /** What {@link SegmentProbes#probe} answers for a segment without the key live in it. */
  private static final Probe NOT_IN_SEGMENT = new Probe(null, -1);

  /**
   * One key's probes of a tablet's segments, newest first: the tablet's delete layers are read at
   * the first segment that holds the key. Not thread safe; one per lookup.
   */
  private final class SegmentProbes {
    private final TableSnapshot.PartitionSnapshot partition;
    private final long tabletId;
    private final byte[] encoded;
    private final long hash;
    private SegmentDeleteLayers layers;

    SegmentProbes(
        TableSnapshot.PartitionSnapshot partition, long tabletId, byte[] encoded, long hash) {
      this.partition = partition;
      this.tabletId = tabletId;
      this.encoded = encoded;
      this.hash = hash;
    }

    /**
     * The key's live row in the segment at {@code path}; {@link #NOT_IN_SEGMENT} when it has none;
     * null when the segment has no primary-key index.
     */
    Probe probe(String path) {
      Optional<PrimaryKeyIndex> index = PrimaryKeyIndexCache.shared().get(fileSystem, path);
      if (index.isEmpty()) {
        return null;
      }
      int row = index.get().find(encoded, hash);
      if (row < 0) {
        return NOT_IN_SEGMENT;
      }
      if (layers == null) {
        layers = deleteLayers(partition, tabletId);
      }
      return isDeleted(path, row, layers) ? NOT_IN_SEGMENT : new Probe(path, row);
    }
  }

  /**
   * The tablet's segments newest first with their bloom filters, for its current list of rowsets
   * ({@code rowsets}); null at the first lookup of that list (the caller then probes each segment,
   * {@link #probeEachSegment}; the filters are built at the second) or when a segment has no
   * primary-key index.
   */
  private TabletSegments tabletSegments(long tabletId, List<RowsetMeta> rowsets) {
    TabletSegments cached = segmentsByTablet.get(tabletId);
    if (cached != null && cached.source() == rowsets && cached.filters() != null) {
      return cached;
    }
    if (cached == null || cached.source() != rowsets) {
      segmentsByTablet.put(tabletId, new TabletSegments(rowsets, null, null));
      return null;
    }
    List<String> paths = new ArrayList<>();
    List<PrimaryKeyIndex> indexes = new ArrayList<>();
    for (int r = rowsets.size() - 1; r >= 0; r--) {
      List<SegmentFile> files = rowsets.get(r).segments();
      for (int s = files.size() - 1; s >= 0; s--) {
        String path = files.get(s).path();
        Optional<PrimaryKeyIndex> index = PrimaryKeyIndexCache.shared().get(fileSystem, path);
        if (index.isEmpty()) {
          return null;
        }
        paths.add(path);
        indexes.add(index.get());
      }
    }
    TabletSegments built =
        new TabletSegments(rowsets, paths.toArray(String[]::new), SegmentBloomFilters.of(indexes));
    segmentsByTablet.put(tabletId, built);
    return built;
  }

  /**
   * A tablet's segments, newest first, for its list of rowsets {@code source} (the catalog's,
   * replaced and never changed when the tablet's rowsets change), with their bloom filters; both
   * null when that list has been looked up once only.
   */
  private record TabletSegments(
      List<RowsetMeta> source, String[] paths, SegmentBloomFilters filters) {
    long filterBytes() {
      return filters == null ? 0 : filters.estimatedBytes();
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

  private static boolean isDeleted(String path, int row, SegmentDeleteLayers layers) {
    RoaringBitmap deleted = layers.of(path);
    return deleted != null && deleted.contains(row);
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
   * merged into one bitmap per segment path. Immutable once built.
   */
  private record SegmentDeleteLayers(
      List<SegmentDeletes> source,
      long visibleVersion,
      Map<String, RoaringBitmap> byPath,
      long mergedBytes) {
    static final SegmentDeleteLayers NONE = new SegmentDeleteLayers(List.of(), -1, Map.of(), 0);

    static SegmentDeleteLayers of(List<SegmentDeletes> layers, long visibleVersion) {
      Map<String, List<RoaringBitmap>> layersByPath = new HashMap<>();
      for (SegmentDeletes layer : layers) {
        if (layer.version() <= visibleVersion) {
          layersByPath
              .computeIfAbsent(layer.segmentPath(), path -> new ArrayList<>(2))
              .add(layer.rows());
        }
      }
      Map<String, RoaringBitmap> byPath = HashMap.newHashMap(layersByPath.size());
      long mergedBytes = 0;
      for (Map.Entry<String, List<RoaringBitmap>> segment : layersByPath.entrySet()) {
        List<RoaringBitmap> bitmaps = segment.getValue();
        // One layer is shared with the catalog as it is (never changed); several are merged.
        RoaringBitmap deleted =
            bitmaps.size() == 1
                ? bitmaps.get(0)
                : RoaringBitmap.or(bitmaps.toArray(RoaringBitmap[]::new));
        if (bitmaps.size() > 1) {
          mergedBytes += deleted.getLongSizeInBytes();
        }
        byPath.put(segment.getKey(), deleted);
      }
      return new SegmentDeleteLayers(layers, visibleVersion, byPath, mergedBytes);
    }

    /** The rows marked deleted in the segment at {@code path}, or null when none are. */
    RoaringBitmap of(String path) {
      return byPath.get(path);
    }
  }
}
