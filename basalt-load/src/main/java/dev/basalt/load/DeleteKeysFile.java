package dev.basalt.load;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.fs.InputFile;
import dev.basalt.storage.fs.OutputFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The keys a pre-committed two-phase load deletes in one tablet ({@link TabletDeletes}), kept in a
 * file beside its segments ({@code <id>.bdk}) until the load is committed or aborted: the commit
 * marks them then, against the rows visible at that moment.
 *
 * <p>Layout: the magic {@code BASALTDK}, the number of deletes (int), then per delete the key's
 * length (int), its bytes, a flag (1 when it carries a sequence value) and the sequence value
 * (long) when it does; last a CRC32C (int) of everything before it. Big-endian. A file that does
 * not end where its count says or whose checksum differs is refused, naming it.
 */
final class DeleteKeysFile {
  static final String SUFFIX = ".bdk";
  private static final byte[] MAGIC = "BASALTDK".getBytes(StandardCharsets.US_ASCII);
  private static final int WRITE_BUFFER = 64 * 1024;

  private DeleteKeysFile() {}

  /** Writes {@code deletes} durably at {@code path} (a file no commit names yet). */
  static void write(FileSystem fileSystem, String path, TabletDeletes deletes) {
    CRC32C crc = new CRC32C();
    ByteBuffer buffer = ByteBuffer.allocate(WRITE_BUFFER);
    try (OutputFile out = fileSystem.createUnpublished(path)) {
      buffer.put(MAGIC).putInt(deletes.size());
      for (int i = 0; i < deletes.size(); i++) {
        byte[] key = deletes.key(i);
        ensure(out, crc, buffer, Integer.BYTES + 1 + Long.BYTES);
        buffer.putInt(key.length);
        for (int offset = 0; offset < key.length; ) {
          ensure(out, crc, buffer, 1);
          int length = Math.min(buffer.remaining(), key.length - offset);
          buffer.put(key, offset, length);
          offset += length;
        }
        ensure(out, crc, buffer, 1 + Long.BYTES);
        if (deletes.hasSequence(i)) {
          buffer.put((byte) 1).putLong(deletes.sequence(i));
        } else {
          buffer.put((byte) 0);
        }
      }
      drain(out, crc, buffer);
      buffer.putInt((int) crc.getValue());
      buffer.flip();
      out.write(buffer.array(), 0, buffer.limit());
      out.commit();
    }
  }

  /** Reads the deletes written by {@link #write}. */
  static TabletDeletes read(FileSystem fileSystem, String path) {
    byte[] bytes;
    try (InputFile in = fileSystem.open(path)) {
      long length = in.length();
      if (length < MAGIC.length + 2 * Integer.BYTES || length > Integer.MAX_VALUE) {
        throw corrupt(path, "unexpected length " + length);
      }
      bytes = in.read(0, (int) length);
    }
    if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw corrupt(path, "not a delete-keys file (bad magic)");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - Integer.BYTES);
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    if (buffer.getInt(bytes.length - Integer.BYTES) != (int) crc.getValue()) {
      throw corrupt(path, "checksum mismatch");
    }
    buffer.limit(bytes.length - Integer.BYTES).position(MAGIC.length);
    try {
      int count = buffer.getInt();
      TabletDeletes deletes = new TabletDeletes();
      for (int i = 0; i < count; i++) {
        int keyLength = buffer.getInt();
        if (keyLength < 0 || keyLength > buffer.remaining()) {
          throw corrupt(path, "truncated entry");
        }
        byte[] key = new byte[keyLength];
        buffer.get(key);
        if (buffer.get() == 1) {
          deletes.add(key, buffer.getLong());
        } else {
          deletes.add(key);
        }
      }
      if (buffer.hasRemaining()) {
        throw corrupt(path, buffer.remaining() + " bytes after the last delete");
      }
      return deletes;
    } catch (RuntimeException malformed) {
      if (malformed instanceof BasaltException) {
        throw malformed;
      }
      throw corrupt(path, "truncated entry");
    }
  }

  /** Makes room for {@code bytes} more bytes in {@code buffer}, writing out what it holds. */
  private static void ensure(OutputFile out, CRC32C crc, ByteBuffer buffer, int bytes) {
    if (buffer.remaining() < bytes) {
      drain(out, crc, buffer);
    }
  }

  private static void drain(OutputFile out, CRC32C crc, ByteBuffer buffer) {
    crc.update(buffer.array(), 0, buffer.position());
    out.write(buffer.array(), 0, buffer.position());
    buffer.clear();
  }

  private static BasaltException corrupt(String path, String what) {
    return new BasaltException(ErrorCode.STORAGE_CORRUPTION, path, what);
  }
}
