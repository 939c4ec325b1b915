package dev.basalt.load.compaction;

import dev.basalt.common.vector.Batch;
import dev.basalt.load.TabletModels;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.RowStoreOptions;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.index.PrimaryKeyIndexCache;
import dev.basalt.storage.segment.ColumnRequest;
import dev.basalt.storage.segment.SegmentColumn;
import dev.basalt.storage.segment.SegmentMetadata;
import dev.basalt.storage.segment.SegmentWriter;
import dev.basalt.storage.segment.SegmentWriterOptions;
import dev.basalt.storage.tablet.MergeFunction;
import dev.basalt.storage.tablet.SegmentMergeInput;
import dev.basalt.storage.tablet.SortedMerge;
import dev.basalt.storage.tablet.TabletModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
    int[] allColumns = new int[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      ColumnMeta column = columns.get(i);
      requests.add(
          ColumnRequest.withDefault(column.uniqueId(), column.type(), defaults.apply(column)));
      schema.add(new SegmentColumn(column.uniqueId(), column.type(), column.nullable()));
      allColumns[i] = i;
    }
    TabletModel model = TabletModels.of(table);
    Map<String, int[]> rowMaps = new HashMap<>();
    int[][] rowMapsByInput = new int[inputs.size()][];
    List<SegmentMergeInput> opened = new ArrayList<>();
    List<String> names = new ArrayList<>();
    try {
      for (int i = 0; i < inputs.size(); i++) {
        SegmentFile input = inputs.get(i);
        if (trackRows) {
          int[] rowMap = new int[Math.toIntExact(input.rowCount())];
          Arrays.fill(rowMap, -1);
          rowMaps.put(input.path(), rowMap);
          rowMapsByInput[i] = rowMap;
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
        return new Output(null, rowMaps);
      }
      SegmentMetadata metadata = writer.finish();
      if (writer.primaryKeyIndex() != null) {
        PrimaryKeyIndexCache.shared().put(fileSystem, outputPath, writer.primaryKeyIndex());
      }
      return new Output(
          new SegmentFile(outputPath, metadata.rowCount(), metadata.fileSize()), rowMaps);
    } finally {
      if (writer != null) {
        writer.close();
      }
    }
  }
}
