package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queries far larger than the heap, on a server run as a child process with a small heap (and
 * without -XX:+ExitOnOutOfMemoryError): each either finishes — streaming its result, spilling, or
 * keeping only what it returns — or fails alone with [MEM_LIMIT_EXCEEDED], while another connection
 * keeps getting answers throughout. These are issue 14's "done when" queries (a cross join, ORDER
 * BY ... LIMIT 10 over many rows, a GROUP BY with a group per row) at a size scaled to the heap.
 */
class MemoryExhaustionTest {
  private static final String HEAP = "160m";
  private static final int WIDE_ROWS = 1500;
  private static final int BIG_ROWS = 1_000_000;

  @TempDir static Path directory;

  private static ServerProcess server;

  @BeforeAll
  static void start() throws Exception {
    server = ServerProcess.start(directory.resolve("data"), directory.resolve("server.log"), HEAP);
    try (Connection connection = server.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE mem");
      statement.execute(
          "CREATE TABLE mem.t (a INT, b INT) DUPLICATE KEY(a) DISTRIBUTED BY HASH(a) BUCKETS 2");
      StringBuilder values = new StringBuilder("INSERT INTO mem.t VALUES ");
      for (int i = 0; i < 2000; i++) {
        values.append(i == 0 ? "" : ", ").append('(').append(i).append(", ").append(i % 7);
        values.append(')');
      }
      statement.execute(values.toString());
      statement.execute(
          "CREATE TABLE mem.wide (k INT, pad VARCHAR(80)) DUPLICATE KEY(k)"
              + " DISTRIBUTED BY HASH(k) BUCKETS 2");
      statement.execute(
          "INSERT INTO mem.wide SELECT a, CONCAT('padding to make every joined row wide: ', a)"
              + " FROM mem.t WHERE a < "
              + WIDE_ROWS);
      statement.execute(
          "CREATE TABLE mem.big (k BIGINT, g INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k)"
              + " BUCKETS 4");
      statement.execute(
          "INSERT INTO mem.big SELECT x.a * 1000 + y.a, y.b FROM mem.t x, mem.t y"
              + " WHERE x.a < 1000 AND y.a < 1000");
    }
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (server != null) {
      server.kill();
    }
  }

  @Test
  void queriesLargerThanTheHeapFinishOrFailAloneWhileAnotherSessionKeepsAnswering()
      throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger answers = new AtomicInteger();
    CompletableFuture<Void> other =
        CompletableFuture.runAsync(
            () -> {
              try (Connection connection = server.connect();
                  Statement statement = connection.createStatement()) {
                while (!done.get()) {
                  try (ResultSet rows =
                      statement.executeQuery("SELECT COUNT(*), SUM(b) FROM mem.t")) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getLong(1)).isEqualTo(2000);
                  }
                  answers.incrementAndGet();
                  Thread.sleep(50);
                }
              } catch (SQLException | InterruptedException e) {
                throw new RuntimeException(e);
              }
            },
            QueryCancellationTest.OWN_THREAD);
    try (Connection connection = server.connect();
        Statement statement = connection.createStatement()) {
      // A cross join streams to the client: 2.25M wide rows, several times the heap, finish.
      assertThat(
              streamedRowCount(
                  connection, "SELECT x.k, x.pad, y.k, y.pad FROM mem.wide x, mem.wide y"))
          .isEqualTo((long) WIDE_ROWS * WIDE_ROWS);

      // Sorted, 900k wide rows are several times the query memory: the sort spills sorted runs to
      // the data directory and merges them.
      String previousPad = null;
      int previousKey = 0;
      long sortedRows = 0;
      try (Statement streaming =
          connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
        streaming.setFetchSize(Integer.MIN_VALUE);
        try (ResultSet sorted =
            streaming.executeQuery(
                "SELECT x.pad, y.k, y.pad FROM mem.wide x, mem.wide y WHERE x.k < 600"
                    + " ORDER BY x.pad DESC, y.k")) {
          while (sorted.next()) {
            String pad = sorted.getString(1);
            int key = sorted.getInt(2);
            if (previousPad != null) {
              int order = pad.compareTo(previousPad);
              assertThat(order < 0 || (order == 0 && key >= previousKey))
                  .as(
                      "row %d (%s, %d) after (%s, %d)",
                      sortedRows, pad, key, previousPad, previousKey)
                  .isTrue();
            }
            previousPad = pad;
            previousKey = key;
            sortedRows++;
          }
        }
      }
      assertThat(sortedRows).isEqualTo(600L * WIDE_ROWS);
      assertThat(spillFiles()).as("spill files are deleted when the query ends").isEmpty();

      // ORDER BY ... LIMIT keeps only the rows it returns.
      List<Long> top = new ArrayList<>();
      try (ResultSet rows =
          statement.executeQuery("SELECT k FROM mem.big ORDER BY k DESC LIMIT 10")) {
        while (rows.next()) {
          top.add(rows.getLong(1));
        }
      }
      assertThat(top)
          .containsExactly(
              999_999L, 999_998L, 999_997L, 999_996L, 999_995L, 999_994L, 999_993L, 999_992L,
              999_991L, 999_990L);

      // A group per row under a 20 MB limit: the aggregation spills hash partitions and every
      // group streams out; the spill files are gone afterwards.
      statement.execute("SET exec_mem_limit = 20000000");
      assertThat(streamedRowCount(connection, "SELECT k, COUNT(*), MAX(g) FROM mem.big GROUP BY k"))
          .isEqualTo(BIG_ROWS);
      assertThat(spillFiles()).isEmpty();
      statement.execute("SET exec_mem_limit = DEFAULT");

      // Far beyond any heap and its spill limit (10 times exec_mem_limit): 8e9 rows to sort.
      statement.execute("SET exec_mem_limit = 20000000");
      assertThatThrownBy(
              () ->
                  statement
                      .executeQuery(
                          "SELECT x.a, y.a, z.a FROM mem.t x, mem.t y, mem.t z ORDER BY x.a")
                      .close())
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("MEM_LIMIT_EXCEEDED")
          .hasMessageContaining("even spilling to disk");
      assertThat(spillFiles()).isEmpty();
      statement.execute("SET exec_mem_limit = DEFAULT");

      // The failing session goes on.
      try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM mem.big")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getLong(1)).isEqualTo(BIG_ROWS);
      }
    } finally {
      done.set(true);
    }
    other.get(60, TimeUnit.SECONDS);
    assertThat(answers.get()).isPositive();
  }

  private static List<Path> spillFiles() throws java.io.IOException {
    Path spill = directory.resolve("data").resolve("spill");
    if (!java.nio.file.Files.isDirectory(spill)) {
      return List.of();
    }
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(spill)) {
      return files.toList();
    }
  }

  /** Reads a result row by row without the driver buffering it (Connector/J's streaming mode). */
  private static long streamedRowCount(Connection connection, String sql) throws SQLException {
    try (Statement statement =
        connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
      statement.setFetchSize(Integer.MIN_VALUE);
      long count = 0;
      try (ResultSet rows = statement.executeQuery(sql)) {
        while (rows.next()) {
          count++;
        }
      }
      return count;
    }
  }
}
