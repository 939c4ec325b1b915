package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stopping running statements through the real front door: KILL QUERY from a second connection,
 * JDBC {@code Statement.cancel()} and {@code setQueryTimeout} (Connector/J sends KILL QUERY on a
 * connection of its own), the {@code query_timeout} and {@code max_execution_time} variables, KILL
 * CONNECTION, and what SHOW PROCESSLIST / information_schema.PROCESSLIST show meanwhile. A stopped
 * statement fails alone; its connection keeps working.
 */
class QueryCancellationTest {
  private static final int ROWS = 2000;

  /** 8e9 joined rows: runs for minutes unless stopped, holding almost nothing (no row is kept). */
  private static final String ENDLESS =
      "SELECT COUNT(*) FROM cancel.t a, cancel.t b, cancel.t c WHERE a.v <> 'secret-literal'";

  private static TestServer server;

  /**
   * Runs each task on a thread of its own: the common pool may have a single thread, and these
   * tasks block until their statement is stopped.
   */
  static final java.util.concurrent.Executor OWN_THREAD =
      task -> Thread.ofPlatform().daemon().start(task);

  @BeforeAll
  static void start() throws SQLException {
    server = TestServer.start();
    try (Connection connection = connect("root", "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE cancel");
      statement.execute(
          "CREATE TABLE cancel.t (k INT, v VARCHAR(20)) DUPLICATE KEY(k)"
              + " DISTRIBUTED BY HASH(k) BUCKETS 2");
      StringBuilder values = new StringBuilder("INSERT INTO cancel.t VALUES ");
      for (int i = 0; i < ROWS; i++) {
        values.append(i == 0 ? "" : ", ").append('(').append(i).append(", 'v").append(i);
        values.append("')");
      }
      statement.execute(values.toString());
      statement.execute("CREATE USER bob IDENTIFIED BY 'bob-pass'");
      statement.execute("GRANT SELECT_PRIV ON cancel.* TO bob");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void killQueryFromAnotherConnectionStopsTheStatementAndKeepsItsConnection() throws Exception {
    try (Connection running = connect("root", "");
        Connection observer = connect("root", "")) {
      long id = connectionId(running);
      CompletableFuture<Void> query = runAsync(running, ENDLESS);
      awaitRunning(observer, id);
      execute(observer, "KILL QUERY " + id);
      assertThatFailure(query)
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1317))
          .hasMessageContaining("Query execution was interrupted");
      assertThat(singleLong(running, "SELECT COUNT(*) FROM cancel.t")).isEqualTo(ROWS);
      assertThat(commandOf(observer, id)).isEqualTo("Sleep");
    }
  }

  @Test
  void jdbcCancelStopsTheStatement() throws Exception {
    try (Connection running = connect("root", "");
        Statement statement = running.createStatement();
        Connection observer = connect("root", "")) {
      long id = connectionId(running);
      CompletableFuture<Void> query =
          CompletableFuture.runAsync(
              () -> {
                try (ResultSet ignored = statement.executeQuery(ENDLESS)) {
                  // not reached: the statement is cancelled
                } catch (SQLException e) {
                  throw new RuntimeException(e);
                }
              },
              OWN_THREAD);
      awaitRunning(observer, id);
      statement.cancel();
      // Connector/J marks the statement cancelled only after its KILL QUERY returns, so the
      // running thread may see the server's 1317 before that mark: either answer is the cancel.
      assertThatFailure(query)
          .isInstanceOfSatisfying(
              SQLException.class,
              e ->
                  assertThat(e.getErrorCode() == 1317 || e.getMessage().contains("cancelled"))
                      .as("cancel answer: %s (%d)", e.getMessage(), e.getErrorCode())
                      .isTrue());
      assertThat(singleLong(running, "SELECT MAX(k) FROM cancel.t")).isEqualTo(ROWS - 1);
    }
  }

  @Test
  void jdbcQueryTimeoutStopsTheStatement() throws Exception {
    try (Connection connection = connect("root", "");
        Statement statement = connection.createStatement()) {
      statement.setQueryTimeout(1);
      assertThatThrownBy(() -> statement.executeQuery(ENDLESS).close())
          .isInstanceOf(SQLTimeoutException.class);
      statement.setQueryTimeout(0);
      assertThat(singleLong(connection, "SELECT COUNT(*) FROM cancel.t")).isEqualTo(ROWS);
    }
  }

  @Test
  void queryTimeoutAndMaxExecutionTimeStopTheStatementWith3024() throws Exception {
    try (Connection connection = connect("root", "")) {
      execute(connection, "SET query_timeout = 1");
      assertThatThrownBy(() -> singleLong(connection, ENDLESS))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(3024))
          .hasMessageContaining("maximum statement execution time exceeded")
          .hasMessageContaining("query_timeout = 1");
      execute(connection, "SET query_timeout = DEFAULT");
      execute(connection, "SET max_execution_time = 300");
      assertThatThrownBy(() -> singleLong(connection, ENDLESS))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(3024))
          .hasMessageContaining("max_execution_time = 300");
      execute(connection, "SET max_execution_time = DEFAULT");
      assertThat(singleLong(connection, "SELECT COUNT(*) FROM cancel.t")).isEqualTo(ROWS);
    }
  }

  @Test
  void processListShowsTheRunningStatementRedacted() throws Exception {
    try (Connection running = connect("root", "");
        Connection observer = connect("root", "")) {
      long id = connectionId(running);
      long observerId = connectionId(observer);
      CompletableFuture<Void> query = runAsync(running, ENDLESS);
      awaitRunning(observer, id);

      List<String[]> shown = rows(observer, "SHOW FULL PROCESSLIST");
      String[] row = rowOf(shown, id);
      assertThat(row[1]).isEqualTo("root");
      assertThat(row[2]).isEqualTo("127.0.0.1");
      assertThat(row[4]).isEqualTo("Query");
      assertThat(Long.parseLong(row[5])).isGreaterThanOrEqualTo(0);
      assertThat(row[6]).isEqualTo("executing");
      assertThat(row[7])
          .contains("FROM cancel.t a, cancel.t b, cancel.t c")
          .contains("a.v <> ?")
          .doesNotContain("secret-literal");
      assertThat(rowOf(shown, observerId)[7]).isEqualTo("SHOW FULL PROCESSLIST");

      // Without FULL, Info is cut at 100 characters, as MySQL.
      assertThat(rowOf(rows(observer, "SHOW PROCESSLIST"), id)[7]).hasSizeLessThanOrEqualTo(100);

      String[] systemRow =
          rowOf(rows(observer, "SELECT *" + " FROM information_schema.PROCESSLIST"), id);
      assertThat(systemRow[4]).isEqualTo("Query");
      assertThat(systemRow[6]).isEqualTo("executing");
      assertThat(systemRow[7]).contains("a.v <> ?").doesNotContain("secret-literal");

      execute(observer, "KILL QUERY " + id);
      assertThatFailure(query).isInstanceOf(SQLException.class);
      String[] idle = rowOf(rows(observer, "SHOW FULL PROCESSLIST"), id);
      assertThat(idle[4]).isEqualTo("Sleep");
      assertThat(idle[7]).isNull();
    }
  }

  @Test
  void killNeedsTheOwnerOrAdmin() throws Exception {
    try (Connection running = connect("root", "");
        Connection admin = connect("root", "");
        Connection bob = connect("bob", "bob-pass");
        Connection bobsOther = connect("bob", "bob-pass")) {
      long id = connectionId(running);
      CompletableFuture<Void> query = runAsync(running, ENDLESS);
      awaitRunning(admin, id);
      assertThatThrownBy(() -> execute(bob, "KILL QUERY " + id))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1095))
          .hasMessageContaining("You are not owner of thread " + id);
      assertThatThrownBy(() -> execute(bob, "KILL QUERY 999999"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1094));
      // bob sees only his own sessions.
      assertThat(rows(bob, "SHOW PROCESSLIST"))
          .allSatisfy(row -> assertThat(row[1]).isEqualTo("bob"));
      assertThat(query).isNotDone();
      // A user may stop his own statements.
      execute(bobsOther, "KILL QUERY " + connectionId(bob));
      execute(admin, "KILL QUERY " + id);
      assertThatFailure(query).isInstanceOf(SQLException.class);
    }
  }

  @Test
  void killConnectionStopsTheRunningStatementAndClosesTheConnection() throws Exception {
    try (Connection running = connect("root", "");
        Connection observer = connect("root", "")) {
      long id = connectionId(running);
      CompletableFuture<Void> query = runAsync(running, ENDLESS);
      awaitRunning(observer, id);
      execute(observer, "KILL " + id);
      assertThatFailure(query).isInstanceOf(SQLException.class);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (rowOrNull(rows(observer, "SHOW PROCESSLIST"), id) != null) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(50);
      }
      assertThat(singleLong(observer, "SELECT COUNT(*) FROM cancel.t")).isEqualTo(ROWS);
    }
  }

  @Test
  void longQueriesDoNotStarveOtherConnections() throws Exception {
    // More CPU-bound statements than the machine has cores: connection workers are virtual
    // threads, so without time slices these would hold every carrier thread.
    int running = Runtime.getRuntime().availableProcessors() + 1;
    List<Connection> connections = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    List<CompletableFuture<Void>> queries = new ArrayList<>();
    try (Connection observer = connect("root", "")) {
      for (int i = 0; i < running; i++) {
        Connection connection = connect("root", "");
        connections.add(connection);
        ids.add(connectionId(connection));
        queries.add(runAsync(connection, ENDLESS));
        awaitRunning(observer, ids.getLast());
      }
      try (Connection late = connect("root", "")) {
        assertThat(singleLong(late, "SELECT COUNT(*) FROM cancel.t WHERE k < 10")).isEqualTo(10);
      }
      for (long id : ids) {
        execute(observer, "KILL QUERY " + id);
      }
      for (CompletableFuture<Void> query : queries) {
        assertThatFailure(query)
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1317));
      }
    } finally {
      for (Connection connection : connections) {
        connection.close();
      }
    }
  }

  // Helpers.

  private static Connection connect(String user, String password) throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl("", ""), user, password);
  }

  private static CompletableFuture<Void> runAsync(Connection connection, String sql) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            singleLong(connection, sql);
          } catch (SQLException e) {
            throw new RuntimeException(e);
          }
        },
        OWN_THREAD);
  }

  /** The failure of {@code query}, which must end within a minute. */
  private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable>
      assertThatFailure(CompletableFuture<Void> query) {
    return assertThatThrownBy(() -> query.get(60, TimeUnit.SECONDS))
        .extracting(Throwable::getCause)
        .extracting(Throwable::getCause)
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE);
  }

  /** Waits until connection {@code id} is running a statement other than the observer's. */
  private static void awaitRunning(Connection observer, long id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!"Query".equals(commandOf(observer, id))) {
      assertThat(System.nanoTime()).as("connection %d starts its query", id).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static String commandOf(Connection observer, long id) throws SQLException {
    String[] row = rowOrNull(rows(observer, "SHOW FULL PROCESSLIST"), id);
    return row == null ? null : row[4];
  }

  private static String[] rowOf(List<String[]> rows, long id) {
    String[] row = rowOrNull(rows, id);
    assertThat(row).as("processlist row of %d", id).isNotNull();
    return row;
  }

  private static String[] rowOrNull(List<String[]> rows, long id) {
    for (String[] row : rows) {
      if (Long.parseLong(row[0]) == id) {
        return row;
      }
    }
    return null;
  }

  private static long connectionId(Connection connection) throws SQLException {
    return singleLong(connection, "SELECT CONNECTION_ID()");
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static long singleLong(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).isTrue();
      return rows.getLong(1);
    }
  }

  private static List<String[]> rows(Connection connection, String sql) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        String[] row = new String[columns];
        for (int column = 0; column < columns; column++) {
          row[column] = result.getString(column + 1);
        }
        rows.add(row);
      }
    }
    return rows;
  }
}
