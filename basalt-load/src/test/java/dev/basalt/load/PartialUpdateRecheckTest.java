package dev.basalt.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.result.BatchStream;
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
import dev.basalt.meta.store.JdbcMetaStore;
import dev.basalt.storage.fs.InMemoryFileSystem;
import dev.basalt.storage.segment.SegmentReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partial column update whose flush read a key's stored row before another load of the same key
 * committed: the commit re-reads the newer row, so the other load's columns survive. The
 * interleaving is forced: a one-byte buffer budget makes the partial load flush its first batch
 * (and wait for that flush) on its second append, then the racing load commits, then the partial
 * load commits.
 */
class PartialUpdateRecheckTest {
  private static final boolean[] GIVES_A = {true, true, false, false};
  private static final boolean[] GIVES_B = {true, false, true, false};

  @TempDir Path directory;
  private JdbcMetaStore store;
  private Catalog catalog;
  private final InMemoryFileSystem files = new InMemoryFileSystem();
  private TableWriter writer;

  @BeforeEach
  void open() {
    store = JdbcMetaStore.openSqlite(directory.resolve("catalog.db"));
    catalog = Catalog.open(store);
    catalog.createDatabase("db", false);
    writer = new TableWriter(catalog, files, 1);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private TableMeta table(String name, Map<String, String> properties) {
    Map<String, String> all = new HashMap<>(properties);
    all.put("enable_unique_key_merge_on_write", "true");
    return catalog.createTable(
        "db",
        TableMeta.definition(
            name,
            KeysType.UNIQUE_KEYS,
            List.of("k"),
            List.of(
                ColumnMeta.of("k", DataType.INT).withKey(true),
                ColumnMeta.of("a", DataType.INT),
                ColumnMeta.of("b", DataType.INT),
                ColumnMeta.of("s", DataType.BIGINT)),
            Partitioning.NONE,
            List.of(),
            new Distribution(DistributionKind.HASH, List.of("k"), 2, false),
            all,
            ""),
        false);
  }

  /** Rows (k, a, b, s) for keys {@code from .. to}; a null value appends NULL. */
  private static Batch rows(int from, int to, Integer a, Integer b, Long s) {
    ColumnVectorBuilder k = new ColumnVectorBuilder(DataType.INT);
    ColumnVectorBuilder av = new ColumnVectorBuilder(DataType.INT);
    ColumnVectorBuilder bv = new ColumnVectorBuilder(DataType.INT);
    ColumnVectorBuilder sv = new ColumnVectorBuilder(DataType.BIGINT);
    for (int key = from; key <= to; key++) {
      k.appendLong(key);
      av.appendObject(a);
      bv.appendObject(b);
      sv.appendObject(s);
    }
    return new Batch(List.of(k.build(), av.build(), bv.build(), sv.build()), to - from + 1);
  }

  private void write(TableMeta table, boolean[] given, Batch batch) {
    try (LoadTransaction load = writer.begin(table, null)) {
      if (given != null) {
        load.updateColumns(given);
      }
      load.append(batch);
      load.commit();
    }
  }

  /**
   * Starts a partial update of keys 1..20 whose flush has read the stored rows when this returns
   * (the second append waits for the first batch's flush).
   */
  private LoadTransaction flushedPartialUpdate(TableMeta table, boolean[] given, Batch batch) {
    LoadTransaction load = writer.begin(table, null);
    load.updateColumns(given);
    load.append(batch);
    load.append(rows(1000, 1000, 0, 0, 0L));
    return load;
  }

  @Test
  void partialUpdatesOfDifferentColumnsBothSurvive() {
    TableMeta table = table("t", Map.of());
    write(table, null, rows(1, 20, 1, 1, 1L));
    try (LoadTransaction slow = flushedPartialUpdate(table, GIVES_A, rows(1, 20, 2, null, null))) {
      write(table, GIVES_B, rows(1, 20, null, 3, null));
      slow.commit();
    }
    Map<Long, List<Object>> live = liveRows(table);
    for (long key = 1; key <= 20; key++) {
      assertThat(live.get(key)).as("key " + key).containsExactly(key, 2L, 3L, 1L);
    }
  }

  @Test
  void aWholeRowCommittedAfterTheFlushGivesTheOtherColumns() {
    TableMeta table = table("t", Map.of());
    write(table, null, rows(1, 10, 1, 1, 1L));
    try (LoadTransaction slow = flushedPartialUpdate(table, GIVES_A, rows(1, 20, 2, null, null))) {
      // Keys 1..10 existed at the flush, 11..20 were new then; all get a whole new row now.
      write(table, null, rows(1, 20, 7, 7, 7L));
      slow.commit();
    }
    Map<Long, List<Object>> live = liveRows(table);
    for (long key = 1; key <= 20; key++) {
      assertThat(live.get(key)).as("key " + key).containsExactly(key, 2L, 7L, 7L);
    }
  }

  @Test
  void aKeyDeletedAfterTheFlushGetsTheDefaultsOfANewKey() {
    TableMeta table = table("t", Map.of());
    write(table, null, rows(1, 20, 1, 1, 1L));
    try (LoadTransaction slow = flushedPartialUpdate(table, GIVES_A, rows(1, 20, 2, null, null))) {
      try (LoadTransaction delete = writer.begin(table, null)) {
        delete.delete(rows(1, 5, null, null, null));
        delete.commit();
      }
      slow.commit();
    }
    Map<Long, List<Object>> live = liveRows(table);
    for (long key = 1; key <= 20; key++) {
      Object expectedB = key <= 5 ? null : 1L;
      Object expectedS = key <= 5 ? null : 1L;
      assertThat(live.get(key)).as("key " + key).containsExactly(key, 2L, expectedB, expectedS);
    }
  }

  @Test
  void withASequenceColumnTheReReadRowCarriesTheNewerSequenceValue() {
    TableMeta table = table("seq", Map.of("function_column.sequence_col", "s"));
    write(table, null, rows(1, 20, 1, 1, 5L));
    try (LoadTransaction slow = flushedPartialUpdate(table, GIVES_A, rows(1, 20, 2, null, null))) {
      // A newer sequence value: the partial row (which does not give s) takes it over.
      write(table, null, rows(1, 10, 7, 7, 9L));
      // An older sequence value loses to the stored row.
      write(table, null, rows(11, 20, 8, 8, 3L));
      slow.commit();
    }
    Map<Long, List<Object>> live = liveRows(table);
    for (long key = 1; key <= 20; key++) {
      List<Object> expected = key <= 10 ? List.of(key, 2L, 7L, 9L) : List.of(key, 2L, 1L, 5L);
      assertThat(live.get(key)).as("key " + key).isEqualTo(expected);
    }
  }

  @Test
  void aPartialUpdateGivingTheSequenceColumnStillComparesIt() {
    TableMeta table = table("seq2", Map.of("function_column.sequence_col", "s"));
    write(table, null, rows(1, 20, 1, 1, 5L));
    boolean[] givesAAndSequence = {true, true, false, true};
    try (LoadTransaction slow =
        flushedPartialUpdate(table, givesAAndSequence, rows(1, 20, 2, null, 6L))) {
      write(table, null, rows(1, 10, 7, 7, 9L));
      slow.commit();
    }
    Map<Long, List<Object>> live = liveRows(table);
    for (long key = 1; key <= 20; key++) {
      // Keys 1..10: the racing row's sequence 9 beats the partial row's 6.
      List<Object> expected = key <= 10 ? List.of(key, 7L, 7L, 9L) : List.of(key, 2L, 1L, 6L);
      assertThat(live.get(key)).as("key " + key).isEqualTo(expected);
    }
  }

  /** The table's live rows (not marked by a visible delete layer) by key, keys 1..999. */
  private Map<Long, List<Object>> liveRows(TableMeta table) {
    TableSnapshot snapshot = catalog.snapshot(table.id());
    Map<Long, List<Object>> rows = new TreeMap<>();
    List<Integer> columns = new ArrayList<>();
    for (ColumnMeta column : table.columns()) {
      columns.add(column.uniqueId());
    }
    for (TableSnapshot.PartitionSnapshot partition : snapshot.partitions()) {
      for (Map.Entry<Long, List<RowsetMeta>> tablet : partition.rowsets().entrySet()) {
        Map<String, List<SegmentDeletes>> deletes = new HashMap<>();
        for (SegmentDeletes layer : partition.deletes().getOrDefault(tablet.getKey(), List.of())) {
          if (layer.version() <= partition.visibleVersion()) {
            deletes.computeIfAbsent(layer.segmentPath(), p -> new ArrayList<>()).add(layer);
          }
        }
        for (RowsetMeta rowset : tablet.getValue()) {
          for (SegmentFile segment : rowset.segments()) {
            readLive(
                segment.path(), columns, deletes.getOrDefault(segment.path(), List.of()), rows);
          }
        }
      }
    }
    rows.remove(1000L);
    return rows;
  }

  private void readLive(
      String path,
      List<Integer> columns,
      List<SegmentDeletes> deletes,
      Map<Long, List<Object>> rows) {
    try (SegmentReader reader = SegmentReader.open(files, path);
        BatchStream stream = reader.read(columns)) {
      int row = 0;
      for (Batch batch = stream.next(); batch != null; batch = stream.next()) {
        for (int i = 0; i < batch.rowCount(); i++, row++) {
          int segmentRow = row;
          if (deletes.stream().anyMatch(layer -> layer.rows().contains(segmentRow))) {
            continue;
          }
          List<Object> values = new ArrayList<>();
          for (int c = 0; c < columns.size(); c++) {
            values.add(batch.column(c).getObject(i));
          }
          long key = (Long) values.get(0);
          assertThat(rows.put(key, values)).as("two live rows of key " + key).isNull();
        }
      }
    }
  }
}
