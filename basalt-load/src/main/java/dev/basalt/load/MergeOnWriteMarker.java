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
import dev.basalt.meta.catalog.TableSnapshot;
import dev.basalt.meta.catalog.UniqueKeyOptions;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.index.PrimaryKeyIndex;
import dev.basalt.storage.index.PrimaryKeyIndexCache;
import dev.basalt.storage.segment.ColumnRequest;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>The lookups are batched per pair of segments: a new segment's keys are sorted, so one pass
 * over them finds all of them in an older segment ({@link PrimaryKeyIndex#findAll}: key-range skip,
 * bloom filter, galloping search on the stored key bytes). Where a key was found does not change
 * (segments are immutable), only whether that row is still live does; so {@link #prepare} does the
 * lookups against a snapshot before the commit, without the lock, and under the lock {@link #mark}
 * only looks up segments committed since (other loads, compaction outputs), then resolves each key
 * against the delete layers current at that moment, as the DELETE marker does. Not thread safe;
 * used for one commit.
 */
final class MergeOnWriteMarker implements DeleteMarker {
  private final FileSystem fileSystem;
  private final Map<Long, List<SegmentFile>> newSegments;
  private final Map<Long, List<byte[]>> deletedKeys;
  private final ColumnRequest sequence;

  /** Per tablet, the load's segments' indexes and key hashes, read once. */
  private final Map<Long, LoadKeys> loadKeys = new HashMap<>();

  /** Per tablet, per older segment path, where the load's keys were found in it. */
  private final Map<Long, Map<String, Hits[]>> hitsByTablet = new HashMap<>();

  /** The load's segments of one tablet, in write order, with their keys' hashes. */
  private record LoadKeys(String[] paths, PrimaryKeyIndex[] indexes, long[][] hashes) {}

  /**
   * The keys of one new segment found in one older segment: {@code newRows[i]} of the new segment
   * is row {@code foundRows[i]} of the older one, for {@code i < count}, ascending.
   */
  private record Hits(int[] newRows, int[] foundRows, int count) {}

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

  /**
   * Looks the load's keys up in the segments of {@code snapshot} (and in the load's own earlier
   * segments) now, before the commit lock is taken. A segment that fails to read (compacted away
   * and collected meanwhile) is left out: if it is still visible at the commit, {@link #mark} reads
   * it then (and reports a real error).
   */
  void prepare(TableSnapshot snapshot) {
    for (TableSnapshot.PartitionSnapshot partition : snapshot.partitions()) {
      for (Map.Entry<Long, List<RowsetMeta>> tablet : partition.rowsets().entrySet()) {
        long tabletId = tablet.getKey();
        if (newSegments.getOrDefault(tabletId, List.of()).isEmpty()) {
          continue;
        }
        for (RowsetMeta rowset : tablet.getValue()) {
          for (SegmentFile segment : rowset.segments()) {
            try {
              hits(tabletId, segment.path(), 0);
            } catch (RuntimeException gone) {
              // Looked up again under the lock if still visible there.
            }
          }
        }
        LoadKeys load = loadKeys(tabletId);
        for (int segment = 0; segment < load.paths().length; segment++) {
          hits(tabletId, load.paths()[segment], segment + 1);
        }
      }
    }
  }

  @Override
  public Map<String, RoaringBitmap> mark(
      long tabletId, List<RowsetMeta> visibleRowsets, List<SegmentDeletes> visibleDeletes) {
    // Candidates oldest first: the visible segments by version, then the load's.
    List<String> paths = new ArrayList<>();
    for (RowsetMeta rowset : visibleRowsets) {
      for (SegmentFile segment : rowset.segments()) {
        paths.add(segment.path());
      }
    }
    int visibleCount = paths.size();
    LoadKeys load = loadKeys(tabletId);
    paths.addAll(Arrays.asList(load.paths()));
    Map<String, RoaringBitmap> earlierByPath = new HashMap<>();
    for (SegmentDeletes layer : visibleDeletes) {
      earlierByPath.merge(
          layer.segmentPath(), layer.rows(), (left, right) -> RoaringBitmap.or(left, right));
    }
    RoaringBitmap[] earlier = new RoaringBitmap[paths.size()];
    for (int candidate = 0; candidate < earlier.length; candidate++) {
      earlier[candidate] = earlierByPath.get(paths.get(candidate));
    }
    RoaringBitmap[] marks = new RoaringBitmap[paths.size()];
    try (StoredRowReader sequences =
        sequence == null ? null : new StoredRowReader(fileSystem, List.of(sequence))) {
      for (int segment = 0; segment < load.paths().length; segment++) {
        markReplaced(
            tabletId, load, segment, paths, visibleCount + segment, earlier, marks, sequences);
      }
    }
    List<byte[]> deleted = deletedKeys.getOrDefault(tabletId, List.of());
    if (!deleted.isEmpty()) {
      PrimaryKeyIndex[] indexes = new PrimaryKeyIndex[paths.size()];
      for (int candidate = 0; candidate < indexes.length; candidate++) {
        indexes[candidate] = index(paths.get(candidate));
      }
      for (byte[] key : deleted) {
        long hash = PrimaryKeyIndex.hash(key);
        for (int candidate = indexes.length - 1; candidate >= 0; candidate--) {
          int found = indexes[candidate].find(key, hash);
          if (found >= 0 && !isMarked(candidate, found, earlier, marks)) {
            mark(marks, candidate, found);
            break;
          }
        }
      }
    }
    Map<String, RoaringBitmap> result = new HashMap<>();
    for (int candidate = 0; candidate < marks.length; candidate++) {
      if (marks[candidate] != null) {
        result.merge(
            paths.get(candidate), marks[candidate], (left, right) -> RoaringBitmap.or(left, right));
      }
    }
    return result;
  }

  /**
   * Marks, for each key of the load's segment {@code segment}, the newest live row among the
   * candidates {@code [0, candidates)} (or the new row itself when its sequence value loses). The
   * hits of all candidates are chained per key, newest candidate first, so each key walks only the
   * segments that hold it.
   */
  private void markReplaced(
      long tabletId,
      LoadKeys load,
      int segment,
      List<String> paths,
      int candidates,
      RoaringBitmap[] earlier,
      RoaringBitmap[] marks,
      StoredRowReader sequences) {
    int keyCount = load.indexes()[segment].keyCount();
    int[] first = new int[keyCount];
    Arrays.fill(first, -1);
    int[] next = new int[Math.max(16, keyCount)];
    int[] candidateOf = new int[next.length];
    int[] rowOf = new int[next.length];
    int hitCount = 0;
    for (int candidate = 0; candidate < candidates; candidate++) {
      int firstNewSegment = candidate < paths.size() - load.paths().length ? 0 : segment;
      Hits hits = hits(tabletId, paths.get(candidate), firstNewSegment)[segment];
      if (hitCount + hits.count() > next.length) {
        int size = Math.max(next.length * 2, hitCount + hits.count());
        next = Arrays.copyOf(next, size);
        candidateOf = Arrays.copyOf(candidateOf, size);
        rowOf = Arrays.copyOf(rowOf, size);
      }
      for (int i = 0; i < hits.count(); i++) {
        int key = hits.newRows()[i];
        candidateOf[hitCount] = candidate;
        rowOf[hitCount] = hits.foundRows()[i];
        next[hitCount] = first[key];
        first[key] = hitCount++;
      }
    }
    int self = candidates;
    for (int key = 0; key < keyCount; key++) {
      for (int hit = first[key]; hit >= 0; hit = next[hit]) {
        int candidate = candidateOf[hit];
        int row = rowOf[hit];
        if (isMarked(candidate, row, earlier, marks)) {
          continue;
        }
        if (sequences == null
            || newerWins(sequences, paths.get(self), key, paths.get(candidate), row)) {
          mark(marks, candidate, row);
        } else {
          mark(marks, self, key);
        }
        break;
      }
    }
  }

  /**
   * Where the keys of the load's segments {@code firstNewSegment..} of a tablet are in the older
   * segment {@code path} (entries before {@code firstNewSegment} are null), looked up once.
   */
  private Hits[] hits(long tabletId, String path, int firstNewSegment) {
    Map<String, Hits[]> byPath = hitsByTablet.computeIfAbsent(tabletId, id -> new HashMap<>());
    Hits[] known = byPath.get(path);
    if (known != null) {
      return known;
    }
    LoadKeys load = loadKeys(tabletId);
    PrimaryKeyIndex older = index(path);
    Hits[] hits = new Hits[load.paths().length];
    for (int segment = firstNewSegment; segment < hits.length; segment++) {
      PrimaryKeyIndex probe = load.indexes()[segment];
      int capacity = Math.min(probe.keyCount(), older.keyCount());
      int[] newRows = new int[capacity];
      int[] foundRows = new int[capacity];
      int count = older.findAll(probe, load.hashes()[segment], newRows, foundRows);
      hits[segment] =
          count == capacity
              ? new Hits(newRows, foundRows, count)
              : new Hits(Arrays.copyOf(newRows, count), Arrays.copyOf(foundRows, count), count);
    }
    byPath.put(path, hits);
    return hits;
  }

  private LoadKeys loadKeys(long tabletId) {
    return loadKeys.computeIfAbsent(
        tabletId,
        id -> {
          List<SegmentFile> segments = newSegments.getOrDefault(id, List.of());
          String[] paths = new String[segments.size()];
          PrimaryKeyIndex[] indexes = new PrimaryKeyIndex[paths.length];
          long[][] hashes = new long[paths.length][];
          for (int segment = 0; segment < paths.length; segment++) {
            paths[segment] = segments.get(segment).path();
            indexes[segment] = index(paths[segment]);
            hashes[segment] = indexes[segment].keyHashes();
          }
          return new LoadKeys(paths, indexes, hashes);
        });
  }

  private static boolean isMarked(
      int candidate, int row, RoaringBitmap[] earlier, RoaringBitmap[] marks) {
    RoaringBitmap now = marks[candidate];
    if (now != null && now.contains(row)) {
      return true;
    }
    RoaringBitmap before = earlier[candidate];
    return before != null && before.contains(row);
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

  private static void mark(RoaringBitmap[] marks, int candidate, int row) {
    if (marks[candidate] == null) {
      marks[candidate] = new RoaringBitmap();
    }
    marks[candidate].add(row);
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
