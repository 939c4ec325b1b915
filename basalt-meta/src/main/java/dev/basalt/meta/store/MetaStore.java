package dev.basalt.meta.store;

import java.util.List;
import java.util.Optional;

/**
 * A small transactional key-value store that holds all of Basalt's metadata.
 *
 * <p>Keys are strings compared by their UTF-8 bytes (so ASCII keys sort as Java strings do); values
 * are opaque byte arrays. Writes happen only through {@link #commit(WriteBatch)}, which applies all
 * puts and deletes of a batch atomically after checking its preconditions; when a precondition does
 * not hold, nothing is written and {@link MetaStoreConflictException} is thrown. A commit that
 * returned normally is durable (on disk, or in the shared database).
 *
 * <p>Implementations are thread safe. The caller opens a store once, shares it, and closes it when
 * the process shuts down; calls after {@link #close()} fail.
 */
public interface MetaStore extends AutoCloseable {

  /** The value stored under {@code key}, or empty when the key is absent. */
  Optional<byte[]> get(String key);

  /**
   * All entries whose keys start with {@code prefix}, in key order; {@code ""} scans everything.
   */
  List<KeyValue> scan(String prefix);

  /**
   * One {@link #scan} per prefix, all reading the same committed state: no commit of another
   * process lands between them. The default runs the scans one after the other, which is enough for
   * a store only this process writes.
   */
  default List<List<KeyValue>> scanConsistently(List<String> prefixes) {
    List<List<KeyValue>> results = new java.util.ArrayList<>();
    for (String prefix : prefixes) {
      results.add(scan(prefix));
    }
    return results;
  }

  /**
   * Runs {@code action} while no other process can commit into a shared store (this process's
   * commits go on), so that a commit that lost races can reread and commit again without losing
   * once more. Without sharing, just runs it.
   */
  default <T> T exclusively(java.util.function.Supplier<T> action) {
    return action.get();
  }

  /**
   * Applies {@code batch} atomically.
   *
   * @throws MetaStoreConflictException when a precondition of the batch fails (nothing was written)
   */
  void commit(WriteBatch batch);

  /**
   * Whether other processes commit into this store too (several front ends sharing one PostgreSQL
   * catalog). Only a shared store keeps a change log; a caller that caches the store's contents
   * reads it to follow the others' commits ({@link #lastChangeSequence}, {@link #changesSince}).
   */
  default boolean isShared() {
    return false;
  }

  /** The sequence number of the newest logged commit; 0 when none (or the store is not shared). */
  default long lastChangeSequence() {
    return 0;
  }

  /**
   * The logged commits after {@code sequence} made through other store objects (other front ends),
   * in commit order; this object's own commits, which its caller has in its cache already, are left
   * out. Empty when the log no longer reaches back to {@code sequence + 1} (old entries are
   * pruned), so the caller must reread everything it caches. The caller passes increasing {@code
   * sequence} values.
   */
  default Optional<List<StoreChange>> changesSince(long sequence) {
    return Optional.of(List.of());
  }

  /** Releases the store's connections. Idempotent. */
  @Override
  void close();
}
