package dev.basalt.bench.tpch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.basalt.bench.load.InsertBatchLoader;
import dev.basalt.bench.load.StreamLoadClient;
import dev.basalt.bench.query.QueryResult;
import dev.basalt.bench.query.QueryStatus;
import dev.basalt.bench.query.ResultComparator;
import dev.basalt.bench.query.TimedQueryRunner;
import dev.basalt.bench.report.BarChartSvg;
import dev.basalt.bench.report.BenchReport;
import dev.basalt.bench.report.Progress;
import dev.basalt.bench.report.TextTable;
import dev.basalt.bench.server.BenchServer;
import dev.basalt.bench.workload.BasaltDatabase;
import dev.basalt.bench.workload.WorkloadOutcome;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * TPC-H side by side: the same generated data loaded into Basalt (Stream Load when the server has
 * it, else multi-row INSERT) and into an in-process DuckDB, then each query run once cold and
 * {@code hotRuns} times hot, alternating engines; every Basalt result is checked against DuckDB's.
 *
 * <p>One instance per run; not thread safe.
 */
public final class TpchWorkload {
  private static final String DATABASE = "tpch_bench";

  /**
   * What to run.
   *
   * @param scaleFactor the TPC-H scale factor (0.01, 0.1, 1, 10; any positive number works)
   * @param hotRuns hot runs per engine and query after the cold run
   * @param queries the query numbers to run, in order
   * @param timeout the time after which a query is abandoned
   * @param cacheDirectory where generated data is cached (a {@code sf<X>} directory per scale)
   * @param rowsPerInsert rows per INSERT statement when Stream Load is missing
   * @param maximumBuckets the most buckets a Basalt table gets
   */
  public record Options(
      double scaleFactor,
      int hotRuns,
      List<Integer> queries,
      Duration timeout,
      Path cacheDirectory,
      int rowsPerInsert,
      int maximumBuckets) {}

  /** One engine's runs of one query. */
  private static final class EngineRuns {
    QueryResult cold;
    final List<QueryResult> hot = new ArrayList<>();
    QueryStatus status = QueryStatus.OK;
    String error;

    void record(QueryResult result, boolean isCold) {
      if (isCold) {
        cold = result;
      } else {
        hot.add(result);
      }
      if (result.status() != QueryStatus.OK) {
        status = result.status();
        error = result.error();
      }
    }

    boolean failed() {
      return status != QueryStatus.OK;
    }

    double medianHotMillis() {
      List<Double> times = new ArrayList<>();
      for (QueryResult run : hot) {
        times.add(run.elapsedMillis());
      }
      if (times.isEmpty()) {
        return cold.elapsedMillis();
      }
      times.sort(Double::compare);
      int middle = times.size() / 2;
      return times.size() % 2 == 1
          ? times.get(middle)
          : (times.get(middle - 1) + times.get(middle)) / 2;
    }
  }

  private final Options options;
  private final BenchServer server;
  private final Progress progress;
  private final BenchReport report = new BenchReport("tpch");

  /**
   * @param options what to run
   * @param server the Basalt server under test
   * @param progress where progress lines go
   */
  public TpchWorkload(Options options, BenchServer server, Progress progress) {
    this.options = options;
    this.server = server;
    this.progress = progress;
  }

  /** Runs the workload and writes its report into {@code outputDirectory}. */
  public WorkloadOutcome run(Path outputDirectory) throws IOException, SQLException {
    String scale = TpchDataSet.scaleFactorText(options.scaleFactor());
    TpchDataSet data =
        TpchDataSet.openOrGenerate(options.cacheDirectory(), options.scaleFactor(), progress);
    ObjectNode parameters = report.parameters();
    parameters.put("scaleFactor", options.scaleFactor());
    parameters.put("hotRuns", options.hotRuns());
    parameters.put("timeoutSeconds", options.timeout().toSeconds());
    ArrayNode queryNumbers = parameters.putArray("queries");
    options.queries().forEach(queryNumbers::add);
    parameters.put("server", server.description());

    ObjectNode load = report.json().putObject("load");
    loadBasalt(data, load.putObject("basalt"));
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
      loadDuckdb(data, duckdb, load.putObject("duckdb"));
      report.engines().putObject("basalt").put("version", BasaltDatabase.version(server));
      report
          .engines()
          .putObject("duckdb")
          .put(
              "version",
              "DuckDB "
                  + BasaltDatabase.queryText(duckdb, "SELECT version()")
                  + " (in process, JDBC)");
      return runQueries(duckdb, scale, outputDirectory, load);
    }
  }

  private void loadBasalt(TpchDataSet data, ObjectNode load) throws SQLException, IOException {
    BasaltDatabase.recreate(server, DATABASE);
    long start = System.nanoTime();
    try (Connection connection = BasaltDatabase.connect(server, DATABASE, "");
        Statement statement = connection.createStatement()) {
      for (TpchSchema.Table table : TpchSchema.TABLES) {
        statement.execute(
            TpchSchema.basaltCreateTable(table, options.scaleFactor(), options.maximumBuckets()));
      }
      StreamLoadClient streamLoad = new StreamLoadClient(server.endpoint());
      String unavailable = streamLoad.unavailableReason(DATABASE, "region");
      String method;
      start = System.nanoTime();
      if (unavailable == null) {
        method = "Stream Load (CSV, column_separator |)";
        progress.line("loading Basalt with Stream Load");
        for (TpchSchema.Table table : TpchSchema.TABLES) {
          progress.line("loading " + table.name() + " into Basalt (Stream Load)");
          StreamLoadClient.Answer answer;
          try {
            answer =
                streamLoad.loadFile(
                    DATABASE,
                    table.name(),
                    data.file(table.name()),
                    Map.of(
                        "label",
                        "tpch_" + table.name() + "_" + System.nanoTime(),
                        "column_separator",
                        "|"));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while loading " + table.name(), e);
          }
          if (!answer.success()) {
            throw new IOException(
                "Stream Load of "
                    + table.name()
                    + " failed (HTTP "
                    + answer.httpStatus()
                    + "): "
                    + answer.body());
          }
        }
      } else {
        method =
            "INSERT batches of "
                + options.rowsPerInsert()
                + " rows over JDBC (Stream Load unavailable: "
                + unavailable
                + ")";
        progress.line(
            "Stream Load unavailable (" + unavailable + "); loading Basalt with INSERT batches");
        InsertBatchLoader loader = new InsertBatchLoader(connection, options.rowsPerInsert());
        for (TpchSchema.Table table : TpchSchema.TABLES) {
          long rows = loader.load(table.name(), table.columns(), data.file(table.name()), progress);
          progress.line(String.format("loaded %s into Basalt: %,d rows", table.name(), rows));
        }
      }
      long elapsed = System.nanoTime() - start;
      for (TpchSchema.Table table : TpchSchema.TABLES) {
        String count = BasaltDatabase.queryText(connection, "SELECT count(*) FROM " + table.name());
        if (Long.parseLong(count) != data.rowCount(table.name())) {
          throw new IOException(
              "Basalt holds "
                  + count
                  + " rows of "
                  + table.name()
                  + " after the load, expected "
                  + data.rowCount(table.name()));
        }
      }
      putLoad(load, method, elapsed, data.totalRows());
      // Statistics for the cost-based join order (docs/statistics.md), as a Doris user would
      // collect them after a bulk load; timed apart from the load.
      long analyzeStart = System.nanoTime();
      for (TpchSchema.Table table : TpchSchema.TABLES) {
        statement.execute("ANALYZE TABLE " + table.name() + " WITH SYNC");
      }
      double analyzeSeconds = (System.nanoTime() - analyzeStart) / 1e9;
      load.put("analyze_seconds", analyzeSeconds);
      progress.line(
          String.format("analyzed Basalt's tables (ANALYZE TABLE) in %.2f s", analyzeSeconds));
    }
  }

  private void loadDuckdb(TpchDataSet data, Connection duckdb, ObjectNode load)
      throws SQLException {
    progress.line("loading DuckDB (COPY FROM the same files)");
    try (Statement statement = duckdb.createStatement()) {
      for (TpchSchema.Table table : TpchSchema.TABLES) {
        statement.execute(TpchSchema.duckdbCreateTable(table));
      }
      long start = System.nanoTime();
      for (TpchSchema.Table table : TpchSchema.TABLES) {
        String path = data.file(table.name()).toAbsolutePath().toString().replace("'", "''");
        statement.execute(
            "COPY " + table.name() + " FROM '" + path + "' (DELIMITER '|', HEADER false)");
      }
      putLoad(load, "COPY FROM (DELIMITER '|')", System.nanoTime() - start, data.totalRows());
    }
  }

  private static void putLoad(ObjectNode load, String method, long elapsedNanos, long rows) {
    double seconds = elapsedNanos / 1e9;
    load.put("method", method);
    load.put("seconds", seconds);
    load.put("rows", rows);
    load.put("rowsPerSecond", rows / Math.max(seconds, 1e-9));
  }

  /**
   * The longest wait, before each timed run of either engine, for Basalt's server to finish its
   * background work (docs/benchmarks.md, "tpch").
   */
  private static final Duration QUIET_LIMIT = Duration.ofSeconds(5);

  /** {@link BenchServer#awaitQuiescent} up to {@link #QUIET_LIMIT}. */
  private Duration awaitQuiescentServer() throws IOException {
    try {
      return server.awaitQuiescent(QUIET_LIMIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the server to be quiet", e);
    }
  }

  private WorkloadOutcome runQueries(
      Connection duckdb, String scale, Path outputDirectory, ObjectNode load) throws IOException {
    ArrayNode queriesJson = report.json().putArray("queries");
    TextTable table =
        new TextTable("query", "basalt ms", "duckdb ms", "basalt/duckdb", "correct", "note");
    List<String> labels = new ArrayList<>();
    List<Double> basaltTimes = new ArrayList<>();
    List<Double> duckdbTimes = new ArrayList<>();
    int correctCount = 0;
    int wrongCount = 0;
    int failedCount = 0;
    int timeoutCount = 0;
    double basaltSum = 0;
    double duckdbSum = 0;
    int comparedCount = 0;
    Duration quietWait = Duration.ZERO;
    try (TimedQueryRunner basalt =
            new TimedQueryRunner(
                () -> BasaltDatabase.connect(server, DATABASE, ""), options.timeout());
        TimedQueryRunner duck =
            new TimedQueryRunner(
                () -> ((DuckDBConnection) duckdb).duplicate(), options.timeout())) {
      for (int number : options.queries()) {
        String name = TpchQueries.name(number);
        String text = TpchQueries.text(number);
        progress.line("running " + name);
        EngineRuns basaltRuns = new EngineRuns();
        EngineRuns duckdbRuns = new EngineRuns();
        for (int run = 0; run <= options.hotRuns(); run++) {
          boolean cold = run == 0;
          if (!basaltRuns.failed()) {
            quietWait = quietWait.plus(awaitQuiescentServer());
            QueryResult result = basalt.run(text);
            basaltRuns.record(result, cold);
            if (result.status() == QueryStatus.TIMEOUT) {
              restartAfterTimeout(basalt, name);
            }
          }
          if (!duckdbRuns.failed()) {
            quietWait = quietWait.plus(awaitQuiescentServer());
            duckdbRuns.record(duck.run(text), cold);
          }
        }
        ObjectNode queryJson = queriesJson.addObject();
        queryJson.put("name", name);
        putEngine(queryJson.putObject("basalt"), basaltRuns);
        putEngine(queryJson.putObject("duckdb"), duckdbRuns);
        String correctText;
        String note = "";
        Double basaltMedian = null;
        Double duckdbMedian = null;
        if (basaltRuns.failed()) {
          correctText = basaltRuns.status.name();
          note = shorten(basaltRuns.error);
          queryJson.putNull("correct");
          if (basaltRuns.status == QueryStatus.TIMEOUT) {
            timeoutCount++;
          } else {
            failedCount++;
          }
        } else if (duckdbRuns.failed()) {
          correctText = "unchecked";
          note = "duckdb " + duckdbRuns.status + ": " + shorten(duckdbRuns.error);
          queryJson.putNull("correct");
        } else {
          String difference =
              ResultComparator.difference(
                  duckdbRuns.cold.rows(), basaltRuns.cold.rows(), TpchQueries.ordered(text));
          queryJson.put("correct", difference == null);
          if (difference == null) {
            correctText = "yes";
            correctCount++;
          } else {
            correctText = "NO";
            note = shorten(difference);
            queryJson.put("difference", difference);
            wrongCount++;
          }
        }
        if (!basaltRuns.failed()) {
          basaltMedian = basaltRuns.medianHotMillis();
        }
        if (!duckdbRuns.failed()) {
          duckdbMedian = duckdbRuns.medianHotMillis();
        }
        String ratioText = "";
        if (basaltMedian != null && duckdbMedian != null) {
          double ratio = basaltMedian / Math.max(duckdbMedian, 0.001);
          queryJson.put("ratio", ratio);
          ratioText = String.format(Locale.ROOT, "%.1f", ratio);
          basaltSum += basaltMedian;
          duckdbSum += duckdbMedian;
          comparedCount++;
        } else {
          queryJson.putNull("ratio");
        }
        labels.add(name);
        basaltTimes.add(basaltMedian);
        duckdbTimes.add(duckdbMedian);
        table.row(
            name,
            basaltMedian == null ? basaltRuns.status.name() : formatMillis(basaltMedian),
            duckdbMedian == null ? duckdbRuns.status.name() : formatMillis(duckdbMedian),
            ratioText,
            correctText,
            note);
      }
    }
    progress.line(
        String.format(
            Locale.ROOT,
            "waited %.1f s in all for Basalt's server to be quiet before timed runs",
            quietWait.toMillis() / 1000.0));
    double hotSumRatio = duckdbSum > 0 ? basaltSum / duckdbSum : Double.NaN;
    int total = options.queries().size();
    StringBuilder summary = new StringBuilder();
    summary.append(
        String.format(Locale.ROOT, "tpch sf=%s: %d/%d correct", scale, correctCount, total));
    List<String> problems = new ArrayList<>();
    if (wrongCount > 0) {
      problems.add(wrongCount + " wrong");
    }
    if (failedCount > 0) {
      problems.add(failedCount + " failed");
    }
    if (timeoutCount > 0) {
      problems.add(timeoutCount + " timed out");
    }
    if (!problems.isEmpty()) {
      summary.append(" (").append(String.join(", ", problems)).append(")");
    }
    summary.append(String.format(Locale.ROOT, ", basalt/duckdb hot-sum ratio %.1f", hotSumRatio));
    if (comparedCount < total) {
      summary.append(" over ").append(comparedCount).append(" queries");
    }
    ObjectNode totals = report.json().putObject("summary");
    totals.put("correct", correctCount);
    totals.put("wrong", wrongCount);
    totals.put("failed", failedCount);
    totals.put("timedOut", timeoutCount);
    totals.put("queries", total);
    totals.put("basaltHotSumMillis", basaltSum);
    totals.put("duckdbHotSumMillis", duckdbSum);
    totals.put("quiescenceWaitSeconds", quietWait.toMillis() / 1000.0);
    if (Double.isFinite(hotSumRatio)) {
      totals.put("hotSumRatio", hotSumRatio);
    } else {
      totals.putNull("hotSumRatio");
    }
    totals.put("line", summary.toString());

    String loadText = loadTable(load).toMarkdown();
    String markdown =
        report.markdownHeader("TPC-H sf=" + scale + ": Basalt vs DuckDB")
            + "## Load\n\n"
            + loadText
            + "\n## Queries (median of hot runs, milliseconds)\n\n"
            + table.toMarkdown()
            + "\n"
            + summary
            + "\n\n![per-query times](chart.svg)\n";
    String svg =
        BarChartSvg.render(
            "TPC-H sf=" + scale + ": median hot time per query (log scale)",
            labels,
            List.of("basalt", "duckdb"),
            List.of(basaltTimes, duckdbTimes));
    report.write(outputDirectory, markdown, svg);
    boolean allCorrect = correctCount == total;
    return new WorkloadOutcome(
        loadTable(load).toTerminal() + "\n" + table.toTerminal(),
        summary.toString(),
        allCorrect,
        outputDirectory);
  }

  private static TextTable loadTable(ObjectNode load) {
    TextTable table = new TextTable("engine", "load s", "rows/s", "method");
    load.properties()
        .forEach(
            entry ->
                table.row(
                    entry.getKey(),
                    String.format(Locale.ROOT, "%.2f", entry.getValue().get("seconds").asDouble()),
                    String.format(
                        Locale.ROOT, "%,.0f", entry.getValue().get("rowsPerSecond").asDouble()),
                    entry.getValue().get("method").asText()));
    return table;
  }

  private void restartAfterTimeout(TimedQueryRunner basalt, String name) {
    try {
      if (server.restart()) {
        progress.line(name + " timed out; restarted the Basalt server to stop it");
      } else {
        progress.line(name + " timed out; continuing on a fresh connection");
      }
    } catch (Exception e) {
      progress.line(name + " timed out and the server could not be restarted: " + e.getMessage());
    }
    basalt.reconnect();
  }

  private static void putEngine(ObjectNode json, EngineRuns runs) {
    json.put("status", runs.status.name());
    if (runs.cold != null) {
      json.put("coldMillis", runs.cold.elapsedMillis());
      json.put("rows", runs.cold.rows().size());
    }
    ArrayNode hot = json.putArray("hotMillis");
    runs.hot.forEach(run -> hot.add(run.elapsedMillis()));
    if (!runs.failed()) {
      json.put("medianHotMillis", runs.medianHotMillis());
    } else {
      json.put("error", runs.error);
    }
  }

  private static String formatMillis(double millis) {
    return String.format(Locale.ROOT, millis < 10 ? "%.2f" : "%.0f", millis);
  }

  private static String shorten(String text) {
    if (text == null) {
      return "";
    }
    String oneLine = text.replace('\n', ' ');
    return oneLine.length() > 90 ? oneLine.substring(0, 87) + "..." : oneLine;
  }
}
