package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Small writes beside point lookups (issue 18, docs/architecture.md "Serving checklist"): with
 * group commit on, concurrent single-row prepared INSERTs into a UNIQUE KEY table share commits,
 * and each client's lookup sees its row as soon as its INSERT returns; a lookup neither waits for
 * an open group nor sees its rows before the group commits.
 */
class ServingWritesTest {
  private static final String PREPARED = "useServerPrepStmts=true";

  private TestServer server;

  @BeforeEach
  void start() throws SQLException {
    server = TestServer.start();
    try (Connection root = DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
        Statement statement = root.createStatement()) {
      statement.execute("CREATE DATABASE serving");
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl("serving", PREPARED), "root", "");
  }

  @Test
  void concurrentSingleRowInsertsShareCommitsAndAreSeenAtReturn() throws Exception {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE u (k INT, v STRING) UNIQUE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2"
              + " PROPERTIES (\"group_commit_interval_ms\" = \"1000\")");
    }
    int clients = 8;
    int insertsPerClient = 4;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        done.add(
            pool.submit(
                () -> {
                  try (Connection connection = connect();
                      Statement statement = connection.createStatement();
                      PreparedStatement insert =
                          connection.prepareStatement("INSERT INTO u VALUES (?, ?)");
                      PreparedStatement lookup =
                          connection.prepareStatement("SELECT v FROM u WHERE k = ?")) {
                    statement.execute("SET group_commit = sync_mode");
                    for (int i = 0; i < insertsPerClient; i++) {
                      int key = client * 100 + i;
                      insert.setInt(1, key);
                      insert.setString(2, "v" + key);
                      assertThat(insert.executeUpdate()).isEqualTo(1);
                      assertThat(values(lookup, key))
                          .as("row %d at return", key)
                          .containsExactly("v" + key);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    int inserts = clients * insertsPerClient;
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      int groups = 0;
      try (ResultSet rows =
          statement.executeQuery("SHOW LOAD FROM serving WHERE Type = 'GROUP_COMMIT'")) {
        while (rows.next()) {
          groups++;
        }
      }
      // Sync clients wait for their group's commit (a second), so the others join it meanwhile.
      assertThat(groups).isBetween(1, inserts / 2);
      try (ResultSet count = statement.executeQuery("SELECT count(*) FROM u")) {
        count.next();
        assertThat(count.getLong(1)).isEqualTo(inserts);
      }
    }
  }

  @Test
  void lookupsNeitherWaitForNorSeeAnOpenGroup() throws Exception {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        PreparedStatement lookup = connection.prepareStatement("SELECT v FROM g WHERE k = ?")) {
      statement.execute(
          "CREATE TABLE g (k INT, v STRING) UNIQUE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1"
              + " PROPERTIES (\"group_commit_interval_ms\" = \"600000\","
              + " \"group_commit_data_bytes\" = \"100\")");
      statement.execute("INSERT INTO g VALUES (0, 'committed')");
      statement.execute("SET group_commit = async_mode");
      // Acknowledged once logged; the group commits in ten minutes or at 100 bytes.
      statement.execute("INSERT INTO g VALUES (1, 'pending')");
      statement.execute("INSERT INTO g VALUES (0, 'pending upsert')");
      for (int i = 0; i < 50; i++) {
        assertThat(values(lookup, 1)).isEmpty();
        assertThat(values(lookup, 0)).containsExactly("committed");
      }
      // A row past the group's data bytes commits the group at once; sync returns after it.
      statement.execute("SET group_commit = sync_mode");
      statement.execute("INSERT INTO g VALUES (2, '" + "x".repeat(200) + "')");
      assertThat(values(lookup, 1)).containsExactly("pending");
      assertThat(values(lookup, 0)).containsExactly("pending upsert");
      assertThat(values(lookup, 2)).containsExactly("x".repeat(200));
    }
  }

  private static List<String> values(PreparedStatement lookup, int key) throws SQLException {
    lookup.setInt(1, key);
    List<String> values = new ArrayList<>();
    try (ResultSet rows = lookup.executeQuery()) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }
}
