package dev.basalt.load;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.RowsetMeta;
import dev.basalt.meta.catalog.SegmentDeletes;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.TableSnapshot;
import dev.basalt.meta.catalog.UniqueKeyOptions;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.index.PrimaryKeyEncoder;
import dev.basalt.storage.index.PrimaryKeyIndex;
import dev.basalt.storage.index.PrimaryKeyIndexCache;
import dev.basalt.storage.segment.ColumnRequest;
import dev.basalt.storage.tablet.SequenceOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.roaringbitmap.RoaringBitmap;

/**
 * Completes the rows of one merge-on-write flush from the stored row of each key, for the two
 * features that write less than a whole row (docs/sql.md, "UNIQUE KEY options"):
 *
 * <ul>
 *   <li>partial column updates: a column the load does not give keeps the stored value; a new key
 *       gets the column's default, or NULL (a NOT NULL column without default is an error, as in
 *       Doris);
 *   <li>{@code enable_unique_key_replace_if_not_null}: a NULL keeps the stored value.
 * </ul>
 *
 * <p>Rows of one key within the flush are folded in arrival order first (with a sequence column,
 * rows with a smaller sequence value than the row folded so far are skipped); the result is then
 * completed from the key's live stored row: the newest of the load's own earlier segments of the
 * tablet holding the key, else the live row at the snapshot taken when the flush starts (rows its
 * delete bitmaps mark are skipped). Rows are read by row number through a {@link StoredRowReader}.
 *
 * <p>Consistency: the stored row is read at flush time, not under the commit lock. The fill records
 * the partition version it read at ({@link #snapshotVersion()}) and which written rows took stored
 * values ({@link #storedRows()}), so that the commit of a partial update can re-read the keys whose
 * live row changed meanwhile ({@link PartialUpdateRecheck}), as Doris re-reads at publish.
 *
 * <p>Not thread safe; one instance per flush, on the flush's thread. Memory: one output batch, the
 * slice of buffered rows it comes from, and the reader's page cache.
 */
final class StoredValueFill implements AutoCloseable {
  private final FileSystem fileSystem;
  private final TableMeta table;
  private final boolean[] given;
  private final boolean replaceIfNotNull;
  private final int sequenceColumn;
  private final int[] keyColumns;
  private final List<String> candidatePaths = new ArrayList<>();
  private final List<PrimaryKeyIndex> candidateIndexes = new ArrayList<>();
  private final List<SegmentDeletes> deletes;
  private final StoredRowReader stored;
  private final PrimaryKeyEncoder encoder = new PrimaryKeyEncoder();
  private final RoaringBitmap storedRows = new RoaringBitmap();
  private long snapshotVersion;
  private int outputRows;

  /**
   * @param given per table column whether the load gives it; null when it gives every column
   * @param snapshot the table's committed state to read stored rows from
   * @param tabletId the flushed tablet
   * @param loadSegments the load's earlier segments of the tablet, in write order
   * @param defaults a column's default value (representation of {@code Values}), or null
   */
  StoredValueFill(
      FileSystem fileSystem,
      TableMeta table,
      int[] keyColumns,
      boolean[] given,
      TableSnapshot snapshot,
      long tabletId,
      List<SegmentFile> loadSegments,
      Function<ColumnMeta, Object> defaults) {
    this.fileSystem = fileSystem;
    this.table = table;
    this.keyColumns = keyColumns;
    this.given = given;
    this.replaceIfNotNull = UniqueKeyOptions.replaceIfNotNull(table);
    this.sequenceColumn = UniqueKeyOptions.sequenceColumn(table);
    List<SegmentDeletes> visibleDeletes = new ArrayList<>();
    // A load into temporary partitions completes its rows from theirs.
    List<TableSnapshot.PartitionSnapshot> partitions = new ArrayList<>(snapshot.partitions());
    partitions.addAll(snapshot.temporaryPartitions());
    for (TableSnapshot.PartitionSnapshot partition : partitions) {
      List<RowsetMeta> rowsets = partition.rowsets().get(tabletId);
      if (rowsets == null) {
        continue;
      }
      snapshotVersion = partition.visibleVersion();
      for (RowsetMeta rowset : rowsets) {
        for (SegmentFile segment : rowset.segments()) {
          addCandidate(segment.path());
        }
      }
      for (SegmentDeletes layer : partition.deletes().getOrDefault(tabletId, List.of())) {
        if (layer.version() <= partition.visibleVersion()) {
          visibleDeletes.add(layer);
        }
      }
    }
    this.deletes = visibleDeletes;
    for (SegmentFile segment : loadSegments) {
      addCandidate(segment.path());
    }
    List<ColumnRequest> requests = new ArrayList<>();
    for (ColumnMeta column : table.columns()) {
      requests.add(
          ColumnRequest.withDefault(column.uniqueId(), column.type(), defaults.apply(column)));
    }
    this.stored = new StoredRowReader(fileSystem, requests);
  }

  private void addCandidate(String path) {
    candidatePaths.add(path);
    candidateIndexes.add(
        PrimaryKeyIndexCache.shared()
            .get(fileSystem, path)
            .orElseThrow(
                () ->
                    new BasaltException(
                        ErrorCode.STORAGE_CORRUPTION,
                        path,
                        "a segment of a merge-on-write table has no primary key index")));
  }

  /**
   * One completed row per key of {@code rows} (sorted by key, equal keys in arrival order),
   * appended to {@code output} (one builder per table column).
   *
   * @param runEnds the exclusive end of each run of equal keys in {@code rows}, ascending
   */
  void complete(Batch rows, int[] runEnds, int runCount, ColumnVectorBuilder[] output) {
    ColumnVector[] keys = new ColumnVector[keyColumns.length];
    for (int k = 0; k < keys.length; k++) {
      keys[k] = rows.column(keyColumns[k]);
    }
    int columns = output.length;
    int[] sourceRow = new int[columns];
    int start = 0;
    for (int run = 0; run < runCount; run++) {
      int end = runEnds[run];
      // Fold the run: per column, the last row whose value counts.
      java.util.Arrays.fill(sourceRow, -1);
      int winner = -1;
      for (int row = start; row < end; row++) {
        if (winner >= 0 && sequenceColumn >= 0 && !sequenceWins(rows, row, winner)) {
          continue;
        }
        winner = row;
        for (int c = 0; c < columns; c++) {
          if ((given == null || given[c])
              && !(replaceIfNotNull && rows.column(c).isNull(row) && !isKey(c))) {
            sourceRow[c] = row;
          }
        }
      }
      Batch storedRow = null;
      boolean needsStored = false;
      for (int c = 0; c < columns; c++) {
        needsStored |= sourceRow[c] < 0;
      }
      if (needsStored) {
        byte[] key = encoder.encode(keys, start);
        storedRow = find(key);
        if (storedRow != null) {
          storedRows.add(outputRows);
        }
      }
      outputRows++;
      for (int c = 0; c < columns; c++) {
        if (sourceRow[c] >= 0) {
          output[c].appendFrom(rows.column(c), sourceRow[c]);
        } else if (storedRow != null) {
          output[c].appendFrom(storedRow.column(c), 0);
        } else {
          // A new key: the buffered row holds the column's default (or NULL).
          ColumnVector values = rows.column(c);
          ColumnMeta column = table.columns().get(c);
          if (values.isNull(winner) && !column.nullable()) {
            throw new BasaltException(
                ErrorCode.ANALYSIS_ERROR,
                "the unmentioned column `"
                    + column.name()
                    + "` should have default value or be nullable for newly inserted rows in"
                    + " partial update");
          }
          output[c].appendFrom(values, winner);
        }
      }
      start = end;
    }
  }

  /** The version of the flushed tablet's partition whose committed rows the fill read. */
  long snapshotVersion() {
    return snapshotVersion;
  }

  /** The written rows (row numbers of the segment) that took values from a stored row. */
  RoaringBitmap storedRows() {
    return storedRows;
  }

  private boolean isKey(int column) {
    for (int key : keyColumns) {
      if (key == column) {
        return true;
      }
    }
    return false;
  }

  private boolean sequenceWins(Batch rows, int row, int winner) {
    ColumnVector sequence = rows.column(sequenceColumn);
    boolean rowNull = sequence.isNull(row);
    boolean winnerNull = sequence.isNull(winner);
    return SequenceOrder.newerWins(
        rowNull,
        rowNull ? 0 : ((dev.basalt.common.vector.LongVector) sequence).getLong(row),
        winnerNull,
        winnerNull ? 0 : ((dev.basalt.common.vector.LongVector) sequence).getLong(winner));
  }

  /** The live stored row of {@code key}, or null when the key is new. */
  private Batch find(byte[] key) {
    long hash = PrimaryKeyIndex.hash(key);
    for (int candidate = candidateIndexes.size() - 1; candidate >= 0; candidate--) {
      int row = candidateIndexes.get(candidate).find(key, hash);
      if (row >= 0 && !isDeleted(candidatePaths.get(candidate), row)) {
        return stored.read(candidatePaths.get(candidate), row);
      }
    }
    return null;
  }

  private boolean isDeleted(String path, int row) {
    for (SegmentDeletes layer : deletes) {
      if (layer.segmentPath().equals(path) && layer.rows().contains(row)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    stored.close();
  }
}
