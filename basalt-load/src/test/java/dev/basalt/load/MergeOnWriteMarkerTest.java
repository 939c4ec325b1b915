package dev.basalt.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.Distribution;
import dev.basalt.meta.catalog.DistributionKind;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.Partitioning;
import dev.basalt.meta.catalog.RowsetMeta;
import dev.basalt.meta.catalog.SegmentDeletes;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.TableSnapshot;
import dev.basalt.meta.catalog.TwoPhaseLoad;
import dev.basalt.meta.store.JdbcMetaStore;
import dev.basalt.storage.fs.InMemoryFileSystem;
import dev.basalt.storage.segment.SegmentReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The merge-on-write lookups made before the commit lock against a snapshot that later commits made
 * stale: the commit must still leave exactly one live row per key, the newest.
 */
class MergeOnWriteMarkerTest {
  @TempDir Path directory;
  private JdbcMetaStore store;
  private Catalog catalog;
  private final InMemoryFileSystem files = new InMemoryFileSystem();
  private TableMeta table;

  @BeforeEach
  void createUniqueTable() {
    store = JdbcMetaStore.openSqlite(directory.resolve("catalog.db"));
    catalog = Catalog.open(store);
    catalog.createDatabase("db", false);
    table =
        catalog.createTable(
            "db",
            TableMeta.definition(
                "t",
                KeysType.UNIQUE_KEYS,
                List.of("k"),
                List.of(
                    ColumnMeta.of("k", DataType.INT).withKey(true),
                    ColumnMeta.of("v", DataType.STRING)),
                Partitioning.NONE,
                List.of(),
                new Distribution(DistributionKind.HASH, List.of("k"), 2, false),
                Map.of("enable_unique_key_merge_on_write", "true"),
                ""),
            false);
    assertThat(table.mergeOnWrite()).isTrue();
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void commitsBetweenTheLookupsAndTheCommitAreReChecked() {
    TableWriter writer = new TableWriter(catalog, files);
    writer.write(table, List.of(rows("first", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)), "first");
    // The late load's segments, written but not visible (a pre-commit keeps them).
    TwoPhaseLoad late;
    try (LoadTransaction load = writer.begin(table, "late_files")) {
      load.append(rows("late", 3, 5, 20, 30));
      late = load.precommit(Long.MAX_VALUE);
    }
    TableSnapshot stale = catalog.snapshot(table.id());
    // Committed after the late load's lookups: it replaces 3 and adds 20, a key the snapshot
    // lacks; the late load must replace both rows it wrote.
    writer.write(table, List.of(rows("between", 3, 20)), "between");
    MergeOnWriteMarker marker =
        new MergeOnWriteMarker(
            files, late.segments(), Map.of(), catalog.tableById(table.id()).get());
    marker.prepare(stale);
    catalog.commitLoad(table.id(), "late", late.segments(), late.rowCount(), marker);

    Map<Long, String> live = liveRows();
    assertThat(live.keySet()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 20L, 30L);
    assertThat(live)
        .containsEntry(3L, "late")
        .containsEntry(5L, "late")
        .containsEntry(20L, "late")
        .containsEntry(30L, "late")
        .containsEntry(1L, "first");
  }

  @Test
  void aSnapshotOlderThanEveryRowStillSeesEveryCommittedRow() {
    TableWriter writer = new TableWriter(catalog, files);
    writer.write(table, List.of(rows("first", 1, 2, 3)), "first");
    TwoPhaseLoad late;
    try (LoadTransaction load = writer.begin(table, "late_files")) {
      load.append(rows("late", 2, 3, 4));
      late = load.precommit(Long.MAX_VALUE);
    }
    // A snapshot as of before the table had any rows: every visible segment is re-checked.
    MergeOnWriteMarker marker =
        new MergeOnWriteMarker(
            files, late.segments(), Map.of(), catalog.tableById(table.id()).get());
    TableSnapshot empty =
        new TableSnapshot(
            table,
            catalog.snapshot(table.id()).partitions().stream()
                .map(
                    p ->
                        new TableSnapshot.PartitionSnapshot(
                            p.partition(), p.visibleVersion(), emptyRowsets(p.rowsets()), Map.of()))
                .toList());
    writer.write(table, List.of(rows("between", 1)), "between");
    marker.prepare(empty);
    catalog.commitLoad(table.id(), "late", late.segments(), late.rowCount(), marker);
    Map<Long, String> live = liveRows();
    assertThat(live)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(1L, "between", 2L, "late", 3L, "late", 4L, "late"));
  }

  private static Map<Long, List<RowsetMeta>> emptyRowsets(Map<Long, List<RowsetMeta>> rowsets) {
    Map<Long, List<RowsetMeta>> empty = new TreeMap<>();
    for (Long tablet : rowsets.keySet()) {
      empty.put(tablet, List.of());
    }
    return empty;
  }

  /** Every live row (key to value); fails on a key live twice. */
  private Map<Long, String> liveRows() {
    Map<Long, String> live = new TreeMap<>();
    for (TableSnapshot.PartitionSnapshot partition : catalog.snapshot(table.id()).partitions()) {
      for (Map.Entry<Long, List<RowsetMeta>> tablet : partition.rowsets().entrySet()) {
        List<SegmentDeletes> deletes = partition.deletes().getOrDefault(tablet.getKey(), List.of());
        for (RowsetMeta rowset : tablet.getValue()) {
          for (SegmentFile segment : rowset.segments()) {
            List<Object[]> rows = rowsOf(segment.path());
            for (int row = 0; row < rows.size(); row++) {
              int r = row;
              boolean marked =
                  deletes.stream()
                      .anyMatch(
                          d -> d.segmentPath().equals(segment.path()) && d.rows().contains(r));
              if (!marked) {
                Long key = (Long) rows.get(row)[0];
                String previous = live.put(key, (String) rows.get(row)[1]);
                assertThat(previous).as("key %d live twice", key).isNull();
              }
            }
          }
        }
      }
    }
    return live;
  }

  private List<Object[]> rowsOf(String path) {
    List<Object[]> rows = new ArrayList<>();
    try (SegmentReader reader = SegmentReader.open(files, path)) {
      var stream =
          reader.read(
              List.of(table.columns().get(0).uniqueId(), table.columns().get(1).uniqueId()));
      for (Batch batch = stream.next(); batch != null; batch = stream.next()) {
        for (int row = 0; row < batch.rowCount(); row++) {
          rows.add(new Object[] {batch.column(0).getObject(row), batch.column(1).getObject(row)});
        }
      }
    }
    return rows;
  }

  private static Batch rows(String value, long... keys) {
    ColumnVectorBuilder k = new ColumnVectorBuilder(DataType.INT);
    ColumnVectorBuilder v = new ColumnVectorBuilder(DataType.STRING);
    for (long key : keys) {
      k.appendLong(key);
      v.appendString(value);
    }
    return new Batch(List.of(k.build(), v.build()), keys.length);
  }
}
