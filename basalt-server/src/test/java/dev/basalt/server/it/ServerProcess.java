package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.fault.FaultPoints;
import dev.basalt.server.cli.BasaltCommand;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code basalt server} as a child process on the tests' JDK and classpath, on loopback and free
 * ports.
 */
final class ServerProcess {
  private final Process process;
  private final Path log;
  private final int queryPort;
  private final int httpPort;

  private ServerProcess(Process process, Path log, int queryPort, int httpPort) {
    this.process = process;
    this.log = log;
    this.queryPort = queryPort;
    this.httpPort = httpPort;
  }

  /** The child's MySQL protocol port. */
  int queryPort() {
    return queryPort;
  }

  /** The child's HTTP port. */
  int httpPort() {
    return httpPort;
  }

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  static ServerProcess start(Path dataDirectory, Path log) throws Exception {
    return start(dataDirectory, log, "512m");
  }

  /**
   * @param heap the child's -Xmx value, e.g. {@code 512m}
   */
  static ServerProcess start(Path dataDirectory, Path log, String heap) throws Exception {
    return start(dataDirectory, log, heap, List.of());
  }

  /**
   * @param heap the child's -Xmx value, e.g. {@code 512m}
   * @param extraArguments more {@code basalt server} options, e.g. compaction settings
   */
  static ServerProcess start(Path dataDirectory, Path log, String heap, List<String> extraArguments)
      throws Exception {
    return start(dataDirectory, log, heap, extraArguments, List.of());
  }

  /**
   * @param jvmOptions options for the child JVM before its main class, e.g. {@code
   *     -Dbasalt.fault.halt-at=3}
   * @throws HaltedBeforeReady when the child stopped at a fault point while it started
   */
  static ServerProcess start(
      Path dataDirectory,
      Path log,
      String heap,
      List<String> extraArguments,
      List<String> jvmOptions)
      throws Exception {
    return start(dataDirectory, log, heap, extraArguments, jvmOptions, START_TIMEOUT);
  }

  /**
   * As above, waiting up to {@code startTimeout} for the child to be ready (long runs on a loaded
   * machine).
   */
  static ServerProcess start(
      Path dataDirectory,
      Path log,
      String heap,
      List<String> extraArguments,
      List<String> jvmOptions,
      Duration startTimeout)
      throws Exception {
    return start(
        dataDirectory,
        log,
        heap,
        extraArguments,
        jvmOptions,
        startTimeout,
        System.getProperty("java.class.path"));
  }

  /**
   * As above, on {@code classPath} (the crash harness gives its child one of jars only, which a
   * class-data-sharing archive needs).
   */
  static ServerProcess start(
      Path dataDirectory,
      Path log,
      String heap,
      List<String> extraArguments,
      List<String> jvmOptions,
      Duration startTimeout,
      String classPath)
      throws Exception {
    int queryPort = freePort();
    int httpPort = freePort();
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> command =
        List.of(
            java,
            "--add-modules",
            "jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED",
            "-Duser.timezone=" + System.getProperty("user.timezone", "Asia/Shanghai"),
            "-Xmx" + heap,
            // C1 only: the child lives for seconds, so start-up time matters more than peak speed.
            "-XX:TieredStopAtLevel=1",
            "-cp",
            classPath,
            BasaltCommand.class.getName(),
            "server",
            "--data-dir",
            dataDirectory.toString(),
            "--query-port",
            Integer.toString(queryPort),
            "--http-port",
            Integer.toString(httpPort),
            "--bind-host",
            "127.0.0.1");
    command = new java.util.ArrayList<>(command);
    command.addAll(command.indexOf("-cp"), jvmOptions);
    command.addAll(extraArguments);
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ServerProcess server = new ServerProcess(process, log, queryPort, httpPort);
    try {
      server.awaitReady(startTimeout);
    } catch (Throwable failure) {
      server.kill();
      throw failure;
    }
    return server;
  }

  private void awaitReady(Duration startTimeout) throws Exception {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        if (process.exitValue() == FaultPoints.HALT_EXIT_CODE) {
          throw new HaltedBeforeReady(logText());
        }
        throw new AssertionError(
            "server exited with " + process.exitValue() + " before it was ready:\n" + logText());
      }
      if (logText().contains(" ready: ") && accepts()) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("server not ready after " + startTimeout + ":\n" + logText());
  }

  private boolean accepts() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), queryPort), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The child stopped at a fault point before it was ready; {@link #getMessage()} is its log. */
  static final class HaltedBeforeReady extends Exception {
    HaltedBeforeReady(String log) {
      super(log);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code once the process has ended (waiting up to 30 s), or -1 if it still runs. */
  int exitCode() throws InterruptedException {
    return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  /** The child's output so far. */
  String log() {
    return logText();
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(
        TestServer.mysqlUrl(queryPort, "", ""), TestServer.ROOT_USER, "");
  }

  /** SIGKILL, then wait for the process to be gone. */
  void kill() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM: the shutdown hook closes the server; it must exit on its own. */
  void terminate() throws InterruptedException {
    process.destroy();
    boolean exited = process.waitFor(30, TimeUnit.SECONDS);
    String threads = "";
    if (!exited) {
      threads = threadDump();
      process.destroyForcibly();
    }
    assertThat(exited)
        .as("server exits within 30s of SIGTERM; log:\n%s\nthreads:\n%s", logText(), threads)
        .isTrue();
  }

  /** The child's threads as {@code jcmd PID Thread.print} prints them, to see what it waits on. */
  private String threadDump() {
    Path jcmd =
        Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd");
    try {
      Process dump =
          new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
              .redirectErrorStream(true)
              .start();
      byte[] out = dump.getInputStream().readAllBytes();
      dump.waitFor(20, TimeUnit.SECONDS);
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no thread dump: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(no thread dump: interrupted)";
    }
  }

  private String logText() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
