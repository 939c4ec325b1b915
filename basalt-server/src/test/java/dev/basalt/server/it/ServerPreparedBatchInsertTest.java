package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.Date;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * JDBC batches prepared on the server (Connector/J with {@code useServerPrepStmts=true} and {@code
 * rewriteBatchedStatements=true}: one COM_STMT_PREPARE of {@code INSERT ... VALUES (?, ..), (?,
 * ..), ...} and a COM_STMT_EXECUTE with binary parameters per batch), whose values are read into
 * the columns from the packet (server.mysql.BoundValueRows). The same rows sent as text (the
 * COM_QUERY path) give the same table; with and without the shared commit (whose six batches share
 * one version); MariaDB Connector/J's batches, which arrive as COM_STMT_BULK_EXECUTE (one packet of
 * parameter sets for the one-row INSERT), prepared on the server or not; a bad value late in a
 * batch leaves nothing of the batch, through either driver; MariaDB's bulk DELETE runs once per
 * set.
 */
class ServerPreparedBatchInsertTest {
  private static final int ROWS = 5_300;

  /** Every lineitem column type, and the other common ones. */
  private static final String COLUMNS =
      " (id BIGINT NOT NULL, part INT, line TINYINT, small SMALLINT, qty DECIMAL(15, 2),"
          + " wide DECIMAL(38, 10), flag CHAR(1), ship DATE, stamp DATETIME, ratio DOUBLE,"
          + " mode CHAR(10), comment VARCHAR(44)) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id)"
          + " BUCKETS 3";

  private static final String INSERT_TAIL = " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final BigDecimal TINY = new BigDecimal("0.0000000001");

  private static TestServer server;

  @BeforeAll
  static void start() throws SQLException {
    server = TestServer.start();
    try (Connection admin = DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE batches");
      for (String table :
          List.of("text", "prepared", "shared", "mariadb", "mariadb_client", "failing")) {
        // The shared table's group commits only when read: its batches share one version.
        statement.execute(
            "CREATE TABLE batches."
                + table
                + COLUMNS
                + (table.equals("shared")
                    ? " PROPERTIES (\"group_commit_interval_ms\" = \"600000\")"
                    : ""));
      }
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void serverPreparedBatchesLoadTheSameRowsAsTextBatches() throws Exception {
    insert(server.mysqlUrl("batches", "rewriteBatchedStatements=true"), "text", false);
    insert(
        server.mysqlUrl("batches", "useServerPrepStmts=true&rewriteBatchedStatements=true"),
        "prepared",
        false);
    long sharedVersion = visibleVersion("shared");
    insert(
        server.mysqlUrl(
            "batches",
            "useServerPrepStmts=true&rewriteBatchedStatements=true"
                + "&sessionVariables=enable_insert_shared_commit=1"),
        "shared",
        false);
    assertThat(visibleVersion("shared")).isEqualTo(sharedVersion + 1);
    insert(server.mariadbUrl("batches", "useServerPrepStmts=true"), "mariadb", true);
    insert(server.mariadbUrl("batches", ""), "mariadb_client", true);

    String all = "SELECT * FROM batches.%s ORDER BY id";
    List<String> expected = server.rows("batches", all.formatted("text"));
    assertThat(expected).hasSize(ROWS);
    assertThat(expected.get(0)).startsWith("0|null|0|0|0.00|").endsWith("|MAIL|Ünïcødé 🙂 0 it's");
    assertThat(expected.get(7))
        .isEqualTo("7|-7|7|-7|0.07|-7.0000000001|\\|2024-01-08|2024-01-01 00:00:07|1.75|null|null");
    for (String table : List.of("prepared", "shared", "mariadb", "mariadb_client")) {
      assertThat(server.rows("batches", all.formatted(table))).as(table).isEqualTo(expected);
    }
  }

  @Test
  void aBadValueLateInABatchLeavesNothingOfIt() throws Exception {
    for (String url :
        List.of(
            server.mysqlUrl("batches", "useServerPrepStmts=true&rewriteBatchedStatements=true"),
            server.mysqlUrl(
                "batches",
                "useServerPrepStmts=true&rewriteBatchedStatements=true"
                    + "&sessionVariables=enable_insert_shared_commit=1"),
            server.mariadbUrl("batches", "useServerPrepStmts=true"),
            server.mariadbUrl("batches", "sessionVariables=enable_insert_shared_commit=1"))) {
      try (Connection connection = DriverManager.getConnection(url, "root", "");
          PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO failing (id, part, qty, comment) VALUES (?, ?, ?, ?)")) {
        for (String failure : List.of("part", "qty", "comment")) {
          for (int i = 0; i < 1_000; i++) {
            boolean bad = i == 900;
            insert.setLong(1, i);
            if (bad && failure.equals("part")) {
              insert.setString(2, "not a number");
            } else {
              insert.setLong(2, bad && failure.equals("qty") ? 0 : i);
            }
            insert.setBigDecimal(
                3, bad && failure.equals("qty") ? new BigDecimal("1e14") : BigDecimal.ONE);
            insert.setString(4, bad && failure.equals("comment") ? "é".repeat(45) : "ok");
            insert.addBatch();
          }
          // MariaDB Connector/J starts another bulk packet where a parameter's type changes:
          // the string bound to "part" is a statement of its own, the rows around it others.
          boolean ownPacket = failure.equals("part") && url.startsWith("jdbc:mariadb:");
          String message =
              switch (failure) {
                case "part" ->
                    "Incorrect int value: 'not a number' for column 'part' at row "
                        + (ownPacket ? 1 : 901);
                case "qty" -> "for column 'qty' at row 901";
                default -> "comment";
              };
          assertThatThrownBy(insert::executeBatch)
              .as(failure + " through " + url)
              .isInstanceOf(BatchUpdateException.class)
              .hasMessageContaining(message);
          insert.clearBatch();
          assertThat(server.rows("batches", "SELECT count(*) FROM failing"))
              .as(failure + " through " + url)
              .containsExactly(ownPacket ? "999" : "0");
          if (ownPacket) {
            try (Statement statement = connection.createStatement()) {
              statement.execute("TRUNCATE TABLE failing");
            }
          }
        }
      }
    }
  }

  /**
   * A batch of 6,000 twelve-column rows needs 72,000 placeholders, more than a prepare answer can
   * count: Basalt refuses the prepare with 1390, as MySQL does, and Connector/J sends the batch
   * another way; every row arrives.
   */
  @Test
  void aBatchWithMorePlaceholdersThanAPrepareCountsStillLoads() throws Exception {
    try (Connection connection =
            DriverManager.getConnection(
                server.mysqlUrl(
                    "batches",
                    "useServerPrepStmts=true&rewriteBatchedStatements=true&cachePrepStmts=true"),
                "root",
                "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE wide_batch" + COLUMNS);
      try (PreparedStatement insert =
          connection.prepareStatement("INSERT INTO wide_batch" + INSERT_TAIL)) {
        for (int i = 0; i < 6_000; i++) {
          insert.setLong(1, i);
          for (int c = 2; c <= 12; c++) {
            insert.setNull(c, Types.VARCHAR);
          }
          insert.addBatch();
        }
        insert.executeBatch();
      }
      assertThat(server.rows("batches", "SELECT count(*), sum(id) FROM wide_batch"))
          .containsExactly("6000|17997000");
    }
  }

  /**
   * MariaDB Connector/J with {@code useBulkStmts=true} sends a batch of any statement as one
   * COM_STMT_BULK_EXECUTE: Basalt runs a DELETE once per parameter set and answers one OK.
   */
  @Test
  void bulkDeleteRunsOncePerParameterSet() throws Exception {
    try (Connection connection =
            DriverManager.getConnection(
                server.mariadbUrl("batches", "useBulkStmts=true&useServerPrepStmts=true"),
                "root",
                "");
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE keyed (k INT, v VARCHAR(10)) UNIQUE KEY(k) DISTRIBUTED BY HASH(k)"
              + " BUCKETS 2");
      statement.execute(
          "INSERT INTO keyed VALUES (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd'), (5, 'e'), (6, 'f')");
      try (PreparedStatement delete =
          connection.prepareStatement("DELETE FROM keyed WHERE k = ? AND v = ?")) {
        for (Object[] key : new Object[][] {{2, "b"}, {4, "x"}, {5, "e"}}) {
          delete.setInt(1, (Integer) key[0]);
          delete.setString(2, (String) key[1]);
          delete.addBatch();
        }
        delete.executeBatch();
        assertThat(delete.getUpdateCount()).as("the sets' affected rows, summed").isEqualTo(2);
      }
      assertThat(server.rows("batches", "SELECT k FROM keyed ORDER BY k"))
          .containsExactly("1", "3", "4", "6");
    }
  }

  private static long visibleVersion(String table) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(server.mysqlUrl("batches", ""), "root", "");
        Statement statement = connection.createStatement();
        java.sql.ResultSet result = statement.executeQuery("SHOW PARTITIONS FROM " + table)) {
      assertThat(result.next()).isTrue();
      return result.getLong("VisibleVersion");
    }
  }

  /**
   * Inserts {@link #ROWS} rows in batches of 1,000 (the last 300 through a second, shorter
   * statement), some of every column NULL; dates bound as dates and as strings.
   */
  private static void insert(String url, String table, boolean mariadb) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, "root", "");
        PreparedStatement insert =
            connection.prepareStatement("INSERT INTO " + table + INSERT_TAIL)) {
      if (mariadb) {
        // The driver sends its batches as COM_STMT_BULK_EXECUTE when the server announces it.
        assertThat(
                connection
                    .unwrap(org.mariadb.jdbc.Connection.class)
                    .getContext()
                    .hasServerCapability(
                        org.mariadb.jdbc.util.constants.Capabilities.STMT_BULK_OPERATIONS))
            .isTrue();
      }
      for (int i = 0; i < ROWS; i++) {
        insert.setLong(1, i);
        if (i % 3 == 0) {
          insert.setNull(2, Types.INTEGER);
        } else {
          insert.setInt(2, -i);
        }
        insert.setByte(3, (byte) (i % 128));
        insert.setShort(4, (short) -(i % 30_000));
        insert.setBigDecimal(5, BigDecimal.valueOf(i, 2));
        insert.setBigDecimal(
            6, i == 0 ? BigDecimal.ZERO : BigDecimal.valueOf(i).add(TINY).negate());
        insert.setString(7, i % 7 == 0 && i % 2 == 1 ? "\\" : i % 2 == 0 ? "A" : "é");
        if (i % 2 == 0) {
          insert.setDate(8, Date.valueOf(java.time.LocalDate.of(2024, 1, 1).plusDays(i % 366)));
        } else {
          insert.setString(8, java.time.LocalDate.of(2024, 1, 1).plusDays(i % 366).toString());
        }
        insert.setTimestamp(
            9, Timestamp.valueOf(java.time.LocalDateTime.of(2024, 1, 1, 0, 0).plusSeconds(i)));
        insert.setDouble(10, i * 0.25);
        if (i % 7 == 0 && i % 2 == 1) {
          insert.setNull(11, Types.CHAR);
          insert.setNull(12, Types.VARCHAR);
        } else {
          insert.setString(11, i % 2 == 0 ? "MAIL" : "TRUCK");
          insert.setString(12, "Ünïcødé 🙂 " + i + " it's");
        }
        insert.addBatch();
        if (i % 1_000 == 999 || i == ROWS - 1) {
          insert.executeBatch();
        }
      }
    }
  }
}
