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
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.store.JdbcMetaStore;
import dev.basalt.storage.fs.LocalFileSystem;
import dev.basalt.storage.segment.SegmentReader;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small load's commit is its only round of device flushes: its segments are written unforced and
 * their bytes committed as copies with its rowsets; the syncer forces them afterwards and the
 * copies go with a later commit; a crash that tore such a file (a power loss after the commit) is
 * repaired from the copy at the next start.
 */
class SegmentSyncerTest {
  @TempDir Path directory;
  private JdbcMetaStore store;
  private Catalog catalog;
  private LocalFileSystem files;
  private TableMeta table;

  @BeforeEach
  void createTable() {
    files = new LocalFileSystem(directory.resolve("data"));
    openCatalog();
    catalog.createDatabase("db", false);
    table =
        catalog.createTable(
            "db",
            TableMeta.definition(
                "t",
                KeysType.DUP_KEYS,
                List.of("k"),
                List.of(
                    ColumnMeta.of("k", DataType.BIGINT).withKey(true),
                    ColumnMeta.of("v", DataType.STRING)),
                Partitioning.NONE,
                List.of(),
                new Distribution(DistributionKind.HASH, List.of("k"), 3, false),
                Map.of(),
                ""),
            false);
  }

  private void openCatalog() {
    store = JdbcMetaStore.openSqlite(directory.resolve("catalog.db"));
    catalog = Catalog.open(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static Batch rows(long first, int count, int textLength) {
    ColumnVectorBuilder k = new ColumnVectorBuilder(DataType.BIGINT);
    ColumnVectorBuilder v = new ColumnVectorBuilder(DataType.STRING);
    for (long key = first; key < first + count; key++) {
      k.appendLong(key);
      v.appendString(("v" + key + "-").repeat(textLength).substring(0, textLength));
    }
    return new Batch(List.of(k.build(), v.build()), count);
  }

  private void load(SegmentSyncer syncer, Batch batch) {
    try (LoadTransaction load =
        new LoadTransaction(
            catalog,
            files,
            catalog.table("db", "t").orElseThrow(),
            null,
            TableWriter.DEFAULT_BUFFER_BUDGET_BYTES,
            MemtableBudget.unlimited(),
            new FilesInFlight(),
            syncer,
            (t, result) -> {},
            column -> null)) {
      load.append(batch);
      load.commit();
    }
  }

  private Set<String> segmentPaths() {
    Set<String> paths = new TreeSet<>(catalog.referencedSegmentPaths());
    return paths;
  }

  private long rowsAndCheckSum() {
    long rows = 0;
    for (String path : segmentPaths()) {
      try (SegmentReader reader = SegmentReader.open(files, path)) {
        var stream = reader.read(List.of(table.columns().get(0).uniqueId()));
        for (Batch batch = stream.next(); batch != null; batch = stream.next()) {
          rows += batch.rowCount();
        }
      }
    }
    return rows;
  }

  @Test
  void aSmallLoadCommitsCopiesInsteadOfForcingItsSegments() {
    SegmentSyncer syncer = new SegmentSyncer(catalog, files, false);
    long forcedBefore = files.fileSyncCount();
    load(syncer, rows(0, 300, 40));

    Map<String, byte[]> copies = catalog.segmentCopies();
    assertThat(copies.keySet()).isEqualTo(segmentPaths()).hasSize(3);
    for (Map.Entry<String, byte[]> copy : copies.entrySet()) {
      try (var file = files.open(copy.getKey())) {
        assertThat(file.read(0, (int) file.length())).isEqualTo(copy.getValue());
      }
    }
    assertThat(files.fileSyncCount())
        .as("no segment forced before the commit")
        .isEqualTo(forcedBefore);

    syncer.syncPending();
    assertThat(files.fileSyncCount()).isEqualTo(forcedBefore + 3);
    assertThat(catalog.segmentCopies()).as("dropped only by a later commit").hasSize(3);
    load(syncer, rows(1000, 30, 40));
    assertThat(catalog.segmentCopies().keySet())
        .as("the next load's commit took the forced files' copies along")
        .hasSize(3)
        .doesNotContainAnyElementsOf(copies.keySet());
    syncer.syncPending();
    assertThat(catalog.forgetDurableSegmentCopies()).isEqualTo(3);
    assertThat(catalog.segmentCopies()).isEmpty();
    assertThat(rowsAndCheckSum()).isEqualTo(330);
  }

  @Test
  void theBackgroundThreadForcesTheFilesAndDropsTheCopiesWhenIdle() throws Exception {
    SegmentSyncer syncer = new SegmentSyncer(catalog, files);
    long forcedBefore = files.fileSyncCount();
    load(syncer, rows(0, 300, 40));
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!(syncer.idle() && catalog.segmentCopies().isEmpty()) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(catalog.segmentCopies()).isEmpty();
    assertThat(files.fileSyncCount()).isEqualTo(forcedBefore + 3);
  }

  /** A stopping server's last step: no copy is left for the next start to restore or delete. */
  @Test
  void finishForcesEverythingAndLeavesNoCopies() {
    SegmentSyncer syncer = new SegmentSyncer(catalog, files);
    long forcedBefore = files.fileSyncCount();
    load(syncer, rows(0, 300, 40));
    load(syncer, rows(300, 300, 40));
    syncer.finish();
    assertThat(syncer.idle()).isTrue();
    assertThat(catalog.segmentCopies()).isEmpty();
    assertThat(files.fileSyncCount()).isEqualTo(forcedBefore + 6);
    assertThat(rowsAndCheckSum()).isEqualTo(600);
  }

  @Test
  void aLargeLoadForcesItsSegmentsAndStoresNoCopies() {
    SegmentSyncer syncer = new SegmentSyncer(catalog, files, false);
    long forcedBefore = files.fileSyncCount();
    load(syncer, rows(0, 3000, 1000));
    assertThat(catalog.segmentCopies()).isEmpty();
    assertThat(files.fileSyncCount()).isEqualTo(forcedBefore + 3);
  }

  @Test
  void aRestartRestoresTornFilesFromTheirCopies() throws Exception {
    SegmentSyncer syncer = new SegmentSyncer(catalog, files, false);
    load(syncer, rows(0, 300, 40));
    List<String> paths = List.copyOf(segmentPaths());
    // What a power loss can leave of files that were never forced: one gone, one cut short, one
    // with other bytes.
    Path root = files.root();
    Files.delete(root.resolve(paths.get(0)));
    try (FileChannel channel =
        FileChannel.open(root.resolve(paths.get(1)), StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() / 2);
    }
    byte[] third = Files.readAllBytes(root.resolve(paths.get(2)));
    third[third.length / 2] ^= 0x5A;
    Files.write(root.resolve(paths.get(2)), third);
    store.close();

    openCatalog();
    assertThat(SegmentSyncer.restore(catalog, files)).isEqualTo(3);
    assertThat(catalog.segmentCopies()).isEmpty();
    assertThat(rowsAndCheckSum()).isEqualTo(300);
    assertThat(SegmentSyncer.restore(catalog, files)).isZero();
  }

  @Test
  void aRestartForcesIntactFilesAndDropsCopiesOfCollectedOnes() {
    SegmentSyncer syncer = new SegmentSyncer(catalog, files, false);
    load(syncer, rows(0, 300, 40));
    catalog.truncateTable("db", "t");
    store.close();

    openCatalog();
    long forcedBefore = files.fileSyncCount();
    assertThat(SegmentSyncer.restore(catalog, files)).isZero();
    assertThat(catalog.segmentCopies()).isEmpty();
    assertThat(files.fileSyncCount())
        .as("unreferenced files are not forced")
        .isEqualTo(forcedBefore);
  }
}
