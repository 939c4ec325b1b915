package dev.basalt.bench.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.basalt.bench.load.SmallLoadConnection;
import dev.basalt.bench.load.StreamLoadClient;
import dev.basalt.bench.report.BenchReport;
import dev.basalt.bench.report.Progress;
import dev.basalt.bench.report.TextTable;
import dev.basalt.bench.server.BenchServer;
import dev.basalt.bench.tpch.TpchColumn;
import dev.basalt.bench.tpch.TpchDataSet;
import dev.basalt.bench.tpch.TpchSchema;
import dev.basalt.bench.workload.BasaltDatabase;
import dev.basalt.bench.workload.Durations;
import dev.basalt.bench.workload.WorkloadOutcome;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingestion rates of TPC-H {@code lineitem} through each front door: Stream Load of CSV and of JSON
 * lines (MB/s, rows/s), JDBC batches with {@code rewriteBatchedStatements=true} (rows/s), and group
 * commit with concurrent clients sending 10-row Stream Loads ({@code group_commit: async_mode}). A
 * front door the server lacks is reported as skipped with the reason; every load that ran is
 * checked by counting the table's rows.
 *
 * <p>One instance per run; not thread safe.
 */
public final class IngestWorkload {
  private static final String DATABASE = "ingest_bench";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int GROUP_COMMIT_ROWS_PER_LOAD = 10;

  /**
   * What to run.
   *
   * @param scaleFactor the TPC-H scale factor whose lineitem is loaded
   * @param rowLimit the most lineitem rows to load (0: all)
   * @param batchRows rows per JDBC batch
   * @param jdbcClients connections sending JDBC batches at once (each waits for its own)
   * @param jdbcProperties the JDBC batch connections' URL properties ({@code
   *     rewriteBatchedStatements=true} by default)
   * @param jdbcDriver the JDBC batch connections' driver: {@code mysql} (MySQL Connector/J) or
   *     {@code mariadb} (MariaDB Connector/J)
   * @param jdbcGroupCommit the JDBC batch connections' {@code group_commit} session variable
   *     ({@code async_mode}, {@code sync_mode}, {@code off_mode}), or null to leave it unset
   * @param jdbcSharedCommit whether the JDBC batch connections set {@code
   *     enable_insert_shared_commit = true} (their INSERTs share one group commit)
   * @param clients concurrent group-commit clients
   * @param groupCommitSeconds how long the group-commit clients send, measured
   * @param warmupSeconds how long they send before that, unmeasured (the server's JIT warms up)
   * @param cacheDirectory the TPC-H data cache
   * @param scratchDirectory where the CSV and JSON files to load are written (deleted afterwards)
   * @param steps the front doors to run, of {@link #STEPS}
   */
  public record Options(
      double scaleFactor,
      long rowLimit,
      int batchRows,
      int jdbcClients,
      String jdbcProperties,
      String jdbcDriver,
      String jdbcGroupCommit,
      boolean jdbcSharedCommit,
      int clients,
      double groupCommitSeconds,
      double warmupSeconds,
      Path cacheDirectory,
      Path scratchDirectory,
      Set<String> steps) {}

  /**
   * The front doors, in the order they run: Stream Load CSV, Stream Load JSON, JDBC batches,
   * prepared single-row INSERTs, group commit.
   */
  public static final Set<String> STEPS = Set.of("csv", "json", "jdbc", "insert", "group");

  /**
   * One front door's outcome: figures, or why it was skipped.
   *
   * @param latencyNanos each acknowledged request's latency (for p50/p99), or null when the front
   *     door's unit is not a small request
   */
  private record Step(
      String name,
      String skippedReason,
      long rows,
      long bytes,
      double seconds,
      Boolean correct,
      long[] latencyNanos,
      long loadedRows,
      double serverCpuSeconds) {
    Step(
        String name, String skippedReason, long rows, long bytes, double seconds, Boolean correct) {
      this(name, skippedReason, rows, bytes, seconds, correct, null, rows, Double.NaN);
    }

    static Step skipped(String name, String reason) {
      return new Step(name, reason, 0, 0, 0, null);
    }

    /** This step with the server's CPU time over the whole step (NaN when it is not known). */
    Step withServerCpu(double cpuSeconds) {
      return new Step(
          name, skippedReason, rows, bytes, seconds, correct, latencyNanos, loadedRows, cpuSeconds);
    }

    /**
     * The server's CPU time per row loaded in the step (warm-up rows included), in microseconds;
     * NaN when unknown.
     */
    double serverCpuMicrosPerRow() {
      return loadedRows > 0 ? serverCpuSeconds * 1e6 / loadedRows : Double.NaN;
    }

    /** The latency at quantile {@code q} (0..1) in milliseconds. */
    double latencyMillis(double q) {
      long[] sorted = latencyNanos.clone();
      java.util.Arrays.sort(sorted);
      int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
      return sorted[Math.max(0, index)] / 1e6;
    }
  }

  private final Options options;
  private final BenchServer server;
  private final Progress progress;
  private final BenchReport report = new BenchReport("ingest");
  private final TpchSchema.Table lineitem = TpchSchema.table("lineitem");

  /**
   * @param options what to run
   * @param server the Basalt server under test
   * @param progress where progress lines go
   */
  public IngestWorkload(Options options, BenchServer server, Progress progress) {
    this.options = options;
    this.server = server;
    this.progress = progress;
  }

  /** Runs the workload and writes its report into {@code outputDirectory}. */
  public WorkloadOutcome run(Path outputDirectory) throws IOException, SQLException {
    TpchDataSet data =
        TpchDataSet.openOrGenerate(options.cacheDirectory(), options.scaleFactor(), progress);
    ObjectNode parameters = report.parameters();
    parameters.put("table", "lineitem");
    parameters.put("scaleFactor", options.scaleFactor());
    parameters.put("rowLimit", options.rowLimit());
    parameters.put("batchRows", options.batchRows());
    parameters.put("jdbcClients", options.jdbcClients());
    parameters.put("jdbcProperties", options.jdbcProperties());
    parameters.put("jdbcDriver", options.jdbcDriver());
    parameters.put("jdbcGroupCommit", options.jdbcGroupCommit());
    parameters.put("jdbcSharedCommit", options.jdbcSharedCommit());
    parameters.put("groupCommitClients", options.clients());
    parameters.put("groupCommitSeconds", options.groupCommitSeconds());
    parameters.put("groupCommitWarmupSeconds", options.warmupSeconds());
    parameters.put("steps", String.join(",", new java.util.TreeSet<>(options.steps())));
    parameters.put("server", server.description());
    report.engines().putObject("basalt").put("version", BasaltDatabase.version(server));

    Files.createDirectories(options.scratchDirectory());
    Path csv = Files.createTempFile(options.scratchDirectory(), "lineitem-", ".csv");
    Path json = Files.createTempFile(options.scratchDirectory(), "lineitem-", ".json");
    List<Step> steps = new ArrayList<>();
    try {
      long rows = writeInputs(data.file("lineitem"), csv, json);
      BasaltDatabase.recreate(server, DATABASE);
      try (Connection connection = BasaltDatabase.connect(server, DATABASE, "");
          Statement statement = connection.createStatement()) {
        for (String table :
            List.of("lineitem_csv", "lineitem_json", "lineitem_batches", "lineitem_group")) {
          statement.execute(
              TpchSchema.basaltCreateTable(lineitem, options.scaleFactor(), 4)
                  .replaceFirst("CREATE TABLE lineitem ", "CREATE TABLE " + table + " "));
        }
        StreamLoadClient streamLoad = new StreamLoadClient(server.endpoint());
        Set<String> chosen = options.steps();
        String unavailable =
            chosen.contains("csv") || chosen.contains("json") || chosen.contains("group")
                ? streamLoad.unavailableReason(DATABASE, "lineitem_csv")
                : null;
        if (unavailable != null) {
          progress.line("Stream Load skipped: front door not available: " + unavailable);
        }
        if (chosen.contains("csv")) {
          double cpuBefore = serverCpuSeconds();
          steps.add(
              unavailable != null
                  ? Step.skipped("stream load CSV", "front door not available: " + unavailable)
                  : timed(
                      cpuBefore,
                      streamLoad(
                          connection,
                          streamLoad,
                          "stream load CSV",
                          "lineitem_csv",
                          csv,
                          rows,
                          Map.of("column_separator", "|"))));
        }
        if (chosen.contains("json")) {
          double cpuBefore = serverCpuSeconds();
          steps.add(
              unavailable != null
                  ? Step.skipped("stream load JSON", "front door not available: " + unavailable)
                  : timed(
                      cpuBefore,
                      streamLoad(
                          connection,
                          streamLoad,
                          "stream load JSON",
                          "lineitem_json",
                          json,
                          rows,
                          Map.of("format", "json", "read_json_by_line", "true"))));
        }
        if (chosen.contains("jdbc")) {
          double cpuBefore = serverCpuSeconds();
          steps.add(timed(cpuBefore, jdbcBatches(connection, csv, rows, Files.size(csv))));
        }
        if (chosen.contains("insert")) {
          double cpuBefore = serverCpuSeconds();
          steps.add(
              timed(
                  cpuBefore,
                  singleRowInserts(
                      connection,
                      csv,
                      (int) Math.min(SINGLE_ROW_INSERTS, Math.max(1, rows / 10)))));
        }
        if (chosen.contains("group")) {
          steps.add(
              unavailable != null
                  ? Step.skipped(
                      "group commit (" + options.clients() + " clients, 10-row loads)",
                      "front door not available: " + unavailable)
                  : timed(serverCpuSeconds(), groupCommit(connection, streamLoad, csv)));
        }
      }
    } finally {
      Files.deleteIfExists(csv);
      Files.deleteIfExists(json);
    }
    return finish(steps, outputDirectory);
  }

  /** The server's CPU time so far in seconds, NaN when the harness cannot read it. */
  private double serverCpuSeconds() {
    java.util.OptionalLong nanos = server.cpuNanos();
    return nanos.isPresent() ? nanos.getAsLong() / 1e9 : Double.NaN;
  }

  /** {@code step} with the server's CPU time since {@code cpuBefore}. */
  private Step timed(double cpuBefore, Step step) {
    return step.withServerCpu(serverCpuSeconds() - cpuBefore);
  }

  /** Writes the first rows of lineitem as CSV ({@code |}) and as JSON lines; returns the rows. */
  private long writeInputs(Path source, Path csv, Path json) throws IOException {
    long rows = 0;
    List<TpchColumn> columns = lineitem.columns();
    try (BufferedReader reader = Files.newBufferedReader(source, StandardCharsets.UTF_8);
        BufferedWriter csvWriter = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
        BufferedWriter jsonWriter = Files.newBufferedWriter(json, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null
          && (options.rowLimit() <= 0 || rows < options.rowLimit())) {
        csvWriter.write(line);
        csvWriter.write('\n');
        String[] values = line.split("\\|", -1);
        ObjectNode object = JSON.createObjectNode();
        for (int index = 0; index < columns.size(); index++) {
          TpchColumn column = columns.get(index);
          if (column.quoted()) {
            object.put(column.name(), values[index]);
          } else if (column.sqlType().startsWith("DECIMAL")) {
            object.put(column.name(), new BigDecimal(values[index]));
          } else {
            object.put(column.name(), Long.parseLong(values[index]));
          }
        }
        jsonWriter.write(JSON.writeValueAsString(object));
        jsonWriter.write('\n');
        rows++;
      }
    }
    return rows;
  }

  private Step streamLoad(
      Connection connection,
      StreamLoadClient client,
      String name,
      String table,
      Path file,
      long rows,
      Map<String, String> formatHeaders)
      throws IOException, SQLException {
    progress.line(name + ": loading " + String.format(Locale.ROOT, "%,d", rows) + " rows");
    Map<String, String> headers = new HashMap<>(formatHeaders);
    headers.put("label", table + "_" + System.nanoTime());
    long start = System.nanoTime();
    StreamLoadClient.Answer answer;
    try {
      answer = client.loadFile(DATABASE, table, file, headers);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (!answer.success()) {
      String reason = "refused (HTTP " + answer.httpStatus() + "): " + oneLine(answer.body());
      return Step.skipped(name, reason);
    }
    return new Step(name, null, rows, Files.size(file), seconds, countIs(connection, table, rows));
  }

  /**
   * JDBC batches of {@code batchRows} rows through {@code jdbcClients} connections: one thread
   * reads the file into batches of split lines, each client binds and sends the next batch and
   * waits for its acknowledgement (as a Flink or Spark job's parallel JDBC sinks do). The clients
   * run on the server's cores, so what binding and rewriting cost counts against it.
   */
  private Step jdbcBatches(Connection connection, Path csv, long rows, long bytes)
      throws IOException, SQLException {
    int clients = options.jdbcClients();
    String groupCommit = options.jdbcGroupCommit();
    boolean mariadb = "mariadb".equals(options.jdbcDriver());
    if (!mariadb && !"mysql".equals(options.jdbcDriver())) {
      throw new IllegalArgumentException(
          "--jdbc-driver must be mysql or mariadb, not " + options.jdbcDriver());
    }
    // Connector/J runs SET <variable> = <value> for each of sessionVariables on each new
    // connection, as a Doris user sets group_commit.
    List<String> sessionVariables = new ArrayList<>();
    if (groupCommit != null) {
      sessionVariables.add("group_commit=" + groupCommit);
    }
    if (options.jdbcSharedCommit()) {
      sessionVariables.add("enable_insert_shared_commit=1");
    }
    String properties =
        sessionVariables.isEmpty()
            ? options.jdbcProperties()
            : options.jdbcProperties() + "&sessionVariables=" + String.join(",", sessionVariables);
    String name =
        "JDBC batches ("
            + (mariadb ? "MariaDB Connector/J, " : "")
            + options.jdbcProperties().replace("=true", "").replace("&", ", ")
            + (groupCommit == null ? "" : ", group_commit=" + groupCommit)
            + (options.jdbcSharedCommit() ? ", shared commit" : "")
            + ", "
            + options.batchRows()
            + " rows"
            + (clients > 1 ? ", " + clients + " clients" : "")
            + ")";
    progress.line(name + ": loading " + String.format(Locale.ROOT, "%,d", rows) + " rows");
    List<TpchColumn> columns = lineitem.columns();
    String placeholders = String.join(", ", Collections.nCopies(columns.size(), "?"));
    String insertText = "INSERT INTO lineitem_batches VALUES (" + placeholders + ")";
    java.util.concurrent.BlockingQueue<List<String[]>> batches =
        new java.util.concurrent.ArrayBlockingQueue<>(2 * clients);
    List<String[]> endOfInput = List.of();
    AtomicLong sent = new AtomicLong();
    // The bench's own CPU while it sends, and its sending threads' part (binding, Connector/J):
    // the clients share the server's cores, so their CPU per row counts against the goal too.
    AtomicLong senderCpuNanos = new AtomicLong();
    long clientCpuBefore = ownCpuNanos();
    long start = System.nanoTime();
    try (ExecutorService senders = Executors.newFixedThreadPool(clients)) {
      List<Future<?>> running = new ArrayList<>();
      for (int client = 0; client < clients; client++) {
        running.add(
            senders.submit(
                () -> {
                  try (Connection batchConnection =
                          DriverManager.getConnection(
                              mariadb
                                  ? server.endpoint().mariadbUrl(DATABASE, properties)
                                  : server.endpoint().jdbcUrl(DATABASE, properties),
                              "root",
                              "");
                      PreparedStatement insert = batchConnection.prepareStatement(insertText)) {
                    for (List<String[]> batch = batches.take();
                        batch != endOfInput;
                        batch = batches.take()) {
                      for (String[] values : batch) {
                        bind(insert, columns, values);
                        insert.addBatch();
                      }
                      insert.executeBatch();
                      long total = sent.addAndGet(batch.size());
                      progress.update(
                          String.format(Locale.ROOT, "%s: %,d of %,d rows", name, total, rows));
                    }
                  } finally {
                    senderCpuNanos.addAndGet(
                        java.lang.management.ManagementFactory.getThreadMXBean()
                            .getCurrentThreadCpuTime());
                  }
                  return null;
                }));
      }
      try (BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
        List<String[]> batch = new ArrayList<>(options.batchRows());
        String line;
        while ((line = reader.readLine()) != null) {
          batch.add(line.split("\\|", -1));
          if (batch.size() == options.batchRows()) {
            putUnlessFailed(batches, batch, running);
            batch = new ArrayList<>(options.batchRows());
          }
        }
        if (!batch.isEmpty()) {
          putUnlessFailed(batches, batch, running);
        }
      } finally {
        for (int client = 0; client < clients; client++) {
          batches.offer(endOfInput, 10, java.util.concurrent.TimeUnit.SECONDS);
        }
      }
      for (Future<?> client : running) {
        client.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while loading JDBC batches", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw sql;
      }
      throw new IOException("a JDBC batch client failed", e.getCause());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long clientCpuAfter = ownCpuNanos();
    if (clientCpuBefore >= 0 && sent.get() > 0) {
      progress.line(
          String.format(
              Locale.ROOT,
              "%s: client CPU %.1f µs/row, of which the sending threads %.1f µs/row",
              name,
              (clientCpuAfter - clientCpuBefore) / 1e3 / sent.get(),
              senderCpuNanos.get() / 1e3 / sent.get()));
    }
    // async_mode acknowledges a batch before its rows are visible: give them 10 s.
    return new Step(
        name,
        null,
        sent.get(),
        bytes,
        seconds,
        countWithin(
            connection, "lineitem_batches", rows, "async_mode".equals(groupCommit) ? 10 : 0));
  }

  /** Queues a batch for the clients, or stops with a client's failure if one has failed. */
  private static void putUnlessFailed(
      java.util.concurrent.BlockingQueue<List<String[]>> batches,
      List<String[]> batch,
      List<Future<?>> clients)
      throws InterruptedException, ExecutionException {
    while (!batches.offer(batch, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      for (Future<?> client : clients) {
        if (client.isDone()) {
          client.get(); // rethrows the failure; a client only ends early by failing
          throw new ExecutionException(new IllegalStateException("a JDBC client stopped early"));
        }
      }
    }
  }

  /** Binds one lineitem line's fields by the columns' types. */
  private static void bind(PreparedStatement insert, List<TpchColumn> columns, String[] values)
      throws SQLException {
    for (int index = 0; index < columns.size(); index++) {
      TpchColumn column = columns.get(index);
      if (column.quoted()) {
        insert.setString(index + 1, values[index]);
      } else if (column.sqlType().startsWith("DECIMAL")) {
        insert.setBigDecimal(index + 1, new BigDecimal(values[index]));
      } else {
        insert.setLong(index + 1, Long.parseLong(values[index]));
      }
    }
  }

  private Step groupCommit(Connection connection, StreamLoadClient client, Path csv)
      throws IOException, SQLException {
    String name = "group commit (" + options.clients() + " clients, 10-row loads)";
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    List<byte[]> bodies = new ArrayList<>();
    for (int start = 0;
        start + GROUP_COMMIT_ROWS_PER_LOAD <= lines.size();
        start += GROUP_COMMIT_ROWS_PER_LOAD) {
      bodies.add(
          (String.join("\n", lines.subList(start, start + GROUP_COMMIT_ROWS_PER_LOAD)) + "\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    if (bodies.isEmpty()) {
      return Step.skipped(name, "fewer than 10 rows to send");
    }
    try {
      StreamLoadClient.Answer first =
          client.loadBytes(
              DATABASE,
              "lineitem_group",
              bodies.getFirst(),
              Map.of("column_separator", "|", "group_commit", "async_mode"));
      if (!first.success()) {
        return Step.skipped(
            name,
            "group commit refused (HTTP " + first.httpStatus() + "): " + oneLine(first.body()));
      }
      if (!first.body().contains("GroupCommit")) {
        return Step.skipped(
            name, "the server ignored the group_commit header (no GroupCommit in the answer)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    progress.line(
        name
            + String.format(
                Locale.ROOT,
                ": sending for %.1f s after %.1f s of warm-up",
                options.groupCommitSeconds(),
                options.warmupSeconds()));
    AtomicLong nextBody = new AtomicLong(1);
    long[] latencies = new long[bodies.size()];
    // Every acknowledged row counts for visibility; only those of the measured seconds for rows/s.
    AtomicLong loadedRows = new AtomicLong(GROUP_COMMIT_ROWS_PER_LOAD);
    AtomicLong measuredRows = new AtomicLong();
    AtomicLong firstMeasuredBody = new AtomicLong(Long.MAX_VALUE);
    AtomicLong failures = new AtomicLong();
    long start = System.nanoTime() + (long) (options.warmupSeconds() * 1e9);
    long end = start + (long) (options.groupCommitSeconds() * 1e9);
    // One virtual thread and one kept-alive connection per client (SmallLoadConnection): the
    // clients run on the same cores as the server, so what they cost counts against it.
    long clientCpuBefore = ownCpuNanos();
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int clientIndex = 0; clientIndex < options.clients(); clientIndex++) {
        futures.add(
            executor.submit(
                () -> {
                  try (SmallLoadConnection http =
                      new SmallLoadConnection(
                          server.endpoint(),
                          DATABASE,
                          "lineitem_group",
                          Map.of("column_separator", "|", "group_commit", "async_mode"))) {
                    while (System.nanoTime() < end) {
                      long index = nextBody.getAndIncrement();
                      if (index >= bodies.size()) {
                        return null;
                      }
                      long sent = System.nanoTime();
                      boolean measured = sent - start >= 0;
                      if (measured) {
                        firstMeasuredBody.accumulateAndGet(index, Math::min);
                      }
                      StreamLoadClient.Answer answer = http.load(bodies.get((int) index));
                      latencies[(int) index] = measured ? System.nanoTime() - sent : -1;
                      if (answer.success()) {
                        loadedRows.addAndGet(GROUP_COMMIT_ROWS_PER_LOAD);
                        if (measured) {
                          measuredRows.addAndGet(GROUP_COMMIT_ROWS_PER_LOAD);
                        }
                      } else {
                        failures.incrementAndGet();
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } catch (ExecutionException e) {
      throw new IOException(
          "a group-commit client failed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      executor.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long acknowledged = loadedRows.get();
    long clientCpuNanos = ownCpuNanos() - clientCpuBefore;
    if (clientCpuBefore >= 0 && acknowledged > 0) {
      // The clients share the server's cores: what they cost is CPU the server did not get.
      progress.line(
          String.format(
              Locale.ROOT,
              "%s: %,d rows acknowledged (warm-up included); the clients used %.2f s of CPU"
                  + " (%.1f µs/row)",
              name,
              acknowledged,
              clientCpuNanos / 1e9,
              clientCpuNanos / 1e3 / acknowledged));
    }
    // async_mode acknowledges before the rows are visible: wait up to 10 s for them.
    boolean visible = countWithin(connection, "lineitem_group", acknowledged, 10);
    long sentLoads = Math.min(nextBody.get(), bodies.size()) - 1;
    long firstMeasured = Math.min(firstMeasuredBody.get(), sentLoads + 1);
    long[] measuredLatencies =
        java.util.Arrays.stream(latencies, (int) firstMeasured, (int) sentLoads + 1)
            .filter(latency -> latency >= 0)
            .toArray();
    return new Step(
        name,
        null,
        options.warmupSeconds() > 0 ? measuredRows.get() : acknowledged,
        0,
        seconds,
        visible && failures.get() == 0,
        measuredLatencies,
        acknowledged,
        Double.NaN);
  }

  /** This process's CPU time so far (all its threads) in nanoseconds, or -1 when unknown. */
  private static long ownCpuNanos() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** How many single-row INSERTs the latency step sends at most (a tenth of the rows). */
  private static final int SINGLE_ROW_INSERTS = 1_000;

  /**
   * One client sends single-row INSERTs through a server-prepared statement (group commit off), one
   * at a time: the acknowledgement latency of a small write, each one a durable commit.
   */
  private Step singleRowInserts(Connection connection, Path csv, int inserts)
      throws IOException, SQLException {
    String name = "prepared single-row INSERT (1 client, group commit off)";
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine();
          line != null && lines.size() < inserts;
          line = reader.readLine()) {
        lines.add(line);
      }
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          TpchSchema.basaltCreateTable(lineitem, options.scaleFactor(), 4)
              .replaceFirst("CREATE TABLE lineitem ", "CREATE TABLE lineitem_single "));
    }
    List<TpchColumn> columns = lineitem.columns();
    StringBuilder sql = new StringBuilder("INSERT INTO lineitem_single VALUES (");
    for (int i = 0; i < columns.size(); i++) {
      sql.append(i == 0 ? "?" : ", ?");
    }
    sql.append(")");
    long[] latencies = new long[lines.size()];
    long start = System.nanoTime();
    try (Connection prepared = BasaltDatabase.connect(server, DATABASE, "useServerPrepStmts=true");
        PreparedStatement insert = prepared.prepareStatement(sql.toString())) {
      for (int row = 0; row < lines.size(); row++) {
        bind(insert, columns, lines.get(row).split("\\|", -1));
        long sent = System.nanoTime();
        insert.executeUpdate();
        latencies[row] = System.nanoTime() - sent;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Step(
        name,
        null,
        lines.size(),
        0,
        seconds,
        countIs(connection, "lineitem_single", lines.size()),
        latencies,
        lines.size(),
        Double.NaN);
  }

  /**
   * Whether {@code table} holds {@code expected} rows now or, polled every 200 ms, within {@code
   * seconds}.
   */
  private static boolean countWithin(
      Connection connection, String table, long expected, double seconds) throws SQLException {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    while (true) {
      if (countIs(connection, table, expected)) {
        return true;
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  private static boolean countIs(Connection connection, String table, long expected)
      throws SQLException {
    String count = BasaltDatabase.queryText(connection, "SELECT count(*) FROM " + table);
    return count != null && Long.parseLong(count) == expected;
  }

  private WorkloadOutcome finish(List<Step> steps, Path outputDirectory) throws IOException {
    TextTable table =
        new TextTable(
            "front door",
            "rows",
            "seconds",
            "rows/s",
            "MB/s",
            "ack p50/p99 ms",
            "server CPU s (µs/row)",
            "result");
    var stepsJson = report.json().putArray("steps");
    boolean correct = true;
    List<String> summaryParts = new ArrayList<>();
    for (Step step : steps) {
      ObjectNode json = stepsJson.addObject();
      json.put("name", step.name());
      if (step.skippedReason() != null) {
        json.put("skipped", step.skippedReason());
        table.row(step.name(), "", "", "", "", "", "", "skipped: " + step.skippedReason());
        summaryParts.add(shortName(step.name()) + " skipped");
        continue;
      }
      double rowsPerSecond = step.rows() / step.seconds();
      double megabytesPerSecond = step.bytes() / 1e6 / step.seconds();
      json.put("rows", step.rows());
      json.put("bytes", step.bytes());
      json.put("seconds", step.seconds());
      json.put("rowsPerSecond", rowsPerSecond);
      if (step.bytes() > 0) {
        json.put("megabytesPerSecond", megabytesPerSecond);
      }
      String latency = "";
      if (step.latencyNanos() != null && step.latencyNanos().length > 0) {
        json.put("ackP50Millis", step.latencyMillis(0.50));
        json.put("ackP99Millis", step.latencyMillis(0.99));
        latency =
            String.format(
                Locale.ROOT, "%.2f / %.2f", step.latencyMillis(0.50), step.latencyMillis(0.99));
      }
      String serverCpu = "";
      if (!Double.isNaN(step.serverCpuSeconds())) {
        json.put("serverCpuSeconds", step.serverCpuSeconds());
        json.put("serverCpuRows", step.loadedRows());
        json.put("serverCpuMicrosPerRow", step.serverCpuMicrosPerRow());
        serverCpu =
            String.format(
                Locale.ROOT, "%.2f (%.1f)", step.serverCpuSeconds(), step.serverCpuMicrosPerRow());
      }
      json.put("correct", step.correct());
      correct &= Boolean.TRUE.equals(step.correct());
      table.row(
          step.name(),
          String.format(Locale.ROOT, "%,d", step.rows()),
          String.format(Locale.ROOT, "%.2f", step.seconds()),
          Durations.rate(rowsPerSecond),
          step.bytes() > 0 ? String.format(Locale.ROOT, "%.2f", megabytesPerSecond) : "",
          latency,
          serverCpu,
          Boolean.TRUE.equals(step.correct()) ? "row count correct" : "ROW COUNT WRONG");
      summaryParts.add(
          shortName(step.name())
              + " "
              + Durations.rate(rowsPerSecond)
              + " rows/s"
              + (latency.isEmpty() ? "" : " (ack p50/p99 " + latency + " ms)")
              + (serverCpu.isEmpty()
                  ? ""
                  : String.format(
                      Locale.ROOT, " [server %.1f µs/row]", step.serverCpuMicrosPerRow())));
    }
    String summary =
        "ingest lineitem sf="
            + TpchDataSet.scaleFactorText(options.scaleFactor())
            + (options.rowLimit() > 0 ? " (first " + options.rowLimit() + " rows)" : "")
            + ": "
            + String.join(", ", summaryParts)
            + (correct ? ", row counts correct" : ", ROW COUNTS WRONG");
    report.json().put("summary", summary);
    report.json().put("correct", correct);
    String markdown =
        report.markdownHeader("Ingestion of TPC-H lineitem")
            + table.toMarkdown()
            + "\n"
            + summary
            + "\n";
    report.write(outputDirectory, markdown, null);
    return new WorkloadOutcome(table.toTerminal(), summary, correct, outputDirectory);
  }

  private static String shortName(String name) {
    int parenthesis = name.indexOf(" (");
    return parenthesis < 0 ? name : name.substring(0, parenthesis);
  }

  private static String oneLine(String text) {
    String line = text.replace('\n', ' ');
    return line.length() > 200 ? line.substring(0, 197) + "..." : line;
  }
}
