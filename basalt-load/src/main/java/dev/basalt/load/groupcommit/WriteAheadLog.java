package dev.basalt.load.groupcommit;

import dev.basalt.common.fault.FaultPoint;
import dev.basalt.common.fault.FaultPoints;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
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
 * <p>Group write and fsync: {@link #appendRecord} only queues the record in memory (the caller's
 * array, not a copy: a 1,000-row JDBC batch's record is 150 KB, and copying it into one growing
 * buffer was 7 % of the statement's CPU); {@link #sync} asks the log's forcing thread for a force
 * and waits for it. That thread takes every record appended so far, writes them to the file in one
 * gathering system call, forces the file, and then wakes all the loads that force covers at once;
 * loads that ask while a force runs share the next one. (A write per load, under the table's lock,
 * was a twelfth of a 10-row load's server CPU with a hundred clients; waiting on a lock around the
 * force instead, as a first version did, hands the lock from waiter to waiter one at a time: with a
 * hundred clients on a busy machine that queue, not the disk, was most of a load's latency.) After
 * a failed write or force the log is broken: the waiting loads and every later {@link
 * #appendRecord} and {@link #sync} fail (a retried fsync may report success for pages the kernel
 * already dropped). Thread safe.
 */
final class WriteAheadLog implements AutoCloseable {
  static final byte[] MAGIC = {'B', 'S', 'L', 'T', 'W', 'A', 'L', '1'};
  static final String SUFFIX = ".wal";

  /** Bytes of a record before its payload: the payload's length and CRC32C. */
  static final int RECORD_HEADER_BYTES = 8;

  private static final VarHandle INT_BIG_ENDIAN =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private final Path path;
  private final FileChannel channel;
  private final Thread forcer;
  private volatile long synced;

  /**
   * Guards the fields below: the records not yet handed to the forcing thread, the next force's
   * future, and the log's state.
   */
  private final ReentrantLock lock = new ReentrantLock();

  private final Condition forceWanted = lock.newCondition();

  /**
   * Records appended since the forcing thread last took them, each a whole record (header and
   * payload). The forcing thread takes the list itself: a thousand tables' open groups, each idle
   * between its loads, hold no records.
   */
  private List<byte[]> pending = new ArrayList<>();

  /** The file position after the last record appended (written or still pending). */
  private long appended;

  /**
   * Completed by the next force to start: it covers every record appended before a load took it.
   */
  private CompletableFuture<Void> nextForce = new CompletableFuture<>();

  private boolean forceRequested;
  private boolean closed;

  /** Why the log is broken (a failed write or force), or null. */
  private IOException failure;

  /** Where the next write goes; read and written by the forcing thread only. */
  private long fileEnd;

  /** Whether the file's directory entry is durable; read and written by the forcing thread only. */
  private boolean directoryForced;

  private WriteAheadLog(Path path, FileChannel channel, long written) {
    this.path = path;
    this.channel = channel;
    this.fileEnd = written;
    this.appended = written;
    this.synced = 0;
    // A platform thread: the force blocks in the kernel, and the thread must not wait for a
    // carrier behind the very loads (virtual threads) that are waiting for it.
    this.forcer =
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
   * Adds one record (in memory; the forcing thread writes it): {@code record[RECORD_HEADER_BYTES
   * ..)} is the payload, and this fills in the header before it (the payload's length and CRC32C).
   * The log keeps the array until it is written: the caller must not change it.
   *
   * @return the file position after the record: pass it to {@link #sync}
   * @throws UncheckedIOException when the log is broken or closed
   */
  long appendRecord(byte[] record) {
    int payloadLength = record.length - RECORD_HEADER_BYTES;
    CRC32C checksum = new CRC32C();
    checksum.update(record, RECORD_HEADER_BYTES, payloadLength);
    INT_BIG_ENDIAN.set(record, 0, payloadLength);
    INT_BIG_ENDIAN.set(record, 4, (int) checksum.getValue());
    lock.lock();
    try {
      if (failure != null) {
        throw new UncheckedIOException("cannot write the write-ahead log " + path, failure);
      }
      if (closed) {
        throw new UncheckedIOException(
            "cannot write the write-ahead log " + path, new ClosedChannelException());
      }
      pending.add(record);
      appended += record.length;
      return appended;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns once every byte up to {@code position} is on stable storage: one write and force cover
   * all records appended before it started.
   *
   * @throws ClosedChannelException when the log was closed first (its group committed or failed)
   */
  void sync(long position) throws IOException {
    if (synced >= position) {
      return;
    }
    CompletableFuture<Void> force;
    lock.lock();
    try {
      if (synced >= position) {
        return;
      }
      if (failure != null) {
        throw new IOException(failure.getMessage(), failure);
      }
      if (closed) {
        throw new ClosedChannelException();
      }
      // The record at position was appended before this: the force that starts next covers it.
      force = nextForce;
      forceRequested = true;
      forceWanted.signal();
    } finally {
      lock.unlock();
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
   * The forcing thread: waits for a request, takes the waiting loads' future and the records
   * appended so far (which include every waiting load's), writes and forces them, and completes the
   * future. When the log is closed it writes what is still pending (a group replayed from its log
   * after a refused commit reads it back) and fails the loads still waiting with {@link
   * ClosedChannelException}.
   */
  private void forceLoop() {
    while (true) {
      CompletableFuture<Void> round;
      long target;
      List<byte[]> taken;
      boolean closing;
      lock.lock();
      try {
        while (!forceRequested && !closed) {
          forceWanted.awaitUninterruptibly();
        }
        round = nextForce;
        closing = closed;
        if (failure != null) {
          round.completeExceptionally(closing ? new ClosedChannelException() : failure);
          if (closing) {
            return;
          }
          forceRequested = false;
          nextForce = new CompletableFuture<>();
          continue;
        }
        forceRequested = false;
        nextForce = new CompletableFuture<>();
        taken = pending;
        pending = new ArrayList<>();
        target = appended;
      } finally {
        lock.unlock();
      }
      try {
        write(taken);
        if (closing) {
          round.completeExceptionally(new ClosedChannelException());
          return;
        }
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
        IOException broken =
            e instanceof IOException io ? io : new IOException("writing " + path + " failed", e);
        lock.lock();
        try {
          failure = broken;
        } finally {
          lock.unlock();
        }
        round.completeExceptionally(broken);
        if (closing) {
          return;
        }
      }
    }
  }

  /** Writes {@code records} at the end of the file, in order, gathered into few system calls. */
  private void write(List<byte[]> records) throws IOException {
    if (records.isEmpty()) {
      return;
    }
    ByteBuffer[] buffers = new ByteBuffer[records.size()];
    for (int i = 0; i < buffers.length; i++) {
      buffers[i] = ByteBuffer.wrap(records.get(i));
    }
    channel.position(fileEnd);
    int first = 0;
    while (first < buffers.length) {
      fileEnd += channel.write(buffers, first, buffers.length - first);
      while (first < buffers.length && !buffers[first].hasRemaining()) {
        first++;
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

  /**
   * Stops the forcing thread once it has written every record appended (not forced: a closed log is
   * deleted or replayed by this process), fails the loads still waiting for a force with {@link
   * ClosedChannelException}, and closes the file. Idempotent.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      forceWanted.signal();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    while (forcer != Thread.currentThread()) {
      try {
        forcer.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
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
