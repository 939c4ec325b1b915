package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code BEGIN} ... {@code COMMIT | ROLLBACK} over JDBC, with Doris's semantics (docs/sql.md): the
 * INSERTs of a transaction become visible together at COMMIT, to every session at once, and vanish
 * at ROLLBACK or when the connection ends.
 */
class ExplicitTransactionTest {
  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void freshTables() throws SQLException {
    try (Connection connection = connect()) {
      execute(
          connection,
          "DROP DATABASE IF EXISTS txn",
          "CREATE DATABASE txn",
          "CREATE TABLE txn.orders (id INT, amount INT) UNIQUE KEY(id)"
              + " DISTRIBUTED BY HASH(id) BUCKETS 2",
          "CREATE TABLE txn.other (id INT) DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1",
          "INSERT INTO txn.orders VALUES (1, 10)");
    }
  }

  @Test
  void insertsBecomeVisibleTogetherAtCommit() throws SQLException {
    try (Connection writer = connect();
        Connection reader = connect()) {
      execute(writer, "BEGIN", "INSERT INTO txn.orders VALUES (2, 20), (3, 30)");
      try (PreparedStatement insert =
          writer.prepareStatement("INSERT INTO txn.orders VALUES (?, ?)")) {
        insert.setInt(1, 4);
        insert.setInt(2, 40);
        assertThat(insert.executeUpdate()).isEqualTo(1);
      }
      execute(writer, "INSERT INTO txn.orders SELECT id + 10, amount FROM txn.orders");

      // Nobody sees the transaction's rows before COMMIT, the writing session included.
      assertThat(ids(reader)).containsExactly(1);
      assertThat(ids(writer)).containsExactly(1);

      execute(writer, "COMMIT");
      assertThat(ids(reader)).containsExactly(1, 2, 3, 4, 11);
      assertThat(ids(writer)).containsExactly(1, 2, 3, 4, 11);
    }
  }

  @Test
  void rollbackDiscardsEveryWriteAndLaterStatementsCommitOnTheirOwn() throws SQLException {
    try (Connection connection = connect()) {
      execute(
          connection,
          "START TRANSACTION",
          "INSERT INTO txn.orders VALUES (2, 20)",
          "INSERT INTO txn.orders VALUES (1, 99)",
          "ROLLBACK");
      assertThat(rows(connection, "SELECT id, amount FROM txn.orders ORDER BY id"))
          .containsExactly("1:10");

      execute(connection, "INSERT INTO txn.orders VALUES (5, 50)", "ROLLBACK");
      assertThat(ids(connection)).as("a ROLLBACK outside a transaction undoes nothing").contains(5);
    }
  }

  @Test
  void jdbcAutoCommitOffIsNotATransactionButBeginIs() throws SQLException {
    // Connector/J's setAutoCommit(false) sends SET autocommit=0; as in Doris each statement still
    // commits on its own, and commit()/rollback() have nothing to do.
    try (Connection connection = connect()) {
      connection.setAutoCommit(false);
      execute(connection, "INSERT INTO txn.orders VALUES (6, 60)");
      connection.rollback();
      assertThat(ids(connection)).contains(6);
    }
  }

  @Test
  void aConnectionThatEndsInsideATransactionRollsItBack() throws Exception {
    String connectionId;
    try (Connection connection = connect()) {
      connectionId = rows(connection, "SELECT CONNECTION_ID()").get(0);
      execute(connection, "BEGIN", "INSERT INTO txn.orders VALUES (7, 70)");
    }
    try (Connection connection = connect()) {
      // The server ends the session once it sees the disconnect; wait for that, then look.
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (rows(connection, "SELECT id FROM information_schema.processlist")
              .contains(connectionId)
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(rows(connection, "SELECT id FROM information_schema.processlist"))
          .doesNotContain(connectionId);
      assertThat(ids(connection)).containsExactly(1);
    }
  }

  @Test
  void aSecondTableIsRefusedAndTheTransactionGoesOn() throws SQLException {
    try (Connection connection = connect()) {
      execute(connection, "BEGIN", "INSERT INTO txn.orders VALUES (2, 20)");
      assertThatThrownBy(() -> execute(connection, "INSERT INTO txn.other VALUES (1)"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("a transaction writes one table");
      assertThatThrownBy(() -> execute(connection, "DELETE FROM txn.orders WHERE id = 1"))
          .hasMessageContaining("DELETE inside an explicit transaction is not supported yet");
      assertThatThrownBy(() -> execute(connection, "BEGIN"))
          .hasMessageContaining("a transaction is already open");
      execute(connection, "COMMIT");
      assertThat(ids(connection)).containsExactly(1, 2);
      assertThat(rows(connection, "SELECT COUNT(*) FROM txn.other")).containsExactly("0");
    }
  }

  @Test
  void aFailedStatementRollsBackTheWholeTransaction() throws SQLException {
    try (Connection connection = connect()) {
      execute(connection, "BEGIN", "INSERT INTO txn.orders VALUES (2, 20)");
      // 'x' is not an INT: the statement fails (strict insert) after the transaction had rows.
      assertThatThrownBy(() -> execute(connection, "INSERT INTO txn.orders VALUES (3, 'x')"))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> execute(connection, "INSERT INTO txn.orders VALUES (4, 40)"))
          .hasMessageContaining("the transaction was rolled back");
      assertThatThrownBy(() -> execute(connection, "COMMIT"))
          .hasMessageContaining("the transaction was rolled back");
      assertThat(ids(connection)).containsExactly(1);
      // The failing COMMIT ended the transaction: statements commit on their own again.
      execute(connection, "INSERT INTO txn.orders VALUES (8, 80)");
      assertThat(ids(connection)).containsExactly(1, 8);
    }
  }

  @Test
  void beginWithLabelCommitsUnderThatLabelOnce() throws SQLException {
    try (Connection connection = connect()) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("USE txn");
        statement.execute("BEGIN WITH LABEL nightly_1");
        statement.execute("INSERT INTO orders VALUES (2, 20)");
        statement.execute("COMMIT");
        assertThat((Object) statement.getWarnings()).isNull();
      }
      assertThat(ids(connection)).containsExactly(1, 2);
      // A used label is refused at the transaction's first write, before anything is written.
      execute(connection, "BEGIN WITH LABEL nightly_1");
      assertThatThrownBy(() -> execute(connection, "INSERT INTO txn.orders VALUES (3, 30)"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Label [nightly_1] has already been used");
      execute(connection, "COMMIT");
      assertThat(ids(connection)).containsExactly(1, 2);
    }
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl("", ""), TestServer.ROOT_USER, "");
  }

  private static void execute(Connection connection, String... statements) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private static List<Integer> ids(Connection connection) throws SQLException {
    List<Integer> ids = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT id FROM txn.orders ORDER BY id")) {
      while (rows.next()) {
        ids.add(rows.getInt(1));
      }
    }
    return ids;
  }

  private static List<String> rows(Connection connection, String query) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(query)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(i > 1 ? ":" : "").append(result.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
