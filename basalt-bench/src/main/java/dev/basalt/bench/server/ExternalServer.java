package dev.basalt.bench.server;

import java.util.OptionalLong;

/** A server that was running before the benchmark started; the harness never stops it. */
public final class ExternalServer implements BenchServer {
  private final ServerEndpoint endpoint;
  private final Long pid;

  /**
   * @param endpoint where the server listens
   */
  public ExternalServer(ServerEndpoint endpoint) {
    this(endpoint, null);
  }

  /**
   * @param endpoint where the server listens
   * @param pid the server's process id on this machine, whose CPU time {@link #cpuNanos} reads from
   *     {@code /proc}; null when not known
   */
  public ExternalServer(ServerEndpoint endpoint, Long pid) {
    this.endpoint = endpoint;
    this.pid = pid;
  }

  @Override
  public ServerEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public boolean restart() {
    return false;
  }

  @Override
  public OptionalLong cpuNanos() {
    if (pid == null) {
      return OptionalLong.empty();
    }
    long ticks = ProcessCpu.ticks(pid);
    return ticks < 0 ? OptionalLong.empty() : OptionalLong.of(ticks * 10_000_000L);
  }

  @Override
  public String description() {
    return "existing server at "
        + endpoint.host()
        + ":"
        + endpoint.queryPort()
        + (pid == null ? "" : " (pid " + pid + ")");
  }

  @Override
  public void close() {}
}
