package dev.basalt.storage.fs;

/**
 * A file being written, from {@link FileSystem#create}. Call {@link #write} any number of times,
 * then {@link #commit()} to make the bytes durable and visible at {@link #path()}, then {@link
 * #close()}. Closing without a successful commit discards everything written (abort). Used by one
 * thread at a time.
 */
public interface OutputFile extends AutoCloseable {

  /** The path the file will have once committed. */
  String path();

  void write(byte[] bytes, int offset, int length);

  default void write(byte[] bytes) {
    write(bytes, 0, bytes.length);
  }

  /** Bytes written so far, which is also the offset of the next byte. */
  long position();

  /**
   * Flushes, forces the bytes to stable storage, publishes the file at {@link #path()} atomically
   * and makes that publication durable (the directory is synced too). No writes are allowed
   * afterwards. Throws {@code IO_ERROR} on failure, in which case nothing is published.
   */
  void commit();

  /**
   * As {@link #commit()} for a file from {@link FileSystem#createUnpublished}, but without forcing
   * anything: the bytes are readable at {@link #path()} when this returns, not durable. The caller
   * either makes the file durable later ({@link FileSystem#sync}) or keeps a durable copy of its
   * bytes from which a crash can restore it (a small load's segments, see {@code
   * load.SegmentSyncer}). The default forces, as {@link #commit()}.
   */
  default void commitUnsynced() {
    commit();
  }

  /**
   * Releases resources; if {@link #commit()} did not succeed, discards the partial file.
   * Idempotent.
   */
  @Override
  void close();
}
