package dev.basalt.server;

import dev.basalt.common.error.BasaltException;
import dev.basalt.load.TableWriter;
import dev.basalt.load.streamload.StreamLoader;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.store.JdbcMetaStore;
import dev.basalt.server.engine.SqlEngine;
import dev.basalt.server.http.HttpFrontDoor;
import dev.basalt.server.http.StreamLoadEndpoint;
import dev.basalt.server.mysql.MysqlServer;
import dev.basalt.server.session.SessionRegistry;
import dev.basalt.storage.fs.LocalFileSystem;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
  private final MysqlServer mysql;
  private final HttpFrontDoor http;

  private BasaltServer(
      FileChannel lockChannel,
      FileLock lock,
      JdbcMetaStore metaStore,
      MysqlServer mysql,
      HttpFrontDoor http) {
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.metaStore = metaStore;
    this.mysql = mysql;
    this.http = http;
  }

  public static BasaltServer start(ServerConfig config) {
    Path directory = config.dataDirectory().toAbsolutePath();
    FileChannel lockChannel;
    FileLock lock;
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
    JdbcMetaStore metaStore = null;
    MysqlServer mysql = null;
    HttpFrontDoor http = null;
    try {
      LocalFileSystem fileSystem = new LocalFileSystem(directory);
      int abandoned = fileSystem.deleteAbandonedTemporaryFiles();
      if (abandoned > 0) {
        LOG.info("Deleted {} unfinished files left by an earlier run", abandoned);
      }
      metaStore = JdbcMetaStore.openSqlite(directory.resolve("meta").resolve("catalog.db"));
      Catalog catalog = Catalog.open(metaStore);
      SessionRegistry sessions = new SessionRegistry();
      TableWriter writer = new TableWriter(catalog, fileSystem, config.loadBufferBytes());
      SqlEngine engine = new SqlEngine(catalog, fileSystem, sessions, writer);
      engine.frontendConfig(
          java.util.Map.of(
              "query_port", String.valueOf(config.queryPort()),
              "http_port", String.valueOf(config.httpPort()),
              "meta_dir", directory.resolve("meta").toString(),
              "sys_log_dir", directory.toString(),
              "lower_case_table_names", "0",
              "qe_max_connection", "1024",
              "max_bytes_per_broker_scanner", String.valueOf(config.loadBufferBytes())));
      mysql =
          new MysqlServer(
              config.bindHost(),
              config.queryPort(),
              engine,
              user -> catalog.passwordHash(user).orElse(null),
              sessions,
              Version.MYSQL_SERVER_VERSION);
      mysql.start();
      StreamLoader loader =
          new StreamLoader(
              catalog,
              writer,
              directory.resolve("load_errors"),
              engine::columnDefault,
              StreamLoader.DEFAULT_MAX_LINE_BYTES,
              engine::compileLoadExpressions);
      http =
          new HttpFrontDoor(
              config.bindHost(),
              config.httpPort(),
              new StreamLoadEndpoint(catalog, loader, engine.access()));
      http.start();
      return new BasaltServer(lockChannel, lock, metaStore, mysql, http);
    } catch (BasaltException | IllegalStateException | IllegalArgumentException e) {
      closeAll(mysql, http, metaStore, lock, lockChannel);
      throw new ServerStartException(describe(e), e);
    } catch (RuntimeException e) {
      closeAll(mysql, http, metaStore, lock, lockChannel);
      throw new ServerStartException("cannot start: " + describe(e), e);
    }
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
    closeAll(mysql, http, metaStore, lock, lockChannel);
  }

  private static void closeAll(
      MysqlServer mysql,
      HttpFrontDoor http,
      JdbcMetaStore metaStore,
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
