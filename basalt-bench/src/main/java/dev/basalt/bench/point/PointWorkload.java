package dev.basalt.bench.point;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.basalt.bench.load.ValuesInserter;
import dev.basalt.bench.report.BenchReport;
import dev.basalt.bench.report.Progress;
import dev.basalt.bench.report.TextTable;
import dev.basalt.bench.server.BenchServer;
import dev.basalt.bench.server.ServerCommandTimes;
import dev.basalt.bench.workload.BasaltDatabase;
import dev.basalt.bench.workload.Durations;
import dev.basalt.bench.workload.WorkloadOutcome;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Primary-key lookups through server-side prepared statements ({@code useServerPrepStmts=true},
 * {@code cachePrepStmts=true}) on a UNIQUE KEY table: for each thread count, every thread runs
 * {@code SELECT ... WHERE id = ?} with random keys for a fixed time; reports QPS, p50 and p99.
 * MariaDB (InnoDB, the same rows, statements and driver) runs beside it when it is reachable. Every
 * answer is checked: exactly the row of the key asked for.
 *
 * <p>One instance per run; not thread safe.
 */
public final class PointWorkload {
  private static final String DATABASE = "point_bench";
  private static final String LOOKUP =
      "SELECT id, name, amount, created FROM point_lookup WHERE id = ?";
  private static final String PREPARED_PROPERTIES = "useServerPrepStmts=true&cachePrepStmts=true";

  /**
   * What to run.
   *
   * @param rows rows in the table (keys 1 to rows)
   * @param threadCounts the numbers of concurrent clients to measure, in order
   * @param seconds the measured time per thread count and engine
   * @param rowsPerStatement rows per INSERT statement while loading
   * @param mariadbAddress {@code host:port} of the MariaDB server to compare with, or {@code null}
   *     for none
   * @param mariadbUser the MariaDB user (no password)
   * @param seed the random seed of the keys asked for
   * @param storeRowColumn whether the looked-up table keeps a row store ({@code "store_row_column"
   *     = "true"}, docs/format.md section 14)
   */
  public record Options(
      int rows,
      List<Integer> threadCounts,
      double seconds,
      int rowsPerStatement,
      String mariadbAddress,
      String mariadbUser,
      long seed,
      boolean storeRowColumn) {}

  /** A way to open client connections to one engine's database. */
  @FunctionalInterface
  private interface Connector {
    Connection open() throws SQLException;
  }

  /**
   * @param serverTimes the server's own time of the measured window's executes (Basalt's {@code
   *     /metrics}), or {@code null} for MariaDB or a server without it
   */
  private record Measurement(
      long queries,
      long wrongAnswers,
      double seconds,
      long[] sortedNanos,
      ServerCommandTimes.Window serverTimes) {
    double queriesPerSecond() {
      return queries / seconds;
    }
  }

  private final Options options;
  private final BenchServer server;
  private final Progress progress;
  private final BenchReport report = new BenchReport("point");

  /**
   * @param options what to run
   * @param server the Basalt server under test
   * @param progress where progress lines go
   */
  public PointWorkload(Options options, BenchServer server, Progress progress) {
    this.options = options;
    this.server = server;
    this.progress = progress;
  }

  /** Runs the workload and writes its report into {@code outputDirectory}. */
  public WorkloadOutcome run(Path outputDirectory) throws IOException, SQLException {
    ObjectNode parameters = report.parameters();
    parameters.put("rows", options.rows());
    ArrayNode threads = parameters.putArray("threads");
    options.threadCounts().forEach(threads::add);
    parameters.put("seconds", options.seconds());
    parameters.put("statement", LOOKUP);
    parameters.put("storeRowColumn", options.storeRowColumn());
    parameters.put("driver", "MySQL Connector/J, " + PREPARED_PROPERTIES);
    parameters.put("server", server.description());
    report.engines().putObject("basalt").put("version", BasaltDatabase.version(server));

    BasaltDatabase.recreate(server, DATABASE);
    try (Connection connection = BasaltDatabase.connect(server, DATABASE, "")) {
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE TABLE point_lookup (id BIGINT, name VARCHAR(40), amount DECIMAL(15,2), created DATE)"
                + " UNIQUE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 4"
                + " PROPERTIES (\"replication_num\" = \"1\""
                + (options.storeRowColumn() ? ", \"store_row_column\" = \"true\"" : "")
                + ")");
      }
      progress.line(String.format("loading %,d rows into Basalt", options.rows()));
      fill(connection);
    }

    ObjectNode results = report.json().putObject("results");
    TextTable table =
        new TextTable(
            "engine",
            "threads",
            "QPS",
            "p50 ms",
            "p99 ms",
            "server p50 ms",
            "server p99 ms",
            "wrong answers");
    boolean correct = true;
    List<Double> basaltRates = new ArrayList<>();
    for (int threadCount : options.threadCounts()) {
      Measurement measurement =
          measure(
              "basalt",
              () -> BasaltDatabase.connect(server, DATABASE, PREPARED_PROPERTIES),
              threadCount);
      correct &= measurement.wrongAnswers() == 0;
      basaltRates.add(measurement.queriesPerSecond());
      put(results.withArray("basalt"), table, "basalt", threadCount, measurement);
    }

    TextTable latencyTable = new TextTable("engine", "one client", "median ms", "p99 ms");
    ArrayNode latencies = report.json().putArray("singleClientLatencies");
    singleClientLatencies(
        "basalt",
        () -> BasaltDatabase.connect(server, DATABASE, PREPARED_PROPERTIES),
        "(id BIGINT, name VARCHAR(40)) UNIQUE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 4"
            + " PROPERTIES (\"replication_num\" = \"1\")",
        latencies,
        latencyTable);

    String mariadbNote;
    List<Double> mariadbRates = new ArrayList<>();
    String skipped = prepareMariadb();
    if (skipped == null) {
      report.engines().putObject("mariadb").put("version", mariadbVersion());
      for (int threadCount : options.threadCounts()) {
        Measurement measurement =
            measure("mariadb", () -> openMariadb(DATABASE, PREPARED_PROPERTIES), threadCount);
        correct &= measurement.wrongAnswers() == 0;
        mariadbRates.add(measurement.queriesPerSecond());
        put(results.withArray("mariadb"), table, "mariadb", threadCount, measurement);
      }
      singleClientLatencies(
          "mariadb",
          () -> openMariadb(DATABASE, PREPARED_PROPERTIES),
          "(id BIGINT PRIMARY KEY, name VARCHAR(40)) ENGINE=InnoDB",
          latencies,
          latencyTable);
      double basaltPeak = basaltRates.stream().mapToDouble(Double::doubleValue).max().orElse(0);
      double mariadbPeak = mariadbRates.stream().mapToDouble(Double::doubleValue).max().orElse(0);
      results.put("mariadbToBasaltPeakQpsRatio", mariadbPeak / basaltPeak);
      mariadbNote =
          String.format(
              Locale.ROOT,
              "mariadb peak %s qps, mariadb/basalt %.1f",
              Durations.rate(mariadbPeak),
              mariadbPeak / basaltPeak);
    } else {
      results.put("mariadbSkipped", skipped);
      mariadbNote = "mariadb skipped (" + skipped + ")";
      progress.line("MariaDB skipped: " + skipped);
    }
    results.put("correct", correct);
    double basaltPeak = basaltRates.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    String summary =
        String.format(
            Locale.ROOT,
            "point rows=%d threads=%s: basalt peak %s qps, %s, %s",
            options.rows(),
            String.join(",", options.threadCounts().stream().map(String::valueOf).toList()),
            Durations.rate(basaltPeak),
            mariadbNote,
            correct ? "all answers correct" : "WRONG ANSWERS");
    report.json().put("summary", summary);
    String markdown =
        report.markdownHeader("Point lookups by primary key")
            + "`"
            + LOOKUP
            + "` through server-side prepared statements, random keys, "
            + options.seconds()
            + " s per thread count.\n\n"
            + table.toMarkdown()
            + "\nOne client, one statement at a time (`SELECT 1` as text; the lookup and a"
            + " single-row `INSERT` prepared):\n\n"
            + latencyTable.toMarkdown()
            + "\n"
            + summary
            + "\n";
    report.write(outputDirectory, markdown, null);
    return new WorkloadOutcome(
        table.toTerminal() + "\n" + latencyTable.toTerminal(), summary, correct, outputDirectory);
  }

  private void fill(Connection connection) throws SQLException {
    try (ValuesInserter inserter =
        new ValuesInserter(connection, "point_lookup", options.rowsPerStatement())) {
      for (long id = 1; id <= options.rows(); id++) {
        inserter.add(tuple(id));
        if (id % 10_000 == 0) {
          progress.update(String.format("loaded %,d of %,d rows", id, options.rows()));
        }
      }
      inserter.flush();
    }
  }

  private static String tuple(long id) {
    return "("
        + id
        + ", '"
        + expectedName(id)
        + "', "
        + expectedAmount(id).toPlainString()
        + ", '"
        + LocalDate.of(2020, 1, 1).plusDays(id % 1000)
        + "')";
  }

  private static String expectedName(long id) {
    return "name-" + Long.toHexString(id * 0x9E3779B97F4A7C15L);
  }

  private static BigDecimal expectedAmount(long id) {
    return BigDecimal.valueOf(id % 100_000, 2);
  }

  private Measurement measure(String engine, Connector connector, int threadCount) {
    progress.line(
        String.format(
            Locale.ROOT, "%s: %d threads for %.1f s", engine, threadCount, options.seconds()));
    long warmUpNanos = (long) (Math.min(1.0, options.seconds() / 4) * 1e9);
    long measuredNanos = (long) (options.seconds() * 1e9);
    ExecutorService executor = Executors.newFixedThreadPool(threadCount);
    try {
      List<Future<Object[]>> futures = new ArrayList<>();
      long start = System.nanoTime();
      long measureFrom = start + warmUpNanos;
      long end = measureFrom + measuredNanos;
      for (int thread = 0; thread < threadCount; thread++) {
        long seed = options.seed() + thread;
        futures.add(executor.submit(() -> lookUp(connector, seed, measureFrom, end)));
      }
      // The server's own times of the measured window (Basalt only): its histogram when the warm-up
      // ends and when the clients are done.
      boolean basalt = engine.equals("basalt");
      ServerCommandTimes serverBefore = null;
      if (basalt) {
        long untilMeasured = measureFrom - System.nanoTime();
        if (untilMeasured > 0) {
          Thread.sleep(untilMeasured / 1_000_000, (int) (untilMeasured % 1_000_000));
        }
        serverBefore = ServerCommandTimes.snapshot(server.endpoint());
      }
      long queries = 0;
      long wrong = 0;
      long[] all = new long[0];
      int count = 0;
      for (Future<Object[]> future : futures) {
        Object[] threadResult = future.get();
        long[] latencies = (long[]) threadResult[0];
        int threadCountOfQueries = (Integer) threadResult[1];
        wrong += (Long) threadResult[2];
        if (all.length < count + threadCountOfQueries) {
          all = Arrays.copyOf(all, count + threadCountOfQueries);
        }
        System.arraycopy(latencies, 0, all, count, threadCountOfQueries);
        count += threadCountOfQueries;
        queries += threadCountOfQueries;
      }
      ServerCommandTimes.Window serverTimes =
          basalt
              ? ServerCommandTimes.between(
                  serverBefore, ServerCommandTimes.snapshot(server.endpoint()))
              : null;
      return new Measurement(
          queries, wrong, measuredNanos / 1e9, Durations.sortedCopy(all, count), serverTimes);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          engine + " lookups failed with " + threadCount + " threads: " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      executor.shutdownNow();
    }
  }

  /** One client: returns {latencies, count, wrong answers}. */
  private Object[] lookUp(Connector connector, long seed, long measureFrom, long end)
      throws SQLException {
    SplittableRandom random = new SplittableRandom(seed);
    long[] latencies = new long[1024];
    int count = 0;
    long wrong = 0;
    try (Connection connection = connector.open();
        PreparedStatement statement = connection.prepareStatement(LOOKUP)) {
      while (true) {
        long id = 1 + random.nextLong(options.rows());
        long before = System.nanoTime();
        // At least one measured lookup per thread, even when one lookup outlasts the window.
        if (before >= end && count > 0) {
          break;
        }
        statement.setLong(1, id);
        boolean right;
        try (ResultSet resultSet = statement.executeQuery()) {
          right =
              resultSet.next()
                  && resultSet.getLong(1) == id
                  && expectedName(id).equals(resultSet.getString(2))
                  && expectedAmount(id).compareTo(resultSet.getBigDecimal(3)) == 0
                  && !resultSet.next();
        }
        long after = System.nanoTime();
        if (before >= measureFrom || after >= end) {
          if (count == latencies.length) {
            latencies = Arrays.copyOf(latencies, count * 2);
          }
          latencies[count++] = after - before;
          if (!right) {
            wrong++;
          }
        }
      }
    }
    return new Object[] {latencies, count, wrong};
  }

  /** Statements timed per engine with one client; the first tenth are a warm-up. */
  private static final int LATENCY_ROUNDS = 2_000;

  private static final int INSERT_ROUNDS = 200;

  /**
   * One client, one statement at a time: the median and p99 round trip of {@code SELECT 1} (text
   * protocol), of the prepared lookup, and of a prepared single-row INSERT into a new unique table
   * (each acknowledged only once committed), in a table {@code point_insert} created with {@code
   * tableDefinition} (what follows the table's name in CREATE TABLE).
   */
  private void singleClientLatencies(
      String engine, Connector connector, String tableDefinition, ArrayNode json, TextTable table)
      throws SQLException {
    progress.line(engine + ": single-client latencies");
    try (Connection connection = connector.open()) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("DROP TABLE IF EXISTS point_insert");
        statement.execute("CREATE TABLE point_insert " + tableDefinition);
      }
      long[] selectOne = new long[LATENCY_ROUNDS];
      try (Statement statement = connection.createStatement()) {
        for (int i = 0; i < LATENCY_ROUNDS; i++) {
          long before = System.nanoTime();
          try (ResultSet resultSet = statement.executeQuery("SELECT 1")) {
            resultSet.next();
          }
          selectOne[i] = System.nanoTime() - before;
        }
      }
      long[] lookup = new long[LATENCY_ROUNDS];
      SplittableRandom random = new SplittableRandom(options.seed());
      try (PreparedStatement statement = connection.prepareStatement(LOOKUP)) {
        for (int i = 0; i < LATENCY_ROUNDS; i++) {
          statement.setLong(1, 1 + random.nextLong(options.rows()));
          long before = System.nanoTime();
          try (ResultSet resultSet = statement.executeQuery()) {
            resultSet.next();
          }
          lookup[i] = System.nanoTime() - before;
        }
      }
      long[] insert = new long[INSERT_ROUNDS];
      try (PreparedStatement statement =
          connection.prepareStatement("INSERT INTO point_insert (id, name) VALUES (?, ?)")) {
        for (int i = 0; i < INSERT_ROUNDS; i++) {
          statement.setLong(1, i);
          statement.setString(2, expectedName(i));
          long before = System.nanoTime();
          statement.executeUpdate();
          insert[i] = System.nanoTime() - before;
        }
      }
      putLatency(json, table, engine, "SELECT 1 (text)", selectOne);
      putLatency(json, table, engine, "primary-key lookup (prepared)", lookup);
      putLatency(json, table, engine, "single-row INSERT (prepared)", insert);
    }
  }

  private static void putLatency(
      ArrayNode json, TextTable table, String engine, String statement, long[] nanos) {
    int warmUp = nanos.length / 10;
    long[] sorted =
        Durations.sortedCopy(
            Arrays.copyOfRange(nanos, warmUp, nanos.length), nanos.length - warmUp);
    double median = Durations.quantileMillis(sorted, 0.5);
    double p99 = Durations.quantileMillis(sorted, 0.99);
    ObjectNode row = json.addObject();
    row.put("engine", engine);
    row.put("statement", statement);
    row.put("medianMillis", median);
    row.put("p99Millis", p99);
    table.row(
        engine,
        statement,
        String.format(Locale.ROOT, "%.3f", median),
        String.format(Locale.ROOT, "%.3f", p99));
  }

  private static void put(
      ArrayNode json, TextTable table, String engine, int threadCount, Measurement measurement) {
    double p50 = Durations.quantileMillis(measurement.sortedNanos(), 0.5);
    double p99 = Durations.quantileMillis(measurement.sortedNanos(), 0.99);
    ObjectNode row = json.addObject();
    row.put("threads", threadCount);
    row.put("queries", measurement.queries());
    row.put("qps", measurement.queriesPerSecond());
    row.put("p50Millis", p50);
    row.put("p99Millis", p99);
    row.put("wrongAnswers", measurement.wrongAnswers());
    ServerCommandTimes.Window serverTimes = measurement.serverTimes();
    String serverP50 = "-";
    String serverP99 = "-";
    if (serverTimes != null && serverTimes.count() > 0) {
      row.put("serverExecutes", serverTimes.count());
      row.put("serverP50Millis", serverTimes.quantileMillis(0.5));
      row.put("serverP99Millis", serverTimes.quantileMillis(0.99));
      serverP50 = String.format(Locale.ROOT, "%.3f", serverTimes.quantileMillis(0.5));
      serverP99 = String.format(Locale.ROOT, "%.3f", serverTimes.quantileMillis(0.99));
    }
    table.row(
        engine,
        Integer.toString(threadCount),
        Durations.rate(measurement.queriesPerSecond()),
        String.format(Locale.ROOT, "%.3f", p50),
        String.format(Locale.ROOT, "%.3f", p99),
        serverP50,
        serverP99,
        Long.toString(measurement.wrongAnswers()));
  }

  private Connection openMariadb(String database, String extraProperties) throws SQLException {
    String url =
        "jdbc:mysql://"
            + options.mariadbAddress()
            + "/"
            + database
            + "?useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=3000"
            + (extraProperties.isEmpty() ? "" : "&" + extraProperties);
    return DriverManager.getConnection(url, options.mariadbUser(), "");
  }

  /** Creates and fills the MariaDB table; returns why MariaDB is skipped, or {@code null}. */
  private String prepareMariadb() {
    if (options.mariadbAddress() == null) {
      return "--mariadb none";
    }
    try (Connection connection = openMariadb("", "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE IF NOT EXISTS " + DATABASE);
      statement.execute("DROP TABLE IF EXISTS " + DATABASE + ".point_lookup");
      statement.execute(
          "CREATE TABLE "
              + DATABASE
              + ".point_lookup (id BIGINT PRIMARY KEY, name VARCHAR(40), amount DECIMAL(15,2), created DATE)"
              + " ENGINE=InnoDB");
    } catch (SQLException e) {
      return "not reachable at " + options.mariadbAddress() + ": " + e.getMessage();
    }
    progress.line(String.format("loading %,d rows into MariaDB", options.rows()));
    try (Connection connection = openMariadb(DATABASE, "")) {
      fill(connection);
    } catch (SQLException e) {
      return "loading failed: " + e.getMessage();
    }
    return null;
  }

  private String mariadbVersion() {
    try (Connection connection = openMariadb("", "")) {
      return "MariaDB " + BasaltDatabase.queryText(connection, "SELECT version()") + " (InnoDB)";
    } catch (SQLException e) {
      return "MariaDB (version unknown: " + e.getMessage() + ")";
    }
  }
}
