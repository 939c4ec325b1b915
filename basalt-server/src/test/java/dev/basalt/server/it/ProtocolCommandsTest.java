package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mysql.cj.jdbc.JdbcConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The protocol commands connection pools use (COM_CHANGE_USER, KILL), and multi-statement queries
 * only for clients that ask for them, through the real drivers against the real engine.
 * COM_RESET_CONNECTION is checked byte by byte in RawProtocolTest.
 */
class ProtocolCommandsTest {
  private static TestServer server;

  @BeforeAll
  static void start() throws SQLException {
    server = TestServer.start();
    try (Connection root = connect("", "root", "")) {
      execute(root, "CREATE DATABASE pool", "CREATE USER alice IDENTIFIED BY 'a-pass'");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void changeUserSwitchesTheSessionsUserAndRefusesAWrongPassword() throws SQLException {
    try (Connection connection = connect("", "root", "")) {
      JdbcConnection jdbc = connection.unwrap(JdbcConnection.class);
      jdbc.changeUser("alice", "a-pass");
      assertThat(single(connection, "SELECT CURRENT_USER()")).isEqualTo("'alice'@'%'");
      assertThatThrownBy(() -> jdbc.changeUser("alice", "wrong"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1045));
    }
  }

  @Test
  void killClosesAnotherConnectionOfTheSameUserOnly() throws SQLException {
    try (Connection victim = connect("", "alice", "a-pass");
        Connection other = connect("", "alice", "a-pass");
        Connection root = connect("", "root", "")) {
      long victimId = Long.parseLong(single(victim, "SELECT CONNECTION_ID()"));
      long rootId = Long.parseLong(single(root, "SELECT CONNECTION_ID()"));
      assertThatThrownBy(() -> execute(other, "KILL " + rootId))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1095));
      assertThatThrownBy(() -> execute(other, "KILL 987654321"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1094));
      execute(other, "KILL CONNECTION " + victimId);
      assertThatThrownBy(() -> single(victim, "SELECT 1")).isInstanceOf(SQLException.class);
      assertThat(single(other, "SELECT 1")).isEqualTo("1");
      assertThat(single(root, "SELECT 1")).isEqualTo("1");
    }
  }

  @Test
  void severalStatementsInOneQueryNeedTheClientsMultiStatementsOption() throws SQLException {
    try (Connection plain = connect("pool", "root", "")) {
      assertThatThrownBy(() -> execute(plain, "SELECT 1; SELECT 2"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1064))
          .hasMessageContaining("multi-statements");
    }
    String url = TestServer.mysqlUrl(server.queryPort(), "pool", "allowMultiQueries=true");
    try (Connection multi = DriverManager.getConnection(url, "root", "");
        Statement statement = multi.createStatement()) {
      assertThat(statement.execute("SELECT 1; SELECT 2")).isTrue();
      assertThat(statement.getMoreResults()).isTrue();
      try (ResultSet rows = statement.getResultSet()) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getInt(1)).isEqualTo(2);
      }
    }
  }

  private static Connection connect(String database, String user, String password)
      throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl(database, ""), user, password);
  }

  private static void execute(Connection connection, String... statements) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private static String single(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).isTrue();
      return rows.getString(1);
    }
  }
}
