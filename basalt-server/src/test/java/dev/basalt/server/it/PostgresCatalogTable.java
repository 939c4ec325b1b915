package dev.basalt.server.it;

import dev.basalt.server.MetaStoreLocation;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A PostgreSQL table for one test's catalog ({@code basalt server --meta URL --meta-table T}),
 * named for the run and dropped at {@link #close()}. The URL carries the user ({@code ?user=...}).
 */
final class PostgresCatalogTable implements AutoCloseable {
  private final String url;
  private final String table;

  private PostgresCatalogTable(String url, String table) {
    this.url = url;
    this.table = table;
  }

  /** Null when PostgreSQL answers at {@code url}, else why not. */
  static String unavailableReason(String url) {
    try (Connection connection = DriverManager.getConnection(url)) {
      return null;
    } catch (SQLException e) {
      return "PostgreSQL at " + url + " is not reachable: " + e.getMessage();
    }
  }

  /** A fresh table name; the server creates the table at its first start. */
  static PostgresCatalogTable create(String url) {
    return new PostgresCatalogTable(
        url, "basalt_crash_" + UUID.randomUUID().toString().replace("-", ""));
  }

  MetaStoreLocation location() {
    return MetaStoreLocation.postgres(url, table);
  }

  @Override
  public void close() throws SQLException {
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS " + table);
      statement.execute("DROP TABLE IF EXISTS " + table + "_changes");
    }
  }
}
