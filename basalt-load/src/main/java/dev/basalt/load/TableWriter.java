package dev.basalt.load;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.vector.Batch;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.CommitResult;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.storage.fs.FileSystem;
import java.util.List;

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
  private final FilesInFlight filesInFlight = new FilesInFlight();
  private volatile CommitListener commitListener = (table, result) -> {};

  public TableWriter(Catalog catalog, FileSystem fileSystem) {
    this(catalog, fileSystem, DEFAULT_BUFFER_BUDGET_BYTES);
  }

  /**
   * @param bufferBudgetBytes how many bytes of rows one load buffers before it writes its largest
   *     tablet buffer as a segment (at least 1)
   */
  public TableWriter(Catalog catalog, FileSystem fileSystem, long bufferBudgetBytes) {
    if (bufferBudgetBytes < 1) {
      throw new IllegalArgumentException("buffer budget must be positive: " + bufferBudgetBytes);
    }
    this.catalog = catalog;
    this.fileSystem = fileSystem;
    this.bufferBudgetBytes = bufferBudgetBytes;
  }

  public long bufferBudgetBytes() {
    return bufferBudgetBytes;
  }

  /** The files this writer's loads are writing and have not committed yet. */
  public FilesInFlight filesInFlight() {
    return filesInFlight;
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
        catalog, fileSystem, table, label, bufferBudgetBytes, filesInFlight, commitListener);
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

  static int indexOf(TableMeta table, String column) {
    for (int i = 0; i < table.columns().size(); i++) {
      if (table.columns().get(i).name().equalsIgnoreCase(column)) {
        return i;
      }
    }
    throw new BasaltException(ErrorCode.UNKNOWN_COLUMN, column, table.name());
  }
}
