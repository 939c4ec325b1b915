package dev.basalt.server.engine;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.load.DistributionHash;
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
import dev.basalt.storage.segment.ColumnRequest;
import dev.basalt.storage.segment.PageCache;
import dev.basalt.storage.segment.SegmentFooterCache;
import dev.basalt.storage.segment.SegmentReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
 * <p>Thread safe (stateless apart from the shared caches).
 */
final class PrimaryKeyLookup {
  private final FileSystem fileSystem;
  private final PageCache pages;
  private final SegmentFooterCache footers;

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
    for (int r = rowsets.size() - 1; r >= 0; r--) {
      List<SegmentFile> segments = rowsets.get(r).segments();
      for (int s = segments.size() - 1; s >= 0; s--) {
        String path = segments.get(s).path();
        Optional<PrimaryKeyIndex> index = PrimaryKeyIndexCache.shared().get(fileSystem, path);
        if (index.isEmpty()) {
          return null;
        }
        int row = index.get().find(encoded, hash);
        if (row >= 0 && !isDeleted(partition, tabletId, path, row)) {
          return new Probe(path, row);
        }
      }
    }
    return new Probe(null, -1);
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

  private static boolean isDeleted(
      TableSnapshot.PartitionSnapshot partition, long tabletId, String path, int row) {
    for (SegmentDeletes layer : partition.deletes().getOrDefault(tabletId, List.of())) {
      if (layer.version() <= partition.visibleVersion()
          && layer.segmentPath().equals(path)
          && layer.rows().contains(row)) {
        return true;
      }
    }
    return false;
  }
}
