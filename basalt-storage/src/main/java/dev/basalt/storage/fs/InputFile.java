package dev.basalt.storage.fs;

/**
 * A committed file open for random-access reads, from {@link FileSystem#open}. Positional reads do
 * not share a cursor, so one {@code InputFile} may be read by several threads at once. The opener
 * owns it and closes it.
 */
public interface InputFile extends AutoCloseable {

  String path();

  /** The file's size in bytes, fixed since it was committed. */
  long length();

  /**
   * Reads exactly {@code length} bytes starting at {@code position} into {@code buffer[offset..]}.
   * A range that ends past {@link #length()} is a {@code STORAGE_CORRUPTION} error (the caller
   * trusted a stored offset); an I/O failure is {@code IO_ERROR}.
   */
  void readFully(long position, byte[] buffer, int offset, int length);

  /** Reads {@code length} bytes at {@code position} into a new array. */
  default byte[] read(long position, int length) {
    byte[] buffer = new byte[length];
    readFully(position, buffer, 0, length);
    return buffer;
  }

  @Override
  void close();
}
