package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Server-side prepared statements run from a plan made once (docs/architecture.md, "Plan cache"):
 * through Connector/J with {@code useServerPrepStmts=true}, every answer is compared with the same
 * statement sent as text with its values as literals, across DDL (DROP and CREATE of the same name,
 * ADD and DROP COLUMN), new data, upserts and deletes, and privilege changes; and primary-key
 * lookups see every committed write while other clients write.
 */
class PreparedPlanCacheTest {
  /**
   * Server-side prepared statements, prepared anew for each use (a statement the client kept across
   * an ALTER would expect the columns it was prepared with); the server's plan cache is shared by
   * all statements and connections, so executions after the first run from the cached plan.
   */
  private static final String PREPARED = "useServerPrepStmts=true";

  private TestServer server;
  private Connection text;
  private Connection prepared;

  @BeforeEach
  void start() throws SQLException {
    server = TestServer.start();
    try (Connection root = DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
        Statement statement = root.createStatement()) {
      statement.execute("CREATE DATABASE shop");
    }
    text = DriverManager.getConnection(server.mysqlUrl("shop", ""), "root", "");
    prepared = DriverManager.getConnection(server.mysqlUrl("shop", PREPARED), "root", "");
    execute(
        "CREATE TABLE items (id BIGINT, name VARCHAR(20), price DECIMAL(10,2), weight DOUBLE,"
            + " small INT) UNIQUE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 3",
        "INSERT INTO items VALUES (1, 'apple', 1.25, 0.2, 10), (2, 'pear', 2.50, 0.3, 20),"
            + " (3, 'plum', 0.75, 0.05, 30), (4, NULL, NULL, NULL, NULL)");
  }

  @AfterEach
  void stop() throws SQLException {
    text.close();
    prepared.close();
    server.close();
  }

  @Test
  void preparedAnswersEqualTextAnswersForEveryParameterKind() throws SQLException {
    String byKey = "SELECT id, name, price FROM items WHERE id = ?";
    for (Object key : new Object[] {1L, 3, 4L, 99L, Long.MAX_VALUE, "2", new BigDecimal("2.0")}) {
      assertSameAnswers(byKey, key);
    }
    assertSameAnswers("SELECT id FROM items WHERE name = ?", "pear");
    assertSameAnswers("SELECT id FROM items WHERE name = ?", "pear-with-a-long-name-past-20");
    assertSameAnswers("SELECT id FROM items WHERE name = ?", "it's");
    assertSameAnswers("SELECT id FROM items WHERE price = ?", new BigDecimal("2.5"));
    assertSameAnswers("SELECT id FROM items WHERE price = ?", new BigDecimal("2.501"));
    assertSameAnswers("SELECT id FROM items WHERE price > ?", 1.0);
    assertSameAnswers("SELECT id FROM items WHERE weight < ?", 0.25);
    assertSameAnswers("SELECT id FROM items WHERE small = ?", 20L);
    assertSameAnswers("SELECT id FROM items WHERE small = ?", 1L << 40);
    assertSameAnswers("SELECT id FROM items WHERE small >= ? AND small <= ?", 15L, 30L);
    assertSameAnswers("SELECT id, ? FROM items WHERE id = ?", "label", 1L);
    assertSameAnswers("SELECT count(*) FROM items WHERE id > ? LIMIT 5", 1L);
    assertSameAnswers("SELECT id FROM items WHERE id = ?", (Object) null);
  }

  @Test
  void cachedPlansFollowDdl() throws SQLException {
    String lookup = "SELECT * FROM items WHERE id = ?";
    assertSameAnswers(lookup, 1L);

    execute("ALTER TABLE items ADD COLUMN stock INT DEFAULT '7'");
    assertThat(assertSameAnswers(lookup, 1L)).containsExactly("1|apple|1.25|0.2|10|7");

    execute("ALTER TABLE items DROP COLUMN name");
    assertThat(assertSameAnswers(lookup, 1L)).containsExactly("1|1.25|0.2|10|7");

    execute(
        "DROP TABLE items",
        "CREATE TABLE items (id VARCHAR(10), label VARCHAR(10)) UNIQUE KEY(id)"
            + " DISTRIBUTED BY HASH(id) BUCKETS 1",
        "INSERT INTO items VALUES ('1', 'one'), ('x', 'ex')");
    assertThat(assertSameAnswers(lookup, "x")).containsExactly("x|ex");
    assertThat(assertSameAnswers(lookup, "1")).containsExactly("1|one");

    execute("DROP TABLE items");
    assertThatThrownBy(() -> rows(prepared, lookup, 1L))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("items");
    execute(
        "CREATE TABLE items (id BIGINT, label VARCHAR(10)) DUPLICATE KEY(id)"
            + " DISTRIBUTED BY HASH(id) BUCKETS 1",
        "INSERT INTO items VALUES (1, 'first'), (1, 'again')");
    assertThat(assertSameAnswers(lookup, 1L)).containsExactlyInAnyOrder("1|first", "1|again");
  }

  @Test
  void pointLookupsSeeEveryCommittedWrite() throws SQLException {
    String lookup = "SELECT name, price FROM items WHERE id = ?";
    assertThat(rows(prepared, lookup, 5L)).isEmpty();
    execute("INSERT INTO items VALUES (5, 'fig', 3.00, 0.1, 50)");
    assertThat(rows(prepared, lookup, 5L)).containsExactly("fig|3.00");
    execute("INSERT INTO items VALUES (5, 'fig', 3.50, 0.1, 50)");
    assertThat(rows(prepared, lookup, 5L)).containsExactly("fig|3.50");
    execute("UPDATE items SET price = 4.00 WHERE id = 5");
    assertThat(rows(prepared, lookup, 5L)).containsExactly("fig|4.00");
    execute("DELETE FROM items WHERE id = 5");
    assertThat(rows(prepared, lookup, 5L)).isEmpty();
    execute("INSERT INTO items VALUES (5, 'fig again', 5.00, 0.1, 50)");
    assertThat(rows(prepared, lookup, 5L)).containsExactly("fig again|5.00");
    execute("TRUNCATE TABLE items");
    assertThat(rows(prepared, lookup, 5L)).isEmpty();
  }

  @Test
  void accessIsCheckedAtEveryExecution() throws SQLException {
    execute("CREATE USER alice IDENTIFIED BY 'alice-pass'", "GRANT SELECT_PRIV ON shop.* TO alice");
    try (Connection alice =
        DriverManager.getConnection(server.mysqlUrl("shop", PREPARED), "alice", "alice-pass")) {
      String lookup = "SELECT name FROM items WHERE id = ?";
      assertThat(rows(alice, lookup, 1L)).containsExactly("apple");
      execute("REVOKE SELECT_PRIV ON shop.* FROM alice");
      assertThatThrownBy(() -> rows(alice, lookup, 1L))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("SELECT command denied")
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1142));
      execute("GRANT SELECT_PRIV ON shop.items TO alice");
      assertThat(rows(alice, lookup, 2L)).containsExactly("pear");
    }
  }

  /**
   * Writers upsert and delete keys while readers look them up through prepared statements: every
   * row read is one some writer committed, and right after its commit a writer reads its own write.
   */
  @Test
  void lookupsAndWritesFromManyClients() throws Exception {
    int writers = 3;
    int readers = 3;
    int rounds = 25;
    ExecutorService pool = Executors.newFixedThreadPool(writers + readers);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int writer = 0; writer < writers; writer++) {
        long key = 100 + writer;
        futures.add(
            pool.submit(
                () -> {
                  try (Connection writes =
                          DriverManager.getConnection(
                              server.mysqlUrl("shop", PREPARED), "root", "");
                      PreparedStatement upsert =
                          writes.prepareStatement("INSERT INTO items (id, small) VALUES (?, ?)");
                      PreparedStatement delete =
                          writes.prepareStatement("DELETE FROM items WHERE id = ?")) {
                    for (int round = 1; round <= rounds; round++) {
                      upsert.setLong(1, key);
                      upsert.setInt(2, round);
                      upsert.executeUpdate();
                      assertThat(rows(writes, "SELECT small FROM items WHERE id = ?", key))
                          .containsExactly(String.valueOf(round));
                      if (round % 5 == 0) {
                        delete.setLong(1, key);
                        delete.executeUpdate();
                        assertThat(rows(writes, "SELECT small FROM items WHERE id = ?", key))
                            .isEmpty();
                      }
                    }
                  }
                  return null;
                }));
      }
      for (int reader = 0; reader < readers; reader++) {
        long seed = reader;
        futures.add(
            pool.submit(
                () -> {
                  SplittableRandom random = new SplittableRandom(seed);
                  try (Connection reads =
                      DriverManager.getConnection(server.mysqlUrl("shop", PREPARED), "root", "")) {
                    for (int i = 0; i < 200; i++) {
                      long key = 100 + random.nextInt(writers);
                      List<String> found = rows(reads, "SELECT small FROM items WHERE id = ?", key);
                      assertThat(found).hasSizeLessThanOrEqualTo(1);
                      if (!found.isEmpty()) {
                        assertThat(Integer.parseInt(found.get(0))).isBetween(1, rounds);
                      }
                      assertThat(rows(reads, "SELECT name FROM items WHERE id = ?", 2L))
                          .containsExactly("pear");
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int writer = 0; writer < writers; writer++) {
      assertSameAnswers("SELECT id, small FROM items WHERE id = ?", 100L + writer);
    }
  }

  /**
   * Runs {@code sql} prepared and as text (values as literals); asserts equal rows, returns them.
   */
  private List<String> assertSameAnswers(String sql, Object... values) throws SQLException {
    List<String> fromPrepared = rows(prepared, sql, values);
    List<String> fromText = textRows(sql, values);
    assertThat(fromPrepared)
        .as("%s with %s", sql, java.util.Arrays.asList(values))
        .isEqualTo(fromText);
    // A second execution runs from the cached plan.
    assertThat(rows(prepared, sql, values)).isEqualTo(fromText);
    return fromPrepared;
  }

  private List<String> textRows(String sql, Object... values) throws SQLException {
    StringBuilder literalText = new StringBuilder();
    int next = 0;
    for (char c : sql.toCharArray()) {
      if (c == '?') {
        Object value = values[next++];
        literalText.append(
            value == null
                ? "NULL"
                : value instanceof String string
                    ? "'" + string.replace("'", "''") + "'"
                    : value.toString());
      } else {
        literalText.append(c);
      }
    }
    try (Statement statement = text.createStatement();
        ResultSet resultSet = statement.executeQuery(literalText.toString())) {
      return collect(resultSet);
    }
  }

  private static List<String> rows(Connection connection, String sql, Object... values)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) {
        statement.setObject(i + 1, values[i]);
      }
      try (ResultSet resultSet = statement.executeQuery()) {
        return collect(resultSet);
      }
    }
  }

  private static List<String> collect(ResultSet resultSet) throws SQLException {
    ResultSetMetaData metadata = resultSet.getMetaData();
    List<String> rows = new ArrayList<>();
    while (resultSet.next()) {
      StringBuilder row = new StringBuilder();
      for (int column = 1; column <= metadata.getColumnCount(); column++) {
        row.append(column == 1 ? "" : "|").append(resultSet.getString(column));
      }
      rows.add(row.toString());
    }
    rows.sort(null);
    return rows;
  }

  private void execute(String... statements) throws SQLException {
    try (Statement statement = text.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
