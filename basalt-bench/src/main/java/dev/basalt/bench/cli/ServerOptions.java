package dev.basalt.bench.cli;

import dev.basalt.bench.report.Progress;
import dev.basalt.bench.server.BenchServer;
import dev.basalt.bench.server.ChildProcessServer;
import dev.basalt.bench.server.ExternalServer;
import dev.basalt.bench.server.ServerEndpoint;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options every workload shares: which Basalt server to benchmark (a fresh child JVM unless {@code
 * --port} names a running one) and where the report goes.
 */
public final class ServerOptions {
  /** Environment variable the launcher also honours for the server's heap. */
  static final String HEAP_VARIABLE = "BASALT_HEAP";

  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description = "Host of an existing server (with --port; default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description =
          "MySQL port of an existing Basalt server to benchmark; without it the harness starts its own server as a child JVM on free loopback ports.")
  Integer port;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      defaultValue = "0",
      description = "HTTP port of the existing server (Stream Load), with --port.")
  int httpPort;

  @Option(
      names = "--server-pid",
      paramLabel = "PID",
      description =
          "Process id of the existing server (with --port): its CPU time in /proc/PID/stat is then reported per step, as for a child server.")
  Long serverPid;

  @Option(
      names = "--heap",
      paramLabel = "SIZE",
      description = "Heap of the child server, e.g. 4g (default: $BASALT_HEAP, else 4g).")
  String heap;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "Directory for report.json, report.md and the chart (default: bench-results/<workload>-<timestamp>/).")
  Path outputDirectory;

  /** Starts a child server, or wraps the existing one named by {@code --port}. */
  BenchServer open(Progress progress) throws IOException, InterruptedException {
    if (port != null) {
      progress.line("benchmarking the existing server at " + host + ":" + port);
      return new ExternalServer(new ServerEndpoint(host, port, httpPort), serverPid);
    }
    String chosenHeap = heap;
    if (chosenHeap == null) {
      String fromEnvironment = System.getenv(HEAP_VARIABLE);
      chosenHeap = fromEnvironment == null || fromEnvironment.isBlank() ? "4g" : fromEnvironment;
    }
    progress.line("starting a Basalt server (child JVM, heap " + chosenHeap + ")");
    ChildProcessServer server = ChildProcessServer.start(chosenHeap);
    progress.line(
        "Basalt server ready on 127.0.0.1:"
            + server.endpoint().queryPort()
            + " (HTTP "
            + server.endpoint().httpPort()
            + ")");
    return server;
  }
}
