package dev.basalt.load;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.RowStoreOptions;
import dev.basalt.meta.catalog.RowsetMeta;
import dev.basalt.meta.catalog.SegmentDeletes;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.TwoPhaseLoad;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.index.PrimaryKeyIndexCache;
import dev.basalt.storage.segment.ColumnRequest;
import dev.basalt.storage.segment.SegmentColumn;
import dev.basalt.storage.segment.SegmentMetadata;
import dev.basalt.storage.segment.SegmentWriter;
import dev.basalt.storage.segment.SegmentWriterOptions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.roaringbitmap.RoaringBitmap;

/**
 * The commit-time half of a partial column update (docs/sql.md, "UNIQUE KEY options"): a flush
 * completes each row from the key's stored row as of the flush ({@link StoredValueFill}), so a
 * write to the same key committed between that flush and this load's commit would be overwritten
 * with the values read before it. Under the commit lock, {@link MergeOnWriteMarker} asks this
 * class, for each key of the load's segments, whether the key's live row changed since the flush,
 * and if so re-reads it and writes the corrected row (the load's given columns, the live row's
 * other columns) into a small <em>patch</em> segment that follows the load's segment, marking the
 * stale row. This is Doris's re-read at publish.
 *
 * <p>A key's live row changed since the flush when it now lies in a rowset committed after the
 * flush's snapshot version (or in a patch written by this commit for an earlier segment), or when
 * the key had a live row at the flush and has none now (a concurrent delete: the key then gets the
 * defaults of a new key). When nothing was committed into the tablet after the flush's snapshot,
 * the segment is not re-checked at all. A rowset compacted after the flush counts as newer, which
 * costs a re-read but gives the same values.
 *
 * <p>Not thread safe; one instance per commit, used under the catalog's commit lock. Memory: one
 * batch of corrected rows per patch being written, and the reader's page cache.
 */
final class PartialUpdateRecheck implements AutoCloseable {
  /**
   * What a flush's fill recorded about one segment it wrote.
   *
   * @param snapshotVersion the partition version whose committed rows the fill read
   * @param storedRows the segment's rows that took values from a live stored row
   */
  record FlushedFill(long snapshotVersion, RoaringBitmap storedRows) {}

  /**
   * What a pre-committed partial update's commit needs ({@link #restore}): the given columns by
   * unique id and the flushes' fills.
   */
  static TwoPhaseLoad.PartialUpdate describe(
      TableMeta table, boolean[] given, Map<String, FlushedFill> fills) {
    List<Integer> givenIds = new ArrayList<>();
    for (int c = 0; c < given.length; c++) {
      if (given[c]) {
        givenIds.add(table.columns().get(c).uniqueId());
      }
    }
    Map<String, TwoPhaseLoad.PartialUpdate.Fill> described = new HashMap<>();
    fills.forEach(
        (path, fill) -> {
          RoaringBitmap rows = fill.storedRows();
          ByteBuffer bytes = ByteBuffer.allocate(rows.serializedSizeInBytes());
          rows.serialize(bytes);
          described.put(
              path, new TwoPhaseLoad.PartialUpdate.Fill(fill.snapshotVersion(), bytes.array()));
        });
    return new TwoPhaseLoad.PartialUpdate(givenIds, described);
  }

  /**
   * The commit-time re-read of a pre-committed partial update ({@link #describe}) against {@code
   * table} as it is now: columns added since are not given, columns dropped since are ignored.
   */
  static PartialUpdateRecheck restore(
      FileSystem fileSystem,
      TableMeta table,
      TwoPhaseLoad.PartialUpdate partialUpdate,
      Function<ColumnMeta, Object> defaults,
      LongFunction<String> newPatchPath) {
    List<ColumnMeta> columns = table.columns();
    boolean[] given = new boolean[columns.size()];
    Set<Integer> givenIds = new HashSet<>(partialUpdate.givenColumnIds());
    for (int c = 0; c < given.length; c++) {
      given[c] = givenIds.contains(columns.get(c).uniqueId());
    }
    List<String> keys = table.keyColumns();
    int[] keyColumns = new int[keys.size()];
    for (int i = 0; i < keyColumns.length; i++) {
      keyColumns[i] = TableWriter.indexOf(table, keys.get(i));
    }
    Map<String, FlushedFill> fills = new HashMap<>();
    partialUpdate
        .fills()
        .forEach(
            (path, fill) -> {
              RoaringBitmap rows = new RoaringBitmap();
              try {
                rows.deserialize(ByteBuffer.wrap(fill.storedRows()));
              } catch (java.io.IOException | RuntimeException malformed) {
                throw new BasaltException(
                    ErrorCode.STORAGE_CORRUPTION,
                    "the pre-committed partial update's record of " + path,
                    "unreadable row bitmap");
              }
              fills.put(path, new FlushedFill(fill.snapshotVersion(), rows));
            });
    return new PartialUpdateRecheck(
        fileSystem, table, keyColumns, given, fills, defaults, newPatchPath);
  }

  private final FileSystem fileSystem;
  private final TableMeta table;
  private final boolean[] given;
  private final int[] keyColumns;
  private final Map<String, FlushedFill> fills;
  private final Function<ColumnMeta, Object> defaults;
  private final LongFunction<String> newPatchPath;
  private final List<SegmentColumn> schema = new ArrayList<>();
  private final StoredRowReader rows;
  private final Map<String, SegmentFile> patchOfSegment = new HashMap<>();

  /**
   * @param given per table column, whether the load gives it
   * @param fills per segment path of the load, what its flush read
   * @param defaults a column's default value (representation of {@code Values}), or null
   * @param newPatchPath a new segment path in a tablet's directory, already protected from garbage
   *     collection and deleted if the load aborts
   */
  PartialUpdateRecheck(
      FileSystem fileSystem,
      TableMeta table,
      int[] keyColumns,
      boolean[] given,
      Map<String, FlushedFill> fills,
      Function<ColumnMeta, Object> defaults,
      LongFunction<String> newPatchPath) {
    this.fileSystem = fileSystem;
    this.table = table;
    this.keyColumns = keyColumns;
    this.given = given;
    this.fills = fills;
    this.defaults = defaults;
    this.newPatchPath = newPatchPath;
    List<ColumnRequest> requests = new ArrayList<>();
    for (ColumnMeta column : table.columns()) {
      schema.add(new SegmentColumn(column.uniqueId(), column.type(), column.nullable()));
      requests.add(
          ColumnRequest.withDefault(column.uniqueId(), column.type(), defaults.apply(column)));
    }
    this.rows = new StoredRowReader(fileSystem, requests);
  }

  /**
   * Starts the re-check of one of the load's segments, or returns null when nothing was committed
   * into the tablet after its flush read the stored rows (the common case: nothing to re-read).
   *
   * @param visibleRowsets the tablet's committed rowsets, as the marker sees them
   * @param visibleDeletes the tablet's committed delete layers
   * @param earlierSegments the load's earlier segments of the tablet, in write order
   */
  Patch start(
      long tabletId,
      String segmentPath,
      List<RowsetMeta> visibleRowsets,
      List<SegmentDeletes> visibleDeletes,
      List<SegmentFile> earlierSegments) {
    FlushedFill fill = fills.get(segmentPath);
    if (fill == null) {
      return null;
    }
    Set<String> changed = new HashSet<>();
    for (RowsetMeta rowset : visibleRowsets) {
      if (rowset.endVersion() > fill.snapshotVersion()) {
        rowset.segments().forEach(segment -> changed.add(segment.path()));
      }
    }
    boolean deletedSince = false;
    for (SegmentDeletes layer : visibleDeletes) {
      deletedSince |= layer.version() > fill.snapshotVersion();
    }
    for (SegmentFile earlier : earlierSegments) {
      SegmentFile patch = patchOfSegment.get(earlier.path());
      if (patch != null) {
        changed.add(patch.path());
      }
    }
    if (changed.isEmpty() && !deletedSince) {
      return null;
    }
    return new Patch(tabletId, segmentPath, fill, changed);
  }

  /** The load's segments of a tablet with each one's patch, if any, right after it. */
  List<SegmentFile> segments(List<SegmentFile> loadSegments) {
    if (patchOfSegment.isEmpty()) {
      return loadSegments;
    }
    List<SegmentFile> all = new ArrayList<>();
    for (SegmentFile segment : loadSegments) {
      all.add(segment);
      SegmentFile patch = patchOfSegment.get(segment.path());
      if (patch != null) {
        all.add(patch);
      }
    }
    return all;
  }

  @Override
  public void close() {
    rows.close();
  }

  /**
   * The corrected rows of one load segment, written in the segment's key order. Call {@link
   * #needsReread} and {@link #reread} per row, then {@link #finish}, or {@link #close} on failure.
   */
  final class Patch implements AutoCloseable {
    private final long tabletId;
    private final String segmentPath;
    private final FlushedFill fill;
    private final Set<String> changed;
    private final ColumnVectorBuilder[] pending;
    private int pendingRows;
    private int writtenRows;
    private String path;
    private SegmentWriter writer;

    private Patch(long tabletId, String segmentPath, FlushedFill fill, Set<String> changed) {
      this.tabletId = tabletId;
      this.segmentPath = segmentPath;
      this.fill = fill;
      this.changed = changed;
      this.pending = new ColumnVectorBuilder[table.columns().size()];
      for (int c = 0; c < pending.length; c++) {
        pending[c] = new ColumnVectorBuilder(table.columns().get(c).type());
      }
    }

    /**
     * Whether row {@code row} of the segment was completed from a row that is no longer the key's
     * live row.
     *
     * @param livePath the segment holding the key's live row now, or null when it has none
     */
    boolean needsReread(int row, String livePath) {
      return livePath == null ? fill.storedRows().contains(row) : changed.contains(livePath);
    }

    /** The path the corrected rows go to (allocated by the first call). */
    String path() {
      if (path == null) {
        path = newPatchPath.apply(tabletId);
      }
      return path;
    }

    /** The number of the row the next {@link #reread} writes. */
    int nextRow() {
      return writtenRows + pendingRows;
    }

    /**
     * Writes row {@code row} of the segment again with its columns the load does not give taken
     * from the key's live row now ({@code livePath}, {@code liveRow}), or the defaults of a new key
     * when {@code livePath} is null; returns the corrected row.
     *
     * @throws BasaltException ANALYSIS_ERROR when the key has no live row any more and a column the
     *     load does not give is NOT NULL without default
     */
    Batch reread(int row, String livePath, int liveRow) {
      Batch loaded = rows.read(segmentPath, row);
      Batch live = livePath == null ? null : rows.read(livePath, liveRow);
      List<ColumnVector> corrected = new ArrayList<>(pending.length);
      for (int c = 0; c < pending.length; c++) {
        ColumnVectorBuilder one = new ColumnVectorBuilder(table.columns().get(c).type(), 1);
        if (given[c]) {
          one.appendFrom(loaded.column(c), 0);
        } else if (live != null) {
          one.appendFrom(live.column(c), 0);
        } else {
          ColumnMeta column = table.columns().get(c);
          Object value = defaults.apply(column);
          if (value == null && !column.nullable()) {
            throw new BasaltException(
                ErrorCode.ANALYSIS_ERROR,
                "the unmentioned column `"
                    + column.name()
                    + "` should have default value or be nullable for newly inserted rows in"
                    + " partial update");
          }
          one.appendObject(value);
        }
        ColumnVector value = one.build();
        pending[c].appendFrom(value, 0);
        corrected.add(value);
      }
      pendingRows++;
      if (pendingRows == Batch.DEFAULT_SIZE) {
        writePending();
      }
      return new Batch(corrected, 1);
    }

    private void writePending() {
      if (pendingRows == 0) {
        return;
      }
      if (writer == null) {
        writer =
            new SegmentWriter(
                fileSystem,
                path(),
                schema,
                SegmentWriterOptions.DEFAULT,
                keyColumns,
                RowStoreOptions.positions(table));
      }
      List<ColumnVector> vectors = new ArrayList<>(pending.length);
      for (ColumnVectorBuilder builder : pending) {
        vectors.add(builder.build());
      }
      writer.append(new Batch(vectors, pendingRows));
      writtenRows += pendingRows;
      pendingRows = 0;
    }

    /**
     * Finishes the patch (durable, its primary-key index cached) and returns it, or null when no
     * row needed a re-read.
     */
    SegmentFile finish() {
      writePending();
      if (writer == null) {
        return null;
      }
      SegmentMetadata metadata = writer.finish();
      PrimaryKeyIndexCache.shared().put(fileSystem, path, writer.primaryKeyIndex());
      writer.close();
      writer = null;
      SegmentFile patch = new SegmentFile(path, metadata.rowCount(), metadata.fileSize());
      patchOfSegment.put(segmentPath, patch);
      return patch;
    }

    @Override
    public void close() {
      if (writer != null) {
        writer.close();
        writer = null;
      }
    }
  }
}
