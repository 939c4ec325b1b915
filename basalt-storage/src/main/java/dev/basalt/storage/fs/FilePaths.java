package dev.basalt.storage.fs;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;

/** Path validation and the errors shared by {@link FileSystem} implementations. */
final class FilePaths {
  /** Marks files still being written; {@link FileSystem#list} hides them. */
  static final String IN_PROGRESS_MARKER = ".inprogress-";

  private FilePaths() {}

  /**
   * Checks that {@code path} names a file: relative, {@code /}-separated, no empty, "." or ".."
   * segments.
   */
  static String checkFile(String path) {
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException("empty file path");
    }
    return checkDirectory(path);
  }

  /** Like {@link #checkFile} but {@code ""} (the root) is allowed; a trailing "/" is removed. */
  static String checkDirectory(String path) {
    if (path == null) {
      throw new IllegalArgumentException("null path");
    }
    String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (trimmed.isEmpty()) {
      return trimmed;
    }
    if (trimmed.startsWith("/") || trimmed.indexOf('\\') >= 0 || trimmed.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("not a relative '/'-separated path: '" + path + "'");
    }
    for (String segment : trimmed.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(
            "invalid segment '" + segment + "' in path '" + path + "'");
      }
      if (segment.contains(IN_PROGRESS_MARKER)) {
        throw new IllegalArgumentException("reserved name in path '" + path + "'");
      }
    }
    return trimmed;
  }

  static BasaltException ioError(String what, String path, Exception cause) {
    String detail = cause == null ? "" : ": " + cause;
    return new BasaltException(cause, ErrorCode.IO_ERROR, what + " '" + path + "'" + detail);
  }

  static BasaltException pastEnd(String path, long position, int length, long fileLength) {
    return new BasaltException(
        ErrorCode.STORAGE_CORRUPTION,
        path,
        "read of "
            + length
            + " bytes at offset "
            + position
            + " runs past the end of the file ("
            + fileLength
            + " bytes)");
  }
}
