package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Seeded random upserts, DELETEs and UPDATEs on a merge-on-write UNIQUE KEY table, compared with a
 * {@link TreeMap} after every step and after restarts. A small load buffer makes loads write
 * several segments per tablet, so keys repeated within one load cross segments of the same rowset.
 */
class UniqueMergeOnWriteRandomTest {
  private static final long SEED = 20261206L;
  private static final int STEPS = 40;
  private static final int KEY_RANGE = 300;

  @Test
  void matchesReferenceModel() throws SQLException {
    Random random = new Random(SEED);
    TreeMap<Integer, String> reference = new TreeMap<>();
    try (TestServer server = TestServer.start(16 * 1024)) {
      try (Connection connection = connect(server)) {
        execute(connection, "CREATE DATABASE mow_random");
        execute(
            connection,
            "CREATE TABLE mow_random.t (k INT NOT NULL, s VARCHAR(40), n BIGINT)"
                + " UNIQUE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 3");
      }
      for (int step = 0; step < STEPS; step++) {
        try (Connection connection = connect(server)) {
          String statement = randomStatement(random, reference, step);
          execute(connection, statement);
          check(connection, reference, "seed " + SEED + ", step " + step + ": " + statement);
        }
        if (step % 15 == 14) {
          server.restart();
          try (Connection connection = connect(server)) {
            check(connection, reference, "seed " + SEED + ", after restart at step " + step);
          }
        }
      }
    }
  }

  /**
   * Loads from several connections at once into one table with overlapping keys: whatever order the
   * commits take, every key is live exactly once and holds the value of one of its writes.
   */
  @Test
  void concurrentLoadsKeepOneRowPerKey() throws Exception {
    int threads = 4;
    int statements = 15;
    try (TestServer server = TestServer.start()) {
      try (Connection connection = connect(server)) {
        execute(connection, "CREATE DATABASE mow_concurrent");
        execute(
            connection,
            "CREATE TABLE mow_concurrent.t (k INT NOT NULL, writer INT, n INT)"
                + " UNIQUE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2");
      }
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(threads);
      List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
      for (int writer = 0; writer < threads; writer++) {
        int id = writer;
        futures.add(
            pool.submit(
                () -> {
                  Random random = new Random(SEED + id);
                  try (Connection connection = connect(server)) {
                    for (int statement = 0; statement < statements; statement++) {
                      StringBuilder sql = new StringBuilder("INSERT INTO mow_concurrent.t VALUES ");
                      for (int row = 0; row < 50; row++) {
                        sql.append(row == 0 ? "" : ", ").append('(');
                        sql.append(random.nextInt(200)).append(", ").append(id).append(", ");
                        sql.append(statement).append(')');
                      }
                      execute(connection, sql.toString());
                    }
                  }
                  return null;
                }));
      }
      for (java.util.concurrent.Future<?> future : futures) {
        future.get(5, java.util.concurrent.TimeUnit.MINUTES);
      }
      pool.shutdown();
      java.util.Set<Integer> written = new java.util.TreeSet<>();
      for (int writer = 0; writer < threads; writer++) {
        Random random = new Random(SEED + writer);
        for (int i = 0; i < statements * 50; i++) {
          written.add(random.nextInt(200));
        }
      }
      try (Connection connection = connect(server);
          Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT k FROM mow_concurrent.t")) {
        List<Integer> keys = new ArrayList<>();
        while (rows.next()) {
          keys.add(rows.getInt(1));
        }
        assertThat(keys).as("seed %d", SEED).doesNotHaveDuplicates();
        assertThat(new java.util.TreeSet<>(keys)).as("seed %d", SEED).isEqualTo(written);
      }
    }
  }

  /** A random statement, applied to {@code reference} as the server must apply it. */
  private static String randomStatement(
      Random random, TreeMap<Integer, String> reference, int step) {
    int kind = random.nextInt(10);
    if (kind < 6 || reference.isEmpty()) {
      int rows = 1 + random.nextInt(kind == 0 ? 2000 : 60);
      StringBuilder sql = new StringBuilder("INSERT INTO mow_random.t VALUES ");
      for (int row = 0; row < rows; row++) {
        int key = random.nextInt(KEY_RANGE);
        String text = "s" + step + "_" + row;
        long number = random.nextInt(1000);
        if (row > 0) {
          sql.append(", ");
        }
        sql.append('(').append(key).append(", '").append(text).append("', ").append(number);
        sql.append(')');
        reference.put(key, text + "|" + number);
      }
      return sql.toString();
    }
    if (kind < 8) {
      int low = random.nextInt(KEY_RANGE);
      int high = low + random.nextInt(40);
      reference.subMap(low, true, high, true).clear();
      return "DELETE FROM mow_random.t WHERE k BETWEEN " + low + " AND " + high;
    }
    int modulus = 2 + random.nextInt(5);
    int remainder = random.nextInt(modulus);
    for (Map.Entry<Integer, String> entry : reference.entrySet()) {
      if (entry.getKey() % modulus == remainder) {
        String[] parts = entry.getValue().split("\\|");
        entry.setValue(parts[0] + "|" + (Long.parseLong(parts[1]) + 7));
      }
    }
    return "UPDATE mow_random.t SET n = n + 7 WHERE k % " + modulus + " = " + remainder;
  }

  private static void check(
      Connection connection, TreeMap<Integer, String> reference, String context)
      throws SQLException {
    List<String> expected = new ArrayList<>();
    reference.forEach((key, value) -> expected.add(key + "|" + value));
    List<String> actual = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT k, s, n FROM mow_random.t ORDER BY k")) {
      while (rows.next()) {
        actual.add(rows.getInt(1) + "|" + rows.getString(2) + "|" + rows.getLong(3));
      }
    }
    assertThat(actual).as(context).containsExactlyElementsOf(expected);
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM mow_random.t")) {
      rows.next();
      assertThat(rows.getLong(1)).as(context + " (count)").isEqualTo(reference.size());
    }
  }

  private static Connection connect(TestServer server) throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl("", ""), TestServer.ROOT_USER, "");
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
