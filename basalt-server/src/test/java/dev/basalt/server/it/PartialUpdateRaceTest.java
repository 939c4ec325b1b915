package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Concurrent writes to the same keys of a merge-on-write table, over JDBC from separate sessions:
 * partial column updates of different columns, and whole rows racing a partial update. A partial
 * update reads the stored row when it flushes; the commit re-reads keys written meanwhile, so every
 * column ends with the value of its last committed write. The load buffer is tiny so each statement
 * flushes tablet by tablet, which widens the window between a flush and its commit.
 */
class PartialUpdateRaceTest {
  private static final int KEYS = 60;
  private static final int ROUNDS = 40;
  private static TestServer server;

  @BeforeAll
  static void start() throws SQLException {
    server = TestServer.start(1);
    try (Connection connection = DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE race");
      statement.execute(
          "CREATE TABLE race.t (k INT NOT NULL, a INT, b INT, c INT) UNIQUE KEY(k)"
              + " DISTRIBUTED BY HASH(k) BUCKETS 4");
      statement.execute(
          "CREATE TABLE race.s (k INT NOT NULL, a INT, b INT, ver BIGINT) UNIQUE KEY(k)"
              + " DISTRIBUTED BY HASH(k) BUCKETS 4"
              + " PROPERTIES (\"function_column.sequence_col\" = \"ver\")");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl("race", ""), "root", "");
  }

  /** {@code INSERT INTO table (columns) VALUES (k, value, ...)} for every key. */
  private static String insert(String table, String columns, String values) {
    StringBuilder sql = new StringBuilder("INSERT INTO " + table + " (" + columns + ") VALUES ");
    for (int k = 1; k <= KEYS; k++) {
      sql.append(k > 1 ? ", " : "").append('(').append(k).append(", ").append(values).append(')');
    }
    return sql.toString();
  }

  /** Runs {@code rounds} statements in one session; statement {@code i} comes from the function. */
  private static Callable<Void> session(
      boolean partial, java.util.function.IntFunction<String> sql) {
    return () -> {
      try (Connection connection = connect();
          Statement statement = connection.createStatement()) {
        statement.execute("SET enable_unique_key_partial_update = " + partial);
        for (int round = 1; round <= ROUNDS; round++) {
          statement.execute(sql.apply(round));
        }
      }
      return null;
    };
  }

  private static void runTogether(List<Callable<Void>> sessions) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(sessions.size());
    try {
      List<Future<Void>> running = new ArrayList<>();
      for (Callable<Void> session : sessions) {
        running.add(threads.submit(session));
      }
      for (Future<Void> future : running) {
        future.get();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void partialUpdatesOfDifferentColumnsFromTwoSessionsAllSurvive() throws Exception {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(insert("t", "k, a, b, c", "0, 0, 7"));
    }
    runTogether(
        List.of(
            session(true, round -> insert("t", "k, a", String.valueOf(round))),
            session(true, round -> insert("t", "k, b", String.valueOf(round)))));
    assertThat(
            server.rows("race", "SELECT count(*), min(a), max(a), min(b), max(b), min(c) FROM t"))
        .containsExactly(KEYS + "|" + ROUNDS + "|" + ROUNDS + "|" + ROUNDS + "|" + ROUNDS + "|7");
  }

  @Test
  void wholeRowsRacingPartialUpdatesKeepTheirOtherColumns() throws Exception {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(insert("s", "k, a, b, ver", "0, 0, 1"));
    }
    // Whole rows raise b and the sequence value; the partial update of a does not give ver, so
    // it takes the stored one and wins the tie. Whichever commits last, b and ver must be the
    // whole rows' last values.
    runTogether(
        List.of(
            session(true, round -> insert("s", "k, a", String.valueOf(round))),
            session(
                false, round -> insert("s", "k, a, b, ver", "0, " + round + ", " + (round + 1)))));
    assertThat(server.rows("race", "SELECT count(*), min(b), max(b), min(ver), max(ver) FROM s"))
        .containsExactly(
            KEYS + "|" + ROUNDS + "|" + ROUNDS + "|" + (ROUNDS + 1) + "|" + (ROUNDS + 1));
  }
}
