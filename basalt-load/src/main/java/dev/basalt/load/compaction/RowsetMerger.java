package dev.basalt.load.compaction;

import dev.basalt.common.vector.Batch;
import dev.basalt.load.TabletModels;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.RowStoreOptions;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.index.PrimaryKeyIndexCache;
import dev.basalt.storage.segment.ColumnMetadata;
import dev.basalt.storage.segment.ColumnRequest;
import dev.basalt.storage.segment.SegmentColumn;
import dev.basalt.storage.segment.SegmentMetadata;
import dev.basalt.storage.segment.SegmentRangeCopier;
import dev.basalt.storage.segment.SegmentReader;
import dev.basalt.storage.segment.SegmentWriter;
import dev.basalt.storage.segment.SegmentWriterOptions;
import dev.basalt.storage.tablet.MergeFunction;
import dev.basalt.storage.tablet.SegmentMergeInput;
import dev.basalt.storage.tablet.SortedMerge;
import dev.basalt.storage.tablet.SortedRuns;
import dev.basalt.storage.tablet.TabletModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.roaringbitmap.RoaringBitmap;

/**
 * Merges the segments of consecutive rowsets of one tablet into one segment sorted by the key
 * columns, through the tablet layer's one merge loop ({@link SortedMerge}, with the table model's
 * {@link MergeFunction} from {@link TabletModels}, the one scans use): this class only chooses what
 * to read (every current column by unique id, columns an older segment lacks read as their default;
 * each input segment's live rows, {@link SegmentMergeInput}), writes the merged batches into the
 * output segment (with a primary-key index for merge-on-write tables) and hands back the row maps
 * the merge records. Reads batch by batch and writes page by page: memory holds one batch per
 * input, the output batch being built, and for merge-on-write tables the output's primary-key index
 * and one {@code int} per input row (the row map).
 *
 * <p>Not thread safe; one instance per compaction.
 */
final class RowsetMerger {
  private final FileSystem fileSystem;
  private final TableMeta table;
  private final Function<ColumnMeta, Object> defaults;

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

  /**
   * The merged segment (null when no row survived), where each input row went, and how many of the
   * output's pages (over all columns) were copied as stored and how many were encoded.
   */
  record Output(
      SegmentFile segment, Map<String, int[]> rowMaps, long pagesCopied, long pagesEncoded) {}

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
    int[] allColumns = new int[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      ColumnMeta column = columns.get(i);
      requests.add(
          ColumnRequest.withDefault(column.uniqueId(), column.type(), defaults.apply(column)));
      schema.add(new SegmentColumn(column.uniqueId(), column.type(), column.nullable()));
      allColumns[i] = i;
    }
    TabletModel model = TabletModels.of(table);
    if (!model.combinesRows()
        && !table.mergeOnWrite()
        && RowStoreOptions.positions(table) == null) {
      return copyRuns(inputs, deleted, outputPath, trackRows, requests, schema, model);
    }
    Map<String, int[]> rowMaps = new HashMap<>();
    int[][] rowMapsByInput = new int[inputs.size()][];
    List<SegmentMergeInput> opened = new ArrayList<>();
    List<String> names = new ArrayList<>();
    try {
      for (int i = 0; i < inputs.size(); i++) {
        SegmentFile input = inputs.get(i);
        if (trackRows) {
          rowMapsByInput[i] = newRowMap(input, rowMaps);
        }
        opened.add(
            new SegmentMergeInput(fileSystem, input.path(), requests, deleted.get(input.path())));
        names.add(input.path());
      }
    } catch (RuntimeException e) {
      for (SegmentMergeInput input : opened) {
        input.close();
      }
      throw e;
    }
    SortedMerge merged = SortedMerge.withRowMaps(opened, model, allColumns, names, rowMapsByInput);
    SegmentWriter writer = null;
    try (merged) {
      writer =
          new SegmentWriter(
              fileSystem,
              outputPath,
              schema,
              SegmentWriterOptions.DEFAULT,
              table.mergeOnWrite() ? model.keyPositions() : null,
              RowStoreOptions.positions(table));
      long outputRows = 0;
      for (Batch batch = merged.next(); batch != null; batch = merged.next()) {
        writer.append(batch);
        outputRows += batch.rowCount();
      }
      if (outputRows == 0) {
        writer.close();
        writer = null;
        return new Output(null, rowMaps, 0, 0);
      }
      SegmentMetadata metadata = writer.finish();
      if (writer.primaryKeyIndex() != null) {
        PrimaryKeyIndexCache.shared().put(fileSystem, outputPath, writer.primaryKeyIndex());
      }
      return new Output(
          new SegmentFile(outputPath, metadata.rowCount(), metadata.fileSize()),
          rowMaps,
          0,
          pageCount(metadata));
    } finally {
      if (writer != null) {
        writer.close();
      }
    }
  }

  /**
   * The DUPLICATE KEY merge (no rows combined, no primary-key index or row store to write): the
   * order comes from the key columns alone ({@link SortedRuns}), and each run of one input's rows
   * goes to the output column by column, its whole pages copied as stored ({@link
   * SegmentRangeCopier}). Loads arriving in key order make runs of whole segments but for a batch
   * or two at each boundary, so most pages are never decoded. Memory: a key batch per input, one
   * page per column being copied or decoded, one page per column buffered in the writer.
   */
  private Output copyRuns(
      List<SegmentFile> inputs,
      Map<String, RoaringBitmap> deleted,
      String outputPath,
      boolean trackRows,
      List<ColumnRequest> requests,
      List<SegmentColumn> schema,
      TabletModel model) {
    List<ColumnRequest> keyRequests = new ArrayList<>();
    for (int position : model.keyPositions()) {
      keyRequests.add(requests.get(position));
    }
    Map<String, int[]> rowMaps = new HashMap<>();
    int[][] rowMapsByInput = new int[inputs.size()][];
    RoaringBitmap[] marks = new RoaringBitmap[inputs.size()];
    List<SegmentReader> readers = new ArrayList<>();
    List<SegmentMergeInput> keyInputs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    SegmentWriter writer = null;
    SortedRuns runs = null;
    Output output;
    try {
      for (int i = 0; i < inputs.size(); i++) {
        SegmentFile input = inputs.get(i);
        if (trackRows) {
          rowMapsByInput[i] = newRowMap(input, rowMaps);
        }
        RoaringBitmap inputMarks = deleted.get(input.path());
        marks[i] = inputMarks == null || inputMarks.isEmpty() ? null : inputMarks;
        readers.add(SegmentReader.open(fileSystem, input.path()));
        if (!keyRequests.isEmpty()) {
          keyInputs.add(new SegmentMergeInput(fileSystem, input.path(), keyRequests, marks[i]));
        }
        names.add(input.path());
      }
      writer =
          new SegmentWriter(
              fileSystem, outputPath, schema, SegmentWriterOptions.DEFAULT, null, null);
      List<SegmentRangeCopier> copiers = new ArrayList<>();
      for (SegmentReader reader : readers) {
        copiers.add(new SegmentRangeCopier(reader, requests, writer));
      }
      Supplier<SortedRuns.Run> nextRun;
      if (keyRequests.isEmpty()) {
        // A DUPLICATE KEY table without key columns: every row ties, so the inputs go out whole
        // in version order.
        ArrayDeque<SortedRuns.Run> wholeInputs = new ArrayDeque<>();
        for (int i = 0; i < readers.size(); i++) {
          if (readers.get(i).rowCount() > 0) {
            wholeInputs.add(new SortedRuns.Run(i, 0, readers.get(i).rowCount()));
          }
        }
        nextRun = wholeInputs::poll;
      } else {
        // SortedRuns owns the key inputs from here on (it closes them if its constructor fails).
        List<SegmentMergeInput> ownedByRuns = keyInputs;
        keyInputs = List.of();
        runs = new SortedRuns(ownedByRuns, names);
        nextRun = runs::next;
      }
      long outputRows = 0;
      for (SortedRuns.Run run = nextRun.get(); run != null; run = nextRun.get()) {
        int[] rowMap = rowMapsByInput[run.input()];
        if (rowMap != null) {
          RoaringBitmap inputMarks = marks[run.input()];
          int outputRow = Math.toIntExact(outputRows);
          boolean anyMarked =
              inputMarks != null && inputMarks.rangeCardinality(run.firstRow(), run.endRow()) > 0;
          for (int row = (int) run.firstRow(); row < run.endRow(); row++) {
            if (!anyMarked || !inputMarks.contains(row)) {
              rowMap[row] = outputRow++;
            }
          }
        }
        outputRows +=
            copiers.get(run.input()).copy(run.firstRow(), run.endRow(), marks[run.input()]);
      }
      if (outputRows == 0) {
        output = new Output(null, rowMaps, 0, 0);
      } else {
        long pagesCopied = 0;
        for (SegmentRangeCopier copier : copiers) {
          pagesCopied += copier.pagesCopied();
        }
        SegmentMetadata metadata = writer.finish();
        output =
            new Output(
                new SegmentFile(outputPath, metadata.rowCount(), metadata.fileSize()),
                rowMaps,
                pagesCopied,
                pageCount(metadata) - pagesCopied);
      }
    } catch (RuntimeException | Error failure) {
      closeAll(runs, keyInputs, readers, writer, failure);
      throw failure;
    }
    closeAll(runs, keyInputs, readers, writer, null);
    return output;
  }

  private static long pageCount(SegmentMetadata metadata) {
    long pages = 0;
    for (ColumnMetadata column : metadata.columns()) {
      pages += column.pages().size();
    }
    return pages;
  }

  /**
   * Closes what a merge opened, every one even when some fail. With {@code failure} (the merge
   * failed) close failures are added to it as suppressed; without, the first one is thrown.
   */
  private static void closeAll(
      SortedRuns runs,
      List<SegmentMergeInput> keyInputs,
      List<SegmentReader> readers,
      SegmentWriter writer,
      Throwable failure) {
    List<AutoCloseable> open = new ArrayList<>();
    if (runs != null) {
      open.add(runs);
    }
    open.addAll(keyInputs);
    open.addAll(readers);
    if (writer != null) {
      open.add(writer);
    }
    RuntimeException closeFailure = null;
    for (AutoCloseable closeable : open) {
      try {
        closeable.close();
      } catch (Exception e) {
        if (failure != null) {
          failure.addSuppressed(e);
        } else if (closeFailure == null) {
          closeFailure =
              e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
      }
    }
    if (closeFailure != null) {
      throw closeFailure;
    }
  }

  /** A row map for {@code input}, every row not yet placed (-1), registered under its path. */
  private static int[] newRowMap(SegmentFile input, Map<String, int[]> rowMaps) {
    int[] rowMap = new int[Math.toIntExact(input.rowCount())];
    Arrays.fill(rowMap, -1);
    rowMaps.put(input.path(), rowMap);
    return rowMap;
  }
}
