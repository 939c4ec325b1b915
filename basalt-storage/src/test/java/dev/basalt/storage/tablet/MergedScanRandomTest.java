package dev.basalt.storage.tablet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.storage.fs.InMemoryFileSystem;
import dev.basalt.storage.segment.ColumnRequest;
import dev.basalt.storage.segment.ScanCounters;
import dev.basalt.storage.segment.SegmentColumn;
import dev.basalt.storage.segment.SegmentWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * The tablet layer's merged scan against a simple reference: random overlapping key-sorted segments
 * (rows of one key repeated within and across segments, NULL keys, random delete marks) merged by
 * each model, compared with the rows a {@link TreeMap} folds in version order.
 */
class MergedScanRandomTest {
  private static final long SEED = 20261207L;

  /** k1 INT NULL, k2 VARCHAR keys; then SUM, MIN, MAX (string), REPLACE, REPLACE_IF_NOT_NULL. */
  private static final List<DataType> TYPES =
      List.of(
          DataType.INT,
          DataType.varchar(8),
          DataType.BIGINT,
          DataType.INT,
          DataType.varchar(8),
          DataType.BIGINT,
          DataType.INT);

  private static final List<ValueAggregation> AGGREGATIONS =
      List.of(
          ValueAggregation.KEY,
          ValueAggregation.KEY,
          ValueAggregation.SUM,
          ValueAggregation.MIN,
          ValueAggregation.MAX,
          ValueAggregation.REPLACE,
          ValueAggregation.REPLACE_IF_NOT_NULL);

  private static final Comparator<Object[]> BY_KEY =
      Comparator.comparing(
              (Object[] row) -> (Long) row[0], Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(row -> (String) row[1]);

  @Test
  void aggregateMatchesTheReference() {
    for (int round = 0; round < 12; round++) {
      check(new Random(SEED + round), model(TabletModel.Kind.AGGREGATE, -1, false), round);
    }
  }

  @Test
  void uniqueMatchesTheReference() {
    for (int round = 0; round < 12; round++) {
      Random random = new Random(SEED * 3 + round);
      int sequence = random.nextBoolean() ? 5 : -1;
      check(random, model(TabletModel.Kind.UNIQUE, sequence, random.nextBoolean()), round);
    }
  }

  @Test
  void duplicateKeepsEveryLiveRowInKeyOrder() {
    for (int round = 0; round < 6; round++) {
      check(new Random(SEED * 7 + round), model(TabletModel.Kind.DUPLICATE, -1, false), round);
    }
  }

  @Test
  void anInputOutOfKeyOrderIsReportedAsCorruption() {
    InMemoryFileSystem fileSystem = new InMemoryFileSystem();
    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[] {2L, "a", 1L, 1L, "x", 1L, 1L});
    rows.add(new Object[] {1L, "a", 1L, 1L, "x", 1L, 1L});
    write(fileSystem, "unsorted.seg", rows);
    TabletSnapshot snapshot =
        new TabletSnapshot(
            1,
            List.of(
                new TabletSnapshot.Rowset(
                    2, 2, List.of(new TabletSnapshot.Segment("unsorted.seg", 2, 2, null)))));
    TabletModel model = model(TabletModel.Kind.AGGREGATE, -1, false);
    assertThatThrownBy(() -> readAll(fileSystem, snapshot, model, new int[] {0, 1, 2}))
        .isInstanceOfSatisfying(
            BasaltException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.STORAGE_CORRUPTION))
        .hasMessageContaining("unsorted.seg");
  }

  private static TabletModel model(TabletModel.Kind kind, int sequence, boolean replaceIfNotNull) {
    List<MergeColumn> columns = new ArrayList<>();
    for (int c = 0; c < TYPES.size(); c++) {
      ValueAggregation aggregation =
          kind == TabletModel.Kind.AGGREGATE || c < 2
              ? AGGREGATIONS.get(c)
              : ValueAggregation.REPLACE;
      columns.add(new MergeColumn("c" + c, TYPES.get(c), aggregation));
    }
    return switch (kind) {
      case DUPLICATE -> TabletModel.duplicate(columns);
      case AGGREGATE ->
          TabletModel.aggregate(
              columns,
              type -> {
                throw new AssertionError("no sketch columns here");
              });
      case UNIQUE -> TabletModel.unique(columns, sequence, replaceIfNotNull);
    };
  }

  private void check(Random random, TabletModel model, int round) {
    InMemoryFileSystem fileSystem = new InMemoryFileSystem();
    int segmentCount = 1 + random.nextInt(6);
    int keyRange = 1 + random.nextInt(random.nextBoolean() ? 30 : 3_000);
    List<TabletSnapshot.Segment> segments = new ArrayList<>();
    List<List<Object[]>> segmentRows = new ArrayList<>();
    for (int s = 0; s < segmentCount; s++) {
      int count = random.nextInt(random.nextBoolean() ? 50 : 9_000);
      List<Object[]> rows = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        rows.add(randomRow(random, keyRange));
      }
      rows.sort(BY_KEY); // stable: equal keys keep their arrival order
      String path = "s" + s + ".seg";
      if (count > 0) {
        write(fileSystem, path, rows);
      }
      RoaringBitmap deleted = null;
      if (count > 0 && random.nextInt(3) == 0) {
        deleted = new RoaringBitmap();
        for (int i = 0; i < count; i++) {
          if (random.nextInt(4) == 0) {
            deleted.add(i);
          }
        }
      }
      segments.add(new TabletSnapshot.Segment(path, count, s + 2, deleted));
      segmentRows.add(rows);
    }
    List<TabletSnapshot.Rowset> rowsets = new ArrayList<>();
    for (TabletSnapshot.Segment segment : segments) {
      rowsets.add(
          new TabletSnapshot.Rowset(segment.version(), segment.version(), List.of(segment)));
    }
    TabletSnapshot snapshot = new TabletSnapshot(7, rowsets);
    List<Object[]> expected = reference(model, segments, segmentRows);
    String context = "seed " + SEED + ", round " + round + ", model " + model.kind();

    int[] all = {0, 1, 2, 3, 4, 5, 6};
    assertRows(readAll(fileSystem, snapshot, model, all), expected, context);

    // A projection: the merge reads the keys (and sequence column) and one value column.
    int value = 2 + random.nextInt(5);
    int[] mergeColumns = model.mergeColumns();
    int[] read = Arrays.copyOf(mergeColumns, mergeColumns.length + 1);
    read[mergeColumns.length] = value;
    List<Object[]> projected = new ArrayList<>();
    for (Object[] row : expected) {
      projected.add(new Object[] {row[value]});
    }
    List<Object[]> actual = readProjected(fileSystem, snapshot, model, read, read.length - 1);
    assertRows(actual, projected, context + ", column " + value);
  }

  private static Object[] randomRow(Random random, int keyRange) {
    Long k1 = random.nextInt(20) == 0 ? null : (long) random.nextInt(Math.max(1, keyRange / 3));
    String k2 = "k" + random.nextInt(3);
    return new Object[] {
      k1,
      k2,
      random.nextInt(5) == 0 ? null : (long) random.nextInt(1_000) - 300,
      random.nextInt(5) == 0 ? null : (long) random.nextInt(1_000) - 300,
      random.nextInt(5) == 0 ? null : "v" + random.nextInt(50),
      random.nextInt(5) == 0 ? null : (long) random.nextInt(20),
      random.nextInt(3) == 0 ? null : (long) random.nextInt(1_000)
    };
  }

  /** The model's merge, row by row, in version order, into a map sorted like segments are. */
  private static List<Object[]> reference(
      TabletModel model, List<TabletSnapshot.Segment> segments, List<List<Object[]>> rows) {
    if (model.kind() == TabletModel.Kind.DUPLICATE) {
      List<Object[]> live = new ArrayList<>();
      for (int s = 0; s < segments.size(); s++) {
        live.addAll(liveRows(segments.get(s), rows.get(s)));
      }
      live.sort(BY_KEY); // stable: older segments first among equal keys
      return live;
    }
    TreeMap<Object[], Object[]> merged = new TreeMap<>(BY_KEY);
    int sequence = model.mergeColumns().length > 2 ? model.mergeColumns()[2] : -1;
    for (int s = 0; s < segments.size(); s++) {
      for (Object[] row : liveRows(segments.get(s), rows.get(s))) {
        Object[] older = merged.get(row);
        merged.put(row, older == null ? row.clone() : combine(model, sequence, older, row));
      }
    }
    return new ArrayList<>(merged.values());
  }

  private static List<Object[]> liveRows(TabletSnapshot.Segment segment, List<Object[]> rows) {
    List<Object[]> live = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (segment.deleted() == null || !segment.deleted().contains(i)) {
        live.add(rows.get(i));
      }
    }
    return live;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object[] combine(TabletModel model, int sequence, Object[] older, Object[] newer) {
    if (model.kind() == TabletModel.Kind.UNIQUE) {
      if (sequence >= 0) {
        Long olderSequence = (Long) older[sequence];
        Long newerSequence = (Long) newer[sequence];
        boolean wins =
            olderSequence == null || (newerSequence != null && newerSequence >= olderSequence);
        if (!wins) {
          return older;
        }
      }
      boolean replaceIfNotNull = model.columns().size() > 0 && replaceIfNotNull(model);
      Object[] result = newer.clone();
      if (replaceIfNotNull) {
        for (int c = 0; c < result.length; c++) {
          if (result[c] == null) {
            result[c] = older[c];
          }
        }
      }
      return result;
    }
    Object[] result = older.clone();
    for (int c = 2; c < result.length; c++) {
      Object a = older[c];
      Object b = newer[c];
      result[c] =
          switch (AGGREGATIONS.get(c)) {
            case SUM -> a == null ? b : b == null ? a : (Long) a + (Long) b;
            case MIN -> a == null ? b : b == null ? a : ((Comparable) a).compareTo(b) <= 0 ? a : b;
            case MAX -> a == null ? b : b == null ? a : ((Comparable) a).compareTo(b) >= 0 ? a : b;
            case REPLACE -> b;
            case REPLACE_IF_NOT_NULL -> b == null ? a : b;
            default -> a;
          };
    }
    return result;
  }

  /** Whether the unique model keeps older values for NULLs (probed through its merge function). */
  private static boolean replaceIfNotNull(TabletModel model) {
    ColumnVectorBuilder[] older = builders();
    ColumnVectorBuilder[] newer = builders();
    Object[] base = {1L, "a", 1L, 1L, "x", 1L, 1L};
    Object[] withNull = {1L, "a", null, 1L, "x", 1L, 1L};
    for (int c = 0; c < TYPES.size(); c++) {
      older[c].appendObject(base[c]);
      newer[c].appendObject(withNull[c]);
    }
    MergeFunction function = model.newMergeFunction();
    function.reset(build(older), 0);
    function.add(build(newer), 0);
    ColumnVectorBuilder[] output = builders();
    function.emit(output);
    return !output[2].build().isNull(0);
  }

  private static ColumnVectorBuilder[] builders() {
    ColumnVectorBuilder[] builders = new ColumnVectorBuilder[TYPES.size()];
    for (int c = 0; c < builders.length; c++) {
      builders[c] = new ColumnVectorBuilder(TYPES.get(c), 4);
    }
    return builders;
  }

  private static Batch build(ColumnVectorBuilder[] builders) {
    List<ColumnVector> vectors = new ArrayList<>();
    int rows = builders[0].size();
    for (ColumnVectorBuilder builder : builders) {
      vectors.add(builder.build());
    }
    return new Batch(vectors, rows);
  }

  private static void write(InMemoryFileSystem fileSystem, String path, List<Object[]> rows) {
    List<SegmentColumn> schema = new ArrayList<>();
    for (int c = 0; c < TYPES.size(); c++) {
      schema.add(new SegmentColumn(c, TYPES.get(c), c != 1));
    }
    SegmentWriter writer = new SegmentWriter(fileSystem, path, schema);
    try {
      for (int start = 0; start < rows.size(); start += 1_000) {
        ColumnVectorBuilder[] builders = builders();
        int end = Math.min(rows.size(), start + 1_000);
        for (int r = start; r < end; r++) {
          for (int c = 0; c < builders.length; c++) {
            builders[c].appendObject(rows.get(r)[c]);
          }
        }
        writer.append(build(builders));
      }
      writer.finish();
    } finally {
      writer.close();
    }
  }

  private static List<Object[]> readAll(
      InMemoryFileSystem fileSystem, TabletSnapshot snapshot, TabletModel model, int[] columns) {
    return readProjected(fileSystem, snapshot, model, columns, -1);
  }

  /** Reads {@code read} columns merged; all of them, or only the one at {@code only}. */
  private static List<Object[]> readProjected(
      InMemoryFileSystem fileSystem,
      TabletSnapshot snapshot,
      TabletModel model,
      int[] read,
      int only) {
    TabletModel selected = model.select(read);
    int[] output = only < 0 ? identity(read.length) : new int[] {only};
    List<Object[]> rows = new ArrayList<>();
    try (BatchStream stream =
        new TabletReader(fileSystem, null, null)
            .mergedScan(
                snapshot,
                selected,
                segment -> {
                  List<ColumnRequest> requests = new ArrayList<>();
                  for (int column : read) {
                    requests.add(ColumnRequest.withDefault(column, TYPES.get(column), null));
                  }
                  return requests;
                },
                List.of(),
                output,
                new ScanCounters())) {
      for (Batch batch = stream.next(); batch != null; batch = stream.next()) {
        assertThat(batch.rowCount()).isLessThanOrEqualTo(Batch.DEFAULT_SIZE);
        for (int r = 0; r < batch.rowCount(); r++) {
          Object[] row = new Object[batch.columnCount()];
          for (int c = 0; c < row.length; c++) {
            row[c] = batch.column(c).getObject(r);
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  private static int[] identity(int count) {
    int[] positions = new int[count];
    for (int i = 0; i < count; i++) {
      positions[i] = i;
    }
    return positions;
  }

  private static void assertRows(List<Object[]> actual, List<Object[]> expected, String context) {
    assertThat(actual.size()).as(context + ": row count").isEqualTo(expected.size());
    for (int i = 0; i < actual.size(); i++) {
      Object[] a = actual.get(i);
      Object[] e = expected.get(i);
      for (int c = 0; c < e.length; c++) {
        assertThat(normalize(a[c]))
            .as(context + ": row " + i + " " + Arrays.toString(e) + " column " + c)
            .isEqualTo(normalize(e[c]));
      }
    }
  }

  private static Object normalize(Object value) {
    return value instanceof Number number ? (Object) number.longValue() : Objects.toString(value);
  }
}
