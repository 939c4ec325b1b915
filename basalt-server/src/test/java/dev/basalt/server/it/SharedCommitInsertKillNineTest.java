package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every row of an INSERT that shares a commit (outside group commit, docs/stream-load.md) survives
 * {@code kill -9} of the server (a child process) exactly once once the INSERT was acknowledged,
 * although it was acknowledged before its commit. Several sessions send JDBC batches (rewritten and
 * one INSERT per row) into two DUPLICATE KEY tables: one whose groups never reach their interval,
 * so that all its rows come back from the write-ahead logs, and one that commits every 30 ms and is
 * read now and then, so that the kill falls among groups committed, committing and open. A second,
 * clean restart must not replay anything again.
 */
class SharedCommitInsertKillNineTest {
  private static final int SESSIONS = 4;
  private static final int BATCHES_PER_SESSION = 12;
  private static final int ROWS_PER_BATCH = 25;

  @TempDir Path temporaryDirectory;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void acknowledgedInsertsSurviveKillNineExactlyOnce() throws Exception {
    Path data = temporaryDirectory.resolve("data");
    ServerProcess first = ServerProcess.start(data, temporaryDirectory.resolve("first.log"));
    AtomicLong slowRows = new AtomicLong();
    AtomicLong fastRows = new AtomicLong();
    try {
      try (Connection connection = first.connect();
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE crash");
        for (String[] table : new String[][] {{"slow", "600000"}, {"fast", "30"}}) {
          statement.execute(
              "CREATE TABLE crash."
                  + table[0]
                  + " (k BIGINT, v VARCHAR(16), d DECIMAL(10, 2)) DUPLICATE KEY(k)"
                  + " DISTRIBUTED BY HASH(k) BUCKETS 2 PROPERTIES (\"group_commit_interval_ms\" ="
                  + " \""
                  + table[1]
                  + "\")");
        }
      }
      ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int s = 0; s < SESSIONS; s++) {
          int session = s;
          done.add(
              pool.submit(
                  () -> {
                    try (Connection connection =
                        DriverManager.getConnection(
                            TestServer.mysqlUrl(
                                first.queryPort(),
                                "crash",
                                SharedCommitInsertTest.SHARED_COMMIT
                                    + (session % 2 == 0 ? "&rewriteBatchedStatements=true" : "")),
                            "root",
                            "")) {
                      for (int batch = 0; batch < BATCHES_PER_SESSION; batch++) {
                        String table = batch % 2 == 0 ? "slow" : "fast";
                        long firstKey =
                            (session * BATCHES_PER_SESSION + batch) * (long) ROWS_PER_BATCH;
                        insertBatch(connection, table, firstKey);
                        (table.equals("slow") ? slowRows : fastRows).addAndGet(ROWS_PER_BATCH);
                        if (batch % 4 == 3) {
                          try (Statement read = connection.createStatement();
                              ResultSet count =
                                  read.executeQuery("SELECT count(*) FROM fast WHERE k >= 0")) {
                            count.next();
                          }
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
    } finally {
      first.kill();
    }
    ServerProcess second = ServerProcess.start(data, temporaryDirectory.resolve("second.log"));
    try {
      assertExactlyOnce(second, "slow", slowRows.get());
      assertExactlyOnce(second, "fast", fastRows.get());
    } finally {
      second.terminate();
    }
    ServerProcess third = ServerProcess.start(data, temporaryDirectory.resolve("third.log"));
    try {
      assertExactlyOnce(third, "slow", slowRows.get());
      assertExactlyOnce(third, "fast", fastRows.get());
    } finally {
      third.terminate();
    }
  }

  private static void insertBatch(Connection connection, String table, long firstKey)
      throws Exception {
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?)")) {
      for (long k = firstKey; k < firstKey + ROWS_PER_BATCH; k++) {
        insert.setLong(1, k);
        insert.setString(2, "v" + k);
        insert.setBigDecimal(3, java.math.BigDecimal.valueOf(k % 1000, 2));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private static void assertExactlyOnce(ServerProcess server, String table, long rows)
      throws Exception {
    try (Connection connection = server.connect();
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT count(*), count(DISTINCT k), count(v), count(d) FROM crash." + table)) {
      result.next();
      assertThat(result.getLong(1)).as("rows of %s", table).isEqualTo(rows);
      assertThat(result.getLong(2)).as("distinct keys of %s", table).isEqualTo(rows);
      assertThat(result.getLong(3)).isEqualTo(rows);
      assertThat(result.getLong(4)).isEqualTo(rows);
    }
  }
}
