package dev.basalt.bench.server;

/** A server that was running before the benchmark started; the harness never stops it. */
public final class ExternalServer implements BenchServer {
  private final ServerEndpoint endpoint;

  /**
   * @param endpoint where the server listens
   */
  public ExternalServer(ServerEndpoint endpoint) {
    this.endpoint = endpoint;
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
  public String description() {
    return "existing server at " + endpoint.host() + ":" + endpoint.queryPort();
  }

  @Override
  public void close() {}
}
