package dev.basalt.meta.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.meta.store.JdbcMetaStore;
import dev.basalt.meta.store.MetaStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * Compaction commits (version ranges, delete layers applied or carried over, conflicts) and commits
 * that scale (per-partition version records, no catalog-wide lock between tables).
 */
class CompactionCatalogTest {
  @TempDir Path directory;
  private MetaStore store;
  private Catalog catalog;

  @BeforeEach
  void open() {
    store = JdbcMetaStore.openSqlite(directory.resolve("catalog.db"));
    catalog = Catalog.open(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private TableMeta uniqueTable(String name) {
    ColumnMeta key =
        new ColumnMeta(
            0, "k", DataType.INT, true, true, AggregationType.NONE, DefaultValue.NONE, "", false);
    return catalog.createTable(
        "db",
        TableMeta.definition(
            name,
            KeysType.UNIQUE_KEYS,
            List.of("k"),
            List.of(key, ColumnMeta.of("v", DataType.varchar(10))),
            Partitioning.NONE,
            List.of(),
            new Distribution(DistributionKind.HASH, List.of("k"), 1, false),
            Map.of("enable_unique_key_merge_on_write", "true"),
            ""),
        false);
  }

  @Test
  void compactionReplacesItsInputsAndCarriesLaterMarksOver() {
    catalog.createDatabase("db", false);
    TableMeta table = uniqueTable("t");
    long tablet = table.partitions().get(0).tabletIds().get(0);
    catalog.commitLoad(table.id(), null, Map.of(tablet, List.of(segment("a", 3))), 3); // v2
    catalog.commitLoad(
        table.id(),
        null,
        Map.of(tablet, List.of(segment("b", 2))),
        2,
        (id, rowsets, deletes) -> Map.of("a", RoaringBitmap.bitmapOf(0))); // v3
    TableSnapshot read = catalog.snapshot(table.id());
    List<Long> inputs =
        read.partitions().get(0).rowsets().get(tablet).stream().map(RowsetMeta::id).toList();
    // A load commits while the compaction runs: it marks row 1 of input a and row 0 of input b.
    catalog.commitLoad(
        table.id(),
        null,
        Map.of(tablet, List.of(segment("c", 1))),
        1,
        (id, rowsets, deletes) ->
            Map.of("a", RoaringBitmap.bitmapOf(1), "b", RoaringBitmap.bitmapOf(0))); // v4
    // The compaction read version 3: a's row 0 was dropped; a1 → out 0, a2 → out 1, b0 → out 2,
    // b1 → out 3.
    int[][] rowMap = {{-1, 0, 1}, {2, 3}};
    CompactionResult result =
        catalog.commitCompaction(
            table.id(),
            tablet,
            inputs,
            List.of(segment("out", 4)),
            3,
            (path, rows) -> {
              RoaringBitmap mapped = new RoaringBitmap();
              rows.forEach((int row) -> mapped.add(rowMap[path.equals("a") ? 0 : 1][row]));
              return Map.of("out", mapped);
            });
    assertThat(result.retiredSegments()).containsExactlyInAnyOrder("a", "b");
    assertThat(result.output().versionRange()).isEqualTo("[2-3]");

    TableSnapshot before = catalog.snapshot(table.id());
    store.close();
    open();
    for (TableSnapshot snapshot : List.of(before, catalog.snapshot(table.id()))) {
      TableSnapshot.PartitionSnapshot partition = snapshot.partitions().get(0);
      assertThat(partition.visibleVersion()).isEqualTo(4);
      assertThat(partition.rowsets().get(tablet))
          .extracting(RowsetMeta::versionRange)
          .containsExactly("[2-3]", "[4-4]");
      List<SegmentDeletes> layers = partition.deletes().get(tablet);
      assertThat(layers).hasSize(1);
      assertThat(layers.get(0).segmentPath()).isEqualTo("out");
      assertThat(layers.get(0).version()).isEqualTo(4);
      assertThat(layers.get(0).rows().toArray()).containsExactly(0, 2);
    }
    // The same inputs again: they are gone.
    assertThatThrownBy(
            () ->
                catalog.commitCompaction(
                    table.id(), tablet, inputs, List.of(), 4, (path, rows) -> Map.of()))
        .isInstanceOfSatisfying(
            BasaltException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.COMPACTION_CONFLICT));
  }

  @Test
  void loadsIntoDifferentTablesCommitInParallel() throws Exception {
    catalog.createDatabase("db", false);
    TableMeta slow = uniqueTable("slow");
    TableMeta fast = uniqueTable("fast");
    long slowTablet = slow.partitions().get(0).tabletIds().get(0);
    long fastTablet = fast.partitions().get(0).tabletIds().get(0);
    CountDownLatch slowCommitStarted = new CountDownLatch(1);
    CountDownLatch fastCommitted = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      // The slow table's commit waits, inside its commit, until the fast table's commit is done:
      // with one catalog-wide commit lock this would never finish.
      Future<CommitResult> slowCommit =
          threads.submit(
              () ->
                  catalog.commitLoad(
                      slow.id(),
                      null,
                      Map.of(slowTablet, List.of(segment("s", 1))),
                      1,
                      (id, rowsets, deletes) -> {
                        slowCommitStarted.countDown();
                        try {
                          if (!fastCommitted.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                            throw new AssertionError("the other table's commit was blocked");
                          }
                        } catch (InterruptedException e) {
                          throw new AssertionError(e);
                        }
                        return Map.of();
                      }));
      slowCommitStarted.await();
      catalog.commitLoad(fast.id(), null, Map.of(fastTablet, List.of(segment("f", 1))), 1);
      fastCommitted.countDown();
      assertThat(slowCommit.get().partitionVersions().values()).containsExactly(2L);
    } finally {
      threads.shutdownNow();
    }
    store.close();
    open();
    assertThat(catalog.snapshot(slow.id()).partitions().get(0).visibleVersion()).isEqualTo(2);
    assertThat(catalog.snapshot(fast.id()).partitions().get(0).visibleVersion()).isEqualTo(2);
  }

  @Test
  void aCommitWritesOnlyWhatItAdds() {
    catalog.createDatabase("db", false);
    TableMeta table = uniqueTable("t");
    long tablet = table.partitions().get(0).tabletIds().get(0);
    List<Integer> writesPerCommit = new ArrayList<>();
    CountingStore counting = new CountingStore(store);
    store = counting;
    catalog = Catalog.open(counting);
    for (int load = 0; load < 50; load++) {
      counting.writes = 0;
      catalog.commitLoad(table.id(), null, Map.of(tablet, List.of(segment("s" + load, 1))), 1);
      writesPerCommit.add(counting.writes);
    }
    // Rowset, partition version, label: the same three keys for the 2nd and the 50th load (the
    // first also reserves a block of ids, as the reopened catalog has none left).
    assertThat(writesPerCommit.subList(1, writesPerCommit.size())).containsOnly(3);
  }

  /** Counts the keys each commit writes. */
  private static final class CountingStore implements MetaStore {
    private final MetaStore delegate;
    int writes;

    CountingStore(MetaStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public java.util.Optional<byte[]> get(String key) {
      return delegate.get(key);
    }

    @Override
    public List<dev.basalt.meta.store.KeyValue> scan(String prefix) {
      return delegate.scan(prefix);
    }

    @Override
    public void commit(dev.basalt.meta.store.WriteBatch batch) {
      writes += batch.writes().size();
      delegate.commit(batch);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  private static SegmentFile segment(String path, long rows) {
    return new SegmentFile(path, rows, rows * 10);
  }
}
