package dev.basalt.load.compaction;

import dev.basalt.load.TableWriter;
import dev.basalt.load.gc.GarbageCollector;
import dev.basalt.load.gc.ReaderRegistry;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.CommitResult;
import dev.basalt.meta.catalog.DatabaseMeta;
import dev.basalt.meta.catalog.RowsetMeta;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.TableSnapshot;
import dev.basalt.storage.fs.FileSystem;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's background storage work: compaction of tablets ({@link Compactor}) on a small pool
 * of threads, scheduled after every committed load into a tablet and by a periodic sweep, and the
 * {@link GarbageCollector}, run by the same sweep. Readers register with {@link #readers()}.
 *
 * <p>Life cycle: construct, {@link #start()} (hooks into the writer's commits and starts the
 * threads configured), {@link #close()} (stops them; a compaction in progress finishes or is
 * abandoned, never half applied). Without {@code start} everything runs only on request. Thread
 * safe.
 */
public final class StorageMaintenance implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StorageMaintenance.class);

  private final Catalog catalog;
  private final TableWriter writer;
  private final MaintenanceConfig config;
  private final ReaderRegistry readers = new ReaderRegistry();
  private final GarbageCollector garbage;
  private final Compactor compactor;

  /** Tablets queued for a compaction check: {@code tableId/tabletId}. */
  private final Set<TabletRef> queued = ConcurrentHashMap.newKeySet();

  private ExecutorService compactionThreads;
  private ScheduledExecutorService sweeper;

  private record TabletRef(long tableId, long tabletId) {}

  public StorageMaintenance(
      Catalog catalog,
      FileSystem fileSystem,
      TableWriter writer,
      Function<ColumnMeta, Object> defaults,
      MaintenanceConfig config) {
    this.catalog = catalog;
    this.writer = writer;
    this.config = config;
    this.garbage =
        new GarbageCollector(
            catalog,
            fileSystem,
            writer.filesInFlight(),
            readers,
            config.garbageGraceMillis(),
            System::currentTimeMillis);
    this.compactor =
        new Compactor(
            catalog, fileSystem, writer.filesInFlight(), garbage, defaults, config.policy());
  }

  /** Starts the background threads the configuration asks for. */
  public synchronized void start() {
    if (config.compactionThreads() > 0 && compactionThreads == null) {
      compactionThreads =
          Executors.newFixedThreadPool(
              config.compactionThreads(),
              Thread.ofPlatform().daemon().name("basalt-compaction-", 0).factory());
      writer.onCommit(this::committed);
    }
    if (config.sweepIntervalMillis() > 0 && sweeper == null) {
      sweeper =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().daemon().name("basalt-storage-sweep").factory());
      // The first sweep waits one interval: right after a start the compactions a crash
      // interrupted, and the listing of data/, would compete with the first queries for the
      // cores (a 10M-row table's base compaction took more CPU than the rest of a restart,
      // docs/benchmarks.md), and nothing a query or a load sees depends on them.
      sweeper.scheduleWithFixedDelay(
          this::sweep,
          config.sweepIntervalMillis(),
          config.sweepIntervalMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  public ReaderRegistry readers() {
    return readers;
  }

  public Compactor compactor() {
    return compactor;
  }

  public GarbageCollector garbageCollector() {
    return garbage;
  }

  /** Hands files a DROP or TRUNCATE unreferenced to the garbage collector. */
  public void retire(List<String> paths) {
    garbage.retire(paths);
  }

  /** Base-compacts every tablet of a table now, on the caller's thread. */
  public int compactTable(long tableId) {
    return compactor.compactTable(tableId);
  }

  private void committed(TableMeta table, CommitResult result) {
    for (RowsetMeta rowset : result.rowsets()) {
      schedule(new TabletRef(table.id(), rowset.tabletId()));
    }
  }

  private void schedule(TabletRef tablet) {
    ExecutorService threads = compactionThreads;
    if (threads == null || !queued.add(tablet)) {
      return;
    }
    try {
      threads.execute(() -> runCompaction(tablet));
    } catch (RejectedExecutionException closing) {
      queued.remove(tablet);
    }
  }

  private void runCompaction(TabletRef tablet) {
    queued.remove(tablet);
    try {
      compactor.compactTablet(tablet.tableId(), tablet.tabletId(), false);
    } catch (RuntimeException e) {
      LOG.warn("compaction of tablet {} failed; it keeps its rowsets", tablet.tabletId(), e);
    }
  }

  /** Queues every tablet the policy would compact, then collects garbage. */
  private void sweep() {
    try {
      for (DatabaseMeta database : catalog.databases()) {
        for (TableMeta table : catalog.tables(database.name())) {
          TableSnapshot snapshot = catalog.committedSnapshot(table.id());
          for (TableSnapshot.PartitionSnapshot partition : snapshot.partitions()) {
            for (long tabletId : partition.rowsets().keySet()) {
              if (compactor.needsCompaction(partition, tabletId)) {
                schedule(new TabletRef(table.id(), tabletId));
              }
            }
          }
        }
      }
    } catch (RuntimeException e) {
      // A table dropped while we looked: the next sweep sees the new state.
      LOG.debug("compaction sweep interrupted", e);
    }
    try {
      garbage.collect();
    } catch (RuntimeException e) {
      LOG.warn("garbage collection failed; it will retry", e);
    }
  }

  @Override
  public synchronized void close() {
    if (sweeper != null) {
      sweeper.shutdownNow();
      sweeper = null;
    }
    if (compactionThreads != null) {
      writer.onCommit((table, result) -> {});
      compactionThreads.shutdownNow();
      try {
        compactionThreads.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      compactionThreads = null;
    }
  }
}
