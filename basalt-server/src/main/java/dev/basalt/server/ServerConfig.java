package dev.basalt.server;

import java.nio.file.Path;

/**
 * How to run one Basalt server process.
 *
 * @param dataDirectory where data and metadata live; created if missing
 * @param bindHost the address both front doors listen on (tests use 127.0.0.1)
 * @param queryPort MySQL protocol port (Doris's default 9030); 0 picks a free port
 * @param httpPort HTTP port (Doris's default 8030); 0 picks a free port
 * @param loadBufferBytes the rows one load (INSERT or Stream Load) buffers in memory before it
 *     writes its largest tablet buffer as a segment
 */
public record ServerConfig(
    Path dataDirectory, String bindHost, int queryPort, int httpPort, long loadBufferBytes) {
  public static final int DEFAULT_QUERY_PORT = 9030;
  public static final int DEFAULT_HTTP_PORT = 8030;

  /** The default load buffer budget: 64 MiB. */
  public static final long DEFAULT_LOAD_BUFFER_BYTES = 64L << 20;

  public ServerConfig(Path dataDirectory, String bindHost, int queryPort, int httpPort) {
    this(dataDirectory, bindHost, queryPort, httpPort, DEFAULT_LOAD_BUFFER_BYTES);
  }

  /** The same server with another load buffer budget. */
  public ServerConfig withLoadBufferBytes(long bytes) {
    return new ServerConfig(dataDirectory, bindHost, queryPort, httpPort, bytes);
  }

  /** Loopback, free ports: what tests use. */
  public static ServerConfig forTest(Path dataDirectory) {
    return new ServerConfig(dataDirectory, "127.0.0.1", 0, 0);
  }
}
