package dev.basalt.storage.tablet;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.vector.Batch;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.segment.ColumnBound;
import dev.basalt.storage.segment.ColumnRequest;
import dev.basalt.storage.segment.DeletedRows;
import dev.basalt.storage.segment.PageCache;
import dev.basalt.storage.segment.RowSelector;
import dev.basalt.storage.segment.ScanCounters;
import dev.basalt.storage.segment.SegmentFilter;
import dev.basalt.storage.segment.SegmentFooterCache;
import dev.basalt.storage.segment.SegmentReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.function.Function;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads tablets' {@link TabletSnapshot}s as their model defines it. {@link #segmentScan} streams
 * the live rows of DUPLICATE KEY and merge-on-write UNIQUE KEY tablets segment by segment, in
 * morsels taken from a {@link TabletScan} that parallel streams share, with the caller's {@link
 * ScanFilter} pushed into the segment reads. {@link #mergedScan} streams the rows of an AGGREGATE
 * or merge-on-read UNIQUE KEY tablet merged by key ({@link SortedMerge} over its key-sorted
 * segments). Both leave out the rows the segments mark deleted as pages are decoded. A server asks
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
   * The live rows of the morsels this stream takes from {@code scan} (shared with other streams,
   * possibly on other threads), one morsel after another, leaving out the rows their segments mark
   * deleted and, with a filter, the segments and rows it rules out. The stream opens each segment
   * it reads (its footer from the footer cache) and closes it when the next morsel is of another
   * segment or the stream is closed.
   *
   * @param requests the columns to read from a segment; a function so that a column computed per
   *     segment (its rowset version) can differ
   * @param filter the pushed predicate, or null to keep every live row; its {@link
   *     ScanFilter#bounds} are asked for now (make the stream when they are known, e.g. after the
   *     builds of the joins whose runtime filters they include)
   * @param counters where the segment reads count what they skipped and decoded
   */
  public BatchStream segmentScan(
      TabletScan scan,
      Function<TabletSnapshot.Segment, List<ColumnRequest>> requests,
      ScanFilter filter,
      ScanCounters counters) {
    return new SegmentScanStream(scan, requests, filter, counters);
  }

  /**
   * The merged rows of the merge groups this stream takes from {@code groups} (shared with other
   * streams, possibly on other threads), one group after another: {@link
   * #mergedScan(TabletSnapshot, TabletModel, Function, List, int[], ScanCounters)} of each.
   */
  public BatchStream mergedScan(
      Queue<TabletSnapshot> groups,
      TabletModel model,
      Function<TabletSnapshot.Segment, List<ColumnRequest>> requests,
      List<ColumnBound> keyBounds,
      int[] outputColumns,
      ScanCounters counters) {
    return new PartsStream() {
      @Override
      BatchStream nextPart() {
        TabletSnapshot group = groups.poll();
        return group == null
            ? null
            : mergedScan(group, model, requests, keyBounds, outputColumns, counters);
      }
    };
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
        if (segment.rowCount() == 0 || segment.allDeleted()) {
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

  /**
   * {@code filter} followed by leaving out the rows {@code deleted} (null: none) marks, in the same
   * pass over each batch.
   */
  private static SegmentFilter withoutDeleted(SegmentFilter filter, RoaringBitmap deleted) {
    if (deleted == null) {
      return filter;
    }
    RowSelector selector = filter.selector();
    return new SegmentFilter(
        filter.filterColumns(),
        filter.bounds(),
        (columns, firstRow, selected) ->
            DeletedRows.retainLive(
                deleted, firstRow, selected, selector.select(columns, firstRow, selected)),
        filter.steps());
  }

  private SegmentReader open(String path) {
    return footers == null
        ? SegmentReader.open(fileSystem, path)
        : SegmentReader.open(fileSystem, path, footers);
  }

  /**
   * Takes morsels from a shared {@link TabletScan} and reads each one's live rows. One thread
   * drives the stream.
   */
  private final class SegmentScanStream extends PartsStream {
    private final TabletScan scan;
    private final Function<TabletSnapshot.Segment, List<ColumnRequest>> requests;
    private final ScanFilter filter;
    private final List<ColumnBound> bounds;
    private final ScanCounters counters;
    private SegmentReader reader;

    SegmentScanStream(
        TabletScan scan,
        Function<TabletSnapshot.Segment, List<ColumnRequest>> requests,
        ScanFilter filter,
        ScanCounters counters) {
      this.scan = scan;
      this.requests = requests;
      this.filter = filter;
      this.bounds = filter == null ? List.of() : filter.bounds();
      this.counters = counters;
    }

    @Override
    BatchStream nextPart() {
      while (true) {
        TabletScan.Morsel morsel = scan.take();
        if (morsel == null) {
          return null;
        }
        TabletSnapshot.Segment segment = morsel.segment();
        if (segment.allDeleted()) {
          continue;
        }
        if (reader == null || !reader.path().equals(segment.path())) {
          closeReader();
          // Footers are cached: the scan's streams take a segment's morsels in turn, so each
          // stream opens every segment many times.
          reader = open(segment.path());
        }
        RoaringBitmap deleted = segment.deleted();
        List<ColumnRequest> segmentRequests = requests.apply(segment);
        if (filter == null) {
          // Rows marked deleted are left out as the pages are decoded: the other rows' values are
          // taken from the pages directly instead of decoding the whole batch and copying it.
          return reader.read(
              segmentRequests,
              morsel.firstRow(),
              morsel.rowCount(),
              deleted == null ? null : liveRowsOf(deleted),
              counters,
              pages);
        }
        if (reader.mayMatch(segmentRequests, bounds)) {
          return reader.read(
              segmentRequests,
              morsel.firstRow(),
              morsel.rowCount(),
              withoutDeleted(filter.forSegment(bounds), deleted),
              counters,
              pages);
        }
        if (morsel.firstRow() == 0) {
          counters.segmentSkipped();
        }
      }
    }

    private void closeReader() {
      if (reader != null) {
        reader.close();
        reader = null;
      }
    }

    @Override
    public void close() {
      try {
        super.close();
      } finally {
        closeReader();
      }
    }
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
      return segmentRows().next();
    }

    @Override
    public Batch nextSelected() {
      return segmentRows().nextSelected();
    }

    /** The segment's rows, opened on the first read. */
    private BatchStream segmentRows() {
      if (rows == null) {
        reader = open(segment.path());
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
      return rows;
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
