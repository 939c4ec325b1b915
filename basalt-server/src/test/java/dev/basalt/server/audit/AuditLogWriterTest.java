package dev.basalt.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit log's writer thread: records queued by many threads at once are all in the file after a
 * clean {@link AuditLog#close}, each thread's in the order it queued them, with statements masked
 * and kinds derived by the writer, and as valid JSON whatever characters they hold.
 */
class AuditLogWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path directory;

  @Test
  void everyRecordQueuedBeforeCloseIsWrittenInOrder() throws Exception {
    int threads = 8;
    // More records than the queue holds, so recording also waits for room.
    int perThread = AuditLog.QUEUE_CAPACITY / 2;
    AuditLog log = AuditLog.open(directory);
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      writers.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; i < perThread; i++) {
                      log.recordStatement(
                          new AuditLog.Entry(
                              thread + ":" + i,
                              thread,
                              "u",
                              "127.0.0.1",
                              "db",
                              null,
                              "select v from t where k = " + i + " and s = 'secret'",
                              0,
                              1,
                              0));
                    }
                  }));
    }
    for (Thread writer : writers) {
      writer.join();
    }
    log.close();
    log.recordStatement(
        new AuditLog.Entry("late", 0, "u", "h", "db", null, "SELECT 1", 0, 1, 0)); // dropped
    Map<Long, Integer> next = new HashMap<>();
    int count = 0;
    for (String line : lines()) {
      JsonNode record = JSON.readTree(line);
      long thread = record.get("connectionId").asLong();
      int expected = next.getOrDefault(thread, 0);
      assertThat(record.get("queryId").asText()).isEqualTo(thread + ":" + expected);
      next.put(thread, expected + 1);
      assertThat(record.get("statement").asText())
          .isEqualTo("select v from t where k = ? and s = ?");
      assertThat(record.get("kind").asText()).isEqualTo("SELECT");
      assertThat(record.get("status").asText()).isEqualTo("OK");
      count++;
    }
    assertThat(count).isEqualTo(threads * perThread);
  }

  @Test
  void recordsAreValidJsonWhateverTheyHold() throws Exception {
    String odd = "quote \" backslash \\ newline \n tab \t bell \u0007 line-separator \u2028 ✓";
    try (AuditLog log = AuditLog.open(directory)) {
      log.record(new AuditLog.Entry("1", 7, odd, null, "db", "STREAM LOAD", odd, 1105, -1, 12));
      log.recordStatement(
          new AuditLog.Entry("2", 7, "u", "h", null, null, "create\ttable `x` (k INT)", 0, -1, 3));
    }
    List<String> lines = lines();
    assertThat(lines).hasSize(2);
    JsonNode load = JSON.readTree(lines.get(0));
    assertThat(load.get("user").asText()).isEqualTo(odd);
    assertThat(load.get("statement").asText()).isEqualTo(odd);
    assertThat(load.get("clientHost").isNull()).isTrue();
    assertThat(load.get("status").asText()).isEqualTo("ERR");
    assertThat(load.get("errorCode").asInt()).isEqualTo(1105);
    assertThat(load.has("rows")).isFalse();
    assertThat(load.get("durationMs").asLong()).isEqualTo(12);
    assertThat(load.get("time").asText()).endsWith("Z");
    JsonNode create = JSON.readTree(lines.get(1));
    assertThat(create.get("kind").asText()).isEqualTo("CREATE TABLE");
    assertThat(create.get("database").isNull()).isTrue();
  }

  /**
   * A statement recorded again (a prepared statement's executions) is masked the same each time.
   */
  @Test
  void repeatedStatementsAreMaskedEachTime() throws Exception {
    String[] statements = {
      "select v from t where s = 'secret'",
      "select v from t where s = 'secret'",
      "insert into t values (1, 'other')",
      "select v from t where s = 'secret'",
      "INSERT INTO t VALUES (?, ?), (?, ?)",
      "INSERT INTO t VALUES (?, ?), (?, ?)"
    };
    try (AuditLog log = AuditLog.open(directory)) {
      for (int i = 0; i < statements.length; i++) {
        // A new String each time, as each execution's text would be.
        log.recordStatement(
            new AuditLog.Entry(
                Integer.toString(i), 1, "u", "h", "db", null, new String(statements[i]), 0, 1, 0));
      }
    }
    List<String> masked = new ArrayList<>();
    List<String> kinds = new ArrayList<>();
    for (String line : lines()) {
      JsonNode record = JSON.readTree(line);
      masked.add(record.get("statement").asText());
      kinds.add(record.get("kind").asText());
    }
    assertThat(masked)
        .containsExactly(
            "select v from t where s = ?",
            "select v from t where s = ?",
            "insert into t values (?, ?)",
            "select v from t where s = ?",
            "INSERT INTO t VALUES (?, ?), (?, ?)",
            "INSERT INTO t VALUES (?, ?), (?, ?)");
    assertThat(kinds).containsExactly("SELECT", "SELECT", "INSERT", "SELECT", "INSERT", "INSERT");
  }

  /**
   * An idle writer parks (it polled every 5 ms before, a few percent of a core on an idle server),
   * and each record queued while it is parked wakes it: the record reaches the file without a
   * close, and the writer parks again.
   */
  @Test
  void idleWriterParksAndRecordsWakeIt() throws Exception {
    try (AuditLog log = AuditLog.open(directory)) {
      for (int round = 1; round <= 3; round++) {
        awaitParked(log.writerThread());
        log.recordStatement(
            new AuditLog.Entry(
                Integer.toString(round), 1, "u", "h", "db", null, "SELECT 1", 0, 1, 0));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (lines().size() < round) {
          assertThat(System.nanoTime())
              .as("record %d written while open", round)
              .isLessThan(deadline);
          Thread.sleep(2);
        }
      }
      awaitParked(log.writerThread());
      assertThat(lines()).hasSize(3);
    }
  }

  /** Waits until the thread waits without a time limit (parked), up to 30 s. */
  private static void awaitParked(Thread thread) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (thread.getState() != Thread.State.WAITING) {
      assertThat(System.nanoTime())
          .as("the writer parks when idle (state %s)", thread.getState())
          .isLessThan(deadline);
      Thread.sleep(1);
    }
  }

  private List<String> lines() throws Exception {
    return Files.readAllLines(
        directory.resolve("log").resolve("audit.log"), StandardCharsets.UTF_8);
  }
}
