package dev.basalt.load;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.vector.Batch;
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
 * DELETE removes are looked up the same way, in all segments including the load's; with a sequence
 * column, a delete carrying a smaller sequence value than the live row's leaves it ({@link
 * TabletDeletes}).
 *
 * <p>With a sequence column ({@link UniqueKeyOptions}) the new row replaces the live row only if
 * its sequence value is not smaller; otherwise the new row itself is marked and the stored row
 * stays live. Sequence values are read from the segments by row number ({@link StoredRowReader}).
 *
 * <p>Segments are skipped by their key range ({@link PrimaryKeyIndex#covers}: new keys beyond every
 * older key cost two comparisons per segment) and by their bloom filters inside {@link
 * PrimaryKeyIndex#find}. Not thread safe; used for one commit.
 */
final class MergeOnWriteMarker implements DeleteMarker {
  private final FileSystem fileSystem;
  private final Map<Long, List<SegmentFile>> newSegments;
  private final Map<Long, TabletDeletes> deletedKeys;
  private final ColumnRequest sequence;
  private final int sequenceColumn;
  private final PartialUpdateRecheck recheck;

  /**
   * @param newSegments per tablet, the load's segments in write order
   * @param deletedKeys per tablet, encoded keys whose live row is to be marked (DELETE)
   * @param table the table, for its sequence column (if any)
   */
  MergeOnWriteMarker(
      FileSystem fileSystem,
      Map<Long, List<SegmentFile>> newSegments,
      Map<Long, TabletDeletes> deletedKeys,
      TableMeta table) {
    this(fileSystem, newSegments, deletedKeys, table, null);
  }

  /**
   * As above, for a partial column update: {@code recheck} re-reads the keys whose live row changed
   * since the load's flush read it, and the marker treats the corrected rows as the load's.
   *
   * @param recheck the partial update's commit-time re-read, or null for a load of whole rows
   */
  MergeOnWriteMarker(
      FileSystem fileSystem,
      Map<Long, List<SegmentFile>> newSegments,
      Map<Long, TabletDeletes> deletedKeys,
      TableMeta table,
      PartialUpdateRecheck recheck) {
    this.fileSystem = fileSystem;
    this.newSegments = newSegments;
    this.deletedKeys = deletedKeys;
    this.sequence = sequenceRequest(table);
    this.sequenceColumn = UniqueKeyOptions.sequenceColumn(table);
    this.recheck = recheck;
  }

  /** The column request that reads {@code table}'s sequence column, or null when it has none. */
  private static ColumnRequest sequenceRequest(TableMeta table) {
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
      List<SegmentFile> loadSegments = newSegments.getOrDefault(tabletId, List.of());
      for (int s = 0; s < loadSegments.size(); s++) {
        SegmentFile segment = loadSegments.get(s);
        PrimaryKeyIndex index = index(segment.path());
        try (PartialUpdateRecheck.Patch patch =
            recheck == null
                ? null
                : recheck.start(
                    tabletId,
                    segment.path(),
                    visibleRowsets,
                    visibleDeletes,
                    loadSegments.subList(0, s))) {
          for (int row = 0; row < index.keyCount(); row++) {
            int candidate = newestLive(index.key(row), paths, indexes, earlier, marks);
            String foundPath = candidate < 0 ? null : paths.get(candidate);
            int foundRow = foundRows[0];
            String newPath = segment.path();
            int newRow = row;
            ColumnVector newSequence = null;
            if (patch != null && patch.needsReread(row, foundPath)) {
              // Completed from a stale row at flush: the corrected row replaces it.
              mark(marks, segment.path(), row);
              newPath = patch.path();
              newRow = patch.nextRow();
              Batch corrected = patch.reread(row, foundPath, foundRow);
              newSequence = sequenceColumn < 0 ? null : corrected.column(sequenceColumn);
            }
            if (candidate < 0) {
              continue;
            }
            if (sequences == null) {
              mark(marks, foundPath, foundRow);
              continue;
            }
            if (newSequence == null) {
              newSequence = sequences.read(newPath, newRow).column(0);
            }
            if (newerWins(newSequence, sequences.read(foundPath, foundRow).column(0))) {
              mark(marks, foundPath, foundRow);
            } else {
              mark(marks, newPath, newRow);
            }
          }
          paths.add(segment.path());
          indexes.add(index);
          if (patch != null) {
            SegmentFile written = patch.finish();
            if (written != null) {
              paths.add(written.path());
              indexes.add(index(written.path()));
            }
          }
        }
      }
    }
    TabletDeletes deletes = deletedKeys.get(tabletId);
    if (deletes != null) {
      try (StoredRowReader sequences =
          sequence == null ? null : new StoredRowReader(fileSystem, List.of(sequence))) {
        for (int d = 0; d < deletes.size(); d++) {
          int candidate = newestLive(deletes.key(d), paths, indexes, earlier, marks);
          if (candidate < 0) {
            continue;
          }
          String foundPath = paths.get(candidate);
          int foundRow = foundRows[0];
          if (sequences != null && deletes.hasSequence(d)) {
            ColumnVector live = sequences.read(foundPath, foundRow).column(0);
            if (!UniqueKeyOptions.newerWins(
                false,
                deletes.sequence(d),
                live.isNull(0),
                live.isNull(0) ? 0 : ((LongVector) live).getLong(0))) {
              // An older delete: the live row stays.
              continue;
            }
          }
          mark(marks, foundPath, foundRow);
        }
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
    long hash = 0;
    boolean hashed = false;
    for (int candidate = indexes.size() - 1; candidate >= 0; candidate--) {
      PrimaryKeyIndex index = indexes.get(candidate);
      if (!index.covers(key)) {
        continue;
      }
      if (!hashed) {
        hash = PrimaryKeyIndex.hash(key);
        hashed = true;
      }
      int found = index.find(key, hash);
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

  private static boolean newerWins(ColumnVector newer, ColumnVector older) {
    boolean newerNull = newer.isNull(0);
    boolean olderNull = older.isNull(0);
    return UniqueKeyOptions.newerWins(
        newerNull,
        newerNull ? 0 : ((LongVector) newer).getLong(0),
        olderNull,
        olderNull ? 0 : ((LongVector) older).getLong(0));
  }

  @Override
  public List<SegmentFile> segments(long tabletId, List<SegmentFile> loadSegments) {
    return recheck == null ? loadSegments : recheck.segments(loadSegments);
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
