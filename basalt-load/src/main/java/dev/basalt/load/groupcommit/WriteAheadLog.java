package dev.basalt.load.groupcommit;

import dev.basalt.common.fault.FaultPoint;
import dev.basalt.common.fault.FaultPoints;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The write-ahead log of one group: a file {@code wal/<walId>.wal} that receives each load's rows
 * as one checksummed record before the load is acknowledged, and is deleted once the group's commit
 * is durable.
 *
 * <p>Layout (big-endian): the magic {@code BSLTWAL1}; the header's length, the header ({@link
 * WalHeader}) and its CRC32C; then records, each its payload's length, the payload's CRC32C and the
 * payload ({@link WalRecords}). A crash can leave a torn last record; {@link WalReader} stops at
 * the first record whose length or checksum does not hold. Such a record was never acknowledged: a
 * load is acknowledged only after {@link #sync} covered its record.
 *
 * <p>Group fsync: {@link #append} only writes; {@link #sync} forces the file once for every record
 * written so far, so clients that append while a force runs share the next one. Thread safe.
 */
final class WriteAheadLog implements AutoCloseable {
  static final byte[] MAGIC = {'B', 'S', 'L', 'T', 'W', 'A', 'L', '1'};
  static final String SUFFIX = ".wal";

  private final Path path;
  private final FileChannel channel;
  private final ReentrantLock appendLock = new ReentrantLock();
  private final ReentrantLock syncLock = new ReentrantLock();
  private volatile long written;
  private volatile long synced;

  private WriteAheadLog(Path path, FileChannel channel, long written) {
    this.path = path;
    this.channel = channel;
    this.written = written;
    this.synced = written;
  }

  /**
   * Creates the log file of a new group, writes its header and makes the file and its directory
   * entry durable.
   */
  static WriteAheadLog create(Path directory, WalHeader header) {
    Path path = directory.resolve(header.walId() + SUFFIX);
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      header.write(new DataOutputStream(bytes));
      byte[] headerBytes = bytes.toByteArray();
      ByteBuffer buffer = ByteBuffer.allocate(MAGIC.length + 8 + headerBytes.length);
      buffer.put(MAGIC).putInt(headerBytes.length).put(headerBytes).putInt(crc(headerBytes));
      buffer.flip();
      FileChannel channel =
          FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        long position = 0;
        while (buffer.hasRemaining()) {
          position += channel.write(buffer, position);
        }
        channel.force(true);
        forceDirectory(directory);
        return new WriteAheadLog(path, channel, position);
      } catch (IOException | RuntimeException e) {
        channel.close();
        Files.deleteIfExists(path);
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the write-ahead log " + path, e);
    }
  }

  Path path() {
    return path;
  }

  /**
   * Writes one record (not yet durable).
   *
   * @return the file position after the record: pass it to {@link #sync}
   */
  long append(byte[] payload) {
    ByteBuffer buffer = ByteBuffer.allocate(8 + payload.length);
    buffer.putInt(payload.length).putInt(crc(payload)).put(payload).flip();
    appendLock.lock();
    try {
      long position = written;
      while (buffer.hasRemaining()) {
        position += channel.write(buffer, position);
      }
      written = position;
      return position;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the write-ahead log " + path, e);
    } finally {
      appendLock.unlock();
    }
  }

  /**
   * Returns once every byte up to {@code position} is on stable storage: one force covers all
   * records written before it started.
   *
   * @throws ClosedChannelException when the log was closed first (its group committed or failed)
   */
  void sync(long position) throws IOException {
    if (synced >= position) {
      return;
    }
    syncLock.lock();
    try {
      if (synced >= position) {
        return;
      }
      long target = written;
      FaultPoints.hit(FaultPoint.WAL_FSYNC_BEFORE);
      channel.force(false);
      FaultPoints.hit(FaultPoint.WAL_FSYNC_AFTER);
      synced = target;
    } finally {
      syncLock.unlock();
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the write-ahead log " + path, e);
    }
  }

  /** Closes and deletes the file (its rows are committed, or belong to a dropped table). */
  void delete() {
    close();
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the write-ahead log " + path, e);
    }
  }

  static int crc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length);
    return (int) crc.getValue();
  }

  static void forceDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
