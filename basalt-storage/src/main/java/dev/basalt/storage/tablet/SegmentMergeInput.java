package dev.basalt.storage.tablet;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectors;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.segment.ColumnRequest;
import dev.basalt.storage.segment.DeletedRows;
import dev.basalt.storage.segment.SegmentReader;
import java.util.ArrayList;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * One segment's live rows as an input of a {@link SortedMerge} that records row maps (compaction):
 * reads every row of the requested columns batch by batch, leaves out the rows a delete bitmap
 * marks (walking the marks once per batch, {@link DeletedRows}) and numbers each row it returns by
 * its row in the segment. The segment is opened by the constructor and closed with this stream.
 * Used by one thread.
 */
public final class SegmentMergeInput implements RowNumberedStream {
  private final SegmentReader reader;
  private final BatchStream rows;
  private final RoaringBitmap deleted;
  private int nextBatchFirstRow;
  private int batchFirstRow;

  /** The segment offsets of the current batch's rows when some were left out, else null. */
  private int[] liveOffsets;

  private int[] scratch = new int[0];

  /**
   * @param requests the columns to read, laid out like the merge's model (absent ones as their
   *     request's default)
   * @param deleted the rows to leave out, or null for none; only read
   */
  public SegmentMergeInput(
      FileSystem fileSystem, String path, List<ColumnRequest> requests, RoaringBitmap deleted) {
    this.deleted = deleted == null || deleted.isEmpty() ? null : deleted;
    this.reader = SegmentReader.open(fileSystem, path);
    try {
      this.rows = reader.read(requests, 0, reader.rowCount());
    } catch (RuntimeException e) {
      reader.close();
      throw e;
    }
  }

  @Override
  public Batch next() {
    while (true) {
      Batch batch = rows.next();
      if (batch == null) {
        return null;
      }
      int count = batch.rowCount();
      batchFirstRow = nextBatchFirstRow;
      nextBatchFirstRow += count;
      liveOffsets = null;
      if (deleted == null) {
        return batch;
      }
      if (scratch.length < count) {
        scratch = new int[count];
      }
      int live = DeletedRows.selectLive(deleted, batchFirstRow, count, scratch);
      if (live == count) {
        return batch;
      }
      if (live == 0) {
        continue;
      }
      liveOffsets = scratch;
      List<ColumnVector> columns = new ArrayList<>(batch.columnCount());
      for (int c = 0; c < batch.columnCount(); c++) {
        columns.add(ColumnVectors.take(batch.column(c), liveOffsets, live));
      }
      return new Batch(columns, live);
    }
  }

  @Override
  public int sourceRow(int row) {
    return batchFirstRow + (liveOffsets == null ? row : liveOffsets[row]);
  }

  @Override
  public void close() {
    try {
      rows.close();
    } finally {
      reader.close();
    }
  }
}
