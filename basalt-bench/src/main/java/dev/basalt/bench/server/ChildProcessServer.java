package dev.basalt.bench.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code basalt server} in a child JVM on loopback, free ports and a fresh temporary data
 * directory, so that the harness's own memory use and DuckDB do not disturb it.
 *
 * <p>When the harness runs from a checkout ({@code -Dbasalt.home}, set by the {@code basalt}
 * launcher), the child is started the way users start a server, by {@code <checkout>/basalt server}
 * (the launcher's JVM flags and its class data sharing archive, so a restart is timed as users get
 * it; {@code BASALT_HEAP} carries the heap); otherwise on this JVM's java binary and class path
 * (the bench module's class path holds the server and all its dependencies) with the launcher's JVM
 * flags, without an archive. A shutdown hook stops the child and deletes the directory if the
 * harness is interrupted (Ctrl-C). Not thread safe.
 */
public final class ChildProcessServer implements BenchServer {
  private static final String MAIN_CLASS = "dev.basalt.server.cli.BasaltCommand";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final int PORT_ATTEMPTS = 5;
  private static final String HOME_PROPERTY = "basalt.home";

  private final Path temporaryDirectory;
  private final Path dataDirectory;
  private final Path log;
  private final String heap;
  private final Thread shutdownHook;
  private Process process;
  private ServerEndpoint endpoint;
  private boolean closed;

  private ChildProcessServer(Path temporaryDirectory, String heap) {
    this.temporaryDirectory = temporaryDirectory;
    this.dataDirectory = temporaryDirectory.resolve("data");
    this.log = temporaryDirectory.resolve("server.log");
    this.heap = heap;
    this.shutdownHook = new Thread(this::stopAndDelete, "basalt-bench-server-stop");
  }

  /**
   * Starts a server and waits until it accepts connections.
   *
   * @param heap the child's heap ({@code -Xms}/{@code -Xmx}), e.g. {@code 4g}
   * @throws IOException if the server could not start; the message carries the end of its log
   */
  public static ChildProcessServer start(String heap) throws IOException, InterruptedException {
    Path directory = Files.createTempDirectory("basalt-bench-");
    ChildProcessServer server = new ChildProcessServer(directory, heap);
    Runtime.getRuntime().addShutdownHook(server.shutdownHook);
    try {
      server.launch();
    } catch (IOException | InterruptedException | RuntimeException failure) {
      server.close();
      throw failure;
    }
    return server;
  }

  /**
   * Starts the child on two free ports. A port probed free may be taken by another process before
   * the child binds it; the child then exits saying it cannot listen, and is started again on other
   * ports, up to {@link #PORT_ATTEMPTS} times.
   */
  private void launch() throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      long logStart = Files.exists(log) ? Files.size(log) : 0;
      try {
        launchOnce(freePort(), freePort());
        return;
      } catch (IOException failed) {
        boolean portTaken =
            process != null
                && !process.isAlive()
                && Files.exists(log)
                && Files.readString(log, StandardCharsets.UTF_8)
                    .substring((int) logStart)
                    .contains("cannot listen");
        if (!portTaken || attempt == PORT_ATTEMPTS) {
          throw failed;
        }
      }
    }
  }

  private void launchOnce(int queryPort, int httpPort) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    Path launcher = launcher();
    String timeZone = "-Duser.timezone=" + System.getProperty("user.timezone", "UTC");
    if (launcher == null) {
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.add("--add-modules");
      command.add("jdk.incubator.vector");
      command.add("--enable-native-access=ALL-UNNAMED");
      command.add("--add-opens=java.base/java.nio=ALL-UNNAMED");
      command.add("-XX:+UseG1GC");
      command.add("-Dorg.slf4j.simpleLogger.log.org.eclipse.jetty=warn");
      command.add(timeZone);
      command.add("-Xms" + heap);
      command.add("-Xmx" + heap);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(MAIN_CLASS);
    } else {
      command.add(launcher.toString());
    }
    command.add("server");
    command.add("--data-dir");
    command.add(dataDirectory.toString());
    command.add("--query-port");
    command.add(Integer.toString(queryPort));
    command.add("--http-port");
    command.add(Integer.toString(httpPort));
    command.add("--bind-host");
    command.add("127.0.0.1");
    ProcessBuilder builder = new ProcessBuilder(command);
    if (launcher != null) {
      // The launcher execs java, so the child's pid is the server's (stop and kill -9 reach it).
      builder.environment().put("BASALT_HEAP", heap);
      String options = builder.environment().getOrDefault("BASALT_JAVA_OPTS", "");
      builder.environment().put("BASALT_JAVA_OPTS", (options + " " + timeZone).strip());
    }
    process =
        builder
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    endpoint = new ServerEndpoint("127.0.0.1", queryPort, httpPort);
    awaitReady(queryPort);
  }

  /**
   * The checkout's {@code basalt} launcher when the harness runs from one (the launcher has built
   * the server before starting the harness), else {@code null}.
   */
  private static Path launcher() {
    String home = System.getProperty(HOME_PROPERTY);
    if (home == null || home.isBlank()) {
      return null;
    }
    Path script = Path.of(home).resolve("basalt");
    return Files.isExecutable(script) ? script : null;
  }

  private void awaitReady(int queryPort) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "the Basalt server exited with code "
                + process.exitValue()
                + " before it was ready; its log ends with:\n"
                + logTail());
      }
      if (logTail().contains(" ready: ") && accepts(queryPort)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IOException(
        "the Basalt server was not ready after "
            + START_TIMEOUT
            + "; its log ends with:\n"
            + logTail());
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public ServerEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public boolean restart() throws IOException, InterruptedException {
    // SIGKILL: a server busy with a query it cannot cancel may not stop promptly on SIGTERM, and
    // every acknowledged load is durable anyway.
    stopProcess(false);
    launch();
    return true;
  }

  /** How often {@link #awaitQuiescent} reads the child's CPU time. */
  private static final Duration QUIET_WINDOW = Duration.ofMillis(100);

  /** At most this share of one core in a window counts as quiet (the JVM's own ticks). */
  private static final double QUIET_SHARE = 0.05;

  /**
   * Waits until the child used at most {@link #QUIET_SHARE} of one core over a {@link
   * #QUIET_WINDOW}, by its CPU time in {@code /proc/<pid>/stat} (user plus system, all threads: the
   * JIT's compiler threads, the garbage collector's, compaction). Without {@code /proc} (not Linux)
   * it returns at once.
   */
  @Override
  public Duration awaitQuiescent(Duration limit) throws InterruptedException {
    long start = System.nanoTime();
    long previous = cpuTicks();
    if (previous < 0) {
      return Duration.ZERO;
    }
    long quietTicks = Math.max(1, (long) (QUIET_WINDOW.toMillis() / 10.0 * QUIET_SHARE));
    while (System.nanoTime() - start < limit.toNanos()) {
      Thread.sleep(QUIET_WINDOW);
      long now = cpuTicks();
      if (now < 0 || now - previous <= quietTicks) {
        break;
      }
      previous = now;
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  @Override
  public java.util.OptionalLong cpuNanos() {
    long ticks = cpuTicks();
    // Clock ticks are 100 per second on Linux (USER_HZ), as awaitQuiescent assumes.
    return ticks < 0
        ? java.util.OptionalLong.empty()
        : java.util.OptionalLong.of(ticks * 10_000_000L);
  }

  /**
   * The child's user plus system CPU time in clock ticks (100 per second on Linux), or -1 when it
   * cannot be read.
   */
  private long cpuTicks() {
    if (process == null || !process.isAlive()) {
      return -1;
    }
    return ProcessCpu.ticks(process.pid());
  }

  @Override
  public String description() {
    return "child JVM on loopback, heap " + heap;
  }

  /** The end of the server's log (stdout and stderr), for error messages. */
  public String logTail() {
    try {
      if (!Files.exists(log)) {
        return "(no output)";
      }
      String text = Files.readString(log, StandardCharsets.UTF_8);
      return text.length() > 4_000 ? text.substring(text.length() - 4_000) : text;
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    stopAndDelete();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or has run; nothing left to remove.
    }
  }

  private synchronized void stopAndDelete() {
    if (closed) {
      return;
    }
    closed = true;
    stopProcess(true);
    deleteRecursively(temporaryDirectory);
  }

  private void stopProcess(boolean graceful) {
    if (process == null) {
      return;
    }
    try {
      if (graceful) {
        process.destroy();
      }
      if (!graceful || !process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  private static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      System.err.println("basalt bench: could not delete " + directory + ": " + e.getMessage());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
