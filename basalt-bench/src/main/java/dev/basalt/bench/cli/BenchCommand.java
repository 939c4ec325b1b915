package dev.basalt.bench.cli;

import dev.basalt.bench.ingest.IngestWorkload;
import dev.basalt.bench.point.PointWorkload;
import dev.basalt.bench.report.BenchReport;
import dev.basalt.bench.report.Progress;
import dev.basalt.bench.server.BenchServer;
import dev.basalt.bench.tpch.TpchQueries;
import dev.basalt.bench.tpch.TpchWorkload;
import dev.basalt.bench.upsert.UpsertWorkload;
import dev.basalt.bench.workload.WorkloadOutcome;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code basalt bench <workload> [options]}: the benchmark harness's command line. The {@code
 * ./basalt bench} launcher command runs this class.
 *
 * <p>Each workload prints progress on stderr, a result table on stdout and, as its last line, one
 * summary line; it writes {@code report.json}, {@code report.md} (and for TPC-H {@code chart.svg})
 * into its output directory. Exit codes: 0 when every correctness check passed, 3 when a check
 * failed or a query failed, 1 for bad options, 2 when the benchmark could not run.
 */
@Command(
    name = "basalt bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks Basalt side by side with DuckDB and MariaDB.",
    subcommands = {
      BenchCommand.TpchCommand.class,
      BenchCommand.IngestCommand.class,
      BenchCommand.UpsertCommand.class,
      BenchCommand.PointCommand.class,
      CommandLine.HelpCommand.class
    })
public final class BenchCommand implements Callable<Integer> {
  /** Bad command line (usage on stderr). */
  public static final int EXIT_USAGE = 1;

  /** Some check failed: a wrong result, a failed or timed-out query. */
  public static final int EXIT_INCORRECT = 3;

  /** The benchmark could not run (server did not start, load failed, ...). */
  public static final int EXIT_ERROR = 2;

  /** System property the launcher sets to the checkout (for the default cache and output dirs). */
  public static final String HOME_PROPERTY = "basalt.home";

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(execute(args, System.out, System.err));
  }

  /** Parses and runs {@code args}; the testable entry point (never exits the JVM). */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    CommandLine commandLine = new CommandLine(new BenchCommand());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setParameterExceptionHandler(
        (exception, arguments) -> {
          CommandLine failed = exception.getCommandLine();
          failed.getErr().println("basalt bench: " + exception.getMessage());
          failed.usage(failed.getErr());
          failed.getErr().flush();
          return EXIT_USAGE;
        });
    commandLine.setExecutionExceptionHandler(
        (exception, failedCommand, parseResult) -> {
          if (exception instanceof IOException || exception instanceof SQLException) {
            // Expected failures (the server did not start, a load failed): the message says why.
            err.println("basalt bench: " + exception.getMessage());
          } else {
            // Anything else is a bug in the harness: keep the stack trace for the report.
            err.println("basalt bench: internal error: " + exception);
            exception.printStackTrace(err);
          }
          err.flush();
          return EXIT_ERROR;
        });
    return commandLine.execute(args);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return EXIT_USAGE;
  }

  /** The checkout the launcher runs from, else the working directory. */
  static Path home() {
    return Path.of(System.getProperty(HOME_PROPERTY, ".")).toAbsolutePath().normalize();
  }

  static Path outputDirectory(ServerOptions server, String workload) {
    return server.outputDirectory != null
        ? server.outputDirectory
        : BenchReport.defaultOutputDirectory(home(), workload);
  }

  /** Runs one workload against the chosen server and prints its table and summary. */
  static int runWorkload(ServerOptions serverOptions, String workload, Workload body)
      throws Exception {
    Progress progress = new Progress(System.err);
    Path output = outputDirectory(serverOptions, workload);
    try (BenchServer server = serverOptions.open(progress)) {
      WorkloadOutcome outcome = body.run(server, progress, output);
      PrintStream out = System.out;
      out.println();
      out.print(outcome.table());
      out.println();
      out.println("report: " + outcome.reportDirectory().toAbsolutePath());
      out.println(outcome.summary());
      out.flush();
      return outcome.allCorrect() ? 0 : EXIT_INCORRECT;
    }
  }

  /** The body of one workload, run with a server. */
  @FunctionalInterface
  interface Workload {
    WorkloadOutcome run(BenchServer server, Progress progress, Path outputDirectory)
        throws Exception;
  }

  /** {@code bench tpch}: TPC-H against DuckDB. */
  @Command(
      name = "tpch",
      mixinStandardHelpOptions = true,
      description =
          "TPC-H: generate, load Basalt and DuckDB, run the 22 queries, compare results and times.")
  static final class TpchCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin ServerOptions server;

    @Option(
        names = "--sf",
        paramLabel = "X",
        defaultValue = "0.1",
        description = "Scale factor: 0.01, 0.1, 1 or 10 (default: ${DEFAULT-VALUE}).")
    double scaleFactor;

    @Option(
        names = "--runs",
        paramLabel = "N",
        defaultValue = "3",
        description =
            "Hot runs per query and engine after one cold run (default: ${DEFAULT-VALUE}).")
    int hotRuns;

    @Option(
        names = "--queries",
        paramLabel = "LIST",
        split = ",",
        description = "Query numbers to run, e.g. 1,5,21 (default: all 22).")
    List<Integer> queries;

    @Option(
        names = "--timeout-s",
        paramLabel = "S",
        defaultValue = "300",
        description =
            "Seconds after which a query is abandoned as TIMEOUT (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description = "Cache of generated data (default: <checkout>/bench-data/tpch).")
    Path dataDirectory;

    @Option(
        names = "--rows-per-insert",
        paramLabel = "N",
        defaultValue = "1000",
        description =
            "Rows per INSERT statement when Stream Load is missing (default: ${DEFAULT-VALUE}).")
    int rowsPerInsert;

    @Override
    public Integer call() throws Exception {
      List<Integer> chosen = queries;
      if (chosen == null || chosen.isEmpty()) {
        chosen = new ArrayList<>();
        for (int number = 1; number <= TpchQueries.COUNT; number++) {
          chosen.add(number);
        }
      }
      for (int number : chosen) {
        if (number < 1 || number > TpchQueries.COUNT) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "TPC-H has queries 1 to 22; --queries names " + number);
        }
      }
      if (!(scaleFactor > 0)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--sf must be a positive number, not " + scaleFactor);
      }
      Path cache =
          dataDirectory != null ? dataDirectory : home().resolve("bench-data").resolve("tpch");
      TpchWorkload.Options options =
          new TpchWorkload.Options(
              scaleFactor,
              Math.max(0, hotRuns),
              List.copyOf(chosen),
              Duration.ofSeconds(Math.max(1, timeoutSeconds)),
              cache,
              Math.max(1, rowsPerInsert),
              Math.max(1, Runtime.getRuntime().availableProcessors() * 2));
      return runWorkload(
          server,
          "tpch",
          (benchServer, progress, output) ->
              new TpchWorkload(options, benchServer, progress).run(output));
    }
  }

  /** {@code bench ingest}: load rates of each front door. */
  @Command(
      name = "ingest",
      mixinStandardHelpOptions = true,
      description =
          "Ingestion of TPC-H lineitem: Stream Load CSV and JSON, JDBC batches, group commit.")
  static final class IngestCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin ServerOptions server;

    @Option(
        names = "--sf",
        paramLabel = "X",
        defaultValue = "0.1",
        description = "Scale factor of the lineitem data (default: ${DEFAULT-VALUE}).")
    double scaleFactor;

    @Option(
        names = "--rows",
        paramLabel = "N",
        defaultValue = "0",
        description = "Load only the first N rows of lineitem (default: all).")
    long rowLimit;

    @Option(
        names = "--batch-rows",
        paramLabel = "N",
        defaultValue = "1000",
        description = "Rows per JDBC batch (default: ${DEFAULT-VALUE}).")
    int batchRows;

    @Option(
        names = "--jdbc-clients",
        paramLabel = "N",
        defaultValue = "1",
        description =
            "Connections sending JDBC batches at once, each waiting for its own"
                + " (default: ${DEFAULT-VALUE}).")
    int jdbcClients;

    @Option(
        names = "--jdbc-properties",
        paramLabel = "PROPS",
        defaultValue = "rewriteBatchedStatements=true",
        description =
            "URL properties of the JDBC batch connections, e.g."
                + " rewriteBatchedStatements=true&useServerPrepStmts=true as Doris's JDBC"
                + " documentation recommends (default: ${DEFAULT-VALUE}).")
    String jdbcProperties;

    @Option(
        names = "--jdbc-driver",
        paramLabel = "DRIVER",
        defaultValue = "mysql",
        description =
            "The JDBC batch connections' driver: mysql (MySQL Connector/J) or mariadb (MariaDB"
                + " Connector/J, which sends a prepared INSERT's batch as one"
                + " COM_STMT_BULK_EXECUTE; give it useServerPrepStmts=true) (default:"
                + " ${DEFAULT-VALUE}).")
    String jdbcDriver;

    @Option(
        names = "--jdbc-group-commit",
        paramLabel = "MODE",
        description =
            "The JDBC batch connections' group_commit session variable (async_mode, sync_mode,"
                + " off_mode), set as Doris's group-commit documentation shows; async_mode rows"
                + " must be visible within 10 s (default: not set).")
    String jdbcGroupCommit;

    @Option(
        names = "--jdbc-shared-commit",
        description =
            "The JDBC batch connections set enable_insert_shared_commit = true: their INSERTs into"
                + " the DUPLICATE KEY table share one group commit, visible to every read at the"
                + " answer (docs/stream-load.md, \"INSERTs sharing a commit\").")
    boolean jdbcSharedCommit;

    @Option(
        names = "--clients",
        paramLabel = "N",
        defaultValue = "8",
        description = "Concurrent group-commit clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(
        names = "--seconds",
        paramLabel = "S",
        defaultValue = "10",
        description = "How long the group-commit clients send (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
        names = "--warmup-seconds",
        paramLabel = "S",
        defaultValue = "0",
        description =
            "How long the group-commit clients send before --seconds starts, unmeasured, so that"
                + " the server's JIT has compiled the load path (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description = "Cache of generated TPC-H data (default: <checkout>/bench-data/tpch).")
    Path dataDirectory;

    @Option(
        names = "--steps",
        paramLabel = "LIST",
        split = ",",
        description =
            "Front doors to run, of csv, json, jdbc, insert, group (default: all of them).")
    List<String> steps;

    @Override
    public Integer call() throws Exception {
      if (!(scaleFactor > 0)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--sf must be a positive number, not " + scaleFactor);
      }
      Set<String> chosen = steps == null ? IngestWorkload.STEPS : new LinkedHashSet<>(steps);
      if (!IngestWorkload.STEPS.containsAll(chosen)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--steps takes some of " + IngestWorkload.STEPS + ", not " + steps);
      }
      if (jdbcGroupCommit != null
          && !Set.of("async_mode", "sync_mode", "off_mode").contains(jdbcGroupCommit)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--jdbc-group-commit takes async_mode, sync_mode or off_mode, not " + jdbcGroupCommit);
      }
      Path cache = dataDirectory != null ? dataDirectory : defaultTpchCache();
      IngestWorkload.Options options =
          new IngestWorkload.Options(
              scaleFactor,
              Math.max(0, rowLimit),
              Math.max(1, batchRows),
              Math.max(1, jdbcClients),
              jdbcProperties,
              jdbcDriver,
              jdbcGroupCommit,
              jdbcSharedCommit,
              Math.max(1, clients),
              Math.max(0.1, seconds),
              Math.max(0, warmupSeconds),
              cache,
              Path.of(System.getProperty("java.io.tmpdir")),
              chosen);
      return runWorkload(
          server,
          "ingest",
          (benchServer, progress, output) ->
              new IngestWorkload(options, benchServer, progress).run(output));
    }
  }

  /** {@code bench upsert}: UNIQUE KEY upserts and the read-time cost of merging. */
  @Command(
      name = "upsert",
      mixinStandardHelpOptions = true,
      description =
          "Upserts into a UNIQUE KEY table, then an aggregate on it against a DUPLICATE KEY copy.")
  static final class UpsertCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin ServerOptions server;

    @Option(
        names = "--rows",
        paramLabel = "N",
        defaultValue = "100000",
        description = "Rows loaded first, and rows upserted after (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(
        names = "--update-ratio",
        paramLabel = "R",
        defaultValue = "0.3",
        description = "Fraction of upserted rows with an existing key (default: ${DEFAULT-VALUE}).")
    double updateRatio;

    @Option(
        names = "--via",
        paramLabel = "WAY",
        defaultValue = "stream-load",
        description =
            "How rows reach the server: stream-load (one Stream Load per step) or insert"
                + " (multi-row INSERTs) (default: ${DEFAULT-VALUE}).")
    String via;

    @Option(
        names = "--upsert-loads",
        paramLabel = "N",
        defaultValue = "1",
        description =
            "Loads the upserted rows are split into, each a new version (default: ${DEFAULT-VALUE}).")
    int upsertLoads;

    @Option(
        names = "--merge-on-read",
        description =
            "Make the UNIQUE KEY table merge-on-read (enable_unique_key_merge_on_write = false),"
                + " merged by key at read time.")
    boolean mergeOnRead;

    @Option(
        names = "--point-lookups",
        paramLabel = "N",
        defaultValue = "2000",
        description =
            "Prepared primary-key lookups timed on the updated table (default: ${DEFAULT-VALUE}).")
    int pointLookups;

    @Option(
        names = "--rows-per-insert",
        paramLabel = "N",
        defaultValue = "1000",
        description = "Rows per INSERT statement (default: ${DEFAULT-VALUE}).")
    int rowsPerInsert;

    @Option(
        names = "--runs",
        paramLabel = "N",
        defaultValue = "3",
        description = "Hot runs of the aggregate query per table (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(
        names = "--timeout-s",
        paramLabel = "S",
        defaultValue = "300",
        description = "Seconds after which a query is abandoned (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(
        names = "--concurrent-tables",
        paramLabel = "N",
        defaultValue = "0",
        description =
            "Then write N tables at once (group commit) and report the server's peak heap; 0"
                + " skips it (default: ${DEFAULT-VALUE}).")
    int concurrentTables;

    @Option(
        names = "--concurrent-rows",
        paramLabel = "N",
        defaultValue = "5000",
        description =
            "Rows written into each of the --concurrent-tables (default: ${DEFAULT-VALUE}).")
    int concurrentRows;

    @Override
    public Integer call() throws Exception {
      if (rows < 1 || !(updateRatio >= 0 && updateRatio <= 1)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--rows must be at least 1 and --update-ratio between 0 and 1");
      }
      UpsertWorkload.Via way = UpsertWorkload.Via.parse(via);
      if (way == null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--via must be stream-load or insert, not '" + via + "'");
      }
      UpsertWorkload.Options options =
          new UpsertWorkload.Options(
              rows,
              updateRatio,
              way,
              Math.max(1, upsertLoads),
              Math.max(0, pointLookups),
              Math.max(1, rowsPerInsert),
              Math.max(0, runs),
              Duration.ofSeconds(Math.max(1, timeoutSeconds)),
              20261206L,
              Math.max(0, concurrentTables),
              Math.max(1, concurrentRows),
              mergeOnRead);
      return runWorkload(
          server,
          "upsert",
          (benchServer, progress, output) ->
              new UpsertWorkload(options, benchServer, progress).run(output));
    }
  }

  /** {@code bench point}: primary-key lookups, beside MariaDB. */
  @Command(
      name = "point",
      mixinStandardHelpOptions = true,
      description =
          "Primary-key lookups with server-side prepared statements: QPS, p50, p99; MariaDB beside.")
  static final class PointCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin ServerOptions server;

    @Option(
        names = "--rows",
        paramLabel = "N",
        defaultValue = "100000",
        description = "Rows in the table (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(
        names = "--threads",
        paramLabel = "LIST",
        split = ",",
        defaultValue = "1,8,64",
        description = "Concurrent clients to measure (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(
        names = "--seconds",
        paramLabel = "S",
        defaultValue = "10",
        description = "Measured seconds per thread count and engine (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
        names = "--rows-per-insert",
        paramLabel = "N",
        defaultValue = "1000",
        description = "Rows per INSERT statement while loading (default: ${DEFAULT-VALUE}).")
    int rowsPerInsert;

    @Option(
        names = "--mariadb",
        paramLabel = "HOST:PORT",
        defaultValue = "127.0.0.1:3306",
        description =
            "MariaDB to compare with (user root, no password; database point_bench is created), or 'none' (default: ${DEFAULT-VALUE}).")
    String mariadb;

    @Option(
        names = "--mariadb-user",
        paramLabel = "USER",
        defaultValue = "root",
        description = "MariaDB user (default: ${DEFAULT-VALUE}).")
    String mariadbUser;

    @Option(
        names = "--store-row-column",
        description =
            "Give the looked-up table a row store (\"store_row_column\" = \"true\"), read by"
                + " point lookups instead of one page per column.")
    boolean storeRowColumn;

    @Override
    public Integer call() throws Exception {
      if (rows < 1 || threads.isEmpty() || threads.stream().anyMatch(count -> count < 1)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--rows and every --threads count must be at least 1");
      }
      PointWorkload.Options options =
          new PointWorkload.Options(
              rows,
              List.copyOf(threads),
              Math.max(0.1, seconds),
              Math.max(1, rowsPerInsert),
              mariadb.equalsIgnoreCase("none") ? null : mariadb,
              mariadbUser,
              20261206L,
              storeRowColumn);
      return runWorkload(
          server,
          "point",
          (benchServer, progress, output) ->
              new PointWorkload(options, benchServer, progress).run(output));
    }
  }

  static Path defaultTpchCache() {
    return home().resolve("bench-data").resolve("tpch");
  }
}
