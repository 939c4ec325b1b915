package dev.basalt.load;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.meta.catalog.DeleteMarker;
import dev.basalt.meta.catalog.RowsetMeta;
import dev.basalt.meta.catalog.SegmentDeletes;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.index.PrimaryKeyIndex;
import dev.basalt.storage.index.PrimaryKeyIndexCache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;

/**
 * Computes a merge-on-write commit's delete marks for one tablet (called by the catalog under its
 * commit lock): every key of the load's segments, in write order, is looked up in the primary-key
 * indexes of the older segments, newest first (the load's own earlier segments, then the visible
 * rowsets from the newest version down), and the first row found is marked. One hit is enough:
 * every commit marks the previous live row of each key it writes, so at most one row per key is
 * live and it sits in the newest segment holding the key. Keys a DELETE removes are looked up the
 * same way, in all segments including the load's.
 *
 * <p>Segments are skipped by their bloom filters inside {@link PrimaryKeyIndex#find}. Not thread
 * safe; used for one commit.
 */
final class MergeOnWriteMarker implements DeleteMarker {
  private final FileSystem fileSystem;
  private final Map<Long, List<SegmentFile>> newSegments;
  private final Map<Long, List<byte[]>> deletedKeys;

  MergeOnWriteMarker(FileSystem fileSystem, Map<Long, List<SegmentFile>> newSegments) {
    this(fileSystem, newSegments, Map.of());
  }

  /**
   * @param newSegments per tablet, the load's segments in write order
   * @param deletedKeys per tablet, encoded keys whose live row is to be marked (DELETE)
   */
  MergeOnWriteMarker(
      FileSystem fileSystem,
      Map<Long, List<SegmentFile>> newSegments,
      Map<Long, List<byte[]>> deletedKeys) {
    this.fileSystem = fileSystem;
    this.newSegments = newSegments;
    this.deletedKeys = deletedKeys;
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
    Map<String, RoaringBitmap> marks = new HashMap<>();
    for (SegmentFile segment : newSegments.getOrDefault(tabletId, List.of())) {
      PrimaryKeyIndex index = index(segment.path());
      for (int row = 0; row < index.keyCount(); row++) {
        markNewest(index.key(row), paths, indexes, marks);
      }
      paths.add(segment.path());
      indexes.add(index);
    }
    for (byte[] key : deletedKeys.getOrDefault(tabletId, List.of())) {
      markNewest(key, paths, indexes, marks);
    }
    return marks;
  }

  private static void markNewest(
      byte[] key,
      List<String> paths,
      List<PrimaryKeyIndex> indexes,
      Map<String, RoaringBitmap> marks) {
    long hash = PrimaryKeyIndex.hash(key);
    for (int candidate = indexes.size() - 1; candidate >= 0; candidate--) {
      int found = indexes.get(candidate).find(key, hash);
      if (found >= 0) {
        marks.computeIfAbsent(paths.get(candidate), path -> new RoaringBitmap()).add(found);
        return;
      }
    }
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
