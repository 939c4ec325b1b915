package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Short-circuit point queries (docs/architecture.md, "Point queries"): a server-prepared {@code
 * SELECT ... WHERE <every key column> = ?} on a merge-on-write UNIQUE KEY table is answered by a
 * primary-key probe, without the general pipeline. Through Connector/J with {@code
 * useServerPrepStmts=true}, every answer is compared with a full scan of the same columns through
 * the general pipeline (text, no WHERE, so no key lookup), filtered here by the key, on a composite
 * key of an integer and a string, with every value type and NULLs, across new data, upserts,
 * deletes, ADD/DROP COLUMN, compaction and DROP/CREATE.
 */
class PointQueryShortCircuitTest {
  private static final String PREPARED = "useServerPrepStmts=true";

  private static final String ALL_COLUMNS = "*";

  private static final String SOME_COLUMNS = "amount, id, note, id";

  private TestServer server;
  private Connection text;
  private Connection prepared;

  @BeforeEach
  void start() throws SQLException {
    server = TestServer.start();
    try (Connection root = DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
        Statement statement = root.createStatement()) {
      statement.execute("CREATE DATABASE serving");
    }
    text = DriverManager.getConnection(server.mysqlUrl("serving", ""), "root", "");
    prepared = DriverManager.getConnection(server.mysqlUrl("serving", PREPARED), "root", "");
    execute(
        "CREATE TABLE t (id INT, region VARCHAR(16), small TINYINT, big BIGINT, wide LARGEINT,"
            + " ratio FLOAT, amount DOUBLE, price DECIMAL(12,3), flag BOOLEAN, day DATE,"
            + " moment DATETIME(3), code CHAR(4), note STRING)"
            + " UNIQUE KEY(id, region) DISTRIBUTED BY HASH(id, region) BUCKETS 4",
        "INSERT INTO t VALUES"
            + " (1, 'eu', -5, 9000000000, 170141183460469231731687303715884105727, 1.5, -2.25,"
            + " 12345.678, true, '2024-02-29', '2024-02-29 23:59:59.123', 'abcd', 'first'),"
            + " (1, 'us', 127, -1, -170141183460469231731687303715884105728, -0.5, 1e300,"
            + " -0.001, false, '1970-01-01', '1970-01-01 00:00:00.000', 'x', 'ünïcødé ✓'),"
            + " (2, 'eu', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
            + " (-2147483648, '', 0, 0, 0, 0, 0, 0, true, '9999-12-31', '9999-12-31 23:59:59.999',"
            + " '', '')");
  }

  @AfterEach
  void stop() throws SQLException {
    text.close();
    prepared.close();
    server.close();
  }

  @Test
  void everyTypeAndNullRoundTrips() throws SQLException {
    assertThat(sameAnswers(ALL_COLUMNS, "eu", 1))
        .containsExactly(
            "1|eu|-5|9000000000|170141183460469231731687303715884105727|1.5|-2.25|12345.678|1"
                + "|2024-02-29|2024-02-29 23:59:59.123|abcd|first");
    assertThat(sameAnswers(ALL_COLUMNS, "us", 1)).hasSize(1);
    assertThat(sameAnswers(ALL_COLUMNS, "eu", 2))
        .containsExactly("2|eu|null|null|null|null|null|null|null|null|null|null|null");
    assertThat(sameAnswers(ALL_COLUMNS, "", Integer.MIN_VALUE)).hasSize(1);
    assertThat(sameAnswers(SOME_COLUMNS, "us", 1)).containsExactly("1.0E300|1|ünïcødé ✓|1");
    // Keys that do not exist, and values the short circuit leaves to the general path.
    assertThat(sameAnswers(ALL_COLUMNS, "eu", 3)).isEmpty();
    assertThat(sameAnswers(ALL_COLUMNS, "EU", 1)).isEmpty();
    assertThat(sameAnswers(ALL_COLUMNS, "eu ", 1)).isEmpty();
    assertThat(sameAnswers(ALL_COLUMNS, "eu", 1L << 40)).isEmpty();
    assertThat(sameAnswers(ALL_COLUMNS, null, 1)).isEmpty();
    assertThat(sameAnswers(ALL_COLUMNS, "eu", "1")).hasSize(1);
  }

  @Test
  void answersFollowWritesDeletesAndCompaction() throws SQLException {
    for (int round = 0; round < 6; round++) {
      execute("INSERT INTO t (id, region, note) VALUES (7, 'eu', 'v" + round + "')");
      assertThat(sameAnswers(SOME_COLUMNS, "eu", 7)).containsExactly("null|7|v" + round + "|7");
    }
    execute("DELETE FROM t WHERE id = 1 AND region = 'eu'");
    assertThat(sameAnswers(ALL_COLUMNS, "eu", 1)).isEmpty();
    assertThat(sameAnswers(ALL_COLUMNS, "us", 1)).hasSize(1);
    execute("ADMIN COMPACT TABLE t");
    assertThat(sameAnswers(SOME_COLUMNS, "eu", 7)).containsExactly("null|7|v5|7");
    assertThat(sameAnswers(ALL_COLUMNS, "eu", 1)).isEmpty();
    execute("ADMIN COMPACT TABLE t WHERE type = 'BASE'");
    execute("INSERT INTO t (id, region, note) VALUES (1, 'eu', 'back')");
    assertThat(sameAnswers(SOME_COLUMNS, "eu", 1)).containsExactly("null|1|back|1");
    execute("UPDATE t SET amount = 4.5 WHERE id = 1 AND region = 'eu'");
    assertThat(sameAnswers(SOME_COLUMNS, "eu", 1)).containsExactly("4.5|1|back|1");
    execute("TRUNCATE TABLE t");
    assertThat(sameAnswers(SOME_COLUMNS, "eu", 1)).isEmpty();
  }

  @Test
  void answersFollowSchemaChanges() throws SQLException {
    execute("ALTER TABLE t ADD COLUMN stock INT DEFAULT '7'");
    assertThat(sameAnswers("note, stock", "eu", 1)).containsExactly("first|7");
    assertThat(sameAnswers(ALL_COLUMNS, "eu", 1).get(0)).endsWith("|first|7");
    execute("ALTER TABLE t DROP COLUMN note");
    assertThat(sameAnswers(ALL_COLUMNS, "eu", 1).get(0)).endsWith("|abcd|7");
    execute(
        "DROP TABLE t",
        "CREATE TABLE t (region VARCHAR(16), id BIGINT, note STRING) UNIQUE KEY(region, id)"
            + " DISTRIBUTED BY HASH(region) BUCKETS 2",
        "INSERT INTO t VALUES ('eu', 1, 'recreated')");
    assertThat(sameAnswers(ALL_COLUMNS, "eu", 1)).containsExactly("eu|1|recreated");
    execute(
        "DROP TABLE t",
        "CREATE TABLE t (id BIGINT, region VARCHAR(16), note STRING) DUPLICATE KEY(id, region)"
            + " DISTRIBUTED BY HASH(id) BUCKETS 2",
        "INSERT INTO t VALUES (1, 'eu', 'a'), (1, 'eu', 'b')");
    assertThat(sameAnswers(ALL_COLUMNS, "eu", 1)).containsExactly("1|eu|a", "1|eu|b");
  }

  /**
   * Statements close to a point query but not one (another predicate, a partial key, an OR, an
   * expression, an aggregate, a LIMIT) and a session with {@code sql_select_limit} take the general
   * path and answer as the text statement does.
   */
  @Test
  void nearPointQueriesAnswerAsText() throws SQLException {
    Object[][] cases = {
      {"SELECT note FROM t WHERE id = ? AND region = ? AND note = ?", 1, "eu", "first"},
      {"SELECT note FROM t WHERE id = ? AND region = ? AND note = ?", 1, "eu", "other"},
      {"SELECT note FROM t WHERE id = ?", 1},
      {"SELECT note FROM t WHERE id = ? OR region = ?", 2, "us"},
      {"SELECT note FROM t WHERE id > ? AND region = ?", 0, "eu"},
      {"SELECT upper(note), id + 1 FROM t WHERE id = ? AND region = ?", 1, "eu"},
      {"SELECT count(*) FROM t WHERE id = ? AND region = ?", 1, "eu"},
      {"SELECT note FROM t WHERE id = ? AND region = ? LIMIT 0", 1, "eu"},
      {"SELECT note FROM t WHERE id = ? AND region = ? AND id = ?", 1, "eu", 1},
    };
    for (Object[] statement : cases) {
      String sql = (String) statement[0];
      Object[] values = java.util.Arrays.copyOfRange(statement, 1, statement.length);
      for (int run = 0; run < 2; run++) {
        assertThat(preparedRows(sql, values))
            .as("%s with %s", sql, java.util.Arrays.asList(values))
            .isEqualTo(textRows(sql, values));
      }
    }
    String lookup = "SELECT note FROM t WHERE id = ? AND region = ?";
    assertThat(preparedRows(lookup, 1, "eu")).containsExactly("first");
    try (Statement statement = prepared.createStatement()) {
      statement.execute("SET sql_select_limit = 0");
      assertThat(preparedRows(lookup, 1, "eu")).isEmpty();
      statement.execute("SET sql_select_limit = DEFAULT");
    }
    assertThat(preparedRows(lookup, 1, "eu")).containsExactly("first");
  }

  private List<String> textRows(String sql, Object... values) throws SQLException {
    StringBuilder literalText = new StringBuilder();
    int next = 0;
    for (char c : sql.toCharArray()) {
      if (c == '?') {
        Object value = values[next++];
        literalText.append(value instanceof String string ? "'" + string + "'" : value);
      } else {
        literalText.append(c);
      }
    }
    try (Statement statement = text.createStatement();
        ResultSet resultSet = statement.executeQuery(literalText.toString())) {
      return collect(resultSet);
    }
  }

  /**
   * The prepared lookup of {@code columns} by region and id (keys in both orders in the WHERE
   * clause; each run twice, the second from the cached plan) equals the general path's answer: a
   * full scan of the same columns through the pipeline, with the key compared here.
   */
  private List<String> sameAnswers(String columns, Object region, Object id) throws SQLException {
    List<String> general = generalPathRows(columns, region, id);
    String regionFirst = "SELECT " + columns + " FROM t WHERE region = ? AND id = ?";
    String idFirst = "SELECT " + columns + " FROM t WHERE id = ? AND region = ?";
    for (int run = 0; run < 2; run++) {
      assertThat(preparedRows(regionFirst, region, id))
          .as("%s with %s, %s", regionFirst, region, id)
          .isEqualTo(general);
      assertThat(preparedRows(idFirst, id, region))
          .as("%s with %s, %s", idFirst, id, region)
          .isEqualTo(general);
    }
    return general;
  }

  private List<String> generalPathRows(String columns, Object region, Object id)
      throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = text.createStatement();
        ResultSet resultSet = statement.executeQuery("SELECT " + columns + ", region, id FROM t")) {
      int width = resultSet.getMetaData().getColumnCount();
      while (resultSet.next()) {
        if (region == null
            || id == null
            || !region.toString().equals(resultSet.getString(width - 1))
            || !id.toString().equals(resultSet.getString(width))) {
          continue;
        }
        StringBuilder row = new StringBuilder();
        for (int column = 1; column <= width - 2; column++) {
          row.append(column == 1 ? "" : "|").append(resultSet.getString(column));
        }
        rows.add(row.toString());
      }
    }
    rows.sort(null);
    return rows;
  }

  private List<String> preparedRows(String sql, Object... values) throws SQLException {
    try (PreparedStatement statement = prepared.prepareStatement(sql)) {
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
