package dev.basalt.bench.upsert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.basalt.bench.load.StreamLoadClient;
import dev.basalt.bench.report.Progress;
import dev.basalt.bench.report.TextTable;
import dev.basalt.bench.server.BenchServer;
import dev.basalt.bench.workload.BasaltDatabase;
import dev.basalt.bench.workload.Durations;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Memory used by many tables written at once (issue 15): {@code tables} DUPLICATE KEY tables, each
 * written by async group commit Stream Loads with Doris's default {@code group_commit_interval_ms}
 * of 10 s, so every table's open group holds rows in memory while 16 clients load into all tables
 * round after round. While they write, the server's {@code GET /metrics} is sampled every 100 ms:
 * the report gives the peak heap in use (garbage included), the peak heap right after a collection,
 * the peak the load memory budget counted and its limit, and the flushes the budget forced. Then
 * every table's open group is committed ({@code ALTER TABLE} commits it first) and each table's row
 * count is checked. One instance per run; not thread safe.
 */
final class ConcurrentTablesMemory {
  private static final int CLIENTS = 16;
  private static final String DATABASE = "many_tables_bench";

  private final BenchServer server;
  private final Progress progress;
  private final int tables;
  private final int rowsPerTable;
  private final int rowsPerLoad;

  /**
   * @param tables how many tables are written at once
   * @param rowsPerTable rows loaded into each table, in loads of {@code rowsPerLoad}
   */
  ConcurrentTablesMemory(
      BenchServer server, Progress progress, int tables, int rowsPerTable, int rowsPerLoad) {
    this.server = server;
    this.progress = progress;
    this.tables = tables;
    this.rowsPerTable = rowsPerTable;
    this.rowsPerLoad = Math.max(1, Math.min(rowsPerLoad, rowsPerTable));
  }

  /**
   * Runs the step and adds its figures to {@code json} and one row to {@code table}; returns
   * whether every table holds its rows.
   */
  boolean run(ObjectNode json, TextTable table) throws SQLException, IOException {
    BasaltDatabase.recreate(server, DATABASE);
    progress.line(String.format("creating %,d tables", tables));
    forEachTable(
        (statement, index) ->
            statement.execute(
                "CREATE TABLE "
                    + DATABASE
                    + ".t"
                    + index
                    + " (k BIGINT, v VARCHAR(64)) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2"
                    + " PROPERTIES (\"replication_num\" = \"1\", \"group_commit_interval_ms\" ="
                    + " \"10000\")"));
    Map<String, Long> before = metrics();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong peakHeap = new AtomicLong();
    AtomicLong peakHeapAfterGc = new AtomicLong();
    Thread sampler =
        Thread.ofPlatform()
            .daemon()
            .name("bench-metrics-sampler")
            .start(
                () -> {
                  while (writing.get()) {
                    try {
                      Map<String, Long> now = metrics();
                      peakHeap.accumulateAndGet(now.get("jvm_heap_used_bytes"), Math::max);
                      peakHeapAfterGc.accumulateAndGet(
                          now.get("jvm_heap_used_after_gc_bytes"), Math::max);
                      Thread.sleep(100);
                    } catch (IOException e) {
                      // A missed sample; the next one counts.
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    progress.line(
        String.format(
            "writing %,d rows into each of %,d tables at once (%d clients, group commit)",
            rowsPerTable, tables, CLIENTS));
    long start = System.nanoTime();
    StreamLoadClient client = new StreamLoadClient(server.endpoint());
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<?>> loads = new ArrayList<>();
      for (int first = 0; first < CLIENTS; first++) {
        int firstTable = first;
        loads.add(
            clients.submit(
                () -> {
                  for (int from = 0; from < rowsPerTable; from += rowsPerLoad) {
                    int to = Math.min(rowsPerTable, from + rowsPerLoad);
                    for (int index = firstTable; index < tables; index += CLIENTS) {
                      StreamLoadClient.Answer answer =
                          client.loadBytes(
                              DATABASE,
                              "t" + index,
                              csv(index, from, to),
                              Map.of("column_separator", ",", "group_commit", "async_mode"));
                      if (!answer.success() || answer.loadedRows() != to - from) {
                        throw new IOException(
                            "Stream Load into t" + index + " failed: " + answer.body());
                      }
                    }
                  }
                  return null;
                }));
      }
      await(loads);
    } finally {
      clients.shutdownNow();
      writing.set(false);
      sampler.interrupt();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Long> after = metrics();
    progress.line("committing the open groups and counting every table's rows");
    forEachTable(
        (statement, index) ->
            statement.execute(
                "ALTER TABLE "
                    + DATABASE
                    + ".t"
                    + index
                    + " SET (\"group_commit_interval_ms\" = \"1000\")"));
    long wrongTables = countWrongTables();
    long rows = (long) tables * rowsPerTable;
    long forcedFlushes =
        after.get("basalt_memtable_budget_flush_total")
            - before.get("basalt_memtable_budget_flush_total");
    json.put("tables", tables);
    json.put("rowsPerTable", rowsPerTable);
    json.put("rowsPerLoad", rowsPerLoad);
    json.put("clients", CLIENTS);
    json.put("seconds", seconds);
    json.put("rowsPerSecond", rows / seconds);
    json.put("heapMaxBytes", after.get("jvm_heap_max_bytes"));
    json.put("peakHeapUsedBytes", peakHeap.get());
    json.put("peakHeapUsedAfterGcBytes", peakHeapAfterGc.get());
    json.put("loadMemoryLimitBytes", after.get("basalt_load_memory_limit_bytes"));
    json.put("loadMemoryPeakBytes", after.get("basalt_load_memory_peak_bytes"));
    json.put("budgetFlushes", forcedFlushes);
    json.put("wrongTables", wrongTables);
    table.row(
        String.format(Locale.ROOT, "%,d", tables),
        String.format(Locale.ROOT, "%,d", rows),
        Durations.rate(rows / seconds),
        mebibytes(after.get("jvm_heap_max_bytes")),
        mebibytes(peakHeap.get()),
        mebibytes(peakHeapAfterGc.get()),
        mebibytes(after.get("basalt_load_memory_peak_bytes"))
            + " / "
            + mebibytes(after.get("basalt_load_memory_limit_bytes")),
        String.format(Locale.ROOT, "%,d", forcedFlushes),
        wrongTables == 0 ? "yes" : "NO: " + wrongTables + " tables");
    return wrongTables == 0;
  }

  /**
   * How many tables do not hold {@code rowsPerTable} rows. Fifty tables per statement: a cached
   * plan keeps the schema of its database, and a thousand statement texts would keep a thousand
   * schemas of a thousand tables in the server.
   */
  private long countWrongTables() throws SQLException {
    long right = 0;
    try (Connection connection = BasaltDatabase.connect(server, DATABASE, "");
        Statement statement = connection.createStatement()) {
      for (int first = 0; first < tables; first += 50) {
        StringBuilder query = new StringBuilder();
        for (int index = first; index < Math.min(tables, first + 50); index++) {
          query
              .append(index == first ? "" : " UNION ALL ")
              .append("SELECT COUNT(*) FROM t")
              .append(index);
        }
        try (ResultSet rows = statement.executeQuery(query.toString())) {
          while (rows.next()) {
            if (rows.getLong(1) == rowsPerTable) {
              right++;
            }
          }
        }
      }
    }
    return tables - right;
  }

  /** The column titles of {@link #run}'s row. */
  static TextTable newTable() {
    return new TextTable(
        "tables",
        "rows",
        "rows/s",
        "heap MiB",
        "peak heap used MiB",
        "peak after GC MiB",
        "load memory peak / limit MiB",
        "budget flushes",
        "correct");
  }

  private static String mebibytes(long bytes) {
    return String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
  }

  private static byte[] csv(int table, int from, int to) {
    StringBuilder body = new StringBuilder((to - from) * 56);
    for (int key = from; key < to; key++) {
      body.append(key)
          .append(",row ")
          .append(key)
          .append(" of table ")
          .append(table)
          .append(" padded to about forty bytes\n");
    }
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  @FunctionalInterface
  private interface TableWork {
    void run(Statement statement, int table) throws Exception;
  }

  /** Runs {@code work} once per table, spread over the client threads, each with a connection. */
  private void forEachTable(TableWork work) throws SQLException, IOException {
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int first = 0; first < CLIENTS; first++) {
        int firstTable = first;
        done.add(
            clients.submit(
                () -> {
                  try (Connection connection = BasaltDatabase.connect(server, "", "");
                      Statement statement = connection.createStatement()) {
                    for (int index = firstTable; index < tables; index += CLIENTS) {
                      work.run(statement, index);
                    }
                  }
                  return null;
                }));
      }
      await(done);
    } finally {
      clients.shutdownNow();
    }
  }

  private static void await(List<Future<?>> futures) throws SQLException, IOException {
    for (Future<?> future : futures) {
      try {
        future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof SQLException sql) {
          throw sql;
        }
        throw new IOException(e.getCause().getMessage(), e.getCause());
      }
    }
  }

  /** The server's {@code GET /metrics}, the value of every integer metric line. */
  private Map<String, Long> metrics() throws IOException {
    try (HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create(server.endpoint().httpBase() + "/metrics"))
                  .timeout(Duration.ofSeconds(30))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("GET /metrics answered " + response.statusCode());
      }
      Map<String, Long> values = new HashMap<>();
      for (String line : response.body().split("\n")) {
        // Integer samples only: the command-time histograms' sums are seconds.
        if (!line.startsWith("#") && !line.isBlank() && line.matches("\\S+ -?\\d+")) {
          String[] parts = line.split(" ");
          values.put(parts[0], Long.parseLong(parts[1]));
        }
      }
      return values;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
