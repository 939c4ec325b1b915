package dev.basalt.storage.encoding;

/**
 * Thrown by decoders when stored bytes do not describe a valid value sequence (a length that runs
 * past the buffer, an unknown encoding id, a dictionary code out of range).
 *
 * <p>It carries no file name: the segment reader catches it and rethrows a {@code BasaltException}
 * with {@code ErrorCode.STORAGE_CORRUPTION}, the file path and the page it was decoding. It never
 * escapes the storage module.
 */
public final class FormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FormatException(String message) {
    super(message);
  }
}
