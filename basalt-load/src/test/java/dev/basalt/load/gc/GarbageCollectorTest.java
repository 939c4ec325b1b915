package dev.basalt.load.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.load.ForwardingFileSystem;
import dev.basalt.load.LoadTransaction;
import dev.basalt.load.TableWriter;
import dev.basalt.load.compaction.CompactionPolicy;
import dev.basalt.load.compaction.Compactor;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.Distribution;
import dev.basalt.meta.catalog.DistributionKind;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.PartitionKind;
import dev.basalt.meta.catalog.Partitioning;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.store.JdbcMetaStore;
import dev.basalt.storage.fs.FileEntry;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.fs.LocalFileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The garbage collector deletes exactly the files no committed version references, once no reader
 * that might read them is registered and the grace period has passed: compaction inputs, orphans
 * (as a crash or a failed commit leaves them), and the empty directories of dropped tablets; it
 * keeps referenced files, files of loads in flight and live directories.
 */
class GarbageCollectorTest {
  private static final long GRACE_MILLIS = 1_000;

  @TempDir Path directory;
  private JdbcMetaStore store;
  private Catalog catalog;
  private LocalFileSystem files;
  private TableWriter writer;
  private TableMeta table;
  private final AtomicLong now = new AtomicLong(1_000_000);
  private ReaderRegistry readers;
  private GarbageCollector collector;
  private Compactor compactor;

  @BeforeEach
  void open() {
    store = JdbcMetaStore.openSqlite(directory.resolve("catalog.db"));
    catalog = Catalog.open(store);
    files = new LocalFileSystem(directory.resolve("root"));
    // A one-byte budget: every append flushes a segment, so loads have files in flight.
    writer = new TableWriter(catalog, files, 1);
    readers = new ReaderRegistry();
    collector =
        new GarbageCollector(
            catalog, files, writer.filesInFlight(), readers, GRACE_MILLIS, now::get);
    compactor =
        new Compactor(
            catalog,
            files,
            writer.filesInFlight(),
            collector,
            column -> null,
            new CompactionPolicy(2, 2, 64L << 20, 4));
    catalog.createDatabase("db", false);
    table =
        catalog.createTable(
            "db",
            TableMeta.definition(
                "t",
                KeysType.DUP_KEYS,
                List.of("k"),
                List.of(
                    ColumnMeta.of("k", DataType.INT).withKey(true),
                    ColumnMeta.of("v", DataType.STRING)),
                new Partitioning(PartitionKind.NONE, List.of()),
                List.of(),
                new Distribution(DistributionKind.HASH, List.of("k"), 1, false),
                Map.of(),
                ""),
            false);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void compactionInputsGoOnlyAfterReadersAndGrace() {
    for (int load = 0; load < 3; load++) {
      writer.write(table, List.of(rows(load * 10, load * 10 + 1)), null);
    }
    Set<String> before = segmentPaths();
    assertThat(before).hasSize(3);
    ReaderRegistry.Ticket reader = readers.open();
    assertThat(compactor.compactTable(table.id())).isEqualTo(1);
    Set<String> live = catalog.referencedSegmentPaths();
    assertThat(live).hasSize(1).doesNotContainAnyElementsOf(before);

    now.addAndGet(GRACE_MILLIS * 10);
    collector.collect();
    assertThat(segmentPaths())
        .as("a reader registered before the compaction may still read the inputs")
        .containsAll(before);

    reader.close();
    now.addAndGet(1);
    collector.collect();
    assertThat(segmentPaths()).as("inputs deleted, output kept").isEqualTo(live);
  }

  @Test
  void orphansGoAfterTheGracePeriodAndFilesInFlightStay() throws Exception {
    writer.write(table, List.of(rows(1, 2)), null);
    Set<String> live = catalog.referencedSegmentPaths();
    long tabletId = table.partitions().get(0).tabletIds().get(0);
    String tabletDirectory = "data/" + table.databaseId() + "/" + table.id() + "/" + tabletId;
    String orphan = tabletDirectory + "/999999.bsg";
    write(orphan);
    LoadTransaction load = writer.begin(table, null);
    load.append(rows(5));
    load.append(rows(6));
    String deadTablet = "data/" + table.databaseId() + "/" + table.id() + "/123456789";
    Files.createDirectories(files.root().resolve(deadTablet).resolve("empty"));

    collector.collect();
    assertThat(segmentPaths()).as("within the grace period").contains(orphan);

    now.addAndGet(GRACE_MILLIS);
    GarbageCollector.Report report = collector.collect();
    assertThat(segmentPaths()).doesNotContain(orphan).containsAll(live);
    assertThat(report.filesDeleted()).isEqualTo(1);
    assertThat(Files.exists(files.root().resolve(deadTablet))).as("dead tablet dir").isFalse();
    assertThat(Files.isDirectory(files.root().resolve(tabletDirectory))).as("live tablet").isTrue();

    // The load's first segment (and maybe its second) is on disk, unreferenced but in flight: it
    // stays.
    assertThat(segmentPaths().size()).isGreaterThan(live.size());
    load.commit();
    now.addAndGet(GRACE_MILLIS * 10);
    collector.collect();
    assertThat(segmentPaths()).isEqualTo(catalog.referencedSegmentPaths()).hasSize(live.size() + 2);
  }

  @Test
  void filesOfADroppedTableAndItsDirectoriesGo() {
    writer.write(table, List.of(rows(1, 2)), null);
    collector.retire(catalog.dropTable("db", "t", false));
    now.addAndGet(GRACE_MILLIS);
    collector.collect();
    assertThat(segmentPaths()).isEmpty();
    assertThat(Files.exists(files.root().resolve("data/" + table.databaseId() + "/" + table.id())))
        .isFalse();
  }

  /**
   * A load that creates and commits its file while a sweep runs (after the sweep read the files in
   * flight and the catalog, before it listed {@code data/}) must not lose that file: with no grace
   * period this deleted a just-committed segment under the next query (issue 15's open GC bug).
   */
  @Test
  void aLoadCommittingDuringTheSweepKeepsItsFile() {
    Runnable[] duringListing = {() -> {}};
    FileSystem listingHook =
        new ForwardingFileSystem(files) {
          @Override
          public List<FileEntry> list(String directory) {
            duringListing[0].run();
            duringListing[0] = () -> {};
            return super.list(directory);
          }
        };
    GarbageCollector noGrace =
        new GarbageCollector(catalog, listingHook, writer.filesInFlight(), readers, 0, now::get);
    duringListing[0] = () -> writer.write(table, List.of(rows(7)), null);
    noGrace.collect();
    Set<String> live = catalog.referencedSegmentPaths();
    assertThat(live).hasSize(1);
    assertThat(segmentPaths()).as("the committed segment is still there").isEqualTo(live);
  }

  /**
   * In a catalog shared with other front ends, a table directory this front end does not know may
   * be another front end's new table: it stays for the grace period, and an orphan file in it
   * (another front end's uncommitted segment) too.
   */
  @Test
  void inASharedCatalogAnUnknownTablesDirectoryStaysForTheGracePeriod() throws Exception {
    Catalog shared = Catalog.open(new SharedView(store));
    GarbageCollector sharedCollector =
        new GarbageCollector(
            shared, files, writer.filesInFlight(), readers, GRACE_MILLIS, now::get);
    String newTable = "data/" + table.databaseId() + "/" + (table.id() + 100_000);
    Files.createDirectories(files.root().resolve(newTable + "/1"));
    write(newTable + "/2/in-flight.bsg");
    sharedCollector.collect();
    assertThat(Files.exists(files.root().resolve(newTable + "/1"))).isTrue();
    assertThat(segmentPaths()).contains(newTable + "/2/in-flight.bsg");
    now.addAndGet(GRACE_MILLIS);
    sharedCollector.collect();
    assertThat(segmentPaths()).doesNotContain(newTable + "/2/in-flight.bsg");
    assertThat(Files.exists(files.root().resolve(newTable))).isFalse();
  }

  /**
   * In a catalog shared with other front ends, a temporary file of an unfinished write may be
   * another front end's write in progress: it stays for the grace period (a crashed front end's is
   * then deleted); a front end alone leaves them to its start-up.
   */
  @Test
  void inASharedCatalogTemporaryFilesGoAfterTheGracePeriod() {
    var abandoned = files.create("data/" + table.databaseId() + "/" + table.id() + "/x.bsg");
    abandoned.write(new byte[] {1, 2, 3}, 0, 3);
    collector.collect();
    assertThat(temporaryFiles()).hasSize(1);

    Catalog shared = Catalog.open(new SharedView(store));
    GarbageCollector sharedCollector =
        new GarbageCollector(
            shared, files, writer.filesInFlight(), readers, GRACE_MILLIS, now::get);
    sharedCollector.collect();
    now.addAndGet(GRACE_MILLIS - 1);
    sharedCollector.collect();
    assertThat(temporaryFiles()).as("within the grace period").hasSize(1);
    now.addAndGet(1);
    assertThat(sharedCollector.collect().filesDeleted()).isEqualTo(1);
    assertThat(temporaryFiles()).isEmpty();
    abandoned.close();
  }

  private List<Path> temporaryFiles() {
    try (var walk = Files.walk(files.root())) {
      return walk.filter(path -> path.getFileName().toString().contains(".inprogress-")).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private record SharedView(dev.basalt.meta.store.MetaStore store)
      implements dev.basalt.meta.store.MetaStore {
    @Override
    public java.util.Optional<byte[]> get(String key) {
      return store.get(key);
    }

    @Override
    public List<dev.basalt.meta.store.KeyValue> scan(String prefix) {
      return store.scan(prefix);
    }

    @Override
    public void commit(dev.basalt.meta.store.WriteBatch batch) {
      store.commit(batch);
    }

    @Override
    public boolean isShared() {
      return true;
    }

    @Override
    public void close() {}
  }

  private Set<String> segmentPaths() {
    return Set.copyOf(files.list("data").stream().map(FileEntry::path).toList());
  }

  private void write(String path) {
    try (var output = files.create(path)) {
      output.write(new byte[] {1, 2, 3}, 0, 3);
      output.commit();
    }
  }

  private static Batch rows(long... keys) {
    ColumnVectorBuilder k = new ColumnVectorBuilder(DataType.INT);
    ColumnVectorBuilder v = new ColumnVectorBuilder(DataType.STRING);
    for (long key : keys) {
      k.appendLong(key);
      v.appendString("v" + key);
    }
    return new Batch(List.of(k.build(), v.build()), keys.length);
  }
}
