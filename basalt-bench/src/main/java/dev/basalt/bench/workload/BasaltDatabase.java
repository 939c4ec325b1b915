package dev.basalt.bench.workload;

import dev.basalt.bench.server.BenchServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Small helpers for the database a workload creates in the Basalt server under test. */
public final class BasaltDatabase {
  private BasaltDatabase() {}

  /** Opens a connection to {@code database} (empty for none) with extra URL properties. */
  public static Connection connect(BenchServer server, String database, String extraProperties)
      throws SQLException {
    return DriverManager.getConnection(
        server.endpoint().jdbcUrl(database, extraProperties), "root", "");
  }

  /** Drops {@code database} if it exists and creates it empty. */
  public static void recreate(BenchServer server, String database) throws SQLException {
    try (Connection connection = connect(server, "", "");
        Statement statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + database + " FORCE");
      statement.execute("CREATE DATABASE " + database);
    }
  }

  /** The first column of the first row of {@code sql}, as text. */
  public static String queryText(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet resultSet = statement.executeQuery(sql)) {
      return resultSet.next() ? resultSet.getString(1) : null;
    }
  }

  /** The server's version comment, e.g. {@code Basalt version basalt-0.1.0}. */
  public static String version(BenchServer server) {
    try (Connection connection = connect(server, "", "")) {
      return queryText(connection, "SELECT @@version_comment")
          + " (MySQL "
          + queryText(connection, "SELECT version()")
          + ")";
    } catch (SQLException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }
}
