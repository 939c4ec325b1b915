package dev.basalt.storage.tablet;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.vector.Batch;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.segment.ColumnBound;
import dev.basalt.storage.segment.ColumnRequest;
import dev.basalt.storage.segment.PageCache;
import dev.basalt.storage.segment.ScanCounters;
import dev.basalt.storage.segment.SegmentFilter;
import dev.basalt.storage.segment.SegmentFooterCache;
import dev.basalt.storage.segment.SegmentReader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads one tablet's {@link TabletSnapshot} as its model defines it: {@link #mergedScan} streams
 * the rows of an AGGREGATE or merge-on-read UNIQUE KEY tablet merged by key ({@link SortedMerge}
 * over its key-sorted segments, rows marked deleted left out as pages are decoded). A server asks
 * for a snapshot and a scan; the model's merge stays here. Stateless; each scan belongs to the
 * thread that reads it.
 */
public final class TabletReader {
  private final FileSystem fileSystem;
  private final SegmentFooterCache footers;
  private final PageCache pages;

  /**
   * @param footers cached segment footers, or null to read each footer
   * @param pages cached decoded pages, or null to decode for each read
   */
  public TabletReader(FileSystem fileSystem, SegmentFooterCache footers, PageCache pages) {
    this.fileSystem = fileSystem;
    this.footers = footers;
    this.pages = pages;
  }

  /**
   * The tablet's live rows merged by key with {@code model}'s merge function, batch by batch.
   *
   * @param model the model over the columns {@code requests} reads (which must include its {@link
   *     TabletModel#mergeColumns()}; see {@link TabletModel#select})
   * @param requests the columns to read from a segment (one per model column, in model order); a
   *     function so that a column computed per segment (its rowset version) can differ
   * @param keyBounds comparisons on key columns (indexes into the requests) that the caller filters
   *     the merged rows by: segments and row ranges whose zone maps rule one out are not read. Only
   *     key columns: every row of a key has the key's values, so leaving out rows that fail a key
   *     bound removes whole keys that the filter would remove after the merge anyway; a bound on a
   *     value column would change the merge (a SUM of fewer rows) and is the caller's bug
   * @param outputColumns the model columns each output batch holds, in that order
   * @param counters where the segment reads count what they decoded
   */
  public BatchStream mergedScan(
      TabletSnapshot snapshot,
      TabletModel model,
      Function<TabletSnapshot.Segment, List<ColumnRequest>> requests,
      List<ColumnBound> keyBounds,
      int[] outputColumns,
      ScanCounters counters) {
    for (ColumnBound bound : keyBounds) {
      if (!model.columns().get(bound.column()).key()) {
        throw new IllegalArgumentException(
            "a bound on value column " + model.columns().get(bound.column()).name());
      }
    }
    List<BatchStream> inputs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    try {
      for (TabletSnapshot.Segment segment : snapshot.segments()) {
        RoaringBitmap deleted = segment.deleted();
        if (segment.rowCount() == 0
            || (deleted != null && deleted.getLongCardinality() >= segment.rowCount())) {
          continue;
        }
        inputs.add(new SegmentInput(segment, requests.apply(segment), keyBounds, counters));
        names.add(segment.path());
      }
      return new SortedMerge(inputs, model, outputColumns, names);
    } catch (RuntimeException e) {
      for (BatchStream input : inputs) {
        input.close();
      }
      throw e;
    }
  }

  /** A filter that keeps the rows {@code deleted} does not mark, decoding no column for it. */
  public static SegmentFilter liveRowsOf(RoaringBitmap deleted) {
    return liveRowsOf(deleted, List.of());
  }

  /**
   * A filter that skips the row ranges {@code bounds} rule out by zone maps and keeps the other
   * rows that {@code deleted} (null: none) does not mark, decoding no column for it.
   */
  private static SegmentFilter liveRowsOf(RoaringBitmap deleted, List<ColumnBound> bounds) {
    return new SegmentFilter(
        new int[0],
        bounds,
        (noColumns, firstRow, selected) ->
            deleted == null
                ? selectAll(noColumns.rowCount(), selected)
                : DeletedRows.selectLive(deleted, firstRow, noColumns.rowCount(), selected));
  }

  private static int selectAll(int count, int[] selected) {
    for (int i = 0; i < count; i++) {
      selected[i] = i;
    }
    return count;
  }

  /** One segment's live rows; the segment is opened on the first read, closed with the stream. */
  private final class SegmentInput implements BatchStream {
    private final TabletSnapshot.Segment segment;
    private final List<ColumnRequest> requests;
    private final List<ColumnBound> keyBounds;
    private final ScanCounters counters;
    private SegmentReader reader;
    private BatchStream rows;

    SegmentInput(
        TabletSnapshot.Segment segment,
        List<ColumnRequest> requests,
        List<ColumnBound> keyBounds,
        ScanCounters counters) {
      this.segment = segment;
      this.requests = requests;
      this.keyBounds = keyBounds;
      this.counters = counters;
    }

    @Override
    public Batch next() {
      if (rows == null) {
        reader =
            footers == null
                ? SegmentReader.open(fileSystem, segment.path())
                : SegmentReader.open(fileSystem, segment.path(), footers);
        RoaringBitmap deleted = segment.deleted();
        if (deleted != null && deleted.isEmpty()) {
          deleted = null;
        }
        if (!keyBounds.isEmpty() && !reader.mayMatch(requests, keyBounds)) {
          counters.segmentSkipped();
          rows = () -> null;
        } else {
          rows =
              reader.read(
                  requests,
                  0,
                  reader.rowCount(),
                  deleted == null && keyBounds.isEmpty() ? null : liveRowsOf(deleted, keyBounds),
                  counters,
                  pages);
        }
      }
      return rows.next();
    }

    @Override
    public void close() {
      try {
        if (rows != null) {
          rows.close();
        }
      } finally {
        if (reader != null) {
          reader.close();
        }
      }
    }
  }
}
