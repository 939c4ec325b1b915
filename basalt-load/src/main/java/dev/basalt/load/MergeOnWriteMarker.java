package dev.basalt.load;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.DeleteMarker;
import dev.basalt.meta.catalog.RowsetMeta;
import dev.basalt.meta.catalog.SegmentDeletes;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.UniqueKeyOptions;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.index.PrimaryKeyIndex;
import dev.basalt.storage.index.PrimaryKeyIndexCache;
import dev.basalt.storage.segment.ColumnRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;

/**
 * Computes a merge-on-write commit's delete marks for one tablet (called by the catalog under its
 * commit lock): every key of the load's segments, in write order, is looked up in the primary-key
 * indexes of the older segments, newest first (the load's own earlier segments, then the visible
 * rowsets from the newest version down), skipping rows already marked, and the first live row found
 * is marked. Every commit leaves at most one live row per key, so one live hit is enough. Keys a
 * DELETE removes are looked up the same way, in all segments including the load's.
 *
 * <p>With a sequence column ({@link UniqueKeyOptions}) the new row replaces the live row only if
 * its sequence value is not smaller; otherwise the new row itself is marked and the stored row
 * stays live. Sequence values are read from the segments by row number ({@link StoredRowReader}).
 *
 * <p>Segments are skipped by their bloom filters inside {@link PrimaryKeyIndex#find}. Not thread
 * safe; used for one commit.
 */
final class MergeOnWriteMarker implements DeleteMarker {
  private final FileSystem fileSystem;
  private final Map<Long, List<SegmentFile>> newSegments;
  private final Map<Long, List<byte[]>> deletedKeys;
  private final ColumnRequest sequence;

  /**
   * @param newSegments per tablet, the load's segments in write order
   * @param deletedKeys per tablet, encoded keys whose live row is to be marked (DELETE)
   * @param sequence how to read the sequence column, or null when the table has none
   */
  MergeOnWriteMarker(
      FileSystem fileSystem,
      Map<Long, List<SegmentFile>> newSegments,
      Map<Long, List<byte[]>> deletedKeys,
      ColumnRequest sequence) {
    this.fileSystem = fileSystem;
    this.newSegments = newSegments;
    this.deletedKeys = deletedKeys;
    this.sequence = sequence;
  }

  /** The column request that reads {@code table}'s sequence column, or null when it has none. */
  static ColumnRequest sequenceRequest(TableMeta table) {
    int position = UniqueKeyOptions.sequenceColumn(table);
    if (position < 0) {
      return null;
    }
    ColumnMeta column = table.columns().get(position);
    return ColumnRequest.withDefault(column.uniqueId(), column.type(), null);
  }

  @Override
  public Map<String, RoaringBitmap> mark(
      long tabletId, List<RowsetMeta> visibleRowsets, List<SegmentDeletes> visibleDeletes) {
    // Candidates newest first: filled from the oldest and read backwards.
    List<String> paths = new ArrayList<>();
    List<PrimaryKeyIndex> indexes = new ArrayList<>();
    for (RowsetMeta rowset : visibleRowsets) {
      for (SegmentFile segment : rowset.segments()) {
        paths.add(segment.path());
        indexes.add(index(segment.path()));
      }
    }
    Map<String, List<RoaringBitmap>> earlier = new HashMap<>();
    for (SegmentDeletes layer : visibleDeletes) {
      earlier.computeIfAbsent(layer.segmentPath(), path -> new ArrayList<>()).add(layer.rows());
    }
    Map<String, RoaringBitmap> marks = new HashMap<>();
    try (StoredRowReader sequences =
        sequence == null ? null : new StoredRowReader(fileSystem, List.of(sequence))) {
      for (SegmentFile segment : newSegments.getOrDefault(tabletId, List.of())) {
        PrimaryKeyIndex index = index(segment.path());
        for (int row = 0; row < index.keyCount(); row++) {
          int candidate = newestLive(index.key(row), paths, indexes, earlier, marks);
          if (candidate < 0) {
            continue;
          }
          String foundPath = paths.get(candidate);
          int foundRow = foundRows[0];
          if (sequences == null || newerWins(sequences, segment.path(), row, foundPath, foundRow)) {
            mark(marks, foundPath, foundRow);
          } else {
            mark(marks, segment.path(), row);
          }
        }
        paths.add(segment.path());
        indexes.add(index);
      }
    }
    for (byte[] key : deletedKeys.getOrDefault(tabletId, List.of())) {
      int candidate = newestLive(key, paths, indexes, earlier, marks);
      if (candidate >= 0) {
        mark(marks, paths.get(candidate), foundRows[0]);
      }
    }
    return marks;
  }

  /** The row {@link #newestLive} found last. */
  private final int[] foundRows = new int[1];

  /**
   * The newest candidate holding a live row of {@code key} (its row left in {@code foundRows[0]}),
   * or -1 when no candidate does.
   */
  private int newestLive(
      byte[] key,
      List<String> paths,
      List<PrimaryKeyIndex> indexes,
      Map<String, List<RoaringBitmap>> earlier,
      Map<String, RoaringBitmap> marks) {
    long hash = PrimaryKeyIndex.hash(key);
    for (int candidate = indexes.size() - 1; candidate >= 0; candidate--) {
      int found = indexes.get(candidate).find(key, hash);
      if (found >= 0 && !isMarked(paths.get(candidate), found, earlier, marks)) {
        foundRows[0] = found;
        return candidate;
      }
    }
    return -1;
  }

  private static boolean isMarked(
      String path,
      int row,
      Map<String, List<RoaringBitmap>> earlier,
      Map<String, RoaringBitmap> marks) {
    RoaringBitmap now = marks.get(path);
    if (now != null && now.contains(row)) {
      return true;
    }
    for (RoaringBitmap layer : earlier.getOrDefault(path, List.of())) {
      if (layer.contains(row)) {
        return true;
      }
    }
    return false;
  }

  private static boolean newerWins(
      StoredRowReader sequences, String newPath, int newRow, String oldPath, int oldRow) {
    ColumnVector newer = sequences.read(newPath, newRow).column(0);
    ColumnVector older = sequences.read(oldPath, oldRow).column(0);
    boolean newerNull = newer.isNull(0);
    boolean olderNull = older.isNull(0);
    return UniqueKeyOptions.newerWins(
        newerNull,
        newerNull ? 0 : ((LongVector) newer).getLong(0),
        olderNull,
        olderNull ? 0 : ((LongVector) older).getLong(0));
  }

  private static void mark(Map<String, RoaringBitmap> marks, String path, int row) {
    marks.computeIfAbsent(path, p -> new RoaringBitmap()).add(row);
  }

  private PrimaryKeyIndex index(String path) {
    return PrimaryKeyIndexCache.shared()
        .get(fileSystem, path)
        .orElseThrow(
            () ->
                new BasaltException(
                    ErrorCode.STORAGE_CORRUPTION,
                    path,
                    "a segment of a merge-on-write table has no primary key index"));
  }
}
