package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * CREATE TABLE ... AS SELECT streams its query's rows into one load: two million rows fit a small
 * {@code exec_mem_limit} (they failed with MEM_LIMIT_EXCEEDED while CTAS held the whole result), a
 * query failing after rows were loaded leaves no table, and an existing name fails with 1050.
 */
class CreateTableAsSelectTest {
  /** Rows of the generated query: a cross join of 100 x 100 x 200 digits. */
  private static final long ROWS = 2_000_000;

  /** Far below the two million rows' 48 MB of BIGINTs. */
  private static final long SMALL_LIMIT = 8L << 20;

  /** Sum of 0 .. ROWS - 1. */
  private static final long SUM = ROWS * (ROWS - 1) / 2;

  /** The generated rows: n = 0 .. ROWS - 1 (each once), with two columns derived from it. */
  private static final String GENERATED =
      "SELECT a.d * 20000 + b.d * 200 + c.d AS n, a.d AS hundreds, (a.d * 20000 + b.d * 200"
          + " + c.d) * 2 AS twice FROM ctas.d100 a CROSS JOIN ctas.d100 b CROSS JOIN ctas.d200 c";

  private TestServer server;

  @BeforeEach
  void start() throws SQLException {
    // A small load buffer, so that a large CTAS writes segments before it ends.
    server = TestServer.start(1L << 20);
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE ctas");
      for (int digits : new int[] {100, 200}) {
        statement.execute(
            "CREATE TABLE ctas.d"
                + digits
                + " (d BIGINT) DUPLICATE KEY(d) DISTRIBUTED BY HASH(d) BUCKETS 1");
        StringBuilder values = new StringBuilder("INSERT INTO ctas.d" + digits + " VALUES ");
        for (int i = 0; i < digits; i++) {
          values.append(i == 0 ? "" : ", ").append('(').append(i).append(')');
        }
        statement.execute(values.toString());
      }
    }
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void twoMillionRowsStreamUnderASmallMemoryLimit() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      statement.execute("SET exec_mem_limit = " + SMALL_LIMIT);
      assertThat(
              statement.executeUpdate(
                  "CREATE TABLE ctas.generated DISTRIBUTED BY HASH(n) BUCKETS 4 AS " + GENERATED))
          .isEqualTo(ROWS);
      // The check runs under the small limit too: its global COUNT(DISTINCT n) over 2M values
      // spills them to disk by their hash (issue 14) instead of failing.
      assertThat(
              row(
                  statement,
                  "SELECT COUNT(*), COUNT(DISTINCT n), SUM(n), SUM(twice), MIN(n), MAX(n),"
                      + " SUM(hundreds) FROM ctas.generated"))
          .containsExactly(
              String.valueOf(ROWS),
              String.valueOf(ROWS),
              String.valueOf(SUM),
              String.valueOf(2 * SUM),
              "0",
              String.valueOf(ROWS - 1),
              String.valueOf(20_000L * 99 * 100 / 2));
      assertThat(row(statement, "SHOW CREATE TABLE ctas.generated").get(1))
          .contains("`n` bigint NULL")
          .contains("DISTRIBUTED BY HASH(`n`) BUCKETS 4");

      // The name is taken now: 1050, and the table keeps its rows.
      assertThatThrownBy(
              () -> statement.executeUpdate("CREATE TABLE ctas.generated AS SELECT 1 AS one"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1050))
          .hasMessageContaining("Table 'generated' already exists");
      assertThat(
              statement.executeUpdate(
                  "CREATE TABLE IF NOT EXISTS ctas.generated AS SELECT 1 AS one"))
          .isZero();
      assertThat(row(statement, "SELECT COUNT(*) FROM ctas.generated"))
          .containsExactly(String.valueOf(ROWS));

      // The table survives a restart (it was confirmed after its load committed).
      server.restart();
    }
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      assertThat(row(statement, "SELECT COUNT(*), SUM(n) FROM ctas.generated"))
          .containsExactly(String.valueOf(ROWS), String.valueOf(SUM));
    }
  }

  @Test
  void aQueryFailingAfterRowsWereLoadedLeavesNoTable() throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      // BIGINT overflow for the rows with n above 1,900,000 only: most rows are loaded first.
      String failing =
          "CREATE TABLE ctas.failed AS SELECT n, n + (9223372036854775807 - 1900000) AS"
              + " overflowing FROM ("
              + GENERATED
              + ") g";
      assertThatThrownBy(() -> statement.executeUpdate(failing))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1690))
          .hasMessageContaining("BIGINT value is out of range");
      assertThat(tables(statement)).doesNotContain("failed");
      assertThatThrownBy(() -> statement.executeQuery("SELECT COUNT(*) FROM ctas.failed"))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1146));

      // The session keeps working, and the name is free.
      assertThat(statement.executeUpdate("CREATE TABLE ctas.failed AS SELECT 1 AS one"))
          .isEqualTo(1);
      assertThat(row(statement, "SELECT * FROM ctas.failed")).containsExactly("1");
      server.restart();
    }
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      assertThat(row(statement, "SELECT * FROM ctas.failed")).containsExactly("1");
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
  }

  private static List<String> row(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).as(sql).isTrue();
      List<String> values = new ArrayList<>();
      for (int c = 1; c <= rows.getMetaData().getColumnCount(); c++) {
        values.add(rows.getString(c));
      }
      return values;
    }
  }

  private static List<String> tables(Statement statement) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery("SHOW TABLES FROM ctas")) {
      while (rows.next()) {
        names.add(rows.getString(1));
      }
    }
    return names;
  }
}
