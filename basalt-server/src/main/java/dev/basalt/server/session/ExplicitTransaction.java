package dev.basalt.server.session;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.load.LoadTransaction;
import dev.basalt.meta.catalog.CommitResult;
import dev.basalt.meta.catalog.TableMeta;
import java.util.function.Supplier;

/**
 * A session's explicit transaction ({@code BEGIN [WITH LABEL l]} ... {@code COMMIT | ROLLBACK}),
 * with Doris's semantics for the INSERTs inside it: they all write into one load, which nobody (the
 * session included) sees until COMMIT makes it visible at one version, and ROLLBACK (or the session
 * ending) discards. The load streams to segment files as it grows, so a transaction holds no more
 * memory than one INSERT does.
 *
 * <p>One table per transaction: the first INSERT chooses it; an INSERT into another table is
 * refused and leaves the transaction as it was. A statement that fails halfway through its rows
 * rolls the whole transaction back (its earlier rows cannot be told apart from the failed ones);
 * every later write and COMMIT then fails saying so (that COMMIT, or a ROLLBACK, ends the
 * transaction), so that no later COMMIT can make part of it visible. Used by one statement at a
 * time, from the session's thread.
 */
public final class ExplicitTransaction {
  private final String label;
  private LoadTransaction load;
  private boolean rolledBack;

  public ExplicitTransaction(String label) {
    this.label = label;
  }

  /** The label {@code BEGIN WITH LABEL} gave, or {@code null} for one generated at commit. */
  public String label() {
    return label;
  }

  /**
   * The transaction's load into {@code table}, begun by {@code begin} on the first write.
   *
   * @throws BasaltException when the transaction already writes another table, or the table's
   *     columns changed since its first write
   */
  public LoadTransaction loadInto(TableMeta table, Supplier<LoadTransaction> begin) {
    requireNotRolledBack();
    if (load == null) {
      load = begin.get();
      return load;
    }
    TableMeta written = load.table();
    if (written.id() != table.id()) {
      throw new BasaltException(
          ErrorCode.ANALYSIS_ERROR,
          "this transaction writes table "
              + written.name()
              + "; a transaction writes one table (COMMIT or ROLLBACK first to write "
              + table.name()
              + ")");
    }
    if (!written.columns().equals(table.columns())) {
      failed();
      throw new BasaltException(
          ErrorCode.ANALYSIS_ERROR,
          "table "
              + table.name()
              + " changed its columns during the transaction, which was rolled back;"
              + " ROLLBACK to end it");
    }
    return load;
  }

  /** Makes every write visible at one version; {@code null} when the transaction wrote nothing. */
  public CommitResult commit() {
    requireNotRolledBack();
    if (load == null) {
      return null;
    }
    try (LoadTransaction committing = load) {
      load = null;
      return committing.commit();
    }
  }

  /** Rolls the transaction back after a statement in it failed; see the class comment. */
  public void failed() {
    rolledBack = true;
    abort();
  }

  private void requireNotRolledBack() {
    if (rolledBack) {
      throw new BasaltException(
          ErrorCode.ANALYSIS_ERROR,
          "the transaction was rolled back when a statement in it failed; ROLLBACK to end it");
    }
  }

  /** Discards every write. */
  public void abort() {
    LoadTransaction aborting = load;
    load = null;
    if (aborting != null) {
      aborting.abort();
    }
  }
}
