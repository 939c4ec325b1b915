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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.Condition;
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
 * <p>Group fsync: {@link #append} only writes; {@link #sync} asks the log's forcing thread for a
 * force and waits for it. That thread forces the file once for every record written before the
 * force started, and then wakes all the loads that force covers at once; loads that ask while a
 * force runs share the next one. (Waiting on a lock around the force instead, as a first version
 * did, hands the lock from waiter to waiter one at a time: with a hundred clients on a busy machine
 * that queue, not the disk, was most of a load's latency.) Thread safe.
 */
final class WriteAheadLog implements AutoCloseable {
  static final byte[] MAGIC = {'B', 'S', 'L', 'T', 'W', 'A', 'L', '1'};
  static final String SUFFIX = ".wal";

  private final Path path;
  private final FileChannel channel;
  private final ReentrantLock appendLock = new ReentrantLock();
  private volatile long written;
  private volatile long synced;

  /** Guards {@link #nextForce}, {@link #forceRequested} and {@link #closed}. */
  private final ReentrantLock forceLock = new ReentrantLock();

  private final Condition forceWanted = forceLock.newCondition();

  /**
   * Completed by the next force to start: it covers every record appended before a load took it.
   */
  private CompletableFuture<Void> nextForce = new CompletableFuture<>();

  private boolean forceRequested;
  private boolean closed;

  /** Whether the file's directory entry is durable; read and written by the forcing thread only. */
  private boolean directoryForced;

  private WriteAheadLog(Path path, FileChannel channel, long written) {
    this.path = path;
    this.channel = channel;
    this.written = written;
    this.synced = 0;
    // A platform thread: the force blocks in the kernel, and the thread must not wait for a
    // carrier behind the very loads (virtual threads) that are waiting for it.
    Thread.ofPlatform()
        .daemon()
        .name("basalt-wal-force-" + path.getFileName())
        .start(this::forceLoop);
  }

  /**
   * Creates the log file of a new group and writes its header, without forcing anything: a group
   * opens under its table's lock, where every load of the table would wait for the device. The
   * header and the file's directory entry become durable with the first force ({@link #sync}),
   * before the first load is acknowledged; a crash before that leaves a log whose header is missing
   * or torn, which recovery discards (no load of it was acknowledged).
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
    CompletableFuture<Void> force;
    forceLock.lock();
    try {
      if (synced >= position) {
        return;
      }
      if (closed) {
        throw new ClosedChannelException();
      }
      // The record at position was appended before this: the force that starts next covers it.
      force = nextForce;
      forceRequested = true;
      forceWanted.signal();
    } finally {
      forceLock.unlock();
    }
    try {
      force.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ClosedChannelException closedFirst) {
        // A fresh one, so that the caller sees this thread's stack; the type is what it tests.
        ClosedChannelException thrown = new ClosedChannelException();
        thrown.initCause(closedFirst);
        throw thrown;
      }
      if (cause instanceof IOException io) {
        throw new IOException(io.getMessage(), io);
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException(String.valueOf(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting for " + path);
    }
  }

  /**
   * The forcing thread: waits for a request, takes the waiting loads' future, forces everything
   * written so far (which includes every waiting load's record) and completes the future. Ends when
   * the log is closed, failing the loads still waiting with {@link ClosedChannelException}.
   */
  private void forceLoop() {
    while (true) {
      CompletableFuture<Void> round;
      forceLock.lock();
      try {
        while (!forceRequested && !closed) {
          forceWanted.awaitUninterruptibly();
        }
        round = nextForce;
        if (closed) {
          round.completeExceptionally(new ClosedChannelException());
          return;
        }
        forceRequested = false;
        nextForce = new CompletableFuture<>();
      } finally {
        forceLock.unlock();
      }
      long target = written;
      try {
        FaultPoints.hit(FaultPoint.WAL_FSYNC_BEFORE);
        if (directoryForced) {
          channel.force(false);
        } else {
          forceWithDirectory();
          directoryForced = true;
        }
        FaultPoints.hit(FaultPoint.WAL_FSYNC_AFTER);
        synced = target;
        round.complete(null);
      } catch (IOException | RuntimeException | Error e) {
        round.completeExceptionally(e);
      }
    }
  }

  /**
   * The first force of a log: its bytes (header included) and its directory entry at the same time,
   * one round of device flushes rather than two.
   */
  private void forceWithDirectory() throws IOException {
    CompletableFuture<Void> directoryForce =
        CompletableFuture.runAsync(
            () -> {
              try {
                forceDirectory(path.getParent());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            // A platform thread, for the reason the forcing thread is one.
            task -> Thread.ofPlatform().daemon().start(task));
    IOException fileFailure = null;
    try {
      channel.force(false);
    } catch (IOException e) {
      fileFailure = e;
    }
    try {
      directoryForce.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (fileFailure == null) {
        throw e.getCause() instanceof UncheckedIOException unchecked
            ? unchecked.getCause()
            : new IOException(e.getCause());
      }
    }
    if (fileFailure != null) {
      throw fileFailure;
    }
  }

  @Override
  public void close() {
    forceLock.lock();
    try {
      closed = true;
      forceWanted.signal();
    } finally {
      forceLock.unlock();
    }
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
