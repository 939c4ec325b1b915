package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basalt.server.tls.RsaKeyPairFile;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Users, privileges and roles enforced through the MySQL protocol (docs/security.md): every
 * statement kind is refused with MySQL's error (1044, 1142, 1227) until the privilege it needs is
 * granted, a REVOKE takes effect at the next statement, and grants survive a restart.
 */
class PrivilegeTest {
  private TestServer server;
  private Connection root;

  @BeforeEach
  void start() throws SQLException {
    server = TestServer.start();
    root = connect("root", "");
    execute(
        root,
        "CREATE DATABASE sales",
        "CREATE TABLE sales.orders (id INT, amount INT) DUPLICATE KEY(id)"
            + " DISTRIBUTED BY HASH(id) BUCKETS 1",
        "CREATE TABLE sales.secrets (id INT, note VARCHAR(20)) DUPLICATE KEY(id)"
            + " DISTRIBUTED BY HASH(id) BUCKETS 1",
        "INSERT INTO sales.orders VALUES (1, 10), (2, 20)",
        "INSERT INTO sales.secrets VALUES (1, 'hidden')",
        "CREATE USER alice IDENTIFIED BY 'alice-pass'");
  }

  @AfterEach
  void stop() throws SQLException {
    root.close();
    server.close();
  }

  @Test
  void aNewUserCanDoNothingUntilGranted() throws SQLException {
    try (Connection alice = connect("alice", "alice-pass")) {
      assertThat(column(alice, "SHOW DATABASES")).containsExactly("information_schema");
      assertRefused(
          alice,
          "USE sales",
          1044,
          "Access denied for user 'alice'@'127.0.0.1' to database 'sales'");
      assertRefused(
          alice,
          "SELECT * FROM sales.orders",
          1142,
          "SELECT command denied to user 'alice'@'127.0.0.1' for table 'orders'");
      assertRefused(alice, "EXPLAIN SELECT * FROM sales.orders", 1142, "SELECT command denied");
      assertRefused(alice, "INSERT INTO sales.orders VALUES (3, 30)", 1142, "INSERT command");
      assertRefused(alice, "TRUNCATE TABLE sales.orders", 1142, "TRUNCATE command");
      assertRefused(alice, "DROP TABLE sales.orders", 1142, "DROP command");
      assertRefused(alice, "ALTER TABLE sales.orders ADD COLUMN x INT", 1142, "ALTER command");
      assertRefused(alice, "CREATE DATABASE mine", 1044, "to database 'mine'");
      assertRefused(alice, "DROP DATABASE sales", 1044, "to database 'sales'");
      assertRefused(alice, "CREATE USER mallory", 1227, "GRANT privilege");
      assertRefused(alice, "ALTER USER root IDENTIFIED BY 'owned'", 1227, "GRANT privilege");
      assertRefused(alice, "GRANT SELECT_PRIV ON *.* TO alice", 1227, "GRANT privilege");
      assertRefused(alice, "SET GLOBAL time_zone = '+00:00'", 1227, "ADMIN privilege");
      assertRefused(alice, "SHOW CREATE TABLE sales.orders", 1142, "SHOW command");
      assertRefused(alice, "SHOW GRANTS FOR root", 1227, "GRANT privilege");
      assertThat(
              column(
                  alice,
                  "SELECT table_name FROM information_schema.tables"
                      + " WHERE table_schema = 'sales'"))
          .isEmpty();
      // Changing one's own password needs no privilege.
      execute(alice, "SET PASSWORD = PASSWORD('alice-new')");
    }
    try (Connection alice = connect("alice", "alice-new")) {
      assertThat(column(alice, "SELECT 1")).containsExactly("1");
    }
    // Root's data is untouched by every refused statement.
    assertThat(column(root, "SELECT COUNT(*) FROM sales.orders")).containsExactly("2");
  }

  @Test
  void tableAndDatabaseGrantsAllowExactlyWhatTheyName() throws SQLException {
    execute(root, "GRANT SELECT_PRIV ON sales.orders TO alice");
    try (Connection alice = connect("alice", "alice-pass")) {
      assertThat(column(alice, "SHOW DATABASES")).containsExactly("information_schema", "sales");
      execute(alice, "USE sales");
      assertThat(column(alice, "SHOW TABLES")).containsExactly("orders");
      assertThat(column(alice, "SELECT SUM(amount) FROM orders")).containsExactly("30");
      assertRefused(alice, "SELECT * FROM secrets", 1142, "for table 'secrets'");
      assertRefused(
          alice,
          "SELECT o.id FROM orders o JOIN secrets s ON o.id = s.id",
          1142,
          "for table 'secrets'");
      assertRefused(
          alice,
          "SELECT id FROM orders WHERE id IN (SELECT id FROM secrets)",
          1142,
          "for table 'secrets'");
      assertRefused(alice, "INSERT INTO orders VALUES (3, 30)", 1142, "INSERT command");
      assertThat(
              column(
                  alice,
                  "SELECT table_name FROM information_schema.tables"
                      + " WHERE table_schema = 'sales'"))
          .containsExactly("orders");

      execute(root, "GRANT LOAD_PRIV ON sales.* TO alice");
      execute(alice, "INSERT INTO orders VALUES (3, 30)");
      // INSERT ... SELECT also needs SELECT on its source.
      assertRefused(
          alice, "INSERT INTO orders SELECT id, id FROM secrets", 1142, "for table 'secrets'");
      assertThat(column(root, "SELECT COUNT(*) FROM sales.orders")).containsExactly("3");

      // A REVOKE takes effect at the session's next statement.
      execute(root, "REVOKE SELECT_PRIV ON sales.orders FROM alice");
      assertRefused(alice, "SELECT * FROM orders", 1142, "for table 'orders'");
      assertThat(column(alice, "SHOW GRANTS")).singleElement().isEqualTo("'alice'@'%'");
    }
  }

  @Test
  void streamLoadNeedsLoadPrivilegeOnTheTable() throws Exception {
    JsonNode denied = streamLoad("alice", "alice-pass", "sales", "orders", "7,70\n");
    assertThat(denied.get("Status").asText()).isEqualTo("Fail");
    assertThat(denied.get("Message").asText()).contains("LOAD command denied");
    execute(root, "GRANT LOAD_PRIV ON sales.orders TO alice");
    JsonNode loaded = streamLoad("alice", "alice-pass", "sales", "orders", "7,70\n");
    assertThat(loaded.get("Status").asText()).isEqualTo("Success");
    assertThat(loaded.get("NumberLoadedRows").asLong()).isEqualTo(1);
    assertThat(column(root, "SELECT amount FROM sales.orders WHERE id = 7")).containsExactly("70");
    // LOAD on one table says nothing about another.
    assertThat(
            streamLoad("alice", "alice-pass", "sales", "secrets", "8,x\n").get("Message").asText())
        .contains("LOAD command denied");
  }

  /**
   * A caching_sha2_password account works over HTTP Basic authentication too, and a plugin Basalt
   * does not have is refused with MySQL's 1524.
   */
  @Test
  void aCachingSha2AccountLoadsOverHttp() throws Exception {
    execute(
        root,
        "CREATE USER carol IDENTIFIED WITH caching_sha2_password BY 'carol-pass'",
        "GRANT LOAD_PRIV ON sales.orders TO carol");
    assertThat(
            streamLoad("carol", "carol-pass", "sales", "orders", "9,90\n").get("Status").asText())
        .isEqualTo("Success");
    assertThat(streamLoad("carol", "wrong", "sales", "orders", "9,90\n").toString())
        .contains("Access denied for user 'carol'");
    assertRefused(
        root, "CREATE USER dave IDENTIFIED WITH sha256_password BY 'x'", 1524, "sha256_password");
    // ALTER USER without WITH keeps the plugin: the account still needs caching_sha2_password.
    execute(root, "ALTER USER carol IDENTIFIED BY 'new-pass'");
    try (Connection carol =
        DriverManager.getConnection(
            server.mysqlUrl("", "defaultAuthenticationPlugin=mysql_native_password"),
            "carol",
            "new-pass")) {
      assertThat(column(carol, "SELECT CURRENT_USER()"))
          .singleElement()
          .asString()
          .contains("carol");
    }
  }

  private JsonNode streamLoad(
      String user, String password, String database, String table, String body) throws Exception {
    java.net.http.HttpRequest request =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(
                    "http://127.0.0.1:"
                        + server.httpPort()
                        + "/api/"
                        + database
                        + "/"
                        + table
                        + "/_stream_load"))
            .header(
                "Authorization",
                "Basic "
                    + java.util.Base64.getEncoder()
                        .encodeToString(
                            (user + ":" + password)
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
            .header("column_separator", ",")
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body))
            .build();
    try (java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient()) {
      return new ObjectMapper()
          .readTree(
              client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body());
    }
  }

  @Test
  void rolesGrantTheirPrivilegesUntilDropped() throws SQLException {
    execute(
        root,
        "CREATE USER bob",
        "CREATE ROLE analyst",
        "GRANT SELECT_PRIV ON sales.* TO ROLE 'analyst'",
        "GRANT 'analyst' TO bob");
    try (Connection bob = connect("bob", "")) {
      assertThat(column(bob, "SELECT note FROM sales.secrets")).containsExactly("hidden");
      assertThat(column(root, "SHOW ROLES")).contains("admin", "operator", "analyst");
      execute(root, "DROP ROLE analyst");
      assertRefused(bob, "SELECT note FROM sales.secrets", 1142, "for table 'secrets'");
    }
  }

  @Test
  void grantPrivilegeDelegatesUserManagementButNotAdmin() throws SQLException {
    execute(root, "CREATE USER carol", "GRANT GRANT_PRIV ON *.* TO carol");
    try (Connection carol = connect("carol", "")) {
      execute(carol, "CREATE USER dave IDENTIFIED BY 'd'", "GRANT SELECT_PRIV ON sales.* TO dave");
      assertRefused(carol, "GRANT ADMIN_PRIV ON *.* TO dave", 1227, "ADMIN privilege");
      assertRefused(carol, "DROP DATABASE sales", 1044, "to database 'sales'");
    }
    try (Connection dave = connect("dave", "d")) {
      assertThat(column(dave, "SELECT COUNT(*) FROM sales.orders")).containsExactly("2");
    }
  }

  @Test
  void theBuiltInAdminRoleMayDoEverythingAndGrantsSurviveARestart() throws SQLException {
    execute(
        root,
        "CREATE USER erin",
        "GRANT 'admin' TO erin",
        "GRANT SELECT_PRIV ON sales.orders TO alice");
    root.close();
    server.restart();
    root = connect("root", "");
    try (Connection alice = connect("alice", "alice-pass")) {
      assertThat(column(alice, "SELECT COUNT(*) FROM sales.orders")).containsExactly("2");
      assertRefused(alice, "SELECT * FROM sales.secrets", 1142, "for table 'secrets'");
    }
    try (Connection erin = connect("erin", "")) {
      execute(erin, "CREATE DATABASE scratch", "DROP DATABASE scratch");
      assertThat(column(erin, "SHOW PROCESSLIST")).isNotEmpty();
    }
  }

  /**
   * Column privileges (MySQL's {@code GRANT SELECT (c1, c2)}, Doris 2.1's {@code SELECT_PRIV(c1)}):
   * a query may read exactly the granted columns, wherever it reads them (select list, WHERE, GROUP
   * BY, joins, subqueries, prepared and cached plans); any other is 1143 naming it; SHOW GRANTS
   * lists them; REVOKE takes them back; they survive a restart.
   */
  @Test
  void columnPrivilegesAllowExactlyTheGrantedColumns() throws Exception {
    execute(
        root,
        "CREATE TABLE sales.staff (id INT, name VARCHAR(20), salary INT) DUPLICATE KEY(id)"
            + " DISTRIBUTED BY HASH(id) BUCKETS 1",
        "INSERT INTO sales.staff VALUES (1, 'ann', 100), (2, 'bob', 200)",
        "GRANT SELECT (id, Name) ON sales.staff TO alice",
        "GRANT SELECT_PRIV(amount) ON sales.orders TO alice");
    try (Connection alice = connect("alice", "alice-pass")) {
      assertThat(column(alice, "SELECT name FROM sales.staff WHERE id = 2")).containsExactly("bob");
      assertThat(column(alice, "SELECT COUNT(*) FROM sales.staff")).containsExactly("2");
      assertThat(
              column(
                  alice,
                  "SELECT s.name FROM sales.staff s JOIN sales.orders o ON o.amount = s.id * 10"
                      + " ORDER BY s.name"))
          .containsExactly("ann", "bob");
      String denied = "SELECT command denied to user 'alice'@'127.0.0.1' for column 'salary'";
      assertRefused(alice, "SELECT * FROM sales.staff", 1143, denied);
      assertRefused(alice, "SELECT name FROM sales.staff WHERE salary > 150", 1143, denied);
      assertRefused(alice, "SELECT SUM(salary) FROM sales.staff", 1143, denied);
      assertRefused(alice, "SELECT name FROM sales.staff ORDER BY salary", 1143, denied);
      assertRefused(
          alice,
          "SELECT id FROM sales.staff WHERE id IN (SELECT salary FROM sales.staff)",
          1143,
          denied);
      assertRefused(
          alice, "SELECT o.id FROM sales.orders o", 1143, "for column 'id' in table 'orders'");
      assertRefused(alice, "SELECT COUNT(*) FROM sales.secrets", 1142, "for table 'secrets'");
      try (java.sql.PreparedStatement prepared =
          alice.prepareStatement("SELECT salary FROM sales.staff WHERE id = ?")) {
        prepared.setInt(1, 1);
        assertThatThrownBy(prepared::executeQuery)
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1143));
      }
      assertThat(column(alice, "SHOW TABLES FROM sales")).contains("staff", "orders");
      assertThat(
              column(
                  alice,
                  "SELECT CONCAT(column_name, ':', ordinal_position)"
                      + " FROM information_schema.columns"
                      + " WHERE table_schema = 'sales' AND table_name = 'staff'"
                      + " ORDER BY ordinal_position"))
          .containsExactly("id:1", "name:2");
      // DESC and SHOW COLUMNS list the same columns as information_schema, as in MySQL.
      assertThat(column(alice, "DESC sales.staff")).containsExactly("id", "name");
      assertThat(column(alice, "SHOW COLUMNS FROM sales.staff")).containsExactly("id", "name");
      assertThat(column(alice, "SHOW FULL COLUMNS FROM staff FROM sales"))
          .containsExactly("id", "name");
      assertThat(column(alice, "DESCRIBE sales.orders")).containsExactly("amount");
    }
    // Root reads the same text first, so alice's run below comes from the plan cache.
    assertThat(column(root, "SELECT salary FROM sales.staff WHERE id = 1")).containsExactly("100");
    try (Connection alice = connect("alice", "alice-pass")) {
      assertRefused(alice, "SELECT salary FROM sales.staff WHERE id = 1", 1143, "'salary'");
    }
    try (Statement statement = root.createStatement();
        ResultSet grants = statement.executeQuery("SHOW GRANTS FOR alice")) {
      assertThat(grants.next()).isTrue();
      assertThat(grants.getString("ColPrivs"))
          .isEqualTo(
              "internal.sales.staff: Select_priv(id,name);"
                  + " internal.sales.orders: Select_priv(amount)");
    }
    assertRefused(root, "GRANT SELECT (nope) ON sales.staff TO alice", 1054, "Unknown column");
    assertRefused(root, "GRANT SELECT (id) ON sales.* TO alice", 1144, "column list");
    assertRefused(root, "GRANT LOAD_PRIV (id) ON sales.staff TO alice", 1235, "only SELECT");

    execute(root, "REVOKE SELECT (name) ON sales.staff FROM alice");
    root.close();
    server.restart();
    root = connect("root", "");
    try (Connection alice = connect("alice", "alice-pass")) {
      assertThat(column(alice, "SELECT id FROM sales.staff ORDER BY id")).containsExactly("1", "2");
      assertRefused(alice, "SELECT name FROM sales.staff", 1143, "for column 'name'");
      assertThat(column(alice, "DESC sales.staff")).containsExactly("id");
    }
    execute(root, "GRANT SELECT ON sales.staff TO alice");
    try (Connection alice = connect("alice", "alice-pass")) {
      assertThat(column(alice, "SELECT SUM(salary) FROM sales.staff")).containsExactly("300");
      assertThat(column(alice, "SHOW COLUMNS FROM sales.staff"))
          .containsExactly("id", "name", "salary");
    }
  }

  /**
   * caching_sha2_password's RSA key pair is kept in the data directory: a client that cached the
   * server's public key (Connector/J's {@code serverRSAPublicKeyFile}) still logs in over plain TCP
   * after a restart, when the server's password cache is empty and the full authentication decrypts
   * the password with the private key.
   */
  @Test
  void theCachingSha2RsaKeySurvivesARestart() throws Exception {
    execute(root, "CREATE USER carol IDENTIFIED WITH caching_sha2_password BY 'Carol-pw1'");
    // The first full authentication over plain TCP fetches the public key: the pair is made now.
    connect("carol", "Carol-pw1").close();
    java.nio.file.Path keyFile = server.dataDirectory().resolve("tls").resolve(RsaKeyPairFile.FILE);
    assertThat(keyFile).exists();
    java.security.PublicKey publicKey =
        RsaKeyPairFile.open(server.dataDirectory()).keyPair().getPublic();
    java.nio.file.Path cached = server.dataDirectory().resolveSibling("cached_public_key.pem");
    java.nio.file.Files.writeString(
        cached,
        "-----BEGIN PUBLIC KEY-----\n"
            + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(publicKey.getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
    try {
      String keyFileAnswer = java.nio.file.Files.readString(keyFile);
      root.close();
      server.restart();
      root = connect("root", "");
      assertThat(java.nio.file.Files.readString(keyFile)).isEqualTo(keyFileAnswer);
      String url =
          "jdbc:mysql://127.0.0.1:"
              + server.queryPort()
              + "/?useSSL=false&serverRSAPublicKeyFile="
              + cached
              + "&defaultAuthenticationPlugin=caching_sha2_password";
      for (int login = 0; login < 2; login++) {
        try (Connection carol = DriverManager.getConnection(url, "carol", "Carol-pw1")) {
          assertThat(column(carol, "SELECT CURRENT_USER()")).containsExactly("'carol'@'%'");
        }
      }
      assertThatThrownBy(() -> DriverManager.getConnection(url, "carol", "wrong"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1045));
    } finally {
      java.nio.file.Files.deleteIfExists(cached);
    }
  }

  @Test
  void aUserSeesOnlyItsOwnSessionsInTheProcessList() throws SQLException {
    try (Connection alice = connect("alice", "alice-pass")) {
      List<String> users = new ArrayList<>();
      try (Statement statement = alice.createStatement();
          ResultSet rows = statement.executeQuery("SHOW PROCESSLIST")) {
        while (rows.next()) {
          users.add(rows.getString("User"));
        }
      }
      assertThat(users).isNotEmpty().containsOnly("alice");
    }
  }

  private Connection connect(String user, String password) throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl("", ""), user, password);
  }

  private static void execute(Connection connection, String... statements) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private static List<String> column(Connection connection, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }

  private static void assertRefused(
      Connection connection, String sql, int errorCode, String messagePart) {
    assertThatThrownBy(() -> execute(connection, sql))
        .as(sql)
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(errorCode))
        .hasMessageContaining(messagePart);
  }
}
