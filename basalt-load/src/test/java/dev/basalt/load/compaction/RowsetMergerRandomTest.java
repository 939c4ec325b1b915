package dev.basalt.load.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.load.TabletModels;
import dev.basalt.meta.catalog.AggregationType;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.DefaultValue;
import dev.basalt.meta.catalog.Distribution;
import dev.basalt.meta.catalog.DistributionKind;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.UniqueKeyOptions;
import dev.basalt.storage.fs.InMemoryFileSystem;
import dev.basalt.storage.segment.ColumnRequest;
import dev.basalt.storage.segment.ScanCounters;
import dev.basalt.storage.segment.SegmentColumn;
import dev.basalt.storage.segment.SegmentReader;
import dev.basalt.storage.segment.SegmentWriter;
import dev.basalt.storage.tablet.TabletReader;
import dev.basalt.storage.tablet.TabletSnapshot;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * Compaction and reads agree through the tablet layer's one merge loop: random key-sorted segments
 * of each table model (keys with NULLs, negative numbers, LARGEINTs beyond 64 bits and strings;
 * rows of one key within and across segments; random delete marks; an oldest segment without a
 * column added later) are merged by {@link RowsetMerger}, and the output read back must equal the
 * merged scan of the inputs without compaction. Every input row's row-map entry must point at an
 * output row of its key (its very values for DUPLICATE KEY, one output row per input row), -1 for
 * deleted rows, and every output row must come from some input row.
 */
class RowsetMergerRandomTest {
  private static final long SEED = 20261207L;
  private static final long ADDED_COLUMN_DEFAULT = 7L;

  private enum Model {
    DUPLICATE,
    AGGREGATE,
    UNIQUE_MERGE_ON_READ,
    UNIQUE_SEQUENCE,
    UNIQUE_MERGE_ON_WRITE
  }

  /** k1 INT NULL, k2 VARCHAR, k3 LARGEINT NULL keys; v1 BIGINT, v2 VARCHAR, v3 BIGINT, v4 INT. */
  private static final List<DataType> TYPES =
      List.of(
          DataType.INT,
          DataType.varchar(8),
          DataType.LARGEINT,
          DataType.BIGINT,
          DataType.varchar(8),
          DataType.BIGINT,
          DataType.INT);

  private static final int KEYS = 3;

  @SuppressWarnings("unchecked")
  private static final Comparator<Object[]> BY_KEY =
      Comparator.comparing(
              (Object[] row) -> (Long) row[0], Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(row -> (String) row[1])
          .thenComparing(
              row -> (BigInteger) row[2], Comparator.nullsFirst(Comparator.naturalOrder()));

  @Test
  void duplicateCompactionMatchesTheMergedScan() {
    rounds(Model.DUPLICATE, 10);
  }

  @Test
  void aggregateCompactionMatchesTheMergedScan() {
    rounds(Model.AGGREGATE, 10);
  }

  @Test
  void uniqueMergeOnReadCompactionMatchesTheMergedScan() {
    rounds(Model.UNIQUE_MERGE_ON_READ, 8);
    rounds(Model.UNIQUE_SEQUENCE, 8);
  }

  @Test
  void uniqueMergeOnWriteCompactionMatchesTheMergedScan() {
    rounds(Model.UNIQUE_MERGE_ON_WRITE, 10);
  }

  private void rounds(Model model, int count) {
    for (int round = 0; round < count; round++) {
      check(new Random(SEED * 31 + model.ordinal() * 1_000 + round), model, round);
    }
  }

  private void check(Random random, Model model, int round) {
    String context = "seed " + SEED + ", model " + model + ", round " + round;
    TableMeta table = table(model);
    InMemoryFileSystem fileSystem = new InMemoryFileSystem();
    int segmentCount = 1 + random.nextInt(6);
    // Disjoint key ranges in load order (whole runs copied) or overlapping ones.
    boolean ascending = random.nextBoolean();
    int keyRange = 1 + random.nextInt(random.nextBoolean() ? 40 : 4_000);
    boolean oldestLacksAddedColumn = random.nextBoolean();
    List<List<Object[]>> segmentRows = new ArrayList<>();
    for (int s = 0; s < segmentCount; s++) {
      int rows = random.nextInt(random.nextBoolean() ? 60 : 9_000);
      List<Object[]> segment = new ArrayList<>();
      for (int i = 0; i < rows; i++) {
        Object[] row = randomRow(random, keyRange);
        if (ascending && row[0] != null) {
          row[0] = (Long) row[0] + (long) s * keyRange;
        }
        if (oldestLacksAddedColumn && s == 0) {
          row[6] = ADDED_COLUMN_DEFAULT;
        }
        segment.add(row);
      }
      segment.sort(BY_KEY); // stable: equal keys keep their arrival order
      segmentRows.add(segment);
    }
    List<RoaringBitmap> deleted = deletes(random, model, segmentRows);
    List<SegmentFile> inputs = new ArrayList<>();
    List<TabletSnapshot.Segment> snapshotSegments = new ArrayList<>();
    Map<String, RoaringBitmap> deletedByPath = new HashMap<>();
    for (int s = 0; s < segmentCount; s++) {
      String path = "in" + s + ".bsg";
      boolean withoutAddedColumn = oldestLacksAddedColumn && s == 0;
      write(fileSystem, path, segmentRows.get(s), withoutAddedColumn ? 6 : 7);
      inputs.add(new SegmentFile(path, segmentRows.get(s).size(), 0));
      snapshotSegments.add(
          new TabletSnapshot.Segment(path, segmentRows.get(s).size(), s + 2, deleted.get(s)));
      if (deleted.get(s) != null) {
        deletedByPath.put(path, deleted.get(s));
      }
    }
    List<Object[]> expected = mergedScan(fileSystem, table, snapshotSegments);

    RowsetMerger.Output output =
        new RowsetMerger(fileSystem, table, RowsetMergerRandomTest::defaultOf)
            .merge(inputs, deletedByPath, "out.bsg", true);

    List<Object[]> compacted = new ArrayList<>();
    if (output.segment() == null) {
      assertThat(expected).as(context + ": no output, so no live row").isEmpty();
    } else {
      assertThat(output.segment().rowCount()).as(context).isEqualTo(expected.size());
      compacted = readSegment(fileSystem, "out.bsg");
      try (SegmentReader reader = SegmentReader.open(fileSystem, "out.bsg")) {
        assertThat(reader.hasPrimaryKeyIndex())
            .as(context + ": primary-key index")
            .isEqualTo(table.mergeOnWrite());
      }
      List<Object[]> rescanned =
          mergedScan(
              fileSystem,
              table,
              List.of(new TabletSnapshot.Segment("out.bsg", compacted.size(), 99, null)));
      assertRows(rescanned, expected, context + ": merged scan of the output");
    }
    assertRows(compacted, expected, context + ": output rows");
    checkRowMaps(model, segmentRows, deleted, output, compacted, context);
  }

  /** Random delete marks; for merge-on-write, also every row a newer row of its key replaced. */
  private static List<RoaringBitmap> deletes(
      Random random, Model model, List<List<Object[]>> segmentRows) {
    List<RoaringBitmap> deleted = new ArrayList<>();
    for (List<Object[]> rows : segmentRows) {
      RoaringBitmap marks = new RoaringBitmap();
      if (random.nextInt(3) == 0) {
        for (int i = 0; i < rows.size(); i++) {
          if (random.nextInt(4) == 0) {
            marks.add(i);
          }
        }
      }
      deleted.add(marks);
    }
    if (model == Model.UNIQUE_MERGE_ON_WRITE) {
      // A merge-on-write tablet's live rows hold each key once: the newest row wins.
      Map<List<Object>, int[]> newest = new HashMap<>();
      for (int s = 0; s < segmentRows.size(); s++) {
        for (int i = 0; i < segmentRows.get(s).size(); i++) {
          int[] previous =
              newest.put(
                  Arrays.asList(segmentRows.get(s).get(i)).subList(0, KEYS), new int[] {s, i});
          if (previous != null) {
            deleted.get(previous[0]).add(previous[1]);
          }
        }
      }
    }
    List<RoaringBitmap> result = new ArrayList<>();
    for (RoaringBitmap marks : deleted) {
      result.add(marks.isEmpty() && random.nextBoolean() ? null : marks);
    }
    return result;
  }

  private static void checkRowMaps(
      Model model,
      List<List<Object[]>> segmentRows,
      List<RoaringBitmap> deleted,
      RowsetMerger.Output output,
      List<Object[]> compacted,
      String context) {
    int[] hits = new int[compacted.size()];
    for (int s = 0; s < segmentRows.size(); s++) {
      int[] rowMap = output.rowMaps().get("in" + s + ".bsg");
      List<Object[]> rows = segmentRows.get(s);
      assertThat(rowMap).as(context).hasSize(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        String where = context + ": segment " + s + " row " + i;
        if (deleted.get(s) != null && deleted.get(s).contains(i)) {
          assertThat(rowMap[i]).as(where + " (deleted)").isEqualTo(-1);
          continue;
        }
        assertThat(rowMap[i]).as(where).isBetween(0, compacted.size() - 1);
        Object[] target = compacted.get(rowMap[i]);
        int columns = model == Model.DUPLICATE ? TYPES.size() : KEYS;
        for (int c = 0; c < columns; c++) {
          assertThat(Objects.toString(target[c]))
              .as(where + " column " + c)
              .isEqualTo(Objects.toString(rows.get(i)[c]));
        }
        hits[rowMap[i]]++;
      }
    }
    for (int row = 0; row < hits.length; row++) {
      assertThat(hits[row]).as(context + ": input rows of output row " + row).isPositive();
      if (model == Model.DUPLICATE) {
        assertThat(hits[row]).as(context + ": input rows of output row " + row).isEqualTo(1);
      }
    }
  }

  private static TableMeta table(Model model) {
    boolean aggregate = model == Model.AGGREGATE;
    String[] names = {"k1", "k2", "k3", "v1", "v2", "v3", "v4"};
    AggregationType[] aggregations = {
      AggregationType.NONE,
      AggregationType.NONE,
      AggregationType.NONE,
      AggregationType.SUM,
      AggregationType.MAX,
      AggregationType.REPLACE_IF_NOT_NULL,
      AggregationType.MIN
    };
    List<ColumnMeta> columns = new ArrayList<>();
    for (int c = 0; c < names.length; c++) {
      columns.add(
          new ColumnMeta(
              c,
              names[c],
              TYPES.get(c),
              c != 1,
              c < KEYS,
              aggregate ? aggregations[c] : AggregationType.NONE,
              DefaultValue.NONE,
              "",
              false));
    }
    KeysType keysType =
        switch (model) {
          case DUPLICATE -> KeysType.DUP_KEYS;
          case AGGREGATE -> KeysType.AGG_KEYS;
          default -> KeysType.UNIQUE_KEYS;
        };
    Map<String, String> properties = new HashMap<>();
    if (model == Model.UNIQUE_SEQUENCE) {
      properties.put(UniqueKeyOptions.SEQUENCE_COLUMN, "v3");
    }
    return new TableMeta(
        1,
        1,
        "t",
        keysType,
        List.of("k1", "k2", "k3"),
        columns,
        null,
        List.of(),
        new Distribution(DistributionKind.HASH, List.of("k1"), 1, false),
        properties,
        "",
        0,
        1,
        names.length,
        model == Model.UNIQUE_MERGE_ON_WRITE,
        List.of());
  }

  private static Object defaultOf(ColumnMeta column) {
    return column.name().equals("v4") ? ADDED_COLUMN_DEFAULT : null;
  }

  private static Object[] randomRow(Random random, int keyRange) {
    Long k1 = random.nextInt(25) == 0 ? null : (long) random.nextInt(keyRange) - keyRange / 3;
    String k2 = random.nextBoolean() ? "a" : "b" + random.nextInt(2);
    BigInteger k3 =
        random.nextInt(10) == 0
            ? null
            : BigInteger.ONE
                .shiftLeft(64)
                .multiply(BigInteger.valueOf(random.nextInt(3) - 1))
                .add(BigInteger.valueOf(random.nextInt(2)));
    return new Object[] {
      k1,
      k2,
      k3,
      random.nextInt(5) == 0 ? null : (long) random.nextInt(1_000) - 300,
      random.nextInt(5) == 0 ? null : "v" + random.nextInt(50),
      random.nextInt(4) == 0 ? null : (long) random.nextInt(20),
      random.nextInt(5) == 0 ? null : (long) random.nextInt(1_000) - 300
    };
  }

  /** Writes {@code rows}' first {@code columns} columns (a segment of an older schema). */
  private static void write(
      InMemoryFileSystem fileSystem, String path, List<Object[]> rows, int columns) {
    List<SegmentColumn> schema = new ArrayList<>();
    for (int c = 0; c < columns; c++) {
      schema.add(new SegmentColumn(c, TYPES.get(c), c != 1));
    }
    SegmentWriter writer = new SegmentWriter(fileSystem, path, schema);
    try {
      for (int start = 0; start < rows.size(); start += 1_000) {
        int end = Math.min(rows.size(), start + 1_000);
        List<ColumnVector> vectors = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
          ColumnVectorBuilder builder = new ColumnVectorBuilder(TYPES.get(c), end - start);
          for (int r = start; r < end; r++) {
            builder.appendObject(rows.get(r)[c]);
          }
          vectors.add(builder.build());
        }
        writer.append(new Batch(vectors, end - start));
      }
      writer.finish();
    } finally {
      writer.close();
    }
  }

  private static List<ColumnRequest> requests() {
    List<ColumnRequest> requests = new ArrayList<>();
    for (int c = 0; c < TYPES.size(); c++) {
      requests.add(
          ColumnRequest.withDefault(c, TYPES.get(c), c == 6 ? ADDED_COLUMN_DEFAULT : null));
    }
    return requests;
  }

  /** The rows a read of {@code segments} merges without compaction. */
  private static List<Object[]> mergedScan(
      InMemoryFileSystem fileSystem, TableMeta table, List<TabletSnapshot.Segment> segments) {
    int[] all = {0, 1, 2, 3, 4, 5, 6};
    try (BatchStream stream =
        new TabletReader(fileSystem, null, null)
            .mergedScan(
                new TabletSnapshot(
                    1,
                    segments.stream()
                        .map(
                            segment ->
                                new TabletSnapshot.Rowset(
                                    segment.version(), segment.version(), List.of(segment)))
                        .toList()),
                TabletModels.of(table),
                segment -> requests(),
                List.of(),
                all,
                new ScanCounters())) {
      return drain(stream);
    }
  }

  private static List<Object[]> readSegment(InMemoryFileSystem fileSystem, String path) {
    try (SegmentReader reader = SegmentReader.open(fileSystem, path);
        BatchStream stream = reader.read(requests(), 0, reader.rowCount())) {
      return drain(stream);
    }
  }

  private static List<Object[]> drain(BatchStream stream) {
    List<Object[]> rows = new ArrayList<>();
    for (Batch batch = stream.next(); batch != null; batch = stream.next()) {
      for (int r = 0; r < batch.rowCount(); r++) {
        Object[] row = new Object[batch.columnCount()];
        for (int c = 0; c < row.length; c++) {
          row[c] = batch.column(c).getObject(r);
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static void assertRows(List<Object[]> actual, List<Object[]> expected, String context) {
    assertThat(actual.size()).as(context + ": row count").isEqualTo(expected.size());
    for (int i = 0; i < actual.size(); i++) {
      for (int c = 0; c < TYPES.size(); c++) {
        assertThat(Objects.toString(actual.get(i)[c]))
            .as(context + ": row " + i + " " + Arrays.toString(expected.get(i)) + " column " + c)
            .isEqualTo(Objects.toString(expected.get(i)[c]));
      }
    }
  }
}
