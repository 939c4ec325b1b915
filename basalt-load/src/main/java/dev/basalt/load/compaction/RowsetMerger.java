package dev.basalt.load.compaction;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.ColumnVectors;
import dev.basalt.load.TabletModels;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.RowStoreOptions;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.index.PrimaryKeyEncoder;
import dev.basalt.storage.index.PrimaryKeyIndexCache;
import dev.basalt.storage.segment.ColumnRequest;
import dev.basalt.storage.segment.SegmentColumn;
import dev.basalt.storage.segment.SegmentMetadata;
import dev.basalt.storage.segment.SegmentReader;
import dev.basalt.storage.segment.SegmentWriter;
import dev.basalt.storage.segment.SegmentWriterOptions;
import dev.basalt.storage.tablet.MergeFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Function;
import org.roaringbitmap.RoaringBitmap;

/**
 * Merges the segments of consecutive rowsets of one tablet into one segment sorted by the key
 * columns, with the table model's {@link MergeFunction} (the one scans use, {@link TabletModels}):
 * a k-way merge over the inputs (each segment is sorted), ordered by encoded key (docs/format.md
 * §11: unsigned byte order is the sort order), ties broken by input order (older segments first,
 * then row order), so rows of one key reach the merge function in version order. Where the rest of
 * an input's batch sorts before every other input's current row (inputs that do not overlap, as
 * loads arriving in key order give), a DUPLICATE KEY table's merge copies that run of rows as a
 * whole instead of row by row through the queue (the key of a batch's last row decides it, once per
 * batch). Rows that the given delete bitmaps mark (merge-on-write tables) are left out. Reads batch
 * by batch and writes page by page: memory holds one batch per input, the output batch being built,
 * and for merge-on-write tables the output's primary-key index and one {@code int} per input row
 * (the row map).
 *
 * <p>Not thread safe; one instance per compaction.
 */
final class RowsetMerger {
  private final FileSystem fileSystem;
  private final TableMeta table;
  private final Function<ColumnMeta, Object> defaults;

  /** The fewest rows copied as one run (fewer go row by row through the output builders). */
  private static final int MIN_RUN_ROWS = 32;

  /**
   * @param table the table definition the output is written in (its current columns; older segments
   *     read columns they lack as the column's default)
   * @param defaults a column's default value (representation of {@code Values}), or null
   */
  RowsetMerger(FileSystem fileSystem, TableMeta table, Function<ColumnMeta, Object> defaults) {
    this.fileSystem = fileSystem;
    this.table = table;
    this.defaults = defaults;
  }

  /** The merged segment (null when no row survived) and where each input row went. */
  record Output(SegmentFile segment, Map<String, int[]> rowMaps) {}

  /**
   * Merges {@code inputs} (in version order; each sorted by key) into a new segment at {@code
   * outputPath}, leaving out the rows {@code deleted} marks per input path.
   *
   * @param trackRows whether to return, per input segment, the output row of each input row (-1:
   *     dropped or combined away) for carrying later delete marks over
   */
  Output merge(
      List<SegmentFile> inputs,
      Map<String, RoaringBitmap> deleted,
      String outputPath,
      boolean trackRows) {
    List<ColumnMeta> columns = table.columns();
    List<ColumnRequest> requests = new ArrayList<>();
    List<SegmentColumn> schema = new ArrayList<>();
    List<Integer> keyPositions = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      ColumnMeta column = columns.get(i);
      requests.add(
          ColumnRequest.withDefault(column.uniqueId(), column.type(), defaults.apply(column)));
      schema.add(new SegmentColumn(column.uniqueId(), column.type(), column.nullable()));
      if (column.key()) {
        keyPositions.add(i);
      }
    }
    int[] keys = keyPositions.stream().mapToInt(Integer::intValue).toArray();
    MergeFunction function = TabletModels.of(table).newMergeFunction();
    List<Cursor> cursors = new ArrayList<>();
    Map<String, int[]> rowMaps = new java.util.HashMap<>();
    PriorityQueue<Cursor> queue =
        new PriorityQueue<>(
            Comparator.<Cursor, byte[]>comparing(cursor -> cursor.key, Arrays::compareUnsigned)
                .thenComparingInt(cursor -> cursor.ordinal));
    ColumnVectorBuilder[] builders = new ColumnVectorBuilder[columns.size()];
    for (int i = 0; i < builders.length; i++) {
      builders[i] = new ColumnVectorBuilder(columns.get(i).type(), Batch.DEFAULT_SIZE);
    }
    SegmentWriter writer = null;
    try {
      for (SegmentFile input : inputs) {
        int[] rowMap = null;
        if (trackRows) {
          rowMap = new int[Math.toIntExact(input.rowCount())];
          Arrays.fill(rowMap, -1);
          rowMaps.put(input.path(), rowMap);
        }
        Cursor cursor =
            new Cursor(
                cursors.size(), input.path(), deleted.get(input.path()), keys, requests, rowMap);
        cursors.add(cursor);
        if (cursor.advance()) {
          queue.add(cursor);
        }
      }
      writer =
          new SegmentWriter(
              fileSystem,
              outputPath,
              schema,
              SegmentWriterOptions.DEFAULT,
              table.mergeOnWrite() ? keys : null,
              RowStoreOptions.positions(table));
      int pending = 0;
      int outputRow = 0;
      // Rows of the key being combined, to point their row-map entries at the output row.
      List<Cursor> groupCursors = new ArrayList<>();
      IntList groupRows = new IntList();
      while (!queue.isEmpty()) {
        Cursor first = queue.poll();
        if (function.keepsEveryRow() && first.restPrecedes(queue.peek())) {
          // The rest of this batch sorts before every other input's current row (inputs that do
          // not overlap, e.g. loads arriving in key order): copy it as a whole, not row by row.
          if (pending > 0) {
            writer.append(build(builders, pending));
            pending = 0;
          }
          outputRow += first.emitRest(writer, outputRow);
          requeue(queue, first);
          continue;
        }
        if (function.keepsEveryRow()) {
          for (int c = 0; c < builders.length; c++) {
            builders[c].appendFrom(first.batch.column(c), first.row);
          }
          first.mapTo(first.segmentRow, outputRow);
          requeue(queue, first);
        } else {
          byte[] key = first.key;
          function.reset(first.batch, first.row);
          groupCursors.clear();
          groupRows.clear();
          groupCursors.add(first);
          groupRows.add(first.segmentRow);
          requeue(queue, first);
          while (!queue.isEmpty() && Arrays.equals(queue.peek().key, key)) {
            Cursor next = queue.poll();
            function.add(next.batch, next.row);
            groupCursors.add(next);
            groupRows.add(next.segmentRow);
            requeue(queue, next);
          }
          function.emit(builders);
          for (int i = 0; i < groupCursors.size(); i++) {
            groupCursors.get(i).mapTo(groupRows.get(i), outputRow);
          }
        }
        outputRow++;
        if (++pending == Batch.DEFAULT_SIZE) {
          writer.append(build(builders, pending));
          pending = 0;
        }
      }
      if (pending > 0) {
        writer.append(build(builders, pending));
      }
      if (outputRow == 0) {
        writer.close();
        writer = null;
        return new Output(null, rowMaps);
      }
      SegmentMetadata metadata = writer.finish();
      if (writer.primaryKeyIndex() != null) {
        PrimaryKeyIndexCache.shared().put(fileSystem, outputPath, writer.primaryKeyIndex());
      }
      return new Output(
          new SegmentFile(outputPath, metadata.rowCount(), metadata.fileSize()), rowMaps);
    } finally {
      for (Cursor cursor : cursors) {
        cursor.close();
      }
      if (writer != null) {
        writer.close();
      }
    }
  }

  private static void requeue(PriorityQueue<Cursor> queue, Cursor cursor) {
    if (cursor.advance()) {
      queue.add(cursor);
    }
  }

  private static Batch build(ColumnVectorBuilder[] builders, int rows) {
    List<ColumnVector> vectors = new ArrayList<>(builders.length);
    for (ColumnVectorBuilder builder : builders) {
      vectors.add(builder.build());
    }
    return new Batch(vectors, rows);
  }

  /** A growable list of ints. */
  private static final class IntList {
    private int[] values = new int[8];
    private int size;

    void add(int value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    int get(int index) {
      return values[index];
    }

    void clear() {
      size = 0;
    }
  }

  /** Reads one input segment batch by batch, positioned on its current live row. */
  private final class Cursor implements AutoCloseable {
    final int ordinal;
    private final SegmentReader reader;
    private final BatchStream stream;
    private final RoaringBitmap deleted;
    private final ColumnVector[] keyVectors;
    private final int[] keyPositions;
    private final int[] rowMap;
    private final PrimaryKeyEncoder encoder = new PrimaryKeyEncoder();
    Batch batch;
    int row = -1;
    int segmentRow = -1;
    byte[] key;
    private byte[] batchLastKey;

    Cursor(
        int ordinal,
        String path,
        RoaringBitmap deleted,
        int[] keyPositions,
        List<ColumnRequest> requests,
        int[] rowMap) {
      this.ordinal = ordinal;
      this.deleted = deleted;
      this.keyPositions = keyPositions;
      this.keyVectors = new ColumnVector[keyPositions.length];
      this.rowMap = rowMap;
      this.reader = SegmentReader.open(fileSystem, path);
      BatchStream opened;
      try {
        opened = reader.read(requests, 0, reader.rowCount());
      } catch (RuntimeException e) {
        reader.close();
        throw e;
      }
      this.stream = opened;
    }

    /**
     * Whether the rows from the current one to the end of the batch all sort before {@code next}'s
     * current row (or there is no other input), so that they can be copied at once. Only for inputs
     * without delete marks, and for at least {@link #MIN_RUN_ROWS} rows.
     */
    boolean restPrecedes(Cursor next) {
      if (deleted != null || batch.rowCount() - row < MIN_RUN_ROWS) {
        return false;
      }
      if (next == null) {
        return true;
      }
      if (batchLastKey == null) {
        batchLastKey = encoder.encode(keyVectors, batch.rowCount() - 1);
      }
      int order = Arrays.compareUnsigned(batchLastKey, next.key);
      return order < 0 || (order == 0 && ordinal < next.ordinal);
    }

    /**
     * Appends the rows from the current one to the end of the batch to {@code writer} as output
     * rows from {@code outputRow}, leaves the cursor on the batch's last row and returns how many
     * rows it appended.
     */
    int emitRest(SegmentWriter writer, int outputRow) {
      int rows = batch.rowCount();
      int count = rows - row;
      if (row == 0) {
        writer.append(batch);
      } else {
        int[] positions = new int[count];
        for (int i = 0; i < count; i++) {
          positions[i] = row + i;
        }
        List<ColumnVector> vectors = new ArrayList<>(batch.columnCount());
        for (int c = 0; c < batch.columnCount(); c++) {
          vectors.add(ColumnVectors.take(batch.column(c), positions, count));
        }
        writer.append(new Batch(vectors, count));
      }
      if (rowMap != null) {
        for (int i = 0; i < count; i++) {
          rowMap[segmentRow + i] = outputRow + i;
        }
      }
      segmentRow += count - 1;
      row = rows - 1;
      return count;
    }

    /** Moves to the next row not marked deleted; false at the end. */
    boolean advance() {
      while (true) {
        row++;
        segmentRow++;
        if (batch == null || row >= batch.rowCount()) {
          batch = stream.next();
          batchLastKey = null;
          row = 0;
          if (batch == null) {
            key = null;
            return false;
          }
          for (int k = 0; k < keyPositions.length; k++) {
            keyVectors[k] = batch.column(keyPositions[k]);
          }
          if (batch.rowCount() == 0) {
            row = -1;
            segmentRow--;
            continue;
          }
        }
        if (deleted == null || !deleted.contains(segmentRow)) {
          key = encoder.encode(keyVectors, row);
          return true;
        }
      }
    }

    void mapTo(int inputRow, int outputRow) {
      if (rowMap != null) {
        rowMap[inputRow] = outputRow;
      }
    }

    @Override
    public void close() {
      try {
        stream.close();
      } finally {
        reader.close();
      }
    }
  }
}
