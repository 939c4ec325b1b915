package dev.basalt.server;

import dev.basalt.load.LoadHousekeeper;
import dev.basalt.load.compaction.MaintenanceConfig;
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
 * @param loadMemoryLimitBytes what the rows buffered by all loads together may hold before the
 *     largest tablet buffers of the server are flushed ({@code --load-memory-limit}; {@link
 *     #defaultLoadMemoryLimitBytes()} by default)
 * @param security TLS, the root password and the exposure rules (docs/security.md)
 * @param maintenance background compaction and garbage collection (docs/architecture.md)
 * @param labelKeepMaxSeconds how long the label of a finished load stays used (Doris's {@code
 *     label_keep_max_second}, default three days)
 * @param metaStore where the catalog lives: SQLite in the data directory, or PostgreSQL
 */
public record ServerConfig(
    Path dataDirectory,
    String bindHost,
    int queryPort,
    int httpPort,
    long loadBufferBytes,
    long loadMemoryLimitBytes,
    Security security,
    MaintenanceConfig maintenance,
    long labelKeepMaxSeconds,
    MetaStoreLocation metaStore) {
  public static final int DEFAULT_QUERY_PORT = 9030;
  public static final int DEFAULT_HTTP_PORT = 8030;

  /** The default load buffer budget: 64 MiB. */
  public static final long DEFAULT_LOAD_BUFFER_BYTES = 64L << 20;

  /** The default share of the JVM's maximum heap that all loads' buffered rows may hold. */
  public static final int DEFAULT_LOAD_MEMORY_LIMIT_PERCENT = 25;

  /** {@link #DEFAULT_LOAD_MEMORY_LIMIT_PERCENT} of this JVM's maximum heap. */
  public static long defaultLoadMemoryLimitBytes() {
    return Runtime.getRuntime().maxMemory() / 100 * DEFAULT_LOAD_MEMORY_LIMIT_PERCENT;
  }

  public ServerConfig(Path dataDirectory, String bindHost, int queryPort, int httpPort) {
    this(
        dataDirectory,
        bindHost,
        queryPort,
        httpPort,
        DEFAULT_LOAD_BUFFER_BYTES,
        defaultLoadMemoryLimitBytes(),
        Security.DEFAULT,
        MaintenanceConfig.DEFAULT,
        LoadHousekeeper.DEFAULT_LABEL_KEEP_SECONDS,
        MetaStoreLocation.SQLITE);
  }

  public ServerConfig {
    if (metaStore == null) {
      throw new IllegalArgumentException("metaStore must not be null (MetaStoreLocation.SQLITE)");
    }
    if (loadMemoryLimitBytes < 1) {
      throw new IllegalArgumentException(
          "the load memory limit must be positive, got " + loadMemoryLimitBytes);
    }
    if (labelKeepMaxSeconds < 1) {
      throw new IllegalArgumentException(
          "label_keep_max_second must be at least 1, got " + labelKeepMaxSeconds);
    }
  }

  /** The same server with another {@code label_keep_max_second}. */
  public ServerConfig withLabelKeepMaxSeconds(long seconds) {
    return new ServerConfig(
        dataDirectory,
        bindHost,
        queryPort,
        httpPort,
        loadBufferBytes,
        loadMemoryLimitBytes,
        security,
        maintenance,
        seconds,
        metaStore);
  }

  /** The same server with another load buffer budget. */
  public ServerConfig withLoadBufferBytes(long bytes) {
    return new ServerConfig(
        dataDirectory,
        bindHost,
        queryPort,
        httpPort,
        bytes,
        loadMemoryLimitBytes,
        security,
        maintenance,
        labelKeepMaxSeconds,
        metaStore);
  }

  /** The same server with another limit on all loads' buffered rows together. */
  public ServerConfig withLoadMemoryLimitBytes(long bytes) {
    return new ServerConfig(
        dataDirectory,
        bindHost,
        queryPort,
        httpPort,
        loadBufferBytes,
        bytes,
        security,
        maintenance,
        labelKeepMaxSeconds,
        metaStore);
  }

  /** The same server with other security settings. */
  public ServerConfig withSecurity(Security newSecurity) {
    return new ServerConfig(
        dataDirectory,
        bindHost,
        queryPort,
        httpPort,
        loadBufferBytes,
        loadMemoryLimitBytes,
        newSecurity,
        maintenance,
        labelKeepMaxSeconds,
        metaStore);
  }

  /** The same server with other compaction and garbage collection settings. */
  public ServerConfig withMaintenance(MaintenanceConfig newMaintenance) {
    return new ServerConfig(
        dataDirectory,
        bindHost,
        queryPort,
        httpPort,
        loadBufferBytes,
        loadMemoryLimitBytes,
        security,
        newMaintenance,
        labelKeepMaxSeconds,
        metaStore);
  }

  /** The same server with its catalog in {@code location}. */
  public ServerConfig withMetaStore(MetaStoreLocation location) {
    return new ServerConfig(
        dataDirectory,
        bindHost,
        queryPort,
        httpPort,
        loadBufferBytes,
        loadMemoryLimitBytes,
        security,
        maintenance,
        labelKeepMaxSeconds,
        location);
  }

  /**
   * Security settings of a server.
   *
   * @param tls whether both front doors offer TLS (MySQL's SSL upgrade, HTTPS on the HTTP port)
   * @param certificateFile a PEM certificate, or null for the data directory's self-signed one
   * @param keyFile the PEM private key of {@code certificateFile}, or null
   * @param requireSecureTransport whether MySQL clients that stay in plain text are refused
   * @param rootPassword a password to give {@code root} at start, or null to leave it as it is
   * @param allowPasswordlessRoot whether to listen beyond loopback while root has no password
   */
  public record Security(
      boolean tls,
      Path certificateFile,
      Path keyFile,
      boolean requireSecureTransport,
      String rootPassword,
      boolean allowPasswordlessRoot) {
    /** TLS with a self-signed certificate; root left as it is; loopback only without a password. */
    public static final Security DEFAULT = new Security(true, null, null, false, null, false);

    public Security {
      if ((certificateFile == null) != (keyFile == null)) {
        throw new IllegalArgumentException(
            "a TLS certificate needs its key, and a key its certificate");
      }
      if (requireSecureTransport && !tls) {
        throw new IllegalArgumentException("secure transport can only be required with TLS on");
      }
    }

    @Override
    public String toString() {
      return "Security[tls="
          + tls
          + ", certificateFile="
          + certificateFile
          + ", requireSecureTransport="
          + requireSecureTransport
          + ", rootPassword="
          + (rootPassword == null ? "unchanged" : "set")
          + ", allowPasswordlessRoot="
          + allowPasswordlessRoot
          + "]";
    }
  }

  /** Loopback, free ports: what tests use. */
  public static ServerConfig forTest(Path dataDirectory) {
    return new ServerConfig(dataDirectory, "127.0.0.1", 0, 0);
  }
}
