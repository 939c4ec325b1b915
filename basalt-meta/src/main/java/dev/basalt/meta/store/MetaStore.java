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
   * Applies {@code batch} atomically.
   *
   * @throws MetaStoreConflictException when a precondition of the batch fails (nothing was written)
   */
  void commit(WriteBatch batch);

  /** Releases the store's connections. Idempotent. */
  @Override
  void close();
}
