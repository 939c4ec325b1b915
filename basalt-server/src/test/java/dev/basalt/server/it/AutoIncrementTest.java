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
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Doris's auto-increment column ({@code BIGINT NOT NULL AUTO_INCREMENT[(start)]}, docs/sql.md):
 * values generated for rows that omit the column or give NULL, through INSERT over JDBC (with
 * {@code getGeneratedKeys} and {@code LAST_INSERT_ID()}) and through Stream Load over HTTP; unique
 * and increasing per table, and never reused after a restart.
 */
class AutoIncrementTest {
  private static TestServer server;

  @BeforeAll
  static void start() throws SQLException {
    server = TestServer.start();
    try (Connection connection = DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE auto_inc");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl("auto_inc", ""), "root", "");
  }

  private static void execute(String sql) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static List<String> query(String sql) throws SQLException {
    return server.rows("auto_inc", sql);
  }

  private static long singleLong(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).isTrue();
      return rows.getLong(1);
    }
  }

  @Test
  void insertGeneratesValuesAndReportsThemToJdbc() throws SQLException {
    execute(
        "CREATE TABLE orders (id BIGINT NOT NULL AUTO_INCREMENT, item VARCHAR(20))"
            + " DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 2");
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      assertThat(
              statement.executeUpdate(
                  "INSERT INTO orders (item) VALUES ('a'), ('b'), ('c')",
                  Statement.RETURN_GENERATED_KEYS))
          .isEqualTo(3);
      List<Long> keys = new ArrayList<>();
      try (ResultSet generated = statement.getGeneratedKeys()) {
        while (generated.next()) {
          keys.add(generated.getLong(1));
        }
      }
      assertThat(keys).hasSize(3);
      long first = keys.get(0);
      assertThat(first).isPositive();
      assertThat(singleLong(connection, "SELECT LAST_INSERT_ID()")).isEqualTo(first);
      assertThat(query("SELECT id, item FROM orders ORDER BY id"))
          .containsExactly(first + "|a", (first + 1) + "|b", (first + 2) + "|c");

      // NULL asks for a value too; an explicit value is kept and leaves LAST_INSERT_ID alone.
      statement.executeUpdate("INSERT INTO orders VALUES (NULL, 'd')");
      long fourth = singleLong(connection, "SELECT LAST_INSERT_ID()");
      assertThat(fourth).isGreaterThan(first + 2);
      statement.executeUpdate("INSERT INTO orders VALUES (1000000, 'explicit')");
      assertThat(singleLong(connection, "SELECT LAST_INSERT_ID()")).isEqualTo(fourth);
      assertThat(singleLong(connection, "SELECT @@last_insert_id")).isEqualTo(fourth);
    }
    // Server-side prepared statements (the binary protocol) report the key the same way.
    try (Connection connection =
            DriverManager.getConnection(
                server.mysqlUrl("auto_inc", "useServerPrepStmts=true"), "root", "");
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO orders (item) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
      insert.setString(1, "prepared");
      insert.executeUpdate();
      try (ResultSet generated = insert.getGeneratedKeys()) {
        assertThat(generated.next()).isTrue();
        long key = generated.getLong(1);
        assertThat(query("SELECT item FROM orders WHERE id = " + key)).containsExactly("prepared");
      }
    }
    // Another session has its own LAST_INSERT_ID.
    try (Connection other = connect()) {
      assertThat(singleLong(other, "SELECT LAST_INSERT_ID()")).isZero();
    }
  }

  @Test
  void mysqlIntAutoIncrementAndStartValue() throws SQLException {
    // As a MySQL dump or an ORM writes it: widened to BIGINT, values generated.
    execute("CREATE TABLE people (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, name TEXT)");
    execute("INSERT INTO people (name) VALUES ('ann'), ('bob')");
    assertThat(query("SELECT name FROM people ORDER BY id")).containsExactly("ann", "bob");
    assertThat(query("SELECT COUNT(DISTINCT id) FROM people")).containsExactly("2");

    execute(
        "CREATE TABLE tickets (code VARCHAR(10), id BIGINT NOT NULL AUTO_INCREMENT(5000))"
            + " UNIQUE KEY(code) DISTRIBUTED BY HASH(code) BUCKETS 1");
    execute("INSERT INTO tickets (code) VALUES ('x'), ('y')");
    assertThat(query("SELECT code, id FROM tickets ORDER BY code"))
        .containsExactly("x|5000", "y|5001");
    assertThat(query("SHOW CREATE TABLE tickets").get(0)).contains("AUTO_INCREMENT(5000)");

    assertThatThrownBy(
            () ->
                execute(
                    "CREATE TABLE agg (k INT, id BIGINT NOT NULL AUTO_INCREMENT, v BIGINT SUM)"
                        + " AGGREGATE KEY(k, id) DISTRIBUTED BY HASH(k) BUCKETS 1"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("DUPLICATE KEY and UNIQUE KEY");
  }

  @Test
  void streamLoadGeneratesValuesAndRestartNeverReusesThem() throws Exception {
    execute(
        "CREATE TABLE events (id BIGINT NOT NULL AUTO_INCREMENT, name VARCHAR(20))"
            + " DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 3");
    try (StreamLoadClient client = new StreamLoadClient(server.httpPort())) {
      // The column left out of `columns`, and given as \N: both generated.
      JsonNode named =
          client.load(
              "auto_inc",
              "events",
              headers("column_separator", ",", "columns", "name"),
              "s1\ns2\ns3\n");
      assertThat(named.get("Status").asText()).as(named.toString()).isEqualTo("Success");
      JsonNode nulls =
          client.load("auto_inc", "events", headers("column_separator", ","), "\\N,s4\n77,s5\n");
      assertThat(nulls.get("Status").asText()).as(nulls.toString()).isEqualTo("Success");
      JsonNode json =
          client.load(
              "auto_inc",
              "events",
              headers("format", "json", "read_json_by_line", "true"),
              "{\"name\": \"j1\"}\n{\"name\": \"j2\"}\n");
      assertThat(json.get("Status").asText()).as(json.toString()).isEqualTo("Success");
    }
    assertThat(query("SELECT COUNT(*), COUNT(DISTINCT id), MIN(id) > 0 FROM events"))
        .containsExactly("7|7|1");
    assertThat(query("SELECT id FROM events WHERE name = 's5'")).containsExactly("77");
    long before = Long.parseLong(query("SELECT MAX(id) FROM events WHERE name <> 's5'").get(0));

    server.restart();
    execute("INSERT INTO events (name) VALUES ('after1'), ('after2')");
    try (StreamLoadClient client = new StreamLoadClient(server.httpPort())) {
      JsonNode answer =
          client.load(
              "auto_inc",
              "events",
              headers("column_separator", ",", "columns", "name"),
              "after3\n");
      assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Success");
    }
    List<String> after = query("SELECT id FROM events WHERE name LIKE 'after%' ORDER BY id");
    assertThat(after).hasSize(3);
    Set<String> distinct = new HashSet<>(query("SELECT id FROM events"));
    assertThat(distinct).hasSize(10);
    for (String id : after) {
      assertThat(Long.parseLong(id)).isGreaterThan(before);
    }
  }
}
