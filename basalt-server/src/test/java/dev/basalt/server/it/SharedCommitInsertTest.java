package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * INSERT ... VALUES into a DUPLICATE KEY table outside group commit share one memtable, log and
 * commit (docs/stream-load.md, "INSERTs sharing a commit"), through Connector/J batches with and
 * without {@code rewriteBatchedStatements}: consecutive statements become one version, yet every
 * read that begins after a statement's answer sees its rows, in its own session and in others; a
 * statement with a bad row fails with MySQL's error and loads nothing; explicit transactions stay
 * atomic. The tables' {@code group_commit_interval_ms} is ten minutes, so only reads (and the
 * group's size) commit. Kill -9 is {@link SharedCommitInsertKillNineTest}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SharedCommitInsertTest {
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    server.execute("CREATE DATABASE shared");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Connector/J sets the variable that lets INSERTs share a commit on every connection. */
  static final String SHARED_COMMIT = "sessionVariables=enable_insert_shared_commit=1";

  private static Connection connect(boolean rewriteBatches) throws SQLException {
    return DriverManager.getConnection(
        server.mysqlUrl(
            "shared", SHARED_COMMIT + (rewriteBatches ? "&rewriteBatchedStatements=true" : "")),
        "root",
        "");
  }

  private static void createTable(String name) throws SQLException {
    server.execute(
        "CREATE TABLE shared."
            + name
            + " (k BIGINT NOT NULL, v VARCHAR(8), d DECIMAL(10, 2)) DUPLICATE KEY(k)"
            + " DISTRIBUTED BY HASH(k) BUCKETS 3"
            + " PROPERTIES (\"group_commit_interval_ms\" = \"600000\")");
  }

  /** Sends rows [first, first + count) as one JDBC batch of a prepared INSERT. */
  private static void insertBatch(Connection connection, String table, long first, int count)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO " + table + " (k, v, d) VALUES (?, ?, ?)")) {
      for (long k = first; k < first + count; k++) {
        insert.setLong(1, k);
        insert.setString(2, "v" + (k % 1000));
        insert.setBigDecimal(3, java.math.BigDecimal.valueOf(k % 100, 1));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }

  private static long visibleVersion(String table) throws SQLException {
    try (Connection connection = connect(false);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SHOW PARTITIONS FROM " + table)) {
      result.next();
      return result.getLong("VisibleVersion");
    }
  }

  @Test
  void consecutiveStatementsShareOneCommitAndEveryReadSeesThem() throws Exception {
    createTable("consecutive");
    try (Connection connection = connect(true)) {
      long before = visibleVersion("consecutive");
      for (int batch = 0; batch < 5; batch++) {
        insertBatch(connection, "consecutive", batch * 100L, 100);
      }
      // Five statements, no read between them: one group, so one new version.
      assertThat(count(connection, "SELECT count(*) FROM consecutive")).isEqualTo(500);
      assertThat(visibleVersion("consecutive")).isEqualTo(before + 1);
      // Read-your-writes: each statement's rows at once, in this session and in another.
      try (Connection other = connect(false)) {
        for (int batch = 5; batch < 8; batch++) {
          insertBatch(connection, "consecutive", batch * 100L, 100);
          assertThat(count(connection, "SELECT count(*) FROM consecutive WHERE k < 10000"))
              .isEqualTo((batch + 1) * 100L);
          insertBatch(connection, "consecutive", 10_000 + batch * 100L, 100);
          assertThat(count(other, "SELECT count(*) FROM consecutive WHERE k >= 10000"))
              .isEqualTo((batch - 4) * 100L);
        }
      }
      assertThat(
              server.rows(
                  "shared",
                  "SELECT count(DISTINCT k), sum(k), min(v), max(d) FROM consecutive WHERE k < 800"))
          .containsExactly("800|319600|v0|9.90");
    }
  }

  @Test
  void oneRowStatementsOfAPlainBatchShareACommit() throws Exception {
    createTable("plain");
    try (Connection connection = connect(false)) {
      long before = visibleVersion("plain");
      insertBatch(connection, "plain", 0, 50); // fifty single-row INSERTs
      assertThat(count(connection, "SELECT count(*) FROM plain WHERE v = 'v7'")).isEqualTo(1);
      assertThat(visibleVersion("plain")).isEqualTo(before + 1);
    }
  }

  @Test
  void aStatementWithABadRowFailsWithMysqlsErrorAndLoadsNothing() throws Exception {
    createTable("bad");
    server.execute(
        "CREATE TABLE shared.ranged (k BIGINT, v VARCHAR(8)) DUPLICATE KEY(k)"
            + " PARTITION BY RANGE(k) (PARTITION p0 VALUES LESS THAN (100))"
            + " DISTRIBUTED BY HASH(k) BUCKETS 1");
    try (Connection connection = connect(true);
        Statement statement = connection.createStatement()) {
      insertBatch(connection, "bad", 0, 10);
      // As MariaDB in strict mode: 1406 for a value too long, 1048 for NULL in NOT NULL.
      assertThatThrownBy(
              () ->
                  statement.executeUpdate(
                      "INSERT INTO bad VALUES (10, 'a', 1), (11, 'too long!', 1), (12, 'c', 1)"))
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> {
                assertThat(e.getErrorCode()).isEqualTo(1406);
                assertThat(e.getMessage()).endsWith("Data too long for column 'v' at row 2");
              });
      assertThatThrownBy(
              () -> statement.executeUpdate("INSERT INTO bad VALUES (20, 'a', 1), (NULL, 'b', 2)"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1048));
      // A rewritten batch is one statement: a bad row fails all of it.
      try (PreparedStatement insert =
          connection.prepareStatement("INSERT INTO bad (k, v, d) VALUES (?, ?, ?)")) {
        for (int k = 30; k < 40; k++) {
          insert.setLong(1, k);
          insert.setString(2, k == 35 ? "far too long" : "ok");
          insert.setBigDecimal(3, java.math.BigDecimal.ONE);
          insert.addBatch();
        }
        assertThatThrownBy(insert::executeBatch)
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1406));
      }
      assertThatThrownBy(
              () -> statement.executeUpdate("INSERT INTO ranged VALUES (1, 'a'), (500, 'b')"))
          .hasMessageContaining("no partition for this tuple: [500] in table ranged");
      insertBatch(connection, "bad", 100, 5);
      assertThat(server.rows("shared", "SELECT count(*), min(k), max(k) FROM bad"))
          .containsExactly("15|0|104");
      assertThat(server.rows("shared", "SELECT count(*) FROM ranged")).containsExactly("0");
    }
  }

  @Test
  void explicitTransactionsStayAtomic() throws Exception {
    createTable("txn");
    try (Connection connection = connect(true);
        Statement statement = connection.createStatement()) {
      insertBatch(connection, "txn", 0, 10);
      statement.execute("BEGIN");
      statement.executeUpdate("INSERT INTO txn VALUES (100, 'a', 1)");
      statement.executeUpdate("INSERT INTO txn VALUES (101, 'b', 1)");
      statement.execute("ROLLBACK");
      statement.execute("BEGIN");
      statement.executeUpdate("INSERT INTO txn VALUES (200, 'a', 1)");
      try (Connection other = connect(false)) {
        assertThat(count(other, "SELECT count(*) FROM txn")).isEqualTo(10);
      }
      statement.execute("COMMIT");
      assertThat(server.rows("shared", "SELECT count(*), max(k) FROM txn"))
          .containsExactly("11|200");
    }
  }

  @Test
  void concurrentSessionsReadTheirOwnRowsAtOnce() throws Exception {
    createTable("concurrent");
    int sessions = 6;
    int batches = 15;
    int rows = 40;
    ExecutorService pool = Executors.newFixedThreadPool(sessions);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int s = 0; s < sessions; s++) {
        int session = s;
        done.add(
            pool.submit(
                () -> {
                  long first = session * 1_000_000L;
                  try (Connection connection = connect(session % 2 == 0)) {
                    for (int batch = 0; batch < batches; batch++) {
                      insertBatch(connection, "concurrent", first + batch * rows, rows);
                      if (batch % 3 == 2) {
                        assertThat(
                                count(
                                    connection,
                                    "SELECT count(*) FROM concurrent WHERE k >= "
                                        + first
                                        + " AND k < "
                                        + (first + 1_000_000)))
                            .isEqualTo((batch + 1L) * rows);
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(server.rows("shared", "SELECT count(*), count(DISTINCT k) FROM concurrent"))
        .containsExactly(sessions * batches * rows + "|" + sessions * batches * rows);
  }

  @Test
  void truncateAndDeleteApplyToAcknowledgedRows() throws Exception {
    createTable("changes");
    try (Connection connection = connect(true);
        Statement statement = connection.createStatement()) {
      insertBatch(connection, "changes", 0, 20);
      statement.executeUpdate("DELETE FROM changes WHERE k < 5");
      insertBatch(connection, "changes", 0, 3);
      assertThat(count(connection, "SELECT count(*) FROM changes")).isEqualTo(18);
      insertBatch(connection, "changes", 100, 20);
      statement.execute("TRUNCATE TABLE changes");
      assertThat(count(connection, "SELECT count(*) FROM changes")).isZero();
    }
  }
}
