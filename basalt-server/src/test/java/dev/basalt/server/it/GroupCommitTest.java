package dev.basalt.server.it;

import static dev.basalt.server.it.StreamLoadClient.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Group commit through the front doors: Stream Load's {@code group_commit} header (JDK client and
 * curl) and {@code SET group_commit} for INSERT ... VALUES (text and server-prepared, Connector/J):
 * concurrent clients share groups, async rows become visible within the interval and sync rows at
 * return, labels and two-phase commit are refused, DDL waits for a pending group, a restart commits
 * what was pending. Kill -9 is {@link GroupCommitKillNineTest}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GroupCommitTest {
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    try (Connection connection = connect("");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE gc");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl(database, ""), "root", "");
  }

  private static void createTable(String name, long intervalMillis) throws SQLException {
    try (Connection connection = connect("gc");
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE "
              + name
              + " (k INT, v VARCHAR(16)) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 3"
              + " PROPERTIES (\"group_commit_interval_ms\" = \""
              + intervalMillis
              + "\")");
    }
  }

  private static long[] countAndSum(String table) throws SQLException {
    try (Connection connection = connect("gc");
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT count(*), count(DISTINCT k), coalesce(sum(k), 0) FROM " + table)) {
      result.next();
      return new long[] {result.getLong(1), result.getLong(2), result.getLong(3)};
    }
  }

  /** Polls until the table holds {@code rows} rows (async visibility), at most 20 s. */
  private static long[] awaitRows(String table, long rows) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    long[] seen = countAndSum(table);
    while (seen[0] < rows && System.nanoTime() < deadline) {
      Thread.sleep(50);
      seen = countAndSum(table);
    }
    return seen;
  }

  private static String csv(int firstKey, int rows) {
    StringBuilder body = new StringBuilder();
    for (int k = firstKey; k < firstKey + rows; k++) {
      body.append(k).append(",v").append(k).append('\n');
    }
    return body.toString();
  }

  @Test
  void concurrentAsyncStreamLoadsShareGroupsAndAllRowsArriveOnce() throws Exception {
    createTable("async_loads", 300);
    int clients = 32;
    int loadsPerClient = 8;
    int rowsPerLoad = 10;
    List<JsonNode> answers = runClients(clients, loadsPerClient, rowsPerLoad, "async_mode");
    Set<String> labels = new HashSet<>();
    for (JsonNode answer : answers) {
      assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Success");
      assertThat(answer.get("GroupCommit").asBoolean()).as(answer.toString()).isTrue();
      assertThat(answer.has("TwoPhaseCommit")).isFalse();
      assertThat(answer.has("BeginTxnTimeMs")).isFalse();
      assertThat(answer.get("NumberLoadedRows").asLong()).isEqualTo(rowsPerLoad);
      assertThat(answer.get("Label").asText()).startsWith("group_commit_");
      labels.add(answer.get("Label").asText());
    }
    // Loads were gathered: far fewer groups (commits) than loads.
    assertThat(labels.size()).isLessThan(answers.size() / 2);
    long rows = (long) clients * loadsPerClient * rowsPerLoad;
    long[] seen = awaitRows("async_loads", rows);
    assertThat(seen).containsExactly(rows, rows, rows * (rows - 1) / 2);
  }

  @Test
  void syncStreamLoadsAreVisibleWhenTheyReturn() throws Exception {
    createTable("sync_loads", 200);
    int clients = 16;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try (StreamLoadClient client = new StreamLoadClient(server.httpPort())) {
      List<Future<Boolean>> visible = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int key = c * 10;
        visible.add(
            pool.submit(
                () -> {
                  JsonNode answer =
                      client.load(
                          "gc",
                          "sync_loads",
                          headers("column_separator", ",", "group_commit", "sync_mode"),
                          csv(key, 10));
                  assertThat(answer.get("Status").asText())
                      .as(answer.toString())
                      .isEqualTo("Success");
                  assertThat(answer.get("GroupCommit").asBoolean()).isTrue();
                  try (Connection connection = connect("gc");
                      Statement statement = connection.createStatement();
                      ResultSet result =
                          statement.executeQuery(
                              "SELECT count(*) FROM sync_loads WHERE k >= "
                                  + key
                                  + " AND k < "
                                  + (key + 10))) {
                    result.next();
                    return result.getLong(1) == 10;
                  }
                }));
      }
      for (Future<Boolean> future : visible) {
        assertThat(future.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(countAndSum("sync_loads")[0]).isEqualTo(clients * 10L);
  }

  @Test
  void insertValuesJoinGroupsInSyncAndAsyncModeTextAndPrepared() throws Exception {
    createTable("inserts", 200);
    int clients = 8;
    int insertsPerClient = 10;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        done.add(
            pool.submit(
                () -> {
                  boolean prepared = client % 2 == 0;
                  String mode = client % 4 < 2 ? "sync_mode" : "async_mode";
                  try (Connection connection =
                          DriverManager.getConnection(
                              server.mysqlUrl("gc", prepared ? "useServerPrepStmts=true" : ""),
                              "root",
                              "");
                      Statement statement = connection.createStatement();
                      PreparedStatement insert =
                          connection.prepareStatement("INSERT INTO inserts VALUES (?, ?)")) {
                    statement.execute("SET group_commit = " + mode);
                    for (int i = 0; i < insertsPerClient; i++) {
                      int key = client * 1000 + i;
                      int updated;
                      if (prepared) {
                        insert.setInt(1, key);
                        insert.setString(2, "p" + key);
                        updated = insert.executeUpdate();
                      } else {
                        updated =
                            statement.executeUpdate(
                                "INSERT INTO inserts VALUES (" + key + ", 't" + key + "')");
                      }
                      assertThat(updated).isEqualTo(1);
                      if (mode.equals("sync_mode")) {
                        try (ResultSet result =
                            statement.executeQuery("SELECT v FROM inserts WHERE k = " + key)) {
                          assertThat(result.next()).as("row %d visible at return", key).isTrue();
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
    long rows = (long) clients * insertsPerClient;
    assertThat(awaitRows("inserts", rows)[1]).isEqualTo(rows);
  }

  @Test
  void asyncRowsWaitForTheIntervalAndAShutdownCommitsThem() throws Exception {
    try (TestServer own = TestServer.start()) {
      try (Connection connection = DriverManager.getConnection(own.mysqlUrl("", ""), "root", "");
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE w");
        statement.execute(
            "CREATE TABLE w.slow (k INT, v VARCHAR(16)) DUPLICATE KEY(k) DISTRIBUTED BY"
                + " HASH(k) BUCKETS 1 PROPERTIES (\"group_commit_interval_ms\" = \"600000\")");
        statement.execute("SET group_commit = async_mode");
        assertThat(statement.executeUpdate("INSERT INTO w.slow VALUES (1, 'a'), (2, 'b')"))
            .isEqualTo(2);
        try (StreamLoadClient client = new StreamLoadClient(own.httpPort())) {
          JsonNode answer =
              client.load(
                  "w",
                  "slow",
                  headers("column_separator", ",", "group_commit", "async_mode"),
                  "3,c\n");
          assertThat(answer.get("Status").asText()).isEqualTo("Success");
        }
        try (Connection prepared =
                DriverManager.getConnection(
                    own.mysqlUrl("w", "useServerPrepStmts=true"), "root", "");
            Statement session = prepared.createStatement();
            PreparedStatement insert =
                prepared.prepareStatement("INSERT INTO slow VALUES (?, ?)")) {
          session.execute("SET group_commit = async_mode");
          insert.setInt(1, 4);
          insert.setString(2, "d");
          assertThat(insert.executeUpdate()).isEqualTo(1);
        }
        // Acknowledged, durable in the log, not visible before the group's 10-minute interval.
        try (ResultSet result = statement.executeQuery("SELECT count(*) FROM w.slow")) {
          result.next();
          assertThat(result.getLong(1)).isZero();
        }
      }
      own.restart();
      try (Connection connection = DriverManager.getConnection(own.mysqlUrl("", ""), "root", "");
          Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery("SELECT count(*), sum(k) FROM w.slow")) {
        result.next();
        assertThat(result.getLong(1)).isEqualTo(4);
        assertThat(result.getLong(2)).isEqualTo(10);
      }
    }
  }

  @Test
  void aGroupCommitsEarlyOnceItHoldsItsDataBytes() throws Exception {
    try (Connection connection = connect("gc");
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE small_groups (k INT, v VARCHAR(16)) DUPLICATE KEY(k) DISTRIBUTED BY"
              + " HASH(k) BUCKETS 1 PROPERTIES (\"group_commit_interval_ms\" = \"600000\","
              + " \"group_commit_data_bytes\" = \"100\")");
    }
    try (StreamLoadClient client = new StreamLoadClient(server.httpPort())) {
      Set<String> labels = new HashSet<>();
      for (int load = 0; load < 4; load++) {
        JsonNode answer =
            client.load(
                "gc",
                "small_groups",
                headers("column_separator", ",", "group_commit", "async_mode"),
                csv(load * 10, 10));
        assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Success");
        labels.add(answer.get("Label").asText());
      }
      // Each 10-row load logs about 170 bytes, more than 100: every load fills its group, which
      // commits at once instead of after the 10-minute interval.
      assertThat(labels).hasSize(4);
    }
    assertThat(awaitRows("small_groups", 40)).containsExactly(40, 40, 780);
  }

  @Test
  void labelsAndTwoPhaseCommitAreRefusedAndBadModesNamed() throws Exception {
    createTable("refusals", 200);
    try (StreamLoadClient client = new StreamLoadClient(server.httpPort())) {
      JsonNode labelled =
          client.load(
              "gc",
              "refusals",
              headers("column_separator", ",", "group_commit", "async_mode", "label", "l1"),
              "1,a\n");
      assertThat(labelled.get("Status").asText()).isEqualTo("Fail");
      assertThat(labelled.get("Message").asText())
          .contains("label and group_commit can't be set at the same time");
      JsonNode twoPhase =
          client.load(
              "gc",
              "refusals",
              headers(
                  "column_separator", ",", "group_commit", "sync_mode", "two_phase_commit", "true"),
              "1,a\n");
      assertThat(twoPhase.get("Status").asText()).isEqualTo("Fail");
      assertThat(twoPhase.get("Message").asText())
          .contains("group commit does not support two-phase commit");
      JsonNode badMode =
          client.load(
              "gc",
              "refusals",
              headers("column_separator", ",", "group_commit", "sometimes"),
              "1,a\n");
      assertThat(badMode.get("Message").asText())
          .contains("group_commit can only be [async_mode, sync_mode, off_mode]");
      // off_mode is an ordinary load; so is a load with chosen partitions (as Doris falls back).
      JsonNode off =
          client.load(
              "gc",
              "refusals",
              headers("column_separator", ",", "group_commit", "off_mode"),
              "2,b\n");
      assertThat(off.get("TwoPhaseCommit").asText()).isEqualTo("false");
      assertThat(off.has("GroupCommit")).isFalse();
      // curl, as a user would send it.
      java.nio.file.Path file = StreamLoadClient.temporaryFile("3,c\n4,d\n");
      try {
        JsonNode curl =
            client.curl(
                "/api/gc/refusals/_stream_load",
                headers("column_separator", ",", "group_commit", "sync_mode"),
                file);
        assertThat(curl.get("Status").asText()).as(curl.toString()).isEqualTo("Success");
        assertThat(curl.get("GroupCommit").asBoolean()).isTrue();
        assertThat(curl.get("Label").asText()).startsWith("group_commit_");
      } finally {
        java.nio.file.Files.delete(file);
      }
    }
    assertThat(countAndSum("refusals")).containsExactly(3, 3, 9);
    try (Connection connection = connect("gc");
        Statement statement = connection.createStatement()) {
      assertThatThrownBy(() -> statement.execute("SET group_commit = sometimes"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Variable 'group_commit' can't be set to the value of 'sometimes'")
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1231));
      statement.execute("SET group_commit = ASYNC_MODE");
      try (ResultSet result = statement.executeQuery("SELECT @@group_commit")) {
        result.next();
        assertThat(result.getString(1)).isEqualTo("async_mode");
      }
      // INSERT WITH LABEL commits on its own, visible at once (Doris falls back likewise).
      assertThat(
              statement.executeUpdate("INSERT INTO refusals WITH LABEL own_label VALUES (5, 'e')"))
          .isEqualTo(1);
      assertThat(countAndSum("refusals")[0]).isEqualTo(4);
    }
  }

  @Test
  void ddlWaitsForThePendingGroupOfItsTable() throws Exception {
    createTable("altered", 600_000);
    try (Connection connection = connect("gc");
        Statement statement = connection.createStatement()) {
      statement.execute("SET group_commit = async_mode");
      statement.executeUpdate("INSERT INTO altered VALUES (1, 'a'), (2, 'b')");
      assertThat(countAndSum("altered")[0]).isZero();
      // The pending group commits before the column is added: its rows get the default.
      statement.execute("ALTER TABLE altered ADD COLUMN c INT DEFAULT \"7\"");
      assertThat(countAndSum("altered")[0]).isEqualTo(2);
      statement.executeUpdate("INSERT INTO altered VALUES (3, 'c', 30)");
      // TRUNCATE applies to every row acknowledged before it, the pending one included.
      statement.execute("TRUNCATE TABLE altered");
      assertThat(countAndSum("altered")[0]).isZero();
      statement.executeUpdate("INSERT INTO altered VALUES (4, 'd', 40)");
      statement.execute("ALTER TABLE altered DROP COLUMN v");
      try (ResultSet result = statement.executeQuery("SELECT k, c FROM altered")) {
        assertThat(result.next()).isTrue();
        assertThat(result.getInt(1)).isEqualTo(4);
        assertThat(result.getInt(2)).isEqualTo(40);
        assertThat(result.next()).isFalse();
      }
      statement.executeUpdate("INSERT INTO altered VALUES (5, 50)");
      // DROP TABLE takes a pending group with it; the server keeps serving.
      statement.execute("DROP TABLE altered");
      createTable("altered", 200);
      statement.executeUpdate("INSERT INTO altered VALUES (6, 'f')");
      assertThat(awaitRows("altered", 1)).containsExactly(1, 1, 6);
    }
  }

  private static List<JsonNode> runClients(
      int clients, int loadsPerClient, int rowsPerLoad, String mode) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try (StreamLoadClient client = new StreamLoadClient(server.httpPort())) {
      List<Future<List<JsonNode>>> futures = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int clientIndex = c;
        futures.add(
            pool.submit(
                () -> {
                  List<JsonNode> answers = new ArrayList<>();
                  for (int load = 0; load < loadsPerClient; load++) {
                    int first = (clientIndex * loadsPerClient + load) * rowsPerLoad;
                    Map<String, String> headers =
                        headers("column_separator", ",", "group_commit", mode);
                    answers.add(client.load("gc", "async_loads", headers, csv(first, rowsPerLoad)));
                  }
                  return answers;
                }));
      }
      List<JsonNode> all = new ArrayList<>();
      for (Future<List<JsonNode>> future : futures) {
        all.addAll(future.get());
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }
}
