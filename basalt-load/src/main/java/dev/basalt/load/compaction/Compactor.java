package dev.basalt.load.compaction;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.load.FilesInFlight;
import dev.basalt.load.gc.GarbageCollector;
import dev.basalt.load.gc.ReaderRegistry;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.CompactionResult;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.RowsetMeta;
import dev.basalt.meta.catalog.SegmentDeletes;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.TableSnapshot;
import dev.basalt.storage.fs.FileSystem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts tablets: picks rowsets with the {@link CompactionPolicy}, merges them with {@link
 * RowsetMerger} (model-aware; merge-on-write tables drop the rows their delete bitmaps mark at the
 * version read), and replaces them in the catalog by one rowset covering their version range
 * ({@link Catalog#commitCompaction}), which carries over delete marks committed meanwhile. The
 * inputs' files go to the {@link GarbageCollector}, which deletes them once no reader can use them.
 *
 * <p>Loads and queries never wait for a compaction: it reads a snapshot, writes a new file, and
 * takes the table's commit lock only for the final catalog commit. One compaction per tablet at a
 * time (a per-tablet lock); different tablets compact in parallel on the caller's threads. Thread
 * safe.
 */
public final class Compactor {
  private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

  private final Catalog catalog;
  private final FileSystem fileSystem;
  private final FilesInFlight filesInFlight;
  private final GarbageCollector garbage;
  private final Function<ColumnMeta, Object> defaults;
  private final CompactionPolicy policy;
  private final Map<Long, ReentrantLock> tabletLocks = new ConcurrentHashMap<>();
  private final AtomicLong pagesCopied = new AtomicLong();
  private final AtomicLong pagesEncoded = new AtomicLong();

  public Compactor(
      Catalog catalog,
      FileSystem fileSystem,
      FilesInFlight filesInFlight,
      GarbageCollector garbage,
      Function<ColumnMeta, Object> defaults,
      CompactionPolicy policy) {
    this.catalog = catalog;
    this.fileSystem = fileSystem;
    this.filesInFlight = filesInFlight;
    this.garbage = garbage;
    this.defaults = defaults;
    this.policy = policy;
  }

  public CompactionPolicy policy() {
    return policy;
  }

  /**
   * Pages (of all columns) that compactions since the start copied to their output as stored,
   * without decoding them (DUPLICATE KEY runs, see {@link RowsetMerger}).
   */
  public long pagesCopied() {
    return pagesCopied.get();
  }

  /** Pages (of all columns) that compactions since the start encoded into their output. */
  public long pagesEncoded() {
    return pagesEncoded.get();
  }

  /**
   * Whether the policy would compact this tablet now (a cheap look at the catalog's state, for
   * schedulers).
   */
  public boolean needsCompaction(TableSnapshot.PartitionSnapshot partition, long tabletId) {
    return policy.choose(
            partition.rowsets().getOrDefault(tabletId, List.of()),
            partition.deletes().containsKey(tabletId),
            false)
        != null;
  }

  /**
   * Compacts one tablet while the policy finds work (or, when {@code requested}, once as a base
   * compaction of all its rowsets).
   *
   * @return how many compactions ran
   * @throws BasaltException when a merge fails (the tablet keeps its rowsets; the output file is
   *     deleted)
   */
  public int compactTablet(long tableId, long tabletId, boolean requested) {
    ReentrantLock lock = tabletLocks.computeIfAbsent(tabletId, id -> new ReentrantLock());
    lock.lock();
    try {
      int done = 0;
      while (true) {
        if (catalog.tableById(tableId).isEmpty()) {
          return done;
        }
        // A reader like any query: a DROP or TRUNCATE meanwhile must not delete the inputs
        // under the merge.
        try (ReaderRegistry.Ticket reading = garbage.readers().open()) {
          TableSnapshot snapshot = catalog.committedSnapshot(tableId);
          TableSnapshot.PartitionSnapshot partition = partitionOf(snapshot, tabletId);
          if (partition == null) {
            return done;
          }
          CompactionPolicy.Choice choice =
              policy.choose(
                  partition.rowsets().getOrDefault(tabletId, List.of()),
                  partition.deletes().containsKey(tabletId),
                  requested);
          if (choice == null) {
            return done;
          }
          if (!compact(snapshot.table(), partition, tabletId, choice)) {
            return done;
          }
        }
        done++;
        if (requested) {
          return done;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Base-compacts every tablet of a table ({@code ADMIN COMPACT TABLE}); returns how many ran. */
  public int compactTable(long tableId) {
    int done = 0;
    TableSnapshot snapshot = catalog.snapshot(tableId);
    for (TableSnapshot.PartitionSnapshot partition : snapshot.partitions()) {
      for (long tabletId : partition.partition().tabletIds()) {
        done += compactTablet(tableId, tabletId, true);
      }
    }
    return done;
  }

  /** The partition, formal or temporary, of a tablet in {@code snapshot}, or null. */
  private static TableSnapshot.PartitionSnapshot partitionOf(TableSnapshot snapshot, long tablet) {
    for (TableSnapshot.PartitionSnapshot partition : snapshot.partitions()) {
      if (partition.rowsets().containsKey(tablet)) {
        return partition;
      }
    }
    for (TableSnapshot.PartitionSnapshot partition : snapshot.temporaryPartitions()) {
      if (partition.rowsets().containsKey(tablet)) {
        return partition;
      }
    }
    return null;
  }

  /** One compaction; false when the catalog refused it (the tablet changed meanwhile). */
  private boolean compact(
      TableMeta table,
      TableSnapshot.PartitionSnapshot partition,
      long tabletId,
      CompactionPolicy.Choice choice) {
    List<RowsetMeta> inputs = choice.inputs();
    long readVersion = partition.visibleVersion();
    List<SegmentFile> segments = new ArrayList<>();
    for (RowsetMeta rowset : inputs) {
      segments.addAll(rowset.segments());
    }
    Map<String, RoaringBitmap> deleted = new HashMap<>();
    for (SegmentDeletes layer : partition.deletes().getOrDefault(tabletId, List.of())) {
      if (layer.version() <= readVersion) {
        deleted.merge(
            layer.segmentPath(), layer.rows(), (left, right) -> RoaringBitmap.or(left, right));
      }
    }
    String outputPath =
        "data/"
            + table.databaseId()
            + "/"
            + table.id()
            + "/"
            + tabletId
            + "/"
            + catalog.allocateId()
            + ".bsg";
    filesInFlight.add(outputPath);
    boolean keepOutput = false;
    try {
      // Row maps carry delete marks committed while the merge ran over to the output: loads and
      // DELETEs mark rows of merge-on-write tables, DELETEs those of DUPLICATE and AGGREGATE
      // tables; only merge-on-read UNIQUE tables never get marks.
      boolean marksPossible = table.mergeOnWrite() || table.keysType() != KeysType.UNIQUE_KEYS;
      RowsetMerger.Output output =
          new RowsetMerger(fileSystem, table, defaults)
              .merge(segments, deleted, outputPath, marksPossible);
      List<SegmentFile> outputSegments =
          output.segment() == null ? List.of() : List.of(output.segment());
      CompactionResult result;
      try {
        result =
            catalog.commitCompaction(
                table.id(),
                tabletId,
                inputs.stream().map(RowsetMeta::id).toList(),
                outputSegments,
                readVersion,
                (inputPath, rows) -> mapRows(output, outputPath, inputPath, rows));
      } catch (BasaltException refused) {
        if (refused.code() == ErrorCode.COMPACTION_CONFLICT
            || refused.code() == ErrorCode.UNKNOWN_TABLE) {
          LOG.debug("compaction of tablet {} abandoned: {}", tabletId, refused.getMessage());
          return false;
        }
        // The store may have applied the commit: keep the file (and keep it from the garbage
        // collector) until a restart reloads the catalog and decides.
        keepOutput = true;
        throw refused;
      }
      keepOutput = true;
      filesInFlight.remove(outputPath);
      garbage.retire(result.retiredSegments());
      // Counted once committed: an abandoned compaction's pages never reached the table.
      pagesCopied.addAndGet(output.pagesCopied());
      pagesEncoded.addAndGet(output.pagesEncoded());
      LOG.debug(
          "{} compaction of tablet {}: {} rowsets {} -> {} ({} rows; {} pages copied, {} encoded)",
          choice.kind(),
          tabletId,
          inputs.size(),
          result.output().versionRange(),
          outputSegments.size(),
          result.output().rowCount(),
          output.pagesCopied(),
          output.pagesEncoded());
      return true;
    } finally {
      if (!keepOutput) {
        try {
          fileSystem.delete(outputPath);
        } catch (RuntimeException e) {
          LOG.warn("could not delete abandoned compaction output {}", outputPath, e);
        }
        filesInFlight.remove(outputPath);
      }
    }
  }

  private static Map<String, RoaringBitmap> mapRows(
      RowsetMerger.Output output, String outputPath, String inputPath, RoaringBitmap rows) {
    int[] rowMap = output.rowMaps().get(inputPath);
    if (rowMap == null || output.segment() == null) {
      return Map.of();
    }
    RoaringBitmap mapped = new RoaringBitmap();
    rows.forEach(
        (int row) -> {
          if (row < rowMap.length && rowMap[row] >= 0) {
            mapped.add(rowMap[row]);
          }
        });
    return Map.of(outputPath, mapped);
  }
}
