package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.server.testing.ExternalDependencies;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code LOAD DATA LOCAL INFILE} over the MySQL protocol, the file sent by the client: from MySQL
 * Connector/J ({@code allowLoadLocalInfile=true}) and from the {@code mariadb} command line ({@code
 * --local-infile=1}), with MySQL's FIELDS / LINES / IGNORE / field list / SET clauses.
 */
class LoadDataLocalInfileTest {
  private static final Path CLIENT = Path.of("/usr/bin/mariadb");
  private static TestServer server;

  @TempDir Path directory;

  @BeforeAll
  static void start() throws SQLException {
    server = TestServer.start(64 << 10);
    try (Connection connection = DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE ld");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Connection connect(String properties) throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl("ld", properties), "root", "");
  }

  private static void createTable(Statement statement, String name) throws SQLException {
    statement.execute(
        "CREATE TABLE ld."
            + name
            + " (k INT NOT NULL, v VARCHAR(20), d DATE) DUPLICATE KEY(k)"
            + " DISTRIBUTED BY HASH(k) BUCKETS 3");
  }

  private static List<String> query(Statement statement, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet result = statement.executeQuery(sql)) {
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int c = 1; c <= columns; c++) {
          row.append(c > 1 ? "|" : "").append(result.getString(c));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }

  @Test
  void connectorJSendsTheFileWithMysqlClauses() throws Exception {
    Path file = directory.resolve("data.csv");
    StringBuilder csv = new StringBuilder("k,raw,d\r\n");
    for (int k = 0; k < 20_000; k++) {
      csv.append(k).append(",\"r,").append(k % 5).append("\",2024-02-").append(10 + k % 9);
      csv.append("\r\n");
    }
    Files.writeString(file, csv);
    try (Connection connection = connect("allowLoadLocalInfile=true");
        Statement statement = connection.createStatement()) {
      createTable(statement, "cj");
      int loaded =
          statement.executeUpdate(
              "LOAD DATA LOCAL INFILE '"
                  + file
                  + "' INTO TABLE cj FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"'"
                  + " LINES TERMINATED BY '\\r\\n' IGNORE 1 LINES (k, @raw, d)"
                  + " SET v = concat('v-', @raw)");
      assertThat(loaded).isEqualTo(20_000);
      assertThat(query(statement, "SELECT count(*), min(d), max(d), count(DISTINCT v) FROM cj"))
          .containsExactly("20000|2024-02-10|2024-02-18|5");
      assertThat(query(statement, "SELECT v FROM cj WHERE k = 7")).containsExactly("v-r,2");

      // A bad row fails the whole load, and the connection stays in step afterwards.
      Path bad = directory.resolve("bad.csv");
      Files.writeString(bad, "1\tone\t2024-01-01\nx\ttwo\t2024-01-02\n");
      assertThatThrownBy(
              () ->
                  statement.executeUpdate(
                      "LOAD DATA LOCAL INFILE '" + bad + "' INTO TABLE cj (k, v, d)"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("too many filtered rows");
      assertThat(query(statement, "SELECT count(*) FROM cj")).containsExactly("20000");
    }
  }

  @Test
  void aClientThatDoesNotAllowLocalFilesGetsAClearError() throws Exception {
    Path file = directory.resolve("refused.csv");
    Files.writeString(file, "1\ta\t2024-01-01\n");
    try (Connection connection = connect("allowLoadLocalInfile=false");
        Statement statement = connection.createStatement()) {
      createTable(statement, "refused");
      assertThatThrownBy(
              () ->
                  statement.executeUpdate(
                      "LOAD DATA LOCAL INFILE '" + file + "' INTO TABLE refused"))
          .isInstanceOf(SQLException.class);
    }
    try (Connection connection = connect("");
        Statement statement = connection.createStatement()) {
      assertThat(query(statement, "SELECT count(*) FROM refused")).containsExactly("0");
      assertThatThrownBy(
              () -> statement.execute("LOAD DATA INFILE '/etc/passwd' INTO TABLE refused"))
          .hasMessageContaining("without LOCAL");
    }
  }

  /**
   * {@code LINES STARTING BY}: each line is read from just after its prefix, lines without it are
   * skipped, and IGNORE counts the lines that have it (as MySQL's example of a log with a marker).
   */
  @Test
  void linesStartingBySkipsThePrefixAndLinesWithoutIt() throws Exception {
    Path file = directory.resolve("marked.log");
    Files.writeString(
        file,
        "header line without the marker\r\n"
            + "ROW:k,v,d\r\n"
            + "noise ROW:1,one,2024-03-01\r\n"
            + "unmarked,junk,line\r\n"
            + "ROW:2,two,2024-03-02\r\n"
            + "ROW:3,ROW:three,2024-03-03\r\n");
    try (Connection connection = connect("allowLoadLocalInfile=true");
        Statement statement = connection.createStatement()) {
      createTable(statement, "marked");
      int loaded =
          statement.executeUpdate(
              "LOAD DATA LOCAL INFILE '"
                  + file
                  + "' INTO TABLE marked FIELDS TERMINATED BY ','"
                  + " LINES STARTING BY 'ROW:' TERMINATED BY '\\r\\n' IGNORE 1 LINES (k, v, d)");
      assertThat(loaded).isEqualTo(3);
      assertThat(query(statement, "SELECT k, v, d FROM marked ORDER BY k"))
          .containsExactly("1|one|2024-03-01", "2|two|2024-03-02", "3|ROW:three|2024-03-03");
      assertThatThrownBy(
              () ->
                  statement.executeUpdate(
                      "LOAD DATA LOCAL INFILE '" + file + "' INTO TABLE marked LINES IGNORE 1"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("expected STARTING BY or TERMINATED BY after LINES");
    }
  }

  @Test
  void mariadbCommandLineLoadsAFile() throws Exception {
    ExternalDependencies.require(
        Files.isExecutable(CLIENT), "the mariadb client is not installed at " + CLIENT);
    try (Connection connection = connect("");
        Statement statement = connection.createStatement()) {
      createTable(statement, "cli");
    }
    Path file = directory.resolve("cli.tsv");
    Files.writeString(file, "1\tone\t2024-05-01\n2\t\\N\t2024-05-02\n3\tthree\t\\N\n");
    Process client =
        new ProcessBuilder(
                CLIENT.toString(),
                "--no-defaults",
                "--protocol=TCP",
                "-h127.0.0.1",
                "-P" + server.queryPort(),
                "-uroot",
                "--skip-ssl",
                "--local-infile=1",
                "ld",
                "-e",
                "LOAD DATA LOCAL INFILE '" + file + "' INTO TABLE cli")
            .redirectErrorStream(true)
            .start();
    String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(client.exitValue()).as(output).isZero();
    try (Connection connection = connect("");
        Statement statement = connection.createStatement()) {
      assertThat(query(statement, "SELECT k, v, d FROM cli ORDER BY k"))
          .containsExactly("1|one|2024-05-01", "2|null|2024-05-02", "3|three|null");
    }
  }
}
