package dev.basalt.bench.upsert;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.basalt.bench.load.StreamLoadClient;
import dev.basalt.bench.load.ValuesInserter;
import dev.basalt.bench.query.QueryResult;
import dev.basalt.bench.query.QueryStatus;
import dev.basalt.bench.query.ResultComparator;
import dev.basalt.bench.query.TimedQueryRunner;
import dev.basalt.bench.report.BenchReport;
import dev.basalt.bench.report.Progress;
import dev.basalt.bench.report.TextTable;
import dev.basalt.bench.server.BenchServer;
import dev.basalt.bench.server.ServerCommandTimes;
import dev.basalt.bench.workload.BasaltDatabase;
import dev.basalt.bench.workload.Durations;
import dev.basalt.bench.workload.WorkloadOutcome;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Real-time upserts: a UNIQUE KEY table is loaded with {@code rows} rows, then {@code rows} more
 * rows are upserted, a fraction {@code updateRatio} of them with keys that exist (they replace the
 * old rows) and the rest with new keys. Reports both rates, then times one aggregate query on the
 * updated UNIQUE KEY table against the same final rows in a DUPLICATE KEY table (the cost of
 * merging by key at read time). The final state is checked against a {@link TreeMap} model.
 *
 * <p>Rows go in through {@link Via#STREAM_LOAD} (one Doris Stream Load of a tab-separated file per
 * step, as Doris users upsert) or {@link Via#INSERT} (multi-row INSERT statements). One instance
 * per run; not thread safe.
 */
public final class UpsertWorkload {
  private static final String DATABASE = "upsert_bench";
  private static final String COLUMNS =
      "(id BIGINT, category INT, amount DECIMAL(15,2), note VARCHAR(32))";
  private static final String AGGREGATE_QUERY =
      "SELECT category, count(*) AS row_count, sum(amount) AS amount_sum, max(note) AS last_note"
          + " FROM %s GROUP BY category ORDER BY category";
  private static final int CATEGORIES = 20;

  /** How rows reach the server. */
  public enum Via {
    /** One Stream Load ({@code PUT .../_stream_load}) of a tab-separated file per step. */
    STREAM_LOAD("stream-load"),
    /** Multi-row {@code INSERT ... VALUES} statements over the MySQL protocol. */
    INSERT("insert");

    private final String optionValue;

    Via(String optionValue) {
      this.optionValue = optionValue;
    }

    /** The spelling on the command line ({@code stream-load} or {@code insert}). */
    public String optionValue() {
      return optionValue;
    }

    /** The value spelled {@code text} on the command line, or {@code null} if there is none. */
    public static Via parse(String text) {
      for (Via via : values()) {
        if (via.optionValue.equals(text)) {
          return via;
        }
      }
      return null;
    }
  }

  /**
   * What to run.
   *
   * @param rows rows loaded first, and rows upserted afterwards
   * @param updateRatio the fraction of upserted rows whose key exists (0 to 1)
   * @param via how rows reach the server
   * @param upsertLoads how many loads (Stream Loads or runs of INSERTs) the upserted rows are split
   *     into, so the table gets that many versions
   * @param pointLookups primary-key lookups timed on the updated table after the aggregate
   * @param rowsPerStatement rows per INSERT statement (with {@link Via#INSERT})
   * @param runs hot runs of the aggregate query per table after one cold run
   * @param timeout the time after which a query is abandoned
   * @param seed the random seed (keys and values)
   * @param concurrentTables tables written at once after the rest, to measure the server's memory
   *     ({@link ConcurrentTablesMemory}); 0 skips that step
   * @param concurrentRowsPerTable rows written into each of those tables
   * @param mergeOnRead whether the UNIQUE KEY table is merge-on-read ({@code
   *     enable_unique_key_merge_on_write = false}: merged by key at read time) instead of the
   *     default merge-on-write
   */
  public record Options(
      int rows,
      double updateRatio,
      Via via,
      int upsertLoads,
      int pointLookups,
      int rowsPerStatement,
      int runs,
      Duration timeout,
      long seed,
      int concurrentTables,
      int concurrentRowsPerTable,
      boolean mergeOnRead) {}

  private record Row(long id, int category, BigDecimal amount, String note) {
    String tuple() {
      return "(" + id + ", " + category + ", " + amount.toPlainString() + ", '" + note + "')";
    }

    String tabSeparated() {
      return id + "\t" + category + "\t" + amount.toPlainString() + "\t" + note;
    }
  }

  private final Options options;
  private final BenchServer server;
  private final Progress progress;
  private final BenchReport report = new BenchReport("upsert");

  /**
   * @param options what to run
   * @param server the Basalt server under test
   * @param progress where progress lines go
   */
  public UpsertWorkload(Options options, BenchServer server, Progress progress) {
    this.options = options;
    this.server = server;
    this.progress = progress;
  }

  /** Runs the workload and writes its report into {@code outputDirectory}. */
  public WorkloadOutcome run(Path outputDirectory) throws IOException, SQLException {
    ObjectNode parameters = report.parameters();
    parameters.put("rows", options.rows());
    parameters.put("updateRatio", options.updateRatio());
    parameters.put("via", options.via().optionValue());
    parameters.put("upsertLoads", options.upsertLoads());
    parameters.put("mergeOnRead", options.mergeOnRead());
    parameters.put("pointLookups", options.pointLookups());
    parameters.put("rowsPerStatement", options.rowsPerStatement());
    parameters.put("runs", options.runs());
    parameters.put("seed", options.seed());
    parameters.put("concurrentTables", options.concurrentTables());
    parameters.put("concurrentRowsPerTable", options.concurrentRowsPerTable());
    parameters.put("server", server.description());
    report.engines().putObject("basalt").put("version", BasaltDatabase.version(server));

    Random random = new Random(options.seed());
    SortedMap<Long, Row> model = new TreeMap<>();
    BasaltDatabase.recreate(server, DATABASE);
    ObjectNode results = report.json().putObject("results");
    try (Connection connection = BasaltDatabase.connect(server, DATABASE, "");
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE upsert_unique "
              + COLUMNS
              + " UNIQUE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 4"
              + " PROPERTIES (\"replication_num\" = \"1\""
              + (options.mergeOnRead() ? ", \"enable_unique_key_merge_on_write\" = \"false\"" : "")
              + ")");
      statement.execute(
          "CREATE TABLE upsert_duplicate "
              + COLUMNS
              + " DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 4"
              + " PROPERTIES (\"replication_num\" = \"1\")");

      List<Row> initial = new ArrayList<>(options.rows());
      for (long id = 1; id <= options.rows(); id++) {
        initial.add(randomRow(id, random, "v0"));
      }
      progress.line(String.format("loading %,d rows into the UNIQUE KEY table", options.rows()));
      double loadSeconds = insert(connection, "upsert_unique", initial, model);

      List<Row> upserts = upsertRows(random);
      progress.line(
          String.format(
              "upserting %,d rows (%.0f%% existing keys)",
              upserts.size(), options.updateRatio() * 100));
      double upsertSeconds = 0;
      int loads = Math.max(1, Math.min(options.upsertLoads(), upserts.size()));
      for (int load = 0; load < loads; load++) {
        List<Row> part =
            upserts.subList(
                (int) ((long) upserts.size() * load / loads),
                (int) ((long) upserts.size() * (load + 1) / loads));
        upsertSeconds += insert(connection, "upsert_unique", part, model);
      }

      progress.line("loading the final rows into the DUPLICATE KEY table");
      insert(connection, "upsert_duplicate", new ArrayList<>(model.values()), null);

      results.put("loadRows", initial.size());
      results.put("loadSeconds", loadSeconds);
      results.put("loadRowsPerSecond", initial.size() / loadSeconds);
      results.put("upsertRows", upserts.size());
      results.put("upsertSeconds", upsertSeconds);
      results.put("upsertRowsPerSecond", upserts.size() / upsertSeconds);
      results.put("finalRows", model.size());
    }

    List<List<Object>> expected = expectedAggregate(model);
    TextTable queries = new TextTable("table", "median ms", "runs ms", "correct");
    double[] medians =
        timeAggregates(
            List.of("upsert_unique", "upsert_duplicate"),
            expected,
            List.of(results.putObject("uniqueQuery"), results.putObject("duplicateQuery")),
            queries);
    double ratio = medians[0] / medians[1];
    TextTable lookups = new TextTable("step", "count", "median ms", "p99 ms", "correct");
    boolean lookupsCorrect = timePointLookups(model, results, lookups);
    boolean restartCorrect = timeRestart(model, results, lookups);
    results.put("uniqueToDuplicateRatio", ratio);
    TextTable concurrent = ConcurrentTablesMemory.newTable();
    boolean concurrentCorrect =
        options.concurrentTables() <= 0
            || new ConcurrentTablesMemory(
                    server,
                    progress,
                    options.concurrentTables(),
                    options.concurrentRowsPerTable(),
                    1_000)
                .run(results.putObject("concurrentTables"), concurrent);
    boolean correct =
        results.get("uniqueQuery").get("correct").asBoolean()
            && results.get("duplicateQuery").get("correct").asBoolean()
            && lookupsCorrect
            && restartCorrect
            && concurrentCorrect;
    results.put("correct", correct);

    TextTable rates = new TextTable("step", "rows", "seconds", "rows/s");
    rates.row(
        "load (UNIQUE KEY)",
        String.format(Locale.ROOT, "%,d", results.get("loadRows").asLong()),
        String.format(Locale.ROOT, "%.2f", results.get("loadSeconds").asDouble()),
        Durations.rate(results.get("loadRowsPerSecond").asDouble()));
    rates.row(
        "upsert (" + Math.round(options.updateRatio() * 100) + "% existing keys)",
        String.format(Locale.ROOT, "%,d", results.get("upsertRows").asLong()),
        String.format(Locale.ROOT, "%.2f", results.get("upsertSeconds").asDouble()),
        Durations.rate(results.get("upsertRowsPerSecond").asDouble()));
    StringBuilder summaryText =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "upsert rows=%d update-ratio=%s via=%s: load %s rows/s, upsert %s rows/s,"
                    + " aggregate unique/duplicate ratio %.1f",
                options.rows(),
                BigDecimal.valueOf(options.updateRatio()).stripTrailingZeros().toPlainString(),
                options.via().optionValue(),
                Durations.rate(results.get("loadRowsPerSecond").asDouble()),
                Durations.rate(results.get("upsertRowsPerSecond").asDouble()),
                ratio));
    if (results.has("pointLookups")) {
      summaryText
          .append(", point lookup p50 ")
          .append(Durations.millis(results.get("pointLookups").get("medianMillis").asDouble()))
          .append(" ms");
      if (results.get("pointLookups").has("serverP99Millis")) {
        summaryText
            .append(" (at the server p50 ")
            .append(
                Durations.millis(results.get("pointLookups").get("serverMedianMillis").asDouble()))
            .append(" / p99 ")
            .append(Durations.millis(results.get("pointLookups").get("serverP99Millis").asDouble()))
            .append(" ms)");
      }
    }
    if (results.has("restart")) {
      summaryText
          .append(", restart to first query ")
          .append(Durations.millis(results.get("restart").get("firstQueryMillis").asDouble()))
          .append(" ms");
    }
    if (results.has("concurrentTables")) {
      ObjectNode many = (ObjectNode) results.get("concurrentTables");
      summaryText.append(
          String.format(
              Locale.ROOT,
              ", %d tables written at once: peak heap %.0f MiB (%.0f MiB after GC) of %.0f MiB",
              many.get("tables").asInt(),
              many.get("peakHeapUsedBytes").asLong() / 1048576.0,
              many.get("peakHeapUsedAfterGcBytes").asLong() / 1048576.0,
              many.get("heapMaxBytes").asLong() / 1048576.0));
    }
    String summary = summaryText.append(correct ? ", correct" : ", INCORRECT").toString();
    report.json().put("summary", summary);
    String markdown =
        report.markdownHeader("Upserts into a UNIQUE KEY table")
            + "## Write rates ("
            + (options.via() == Via.INSERT
                ? "multi-row INSERT, " + options.rowsPerStatement() + " rows per statement"
                : "one Stream Load per step")
            + ")\n\n"
            + rates.toMarkdown()
            + "\n## Aggregate query on the final data\n\n`"
            + AGGREGATE_QUERY.formatted("<table>")
            + "`\n\n"
            + queries.toMarkdown()
            + "\n## Primary-key lookups and restart\n\n"
            + lookups.toMarkdown()
            + (results.has("concurrentTables")
                ? "\n## Memory of many tables written at once (group commit, 16 clients)\n\n"
                    + concurrent.toMarkdown()
                : "")
            + "\n"
            + summary
            + "\n";
    report.write(outputDirectory, markdown, null);
    return new WorkloadOutcome(
        rates.toTerminal()
            + "\n"
            + queries.toTerminal()
            + "\n"
            + lookups.toTerminal()
            + (results.has("concurrentTables") ? "\n" + concurrent.toTerminal() : ""),
        summary,
        correct,
        outputDirectory);
  }

  /**
   * Times {@code pointLookups} prepared {@code SELECT ... WHERE id = ?} on the updated UNIQUE KEY
   * table, one client, keys drawn from the model; every answer is checked. Returns whether all were
   * right.
   */
  private boolean timePointLookups(
      SortedMap<Long, Row> model, ObjectNode results, TextTable lookups) throws SQLException {
    int count = options.pointLookups();
    if (count <= 0 || model.isEmpty()) {
      return true;
    }
    long[] keys = new long[model.size()];
    int next = 0;
    for (long key : model.keySet()) {
      keys[next++] = key;
    }
    Random random = new Random(options.seed() + 1);
    long[] nanos = new long[count];
    int wrong = 0;
    ServerCommandTimes.Window serverTimes;
    ServerCommandTimes.Window serverTimesWarm = null;
    // The server's figures also without the first tenth of the lookups, whose server side the JIT
    // is still compiling: the steady state the lookups reach.
    int warmFrom = count / 10;
    try (Connection connection =
            BasaltDatabase.connect(server, DATABASE, "useServerPrepStmts=true");
        PreparedStatement lookup =
            connection.prepareStatement("SELECT category, note FROM upsert_unique WHERE id = ?")) {
      ServerCommandTimes serverBefore = ServerCommandTimes.snapshot(server.endpoint());
      ServerCommandTimes serverWarm = null;
      for (int i = 0; i < count; i++) {
        if (i == warmFrom) {
          serverWarm = ServerCommandTimes.snapshot(server.endpoint());
        }
        Row expected = model.get(keys[random.nextInt(keys.length)]);
        long start = System.nanoTime();
        lookup.setLong(1, expected.id());
        try (ResultSet rows = lookup.executeQuery()) {
          boolean right =
              rows.next()
                  && rows.getInt(1) == expected.category()
                  && expected.note().equals(rows.getString(2))
                  && !rows.next();
          nanos[i] = System.nanoTime() - start;
          if (!right) {
            wrong++;
          }
        }
      }
      ServerCommandTimes serverAfter = ServerCommandTimes.snapshot(server.endpoint());
      serverTimes = ServerCommandTimes.between(serverBefore, serverAfter);
      serverTimesWarm = ServerCommandTimes.between(serverWarm, serverAfter);
    }
    long[] sorted = Durations.sortedCopy(nanos, count);
    double median = Durations.quantileMillis(sorted, 0.5);
    double p99 = Durations.quantileMillis(sorted, 0.99);
    ObjectNode json = results.putObject("pointLookups");
    json.put("count", count);
    json.put("medianMillis", median);
    json.put("p99Millis", p99);
    json.put("wrongAnswers", wrong);
    lookups.row(
        "point lookup (prepared, 1 client)",
        String.format(Locale.ROOT, "%,d", count),
        Durations.millis(median),
        Durations.millis(p99),
        wrong == 0 ? "yes" : "NO: " + wrong + " wrong");
    // The server's own time of the same executes (from its /metrics), without the network and the
    // client; some commands may still be counting when the last answer arrives, so a few may lack.
    if (serverTimes != null && serverTimes.count() > 0) {
      double serverMedian = serverTimes.quantileMillis(0.5);
      double serverP99 = serverTimes.quantileMillis(0.99);
      json.put("serverCount", serverTimes.count());
      json.put("serverMedianMillis", serverMedian);
      json.put("serverP99Millis", serverP99);
      lookups.row(
          "point lookup, at the server",
          String.format(Locale.ROOT, "%,d", serverTimes.count()),
          Durations.millis(serverMedian),
          Durations.millis(serverP99),
          "");
    }
    if (serverTimesWarm != null && serverTimesWarm.count() > 0) {
      json.put("serverWarmCount", serverTimesWarm.count());
      json.put("serverWarmMedianMillis", serverTimesWarm.quantileMillis(0.5));
      json.put("serverWarmP99Millis", serverTimesWarm.quantileMillis(0.99));
      lookups.row(
          "at the server, after the first tenth",
          String.format(Locale.ROOT, "%,d", serverTimesWarm.count()),
          Durations.millis(serverTimesWarm.quantileMillis(0.5)),
          Durations.millis(serverTimesWarm.quantileMillis(0.99)),
          "");
    }
    return wrong == 0;
  }

  /**
   * Restarts the server (SIGKILL, then a new process on the same data) and times it from the kill
   * to the first answered query, a primary-key lookup that is checked. Skipped for a server the
   * harness does not own ({@link BenchServer#restart} says so). Returns whether the answer was
   * right.
   */
  private boolean timeRestart(SortedMap<Long, Row> model, ObjectNode results, TextTable lookups)
      throws SQLException {
    if (model.isEmpty()) {
      return true;
    }
    progress.line("restarting the server");
    Row expected = model.get(model.lastKey());
    long start = System.nanoTime();
    try {
      if (!server.restart()) {
        return true;
      }
    } catch (Exception e) {
      throw new SQLException("restart failed: " + e.getMessage(), e);
    }
    long ready = System.nanoTime();
    boolean right;
    try (Connection connection = BasaltDatabase.connect(server, DATABASE, "");
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT note FROM upsert_unique WHERE id = " + expected.id())) {
      right = rows.next() && expected.note().equals(rows.getString(1));
    }
    long answered = System.nanoTime();
    ObjectNode json = results.putObject("restart");
    json.put("readyMillis", (ready - start) / 1e6);
    json.put("firstQueryMillis", (answered - start) / 1e6);
    json.put("correct", right);
    lookups.row(
        "restart (kill -9) to first lookup answered",
        "1",
        Durations.millis((answered - start) / 1e6),
        "-",
        right ? "yes" : "NO");
    return right;
  }

  private Row randomRow(long id, Random random, String version) {
    return new Row(
        id,
        random.nextInt(CATEGORIES),
        BigDecimal.valueOf(random.nextInt(1_000_000), 2),
        version + "-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36));
  }

  /** {@code rows} rows: {@code updateRatio} of them with distinct existing keys, then new keys. */
  private List<Row> upsertRows(Random random) {
    int existing = (int) Math.round(options.rows() * options.updateRatio());
    long[] keys = new long[options.rows()];
    for (int index = 0; index < keys.length; index++) {
      keys[index] = index + 1;
    }
    for (int index = 0; index < existing; index++) {
      int swap = index + random.nextInt(keys.length - index);
      long key = keys[swap];
      keys[swap] = keys[index];
      keys[index] = key;
    }
    List<Row> rows = new ArrayList<>(options.rows());
    for (int index = 0; index < existing; index++) {
      rows.add(randomRow(keys[index], random, "v1"));
    }
    for (long id = options.rows() + 1L; rows.size() < options.rows(); id++) {
      rows.add(randomRow(id, random, "v1"));
    }
    Collections.shuffle(rows, random);
    return rows;
  }

  /** Writes rows the chosen way and updates the model; returns the seconds the writes took. */
  private double insert(
      Connection connection, String table, List<Row> rows, SortedMap<Long, Row> model)
      throws SQLException, IOException {
    if (options.via() == Via.STREAM_LOAD) {
      return streamLoad(table, rows, model);
    }
    long start = System.nanoTime();
    try (ValuesInserter inserter =
        new ValuesInserter(connection, table, options.rowsPerStatement())) {
      for (Row row : rows) {
        inserter.add(row.tuple());
        if (model != null) {
          model.put(row.id(), row);
        }
        if (inserter.rows() % options.rowsPerStatement() == 0) {
          progress.update(
              String.format("%s: %,d of %,d rows", table, inserter.rows(), rows.size()));
        }
      }
      inserter.flush();
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * Writes the rows to a temporary tab-separated file (not timed), then loads it with one Stream
   * Load; returns the seconds the load took, from the first byte sent to the answer.
   */
  private double streamLoad(String table, List<Row> rows, SortedMap<Long, Row> model)
      throws IOException {
    Path file = Files.createTempFile("basalt-upsert-" + table, ".tsv");
    try {
      try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (Row row : rows) {
          writer.write(row.tabSeparated());
          writer.write('\n');
          if (model != null) {
            model.put(row.id(), row);
          }
        }
      }
      StreamLoadClient client = new StreamLoadClient(server.endpoint());
      long start = System.nanoTime();
      StreamLoadClient.Answer answer =
          client.loadFile(DATABASE, table, file, Map.of("label", table + "_" + System.nanoTime()));
      double seconds = (System.nanoTime() - start) / 1e9;
      if (!answer.success() || answer.loadedRows() != rows.size()) {
        throw new IOException(
            "Stream Load into "
                + table
                + " failed (HTTP "
                + answer.httpStatus()
                + "): "
                + answer.body());
      }
      return seconds;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static List<List<Object>> expectedAggregate(SortedMap<Long, Row> model) {
    TreeMap<Integer, Object[]> groups = new TreeMap<>();
    for (Row row : model.values()) {
      Object[] group =
          groups.computeIfAbsent(row.category(), key -> new Object[] {0L, BigDecimal.ZERO, null});
      group[0] = (Long) group[0] + 1;
      group[1] = ((BigDecimal) group[1]).add(row.amount());
      if (group[2] == null || row.note().compareTo((String) group[2]) > 0) {
        group[2] = row.note();
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    groups.forEach(
        (category, group) ->
            rows.add(
                Arrays.asList(
                    BigDecimal.valueOf(category),
                    BigDecimal.valueOf((Long) group[0]),
                    group[1],
                    group[2])));
    return rows;
  }

  /**
   * Times the aggregate query on each table: one cold run each (its answer checked), then {@code
   * runs} hot runs, the tables alternating run by run so that neither is favoured by the JIT
   * warming up or by background work (compaction after the loads) fading out. Returns each table's
   * median hot time.
   */
  private double[] timeAggregates(
      List<String> tables, List<List<Object>> expected, List<ObjectNode> json, TextTable queries) {
    List<List<Double>> hot = new ArrayList<>();
    String[] differences = new String[tables.size()];
    boolean[] failed = new boolean[tables.size()];
    for (int table = 0; table < tables.size(); table++) {
      hot.add(new ArrayList<>());
    }
    try (TimedQueryRunner runner =
        new TimedQueryRunner(
            () -> BasaltDatabase.connect(server, DATABASE, ""), options.timeout())) {
      for (int run = 0; run <= options.runs(); run++) {
        for (int table = 0; table < tables.size(); table++) {
          if (failed[table]) {
            continue;
          }
          QueryResult result = runner.run(AGGREGATE_QUERY.formatted(tables.get(table)));
          if (result.status() != QueryStatus.OK) {
            differences[table] = result.status() + ": " + result.error();
            failed[table] = true;
            continue;
          }
          if (run == 0) {
            differences[table] = ResultComparator.difference(expected, result.rows(), true);
          }
          if (run > 0 || options.runs() == 0) {
            hot.get(table).add(result.elapsedMillis());
          }
        }
      }
    }
    double[] medians = new double[tables.size()];
    for (int table = 0; table < tables.size(); table++) {
      medians[table] = Durations.median(hot.get(table));
      ObjectNode entry = json.get(table);
      entry.put("sql", AGGREGATE_QUERY.formatted(tables.get(table)));
      entry.put("medianMillis", medians[table]);
      var runs = entry.putArray("hotMillis");
      hot.get(table).forEach(runs::add);
      entry.put("correct", differences[table] == null);
      if (differences[table] != null) {
        entry.put("difference", differences[table]);
      }
      queries.row(
          tables.get(table),
          Durations.millis(medians[table]),
          String.join(" ", hot.get(table).stream().map(Durations::millis).toList()),
          differences[table] == null ? "yes" : "NO: " + differences[table]);
    }
    return medians;
  }
}
