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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Views through the front door (JDBC over the MySQL protocol): their definitions survive a restart,
 * a user with SELECT on a view reads it without rights on its tables (SQL SECURITY DEFINER), and a
 * server-side prepared statement over a view sees the view's new definition, and its tables' new
 * columns, at its next execution (the plan cache).
 */
class ViewsTest {
  private static final String PREPARED = "useServerPrepStmts=true&cachePrepStmts=true";

  private TestServer server;

  @BeforeEach
  void start() throws SQLException {
    server = TestServer.start();
    execute(
        "CREATE DATABASE shop",
        "CREATE TABLE shop.items (id INT, name VARCHAR(20), price DECIMAL(8,2)) UNIQUE KEY(id)"
            + " DISTRIBUTED BY HASH(id) BUCKETS 2",
        "CREATE TABLE shop.secret (id INT, note VARCHAR(20)) DUPLICATE KEY(id)"
            + " DISTRIBUTED BY HASH(id) BUCKETS 1",
        "INSERT INTO shop.items VALUES (1, 'apple', 1.50), (2, 'pear', 2.00), (3, 'fig', 9.00)",
        "INSERT INTO shop.secret VALUES (1, 'a'), (3, 'c')",
        "CREATE VIEW shop.cheap (id, label) COMMENT 'under 5' AS"
            + " SELECT id, name FROM items WHERE price < 5");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void definitionsSurviveRestart() throws SQLException {
    execute(
        "USE shop",
        "CREATE VIEW shop.noted AS SELECT c.label, s.note FROM cheap c JOIN secret s ON s.id = c.id",
        "CREATE DATABASE gone",
        "CREATE VIEW gone.v AS SELECT 1 AS one",
        "DROP DATABASE gone");
    String createBefore = rows("SHOW CREATE VIEW shop.cheap").get(0);
    server.restart();
    assertThat(rows("SHOW CREATE VIEW shop.cheap")).containsExactly(createBefore);
    assertThat(createBefore)
        .contains("VIEW `cheap` (`id`,`label`) COMMENT 'under 5' AS SELECT id, name FROM items");
    assertThat(rows("SELECT label FROM shop.cheap ORDER BY id")).containsExactly("apple", "pear");
    assertThat(rows("SELECT * FROM shop.noted")).containsExactly("apple|a");
    assertThat(rows("SELECT TABLE_NAME FROM information_schema.VIEWS ORDER BY 1"))
        .containsExactly("cheap", "noted");
    // DROP DATABASE took its view with it, also in the stored catalog.
    execute("CREATE DATABASE gone");
    assertThat(rows("SHOW FULL TABLES FROM gone")).isEmpty();
  }

  @Test
  void selectOnTheViewIsEnoughAndRequired() throws SQLException {
    execute(
        "CREATE USER alice IDENTIFIED BY 'alice-pass'", "GRANT SELECT_PRIV ON shop.cheap TO alice");
    try (Connection alice =
        DriverManager.getConnection(server.mysqlUrl("shop", ""), "alice", "alice-pass")) {
      assertThat(rows(alice, "SELECT label FROM cheap ORDER BY id"))
          .containsExactly("apple", "pear");
      // Its base table is not readable directly...
      assertThatThrownBy(() -> rows(alice, "SELECT name FROM items"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1142));
      // ... nor is a table joined beside the view.
      assertThatThrownBy(() -> rows(alice, "SELECT * FROM cheap c JOIN secret s ON s.id = c.id"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("secret")
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1142));
      execute("REVOKE SELECT_PRIV ON shop.cheap FROM alice");
      assertThatThrownBy(() -> rows(alice, "SELECT * FROM cheap"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("cheap")
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1142));
      // Creating a view needs rights on what it reads: no laundering through a new view.
      execute("GRANT CREATE_PRIV ON shop.* TO alice");
      assertThatThrownBy(() -> rows(alice, "CREATE VIEW mine AS SELECT * FROM secret"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1142));
    }
  }

  @Test
  void viewsReadWithTheirDefinersRightsAsTheyAreNow() throws SQLException {
    execute(
        "CREATE USER owner IDENTIFIED BY 'owner-pass'",
        "CREATE USER outer_owner IDENTIFIED BY 'outer-pass'",
        "CREATE USER reader IDENTIFIED BY 'reader-pass'",
        "GRANT SELECT_PRIV ON shop.items TO owner",
        "GRANT CREATE_PRIV ON shop.* TO owner",
        "GRANT CREATE_PRIV ON shop.* TO outer_owner");
    try (Connection owner =
            DriverManager.getConnection(server.mysqlUrl("shop", ""), "owner", "owner-pass");
        Connection outerOwner =
            DriverManager.getConnection(server.mysqlUrl("shop", ""), "outer_owner", "outer-pass");
        Connection reader =
            DriverManager.getConnection(server.mysqlUrl("", ""), "reader", "reader-pass")) {
      execute(owner, "CREATE VIEW owned AS SELECT id, name FROM items WHERE id < 3");
      // A view over another user's view: its definer needs SELECT on that view, not the table.
      execute("GRANT SELECT_PRIV ON shop.owned TO outer_owner");
      execute(outerOwner, "CREATE VIEW wrapped AS SELECT name FROM owned");
      execute("GRANT SELECT_PRIV ON shop.wrapped TO reader");
      assertThat(rows(reader, "SELECT name FROM shop.wrapped ORDER BY name"))
          .containsExactly("apple", "pear");
      // The inner view's definer loses SELECT on the table: both views stop answering (1356),
      // also for root, as in MySQL, and come back with the grant.
      execute("REVOKE SELECT_PRIV ON shop.items FROM owner");
      assertThatThrownBy(() -> rows(reader, "SELECT name FROM shop.wrapped"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("shop.owned")
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1356));
      for (String query : List.of("SELECT name FROM shop.wrapped", "SELECT * FROM shop.owned")) {
        assertThatThrownBy(() -> rows(query))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("shop.owned")
            .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1356));
      }
      execute("GRANT SELECT_PRIV ON shop.items TO owner");
      assertThat(rows(reader, "SELECT COUNT(*) FROM shop.wrapped")).containsExactly("2");
      // The outer view's definer loses SELECT on the inner view.
      execute("REVOKE SELECT_PRIV ON shop.owned FROM outer_owner");
      assertThatThrownBy(() -> rows(reader, "SELECT name FROM shop.wrapped"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("shop.wrapped")
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1356));
      // A dropped definer closes its view too.
      execute("GRANT SELECT_PRIV ON shop.owned TO outer_owner", "DROP USER owner");
      assertThatThrownBy(() -> rows(reader, "SELECT name FROM shop.wrapped"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1356));
    }
    // A view that would read with the caller's rights is refused, not read as DEFINER.
    assertThatThrownBy(
            () ->
                execute("CREATE SQL SECURITY INVOKER VIEW shop.mine AS SELECT id FROM shop.items"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("SQL SECURITY INVOKER")
        .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1235));
  }

  @Test
  void cachedPlansFollowTheViewAndItsTables() throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(server.mysqlUrl("shop", PREPARED), "root", "");
        PreparedStatement query =
            connection.prepareStatement("SELECT * FROM cheap WHERE id >= ? ORDER BY id")) {
      assertThat(rows(query, 1)).containsExactly("1|apple", "2|pear");
      assertThat(rows(query, 2)).containsExactly("2|pear");
      // (Connector/J merges a prepared statement's column definitions with each execution's, so
      // the redefinitions keep two columns.)
      execute("CREATE OR REPLACE VIEW shop.cheap AS SELECT id, UPPER(name) FROM shop.items");
      assertThat(rows(query, 2)).containsExactly("2|PEAR", "3|FIG");
      execute("ALTER TABLE shop.items ADD COLUMN stock INT DEFAULT '7'");
      execute("ALTER VIEW shop.cheap AS SELECT id, stock FROM shop.items");
      assertThat(rows(query, 3)).containsExactly("3|7");
      execute("DROP TABLE shop.items");
      assertThatThrownBy(() -> rows(query, 1))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1356));
      execute(
          "CREATE TABLE shop.items (id INT, name VARCHAR(20), price DECIMAL(8,2), stock INT)"
              + " UNIQUE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1",
          "INSERT INTO shop.items VALUES (4, 'kiwi', 0.50, 1)");
      assertThat(rows(query, 1)).containsExactly("4|1");
      execute("DROP VIEW shop.cheap");
      assertThatThrownBy(() -> rows(query, 1))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1146));
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private void execute(String... statements) throws SQLException {
    try (Connection connection = DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private List<String> rows(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(server.mysqlUrl("", ""), "root", "")) {
      return rows(connection, sql);
    }
  }

  private static List<String> rows(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      if (!statement.execute(sql)) {
        return List.of();
      }
      return collect(statement.getResultSet());
    }
  }

  private static List<String> rows(PreparedStatement query, int parameter) throws SQLException {
    query.setInt(1, parameter);
    try (ResultSet result = query.executeQuery()) {
      return collect(result);
    }
  }

  private static List<String> collect(ResultSet result) throws SQLException {
    List<String> rows = new ArrayList<>();
    int columns = result.getMetaData().getColumnCount();
    while (result.next()) {
      StringBuilder row = new StringBuilder();
      for (int i = 1; i <= columns; i++) {
        row.append(i == 1 ? "" : "|").append(result.getString(i));
      }
      rows.add(row.toString());
    }
    return rows;
  }
}
