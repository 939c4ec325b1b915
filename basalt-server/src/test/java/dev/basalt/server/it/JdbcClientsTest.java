package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.math.BigDecimal;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same client script through each JDBC driver users run (Connector/J 8 and 9, MariaDB
 * Connector/J, all with server-side prepared statements) and through a HikariCP pool: DDL, batched
 * loads, prepared queries with NULL parameters, microsecond times, errors, {@code
 * Statement.cancel()}, transactions and the metadata calls GUI tools make. Connector/J 8 is loaded
 * from {@code target/client-drivers} in a class loader of its own, since it cannot share the
 * classpath with Connector/J 9.
 */
class JdbcClientsTest {
  private static final LocalDateTime MICROS = LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000);

  private static TestServer server;
  private static URLClassLoader connectorJ8;

  enum Client {
    CONNECTOR_J_8,
    CONNECTOR_J_9,
    MARIADB;

    Connection connect() throws Exception {
      return connect(TestServer.ROOT_USER, "", false, "");
    }

    /**
     * Connects as {@code user}; {@code tls} asks for TLS (without verifying the self-signed
     * certificate), {@code extraProperties} are added to the URL.
     */
    Connection connect(String user, String password, boolean tls, String extraProperties)
        throws Exception {
      Properties properties = new Properties();
      properties.setProperty("user", user);
      properties.setProperty("password", password);
      String mysqlProperties =
          "useServerPrepStmts=true&rewriteBatchedStatements=true"
              + (extraProperties.isEmpty() ? "" : "&" + extraProperties);
      String mysqlUrl = server.mysqlUrl("", mysqlProperties);
      if (tls) {
        mysqlUrl = mysqlUrl.replace("useSSL=false", "sslMode=REQUIRED");
      }
      return switch (this) {
        case CONNECTOR_J_8 -> {
          Driver driver =
              (Driver)
                  Class.forName("com.mysql.cj.jdbc.Driver", true, connectorJ8)
                      .getDeclaredConstructor()
                      .newInstance();
          yield driver.connect(mysqlUrl, properties);
        }
        case CONNECTOR_J_9 -> new com.mysql.cj.jdbc.Driver().connect(mysqlUrl, properties);
        case MARIADB -> {
          String url =
              server.mariadbUrl(
                  "",
                  "useServerPrepStmts=true"
                      + (extraProperties.isEmpty() ? "" : "&" + extraProperties));
          yield new org.mariadb.jdbc.Driver()
              .connect(tls ? url.replace("sslMode=disable", "sslMode=trust") : url, properties);
        }
      };
    }
  }

  @BeforeAll
  static void start() throws Exception {
    Path jar = Path.of("target/client-drivers/mysql-connector-j-8.jar");
    assertThat(jar).as("copied by maven-dependency-plugin at generate-test-resources").exists();
    connectorJ8 =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
    server = TestServer.start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    connectorJ8.close();
  }

  @ParameterizedTest
  @EnumSource(Client.class)
  void clientScript(Client client) throws Exception {
    String database = "clients_" + client.name().toLowerCase();
    try (Connection connection = client.connect()) {
      assertThat(connection.getMetaData().getDriverName()).isNotBlank();
      execute(
          connection,
          "DROP DATABASE IF EXISTS " + database,
          "CREATE DATABASE " + database,
          "USE " + database,
          "CREATE TABLE t (id INT NOT NULL, name VARCHAR(40), ts DATETIME(6), amount DECIMAL(10, 2),"
              + " big BIGINT) UNIQUE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 2");

      try (PreparedStatement insert =
          connection.prepareStatement("INSERT INTO t VALUES (?, ?, ?, ?, ?)")) {
        for (int id = 1; id <= 200; id++) {
          insert.setInt(1, id);
          if (id % 10 == 0) {
            insert.setNull(2, Types.VARCHAR);
            insert.setNull(3, Types.TIMESTAMP);
            insert.setNull(4, Types.DECIMAL);
            insert.setNull(5, Types.BIGINT);
          } else {
            insert.setString(2, "név " + id);
            insert.setObject(3, MICROS.plusSeconds(id));
            insert.setBigDecimal(4, BigDecimal.valueOf(id, 2));
            insert.setLong(5, Long.MAX_VALUE - id);
          }
          insert.addBatch();
        }
        int[] counts = insert.executeBatch();
        assertThat(counts).hasSize(200);
      }

      try (PreparedStatement query =
          connection.prepareStatement("SELECT name, ts, amount, big FROM t WHERE id = ?")) {
        query.setInt(1, 7);
        try (ResultSet rows = query.executeQuery()) {
          assertThat(rows.next()).isTrue();
          assertThat(rows.getString(1)).isEqualTo("név 7");
          assertThat(rows.getObject(2, LocalDateTime.class)).isEqualTo(MICROS.plusSeconds(7));
          assertThat(rows.getBigDecimal(3)).isEqualByComparingTo("0.07");
          assertThat(rows.getLong(4)).isEqualTo(Long.MAX_VALUE - 7);
          assertThat(rows.next()).isFalse();
        }
        query.setInt(1, 20);
        try (ResultSet rows = query.executeQuery()) {
          assertThat(rows.next()).isTrue();
          assertThat(rows.getString(1)).isNull();
          assertThat(rows.getObject(2)).isNull();
          assertThat(rows.getBigDecimal(3)).isNull();
          rows.getLong(4);
          assertThat(rows.wasNull()).isTrue();
        }
      }
      try (PreparedStatement allNull =
          connection.prepareStatement("SELECT COUNT(*) FROM t WHERE name = ? OR amount = ?")) {
        allNull.setNull(1, Types.VARCHAR);
        allNull.setNull(2, Types.DECIMAL);
        assertThat(single(allNull.executeQuery())).isEqualTo("0");
      }
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT id, name FROM t WHERE id = 1")) {
        ResultSetMetaData columns = rows.getMetaData();
        assertThat(columns.isNullable(1)).isEqualTo(ResultSetMetaData.columnNoNulls);
        assertThat(columns.isNullable(2)).isEqualTo(ResultSetMetaData.columnNullable);
      }
      assertThat(query(connection, "SELECT COUNT(*), COUNT(name), SUM(amount) FROM t"))
          .containsExactly("200|180|180.00");

      assertThatThrownBy(() -> execute(connection, "SELECT * FROM no_such_table"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1146));
      assertThatThrownBy(() -> execute(connection, "SELEC 1"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1064));

      // Statement.cancel() from another thread: the driver sends KILL QUERY on a connection of
      // its own; the statement fails and the connection goes on.
      try (Statement slow = connection.createStatement();
          ExecutorService canceller = Executors.newSingleThreadExecutor()) {
        Future<?> cancel =
            canceller.submit(
                () -> {
                  Thread.sleep(500);
                  slow.cancel();
                  return null;
                });
        // Connector/J reports its own "Statement cancelled due to client request" instead of
        // the server's 1317.
        assertThatThrownBy(() -> slow.executeQuery("SELECT COUNT(*) FROM t a, t b, t c, t d"))
            .isInstanceOfSatisfying(
                SQLException.class,
                e ->
                    assertThat(e.getErrorCode() == 1317 || e.getMessage().contains("cancelled"))
                        .as(e.toString())
                        .isTrue());
        cancel.get();
      }
      assertThat(query(connection, "SELECT COUNT(*) FROM t")).containsExactly("200");

      execute(connection, "BEGIN", "INSERT INTO t (id) VALUES (1000)", "ROLLBACK");
      execute(connection, "BEGIN", "INSERT INTO t (id) VALUES (1001)", "COMMIT");
      assertThat(query(connection, "SELECT id FROM t WHERE id > 200")).containsExactly("1001");

      DatabaseMetaData metadata = connection.getMetaData();
      List<String> tables = new ArrayList<>();
      try (ResultSet rows = metadata.getTables(database, null, "%", new String[] {"TABLE"})) {
        while (rows.next()) {
          tables.add(rows.getString("TABLE_NAME"));
        }
      }
      assertThat(tables).containsExactly("t");
      List<String> columns = new ArrayList<>();
      try (ResultSet rows = metadata.getColumns(database, null, "t", "%")) {
        while (rows.next()) {
          columns.add(rows.getString("COLUMN_NAME") + ":" + rows.getInt("DATA_TYPE"));
        }
      }
      assertThat(columns)
          .containsExactly(
              "id:" + Types.INTEGER,
              "name:" + Types.VARCHAR,
              "ts:" + Types.TIMESTAMP,
              "amount:" + Types.DECIMAL,
              "big:" + Types.BIGINT);
    }
  }

  /**
   * caching_sha2_password through each driver: the first login does the full authentication (RSA
   * public key exchange over plain TCP — allowPublicKeyRetrieval for Connector/J, which MariaDB
   * Connector/J needs too — and the clear password over TLS), the next one the fast path against
   * the server's cache; a wrong password is 1045 on both paths; ALTER USER invalidates the cache
   * entry; a mysql_native_password user still logs in when the driver starts with caching_sha2
   * (switch one way), and a caching_sha2 user when it starts with native (the other way).
   */
  @ParameterizedTest
  @EnumSource(Client.class)
  void cachingSha2Password(Client client) throws Exception {
    String sha2User = "sha2_" + client.name().toLowerCase();
    String nativeUser = "native_" + client.name().toLowerCase();
    try (Connection admin = Client.CONNECTOR_J_9.connect()) {
      execute(
          admin,
          "DROP USER IF EXISTS " + sha2User,
          "DROP USER IF EXISTS " + nativeUser,
          "CREATE USER " + sha2User + " IDENTIFIED WITH caching_sha2_password BY 'Sha2-pw!'",
          "CREATE USER " + nativeUser + " IDENTIFIED BY 'native-pw'");
    }
    // mysql_native_password first in the client's handshake: switched to caching_sha2_password.
    String nativeFirst =
        client == Client.MARIADB
            ? "allowPublicKeyRetrieval=true"
            : "defaultAuthenticationPlugin=mysql_native_password";
    // caching_sha2_password first: Connector/J's own default.
    String sha2First =
        client == Client.MARIADB
            ? "allowPublicKeyRetrieval=true"
            : "defaultAuthenticationPlugin=caching_sha2_password";
    for (boolean tls : new boolean[] {false, true}) {
      for (int login = 0; login < 2; login++) {
        try (Connection connection = client.connect(sha2User, "Sha2-pw!", tls, nativeFirst)) {
          assertThat(single(connection.createStatement().executeQuery("SELECT CURRENT_USER()")))
              .contains(sha2User);
        }
      }
      assertThatThrownBy(() -> client.connect(sha2User, "wrong", tls, nativeFirst))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1045));
      try (Connection connection = client.connect(nativeUser, "native-pw", tls, sha2First)) {
        assertThat(single(connection.createStatement().executeQuery("SELECT 1"))).isEqualTo("1");
      }
    }
    // The cache entry (made by the logins above) dies with the password it was made for.
    try (Connection admin = Client.CONNECTOR_J_9.connect()) {
      execute(admin, "ALTER USER " + sha2User + " IDENTIFIED BY 'second'");
    }
    assertThatThrownBy(() -> client.connect(sha2User, "Sha2-pw!", false, sha2First))
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(1045));
    for (int login = 0; login < 2; login++) {
      try (Connection connection = client.connect(sha2User, "second", false, sha2First)) {
        assertThat(single(connection.createStatement().executeQuery("SELECT 1"))).isEqualTo("1");
      }
    }
  }

  /**
   * A HikariCP pool of four connections shared by eight threads: every borrowed connection answers
   * for the database the borrower chose (the pool resets the catalog on return), validation pings
   * work, and a connection killed from outside is replaced without the borrowers noticing.
   */
  @Test
  void hikariPool() throws Exception {
    try (Connection setup = Client.CONNECTOR_J_9.connect()) {
      execute(
          setup,
          "DROP DATABASE IF EXISTS pool_a",
          "DROP DATABASE IF EXISTS pool_b",
          "CREATE DATABASE pool_a",
          "CREATE DATABASE pool_b",
          "CREATE TABLE pool_a.which (name VARCHAR(8)) DUPLICATE KEY(name)"
              + " DISTRIBUTED BY HASH(name) BUCKETS 1",
          "CREATE TABLE pool_b.which (name VARCHAR(8)) DUPLICATE KEY(name)"
              + " DISTRIBUTED BY HASH(name) BUCKETS 1",
          "INSERT INTO pool_a.which VALUES ('a')",
          "INSERT INTO pool_b.which VALUES ('b')");
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(server.mysqlUrl("pool_a", "useServerPrepStmts=true"));
    config.setUsername(TestServer.ROOT_USER);
    config.setPassword("");
    config.setCatalog("pool_a");
    config.setMaximumPoolSize(4);
    config.setConnectionTimeout(20_000);
    try (HikariDataSource pool = new HikariDataSource(config);
        ExecutorService threads = Executors.newFixedThreadPool(8)) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        boolean useB = t % 2 == 1;
        results.add(
            threads.submit(
                () -> {
                  int answered = 0;
                  for (int i = 0; i < 40; i++) {
                    try (Connection connection = pool.getConnection()) {
                      if (useB) {
                        connection.setCatalog("pool_b");
                      }
                      assertThat(connection.isValid(5)).isTrue();
                      try (PreparedStatement which =
                          connection.prepareStatement("SELECT name FROM which")) {
                        assertThat(single(which.executeQuery())).isEqualTo(useB ? "b" : "a");
                      }
                      answered++;
                    }
                  }
                  return answered;
                }));
      }
      for (Future<Integer> result : results) {
        assertThat(result.get()).isEqualTo(40);
      }

      // Kill one pooled connection from outside; the pool notices and replaces it.
      String victim;
      try (Connection connection = pool.getConnection()) {
        victim = single(connection.createStatement().executeQuery("SELECT CONNECTION_ID()"));
      }
      try (Connection admin = Client.CONNECTOR_J_9.connect()) {
        execute(admin, "KILL " + victim);
      }
      // HikariCP validates a connection on borrow once it has been idle for 500 ms.
      Thread.sleep(1_000);
      for (int i = 0; i < 8; i++) {
        try (Connection connection = pool.getConnection()) {
          assertThat(single(connection.createStatement().executeQuery("SELECT name FROM which")))
              .isEqualTo("a");
        }
      }
    }
  }

  /**
   * Pooled connections reset and re-authenticated in place, as pools and frameworks do between
   * borrowers: Connector/J's {@code resetServerState()} (COM_RESET_CONNECTION) clears what the
   * previous borrower set (user variables, session variables, LAST_INSERT_ID), and {@code
   * changeUser} (COM_CHANGE_USER) switches the connection's user with that user's rights, on
   * HikariCP's connections shared by four threads.
   */
  @Test
  void hikariPoolResetsAndChangesUser() throws Exception {
    try (Connection setup = Client.CONNECTOR_J_9.connect()) {
      execute(
          setup,
          "DROP DATABASE IF EXISTS pool_reset",
          "CREATE DATABASE pool_reset",
          "CREATE TABLE pool_reset.ids (id BIGINT NOT NULL AUTO_INCREMENT, v INT)"
              + " DUPLICATE KEY(id) DISTRIBUTED BY HASH(id) BUCKETS 1",
          "DROP USER IF EXISTS pool_reader",
          "CREATE USER pool_reader IDENTIFIED BY 'reader-pw'",
          "GRANT SELECT_PRIV ON pool_reset.* TO pool_reader");
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(server.mysqlUrl("pool_reset", ""));
    config.setUsername(TestServer.ROOT_USER);
    config.setPassword("");
    config.setMaximumPoolSize(2);
    config.setConnectionTimeout(20_000);
    try (HikariDataSource pool = new HikariDataSource(config);
        ExecutorService threads = Executors.newFixedThreadPool(4)) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        results.add(
            threads.submit(
                () -> {
                  int rounds = 0;
                  for (int i = 0; i < 10; i++) {
                    try (Connection connection = pool.getConnection()) {
                      com.mysql.cj.jdbc.JdbcConnection mysql =
                          connection.unwrap(com.mysql.cj.jdbc.JdbcConnection.class);
                      execute(
                          connection,
                          "SET @borrower = " + thread,
                          "SET query_timeout = 77",
                          "INSERT INTO ids (v) VALUES (" + thread + ")");
                      assertThat(query(connection, "SELECT @borrower, SIGN(LAST_INSERT_ID())"))
                          .containsExactly(thread + "|1");
                      mysql.resetServerState();
                      assertThat(
                              query(
                                  connection,
                                  "SELECT COALESCE(@borrower, -1), @@query_timeout,"
                                      + " LAST_INSERT_ID()"))
                          .containsExactly("-1|900|0");

                      mysql.changeUser("pool_reader", "reader-pw");
                      assertThat(query(connection, "SELECT CURRENT_USER()"))
                          .containsExactly("'pool_reader'@'%'");
                      assertThat(query(connection, "SELECT SIGN(COUNT(*)) FROM pool_reset.ids"))
                          .containsExactly("1");
                      assertThatThrownBy(
                              () ->
                                  execute(connection, "INSERT INTO pool_reset.ids (v) VALUES (0)"))
                          .isInstanceOf(SQLException.class);
                      mysql.changeUser(TestServer.ROOT_USER, "");
                      assertThat(query(connection, "SELECT CURRENT_USER()"))
                          .containsExactly("'root'@'%'");
                      rounds++;
                    }
                  }
                  return rounds;
                }));
      }
      for (Future<Integer> result : results) {
        assertThat(result.get()).isEqualTo(10);
      }
    }
    try (Connection check = Client.CONNECTOR_J_9.connect()) {
      assertThat(query(check, "SELECT COUNT(*), COUNT(DISTINCT id) FROM pool_reset.ids"))
          .containsExactly("40|40");
    }
  }

  private static void execute(Connection connection, String... statements) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private static List<String> query(Connection connection, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(i > 1 ? "|" : "").append(result.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  private static String single(ResultSet result) throws SQLException {
    try (result) {
      assertThat(result.next()).isTrue();
      String value = result.getString(1);
      assertThat(result.next()).isFalse();
      return value;
    }
  }
}
