package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thousand tables written at once on a small heap: every table's open group commit group holds
 * its rows in memory (a long {@code group_commit_interval_ms}), so the loads together buffer far
 * more rows than the heap holds. The server-wide memtable budget ({@code --load-memory-limit}, 25%
 * of the heap by default) flushes the largest buffers to segments of their uncommitted groups, so
 * the server never runs out of memory, every acknowledged row is readable after the groups commit,
 * and {@code GET /metrics} shows the budget at work.
 */
class ManyTablesLoadMemoryTest {
  private static final String HEAP = "192m";
  private static final int TABLES = 1_000;
  private static final int ROUNDS = 4;
  private static final int ROWS_PER_LOAD = 1_000;
  private static final int CLIENTS = 16;

  @TempDir static Path directory;

  private static ServerProcess server;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start(directory.resolve("data"), directory.resolve("server.log"), HEAP);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (server != null) {
      server.kill();
    }
  }

  @Test
  void aThousandTablesWrittenAtOnceStayWithinTheBudgetAndKeepEveryAcknowledgedRow()
      throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      try (Connection connection = server.connect();
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE many");
      }
      forEachTable(
          clients,
          (statement, table) ->
              statement.execute(
                  "CREATE TABLE many.t"
                      + table
                      + " (k BIGINT, v VARCHAR(64)) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k)"
                      + " BUCKETS 2 PROPERTIES (\"group_commit_interval_ms\" = \"600000\")"));

      // Every table's group stays open: all rows loaded wait in memory or in flushed segments.
      AtomicLongArray acknowledged = new AtomicLongArray(TABLES);
      List<Future<?>> loads = new ArrayList<>();
      for (int client = 0; client < CLIENTS; client++) {
        int first = client;
        loads.add(
            clients.submit(
                () -> {
                  try (StreamLoadClient http = new StreamLoadClient(server.httpPort())) {
                    for (int round = 0; round < ROUNDS; round++) {
                      for (int table = first; table < TABLES; table += CLIENTS) {
                        JsonNode answer =
                            http.load(
                                "many",
                                "t" + table,
                                StreamLoadClient.headers(
                                    "column_separator", ",", "group_commit", "async_mode"),
                                csv(table, round));
                        assertThat(answer.get("Status").asText())
                            .as("load %d into t%d: %s", round, table, answer)
                            .isEqualTo("Success");
                        acknowledged.addAndGet(table, answer.get("NumberLoadedRows").asLong());
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> load : loads) {
        load.get();
      }
      Map<String, Double> loaded = PrometheusMetrics.fetch(server.httpPort());
      assertThat(server.isAlive()).as("server log:\n%s", server.log()).isTrue();

      // ALTER TABLE commits the table's open group first (and makes later groups short).
      forEachTable(
          clients,
          (statement, table) ->
              statement.execute(
                  "ALTER TABLE many.t" + table + " SET (\"group_commit_interval_ms\" = \"1000\")"));
      // Fifty tables per statement: a cached plan keeps the schema it was planned against, and a
      // thousand texts would keep a thousand schemas of a thousand tables.
      try (Connection connection = server.connect();
          Statement statement = connection.createStatement()) {
        for (int first = 0; first < TABLES; first += 50) {
          StringBuilder query = new StringBuilder();
          for (int table = first; table < Math.min(TABLES, first + 50); table++) {
            query
                .append(table == first ? "" : " UNION ALL ")
                .append("SELECT ")
                .append(table)
                .append(", COUNT(*), COUNT(DISTINCT k), MIN(v) FROM many.t")
                .append(table);
          }
          int answered = 0;
          try (ResultSet rows = statement.executeQuery(query.toString())) {
            while (rows.next()) {
              int table = rows.getInt(1);
              long expected = acknowledged.get(table);
              assertThat(expected).isEqualTo((long) ROUNDS * ROWS_PER_LOAD);
              assertThat(rows.getLong(2)).as("rows of t%d", table).isEqualTo(expected);
              assertThat(rows.getLong(3)).as("keys of t%d", table).isEqualTo(expected);
              assertThat(rows.getString(4)).startsWith("row 0 of table " + table + " ");
              answered++;
            }
          }
          assertThat(answered).isEqualTo(Math.min(TABLES, first + 50) - first);
        }
      }

      Map<String, Double> after = PrometheusMetrics.fetch(server.httpPort());
      long limit = after.get("basalt_load_memory_limit_bytes").longValue();
      long heapMax = after.get("jvm_heap_max_bytes").longValue();
      assertThat(limit).isBetween(heapMax / 4 - (1 << 20), heapMax / 4 + (1 << 20));
      // The rows loaded were several times the budget: the largest buffers were flushed early.
      long loadedBytes = (long) TABLES * ROUNDS * ROWS_PER_LOAD * 50;
      assertThat(loadedBytes).isGreaterThan(3 * limit);
      assertThat(loaded.get("basalt_memtable_budget_flush_total")).isPositive();
      // Appends wait once everything counted passes the limit, so the peak passes it only by
      // the batches appended at that moment and a buffer's growth.
      assertThat(after.get("basalt_load_memory_peak_bytes")).isLessThan(limit + limit / 2);
      assertThat(after.get("basalt_load_memory_bytes")).isZero();
      assertThat(after.get("basalt_load_open")).isZero();
      assertThat(server.log()).doesNotContain("OutOfMemoryError");
    } finally {
      clients.shutdownNow();
    }
  }

  /** One load's CSV: keys unique within the table, a value of about 40 bytes. */
  private static String csv(int table, int round) {
    StringBuilder body = new StringBuilder(ROWS_PER_LOAD * 56);
    for (int row = 0; row < ROWS_PER_LOAD; row++) {
      long key = (long) round * ROWS_PER_LOAD + row;
      body.append(key)
          .append(",row ")
          .append(key)
          .append(" of table ")
          .append(table)
          .append(" padded to about forty bytes\n");
    }
    return body.toString();
  }

  /** Runs {@code work} once per table, spread over the client threads, each with a connection. */
  private static void forEachTable(ExecutorService clients, TableWork work) throws Exception {
    List<Future<?>> done = new ArrayList<>();
    for (int client = 0; client < CLIENTS; client++) {
      int first = client;
      done.add(
          clients.submit(
              () -> {
                try (Connection connection = server.connect();
                    Statement statement = connection.createStatement()) {
                  for (int table = first; table < TABLES; table += CLIENTS) {
                    work.run(statement, table);
                  }
                }
                return null;
              }));
    }
    for (Future<?> future : done) {
      future.get();
    }
  }

  @FunctionalInterface
  private interface TableWork {
    void run(Statement statement, int table) throws Exception;
  }
}
