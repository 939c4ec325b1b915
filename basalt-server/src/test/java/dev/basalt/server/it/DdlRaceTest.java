package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DDL racing queries and loads on the same tables (issue 16): while one session runs ALTER ADD /
 * DROP / MODIFY / RENAME COLUMN, RENAME, TRUNCATE and DROP + CREATE TABLE in a loop, readers (text
 * and prepared, aggregates and {@code SELECT *}) and writers (INSERT and Stream Load) hammer the
 * same tables. Every statement either answers correctly — each read sees one consistent version:
 * whole 10-row loads, {@code v = k} on the duplicate table and {@code v = 2k} on the unique one,
 * every row as wide as the schema it started with — or fails with one of the clear errors a
 * vanished or changed table gives (1146 and friends). No internal error (1815), nothing else. Fixed
 * seed, printed on failure.
 */
class DdlRaceTest {
  private static final long SEED = Long.getLong("ddlrace.seed", 20261206L);
  private static final int DDL_STEPS = Integer.getInteger("ddlrace.steps", 60);
  private static final int BATCH = 10;

  /** What a statement may fail with while its table is changed, renamed or dropped under it. */
  private static final Set<Integer> ALLOWED_ERRORS =
      Set.of(
          1146, // table doesn't exist (dropped or renamed before the statement resolved it)
          1054, // unknown column (a prepared statement's column dropped before it ran)
          1412); // table definition has changed (changed, dropped or truncated while it ran)

  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    try (Connection connection =
            DriverManager.getConnection(server.mysqlUrl("", ""), TestServer.ROOT_USER, "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE race");
      createTables(statement);
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void createTables(Statement statement) throws SQLException {
    statement.execute(
        "CREATE TABLE IF NOT EXISTS race.dup (k INT, v BIGINT) DUPLICATE KEY(k)"
            + " DISTRIBUTED BY HASH(k) BUCKETS 2");
    statement.execute(
        "CREATE TABLE IF NOT EXISTS race.uniq (k INT, v BIGINT) UNIQUE KEY(k)"
            + " DISTRIBUTED BY HASH(k) BUCKETS 2");
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(
        server.mysqlUrl("race", "useServerPrepStmts=true"), TestServer.ROOT_USER, "");
  }

  @Test
  void queriesAndLoadsSeeOneSchemaWhileDdlRuns() throws Exception {
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean ddlDone = new AtomicBoolean();
    AtomicInteger answered = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger loaded = new AtomicInteger();
    try (ExecutorService threads = Executors.newFixedThreadPool(6)) {
      List<Future<?>> tasks = new ArrayList<>();
      tasks.add(threads.submit(() -> runDdl(new Random(SEED), failures, ddlDone)));
      for (int reader = 0; reader < 3; reader++) {
        long seed = SEED + 1 + reader;
        tasks.add(
            threads.submit(() -> read(new Random(seed), failures, ddlDone, answered, refused)));
      }
      tasks.add(threads.submit(() -> insert(new Random(SEED + 10), failures, ddlDone, loaded)));
      tasks.add(threads.submit(() -> streamLoad(new Random(SEED + 11), failures, ddlDone, loaded)));
      for (Future<?> task : tasks) {
        task.get();
      }
    }
    System.out.printf(
        "DdlRaceTest seed %d: %d DDL steps, %d queries answered, %d refused cleanly, %d loads%n",
        SEED, DDL_STEPS, answered.get(), refused.get(), loaded.get());
    assertThat(failures).as("seed " + SEED).isEmpty();
    // The run raced for real: statements answered, some were refused, loads landed.
    assertThat(answered.get()).as("queries answered").isGreaterThan(50);
    assertThat(loaded.get()).as("loads committed").isGreaterThan(5);

    // After the storm the tables still answer consistently.
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      createTables(statement);
      checkAggregate(statement, "dup", 1, failures);
      checkAggregate(statement, "uniq", 2, failures);
    }
    assertThat(failures).as("seed " + SEED).isEmpty();
  }

  private static void runDdl(
      Random random, ConcurrentLinkedQueue<String> failures, AtomicBoolean done) {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      boolean extraColumn = false;
      for (int step = 0; step < DDL_STEPS; step++) {
        String table = random.nextBoolean() ? "dup" : "uniq";
        List<String> ddl = new ArrayList<>();
        switch (random.nextInt(7)) {
          case 0 ->
              ddl.add(
                  extraColumn
                      ? "ALTER TABLE race." + table + " DROP COLUMN x"
                      : "ALTER TABLE race." + table + " ADD COLUMN x INT DEFAULT \"7\"");
          case 1 ->
              ddl.add(
                  extraColumn
                      ? "ALTER TABLE race." + table + " MODIFY COLUMN x BIGINT DEFAULT \"7\""
                      : "ALTER TABLE race." + table + " ADD COLUMN y VARCHAR(10) DEFAULT \"y\"");
          case 2 -> {
            ddl.add("ALTER TABLE race." + table + " RENAME " + table + "_moved");
            ddl.add("ALTER TABLE race." + table + "_moved RENAME " + table);
          }
          case 3 -> ddl.add("TRUNCATE TABLE race." + table);
          case 4 -> {
            ddl.add("DROP TABLE race." + table);
            ddl.add("CREATE_TABLES");
          }
          case 5 -> ddl.add("ALTER TABLE race." + table + " DROP COLUMN y");
          default -> ddl.add("ALTER TABLE race." + table + " ADD COLUMN z INT");
        }
        for (String sql : ddl) {
          try {
            if (sql.equals("CREATE_TABLES")) {
              createTables(statement);
            } else {
              statement.execute(sql);
            }
          } catch (SQLException e) {
            // The DDL itself may be refused (a column already there or gone); never internally.
            if (e.getErrorCode() == 1815) {
              failures.add("DDL " + sql + ": " + e.getErrorCode() + " " + e.getMessage());
            }
          }
        }
        extraColumn = random.nextBoolean();
        Thread.sleep(random.nextInt(30));
      }
    } catch (Exception e) {
      failures.add("DDL thread: " + e);
    } finally {
      done.set(true);
    }
  }

  private static void read(
      Random random,
      ConcurrentLinkedQueue<String> failures,
      AtomicBoolean ddlDone,
      AtomicInteger answered,
      AtomicInteger refused) {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        PreparedStatement point = connection.prepareStatement("SELECT v FROM dup WHERE k = ?")) {
      while (!ddlDone.get()) {
        String table = random.nextBoolean() ? "dup" : "uniq";
        int factor = table.equals("dup") ? 1 : 2;
        String sql = "?";
        try {
          switch (random.nextInt(3)) {
            case 0 -> {
              sql = "aggregate " + table;
              checkAggregate(statement, table, factor, failures);
            }
            case 1 -> {
              sql = "SELECT * FROM " + table;
              try (ResultSet rows = statement.executeQuery(sql)) {
                int width = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                  long k = rows.getLong(1);
                  long v = rows.getLong(2);
                  if (v != factor * k) {
                    failures.add(sql + ": row k=" + k + " v=" + v);
                  }
                  for (int column = 3; column <= width; column++) {
                    rows.getObject(column); // every row as wide as the result's columns
                  }
                }
              }
            }
            default -> {
              sql = "SELECT v FROM dup WHERE k = ?";
              int k = random.nextInt(500);
              point.setInt(1, k);
              try (ResultSet rows = point.executeQuery()) {
                while (rows.next()) {
                  if (rows.getLong(1) != k) {
                    failures.add(sql + " k=" + k + ": v=" + rows.getLong(1));
                  }
                }
              }
            }
          }
          answered.incrementAndGet();
        } catch (SQLException e) {
          if (!ALLOWED_ERRORS.contains(e.getErrorCode())) {
            failures.add(sql + ": " + e.getErrorCode() + " " + e.getMessage());
          }
          refused.incrementAndGet();
        }
      }
    } catch (Exception e) {
      failures.add("reader: " + e);
    }
  }

  private static void checkAggregate(
      Statement statement, String table, int factor, ConcurrentLinkedQueue<String> failures)
      throws SQLException {
    String sql = "SELECT COUNT(*), COALESCE(SUM(k), 0), COALESCE(SUM(v), 0) FROM " + table;
    try (ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      long count = rows.getLong(1);
      long sumK = rows.getLong(2);
      long sumV = rows.getLong(3);
      if (sumV != factor * sumK || (table.equals("dup") && count % BATCH != 0)) {
        failures.add(sql + ": count=" + count + " sum(k)=" + sumK + " sum(v)=" + sumV);
      }
    }
  }

  private static void insert(
      Random random,
      ConcurrentLinkedQueue<String> failures,
      AtomicBoolean ddlDone,
      AtomicInteger loaded) {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      while (!ddlDone.get()) {
        boolean dup = random.nextBoolean();
        int factor = dup ? 1 : 2;
        StringBuilder sql =
            new StringBuilder("INSERT INTO " + (dup ? "dup" : "uniq") + " (k, v) VALUES ");
        for (int i = 0; i < BATCH; i++) {
          int k = random.nextInt(500);
          sql.append(i == 0 ? "" : ", ").append("(").append(k).append(", ");
          sql.append((long) factor * k).append(")");
        }
        if (!dup && random.nextInt(3) == 0) {
          // DELETE and UPDATE race the DDL too (on the unique table, so the duplicate one keeps
          // its whole 10-row loads); both keep v = 2k on every row.
          int k = random.nextInt(500);
          sql =
              new StringBuilder(
                  random.nextBoolean()
                      ? "DELETE FROM uniq WHERE k = " + k
                      : "UPDATE uniq SET v = 2 * k WHERE k < " + k);
        }
        try {
          statement.execute(sql.toString());
          loaded.incrementAndGet();
        } catch (SQLException e) {
          if (!ALLOWED_ERRORS.contains(e.getErrorCode())) {
            failures.add(sql + ": " + e.getErrorCode() + " " + e.getMessage());
          }
        }
      }
    } catch (Exception e) {
      failures.add("insert thread: " + e);
    }
  }

  private static void streamLoad(
      Random random,
      ConcurrentLinkedQueue<String> failures,
      AtomicBoolean ddlDone,
      AtomicInteger loaded) {
    try (StreamLoadClient client = new StreamLoadClient(server.httpPort())) {
      while (!ddlDone.get()) {
        boolean dup = random.nextBoolean();
        int factor = dup ? 1 : 2;
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < BATCH; i++) {
          int k = random.nextInt(500);
          body.append(k).append(',').append((long) factor * k).append('\n');
        }
        var response =
            client.put(
                "/api/race/" + (dup ? "dup" : "uniq") + "/_stream_load",
                StreamLoadClient.headers("column_separator", ",", "columns", "k,v"),
                body.toString());
        JsonNode answer =
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
        String status = answer.path("Status").asText();
        if (status.equals("Success")) {
          loaded.incrementAndGet();
        } else {
          String message = answer.path("Message").asText();
          boolean clear =
              message.contains("doesn't exist") || message.contains("Table definition has changed");
          if (!clear) {
            failures.add("Stream Load: " + response.statusCode() + " " + response.body());
          }
        }
      }
    } catch (Exception e) {
      failures.add("stream load thread: " + e);
    }
  }
}
