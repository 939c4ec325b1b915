package dev.basalt.server.cli;

import dev.basalt.load.compaction.MaintenanceConfig;
import dev.basalt.server.BasaltServer;
import dev.basalt.server.MetaStoreLocation;
import dev.basalt.server.ServerConfig;
import dev.basalt.server.ServerStartException;
import dev.basalt.server.Version;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code basalt} command line: {@code basalt server [options]}, {@code basalt --version},
 * {@code basalt help}. The {@code ./basalt} launcher script at the repository root runs this class.
 *
 * <p>Exit codes: {@link #EXIT_OK} (0), {@link #EXIT_USAGE} (1, bad options; usage on stderr),
 * {@link #EXIT_START_FAILURE} (2, the server could not start; one line on stderr, no stack trace).
 * {@code server} prints one "ready" line on stdout once both ports are bound, then runs until the
 * process gets SIGTERM or SIGINT; a shutdown hook closes the server.
 *
 * <p>{@link #execute(String[], PrintWriter, PrintWriter)} is the testable entry point; it never
 * calls {@link System#exit}. Not thread safe; one invocation per instance.
 */
@Command(
    name = "basalt",
    mixinStandardHelpOptions = true,
    versionProvider = BasaltCommand.VersionProvider.class,
    description =
        "Basalt: a real-time analytical data warehouse with a Doris-compatible front door.",
    subcommands = {
      BasaltCommand.ServerCommand.class,
      BasaltCommand.PasswordCommand.class,
      CommandLine.HelpCommand.class
    })
public final class BasaltCommand implements Callable<Integer> {

  /** Success. */
  public static final int EXIT_OK = 0;

  /** Bad command line. */
  public static final int EXIT_USAGE = 1;

  /** The server could not start (busy port, unusable data directory, ...). */
  public static final int EXIT_START_FAILURE = 2;

  /** The line {@code --version} prints. */
  public static final String VERSION_LINE =
      "basalt "
          + Version.BASALT_VERSION
          + " (MySQL protocol "
          + Version.MYSQL_SERVER_VERSION
          + "-compatible)";

  /** System property the launcher sets to the default data directory (its ./data). */
  public static final String DATA_DIRECTORY_PROPERTY = "basalt.data.dir";

  @Spec private CommandSpec spec;

  /** Runs the command line and exits the JVM with its exit code (unless the server is running). */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int exitCode = execute(args, out, err);
    System.exit(exitCode);
  }

  /**
   * Parses and runs {@code args}. For {@code server}, returns only after the shutdown hook ran.
   *
   * @param out where normal output goes (the ready line, help, version)
   * @param err where errors and usage for bad options go
   * @return the exit code
   */
  public static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new BasaltCommand());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler(BasaltCommand::usageError);
    commandLine.setExecutionExceptionHandler(
        (exception, failedCommand, parseResult) -> {
          if (exception instanceof ServerStartException startFailure) {
            failedCommand.getErr().println("basalt: " + oneLine(startFailure.getMessage()));
          } else {
            // Anything else escaping is a bug: keep the stack trace so it can be reported.
            failedCommand.getErr().println("basalt: internal error: " + exception);
            exception.printStackTrace(failedCommand.getErr());
          }
          failedCommand.getErr().flush();
          return EXIT_START_FAILURE;
        });
    int exitCode = commandLine.execute(args);
    out.flush();
    err.flush();
    return exitCode;
  }

  /** {@code basalt} with no subcommand: show usage, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return EXIT_USAGE;
  }

  private static int usageError(ParameterException exception, String[] args) {
    CommandLine failed = exception.getCommandLine();
    PrintWriter err = failed.getErr();
    err.println("basalt: " + exception.getMessage());
    failed.usage(err);
    err.flush();
    return EXIT_USAGE;
  }

  private static String oneLine(String message) {
    if (message == null) {
      return "the server could not start";
    }
    return message.replace('\n', ' ').replace('\r', ' ');
  }

  /** Supplies {@link #VERSION_LINE} to picocli's {@code --version}. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {VERSION_LINE};
    }
  }

  /** Environment variable with a password for root, set at every start when present. */
  public static final String ROOT_PASSWORD_VARIABLE = "BASALT_ROOT_PASSWORD";

  private static String blankToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }

  /**
   * {@code basalt passwd}: sets a user's password in a data directory while no server runs on it.
   * The password is read from the terminal (twice, not echoed) or, without one, from the first line
   * of standard input.
   */
  @Command(
      name = "passwd",
      mixinStandardHelpOptions = true,
      versionProvider = BasaltCommand.VersionProvider.class,
      description = "Set a user's password (root by default) while the server is stopped.")
  static final class PasswordCommand implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        defaultValue = "${sys:" + DATA_DIRECTORY_PROPERTY + ":-data}",
        description = "Data directory (default: ${DEFAULT-VALUE}).")
    private Path dataDirectory;

    @Option(
        names = "--user",
        paramLabel = "NAME",
        defaultValue = "root",
        description = "The user (default: ${DEFAULT-VALUE}).")
    private String user;

    @Override
    public Integer call() {
      boolean set;
      try {
        set = BasaltServer.setPassword(dataDirectory, user, this::readPassword);
      } catch (dev.basalt.common.error.BasaltException e) {
        throw new ServerStartException(e.getMessage(), e);
      }
      if (!set) {
        throw new ParameterException(spec.commandLine(), "no password given; nothing changed");
      }
      spec.commandLine().getOut().println("Password of " + user + " set.");
      return EXIT_OK;
    }

    private String readPassword() {
      try {
        return askPassword();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    private String askPassword() throws java.io.IOException {
      java.io.Console console = System.console();
      if (console != null) {
        char[] first = console.readPassword("New password for %s: ", user);
        char[] second = console.readPassword("Again: ");
        if (first == null || second == null || !java.util.Arrays.equals(first, second)) {
          throw new ParameterException(spec.commandLine(), "the passwords differ");
        }
        return new String(first);
      }
      java.io.BufferedReader in =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8));
      return in.readLine();
    }
  }

  /** {@code basalt server}: run one embedded single-node server until SIGTERM / SIGINT. */
  @Command(
      name = "server",
      mixinStandardHelpOptions = true,
      versionProvider = BasaltCommand.VersionProvider.class,
      description = "Start a Basalt server (MySQL protocol and HTTP) on a data directory.")
  static final class ServerCommand implements Callable<Integer> {

    @Spec private CommandSpec spec;

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        defaultValue = "${sys:" + DATA_DIRECTORY_PROPERTY + ":-data}",
        description =
            "Data and metadata directory; created if missing (default: ${DEFAULT-VALUE}).")
    private Path dataDirectory;

    @Option(
        names = "--query-port",
        paramLabel = "PORT",
        defaultValue = "" + ServerConfig.DEFAULT_QUERY_PORT,
        description = "MySQL protocol port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    private int queryPort;

    @Option(
        names = "--http-port",
        paramLabel = "PORT",
        defaultValue = "" + ServerConfig.DEFAULT_HTTP_PORT,
        description = "HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    private int httpPort;

    @Option(
        names = "--bind-host",
        paramLabel = "HOST",
        defaultValue = "127.0.0.1",
        description =
            "Address both ports listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE},"
                + " this machine only).")
    private String bindHost;

    @Option(
        names = "--no-tls",
        description = "Offer no TLS on either port (by default both offer it, plain text too).")
    private boolean noTls;

    @Option(
        names = "--tls-cert",
        paramLabel = "FILE",
        description = "PEM certificate for TLS (default: a self-signed one in DIR/tls).")
    private Path tlsCertificate;

    @Option(
        names = "--tls-key",
        paramLabel = "FILE",
        description = "PEM private key of --tls-cert.")
    private Path tlsKey;

    @Option(
        names = "--require-secure-transport",
        description = "Refuse MySQL clients that do not switch to TLS.")
    private boolean requireSecureTransport;

    @Option(
        names = "--allow-passwordless-root",
        description =
            "Listen beyond loopback even while root has no password (insecure; for trusted"
                + " networks only).")
    private boolean allowPasswordlessRoot;

    @Option(
        names = "--compaction-threads",
        paramLabel = "N",
        defaultValue = "1",
        description = "Background compaction threads; 0 compacts only on ADMIN COMPACT TABLE.")
    private int compactionThreads;

    @Option(
        names = "--cumulative-compaction-min-rowsets",
        paramLabel = "N",
        defaultValue = "5",
        description = "Small rowsets of a tablet that trigger a cumulative compaction (>= 2).")
    private int cumulativeMinRowsets;

    @Option(
        names = "--gc-grace-seconds",
        paramLabel = "SECONDS",
        defaultValue = "300",
        description = "How long an unreferenced data file stays before it is deleted.")
    private long garbageGraceSeconds;

    @Option(
        names = "--storage-sweep-seconds",
        paramLabel = "SECONDS",
        defaultValue = "30",
        description =
            "How often every tablet is checked for compaction and unreferenced files are looked"
                + " for (default: ${DEFAULT-VALUE}).")
    private long storageSweepSeconds;

    @Option(
        names = "--label-keep-max-second",
        paramLabel = "SECONDS",
        defaultValue = "259200",
        description =
            "How long the label of a finished load stays used, as Doris's label_keep_max_second"
                + " (default: ${DEFAULT-VALUE}, three days).")
    private long labelKeepMaxSeconds;

    @Option(
        names = "--load-memory-limit",
        paramLabel = "SIZE",
        defaultValue = ServerConfig.DEFAULT_LOAD_MEMORY_LIMIT_PERCENT + "%",
        description =
            "What the rows buffered by all loads together may hold before the largest tablet"
                + " buffers are flushed: bytes (268435456, 256m, 1g) or a share of the heap (25%)"
                + " (default: ${DEFAULT-VALUE}).")
    private String loadMemoryLimit;

    @Option(
        names = "--meta",
        paramLabel = "STORE",
        defaultValue = "sqlite",
        description =
            "Where the catalog lives: 'sqlite' (meta/catalog.db in the data directory) or a"
                + " jdbc:postgresql://HOST:PORT/DATABASE?user=U&password=P URL (default:"
                + " ${DEFAULT-VALUE}).")
    private String meta;

    @Option(
        names = "--meta-table",
        paramLabel = "TABLE",
        defaultValue = MetaStoreLocation.DEFAULT_POSTGRES_TABLE,
        description =
            "The PostgreSQL table of the catalog with --meta jdbc:postgresql:..., created if"
                + " missing (default: ${DEFAULT-VALUE}).")
    private String metaTable;

    @Option(
        names = "--shared-storage",
        paramLabel = "DIR",
        description =
            "With --meta jdbc:postgresql:..., the directory holding the segment files that every"
                + " front end of that catalog shares (each keeps its own --data-dir); see"
                + " docs/architecture.md, \"Several front ends\".")
    private Path sharedStorage;

    @Option(
        names = "--shared-storage-gc-grace-seconds",
        paramLabel = "SECONDS",
        defaultValue = "3600",
        description =
            "With --shared-storage, the least time an unreferenced file (or a temporary file of an"
                + " unfinished write) stays before it is deleted, whatever --gc-grace-seconds says:"
                + " longer than any load or query runs on another front end (default:"
                + " ${DEFAULT-VALUE}).")
    private long sharedStorageGraceSeconds;

    @Override
    public Integer call() throws InterruptedException {
      checkPort("--query-port", queryPort);
      MetaStoreLocation metaStore;
      try {
        metaStore =
            meta.equals("sqlite")
                ? MetaStoreLocation.SQLITE
                : MetaStoreLocation.postgres(meta, metaTable);
        if (sharedStorage != null) {
          metaStore = metaStore.withSharedStorage(sharedStorage);
        }
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--meta: " + e.getMessage());
      }
      if (labelKeepMaxSeconds < 1) {
        throw new ParameterException(
            spec.commandLine(), "--label-keep-max-second must be at least 1");
      }
      checkPort("--http-port", httpPort);
      if ((tlsCertificate == null) != (tlsKey == null)) {
        throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
      }
      if (noTls && (tlsCertificate != null || requireSecureTransport)) {
        throw new ParameterException(
            spec.commandLine(),
            "--no-tls cannot be combined with --tls-cert or --require-secure-transport");
      }
      Path absoluteDataDirectory = dataDirectory.toAbsolutePath().normalize();
      ServerConfig.Security security =
          new ServerConfig.Security(
              !noTls,
              tlsCertificate == null ? null : tlsCertificate.toAbsolutePath(),
              tlsKey == null ? null : tlsKey.toAbsolutePath(),
              requireSecureTransport,
              blankToNull(System.getenv(ROOT_PASSWORD_VARIABLE)),
              allowPasswordlessRoot);
      if (compactionThreads < 0
          || cumulativeMinRowsets < 2
          || garbageGraceSeconds < 0
          || sharedStorageGraceSeconds < 0
          || storageSweepSeconds < 1) {
        throw new ParameterException(
            spec.commandLine(),
            "--compaction-threads, --gc-grace-seconds and --shared-storage-gc-grace-seconds must"
                + " not be negative,"
                + " --cumulative-compaction-min-rowsets must be at least 2,"
                + " --storage-sweep-seconds at least 1");
      }
      MaintenanceConfig defaults = MaintenanceConfig.DEFAULT;
      MaintenanceConfig maintenance =
          new MaintenanceConfig(
              compactionThreads,
              defaults.policy().withCumulativeMinRowsets(cumulativeMinRowsets),
              garbageGraceSeconds * 1000,
              storageSweepSeconds * 1000,
              sharedStorageGraceSeconds * 1000);
      ServerConfig config =
          new ServerConfig(absoluteDataDirectory, bindHost, queryPort, httpPort)
              .withSecurity(security)
              .withMaintenance(maintenance)
              .withLabelKeepMaxSeconds(labelKeepMaxSeconds)
              .withLoadMemoryLimitBytes(loadMemoryLimitBytes())
              .withMetaStore(metaStore);
      BasaltServer server = BasaltServer.start(config);

      CountDownLatch stopped = new CountDownLatch(1);
      Thread shutdown =
          new Thread(
              () -> {
                try {
                  server.close();
                } finally {
                  stopped.countDown();
                }
              },
              "basalt-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdown);

      PrintWriter out = spec.commandLine().getOut();
      out.println(readyLine(config, server.queryPort(), server.httpPort()));
      out.flush();
      stopped.await();
      return EXIT_OK;
    }

    /** {@code --load-memory-limit} in bytes: a size with an optional k/m/g, or a heap share. */
    private long loadMemoryLimitBytes() {
      String text = loadMemoryLimit.strip().toLowerCase(java.util.Locale.ROOT);
      try {
        if (text.endsWith("%")) {
          int percent = Integer.parseInt(text.substring(0, text.length() - 1).strip());
          if (percent >= 1 && percent <= 100) {
            return Runtime.getRuntime().maxMemory() / 100 * percent;
          }
        } else {
          long unit =
              switch (text.isEmpty() ? ' ' : text.charAt(text.length() - 1)) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                default -> 1;
              };
          String digits = unit == 1 ? text : text.substring(0, text.length() - 1).strip();
          long bytes = Math.multiplyExact(Long.parseLong(digits), unit);
          if (bytes > 0) {
            return bytes;
          }
        }
      } catch (NumberFormatException | ArithmeticException e) {
        // reported below
      }
      throw new ParameterException(
          spec.commandLine(),
          "--load-memory-limit must be a positive size (268435456, 256m, 1g) or a share of the"
              + " heap from 1% to 100%, got '"
              + loadMemoryLimit
              + "'");
    }

    private void checkPort(String option, int port) {
      if (port < 0 || port > 65535) {
        throw new ParameterException(
            spec.commandLine(), option + " must be between 0 and 65535, got " + port);
      }
    }

    private static String readyLine(ServerConfig config, int queryPort, int httpPort) {
      String clientHost =
          "0.0.0.0".equals(config.bindHost()) || "::".equals(config.bindHost())
              ? "127.0.0.1"
              : config.bindHost();
      return "Basalt "
          + Version.BASALT_VERSION
          + " ready: mysql -h"
          + clientHost
          + " -P"
          + queryPort
          + " -uroot  (HTTP on "
          + httpPort
          + ", data in "
          + config.dataDirectory()
          + ")";
    }
  }
}
