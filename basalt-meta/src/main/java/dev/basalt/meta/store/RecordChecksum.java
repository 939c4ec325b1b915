package dev.basalt.meta.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The checksum every metadata record carries in a {@link JdbcMetaStore}: the stored value is the
 * record's bytes followed by an 8-byte trailer, a 4-byte marker ({@code 00 'B' 'c' 'k'}) and the
 * CRC32C of the key's UTF-8 bytes and the record (little endian). The key is part of the checksum,
 * so a record copied under another key is caught too.
 *
 * <p>Why here and not in SQLite: SQLite checks its file's structure ({@code quick_check}) but keeps
 * no checksum of the bytes in a row, so a bit flipped inside a catalog record would otherwise be
 * read as a different table definition or grant. Records written before checksums existed have no
 * trailer and are read as they are. Stateless and thread safe.
 */
final class RecordChecksum {
  private static final byte[] MARKER = {0, 'B', 'c', 'k'};
  static final int TRAILER_BYTES = 8;

  private RecordChecksum() {}

  /** The value to store for {@code record} under {@code key}. */
  static byte[] seal(String key, byte[] record) {
    byte[] sealed = Arrays.copyOf(record, record.length + TRAILER_BYTES);
    System.arraycopy(MARKER, 0, sealed, record.length, MARKER.length);
    ByteBuffer.wrap(sealed, record.length + MARKER.length, 4)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(crc(key, record, record.length));
    return sealed;
  }

  /**
   * The record in a stored value, checked against its checksum.
   *
   * @throws IllegalStateException when the checksum does not match (the message says so; the caller
   *     names the store and the key)
   */
  static byte[] open(String key, byte[] stored) {
    int length = stored.length - TRAILER_BYTES;
    if (length < 0 || !Arrays.equals(stored, length, length + MARKER.length, MARKER, 0, 4)) {
      return stored; // written before records carried checksums
    }
    int expected =
        ByteBuffer.wrap(stored, length + MARKER.length, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (crc(key, stored, length) != expected) {
      throw new IllegalStateException("record '" + key + "' does not match its CRC32C checksum");
    }
    return Arrays.copyOf(stored, length);
  }

  private static int crc(String key, byte[] record, int length) {
    CRC32C crc = new CRC32C();
    crc.update(key.getBytes(StandardCharsets.UTF_8));
    crc.update(record, 0, length);
    return (int) crc.getValue();
  }
}
