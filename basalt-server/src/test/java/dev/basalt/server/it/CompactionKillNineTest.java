package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction is crash safe: a child server compacts after every second rowset (so a compaction is
 * almost always running) and collects garbage without a grace period, takes bursts of small
 * acknowledged loads into a DUPLICATE, an AGGREGATE and a merge-on-write UNIQUE table (with
 * DELETEs), and is killed with SIGKILL right after the last acknowledgement of each burst. Every
 * restart must show exactly the acknowledged data (a compaction cut short leaves either its inputs
 * or its committed output, never both or neither).
 */
class CompactionKillNineTest {
  private static final long SEED = 20261208L;
  private static final int CYCLES = 2;
  private static final int LOADS_PER_CYCLE = 15;
  private static final List<String> AGGRESSIVE =
      List.of(
          "--compaction-threads",
          "1",
          "--cumulative-compaction-min-rowsets",
          "2",
          "--gc-grace-seconds",
          "0");

  @TempDir Path temporaryDirectory;

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void killedCompactionsLoseNothing() throws Exception {
    Path dataDirectory = temporaryDirectory.resolve("data");
    Random random = new Random(SEED);
    long events = 0;
    TreeMap<Integer, Long> sums = new TreeMap<>();
    TreeMap<Integer, String> latest = new TreeMap<>();
    for (int cycle = 0; cycle <= CYCLES; cycle++) {
      ServerProcess server =
          ServerProcess.start(
              dataDirectory,
              temporaryDirectory.resolve("server-" + cycle + ".log"),
              "512m",
              AGGRESSIVE);
      try (Connection connection = server.connect()) {
        if (cycle == 0) {
          execute(connection, "CREATE DATABASE crash");
          execute(
              connection,
              "CREATE TABLE crash.events (id BIGINT, v INT) DUPLICATE KEY(id)"
                  + " DISTRIBUTED BY HASH(id) BUCKETS 1");
          execute(
              connection,
              "CREATE TABLE crash.sums (k INT, total BIGINT SUM) AGGREGATE KEY(k)"
                  + " DISTRIBUTED BY HASH(k) BUCKETS 1");
          execute(
              connection,
              "CREATE TABLE crash.latest (k INT NOT NULL, v VARCHAR(20)) UNIQUE KEY(k)"
                  + " DISTRIBUTED BY HASH(k) BUCKETS 1");
        } else {
          String context = "seed " + SEED + ", after kill -9 in cycle " + (cycle - 1);
          assertThat(count(connection, "SELECT count(*) FROM crash.events"))
              .as(context)
              .isEqualTo(events);
          assertThat(count(connection, "SELECT count(DISTINCT id) FROM crash.events"))
              .as(context)
              .isEqualTo(events);
          assertThat(sums(connection)).as(context).isEqualTo(sums);
          assertThat(latest(connection)).as(context).isEqualTo(latest);
        }
        if (cycle == CYCLES) {
          break;
        }
        for (int load = 0; load < LOADS_PER_CYCLE; load++) {
          execute(connection, "INSERT INTO crash.events VALUES (" + events + ", " + load + ")");
          events++;
          int key = random.nextInt(20);
          long amount = random.nextInt(100);
          execute(connection, "INSERT INTO crash.sums VALUES (" + key + ", " + amount + ")");
          sums.merge(key, amount, Long::sum);
          String value = "c" + cycle + "_" + load;
          execute(connection, "INSERT INTO crash.latest VALUES (" + key + ", '" + value + "')");
          latest.put(key, value);
          if (random.nextInt(6) == 0) {
            int deleted = random.nextInt(20);
            execute(connection, "DELETE FROM crash.latest WHERE k = " + deleted);
            latest.remove(deleted);
          }
        }
      } finally {
        server.kill();
      }
    }
  }

  private static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static TreeMap<Integer, Long> sums(Connection connection) throws SQLException {
    TreeMap<Integer, Long> rows = new TreeMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT k, total FROM crash.sums")) {
      while (result.next()) {
        assertThat(rows.put(result.getInt(1), result.getLong(2))).isNull();
      }
    }
    return rows;
  }

  private static TreeMap<Integer, String> latest(Connection connection) throws SQLException {
    TreeMap<Integer, String> rows = new TreeMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT k, v FROM crash.latest")) {
      while (result.next()) {
        assertThat(rows.put(result.getInt(1), result.getString(2))).isNull();
      }
    }
    return rows;
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
