package dev.basalt.server.it;

import dev.basalt.load.compaction.MaintenanceConfig;
import dev.basalt.server.BasaltServer;
import dev.basalt.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An in-process {@link BasaltServer} for integration tests: loopback, free ports, its own temporary
 * data directory (deleted by {@link #close()}). {@link #restart()} closes the server and starts a
 * new one on the same directory; the ports change, so read them again afterwards. Not thread safe.
 */
final class TestServer implements AutoCloseable {

  /** The MySQL protocol user every test connects as. */
  static final String ROOT_USER = "root";

  private final Path dataDirectory;
  private final UnaryOperator<ServerConfig> settings;
  private BasaltServer server;

  private TestServer(Path dataDirectory, UnaryOperator<ServerConfig> settings) {
    this.dataDirectory = dataDirectory;
    this.settings = settings;
    this.server = BasaltServer.start(config());
  }

  private ServerConfig config() {
    return settings.apply(ServerConfig.forTest(dataDirectory));
  }

  /** Starts a server on a fresh temporary data directory. */
  static TestServer start() {
    return start(ServerConfig.DEFAULT_LOAD_BUFFER_BYTES);
  }

  /** Starts a server whose loads flush a tablet after {@code loadBufferBytes} buffered bytes. */
  static TestServer start(long loadBufferBytes) {
    return start(config -> config.withLoadBufferBytes(loadBufferBytes));
  }

  /** Starts a server with the given load buffer and compaction / garbage collection settings. */
  static TestServer start(long loadBufferBytes, MaintenanceConfig maintenance) {
    return start(
        config -> config.withLoadBufferBytes(loadBufferBytes).withMaintenance(maintenance));
  }

  /** Starts a server with the test defaults changed by {@code settings}. */
  static TestServer start(UnaryOperator<ServerConfig> settings) {
    Path directory = createTemporaryDirectory("basalt-it-");
    try {
      return new TestServer(directory, settings);
    } catch (RuntimeException startFailure) {
      deleteRecursively(directory);
      throw startFailure;
    }
  }

  int queryPort() {
    return server.queryPort();
  }

  int httpPort() {
    return server.httpPort();
  }

  Path dataDirectory() {
    return dataDirectory;
  }

  /** Closes the server and starts a new one on the same data directory. */
  void restart() {
    server.close();
    server = null;
    server = BasaltServer.start(config());
  }

  /**
   * A MySQL Connector/J URL for this server.
   *
   * @param database the default database, or empty for none
   * @param extraProperties extra {@code key=value&...} properties, or empty
   */
  String mysqlUrl(String database, String extraProperties) {
    return mysqlUrl(queryPort(), database, extraProperties);
  }

  static String mysqlUrl(int port, String database, String extraProperties) {
    return "jdbc:mysql://127.0.0.1:"
        + port
        + "/"
        + database
        + "?useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=10000&socketTimeout=60000"
        + (extraProperties.isEmpty() ? "" : "&" + extraProperties);
  }

  /** A MariaDB Connector/J URL for this server; arguments as for {@link #mysqlUrl}. */
  /** The rows {@code sql} returns in {@code database}, each as its columns' text joined by '|'. */
  /** Runs one statement as root, with no current database. */
  void execute(String sql) throws java.sql.SQLException {
    try (java.sql.Connection connection =
            java.sql.DriverManager.getConnection(mysqlUrl("", ""), "root", "");
        java.sql.Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  List<String> rows(String database, String sql) throws java.sql.SQLException {
    List<String> rows = new java.util.ArrayList<>();
    try (java.sql.Connection connection =
            java.sql.DriverManager.getConnection(mysqlUrl(database, ""), "root", "");
        java.sql.Statement statement = connection.createStatement();
        java.sql.ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int c = 1; c <= columns; c++) {
          row.append(c > 1 ? "|" : "").append(result.getString(c));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  String mariadbUrl(String database, String extraProperties) {
    return "jdbc:mariadb://127.0.0.1:"
        + queryPort()
        + "/"
        + database
        + "?sslMode=disable&connectTimeout=10000&socketTimeout=60000"
        + (extraProperties.isEmpty() ? "" : "&" + extraProperties);
  }

  @Override
  public void close() {
    try {
      if (server != null) {
        server.close();
        server = null;
      }
    } finally {
      deleteRecursively(dataDirectory);
    }
  }

  static Path createTemporaryDirectory(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + directory, e);
    }
  }
}
