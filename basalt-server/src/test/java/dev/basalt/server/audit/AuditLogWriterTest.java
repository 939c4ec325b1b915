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

  private List<String> lines() throws Exception {
    return Files.readAllLines(
        directory.resolve("log").resolve("audit.log"), StandardCharsets.UTF_8);
  }
}
