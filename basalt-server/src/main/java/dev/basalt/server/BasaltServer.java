package dev.basalt.server;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.load.LoadHousekeeper;
import dev.basalt.load.MemtableBudget;
import dev.basalt.load.SegmentSyncer;
import dev.basalt.load.TableWriter;
import dev.basalt.load.compaction.MaintenanceConfig;
import dev.basalt.load.groupcommit.GroupCommitManager;
import dev.basalt.load.streamload.StreamLoadRecords;
import dev.basalt.load.streamload.StreamLoader;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.Passwords;
import dev.basalt.meta.partition.DynamicPartitions;
import dev.basalt.meta.store.EarlyAcknowledgingMetaStore;
import dev.basalt.meta.store.JdbcMetaStore;
import dev.basalt.server.audit.AuditLog;
import dev.basalt.server.engine.ServerNode;
import dev.basalt.server.engine.SqlEngine;
import dev.basalt.server.http.ConnectorEndpoints;
import dev.basalt.server.http.HttpFrontDoor;
import dev.basalt.server.http.StreamLoadEndpoint;
import dev.basalt.server.mysql.MysqlServer;
import dev.basalt.server.session.SessionRegistry;
import dev.basalt.server.tls.RsaKeyPairFile;
import dev.basalt.server.tls.ServerCertificate;
import dev.basalt.storage.fs.LocalFileSystem;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Basalt server: opens the data directory (taking an exclusive lock on it), the
 * embedded metadata store and the catalog, and serves the MySQL protocol and HTTP front doors until
 * {@link #close()}.
 *
 * <p>Layout of the data directory: {@code meta/catalog.db} (SQLite metadata store), {@code data/}
 * (segment files, see docs/format.md), {@code load_errors/} (rejected rows of stream loads), {@code
 * basalt.lock}. Start with {@link #start(ServerConfig)}; a busy port or an unusable data directory
 * makes {@code start} throw {@link ServerStartException} with a one-line message. Thread safe.
 */
public final class BasaltServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BasaltServer.class);

  private final FileChannel lockChannel;
  private final FileLock lock;
  private final JdbcMetaStore metaStore;
  private final AuditLog auditLog;
  private final MysqlServer mysql;
  private final HttpFrontDoor http;
  private final SqlEngine engine;
  private final LoadHousekeeper housekeeper;
  private final DynamicPartitions dynamicPartitions;
  private final GroupCommitManager groupCommit;
  private final TableWriter writer;
  private final Thread warmUp;
  private final SharedCatalogPoller catalogPoller;

  private BasaltServer(
      FileChannel lockChannel,
      FileLock lock,
      JdbcMetaStore metaStore,
      AuditLog auditLog,
      MysqlServer mysql,
      HttpFrontDoor http,
      SqlEngine engine,
      LoadHousekeeper housekeeper,
      DynamicPartitions dynamicPartitions,
      GroupCommitManager groupCommit,
      TableWriter writer,
      Thread warmUp,
      SharedCatalogPoller catalogPoller) {
    this.warmUp = warmUp;
    this.catalogPoller = catalogPoller;
    this.groupCommit = groupCommit;
    this.writer = writer;
    this.engine = engine;
    this.housekeeper = housekeeper;
    this.dynamicPartitions = dynamicPartitions;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.metaStore = metaStore;
    this.auditLog = auditLog;
    this.mysql = mysql;
    this.http = http;
  }

  /**
   * The directory where queries spill, emptied of the files a previous run may have left (spill
   * files live only as long as their query).
   */
  private static Path emptySpillDirectory(Path spill) throws java.io.IOException {
    if (java.nio.file.Files.isDirectory(spill)) {
      try (java.util.stream.Stream<Path> leftovers = java.nio.file.Files.list(spill)) {
        for (Path leftover : leftovers.toList()) {
          java.nio.file.Files.deleteIfExists(leftover);
        }
      }
    }
    return spill;
  }

  public static BasaltServer start(ServerConfig config) {
    Path directory = config.dataDirectory().toAbsolutePath();
    DirectoryLock directoryLock = lockDataDirectory(directory);
    FileChannel lockChannel = directoryLock.channel();
    FileLock lock = directoryLock.lock();
    JdbcMetaStore metaStore = null;
    AuditLog auditLog = null;
    MysqlServer mysql = null;
    HttpFrontDoor http = null;
    SqlEngine engine = null;
    GroupCommitManager groupCommit = null;
    Thread warmUp = null;
    // The key material (PEM files, a key check by signature, the TLS contexts) needs nothing from
    // the catalog: it is prepared on a second thread while this one opens the catalog.
    FutureTask<KeyMaterial> keyMaterial =
        new FutureTask<>(() -> KeyMaterial.prepare(directory, config.security()));
    Thread.ofPlatform().daemon().name("basalt-start-keys").start(keyMaterial);
    try {
      LocalFileSystem fileSystem = new LocalFileSystem(config.metaStore().segmentRoot(directory));
      // In shared storage another front end's unfinished files are its own (docs/architecture.md,
      // "Several front ends").
      int abandoned =
          config.metaStore().isSharedStorage() ? 0 : fileSystem.deleteAbandonedTemporaryFiles();
      if (abandoned > 0) {
        LOG.info("Deleted {} unfinished files left by an earlier run", abandoned);
      }
      metaStore = config.metaStore().open(directory);
      SegmentRootIdentity.check(
          metaStore, config.metaStore().segmentRoot(directory), config.metaStore().toString());
      Catalog catalog = Catalog.open(EarlyAcknowledgingMetaStore.wrapIfRequested(metaStore));
      secureRoot(catalog, config);
      // Before anything reads a segment: small loads' files that a crash tore come back from the
      // copies committed with them (load.SegmentSyncer).
      int restoredSegments = SegmentSyncer.restore(catalog, fileSystem);
      if (restoredSegments > 0) {
        LOG.info(
            "Restored {} segment files of small loads from their catalog copies", restoredSegments);
      }
      SessionRegistry sessions = new SessionRegistry();
      MemtableBudget memtables =
          new MemtableBudget(config.loadMemoryLimitBytes(), MemtableBudget.DEFAULT_WAIT_MILLIS);
      TableWriter writer =
          new TableWriter(catalog, fileSystem, config.loadBufferBytes(), memtables);
      auditLog = AuditLog.open(directory);
      engine =
          new SqlEngine(
              catalog,
              fileSystem,
              sessions,
              writer,
              auditLog,
              maintenance(config.maintenance(), config));
      engine.spillDirectory(emptySpillDirectory(directory.resolve("spill")));
      engine.maintenance().start();
      groupCommit =
          new GroupCommitManager(catalog, writer, directory.resolve("wal"), engine::columnDefault);
      // Before the front doors open: rows acknowledged before a crash are visible at once.
      groupCommit.recover();
      engine.groupCommit(groupCommit);
      // Crash recovery is done, so the data may be read: the planner and the read paths warm up
      // on a second thread while this one opens the front doors (SqlEngine#warmUp).
      warmUp = Thread.ofPlatform().daemon().name("basalt-start-warm-up").start(engine::warmUp);
      KeyMaterial keys = KeyMaterial.await(keyMaterial);
      mysql =
          new MysqlServer(
              config.bindHost(),
              config.queryPort(),
              engine,
              user -> passwordHash(catalog, user),
              sessions,
              Version.MYSQL_SERVER_VERSION);
      if (keys.certificate() != null) {
        mysql.enableTls(keys.mysqlContext(), config.security().requireSecureTransport());
      }
      mysql.useRsaKeys(keys.rsaKeys());
      mysql.start();
      StreamLoadRecords streamLoadRecords =
          new StreamLoadRecords(StreamLoadRecords.DEFAULT_CAPACITY);
      engine.streamLoadRecords(streamLoadRecords);
      StreamLoader loader =
          new StreamLoader(
              catalog,
              writer,
              directory.resolve("load_errors"),
              engine::columnDefault,
              StreamLoader.DEFAULT_MAX_LINE_BYTES,
              engine::compileLoadExpressions);
      loader.groupCommit(groupCommit);
      engine.streamLoader(loader);
      http =
          new HttpFrontDoor(
              config.bindHost(),
              config.httpPort(),
              new StreamLoadEndpoint(
                  catalog, loader, writer, engine.access(), auditLog, streamLoadRecords),
              new ConnectorEndpoints(catalog, engine.access()));
      http.profiles(new dev.basalt.server.http.ProfileEndpoints(catalog, engine.profiles()));
      http.metrics(
          new ServerMetrics(memtables, mysql.latencies(), engine.maintenance().compactor())::text);
      if (keys.certificate() != null) {
        http.enableTls(keys.httpKeyStore(), keys.httpKeyStorePassword());
      }
      http.start();
      engine.frontendConfig(
          java.util.Map.of(
              "query_port", String.valueOf(mysql.port()),
              "http_port", String.valueOf(http.port()),
              "meta_dir", directory.resolve("meta").toString(),
              "sys_log_dir", directory.toString(),
              "lower_case_table_names", "0",
              "qe_max_connection", "1024",
              "max_bytes_per_broker_scanner", String.valueOf(config.loadBufferBytes())));
      engine.node(
          new ServerNode(
              reachableHost(config.bindHost()),
              mysql.port(),
              http.port(),
              System.currentTimeMillis()));
      LoadHousekeeper housekeeper =
          new LoadHousekeeper(
              catalog, writer, config.labelKeepMaxSeconds(), loader.errorLogDirectory());
      DynamicPartitions dynamicPartitions =
          new DynamicPartitions(
              catalog,
              System::currentTimeMillis,
              java.time.ZoneId.systemDefault(),
              DynamicPartitions.DEFAULT_CHECK_INTERVAL_MILLIS);
      dynamicPartitions.start();
      SharedCatalogPoller catalogPoller = SharedCatalogPoller.start(catalog);
      return new BasaltServer(
          lockChannel,
          lock,
          metaStore,
          auditLog,
          mysql,
          http,
          engine,
          housekeeper,
          dynamicPartitions,
          groupCommit,
          writer,
          warmUp,
          catalogPoller);
    } catch (BasaltException | IllegalStateException | IllegalArgumentException e) {
      awaitWarmUp(warmUp);
      stopMaintenance(engine);
      KeyMaterial.abandon(keyMaterial);
      closeAll(mysql, http, null, metaStore, auditLog, lock, lockChannel);
      throw new ServerStartException(describe(e), e);
    } catch (ServerStartException e) {
      awaitWarmUp(warmUp);
      stopMaintenance(engine);
      KeyMaterial.abandon(keyMaterial);
      closeAll(mysql, http, null, metaStore, auditLog, lock, lockChannel);
      throw e;
    } catch (RuntimeException e) {
      awaitWarmUp(warmUp);
      stopMaintenance(engine);
      KeyMaterial.abandon(keyMaterial);
      closeAll(mysql, http, null, metaStore, auditLog, lock, lockChannel);
      throw new ServerStartException("cannot start: " + describe(e), e);
    } catch (java.io.IOException | java.security.GeneralSecurityException e) {
      awaitWarmUp(warmUp);
      stopMaintenance(engine);
      KeyMaterial.abandon(keyMaterial);
      closeAll(mysql, http, null, metaStore, auditLog, lock, lockChannel);
      throw new ServerStartException("cannot start: " + describe(e), e);
    }
  }

  /**
   * The password hash a login checks, after reading what other front ends of a shared catalog
   * committed (a user created or changed there logs in here at once). When the shared catalog
   * cannot be read, the login is checked against what this front end last saw.
   */
  private static byte[] passwordHash(Catalog catalog, String user) {
    try {
      catalog.refresh();
    } catch (RuntimeException e) {
      LOG.warn("could not read the shared catalog's changes before a login", e);
    }
    return catalog.passwordHash(user).orElse(null);
  }

  /**
   * The background storage work as configured, except that in shared storage files are collected
   * only after {@link MaintenanceConfig#sharedStorageGraceMillis} at least: the other front ends'
   * uncommitted files and the files their running queries read are known only to them.
   */
  private static MaintenanceConfig maintenance(MaintenanceConfig configured, ServerConfig config) {
    return configured.withGarbageGraceMillis(
        configured.effectiveGraceMillis(config.metaStore().isSharedStorage()));
  }

  /**
   * Sets {@code root}'s password if the configuration gives one; then refuses to listen beyond
   * loopback while root has none, unless explicitly allowed: anyone who reaches the port would own
   * the warehouse.
   */
  private static void secureRoot(Catalog catalog, ServerConfig config) {
    ServerConfig.Security security = config.security();
    if (security.rootPassword() != null) {
      catalog.alterUserPassword(Catalog.ROOT_USER, Passwords.doubleSha1(security.rootPassword()));
    }
    boolean passwordless =
        catalog.passwordHash(Catalog.ROOT_USER).map(hash -> hash.length == 0).orElse(true);
    if (passwordless && !security.allowPasswordlessRoot() && !isLoopback(config.bindHost())) {
      throw new ServerStartException(
          "refusing to listen on "
              + config.bindHost()
              + " while root has no password: anyone who can reach this machine would own the"
              + " warehouse. Set one first ('./basalt passwd', or BASALT_ROOT_PASSWORD=..."
              + " ./basalt server), or pass --allow-passwordless-root to accept the risk");
    }
  }

  /** The address to report for a bind host: the machine's address for a wildcard bind. */
  private static String reachableHost(String bindHost) {
    try {
      java.net.InetAddress address = java.net.InetAddress.getByName(bindHost);
      return address.isAnyLocalAddress()
          ? java.net.InetAddress.getLocalHost().getHostAddress()
          : address.getHostAddress();
    } catch (java.net.UnknownHostException e) {
      return bindHost;
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** The TLS certificate to use, or null when TLS is off. */
  /**
   * What the front doors need from the data directory's key files: the server certificate (null
   * without TLS) with the MySQL upgrade's context and the HTTP key store, and the RSA key pair of
   * {@code caching_sha2_password}. Prepared on its own thread during the start ({@link #prepare}
   * then {@link #await}, or {@link #abandon} when the start fails).
   */
  private record KeyMaterial(
      ServerCertificate certificate,
      SslContext mysqlContext,
      KeyStore httpKeyStore,
      char[] httpKeyStorePassword,
      RsaKeyPairFile rsaKeys) {

    static KeyMaterial prepare(Path directory, ServerConfig.Security security)
        throws IOException, GeneralSecurityException {
      RsaKeyPairFile rsaKeys = RsaKeyPairFile.open(directory);
      if (!security.tls()) {
        return new KeyMaterial(null, null, null, null, rsaKeys);
      }
      ServerCertificate certificate =
          security.certificateFile() != null
              ? ServerCertificate.load(security.certificateFile(), security.keyFile())
              : ServerCertificate.selfSigned(directory);
      char[] password = UUID.randomUUID().toString().toCharArray();
      return new KeyMaterial(
          certificate,
          certificate.nettyServerContext(),
          certificate.keyStore(password),
          password,
          rsaKeys);
    }

    /** The prepared material; rethrows what preparing it threw. */
    static KeyMaterial await(FutureTask<KeyMaterial> task)
        throws IOException, GeneralSecurityException {
      try {
        return task.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ServerStartException("interrupted while reading the key files", e);
      } catch (ExecutionException e) {
        switch (e.getCause()) {
          case IOException io -> throw io;
          case GeneralSecurityException security -> throw security;
          case RuntimeException runtime -> throw runtime;
          case Error error -> throw error;
          default -> throw new IllegalStateException(e.getCause());
        }
      }
    }

    /** Waits for the preparing thread (it may write key files) and ignores its outcome. */
    static void abandon(FutureTask<KeyMaterial> task) {
      try {
        task.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException ignored) {
        // The start is failing for another reason, reported by the caller.
      }
    }
  }

  /**
   * Sets a user's password in a data directory whose server is not running ({@code basalt passwd}).
   * The password is asked for only once the directory is locked, so nobody types one for a
   * directory that is in use.
   *
   * @param password asked once the directory is locked; a null or empty answer changes nothing
   * @return whether the password was set
   * @throws ServerStartException when the directory is in use or unusable
   * @throws BasaltException UNKNOWN_USER when the user does not exist
   */
  public static boolean setPassword(
      Path dataDirectory, String user, java.util.function.Supplier<String> password) {
    Path directory = dataDirectory.toAbsolutePath();
    DirectoryLock directoryLock = lockDataDirectory(directory);
    JdbcMetaStore metaStore = null;
    try {
      metaStore = JdbcMetaStore.openSqlite(directory.resolve("meta").resolve("catalog.db"));
      Catalog catalog = Catalog.open(metaStore);
      java.util.Optional<byte[]> current = catalog.passwordHash(user);
      if (current.isEmpty()) {
        throw new BasaltException(ErrorCode.UNKNOWN_USER, "ALTER USER", user, "%");
      }
      String plaintext = password.get();
      if (plaintext == null || plaintext.isEmpty()) {
        return false;
      }
      // The account keeps its authentication plugin.
      catalog.alterUserPassword(user, Passwords.hash(Passwords.plugin(current.get()), plaintext));
      return true;
    } finally {
      closeAll(null, null, null, metaStore, null, directoryLock.lock(), directoryLock.channel());
    }
  }

  private record DirectoryLock(FileChannel channel, FileLock lock) {}

  /** Creates the data directory if needed and takes its exclusive lock. */
  private static DirectoryLock lockDataDirectory(Path directory) {
    FileChannel lockChannel;
    try {
      Files.createDirectories(directory.resolve("meta"));
      lockChannel =
          FileChannel.open(
              directory.resolve("basalt.lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
    } catch (IOException | RuntimeException e) {
      throw new ServerStartException(
          "cannot use data directory " + directory + ": " + describe(e), e);
    }
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (IOException | OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      closeQuietly(lockChannel);
      throw new ServerStartException(
          "data directory " + directory + " is in use by another Basalt server");
    }
    return new DirectoryLock(lockChannel, lock);
  }

  private static String describe(Throwable e) {
    if (e instanceof java.nio.file.AccessDeniedException denied) {
      return "permission denied on " + denied.getFile();
    }
    if (e instanceof java.nio.file.NoSuchFileException missing) {
      return "cannot create "
          + missing.getFile()
          + " (a parent directory does not exist or is not writable)";
    }
    if (e instanceof java.nio.file.FileSystemException failure && failure.getReason() != null) {
      return failure.getReason() + ": " + failure.getFile();
    }
    String message = e.getMessage();
    return message == null
        ? e.getClass().getSimpleName()
        : message.lines().findFirst().orElse(message);
  }

  /** The MySQL protocol port actually bound. */
  public int queryPort() {
    return mysql.port();
  }

  /** The HTTP port actually bound. */
  public int httpPort() {
    return http.port();
  }

  /** Stops accepting connections, closes sessions and releases the data directory. */
  @Override
  public void close() {
    // First: later loads are refused, open groups commit while the catalog is still open.
    groupCommit.close();
    catalogPoller.close();
    dynamicPartitions.close();
    housekeeper.close();
    awaitWarmUp(warmUp);
    stopMaintenance(engine);
    closeAll(mysql, http, writer, metaStore, auditLog, lock, lockChannel);
  }

  /**
   * Waits for the start-up warm-up (a few small statements) to finish, so that nothing reads the
   * catalog or the files once the server is closed.
   */
  private static void awaitWarmUp(Thread warmUp) {
    if (warmUp == null) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        warmUp.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void stopMaintenance(SqlEngine engine) {
    if (engine != null) {
      try {
        engine.maintenance().close();
      } catch (RuntimeException e) {
        LOG.warn("stopping compaction and garbage collection", e);
      }
    }
  }

  /**
   * Closes what a server holds, in order: the front doors (no new statement or load), then, when
   * {@code writer} is given, small loads' files made durable and their catalog copies deleted, then
   * the audit log, the catalog and the directory lock.
   */
  private static void closeAll(
      MysqlServer mysql,
      HttpFrontDoor http,
      TableWriter writer,
      JdbcMetaStore metaStore,
      AuditLog auditLog,
      FileLock lock,
      FileChannel lockChannel) {
    if (mysql != null) {
      try {
        mysql.close();
      } catch (RuntimeException e) {
        LOG.warn("closing the MySQL front door", e);
      }
    }
    if (http != null) {
      try {
        http.close();
      } catch (RuntimeException e) {
        LOG.warn("closing the HTTP front door", e);
      }
    }
    if (writer != null) {
      try {
        writer.finishSmallLoads();
      } catch (RuntimeException e) {
        LOG.warn("forcing the files of small loads (the next start restores them)", e);
      }
    }
    if (auditLog != null) {
      auditLog.close();
    }
    if (metaStore != null) {
      try {
        metaStore.close();
      } catch (RuntimeException e) {
        LOG.warn("closing the metadata store", e);
      }
    }
    try {
      if (lock != null && lock.isValid()) {
        lock.release();
      }
    } catch (IOException e) {
      LOG.warn("releasing the data directory lock", e);
    }
    closeQuietly(lockChannel);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.warn("closing the lock file", e);
    }
  }
}
