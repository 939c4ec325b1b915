package dev.basalt.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
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
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.fs.InMemoryFileSystem;
import dev.basalt.storage.fs.OutputFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server-wide budget of loads' buffered rows: the largest tablet buffer of any load is flushed
 * first once all buffers together pass half the limit, a flushed segment stays invisible until its
 * load commits, a load that cannot get memory back fails alone, and the accounting returns to zero
 * after commits and aborts.
 */
class MemtableBudgetTest {
  /** Rows per appended batch of (BIGINT, VARCHAR). */
  private static final int ROWS_PER_BATCH = 1_000;

  @TempDir Path directory;
  private JdbcMetaStore store;
  private Catalog catalog;
  private final InMemoryFileSystem files = new InMemoryFileSystem();

  @BeforeEach
  void openCatalog() {
    store = JdbcMetaStore.openSqlite(directory.resolve("catalog.db"));
    catalog = Catalog.open(store);
    catalog.createDatabase("db", false);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private TableMeta table(String name) {
    return catalog.createTable(
        "db",
        TableMeta.definition(
            name,
            KeysType.DUP_KEYS,
            List.of("k"),
            List.of(
                ColumnMeta.of("k", DataType.BIGINT).withKey(true),
                ColumnMeta.of("v", DataType.varchar(32))),
            Partitioning.NONE,
            List.of(),
            new Distribution(DistributionKind.HASH, List.of("k"), 1, false),
            Map.of(),
            ""),
        false);
  }

  private static Batch rows(long first) {
    ColumnVectorBuilder k = new ColumnVectorBuilder(DataType.BIGINT);
    ColumnVectorBuilder v = new ColumnVectorBuilder(DataType.varchar(32));
    for (long key = first; key < first + ROWS_PER_BATCH; key++) {
      k.appendLong(key);
      v.appendString("value of row " + key);
    }
    return new Batch(List.of(k.build(), v.build()), ROWS_PER_BATCH);
  }

  /** Appends {@code batches} batches; returns the bytes the budget counted for them. */
  private static long fill(MemtableBudget budget, LoadTransaction load, int batches) {
    long before = budget.bufferedBytes();
    for (int i = 0; i < batches; i++) {
      load.append(rows(i * (long) ROWS_PER_BATCH));
    }
    return budget.bufferedBytes() - before;
  }

  private static void awaitFlushes(MemtableBudget budget) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (budget.flushingBytes() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(budget.flushingBytes()).as("bytes of flushes still running").isZero();
  }

  /** The bytes the buffers of a load into {@code table} count after {@code batches} batches. */
  private long bytesOf(TableMeta table, int batches) {
    MemtableBudget probe = MemtableBudget.unlimited();
    try (LoadTransaction load =
        new TableWriter(catalog, files, 1L << 30, probe).begin(table, null)) {
      return fill(probe, load, batches);
    }
  }

  @Test
  void theLargestBufferOfAnyLoadFlushesFirstAndStaysInvisibleUntilItsLoadCommits()
      throws InterruptedException {
    TableMeta large = table("large");
    TableMeta medium = table("medium");
    TableMeta small = table("small");
    // Half the limit lies between 12 + 6 + 2 and 12 + 6 + 3 batches: the small load's third batch
    // passes it.
    long half = bytesOf(large, 12) + bytesOf(medium, 6) + bytesOf(small, 3) - 1;
    assertThat(bytesOf(small, 3)).isGreaterThan(bytesOf(small, 2));
    MemtableBudget budget = new MemtableBudget(2 * half, 10_000);
    TableWriter writer = new TableWriter(catalog, files, 1L << 30, budget);
    LoadTransaction largeLoad = writer.begin(large, null);
    LoadTransaction mediumLoad = writer.begin(medium, null);
    LoadTransaction smallLoad = writer.begin(small, null);
    fill(budget, largeLoad, 12);
    fill(budget, mediumLoad, 6);
    fill(budget, smallLoad, 2);
    assertThat(budget.forcedFlushCount()).isZero();
    smallLoad.append(rows(2 * ROWS_PER_BATCH));

    // The large load was idle when the small one passed half the limit: its buffer went first,
    // and that was enough.
    assertThat(budget.forcedFlushCount()).isEqualTo(1);
    assertThat(largeLoad.segmentCount()).isEqualTo(1);
    assertThat(mediumLoad.segmentCount()).isZero();
    assertThat(smallLoad.segmentCount()).isZero();
    awaitFlushes(budget);
    assertThat(budget.bufferedBytes()).isLessThanOrEqualTo(half);
    assertThat(budget.peakBytes()).isGreaterThan(half);
    // Flushed, not committed: nothing of the large load is visible yet.
    assertThat(catalog.snapshot(large.id()).rowCount()).isZero();

    largeLoad.append(rows(1_000_000));
    largeLoad.commit();
    assertThat(catalog.snapshot(large.id()).rowCount()).isEqualTo(13L * ROWS_PER_BATCH);
    mediumLoad.commit();
    assertThat(catalog.snapshot(medium.id()).rowCount()).isEqualTo(6L * ROWS_PER_BATCH);
    smallLoad.abort();
    assertThat(catalog.snapshot(small.id()).rowCount()).isZero();

    assertThat(budget.bufferedBytes()).isZero();
    assertThat(budget.flushingBytes()).isZero();
    assertThat(budget.loadCount()).isZero();
  }

  @Test
  void anAbortedLoadDeletesTheSegmentsTheBudgetFlushedAndReturnsItsBytes()
      throws InterruptedException {
    TableMeta first = table("first");
    TableMeta second = table("second");
    long half = bytesOf(first, 8) + bytesOf(second, 4) - 1;
    MemtableBudget budget = new MemtableBudget(2 * half, 10_000);
    TableWriter writer = new TableWriter(catalog, files, 1L << 30, budget);
    LoadTransaction flushed = writer.begin(first, null);
    LoadTransaction other = writer.begin(second, null);
    fill(budget, flushed, 8);
    fill(budget, other, 4);
    assertThat(flushed.segmentCount()).isEqualTo(1);
    assertThat(other.segmentCount()).isZero();
    awaitFlushes(budget);
    assertThat(files.list("data")).isNotEmpty();

    flushed.abort();
    other.abort();
    assertThat(files.list("data")).isEmpty();
    assertThat(writer.filesInFlight().snapshot()).isEmpty();
    assertThat(budget.bufferedBytes()).isZero();
    assertThat(budget.flushingBytes()).isZero();
    assertThat(budget.loadCount()).isZero();
  }

  @Test
  void aLoadThatCannotGetMemoryBackFailsAloneWithMemLimitExceeded() throws InterruptedException {
    TableMeta stuck = table("stuck");
    TableMeta fine = table("fine");
    CountDownLatch release = new CountDownLatch(1);
    FileSystem blockingWrites = new BlockingFileSystem(files, release);
    MemtableBudget budget = new MemtableBudget(bytesOf(stuck, 4), 300);
    LoadTransaction load =
        new TableWriter(catalog, blockingWrites, 1L << 30, budget).begin(stuck, null);
    // The flush of the first batches hangs on the disk; more rows than the limit cannot wait.
    assertThatThrownBy(() -> fill(budget, load, 10))
        .isInstanceOfSatisfying(
            BasaltException.class,
            error -> {
              assertThat(error.code()).isEqualTo(ErrorCode.MEMORY_LIMIT_EXCEEDED);
              assertThat(error.getMessage())
                  .contains("load memory limit", "--load-memory-limit", "stuck");
            });
    release.countDown();
    load.abort();
    awaitFlushes(budget);
    assertThat(budget.bufferedBytes()).isZero();

    // Another load, with the disk back, goes through the same budget.
    new TableWriter(catalog, files, 1L << 30, budget).write(fine, List.of(rows(0)), null);
    assertThat(catalog.snapshot(fine.id()).rowCount()).isEqualTo(ROWS_PER_BATCH);
    assertThat(budget.bufferedBytes()).isZero();
    assertThat(budget.loadCount()).isZero();
  }

  /** Files whose creation waits until {@code release} opens. */
  private static final class BlockingFileSystem extends ForwardingFileSystem {
    private final CountDownLatch release;

    BlockingFileSystem(FileSystem delegate, CountDownLatch release) {
      super(delegate);
      this.release = release;
    }

    @Override
    public OutputFile create(String path) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return super.create(path);
    }
  }
}
