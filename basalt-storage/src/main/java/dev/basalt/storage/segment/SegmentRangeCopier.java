package dev.basalt.storage.segment;

import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * Appends row ranges of one input segment to a {@link SegmentWriter}, column by column, copying the
 * stored pages that lie wholly inside a range instead of decoding and re-encoding them: compaction
 * of DUPLICATE KEY tablets, where a run of one input's rows goes to the output unchanged
 * (docs/architecture.md, "Compaction"). Per column, the rows of a range before its first whole page
 * and after its last are decoded and appended to the writer's buffered page; a whole page is copied
 * as it is (bytes, encoding, compression, row and null counts, zone-map bounds, CRC32C checked on
 * the way) after the writer cuts what it has buffered as a page of its own. Page boundaries differ
 * per column, so each column decides on its own pages.
 *
 * <p>A page is decoded instead of copied when a deleted row lies in it, when the input's column
 * differs from the output's (a column added or retyped since the input was written reads as its
 * default or relabeled), when the input's format version is older than {@link
 * SegmentFormat#OLDEST_PAGE_COPYABLE_VERSION}, when the page is short (it is packed into a full
 * page instead, {@link SegmentWriter#copiesAsStored}), or when the page lacks a lower bound the
 * output's zone map would need.
 *
 * <p>Call order: construct, then {@link #copy} ranges in ascending row order (not overlapping);
 * between ranges the writer may take other inputs' ranges. The caller owns and closes the reader
 * and the writer. Memory: one decoded page and one stored page per column at a time. Not thread
 * safe.
 */
public final class SegmentRangeCopier {
  private final SegmentReader input;
  private final SegmentWriter output;
  private final Column[] columns;
  private final ScanCounters counters = new ScanCounters();
  private long pagesCopied;
  private long nextRow;
  private int[] positions = new int[0];

  /**
   * @param requests the output's columns by schema position: each is read from the input by unique
   *     id, as its default where the input lacks it ({@link ColumnRequest})
   */
  public SegmentRangeCopier(
      SegmentReader input, List<ColumnRequest> requests, SegmentWriter output) {
    if (requests.size() != output.schema().size()) {
      throw new IllegalArgumentException(
          requests.size() + " requests for a schema of " + output.schema().size() + " columns");
    }
    this.input = input;
    this.output = output;
    this.columns = new Column[requests.size()];
    boolean pagesCopyable =
        input.metadata().formatVersion() >= SegmentFormat.OLDEST_PAGE_COPYABLE_VERSION;
    for (int position = 0; position < columns.length; position++) {
      ColumnRequest request = requests.get(position);
      SegmentColumn target = output.schema().get(position);
      ColumnEntry stored = input.columnEntry(request.uniqueId());
      boolean copyable =
          pagesCopyable
              && stored != null
              && stored.column().type().equals(target.type())
              && (target.nullable() || !stored.column().nullable());
      columns[position] =
          new Column(
              position,
              copyable ? stored : null,
              input.columnSource(request, 0, input.rowCount(), counters, null));
    }
  }

  /**
   * Appends the rows of {@code [firstRow, endRow)} that {@code deleted} does not mark (null: none)
   * to every column of the writer and completes them ({@link SegmentWriter#completeRows}); returns
   * how many there were. {@code firstRow} must not be before the end of the previous range.
   */
  public int copy(long firstRow, long endRow, RoaringBitmap deleted) {
    if (firstRow < nextRow || endRow < firstRow || endRow > input.rowCount()) {
      throw new IllegalArgumentException(
          "rows "
              + firstRow
              + " to "
              + endRow
              + " of a segment of "
              + input.rowCount()
              + " rows, after row "
              + nextRow);
    }
    RoaringBitmap marks = deleted == null || deleted.isEmpty() ? null : deleted;
    int live = Math.toIntExact(endRow - firstRow - marked(marks, firstRow, endRow));
    for (Column column : columns) {
      column.copy(firstRow, endRow, marks);
    }
    nextRow = endRow;
    output.completeRows(live);
    return live;
  }

  /** Pages copied as they were stored, over all columns. */
  public long pagesCopied() {
    return pagesCopied;
  }

  /** Pages decoded (wholly or for the rows at a range's ends), over all columns. */
  public long pagesDecoded() {
    return counters.pagesDecoded();
  }

  private static long marked(RoaringBitmap marks, long start, long end) {
    return marks == null || start == end ? 0 : marks.rangeCardinality(start, end);
  }

  /** One output column: where its source stands and the input's pages, when they can be copied. */
  private final class Column {
    private final int position;

    /** The input's stored column when its pages can be copied, else null. */
    private final ColumnEntry stored;

    private final SegmentBatchStream.ColumnSource source;

    /** The row {@link #source} produces next. */
    private long sourceRow;

    /** The index of the page holding {@link #sourceRow} (or before it), when {@link #stored}. */
    private int pageIndex;

    Column(int position, ColumnEntry stored, SegmentBatchStream.ColumnSource source) {
      this.position = position;
      this.stored = stored;
      this.source = source;
    }

    void copy(long firstRow, long endRow, RoaringBitmap marks) {
      if (sourceRow < firstRow) {
        source.skip(Math.toIntExact(firstRow - sourceRow));
        sourceRow = firstRow;
      }
      while (sourceRow < endRow) {
        long chunkEnd;
        if (stored != null) {
          List<PageEntry> pages = stored.pages();
          while (pages.get(pageIndex).firstRow() + pages.get(pageIndex).rowCount() <= sourceRow) {
            pageIndex++;
          }
          PageEntry page = pages.get(pageIndex);
          long pageEnd = page.firstRow() + page.rowCount();
          if (page.firstRow() == sourceRow
              && pageEnd <= endRow
              && output.copiesAsStored(page)
              && (page.min() != null || page.nullCount() == page.rowCount())
              && marked(marks, sourceRow, pageEnd) == 0) {
            output.copyPage(position, page, input.readStoredPage(stored, pageIndex));
            pagesCopied++;
            source.skip(page.rowCount());
            sourceRow = pageEnd;
            continue;
          }
          chunkEnd = Math.min(endRow, pageEnd);
        } else {
          chunkEnd = Math.min(endRow, sourceRow + Batch.DEFAULT_SIZE);
        }
        int count = Math.toIntExact(chunkEnd - sourceRow);
        ColumnVector vector;
        if (marked(marks, sourceRow, chunkEnd) == 0) {
          vector = source.next(count);
        } else {
          int selected = selectLive(marks, sourceRow, count);
          vector = selected == 0 ? null : source.take(count, positions, selected);
          if (selected == 0) {
            source.skip(count);
          }
        }
        if (vector != null) {
          output.appendColumn(position, vector);
        }
        sourceRow = chunkEnd;
      }
    }

    /**
     * Fills {@link #positions} with the offsets of the live rows of the chunk; returns how many.
     */
    private int selectLive(RoaringBitmap marks, long firstRow, int count) {
      if (positions.length < count) {
        positions = new int[Math.max(count, Batch.DEFAULT_SIZE)];
      }
      return DeletedRows.selectLive(marks, firstRow, count, positions);
    }
  }
}
