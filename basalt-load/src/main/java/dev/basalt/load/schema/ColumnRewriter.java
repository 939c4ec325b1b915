package dev.basalt.load.schema;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectors;
import dev.basalt.exec.function.cast.Casts;
import dev.basalt.load.FilesInFlight;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.ColumnRewrite;
import dev.basalt.meta.catalog.RowStoreOptions;
import dev.basalt.meta.catalog.RowsetMeta;
import dev.basalt.meta.catalog.SegmentDeletes;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.TableSnapshot;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.index.PrimaryKeyIndexCache;
import dev.basalt.storage.segment.ColumnRequest;
import dev.basalt.storage.segment.SegmentColumn;
import dev.basalt.storage.segment.SegmentMetadata;
import dev.basalt.storage.segment.SegmentReader;
import dev.basalt.storage.segment.SegmentWriter;
import dev.basalt.storage.segment.SegmentWriterOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.roaringbitmap.RoaringBitmap;

/**
 * The rewrite of an ALTER TABLE MODIFY COLUMN that changes how a value column is stored (another
 * type, or NOT NULL): every segment of every rowset is read a batch at a time and written again as
 * a new segment, in the same row order, with the changed column converted by CAST's vectorized
 * kernel ({@link Casts}) under its new unique id and the rows the delete layers mark left out.
 *
 * <p>Rows keep their order, so a segment stays sorted by key and a merge-on-write segment keeps
 * each key once (its primary-key index is written again); the rowsets keep their version ranges, so
 * the read-time merge of merge-on-read UNIQUE and AGGREGATE tables combines the converted values as
 * it combined the old ones (as Doris converts each rowset). The conversion is strict, as an
 * INSERT's is: a value CAST turns into NULL (it does not convert, or is out of the new type's
 * range), a NULL where the column becomes NOT NULL, or a string longer than a new CHAR/VARCHAR
 * length cancels the job ({@link ColumnRewrite.Cancelled}, naming the value) and deletes the files
 * written so far.
 *
 * <p>Memory: one batch of the segment being read and the writer's page buffers. Files: registered
 * in {@link FilesInFlight} before they are created, so the garbage collector leaves them alone;
 * they leave it once the catalog commit referencing them returned ({@link #committed}); a commit
 * that fails leaves them there, as a load's failed commit does (it may have reached the store).
 * Stateless between jobs; one job runs on the calling thread.
 */
public final class ColumnRewriter implements ColumnRewrite {
  private final FileSystem fileSystem;
  private final FilesInFlight filesInFlight;
  private final Function<ColumnMeta, Object> defaults;
  private final LongSupplier ids;

  /**
   * @param fileSystem where the segments are
   * @param filesInFlight the registry of uncommitted files the garbage collector respects
   * @param defaults a column's default value, for columns older segments lack
   * @param ids new catalog ids, for the new segments' file names
   */
  public ColumnRewriter(
      FileSystem fileSystem,
      FilesInFlight filesInFlight,
      Function<ColumnMeta, Object> defaults,
      LongSupplier ids) {
    this.fileSystem = fileSystem;
    this.filesInFlight = filesInFlight;
    this.defaults = defaults;
    this.ids = ids;
  }

  @Override
  public Map<Long, List<SegmentFile>> rewrite(
      TableSnapshot snapshot, TableMeta newDefinition, long jobId) {
    Job job = new Job(snapshot.table(), newDefinition);
    List<String> written = new ArrayList<>();
    boolean done = false;
    try {
      Map<Long, List<SegmentFile>> output = new HashMap<>();
      for (TableSnapshot.PartitionSnapshot partition : snapshot.partitions()) {
        for (Map.Entry<Long, List<RowsetMeta>> tablet : partition.rowsets().entrySet()) {
          Map<String, RoaringBitmap> deleted =
              deletedRows(partition.deletes().getOrDefault(tablet.getKey(), List.of()));
          for (RowsetMeta rowset : tablet.getValue()) {
            List<SegmentFile> segments = new ArrayList<>();
            for (SegmentFile segment : rowset.segments()) {
              String path = newPath(newDefinition, tablet.getKey());
              written.add(path);
              SegmentFile rewritten = job.rewrite(segment, deleted.get(segment.path()), path);
              if (rewritten != null) {
                segments.add(rewritten);
              }
            }
            output.put(rowset.id(), List.copyOf(segments));
          }
        }
      }
      done = true;
      return output;
    } finally {
      if (!done) {
        for (String path : written) {
          fileSystem.delete(path);
          filesInFlight.remove(path);
        }
      }
    }
  }

  /** Forgets the files of a job whose catalog commit returned (they are referenced now). */
  @Override
  public void committed(Map<Long, List<SegmentFile>> output) {
    output.values().forEach(segments -> segments.forEach(s -> filesInFlight.remove(s.path())));
  }

  private String newPath(TableMeta table, long tabletId) {
    String path =
        "data/"
            + table.databaseId()
            + "/"
            + table.id()
            + "/"
            + tabletId
            + "/"
            + ids.getAsLong()
            + ".bsg";
    filesInFlight.add(path);
    return path;
  }

  /**
   * Every row of each segment the layers mark (all are visible: the table's commit lock is held).
   */
  private static Map<String, RoaringBitmap> deletedRows(List<SegmentDeletes> layers) {
    Map<String, RoaringBitmap> deleted = new HashMap<>();
    for (SegmentDeletes layer : layers) {
      deleted.merge(
          layer.segmentPath(), layer.rows(), (left, right) -> RoaringBitmap.or(left, right));
    }
    return deleted;
  }

  /** One job: the old and new definitions and what they imply for each segment. */
  private final class Job {
    private final TableMeta newDefinition;
    private final List<ColumnRequest> requests = new ArrayList<>();
    private final List<SegmentColumn> schema = new ArrayList<>();
    private final int[] keyPositions;
    private final int changedPosition;
    private final StrictColumnCast cast;

    Job(TableMeta old, TableMeta newDefinition) {
      this.newDefinition = newDefinition;
      List<ColumnMeta> columns = newDefinition.columns();
      int position = -1;
      ColumnMeta source = null;
      List<Integer> keys = new ArrayList<>();
      for (int i = 0; i < columns.size(); i++) {
        ColumnMeta column = columns.get(i);
        ColumnMeta before = old.column(column.name()).orElse(null);
        if (before != null && before.uniqueId() != column.uniqueId()) {
          position = i;
          source = before;
          requests.add(
              ColumnRequest.withDefault(before.uniqueId(), before.type(), defaults.apply(before)));
        } else {
          requests.add(
              ColumnRequest.withDefault(column.uniqueId(), column.type(), defaults.apply(column)));
        }
        schema.add(new SegmentColumn(column.uniqueId(), column.type(), column.nullable()));
        if (column.key()) {
          keys.add(i);
        }
      }
      if (source == null) {
        throw new IllegalArgumentException("no column of " + old.name() + " changed its id");
      }
      this.keyPositions = keys.stream().mapToInt(Integer::intValue).toArray();
      this.changedPosition = position;
      this.cast = new StrictColumnCast(source.type(), columns.get(position));
    }

    /** Writes {@code input} again at {@code path}; null when no row is left (file deleted). */
    SegmentFile rewrite(SegmentFile input, RoaringBitmap deleted, String path) {
      try (SegmentReader reader = SegmentReader.open(fileSystem, input.path());
          BatchStream batches = reader.read(requests, 0, reader.rowCount());
          SegmentWriter writer =
              new SegmentWriter(
                  fileSystem,
                  path,
                  schema,
                  SegmentWriterOptions.DEFAULT,
                  newDefinition.mergeOnWrite() ? keyPositions : null,
                  RowStoreOptions.positions(newDefinition))) {
        long firstRow = 0;
        int[] kept = new int[Batch.DEFAULT_SIZE];
        for (Batch batch = batches.next(); batch != null; batch = batches.next()) {
          Batch live = batch;
          if (deleted != null) {
            if (kept.length < batch.rowCount()) {
              kept = new int[batch.rowCount()];
            }
            int count = 0;
            for (int row = 0; row < batch.rowCount(); row++) {
              if (!deleted.contains((int) (firstRow + row))) {
                kept[count++] = row;
              }
            }
            live = count == batch.rowCount() ? batch : take(batch, kept, count);
          }
          firstRow += batch.rowCount();
          if (live.rowCount() > 0) {
            writer.append(convert(live));
          }
        }
        if (writer.rowCount() == 0) {
          writer.close();
          fileSystem.delete(path);
          filesInFlight.remove(path);
          return null;
        }
        SegmentMetadata metadata = writer.finish();
        if (writer.primaryKeyIndex() != null) {
          PrimaryKeyIndexCache.shared().put(fileSystem, path, writer.primaryKeyIndex());
        }
        return new SegmentFile(path, metadata.rowCount(), metadata.fileSize());
      }
    }

    private Batch take(Batch batch, int[] positions, int count) {
      List<ColumnVector> columns = new ArrayList<>(batch.columnCount());
      for (int c = 0; c < batch.columnCount(); c++) {
        columns.add(ColumnVectors.take(batch.column(c), positions, count));
      }
      return new Batch(columns, count);
    }

    /** The batch with the changed column converted; strict checks cancel the job. */
    private Batch convert(Batch batch) {
      List<ColumnVector> columns = new ArrayList<>(batch.columns());
      columns.set(changedPosition, cast.convert(batch.column(changedPosition), batch.rowCount()));
      return new Batch(columns, batch.rowCount());
    }
  }
}
