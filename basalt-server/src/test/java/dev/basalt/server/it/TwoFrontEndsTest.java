package dev.basalt.server.it;

import static dev.basalt.server.it.StreamLoadClient.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.basalt.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two front ends over one PostgreSQL catalog and one shared segment directory
 * (docs/architecture.md, "Several front ends"), each with its own data directory, started in this
 * process on free ports: DDL on one is seen by the other, loads through both (JDBC and Stream Load)
 * into one table lose nothing, labels are unique across both, a seeded random interleaving of
 * upserts, deletes and compactions on either matches a reference map, and one restarts while the
 * other writes.
 *
 * <p>Each test has its own catalog table, dropped after it. Without PostgreSQL at {@link
 * #POSTGRES_URL} the tests are skipped, saying why; with {@code CI=true} that is a failure.
 */
class TwoFrontEndsTest {
  private static final String POSTGRES_URL =
      "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=3";

  private PostgresCatalogTable catalog;
  private Path sharedStorage;
  private TestServer first;
  private TestServer second;

  @BeforeEach
  void startTwoFrontEnds() throws Exception {
    String unavailable = PostgresCatalogTable.unavailableReason(POSTGRES_URL);
    if (unavailable != null && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError("CI must provide PostgreSQL: " + unavailable);
    }
    assumeTrue(unavailable == null, unavailable);
    catalog = PostgresCatalogTable.create(POSTGRES_URL);
    sharedStorage = Files.createTempDirectory("basalt-shared-storage-");
    UnaryOperator<ServerConfig> shared =
        config -> config.withMetaStore(catalog.location().withSharedStorage(sharedStorage));
    first = TestServer.start(shared);
    second = TestServer.start(shared);
  }

  @AfterEach
  void stop() throws Exception {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
    if (catalog != null) {
      catalog.close();
    }
    if (sharedStorage != null) {
      TestServer.deleteRecursively(sharedStorage);
    }
  }

  @Test
  void eachFrontEndSeesTheOthersDdlAndLoadsAtOnce() throws Exception {
    first.execute("CREATE DATABASE d");
    first.execute(
        "CREATE TABLE d.t (k INT, v VARCHAR(20)) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2");
    second.execute("INSERT INTO d.t VALUES (1, 'second')");
    first.execute("INSERT INTO d.t VALUES (2, 'first')");
    try (StreamLoadClient loads = new StreamLoadClient(second.httpPort())) {
      assertThat(loads.load("d", "t", headers(), "3\tstream\n").get("Status").asText())
          .isEqualTo("Success");
    }
    List<String> expected = List.of("1|second", "2|first", "3|stream");
    assertThat(first.rows("d", "SELECT k, v FROM t ORDER BY k")).isEqualTo(expected);
    assertThat(second.rows("d", "SELECT k, v FROM t ORDER BY k")).isEqualTo(expected);

    second.execute("ALTER TABLE d.t ADD COLUMN w INT DEFAULT '7'");
    assertThat(first.rows("d", "SELECT k, w FROM t ORDER BY k"))
        .containsExactly("1|7", "2|7", "3|7");
    first.execute("CREATE VIEW d.big AS SELECT k FROM d.t WHERE k > 1");
    assertThat(second.rows("d", "SELECT k FROM big ORDER BY k")).containsExactly("2", "3");
    // A server-side prepared statement on a table the other front end has just created and
    // filled: the prepare (COM_STMT_PREPARE) and the execution both see it.
    first.execute("CREATE TABLE d.p (k INT, v INT) UNIQUE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
    first.execute("INSERT INTO d.p VALUES (5, 50)");
    try (Connection connection =
            DriverManager.getConnection(
                second.mysqlUrl("d", "useServerPrepStmts=true"), "root", "");
        java.sql.PreparedStatement lookup =
            connection.prepareStatement("SELECT v FROM p WHERE k = ?")) {
      lookup.setInt(1, 5);
      try (ResultSet rows = lookup.executeQuery()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).isEqualTo(50);
      }
      first.execute("INSERT INTO d.p VALUES (5, 51)");
      try (ResultSet rows = lookup.executeQuery()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).isEqualTo(51);
      }
    }
    first.execute("DROP TABLE d.t");
    assertThatThrownBy(() -> second.rows("d", "SELECT * FROM t"))
        .hasMessageContaining("doesn't exist");
    second.execute("CREATE USER 'ann'@'%' IDENTIFIED BY 'secret'");
    try (Connection connection =
        DriverManager.getConnection(first.mysqlUrl("", ""), "ann", "secret")) {
      assertThat(connection.isValid(5)).isTrue();
    }
  }

  @Test
  void aFrontEndOnAnotherSegmentDirectoryRefusesToStart() {
    // Its own data directory instead of the shared one: it could not read the others' files.
    assertThatThrownBy(() -> TestServer.start(config -> config.withMetaStore(catalog.location())))
        .hasMessageContaining("keeps its segment files in another directory")
        .hasMessageContaining("--shared-storage");
  }

  @Test
  void concurrentLoadsFromBothFrontEndsIntoOneTableLoseNothing() throws Exception {
    first.execute("CREATE DATABASE d");
    first.execute(
        "CREATE TABLE d.dup (k INT, v INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2");
    first.execute(
        "CREATE TABLE d.uni (k INT, v INT) UNIQUE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2");
    int writersPerServer = 2;
    int loadsPerWriter = 25;
    ExecutorService threads = Executors.newFixedThreadPool(2 * writersPerServer);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < 2 * writersPerServer; w++) {
        TestServer server = w % 2 == 0 ? first : second;
        int writer = w;
        writers.add(
            threads.submit(
                () -> {
                  try (Connection connection =
                          DriverManager.getConnection(server.mysqlUrl("d", ""), "root", "");
                      Statement statement = connection.createStatement();
                      StreamLoadClient loads = new StreamLoadClient(server.httpPort())) {
                    for (int i = 0; i < loadsPerWriter; i++) {
                      int row = writer * 1000 + i;
                      if (i % 5 == 4) {
                        assertThat(
                                loads
                                    .load("d", "dup", headers(), row + "\t" + writer + "\n")
                                    .get("Status")
                                    .asText())
                            .isEqualTo("Success");
                      } else {
                        statement.execute("INSERT INTO dup VALUES (" + row + ", " + writer + ")");
                      }
                      // Every writer upserts the same 10 keys: no key may end up twice.
                      statement.execute("INSERT INTO uni VALUES (" + (i % 10) + ", " + row + ")");
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> writer : writers) {
        writer.get();
      }
    } finally {
      threads.shutdownNow();
    }
    int total = 2 * writersPerServer * loadsPerWriter;
    for (TestServer server : List.of(first, second)) {
      assertThat(server.rows("d", "SELECT COUNT(*), COUNT(DISTINCT k) FROM dup"))
          .containsExactly(total + "|" + total);
      assertThat(server.rows("d", "SELECT COUNT(*), COUNT(DISTINCT k) FROM uni"))
          .containsExactly("10|10");
    }
    // Both front ends agree on which upsert won each key.
    assertThat(first.rows("d", "SELECT k, v FROM uni ORDER BY k"))
        .isEqualTo(second.rows("d", "SELECT k, v FROM uni ORDER BY k"));
  }

  @Test
  void concurrentDdlOnBothFrontEndsAllSucceeds() throws Exception {
    first.execute("CREATE DATABASE d");
    int tablesEach = 12;
    // Each commit needs the catalog version it read: the other front end's DDL in between makes
    // it lose the race, and the statement runs again, not fails.
    onBothAtOnce(
        (server, statement) -> {
          String prefix = server == first ? "a" : "b";
          for (int i = 0; i < tablesEach; i++) {
            String table = prefix + i;
            statement.execute(
                "CREATE TABLE "
                    + table
                    + " (k INT, v INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
            statement.execute("ALTER TABLE " + table + " ADD COLUMN w INT DEFAULT '7'");
            statement.execute("INSERT INTO " + table + " (k, v) VALUES (" + i + ", 1)");
            statement.execute(
                "CREATE TABLE IF NOT EXISTS shared (k INT) DISTRIBUTED BY HASH(k) BUCKETS 1");
          }
        });
    for (TestServer server : List.of(first, second)) {
      for (String prefix : List.of("a", "b")) {
        for (int i = 0; i < tablesEach; i++) {
          assertThat(server.rows("d", "SELECT k, w FROM " + prefix + i)).containsExactly(i + "|7");
        }
      }
      assertThat(server.rows("d", "SELECT COUNT(*) FROM shared")).containsExactly("0");
    }
  }

  @Test
  void partialUpdatesOfOtherColumnsFromBothFrontEndsKeepEachOthersValues() throws Exception {
    first.execute("CREATE DATABASE d");
    first.execute(
        "CREATE TABLE d.u (k INT, a INT, b INT) UNIQUE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
    int keys = 5;
    StringBuilder rows = new StringBuilder();
    for (int k = 0; k < keys; k++) {
      rows.append(k == 0 ? "" : ", ").append("(").append(k).append(", 0, 0)");
    }
    first.execute("INSERT INTO d.u VALUES " + rows);
    int rounds = 15;
    // Each front end rewrites its own column of every key; a commit that lost the race must fill
    // the other column from the fresh rows, not from its stale read.
    onBothAtOnce(
        (server, statement) -> {
          String column = server == first ? "a" : "b";
          statement.execute("SET enable_unique_key_partial_update = true");
          for (int round = 1; round <= rounds; round++) {
            StringBuilder values = new StringBuilder();
            for (int k = 0; k < keys; k++) {
              values.append(k == 0 ? "" : ", ");
              values.append("(").append(k).append(", ").append(round).append(")");
            }
            statement.execute("INSERT INTO u (k, " + column + ") VALUES " + values);
          }
        });
    List<String> expected = new ArrayList<>();
    for (int k = 0; k < keys; k++) {
      expected.add(k + "|" + rounds + "|" + rounds);
    }
    for (TestServer server : List.of(first, second)) {
      assertThat(server.rows("d", "SELECT k, a, b FROM u ORDER BY k")).isEqualTo(expected);
    }
  }

  /** Statements one connection to a front end runs ({@link #onBothAtOnce}). */
  @FunctionalInterface
  private interface FrontEndWork {
    void run(TestServer server, Statement statement) throws Exception;
  }

  /** Runs {@code work} on a connection to each front end at the same time, in database d. */
  private void onBothAtOnce(FrontEndWork work) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (TestServer server : List.of(first, second)) {
        workers.add(
            threads.submit(
                () -> {
                  try (Connection connection =
                          DriverManager.getConnection(server.mysqlUrl("d", ""), "root", "");
                      Statement statement = connection.createStatement()) {
                    work.run(server, statement);
                  }
                  return null;
                }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void labelsAreUniqueAcrossBothFrontEnds() throws Exception {
    first.execute("CREATE DATABASE d");
    first.execute(
        "CREATE TABLE d.t (k INT, v INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
    first.execute("INSERT INTO d.t WITH LABEL once VALUES (1, 1)");
    assertThatThrownBy(() -> second.execute("INSERT INTO d.t WITH LABEL once VALUES (2, 2)"))
        .hasMessageContaining("Label [once] has already been used");
    try (StreamLoadClient loads = new StreamLoadClient(second.httpPort())) {
      assertThat(loads.load("d", "t", headers("label", "once"), "3\t3\n").get("Status").asText())
          .isEqualTo("Label Already Exists");
    }
    // The same label taken by both at the same moment: exactly one wins.
    for (int round = 0; round < 5; round++) {
      String label = "race_" + round;
      int value = round;
      AtomicInteger won = new AtomicInteger();
      List<Thread> racers = new ArrayList<>();
      for (TestServer server : List.of(first, second)) {
        racers.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        server.execute(
                            "INSERT INTO d.t WITH LABEL " + label + " VALUES (10, " + value + ")");
                        won.incrementAndGet();
                      } catch (SQLException e) {
                        assertThat(e.getMessage()).contains("has already been used");
                      }
                    }));
      }
      for (Thread racer : racers) {
        racer.join();
      }
      assertThat(won.get()).as(label).isEqualTo(1);
    }
    assertThat(second.rows("d", "SELECT COUNT(*) FROM t WHERE k = 10")).containsExactly("5");
  }

  @Test
  void aSeededRandomInterleavingMatchesAReferenceMap() throws Exception {
    long seed = Long.getLong("twofrontends.seed", 20261207L);
    Random random = new Random(seed);
    first.execute("CREATE DATABASE d");
    second.execute(
        "CREATE TABLE d.t (k INT, v INT) UNIQUE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2");
    TreeMap<Integer, Integer> reference = new TreeMap<>();
    List<TestServer> servers = List.of(first, second);
    try (StreamLoadClient firstLoads = new StreamLoadClient(first.httpPort());
        StreamLoadClient secondLoads = new StreamLoadClient(second.httpPort())) {
      for (int step = 0; step < 60; step++) {
        int on = random.nextInt(2);
        TestServer server = servers.get(on);
        int operation = random.nextInt(10);
        String what;
        if (operation < 5) {
          int k = random.nextInt(30);
          int v = random.nextInt(1000);
          server.execute("INSERT INTO d.t VALUES (" + k + ", " + v + ")");
          reference.put(k, v);
          what = "upsert " + k + "=" + v;
        } else if (operation < 7) {
          StringBuilder body = new StringBuilder();
          for (int i = 0; i < 5; i++) {
            int k = random.nextInt(30);
            int v = random.nextInt(1000);
            body.append(k).append('\t').append(v).append('\n');
            reference.put(k, v);
          }
          assertThat(
                  (on == 0 ? firstLoads : secondLoads)
                      .load("d", "t", headers(), body.toString())
                      .get("Status")
                      .asText())
              .isEqualTo("Success");
          what = "stream load " + body.toString().replace('\n', ' ');
        } else if (operation < 9) {
          int k = random.nextInt(30);
          server.execute("DELETE FROM d.t WHERE k = " + k);
          reference.remove(k);
          what = "delete " + k;
        } else {
          server.execute("ADMIN COMPACT TABLE d.t");
          what = "compact";
        }
        List<String> expected = new ArrayList<>();
        reference.forEach((k, v) -> expected.add(k + "|" + v));
        TestServer reader = servers.get(random.nextInt(2));
        assertThat(reader.rows("d", "SELECT k, v FROM t ORDER BY k"))
            .as("seed %d, step %d (%s on server %d)", seed, step, what, on)
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void oneFrontEndRestartsWhileTheOtherWrites() throws Exception {
    first.execute("CREATE DATABASE d");
    first.execute(
        "CREATE TABLE d.t (k INT, v INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2");
    AtomicBoolean stop = new AtomicBoolean();
    Map<Integer, Boolean> committed = new ConcurrentHashMap<>();
    Thread writer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try (Connection connection =
                          DriverManager.getConnection(first.mysqlUrl("d", ""), "root", "");
                      Statement statement = connection.createStatement()) {
                    for (int k = 0; !stop.get(); k++) {
                      statement.execute("INSERT INTO t VALUES (" + k + ", " + k + ")");
                      committed.put(k, true);
                    }
                  } catch (SQLException e) {
                    throw new AssertionError(e);
                  }
                });
    while (committed.size() < 10) {
      Thread.sleep(20);
    }
    second.execute("INSERT INTO d.t VALUES (-1, -1)");
    second.restart();
    second.execute("INSERT INTO d.t VALUES (-2, -2)");
    int before = committed.size();
    while (committed.size() < before + 10) {
      Thread.sleep(20);
    }
    stop.set(true);
    writer.join();
    int expected = committed.size() + 2;
    for (TestServer server : List.of(first, second)) {
      assertThat(server.rows("d", "SELECT COUNT(*), SUM(k) FROM t"))
          .containsExactly(
              expected
                  + "|"
                  + (committed.keySet().stream().mapToLong(Integer::longValue).sum() - 3));
    }
    // The restarted front end's start-up deleted none of the other's files.
    try (Connection connection = DriverManager.getConnection(second.mysqlUrl("d", ""), "root", "");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM t WHERE k >= 0")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(committed.size());
    }
  }
}
