package dev.basalt.load.groupcommit;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a write-ahead log file ({@link WriteAheadLog} describes the layout): the header, then the
 * records one at a time, stopping at the end or at a torn last record. Not thread safe; close it.
 */
final class WalReader implements AutoCloseable {
  /** Larger than any record a load writes; a length beyond it means a torn or damaged record. */
  private static final int MAX_RECORD_BYTES = 1 << 30;

  private final DataInputStream in;
  private final WalHeader header;
  private boolean torn;

  /**
   * @throws IOException when the file cannot be read or its header is damaged (a crash while the
   *     file was created: such a group acknowledged nothing)
   */
  WalReader(Path path) throws IOException {
    InputStream file = Files.newInputStream(path);
    try {
      in = new DataInputStream(new BufferedInputStream(file, 1 << 16));
      byte[] magic = new byte[WriteAheadLog.MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, WriteAheadLog.MAGIC)) {
        throw new IOException("not a Basalt write-ahead log: " + path);
      }
      int length = in.readInt();
      if (length < 0 || length > MAX_RECORD_BYTES) {
        throw new IOException("damaged header in " + path);
      }
      byte[] headerBytes = new byte[length];
      in.readFully(headerBytes);
      if (in.readInt() != WriteAheadLog.crc(headerBytes)) {
        throw new IOException("damaged header in " + path);
      }
      header = WalHeader.read(new DataInputStream(new ByteArrayInputStream(headerBytes)));
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
  }

  WalHeader header() {
    return header;
  }

  /** The next record's payload, or null at the end of the file or at a torn last record. */
  byte[] next() throws IOException {
    if (torn) {
      return null;
    }
    try {
      int length;
      try {
        length = in.readInt();
      } catch (EOFException end) {
        return null;
      }
      int crc = in.readInt();
      if (length < 0 || length > MAX_RECORD_BYTES) {
        torn = true;
        return null;
      }
      byte[] payload = new byte[length];
      in.readFully(payload);
      if (WriteAheadLog.crc(payload) != crc) {
        torn = true;
        return null;
      }
      return payload;
    } catch (EOFException partial) {
      torn = true;
      return null;
    }
  }

  /** Whether reading stopped at a torn record rather than at the end of the file. */
  boolean torn() {
    return torn;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
