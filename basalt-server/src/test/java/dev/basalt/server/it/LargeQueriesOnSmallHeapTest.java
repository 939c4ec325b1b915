package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's "done when" queries at the sizes it states, on a server run as a child process with
 * the 512 MiB heap of {@code BASALT_HEAP=512m} and default session settings: a cross join of two
 * 100k-row tables, {@code ORDER BY ... LIMIT 10} over 10M rows and a GROUP BY with 10M groups. Each
 * finishes (the aggregation by spilling) or fails alone with a clear error, while another
 * connection keeps getting answers during each of them. ({@link MemoryExhaustionTest} runs more
 * shapes, scaled down to a smaller heap.)
 *
 * <p>The rows are generated inside the server (INSERT ... SELECT over a cross join of a 10,000-row
 * table with itself) rather than sent, which keeps the set-up to seconds.
 */
class LargeQueriesOnSmallHeapTest {
  private static final String HEAP = "512m";
  private static final int NUMBERS = 10_000;
  private static final long CROSS_JOIN_SIDE = 100_000;
  private static final long BIG_ROWS = 10_000_000;

  /** The cross join would stream 10^10 rows (hours); this stops it. */
  private static final int CROSS_JOIN_TIMEOUT_SECONDS = 10;

  @TempDir static Path directory;

  private static ServerProcess server;

  @BeforeAll
  static void start() throws Exception {
    // C2 as well as C1 (ServerProcess's default is C1 only): this child runs for minutes. Its
    // start may take long on a loaded machine.
    server =
        ServerProcess.start(
            directory.resolve("data"),
            directory.resolve("server.log"),
            HEAP,
            List.of(),
            List.of("-XX:TieredStopAtLevel=4"),
            Duration.ofMinutes(5));
    try (Connection connection = server.connect();
        Statement statement = connection.createStatement()) {
      connection.setNetworkTimeout(Runnable::run, (int) TimeUnit.MINUTES.toMillis(10));
      statement.execute("CREATE DATABASE big");
      statement.execute(
          "CREATE TABLE big.numbers (a INT, b INT) DUPLICATE KEY(a)"
              + " DISTRIBUTED BY HASH(a) BUCKETS 2");
      StringBuilder values = new StringBuilder("INSERT INTO big.numbers VALUES ");
      for (int i = 0; i < NUMBERS; i++) {
        values.append(i == 0 ? "" : ", ").append('(').append(i).append(", ").append(i % 7);
        values.append(')');
      }
      statement.execute(values.toString());
      // k = x * 10000 + y is unique; g = y % 7.
      statement.execute(
          "CREATE TABLE big.side (k BIGINT, g INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k)"
              + " BUCKETS 2");
      statement.execute(
          "INSERT INTO big.side SELECT x.a * 10000 + y.a, y.b FROM big.numbers x, big.numbers y"
              + " WHERE x.a < "
              + CROSS_JOIN_SIDE / NUMBERS);
      statement.execute(
          "CREATE TABLE big.rows10m (k BIGINT, g INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k)"
              + " BUCKETS 4");
      statement.execute(
          "INSERT INTO big.rows10m SELECT x.a * 10000 + y.a, y.b FROM big.numbers x,"
              + " big.numbers y WHERE x.a < "
              + BIG_ROWS / NUMBERS);
      assertThat(count(statement, "SELECT COUNT(*) FROM big.side")).isEqualTo(CROSS_JOIN_SIDE);
      assertThat(count(statement, "SELECT COUNT(*) FROM big.rows10m")).isEqualTo(BIG_ROWS);
    }
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (server != null) {
      server.kill();
    }
  }

  @Test
  void issueSizedQueriesFinishOrFailAloneWhileAnotherSessionKeepsAnswering() throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger answers = new AtomicInteger();
    CompletableFuture<Void> other =
        CompletableFuture.runAsync(
            () -> {
              try (Connection connection = server.connect();
                  Statement statement = connection.createStatement()) {
                while (!done.get()) {
                  assertThat(count(statement, "SELECT COUNT(*) FROM big.numbers"))
                      .isEqualTo(NUMBERS);
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
      // The aggregation reads all 10M rows before its first group goes out: on a loaded machine
      // that is longer than the tests' usual 60 s socket timeout.
      connection.setNetworkTimeout(Runnable::run, (int) TimeUnit.MINUTES.toMillis(10));
      // The cross join streams: the server holds the 100k build rows and one batch, never the
      // result. 10^10 rows take hours to send, so query_timeout stops it with a clear error.
      int before = answers.get();
      statement.execute("SET query_timeout = " + CROSS_JOIN_TIMEOUT_SECONDS);
      long streamed = 0;
      SQLException stopped = null;
      try (Statement streaming =
          connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
        streaming.setFetchSize(Integer.MIN_VALUE);
        try (ResultSet rows =
            streaming.executeQuery("SELECT x.k, x.g, y.k, y.g FROM big.side x, big.side y")) {
          while (rows.next()) {
            streamed++;
          }
        }
      } catch (SQLException timeout) {
        stopped = timeout;
      }
      assertThat((Object) stopped).as("the cross join ends at query_timeout").isNotNull();
      assertThat(stopped.getErrorCode()).isEqualTo(3024);
      assertThat(stopped.getMessage()).contains("query_timeout = " + CROSS_JOIN_TIMEOUT_SECONDS);
      assertThat(streamed).as("rows streamed before the timeout").isGreaterThan(CROSS_JOIN_SIDE);
      assertThat(answers.get()).as("answers during the cross join").isGreaterThan(before);
      statement.execute("SET query_timeout = DEFAULT");

      // ORDER BY ... LIMIT 10 over 10M rows keeps ten rows (TopN); the order is not the table's
      // sort key, so every row is compared.
      List<String> top = new ArrayList<>();
      try (ResultSet rows =
          statement.executeQuery("SELECT k, g FROM big.rows10m ORDER BY g DESC, k LIMIT 10")) {
        while (rows.next()) {
          top.add(rows.getLong(1) + "/" + rows.getInt(2));
        }
      }
      assertThat(top)
          .containsExactly(
              "6/6", "13/6", "20/6", "27/6", "34/6", "41/6", "48/6", "55/6", "62/6", "69/6");

      // 10M groups do not fit the query's share of a 512 MiB heap: the aggregation spills hash
      // partitions to the data directory and every group streams out, once, with its one row.
      before = answers.get();
      SpillWatch watch = SpillWatch.start(directory.resolve("data").resolve("spill"));
      BitSet seen = new BitSet((int) BIG_ROWS);
      long groups = 0;
      try (Statement streaming =
          connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
        streaming.setFetchSize(Integer.MIN_VALUE);
        try (ResultSet rows =
            streaming.executeQuery("SELECT k, COUNT(*), MAX(g) FROM big.rows10m GROUP BY k")) {
          while (rows.next()) {
            // Plain checks: an AssertJ chain per row would cost more than the query.
            int key = (int) rows.getLong(1);
            long rowsOfGroup = rows.getLong(2);
            int maxG = rows.getInt(3);
            if (seen.get(key) || rowsOfGroup != 1 || maxG != key % NUMBERS % 7) {
              throw new AssertionError(
                  "group "
                      + key
                      + ": COUNT "
                      + rowsOfGroup
                      + ", MAX(g) "
                      + maxG
                      + ", repeated "
                      + seen.get(key));
            }
            seen.set(key);
            groups++;
          }
        }
      } finally {
        watch.stop();
      }
      assertThat(groups).isEqualTo(BIG_ROWS);
      assertThat(watch.sawFiles()).as("the aggregation spilled").isTrue();
      assertThat(spillFiles()).as("spill files are deleted when the query ends").isEmpty();
      assertThat(answers.get()).as("answers during the GROUP BY").isGreaterThan(before);

      // The session that ran them goes on.
      assertThat(count(statement, "SELECT COUNT(*) FROM big.rows10m")).isEqualTo(BIG_ROWS);
    } finally {
      done.set(true);
    }
    other.get(60, TimeUnit.SECONDS);
    assertThat(server.isAlive()).isTrue();
  }

  private static long count(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).isTrue();
      return rows.getLong(1);
    }
  }

  private static List<Path> spillFiles() throws java.io.IOException {
    Path spill = directory.resolve("data").resolve("spill");
    if (!Files.isDirectory(spill)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(spill)) {
      return files.toList();
    }
  }

  /** Polls a spill directory on a thread of its own and remembers whether it ever held a file. */
  private static final class SpillWatch {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean sawFiles = new AtomicBoolean();
    private final Thread thread;

    private SpillWatch(Path spill) {
      thread =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    while (running.get() && !sawFiles.get()) {
                      try (Stream<Path> files = Files.list(spill)) {
                        if (files.findAny().isPresent()) {
                          sawFiles.set(true);
                        }
                      } catch (java.io.IOException notYetCreated) {
                        // The directory appears with the first spill.
                      }
                      try {
                        Thread.sleep(20);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
    }

    static SpillWatch start(Path spill) {
      return new SpillWatch(spill);
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join();
    }

    boolean sawFiles() {
      return sawFiles.get();
    }
  }
}
