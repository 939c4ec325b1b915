package dev.basalt.load;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.meta.catalog.Catalog;
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
import dev.basalt.storage.tablet.SequenceOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
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

  /** Per tablet, what {@link #prepare} looked up; taken by {@link #mark}. */
  private final Map<Long, Prepared> prepared = new ConcurrentHashMap<>();

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

  /**
   * Looks the load's keys up before the commit, against {@code catalog}'s current state of the
   * table, so that the commit lock is held only to re-check what other commits changed meanwhile
   * ({@link #mark}). Tablets are looked up in parallel, one thread per core. Does nothing for a
   * table with a sequence column or a partial update (their marks read rows, and are left whole to
   * {@link #mark}). Any failure here (a segment compacted and collected meanwhile, say) only leaves
   * the tablet to be looked up under the lock.
   *
   * <p>Call once, before the commit, from the thread that commits.
   */
  void prepare(Catalog catalog, long tableId) {
    if (sequence != null || recheck != null) {
      return;
    }
    TableSnapshot snapshot;
    try {
      snapshot = catalog.committedSnapshot(tableId);
    } catch (BasaltException gone) {
      return; // the commit reports it
    }
    prepare(snapshot);
  }

  /** As {@link #prepare(Catalog, long)} against {@code snapshot}, however old it is. */
  void prepare(TableSnapshot snapshot) {
    if (sequence != null || recheck != null) {
      return;
    }
    Map<Long, List<RowsetMeta>> rowsets = new HashMap<>();
    Map<Long, List<SegmentDeletes>> deletes = new HashMap<>();
    for (TableSnapshot.PartitionSnapshot partition : snapshot.partitions()) {
      rowsets.putAll(partition.rowsets());
      deletes.putAll(partition.deletes());
    }
    List<Long> tablets = new ArrayList<>();
    for (Map.Entry<Long, List<SegmentFile>> tablet : newSegments.entrySet()) {
      if (!tablet.getValue().isEmpty() && rowsets.containsKey(tablet.getKey())) {
        tablets.add(tablet.getKey());
      }
    }
    inParallel(
        tablets,
        tabletId -> {
          try {
            prepared.put(
                tabletId,
                lookUp(
                    rowsets.get(tabletId),
                    deletes.getOrDefault(tabletId, List.of()),
                    newSegments.get(tabletId)));
          } catch (RuntimeException failed) {
            // Looked up again under the commit lock, where a real problem is reported.
          }
        });
  }

  /**
   * Runs {@code task} for every tablet, on up to one thread per core (the caller's among them);
   * returns when all have run. An interrupt stops the waiting only: a result that arrives after
   * {@link #mark} looked for it is not used, and a missing one is computed there.
   */
  private static void inParallel(List<Long> tablets, LongConsumer task) {
    AtomicInteger next = new AtomicInteger();
    Runnable worker =
        () -> {
          for (int i = next.getAndIncrement(); i < tablets.size(); i = next.getAndIncrement()) {
            task.accept(tablets.get(i));
          }
        };
    int helpers = Math.min(tablets.size(), Runtime.getRuntime().availableProcessors()) - 1;
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < helpers; i++) {
      threads.add(Thread.ofPlatform().daemon().name("basalt-merge-on-write-marks").start(worker));
    }
    worker.run();
    try {
      for (Thread thread : threads) {
        thread.join();
      }
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The lookups of one tablet against a snapshot of its visible rowsets: for every key of the
   * load's segments, where its newest live row was then (the marks follow from these).
   */
  private Prepared lookUp(
      List<RowsetMeta> visibleRowsets,
      List<SegmentDeletes> visibleDeletes,
      List<SegmentFile> loadSegments) {
    Candidates candidates = new Candidates(visibleDeletes);
    for (RowsetMeta rowset : visibleRowsets) {
      for (SegmentFile segment : rowset.segments()) {
        candidates.add(segment.path(), index(segment.path()));
      }
    }
    List<String> visiblePaths = List.copyOf(candidates.paths);
    Hits[] hits = new Hits[loadSegments.size()];
    for (int s = 0; s < loadSegments.size(); s++) {
      String path = loadSegments.get(s).path();
      PrimaryKeyIndex index = index(path);
      Hits found = new Hits();
      candidates.startProbes();
      for (int row = 0; row < index.keyCount(); row++) {
        int candidate = candidates.newestLive(index.key(row), candidates.size() - 1, 0);
        if (candidate >= 0) {
          found.add(row, candidate, candidates.foundRow);
          candidates.mark(candidates.paths.get(candidate), candidates.foundRow);
        }
      }
      hits[s] = found;
      candidates.add(path, index);
    }
    return new Prepared(visiblePaths, visibleDeletes, hits, candidates.marks);
  }

  @Override
  public Map<String, RoaringBitmap> mark(
      long tabletId, List<RowsetMeta> visibleRowsets, List<SegmentDeletes> visibleDeletes) {
    Candidates candidates = new Candidates(visibleDeletes);
    for (RowsetMeta rowset : visibleRowsets) {
      for (SegmentFile segment : rowset.segments()) {
        candidates.add(segment.path(), index(segment.path()));
      }
    }
    List<SegmentFile> loadSegments = newSegments.getOrDefault(tabletId, List.of());
    Prepared ready = prepared.remove(tabletId);
    if (ready == null || !replay(ready, candidates, loadSegments)) {
      markLoadRows(tabletId, visibleRowsets, visibleDeletes, candidates, loadSegments);
    }
    TabletDeletes deletes = deletedKeys.get(tabletId);
    if (deletes != null) {
      markDeletedKeys(deletes, candidates);
    }
    return candidates.marks;
  }

  /**
   * Turns the lookups {@link #prepare} made into this commit's marks, re-checking what changed
   * since: keys are looked up again only in segments committed in between (newer than any the
   * snapshot had), and a row found then is kept only if no commit since has marked it. Returns
   * false, having done nothing, when a snapshot segment is no longer visible (compaction): the
   * caller then looks every key up again.
   *
   * @param candidates the tablet's visible segments now, oldest first; the load's segments are
   *     added
   */
  private boolean replay(Prepared ready, Candidates candidates, List<SegmentFile> loadSegments) {
    int snapshotCount = ready.visiblePaths.size();
    int visibleCount = candidates.size();
    if (visibleCount < snapshotCount
        || !candidates.paths.subList(0, snapshotCount).equals(ready.visiblePaths)) {
      return false;
    }
    boolean unchanged =
        visibleCount == snapshotCount && candidates.sameDeletes(ready.visibleDeletes);
    if (unchanged) {
      candidates.marks.putAll(ready.marks);
    }
    for (int s = 0; s < loadSegments.size(); s++) {
      String path = loadSegments.get(s).path();
      PrimaryKeyIndex index = index(path);
      if (!unchanged) {
        replaySegment(ready.hits[s], index, candidates, snapshotCount, visibleCount);
      }
      candidates.add(path, index);
    }
    return true;
  }

  private static void replaySegment(
      Hits hits,
      PrimaryKeyIndex index,
      Candidates candidates,
      int snapshotCount,
      int visibleCount) {
    boolean newSegments = visibleCount > snapshotCount;
    candidates.startProbes();
    int next = 0;
    for (int row = 0; row < index.keyCount(); row++) {
      boolean hit = next < hits.count && hits.rows[next] == row;
      int candidate = hit ? hits.candidates[next] : -1;
      int foundRow = hit ? hits.foundRows[next] : -1;
      if (hit) {
        next++;
      }
      if (candidate >= snapshotCount) {
        // In one of the load's earlier segments: newer than anything committed since.
        candidate += visibleCount - snapshotCount;
      } else if (!hit && !newSegments) {
        continue;
      } else {
        byte[] key = index.key(row);
        int newer = newSegments ? candidates.newestLive(key, visibleCount - 1, snapshotCount) : -1;
        if (newer >= 0) {
          candidate = newer;
          foundRow = candidates.foundRow;
        } else if (hit && candidates.isMarked(candidates.paths.get(candidate), foundRow)) {
          // A commit since marked the row (a DELETE): look again everywhere.
          candidate = candidates.newestLive(key, visibleCount - 1, 0);
          foundRow = candidates.foundRow;
        }
      }
      if (candidate >= 0) {
        candidates.mark(candidates.paths.get(candidate), foundRow);
      }
    }
  }

  /** The full lookup of the load's keys under the commit lock (no usable {@link #prepare}). */
  private void markLoadRows(
      long tabletId,
      List<RowsetMeta> visibleRowsets,
      List<SegmentDeletes> visibleDeletes,
      Candidates candidates,
      List<SegmentFile> loadSegments) {
    try (StoredRowReader sequences =
        sequence == null ? null : new StoredRowReader(fileSystem, List.of(sequence))) {
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
          candidates.startProbes();
          for (int row = 0; row < index.keyCount(); row++) {
            int candidate = candidates.newestLive(index.key(row), candidates.size() - 1, 0);
            String foundPath = candidate < 0 ? null : candidates.paths.get(candidate);
            int foundRow = candidates.foundRow;
            String newPath = segment.path();
            int newRow = row;
            ColumnVector newSequence = null;
            if (patch != null && patch.needsReread(row, foundPath)) {
              // Completed from a stale row at flush: the corrected row replaces it.
              candidates.mark(segment.path(), row);
              newPath = patch.path();
              newRow = patch.nextRow();
              Batch corrected = patch.reread(row, foundPath, foundRow);
              newSequence = sequenceColumn < 0 ? null : corrected.column(sequenceColumn);
            }
            if (candidate < 0) {
              continue;
            }
            if (sequences == null) {
              candidates.mark(foundPath, foundRow);
              continue;
            }
            if (newSequence == null) {
              newSequence = sequences.read(newPath, newRow).column(0);
            }
            if (newerWins(newSequence, sequences.read(foundPath, foundRow).column(0))) {
              candidates.mark(foundPath, foundRow);
            } else {
              candidates.mark(newPath, newRow);
            }
          }
          candidates.add(segment.path(), index);
          if (patch != null) {
            SegmentFile written = patch.finish();
            if (written != null) {
              candidates.add(written.path(), index(written.path()));
            }
          }
        }
      }
    }
  }

  /** Marks the live rows of the keys a DELETE removes, in all segments including the load's. */
  private void markDeletedKeys(TabletDeletes deletes, Candidates candidates) {
    try (StoredRowReader sequences =
        sequence == null ? null : new StoredRowReader(fileSystem, List.of(sequence))) {
      for (int d = 0; d < deletes.size(); d++) {
        // Delete keys come in arrival order, not sorted: no cursors.
        candidates.startProbes();
        int candidate = candidates.newestLive(deletes.key(d), candidates.size() - 1, 0);
        if (candidate < 0) {
          continue;
        }
        String foundPath = candidates.paths.get(candidate);
        int foundRow = candidates.foundRow;
        if (sequences != null && deletes.hasSequence(d)) {
          ColumnVector live = sequences.read(foundPath, foundRow).column(0);
          if (!SequenceOrder.newerWins(
              false,
              deletes.sequence(d),
              live.isNull(0),
              live.isNull(0) ? 0 : ((LongVector) live).getLong(0))) {
            // An older delete: the live row stays.
            continue;
          }
        }
        candidates.mark(foundPath, foundRow);
      }
    }
  }

  /**
   * What {@link #prepare} found for one tablet.
   *
   * @param visiblePaths the snapshot's visible segments, oldest first (candidates 0..n-1; the
   *     load's segments follow as n, n+1, ...)
   * @param visibleDeletes the snapshot's delete layers
   * @param hits per load segment, the rows whose key had a live row, and where
   * @param marks the marks the lookups made, valid as they are if nothing was committed since
   */
  private record Prepared(
      List<String> visiblePaths,
      List<SegmentDeletes> visibleDeletes,
      Hits[] hits,
      Map<String, RoaringBitmap> marks) {}

  /** Rows of one load segment whose key was found live: the row, the candidate and its row. */
  private static final class Hits {
    int count;
    int[] rows = new int[16];
    int[] candidates = new int[16];
    int[] foundRows = new int[16];

    void add(int row, int candidate, int foundRow) {
      if (count == rows.length) {
        rows = Arrays.copyOf(rows, count * 2);
        candidates = Arrays.copyOf(candidates, count * 2);
        foundRows = Arrays.copyOf(foundRows, count * 2);
      }
      rows[count] = row;
      candidates[count] = candidate;
      foundRows[count] = foundRow;
      count++;
    }
  }

  /**
   * The segments a tablet's keys are looked up in, oldest first (so newest last), with the delete
   * layers already recorded for them and the marks being made. While one load segment's keys are
   * probed in increasing order, each candidate keeps where the previous key's search ended ({@link
   * PrimaryKeyIndex#findFrom}), so the lookups of a sorted run merge through each older index
   * instead of searching it from the start per key. Not thread safe.
   */
  private static final class Candidates {
    final List<String> paths = new ArrayList<>();
    final List<PrimaryKeyIndex> indexes = new ArrayList<>();
    final Map<String, RoaringBitmap> marks = new HashMap<>();
    private final List<SegmentDeletes> deletes;
    private final Map<String, List<RoaringBitmap>> earlier = new HashMap<>();
    private int[] cursors = new int[0];

    /** The row {@link #newestLive} found last. */
    int foundRow = -1;

    Candidates(List<SegmentDeletes> deletes) {
      this.deletes = deletes;
      for (SegmentDeletes layer : deletes) {
        earlier.computeIfAbsent(layer.segmentPath(), path -> new ArrayList<>()).add(layer.rows());
      }
    }

    int size() {
      return paths.size();
    }

    void add(String path, PrimaryKeyIndex index) {
      paths.add(path);
      indexes.add(index);
    }

    /** Whether the delete layers are those of {@code other} (the same records, in order). */
    boolean sameDeletes(List<SegmentDeletes> other) {
      if (other.size() != deletes.size()) {
        return false;
      }
      for (int i = 0; i < other.size(); i++) {
        if (other.get(i) != deletes.get(i)) {
          return false;
        }
      }
      return true;
    }

    /** Starts a run of increasing keys: every candidate is searched from its first row again. */
    void startProbes() {
      if (cursors.length < paths.size()) {
        cursors = new int[paths.size()];
      } else {
        Arrays.fill(cursors, 0);
      }
    }

    /**
     * The newest candidate from {@code highest} down to {@code lowest} holding a live row of {@code
     * key} (its row left in {@link #foundRow}), or -1 when none does. Keys since the last {@link
     * #startProbes} must be increasing.
     */
    int newestLive(byte[] key, int highest, int lowest) {
      long hash = 0;
      boolean hashed = false;
      for (int candidate = highest; candidate >= lowest; candidate--) {
        PrimaryKeyIndex index = indexes.get(candidate);
        if (!index.covers(key)) {
          continue;
        }
        if (!hashed) {
          hash = PrimaryKeyIndex.hash(key);
          hashed = true;
        }
        int found = index.findFrom(key, hash, cursors[candidate]);
        cursors[candidate] = PrimaryKeyIndex.nextFromRow(found);
        if (found >= 0 && !isMarked(paths.get(candidate), found)) {
          foundRow = found;
          return candidate;
        }
      }
      return -1;
    }

    boolean isMarked(String path, int row) {
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

    void mark(String path, int row) {
      marks.computeIfAbsent(path, p -> new RoaringBitmap()).add(row);
    }
  }

  private static boolean newerWins(ColumnVector newer, ColumnVector older) {
    boolean newerNull = newer.isNull(0);
    boolean olderNull = older.isNull(0);
    return SequenceOrder.newerWins(
        newerNull,
        newerNull ? 0 : ((LongVector) newer).getLong(0),
        olderNull,
        olderNull ? 0 : ((LongVector) older).getLong(0));
  }

  @Override
  public List<SegmentFile> segments(long tabletId, List<SegmentFile> loadSegments) {
    return recheck == null ? loadSegments : recheck.segments(loadSegments);
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
