package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.server.it.ExternalProcess.Result;
import dev.basalt.server.testing.ExternalDependencies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real {@code mysqldump} and {@code mariadb} programs (Debian's MariaDB 10.11 client) between
 * Basalt and the local MariaDB: a dump of a Basalt database loads back into Basalt (Doris DDL and
 * all), its data (a {@code --no-create-info} dump) loads into MariaDB tables of the same shape, and
 * a MariaDB dump of InnoDB tables (PRIMARY KEY, KEY, INT AUTO_INCREMENT, DEFAULT) loads into
 * Basalt, its AUTO_INCREMENT column generating values after the load. Each time the rows on both
 * sides are compared.
 */
class MysqldumpRoundTripTest {
  private static final Path DUMP = Path.of("/usr/bin/mysqldump");
  private static final Path CLIENT = Path.of("/usr/bin/mariadb");
  private static final String MARIADB_URL =
      "jdbc:mariadb://127.0.0.1:3306/?user=root&sslMode=disable&connectTimeout=3000";
  private static final long TIMEOUT_SECONDS = 120;

  private static TestServer server;
  private static Connection basalt;
  private static Connection mariadb;

  @BeforeAll
  static void start() throws SQLException {
    ExternalDependencies.require(
        Files.isExecutable(DUMP) && Files.isExecutable(CLIENT),
        "mysqldump and mariadb (Debian's mariadb-client) are not installed");
    try {
      mariadb = DriverManager.getConnection(MARIADB_URL);
    } catch (SQLException unavailable) {
      ExternalDependencies.require(
          false, "no MariaDB on 127.0.0.1:3306: " + unavailable.getMessage());
    }
    server = TestServer.start();
    basalt = DriverManager.getConnection(server.mysqlUrl("", ""), TestServer.ROOT_USER, "");
    execute(
        basalt,
        "CREATE DATABASE shop",
        "CREATE TABLE shop.orders (id BIGINT, customer VARCHAR(40), placed DATETIME(6),"
            + " amount DECIMAL(12, 2), ratio DOUBLE, note STRING) DUPLICATE KEY(id)"
            + " DISTRIBUTED BY HASH(id) BUCKETS 3",
        "CREATE TABLE shop.customers (name VARCHAR(40), tier INT, since DATE) UNIQUE KEY(name)"
            + " DISTRIBUTED BY HASH(name) BUCKETS 2",
        "INSERT INTO shop.orders VALUES"
            + " (1, 'O''Brien', '2024-01-02 03:04:05.123456', 10.50, 0.25, 'tab\\there'),"
            + " (2, 'Zoë', NULL, -0.01, -1e300, 'line1\\nline2 \\\\ backslash'),"
            + " (3, NULL, '1999-12-31 23:59:59.000001', NULL, NULL, NULL)",
        "INSERT INTO shop.customers VALUES ('O''Brien', 2, '2020-02-29'), ('Zoë', NULL, NULL)",
        "CREATE TABLE shop.tickets (code VARCHAR(10), id BIGINT NOT NULL AUTO_INCREMENT(100))"
            + " UNIQUE KEY(code) DISTRIBUTED BY HASH(code) BUCKETS 1",
        "INSERT INTO shop.tickets (code) VALUES ('a'), ('b')",
        "CREATE VIEW shop.paid (id, who, amount) AS SELECT o.id, o.customer, o.amount"
            + " FROM orders o JOIN customers c ON c.name = o.customer WHERE o.amount > 0");
  }

  @AfterAll
  static void stop() throws SQLException {
    if (basalt != null) {
      basalt.close();
    }
    if (mariadb != null) {
      try {
        execute(
            mariadb,
            "DROP DATABASE IF EXISTS basalt_dump_target",
            "DROP DATABASE IF EXISTS basalt_dump_source");
      } finally {
        mariadb.close();
      }
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void basaltDumpLoadsBackIntoBasalt() throws Exception {
    // mysqldump's defaults, tablespace query included (it groups INFORMATION_SCHEMA.FILES by some
    // of the columns it selects, as MySQL without ONLY_FULL_GROUP_BY allows).
    String dump = dumpOk(basaltPort(), "shop");
    assertThat(dump).contains("DUPLICATE KEY(`id`)").contains("UNIQUE KEY(`name`)");
    execute(basalt, "CREATE DATABASE shop_copy");
    load(basaltPort(), "shop_copy", dump);
    for (String table : List.of("orders", "customers", "tickets")) {
      assertThat(rows(basalt, "SELECT * FROM shop_copy." + table))
          .containsExactlyInAnyOrderElementsOf(rows(basalt, "SELECT * FROM shop." + table));
      assertThat(createTable(basalt, "shop_copy." + table))
          .isEqualTo(createTable(basalt, "shop." + table));
    }
    // The view comes back as a view (mysqldump first writes a stand-in, then the real one).
    assertThat(dump).contains("VIEW `paid`");
    assertThat(rows(basalt, "SELECT * FROM shop_copy.paid"))
        .containsExactlyInAnyOrderElementsOf(rows(basalt, "SELECT * FROM shop.paid"))
        .hasSize(1);
    assertThat(rows(basalt, "SHOW FULL TABLES FROM shop_copy LIKE 'paid'"))
        .containsExactly("paid|VIEW");
    // The copy's AUTO_INCREMENT column goes on generating values of its own.
    execute(basalt, "INSERT INTO shop_copy.tickets (code) VALUES ('new')");
    assertThat(rows(basalt, "SELECT COUNT(DISTINCT id), COUNT(*) FROM shop_copy.tickets"))
        .containsExactly("3.0|3.0");
  }

  @Test
  void basaltDataLoadsIntoMariadb() throws Exception {
    String dump = dumpOk(basaltPort(), "--no-tablespaces", "--no-create-info", "shop");
    execute(
        mariadb,
        "DROP DATABASE IF EXISTS basalt_dump_target",
        "CREATE DATABASE basalt_dump_target",
        "CREATE TABLE basalt_dump_target.orders (id BIGINT, customer VARCHAR(40),"
            + " placed DATETIME(6), amount DECIMAL(12, 2), ratio DOUBLE, note TEXT)",
        "CREATE TABLE basalt_dump_target.customers (name VARCHAR(40) PRIMARY KEY, tier INT,"
            + " since DATE)",
        "CREATE TABLE basalt_dump_target.tickets (code VARCHAR(10) PRIMARY KEY,"
            + " id BIGINT NOT NULL AUTO_INCREMENT UNIQUE)");
    load(3306, "basalt_dump_target", dump);
    for (String table : List.of("orders", "customers", "tickets")) {
      assertThat(rows(mariadb, "SELECT * FROM basalt_dump_target." + table))
          .containsExactlyInAnyOrderElementsOf(rows(basalt, "SELECT * FROM shop." + table));
    }
  }

  @Test
  void mariadbDumpLoadsIntoBasalt() throws Exception {
    execute(
        mariadb,
        "DROP DATABASE IF EXISTS basalt_dump_source",
        "CREATE DATABASE basalt_dump_source",
        "CREATE TABLE basalt_dump_source.items (id INT NOT NULL AUTO_INCREMENT,"
            + " name VARCHAR(50) NOT NULL DEFAULT '', price DECIMAL(10,2), created DATETIME(6),"
            + " note TEXT, PRIMARY KEY (id), KEY idx_name (name)) ENGINE=InnoDB"
            + " DEFAULT CHARSET=utf8mb4",
        "INSERT INTO basalt_dump_source.items (name, price, created, note) VALUES"
            + " ('a''b', 1.50, '2024-01-02 03:04:05.123456', 'x\\\\y'), ('日本', NULL, NULL, NULL)",
        "CREATE TABLE basalt_dump_source.tags (tag VARCHAR(20) PRIMARY KEY, n BIGINT)"
            + " ENGINE=InnoDB",
        "INSERT INTO basalt_dump_source.tags VALUES ('x', 9007199254740993), ('y', NULL)");
    String dump = dumpOk(3306, "--no-tablespaces", "basalt_dump_source");
    execute(basalt, "DROP DATABASE IF EXISTS from_mariadb", "CREATE DATABASE from_mariadb");
    load(basaltPort(), "from_mariadb", dump);
    for (String table : List.of("items", "tags")) {
      assertThat(rows(basalt, "SELECT * FROM from_mariadb." + table))
          .containsExactlyInAnyOrderElementsOf(
              rows(mariadb, "SELECT * FROM basalt_dump_source." + table));
    }
    // INT AUTO_INCREMENT became Doris's auto-increment column: a new row without id gets one.
    execute(basalt, "INSERT INTO from_mariadb.items (name) VALUES ('added')");
    assertThat(rows(basalt, "SELECT COUNT(DISTINCT id), COUNT(*) FROM from_mariadb.items"))
        .containsExactly("3.0|3.0");
  }

  private static int basaltPort() {
    return server.queryPort();
  }

  private static List<String> connectionOptions(Path program, int port) {
    List<String> command = new ArrayList<>();
    command.add(program.toString());
    command.add("--no-defaults");
    command.add("--protocol=TCP");
    command.add("-h127.0.0.1");
    command.add("-P" + port);
    command.add("-uroot");
    command.add("--skip-ssl");
    return command;
  }

  private static String dumpOk(int port, String... arguments) throws Exception {
    List<String> command = connectionOptions(DUMP, port);
    command.addAll(List.of(arguments));
    Result result = ExternalProcess.run(command, null, TIMEOUT_SECONDS);
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.err()).as(result.toString()).isEmpty();
    return result.out();
  }

  private static void load(int port, String database, String dump) throws Exception {
    List<String> command = connectionOptions(CLIENT, port);
    command.add(database);
    Result result = ExternalProcess.run(command, dump, TIMEOUT_SECONDS);
    assertThat(result.exitCode()).as(result.toString()).isZero();
  }

  private static String createTable(Connection connection, String table) throws SQLException {
    String text = rows(connection, "SHOW CREATE TABLE " + table).get(0);
    return text.substring(text.indexOf('|') + 1);
  }

  private static void execute(Connection connection, String... statements) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private static List<String> rows(Connection connection, String query) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(query)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          // Compare values, not each driver's text for them (Connector/J and MariaDB's driver
          // print doubles differently).
          Object value = result.getObject(i);
          row.append(i > 1 ? "|" : "")
              .append(
                  value instanceof Number number && !(value instanceof java.math.BigDecimal)
                      ? Double.toString(number.doubleValue())
                      : result.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
