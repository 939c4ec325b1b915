package dev.basalt.load;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.vector.Batch;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.CommitResult;
import dev.basalt.meta.catalog.LoadStatus;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.TwoPhaseLoad;
import dev.basalt.storage.fs.FileSystem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts load transactions ({@link LoadTransaction}) into tables: the one write path that INSERT
 * and Stream Load share.
 *
 * <p>Durability: segment files are committed (fsync'ed) by the storage layer before the catalog
 * commit, and the catalog commit is durable when it returns, so an acknowledged load survives a
 * crash. Thread safe (stateless apart from its collaborators); each transaction is driven by one
 * thread.
 */
public final class TableWriter {
  /** The default memory budget of one load's buffered rows before its largest tablet flushes. */
  public static final long DEFAULT_BUFFER_BUDGET_BYTES = 64L << 20;

  /** Told about every committed load, after its commit (e.g. to schedule compaction). */
  @FunctionalInterface
  public interface CommitListener {
    /** Called on the committing thread; must return quickly and not throw. */
    void committed(TableMeta table, CommitResult result);
  }

  private final Catalog catalog;
  private final FileSystem fileSystem;
  private final long bufferBudgetBytes;
  private final MemtableBudget memtableBudget;
  private final FilesInFlight filesInFlight = new FilesInFlight();
  private final SegmentSyncer segmentSyncer;
  private final AutoIncrementValues autoIncrementValues;
  private volatile CommitListener commitListener = (table, result) -> {};
  private volatile java.util.function.Function<dev.basalt.meta.catalog.ColumnMeta, Object>
      columnDefaults = column -> null;

  public TableWriter(Catalog catalog, FileSystem fileSystem) {
    this(catalog, fileSystem, DEFAULT_BUFFER_BUDGET_BYTES);
  }

  /**
   * @param bufferBudgetBytes how many bytes of rows one load buffers before it writes its largest
   *     tablet buffer as a segment (at least 1)
   */
  public TableWriter(Catalog catalog, FileSystem fileSystem, long bufferBudgetBytes) {
    this(catalog, fileSystem, bufferBudgetBytes, MemtableBudget.unlimited());
  }

  /**
   * @param bufferBudgetBytes how many bytes of rows one load buffers before it writes its largest
   *     tablet buffer as a segment (at least 1)
   * @param memtableBudget what the buffered rows of all this writer's loads share
   */
  public TableWriter(
      Catalog catalog,
      FileSystem fileSystem,
      long bufferBudgetBytes,
      MemtableBudget memtableBudget) {
    if (bufferBudgetBytes < 1) {
      throw new IllegalArgumentException("buffer budget must be positive: " + bufferBudgetBytes);
    }
    this.catalog = catalog;
    this.fileSystem = fileSystem;
    this.bufferBudgetBytes = bufferBudgetBytes;
    this.memtableBudget = java.util.Objects.requireNonNull(memtableBudget);
    this.segmentSyncer = new SegmentSyncer(catalog, fileSystem);
    this.autoIncrementValues = new AutoIncrementValues(catalog);
  }

  /** Generates AUTO_INCREMENT values; INSERT and Stream Load fill their batches with it. */
  public AutoIncrementValues autoIncrementValues() {
    return autoIncrementValues;
  }

  public long bufferBudgetBytes() {
    return bufferBudgetBytes;
  }

  /** The memory budget the buffered rows of all this writer's loads share. */
  public MemtableBudget memtableBudget() {
    return memtableBudget;
  }

  /** Where this writer's loads write their segments. */
  public FileSystem fileSystem() {
    return fileSystem;
  }

  /** The files this writer's loads are writing and have not committed yet. */
  public FilesInFlight filesInFlight() {
    return filesInFlight;
  }

  /**
   * Sets how a column's declared default becomes a value (representation of {@code Values}; null
   * for none): partial updates read columns that a stored segment lacks (added later) as their
   * default. Without it such columns read as NULL.
   */
  public void useColumnDefaults(
      java.util.function.Function<dev.basalt.meta.catalog.ColumnMeta, Object> defaults) {
    this.columnDefaults = defaults;
  }

  /** Sets the listener told about every committed load (replacing the previous one). */
  public void onCommit(CommitListener listener) {
    this.commitListener = listener;
  }

  /**
   * Begins a load into {@code table}. The caller owns the transaction and must commit, abort or
   * close it.
   *
   * @param label the load's label (unique in the database) or {@code null} for a generated one
   * @throws BasaltException LABEL_ALREADY_EXISTS when the label was used (checked again atomically
   *     at commit)
   */
  public LoadTransaction begin(TableMeta table, String label) {
    if (label != null) {
      catalog
          .label(table.databaseId(), label)
          .ifPresent(
              existing -> {
                throw new BasaltException(
                    ErrorCode.LABEL_ALREADY_EXISTS, label, existing.transactionId());
              });
    }
    return new LoadTransaction(
        catalog,
        fileSystem,
        table,
        label,
        bufferBudgetBytes,
        memtableBudget,
        filesInFlight,
        segmentSyncer,
        commitListener,
        columnDefaults);
  }

  /**
   * Loads {@code batches} (vectors following {@code table.columns()} in order and type) as one
   * transaction: all or nothing.
   */
  public CommitResult write(TableMeta table, List<Batch> batches, String label) {
    try (LoadTransaction load = begin(table, label)) {
      for (Batch batch : batches) {
        load.append(batch);
      }
      return load.commit();
    }
  }

  /**
   * Commits a pre-committed load ({@link LoadTransaction#precommit}): it becomes visible at once,
   * with delete marks computed now for a merge-on-write table.
   *
   * @throws BasaltException TRANSACTION_NOT_FOUND, TRANSACTION_ABORTED,
   *     TRANSACTION_NOT_PRECOMMITTED (Doris's messages), UNKNOWN_TABLE
   */
  public CommitResult commitPrecommitted(long databaseId, long transactionId) {
    // Past its deadline a load is aborted, even if the periodic sweep has not reached it yet.
    catalog
        .twoPhaseLoad(transactionId)
        .filter(load -> load.databaseId() == databaseId)
        .filter(load -> load.status() == LoadStatus.PRECOMMITTED)
        .filter(load -> load.deadline() <= System.currentTimeMillis())
        .ifPresent(load -> abortExpired(load));
    List<PartialUpdateRecheck> rechecks = new ArrayList<>(1);
    List<String> patches = new ArrayList<>();
    try {
      return catalog.commitPrecommitted(
          databaseId,
          transactionId,
          load ->
              catalog
                  .tableById(load.tableId())
                  .filter(TableMeta::mergeOnWrite)
                  .map(
                      table ->
                          new MergeOnWriteMarker(
                              fileSystem,
                              load.segments(),
                              deletedKeys(load),
                              table,
                              recheck(load, table, rechecks, patches)))
                  .orElse(null));
    } catch (IllegalArgumentException changed) {
      // The table was truncated or repartitioned since the pre-commit: its tablets are gone.
      String reason = "the table changed after the pre-commit";
      abortPrecommitted(databaseId, transactionId, reason);
      throw new BasaltException(ErrorCode.TRANSACTION_ABORTED, transactionId, reason);
    } finally {
      rechecks.forEach(PartialUpdateRecheck::close);
      // Committed patches are referenced by their rowsets now; the others are garbage.
      patches.forEach(filesInFlight::remove);
    }
  }

  /**
   * The commit-time re-read of a pre-committed partial update (null for whole rows), as a one-phase
   * commit makes it: keys written since the pre-commit's flushes get their corrected rows in patch
   * segments ({@code patches}, protected from collection until the commit ends).
   */
  private PartialUpdateRecheck recheck(
      TwoPhaseLoad load,
      TableMeta table,
      List<PartialUpdateRecheck> rechecks,
      List<String> patches) {
    if (load.partialUpdate() == null) {
      return null;
    }
    PartialUpdateRecheck recheck =
        PartialUpdateRecheck.restore(
            fileSystem,
            table,
            load.partialUpdate(),
            columnDefaults,
            tabletId -> {
              String path = tabletFilePath(table, tabletId, catalog.allocateId(), ".bsg");
              filesInFlight.add(path);
              patches.add(path);
              return path;
            });
    rechecks.add(recheck);
    return recheck;
  }

  /** The keys a pre-committed load deletes, per tablet, read back from its delete-key files. */
  private Map<Long, TabletDeletes> deletedKeys(TwoPhaseLoad load) {
    Map<Long, TabletDeletes> deletes = new HashMap<>();
    load.deleteKeyFiles()
        .forEach((tablet, path) -> deletes.put(tablet, DeleteKeysFile.read(fileSystem, path)));
    return deletes;
  }

  /**
   * Aborts a pre-committed load and deletes its files.
   *
   * @param reason recorded and reported to a later commit, e.g. {@code User Abort}
   * @throws BasaltException TRANSACTION_NOT_FOUND, TRANSACTION_ABORTED, TRANSACTION_CANNOT_ABORT
   */
  public void abortPrecommitted(long databaseId, long transactionId, String reason) {
    for (String path : catalog.abortPrecommitted(databaseId, transactionId, reason)) {
      fileSystem.delete(path);
    }
  }

  /** The reason recorded for a pre-committed load aborted at its deadline, as Doris words it. */
  public static final String TIMEOUT_ABORT_REASON = "timeout by txn manager";

  /**
   * Aborts the pre-committed loads whose deadline has passed (called periodically).
   *
   * @return how many were aborted
   */
  public int abortExpiredPrecommitted(long now) {
    int aborted = 0;
    for (TwoPhaseLoad load : catalog.precommittedLoads()) {
      if (load.deadline() <= now && abortExpired(load)) {
        aborted++;
      }
    }
    return aborted;
  }

  private boolean abortExpired(TwoPhaseLoad load) {
    try {
      abortPrecommitted(load.databaseId(), load.transactionId(), TIMEOUT_ABORT_REASON);
      return true;
    } catch (BasaltException finishedMeanwhile) {
      // A commit or abort won the race: nothing left to do.
      return false;
    }
  }

  /** The path of file {@code fileId} (a new catalog id) in a tablet's directory. */
  static String tabletFilePath(TableMeta table, long tabletId, long fileId, String suffix) {
    return "data/" + table.databaseId() + "/" + table.id() + "/" + tabletId + "/" + fileId + suffix;
  }

  static int indexOf(TableMeta table, String column) {
    for (int i = 0; i < table.columns().size(); i++) {
      if (table.columns().get(i).name().equalsIgnoreCase(column)) {
        return i;
      }
    }
    throw new BasaltException(ErrorCode.UNKNOWN_COLUMN, column, table.name());
  }

  /**
   * Makes the files of committed small loads durable and deletes their catalog copies ({@link
   * SegmentSyncer#finish}): the last step of a clean stop, once no load can start and before the
   * catalog closes.
   */
  public void finishSmallLoads() {
    segmentSyncer.finish();
  }
}
