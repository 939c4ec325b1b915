package dev.basalt.load.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log's group write: records are queued in memory by {@link WriteAheadLog#appendRecord} and
 * reach the file with the force that {@link WriteAheadLog#sync} waits for (or at {@link
 * WriteAheadLog#close}), whole and in position order.
 */
class WriteAheadLogTest {
  @TempDir Path directory;

  private WriteAheadLog create(long walId) {
    return WriteAheadLog.create(
        directory, new WalHeader(walId, 1, 2, GroupCommitManager.labelOf(walId), List.of()));
  }

  private static List<String> records(Path log) throws IOException {
    List<String> records = new ArrayList<>();
    try (WalReader reader = new WalReader(log)) {
      for (byte[] payload = reader.next(); payload != null; payload = reader.next()) {
        records.add(new String(payload, StandardCharsets.UTF_8));
      }
      assertThat(reader.torn()).isFalse();
    }
    return records;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Appends a record of {@code payload} as loads do: the payload behind room for the header. */
  private static long append(WriteAheadLog log, byte[] payload) {
    byte[] record = new byte[WriteAheadLog.RECORD_HEADER_BYTES + payload.length];
    System.arraycopy(payload, 0, record, WriteAheadLog.RECORD_HEADER_BYTES, payload.length);
    return log.appendRecord(record);
  }

  @Test
  void aSyncedRecordIsInTheFileBeforeSyncReturns() throws Exception {
    WriteAheadLog log = create(7);
    try {
      append(log, bytes("first"));
      long position = append(log, bytes("second".repeat(10_000)));
      // Nothing is written until a force: the records wait in memory.
      assertThat(records(log.path())).isEmpty();
      log.sync(position);
      assertThat(records(log.path())).containsExactly("first", "second".repeat(10_000));
      log.sync(position); // covered already: returns at once
    } finally {
      log.close();
    }
  }

  @Test
  void closeWritesTheRecordsNoForceTookAndFailsLaterCalls() throws Exception {
    WriteAheadLog log = create(8);
    log.sync(append(log, bytes("forced")));
    append(log, bytes("pending 1"));
    long position = append(log, bytes("pending 2"));
    log.close();
    // A group replayed from its log after a refused commit reads what was appended.
    assertThat(records(log.path())).containsExactly("forced", "pending 1", "pending 2");
    assertThatThrownBy(() -> log.sync(position)).isInstanceOf(ClosedChannelException.class);
    assertThatThrownBy(() -> append(log, bytes("late"))).hasMessageContaining("cannot write");
    log.close(); // idempotent
  }

  @Test
  void concurrentLoadsShareForcesAndEveryRecordLandsOnce() throws Exception {
    WriteAheadLog log = create(9);
    int threads = 16;
    int perThread = 300;
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            executor.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    long position = append(log, bytes(thread + ":" + i));
                    log.sync(position);
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    }
    List<String> records = records(log.path());
    log.close();
    assertThat(records).hasSize(threads * perThread);
    Set<String> distinct = new HashSet<>(records);
    assertThat(distinct).hasSize(threads * perThread);
    // Each thread's records in its own order (each waited for its force before the next).
    for (int t = 0; t < threads; t++) {
      String prefix = t + ":";
      List<String> own = records.stream().filter(r -> r.startsWith(prefix)).toList();
      for (int i = 0; i < perThread; i++) {
        assertThat(own.get(i)).isEqualTo(prefix + i);
      }
    }
  }
}
