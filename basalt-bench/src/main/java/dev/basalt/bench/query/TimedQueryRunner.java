package dev.basalt.bench.query;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs queries of one engine on one connection, each with a timeout the engine may ignore.
 *
 * <p>Each query runs on a worker thread with {@link Statement#setQueryTimeout}; the calling thread
 * waits a little longer than the timeout and then gives up (a watchdog): it cancels the statement,
 * aborts the connection, abandons the worker and reports {@link QueryStatus#TIMEOUT}. The next
 * query gets a fresh connection and a fresh worker. Basalt stops a statement at the driver's
 * timeout (KILL QUERY); an engine that does not may keep running an abandoned query, so the caller
 * can still restart the server.
 *
 * <p>Not thread safe: one caller thread. {@link #close()} closes the connection.
 */
public final class TimedQueryRunner implements AutoCloseable {
  /** How long after the timeout the watchdog still waits for the driver's own cancellation. */
  private static final Duration WATCHDOG_GRACE = Duration.ofSeconds(5);

  private final ConnectionFactory connections;
  private final Duration timeout;
  private ExecutorService worker;
  private Connection connection;

  /**
   * @param connections opens a connection (again after a timeout)
   * @param timeout the time after which a query is abandoned
   */
  public TimedQueryRunner(ConnectionFactory connections, Duration timeout) {
    this.connections = connections;
    this.timeout = timeout;
  }

  /** Runs {@code sql} and reads its whole result; never throws for a failing query. */
  public QueryResult run(String sql) {
    long start = System.nanoTime();
    AtomicReference<Statement> running = new AtomicReference<>();
    Future<QueryResult> future;
    try {
      if (connection == null) {
        connection = connections.open();
      }
      if (worker == null) {
        worker =
            Executors.newSingleThreadExecutor(
                runnable -> {
                  Thread thread = new Thread(runnable, "basalt-bench-query");
                  thread.setDaemon(true);
                  return thread;
                });
      }
      Connection current = connection;
      future = worker.submit(() -> execute(current, sql, running));
    } catch (SQLException e) {
      return QueryResult.unsuccessful(
          QueryStatus.FAILED, System.nanoTime() - start, "cannot connect: " + e.getMessage());
    }
    try {
      return future.get(timeout.plus(WATCHDOG_GRACE).toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      abandon(running.get());
      return QueryResult.unsuccessful(
          QueryStatus.TIMEOUT,
          System.nanoTime() - start,
          "no answer after " + timeout.toSeconds() + " s; connection abandoned");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SQLTimeoutException) {
        return QueryResult.unsuccessful(
            QueryStatus.TIMEOUT, System.nanoTime() - start, "timed out: " + cause.getMessage());
      }
      if (cause instanceof SQLException && isConnectionBroken()) {
        closeQuietly();
      }
      return QueryResult.unsuccessful(
          QueryStatus.FAILED, System.nanoTime() - start, String.valueOf(cause.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abandon(running.get());
      return QueryResult.unsuccessful(QueryStatus.FAILED, System.nanoTime() - start, "interrupted");
    }
  }

  private QueryResult execute(Connection current, String sql, AtomicReference<Statement> running)
      throws SQLException {
    try (Statement statement = current.createStatement()) {
      running.set(statement);
      try {
        statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
      } catch (SQLException unsupported) {
        // Some drivers have no statement timeout; the watchdog still applies.
      }
      long start = System.nanoTime();
      try (ResultSet resultSet = statement.executeQuery(sql)) {
        List<String> names = ResultRows.columnNames(resultSet);
        List<List<Object>> rows = ResultRows.read(resultSet);
        return new QueryResult(QueryStatus.OK, System.nanoTime() - start, names, rows, null);
      }
    }
  }

  private boolean isConnectionBroken() {
    try {
      return connection == null || connection.isClosed() || !connection.isValid(5);
    } catch (SQLException e) {
      return true;
    }
  }

  /** Gives up on the running query: cancel, abort the connection, drop the worker. */
  private void abandon(Statement statement) {
    Connection abandoned = connection;
    ExecutorService abandonedWorker = worker;
    connection = null;
    worker = null;
    Thread cleaner =
        new Thread(
            () -> {
              try {
                if (statement != null) {
                  statement.cancel();
                }
              } catch (SQLException | RuntimeException ignored) {
                // Best effort: the engine may not support cancellation.
              }
              try {
                if (abandoned != null) {
                  abandoned.abort(Runnable::run);
                }
              } catch (SQLException | RuntimeException ignored) {
                // Best effort: the connection is dropped either way.
              }
            },
            "basalt-bench-abandon");
    cleaner.setDaemon(true);
    cleaner.start();
    if (abandonedWorker != null) {
      abandonedWorker.shutdownNow();
    }
  }

  private void closeQuietly() {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (SQLException ignored) {
      // Already broken.
    }
    connection = null;
  }

  /** Drops the current connection so that the next query opens a new one (after a restart). */
  public void reconnect() {
    closeQuietly();
  }

  @Override
  public void close() {
    closeQuietly();
    if (worker != null) {
      worker.shutdownNow();
      worker = null;
    }
  }
}
