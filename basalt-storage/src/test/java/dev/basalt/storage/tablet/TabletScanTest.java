package dev.basalt.storage.tablet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.storage.fs.InMemoryFileSystem;
import dev.basalt.storage.segment.ColumnBound;
import dev.basalt.storage.segment.ColumnRequest;
import dev.basalt.storage.segment.ScanCounters;
import dev.basalt.storage.segment.SegmentColumn;
import dev.basalt.storage.segment.SegmentFilter;
import dev.basalt.storage.segment.SegmentFooterCache;
import dev.basalt.storage.segment.SegmentWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * The tablet layer's streaming scan ({@link TabletReader#segmentScan} over a {@link TabletScan}):
 * every live row once, whether one stream reads whole segments or several share morsels; rows
 * marked deleted left out, with and without a caller's filter; segments the filter's zone-map
 * bounds rule out skipped.
 */
class TabletScanTest {
  private static final List<DataType> TYPES = List.of(DataType.BIGINT, DataType.BIGINT);

  /** Rowset versions 2, 3 and 4: keys 0..k-1 of each segment, value = key * 10 + version. */
  private final InMemoryFileSystem fileSystem = new InMemoryFileSystem();

  private final int[] sizes = {150_000, 5_000, 3};
  private final List<TabletSnapshot> tablets = new ArrayList<>();

  TabletScanTest() {
    RoaringBitmap firstDeleted = new RoaringBitmap();
    firstDeleted.add(0L, 1_000L);
    firstDeleted.add(70_000L, 70_010L);
    firstDeleted.add(149_999);
    RoaringBitmap allOfSecond = new RoaringBitmap();
    allOfSecond.add(0L, 5_000L);
    RoaringBitmap[] deleted = {firstDeleted, null, RoaringBitmap.bitmapOf(1)};
    List<TabletSnapshot.Rowset> first = new ArrayList<>();
    for (int s = 0; s < sizes.length; s++) {
      int version = s + 2;
      String path = "s" + s + ".seg";
      write(path, sizes[s], version, null);
      first.add(
          new TabletSnapshot.Rowset(
              version,
              version,
              List.of(new TabletSnapshot.Segment(path, sizes[s], version, deleted[s]))));
    }
    tablets.add(new TabletSnapshot(1, first));
    // A second tablet: one segment whose rows are all marked deleted, one empty tablet.
    write("t2.seg", 5_000, 7, null);
    tablets.add(
        new TabletSnapshot(
            2,
            List.of(
                new TabletSnapshot.Rowset(
                    5, 7, List.of(new TabletSnapshot.Segment("t2.seg", 5_000, 7, allOfSecond))))));
    tablets.add(new TabletSnapshot(3, List.of()));
  }

  @Test
  void oneStreamReadsEveryLiveRowOfWholeSegments() {
    TabletScan scan = TabletScan.wholeSegments(tablets);
    assertThat(scan.rowCount()).isEqualTo(150_000 + 5_000 + 3 + 5_000);
    Map<String, Long> rows = read(List.of(stream(scan, null, new ScanCounters())));
    assertThat(rows).isEqualTo(expected(row -> true));
  }

  @Test
  void parallelStreamsShareMorselsAndReadEachLiveRowOnce() {
    TabletScan scan = TabletScan.inMorsels(tablets);
    ScanCounters counters = new ScanCounters();
    List<BatchStream> streams = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      streams.add(stream(scan, null, counters));
    }
    // The streams take turns: each takes a new morsel when it has read its last one.
    Map<String, Long> rows = read(streams);
    assertThat(rows).isEqualTo(expected(row -> true));
    assertThat(counters.rowsReturned()).isEqualTo(rows.size());
  }

  @Test
  void aFilterKeepsItsRowsWithoutDeletedOnesAndSkipsSegmentsItsBoundsRuleOut() {
    ScanFilter evenKeysFrom = evenKeysFrom(4_000);
    ScanCounters counters = new ScanCounters();
    Map<String, Long> rows =
        read(List.of(stream(TabletScan.inMorsels(tablets), evenKeysFrom, counters)));
    assertThat(rows).isEqualTo(expected(row -> row >= 4_000 && row % 2 == 0));
    // The segment of 3 rows (keys 0..2) is ruled out by its zone map.
    assertThat(counters.segmentsSkipped()).isEqualTo(1);
  }

  @Test
  void theVersionColumnIsComputedPerSegment() {
    Function<TabletSnapshot.Segment, List<ColumnRequest>> withVersion =
        segment ->
            List.of(
                ColumnRequest.withDefault(0, DataType.BIGINT, null),
                ColumnRequest.withDefault(99, DataType.BIGINT, segment.version()));
    TreeMap<Long, Long> versionCount = new TreeMap<>();
    try (BatchStream stream =
        reader()
            .segmentScan(
                TabletScan.wholeSegments(tablets), withVersion, null, new ScanCounters())) {
      for (Batch batch = stream.next(); batch != null; batch = stream.next()) {
        for (int r = 0; r < batch.rowCount(); r++) {
          versionCount.merge((Long) batch.column(1).getObject(r), 1L, Long::sum);
        }
      }
    }
    assertThat(versionCount).isEqualTo(Map.of(2L, 150_000L - 1_011, 3L, 5_000L, 4L, 2L));
  }

  /** Keys of at least {@code from} that are even: a bound and a selector over column 0. */
  private static ScanFilter evenKeysFrom(long from) {
    return new ScanFilter() {
      @Override
      public List<ColumnBound> bounds() {
        return List.of(new ColumnBound(0, ColumnBound.Comparison.GREATER_OR_EQUAL, from));
      }

      @Override
      public SegmentFilter forSegment(List<ColumnBound> bounds) {
        return new SegmentFilter(
            new int[] {0},
            bounds,
            (columns, firstRow, selected) -> {
              int kept = 0;
              for (int r = 0; r < columns.rowCount(); r++) {
                long key = (Long) columns.column(0).getObject(r);
                if (key >= from && key % 2 == 0) {
                  selected[kept++] = r;
                }
              }
              return kept;
            });
      }
    };
  }

  private BatchStream stream(TabletScan scan, ScanFilter filter, ScanCounters counters) {
    List<ColumnRequest> requests =
        List.of(
            ColumnRequest.withDefault(0, DataType.BIGINT, null),
            ColumnRequest.withDefault(1, DataType.BIGINT, null));
    return reader().segmentScan(scan, segment -> requests, filter, counters);
  }

  private TabletReader reader() {
    return new TabletReader(fileSystem, new SegmentFooterCache(1 << 20), null);
  }

  /** Reads the streams a batch at a time in turn; each row as "version:key" to its value. */
  private static Map<String, Long> read(List<BatchStream> streams) {
    Map<String, Long> rows = new TreeMap<>();
    List<BatchStream> open = new ArrayList<>(streams);
    try {
      while (!open.isEmpty()) {
        for (int s = 0; s < open.size(); s++) {
          Batch batch = open.get(s).next();
          if (batch == null) {
            open.remove(s--).close();
            continue;
          }
          for (int r = 0; r < batch.rowCount(); r++) {
            long key = (Long) batch.column(0).getObject(r);
            long value = (Long) batch.column(1).getObject(r);
            Long previous = rows.put(value % 10 + ":" + key, value);
            assertThat(previous).as("row read twice: key %d value %d", key, value).isNull();
          }
        }
      }
    } finally {
      open.forEach(BatchStream::close);
    }
    return rows;
  }

  /** The live rows of the tablets whose key {@code keep} accepts, as {@link #read} answers. */
  private Map<String, Long> expected(java.util.function.LongPredicate keep) {
    Map<String, Long> rows = new TreeMap<>();
    for (TabletSnapshot tablet : tablets) {
      for (TabletSnapshot.Segment segment : tablet.segments()) {
        for (long key = 0; key < segment.rowCount(); key++) {
          boolean deleted = segment.deleted() != null && segment.deleted().contains((int) key);
          if (!deleted && keep.test(key)) {
            rows.put(segment.version() + ":" + key, key * 10 + segment.version());
          }
        }
      }
    }
    return rows;
  }

  /** A segment of keys {@code 0..rows-1} (value = key * 10 + version), sorted by key. */
  private void write(String path, int rows, int version, int[] primaryKey) {
    List<SegmentColumn> schema =
        List.of(
            new SegmentColumn(0, TYPES.get(0), false), new SegmentColumn(1, TYPES.get(1), true));
    try (SegmentWriter writer =
        new SegmentWriter(
            fileSystem,
            path,
            schema,
            dev.basalt.storage.segment.SegmentWriterOptions.DEFAULT,
            primaryKey)) {
      for (int start = 0; start < rows; start += Batch.DEFAULT_SIZE) {
        int count = Math.min(Batch.DEFAULT_SIZE, rows - start);
        ColumnVectorBuilder keys = new ColumnVectorBuilder(DataType.BIGINT, count);
        ColumnVectorBuilder values = new ColumnVectorBuilder(DataType.BIGINT, count);
        for (int r = start; r < start + count; r++) {
          keys.appendLong(r);
          values.appendLong(r * 10L + version);
        }
        writer.append(new Batch(List.of(keys.build(), values.build()), count));
      }
      writer.finish();
    }
  }
}
