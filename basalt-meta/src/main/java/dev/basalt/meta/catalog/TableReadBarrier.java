package dev.basalt.meta.catalog;

/**
 * What {@link Catalog#snapshot} runs before it takes a table's snapshot, so that every write
 * acknowledged before the read began is in it: writes that were made durable (a write-ahead log)
 * and acknowledged before their commit, as INSERT ... VALUES that share one commit are
 * (docs/stream-load.md, "INSERTs sharing a commit"), are committed first.
 *
 * <p>Implementations are thread safe, return at once for a table with nothing pending, and never
 * call {@link Catalog#snapshot} themselves (they may call {@link Catalog#committedSnapshot}).
 */
@FunctionalInterface
public interface TableReadBarrier {
  /** The barrier of a catalog that nobody has given one: nothing to wait for. */
  TableReadBarrier NONE = tableId -> {};

  /**
   * Returns once the writes to the table acknowledged before this call are committed (or have
   * failed to commit: the read then goes on without them).
   */
  void beforeRead(long tableId);
}
