package dev.basalt.server.it;

import static dev.basalt.server.it.StreamLoadClient.headers;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
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
 * Every row acknowledged by an async-mode group-commit load survives {@code kill -9} of the server
 * (a child process) exactly once. One table's groups never reach their interval before the kill, so
 * all its rows come back from the write-ahead logs; the other's commit every 50 ms while loads
 * arrive, so the kill falls among groups committed, committing and open. A second, clean restart
 * must not replay anything again.
 */
class GroupCommitKillNineTest {
  private static final int CLIENTS = 12;
  private static final int LOADS_PER_CLIENT = 10;
  private static final int ROWS_PER_LOAD = 10;

  @TempDir Path temporaryDirectory;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void acknowledgedAsyncRowsSurviveKillNineExactlyOnce() throws Exception {
    Path data = temporaryDirectory.resolve("data");
    ServerProcess first = ServerProcess.start(data, temporaryDirectory.resolve("first.log"));
    AtomicLong slowRows = new AtomicLong();
    AtomicLong fastRows = new AtomicLong();
    try {
      try (Connection connection = first.connect();
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE crash");
        for (String[] table : new String[][] {{"slow", "600000"}, {"fast", "50"}}) {
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
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 2);
      try (StreamLoadClient client = new StreamLoadClient(first.httpPort())) {
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
          int clientIndex = c;
          done.add(
              pool.submit(
                  () -> {
                    for (int load = 0; load < LOADS_PER_CLIENT; load++) {
                      long first1 = (clientIndex * LOADS_PER_CLIENT + load) * (long) ROWS_PER_LOAD;
                      String table = load % 2 == 0 ? "slow" : "fast";
                      JsonNode answer =
                          client.load(
                              "crash",
                              table,
                              headers("column_separator", ",", "group_commit", "async_mode"),
                              csv(first1, ROWS_PER_LOAD));
                      assertThat(answer.get("Status").asText())
                          .as(answer.toString())
                          .isEqualTo("Success");
                      (table.equals("slow") ? slowRows : fastRows).addAndGet(ROWS_PER_LOAD);
                    }
                    return null;
                  }));
        }
        // Async INSERTs over MySQL too, prepared on the server.
        for (int c = 0; c < 2; c++) {
          int clientIndex = c;
          done.add(
              pool.submit(
                  () -> {
                    try (Connection connection =
                            java.sql.DriverManager.getConnection(
                                TestServer.mysqlUrl(
                                    first.queryPort(), "crash", "useServerPrepStmts=true"),
                                "root",
                                "");
                        Statement statement = connection.createStatement();
                        PreparedStatement insert =
                            connection.prepareStatement("INSERT INTO slow VALUES (?, ?, ?)")) {
                      statement.execute("SET group_commit = async_mode");
                      for (int i = 0; i < 20; i++) {
                        long key = 1_000_000 + clientIndex * 1000 + i;
                        insert.setLong(1, key);
                        insert.setString(2, "i" + key);
                        insert.setBigDecimal(3, new java.math.BigDecimal("1.25"));
                        assertThat(insert.executeUpdate()).isEqualTo(1);
                        slowRows.incrementAndGet();
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

  private static String csv(long firstKey, int rows) {
    StringBuilder body = new StringBuilder();
    for (long k = firstKey; k < firstKey + rows; k++) {
      body.append(k).append(",v").append(k).append(',').append(k % 100).append(".5\n");
    }
    return body.toString();
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
