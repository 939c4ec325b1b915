package dev.basalt.load.streamload;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The rejected rows of one load, written to a text file under the data directory as they happen:
 * one line per row, {@code Line <n>: Reason: <why>. src line [<text>];}, the first {@link
 * #MAX_ROWS} rows only (the count goes on). The file is created on the first rejected row. Owned by
 * one load; thread safe (its parser and writer threads both report rows).
 */
final class ErrorLog implements AutoCloseable {
  /** Rows kept in the file; later rejections are only counted. */
  static final int MAX_ROWS = 1000;

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private static final int MAX_ROW_TEXT = 1024;

  private final Path directory;
  private final java.util.function.Supplier<String> namePrefix;
  private String name;
  private BufferedWriter writer;
  private long rows;
  private String firstReason;

  /**
   * @param namePrefix the file's name before a random suffix (unguessable: the error log URL needs
   *     no credentials), drawn only when a row is rejected
   */
  ErrorLog(Path directory, String namePrefix) {
    this(directory, () -> namePrefix);
  }

  /**
   * @param namePrefix gives the file's name before the random suffix, asked only when a row is
   *     rejected (a group-commit load allocates no id unless it needs one)
   */
  ErrorLog(Path directory, java.util.function.Supplier<String> namePrefix) {
    this.directory = directory;
    this.namePrefix = namePrefix;
  }

  synchronized void add(long line, String reason, SourceRecord record) {
    rows++;
    if (firstReason == null) {
      firstReason = "line " + line + ": " + reason;
    }
    if (rows > MAX_ROWS) {
      return;
    }
    try {
      if (writer == null) {
        name = namePrefix.get() + "_" + randomSuffix();
        Files.createDirectories(directory);
        writer = Files.newBufferedWriter(directory.resolve(name), StandardCharsets.UTF_8);
      }
      writer.write("Line " + line + ": Reason: " + reason + ". src line [");
      writer.write(record == null ? "" : record.text(MAX_ROW_TEXT));
      writer.write("];\n");
    } catch (IOException e) {
      throw new BasaltException(e, ErrorCode.IO_ERROR, "writing the load error log: " + e);
    }
  }

  synchronized long rows() {
    return rows;
  }

  /** The first rejection, with its line, or null. */
  synchronized String firstReason() {
    return firstReason;
  }

  /**
   * 128 random bits in hex: the error log URL is a capability (Doris serves it without credentials,
   * and clients fetch it as given), so its name must not be guessable.
   */
  private static String randomSuffix() {
    byte[] bits = new byte[16];
    RANDOM.nextBytes(bits);
    return java.util.HexFormat.of().formatHex(bits);
  }

  /** The file's name when rows were rejected, else null. */
  synchronized String fileName() {
    return rows > 0 ? name : null;
  }

  @Override
  public synchronized void close() {
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException e) {
        throw new BasaltException(e, ErrorCode.IO_ERROR, "writing the load error log: " + e);
      }
      writer = null;
    }
  }
}
