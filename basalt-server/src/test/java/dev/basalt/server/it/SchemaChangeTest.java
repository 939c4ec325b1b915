package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.load.compaction.MaintenanceConfig;
import dev.basalt.server.testing.ExternalDependencies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Schema changes that rewrite data (ALTER TABLE MODIFY COLUMN to another type) through the MySQL
 * front door: SHOW ALTER TABLE COLUMN's Doris columns and rows, also after a restart; queries and
 * loads running while the job rewrites the table (each query sees the old or the new definition
 * with all rows, each load commits or is refused whole); a cancelled job leaving the table and its
 * files as they were; and the conversions compared with MariaDB's ALTER TABLE MODIFY.
 */
class SchemaChangeTest {
  private static final List<String> COLUMNS =
      List.of(
          "JobId",
          "TableName",
          "CreateTime",
          "FinishTime",
          "IndexName",
          "IndexId",
          "OriginIndexId",
          "SchemaVersion",
          "TransactionId",
          "State",
          "Msg",
          "Progress",
          "Timeout");

  @Test
  void showAlterTableColumnListsFinishedAndCancelledJobsAlsoAfterARestart() throws Exception {
    try (TestServer server = TestServer.start()) {
      try (Connection connection = connect(server);
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE jobs");
        statement.execute("USE jobs");
        statement.execute(
            "CREATE TABLE t (k INT NOT NULL, v VARCHAR(10)) DUPLICATE KEY(k)"
                + " DISTRIBUTED BY HASH(k) BUCKETS 2");
        statement.execute(
            "CREATE TABLE other (k INT NOT NULL, w INT) DUPLICATE KEY(k)"
                + " DISTRIBUTED BY HASH(k) BUCKETS 1");
        statement.execute("INSERT INTO t VALUES (1, '10'), (2, 'twenty'), (3, '30')");
        statement.execute("ALTER TABLE t ADD COLUMN extra INT DEFAULT '0'");
        assertThatThrownBy(() -> statement.execute("ALTER TABLE t MODIFY COLUMN v INT"))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("value 'twenty' of column v does not convert to int");
        statement.execute("DELETE FROM t WHERE k = 2");
        statement.execute("ALTER TABLE t MODIFY COLUMN v INT");
        statement.execute("ALTER TABLE other ORDER BY (k, w)");

        List<Map<String, String>> all = show(statement, "SHOW ALTER TABLE COLUMN");
        assertThat(all).hasSize(4);
        assertThat(all.get(0).keySet()).containsExactlyElementsOf(COLUMNS);
        assertThat(all.stream().map(row -> row.get("TableName") + ":" + row.get("State")))
            .containsExactly("t:FINISHED", "t:CANCELLED", "t:FINISHED", "other:FINISHED");
        Map<String, String> cancelled = all.get(1);
        assertThat(cancelled.get("Msg"))
            .isEqualTo("value 'twenty' of column v does not convert to int");
        Map<String, String> rewrite = all.get(2);
        assertThat(rewrite.get("Msg")).isEmpty();
        assertThat(rewrite.get("IndexName")).isEqualTo("t");
        assertThat(rewrite.get("IndexId")).isEqualTo(rewrite.get("OriginIndexId"));
        assertThat(rewrite.get("Progress")).isEqualTo("N/A");
        assertThat(rewrite.get("Timeout")).isEqualTo("86400");
        assertThat(rewrite.get("CreateTime"))
            .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
        assertThat(rewrite.get("FinishTime")).isGreaterThanOrEqualTo(rewrite.get("CreateTime"));
        assertThat(Long.parseLong(rewrite.get("JobId")))
            .isGreaterThan(Long.parseLong(cancelled.get("JobId")));

        // What Doris's tools poll: the newest job of a table.
        List<Map<String, String>> newest =
            show(
                statement,
                "SHOW ALTER TABLE COLUMN FROM jobs WHERE TableName = 't'"
                    + " ORDER BY CreateTime DESC, JobId DESC LIMIT 1");
        assertThat(newest).hasSize(1);
        assertThat(newest.get(0).get("JobId")).isEqualTo(rewrite.get("JobId"));
        assertThat(newest.get(0).get("State")).isEqualTo("FINISHED");
        assertThat(show(statement, "SHOW ALTER TABLE COLUMN WHERE State = 'CANCELLED'"))
            .extracting(row -> row.get("JobId"))
            .containsExactly(cancelled.get("JobId"));
        assertThat(ResultRows.of(statement, "SELECT k, v + 1, extra FROM t ORDER BY k"))
            .containsExactly("1|11|0", "3|31|0");
      }
      List<Map<String, String>> before;
      try (Connection connection = connect(server);
          Statement statement = connection.createStatement()) {
        before = show(statement, "SHOW ALTER TABLE COLUMN FROM jobs");
      }
      server.restart();
      try (Connection connection = connect(server);
          Statement statement = connection.createStatement()) {
        assertThat(show(statement, "SHOW ALTER TABLE COLUMN FROM jobs")).isEqualTo(before);
        assertThat(ResultRows.of(statement, "SELECT k, v + 1, extra FROM jobs.t ORDER BY k"))
            .containsExactly("1|11|0", "3|31|0");
        assertThat(
                ResultRows.of(
                    statement,
                    "SELECT data_type FROM information_schema.columns"
                        + " WHERE table_schema = 'jobs' AND table_name = 't' AND column_name = 'v'"))
            .containsExactly("int");
      }
    }
  }

  /**
   * While a rewrite of 200,000 rows runs, other sessions query the table (every answer has all rows
   * with the same sum, through the old or the new type) and insert into it (each INSERT either
   * commits, before or after the job, or is refused whole with the retryable 1213 when it wrote
   * under the old definition); afterwards every acknowledged row is there, converted.
   */
  @Test
  void queriesAndLoadsDuringARewriteSeeOneDefinitionAndLoseNothing() throws Exception {
    try (TestServer server = TestServer.start()) {
      int rows = 200_000;
      long expectedSum = 0;
      try (Connection connection = connect(server);
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE busy");
        statement.execute("USE busy");
        statement.execute(
            "CREATE TABLE t (k INT NOT NULL, v INT, note VARCHAR(20)) UNIQUE KEY(k)"
                + " DISTRIBUTED BY HASH(k) BUCKETS 4");
        for (int load = 0; load < 4; load++) {
          StringBuilder insert = new StringBuilder("INSERT INTO t VALUES ");
          for (int k = load * rows / 4; k < (load + 1) * rows / 4; k++) {
            insert.append(k % (rows / 4) == 0 ? "" : ", ");
            insert.append('(').append(k).append(", ").append(k % 1000).append(", 'row')");
          }
          statement.execute(insert.toString());
        }
        for (int i = 0; i < rows; i++) {
          expectedSum += i % 1000;
        }
      }
      long sum = expectedSum;
      AtomicBoolean done = new AtomicBoolean();
      List<Integer> inserted = java.util.Collections.synchronizedList(new ArrayList<>());
      List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<Integer> queries =
            pool.submit(
                () -> {
                  int count = 0;
                  try (Connection connection = connect(server);
                      Statement statement = connection.createStatement()) {
                    while (!done.get()) {
                      List<String> answer =
                          ResultRows.of(
                              statement,
                              "SELECT count(*), sum(CAST(v AS BIGINT)) FROM busy.t WHERE k < "
                                  + rows);
                      if (!answer.equals(List.of(rows + "|" + sum))) {
                        failures.add("query saw " + answer);
                      }
                      count++;
                    }
                  }
                  return count;
                });
        Future<Integer> loads =
            pool.submit(
                () -> {
                  int key = 1_000_000;
                  try (Connection connection = connect(server);
                      Statement statement = connection.createStatement()) {
                    while (!done.get()) {
                      key++;
                      try {
                        statement.execute("INSERT INTO busy.t VALUES (" + key + ", 7, 'new')");
                        inserted.add(key);
                      } catch (SQLException refused) {
                        if (refused.getErrorCode() != 1213) {
                          failures.add("insert failed: " + refused.getMessage());
                        }
                      }
                    }
                  }
                  return key;
                });
        try (Connection connection = connect(server);
            Statement statement = connection.createStatement()) {
          Thread.sleep(200);
          statement.execute("ALTER TABLE busy.t MODIFY COLUMN v VARCHAR(8)");
          Thread.sleep(200);
        } finally {
          done.set(true);
        }
        assertThat(queries.get()).isPositive();
        loads.get();
      } finally {
        pool.shutdownNow();
      }
      assertThat(failures).isEmpty();
      try (Connection connection = connect(server);
          Statement statement = connection.createStatement()) {
        assertThat(
                ResultRows.of(
                    statement,
                    "SELECT count(*), sum(CAST(v AS BIGINT)) FROM busy.t WHERE k < " + rows))
            .containsExactly(rows + "|" + sum);
        List<String> newRows =
            ResultRows.of(statement, "SELECT k, v FROM busy.t WHERE k >= " + rows);
        assertThat(newRows)
            .containsExactlyInAnyOrderElementsOf(inserted.stream().map(key -> key + "|7").toList());
        assertThat(ResultRows.of(statement, "SELECT v FROM busy.t WHERE k = 12345"))
            .containsExactly("345");
      }
    }
  }

  /**
   * A job cancelled by a value in its last segment deletes the segments it wrote: the data
   * directory holds the same files as before, and the table its old type and rows.
   */
  @Test
  void aCancelledJobLeavesTheTableAndItsFilesAsTheyWere() throws Exception {
    // No background compaction: the data directory changes only through the statements here.
    try (TestServer server =
        TestServer.start(config -> config.withMaintenance(MaintenanceConfig.ON_REQUEST))) {
      try (Connection connection = connect(server);
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE cancel");
        statement.execute("USE cancel");
        statement.execute(
            "CREATE TABLE t (k INT NOT NULL, v VARCHAR(10)) DUPLICATE KEY(k)"
                + " DISTRIBUTED BY HASH(k) BUCKETS 3");
        for (int load = 0; load < 5; load++) {
          statement.execute(
              "INSERT INTO t VALUES ("
                  + load
                  + ", '"
                  + load
                  + "'), ("
                  + (load + 10)
                  + ", '"
                  + (load + 10)
                  + "')");
        }
        statement.execute("INSERT INTO t VALUES (99, 'x99')");
        List<String> files = segmentFiles(server.dataDirectory());
        assertThatThrownBy(() -> statement.execute("ALTER TABLE t MODIFY COLUMN v BIGINT"))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("value 'x99' of column v does not convert to bigint");
        assertThat(segmentFiles(server.dataDirectory())).isEqualTo(files);
        assertThat(ResultRows.of(statement, "SELECT count(*), max(v) FROM t"))
            .containsExactly("11|x99");
        assertThat(ResultRows.of(statement, "DESC t"))
            .anyMatch(row -> row.startsWith("v|varchar(10)|"));
        statement.execute("DELETE FROM t WHERE k = 99");
        statement.execute("ALTER TABLE t MODIFY COLUMN v BIGINT");
        assertThat(ResultRows.of(statement, "SELECT count(*), sum(v) FROM t"))
            .containsExactly("10|70");
      }
    }
  }

  /**
   * The same rows and the same ALTER TABLE MODIFY COLUMN statements in Basalt and MariaDB (strict
   * mode) give the same values, where the conversion rules agree: numbers to strings and wider or
   * narrower numbers, strings of numbers to numbers, DECIMAL scale down (half up), DATETIME to
   * DATE.
   */
  @Test
  void conversionsMatchMariadb() throws Exception {
    Connection oracle;
    try {
      oracle =
          DriverManager.getConnection(
              "jdbc:mariadb://127.0.0.1:3306/?user=root&sslMode=disable&connectTimeout=3000");
    } catch (SQLException unavailable) {
      ExternalDependencies.require(
          false, "no MariaDB on 127.0.0.1:3306 to compare with: " + unavailable.getMessage());
      return;
    }
    String database =
        "basalt_alter_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String columns =
        "k INT NOT NULL, i INT, b BIGINT, s VARCHAR(20), m DECIMAL(12,4), d DATETIME, f DOUBLE";
    List<String> values = new ArrayList<>();
    java.util.Random random = new java.util.Random(20261207L);
    for (int k = 1; k <= 200; k++) {
      boolean nulls = k % 17 == 0;
      values.add(
          "("
              + k
              + ", "
              + (nulls ? "NULL" : random.nextInt(2_000_001) - 1_000_000)
              + ", "
              + (nulls ? "NULL" : random.nextInt(60_001) - 30_000)
              + ", "
              + (nulls ? "NULL" : "'" + (random.nextInt(20_001) - 10_000) + "'")
              + ", "
              + (nulls
                  ? "NULL"
                  : (random.nextInt(2_000_001) - 1_000_000)
                      + "."
                      + String.format("%04d", random.nextInt(10_000)))
              + ", "
              + (nulls
                  ? "NULL"
                  : String.format(
                      "'20%02d-%02d-%02d %02d:%02d:%02d'",
                      random.nextInt(30),
                      1 + random.nextInt(12),
                      1 + random.nextInt(28),
                      random.nextInt(24),
                      random.nextInt(60),
                      random.nextInt(60)))
              + ", "
              + (nulls ? "NULL" : Integer.toString(random.nextInt(100_001) - 50_000))
              + ")");
    }
    List<String> alters =
        List.of(
            // First, so that no DOUBLE is compared as text (the engines print them differently).
            "MODIFY COLUMN f DECIMAL(10,1)",
            "MODIFY COLUMN i VARCHAR(20)",
            "MODIFY COLUMN b SMALLINT",
            "MODIFY COLUMN s INT",
            "MODIFY COLUMN m DECIMAL(12,2)",
            "MODIFY COLUMN d DATE");
    String select = "SELECT k, i, b, s, m, d, f FROM t ORDER BY k";
    String beforeDouble = "SELECT k, i, b, s, m, d FROM t ORDER BY k";
    try (TestServer server = TestServer.start();
        Connection basalt = connect(server);
        Statement basaltStatement = basalt.createStatement();
        Statement oracleStatement = oracle.createStatement()) {
      oracleStatement.execute("CREATE DATABASE " + database);
      try {
        oracleStatement.execute("USE " + database);
        oracleStatement.execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES'");
        oracleStatement.execute("CREATE TABLE t (" + columns + ")");
        basaltStatement.execute("CREATE DATABASE alter_oracle");
        basaltStatement.execute("USE alter_oracle");
        basaltStatement.execute(
            "CREATE TABLE t (" + columns + ") DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 3");
        // Two loads in Basalt, so the rewrite converts several rowsets.
        int half = values.size() / 2;
        for (List<String> part :
            List.of(values.subList(0, half), values.subList(half, values.size()))) {
          String insert = "INSERT INTO t VALUES " + String.join(", ", part);
          basaltStatement.execute(insert);
          oracleStatement.execute(insert);
        }
        assertThat(ResultRows.of(basaltStatement, beforeDouble))
            .containsExactlyElementsOf(ResultRows.of(oracleStatement, beforeDouble));
        for (String alter : alters) {
          basaltStatement.execute("ALTER TABLE t " + alter);
          oracleStatement.execute("ALTER TABLE t " + alter);
          assertThat(ResultRows.of(basaltStatement, select))
              .as("after %s", alter)
              .containsExactlyElementsOf(ResultRows.of(oracleStatement, select));
        }
        // A value out of the new range fails in both, and changes nothing in Basalt.
        assertThatThrownBy(() -> basaltStatement.execute("ALTER TABLE t MODIFY COLUMN s TINYINT"))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("does not convert to tinyint");
        assertThatThrownBy(() -> oracleStatement.execute("ALTER TABLE t MODIFY COLUMN s TINYINT"))
            .isInstanceOf(SQLException.class);
        assertThat(ResultRows.of(basaltStatement, select))
            .containsExactlyElementsOf(ResultRows.of(oracleStatement, select));
      } finally {
        oracleStatement.execute("DROP DATABASE IF EXISTS " + database);
        oracle.close();
      }
    }
  }

  private static List<String> segmentFiles(Path dataDirectory) throws Exception {
    try (Stream<Path> files = Files.walk(dataDirectory)) {
      return files
          .filter(path -> path.toString().endsWith(".bsg"))
          .map(path -> dataDirectory.relativize(path).toString())
          .sorted()
          .toList();
    }
  }

  private static Connection connect(TestServer server) throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl("", ""), TestServer.ROOT_USER, "");
  }

  private static List<Map<String, String>> show(Statement statement, String sql)
      throws SQLException {
    List<Map<String, String>> result = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery(sql)) {
      ResultSetMetaData meta = rows.getMetaData();
      while (rows.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int c = 1; c <= meta.getColumnCount(); c++) {
          row.put(meta.getColumnLabel(c), rows.getString(c));
        }
        result.add(row);
      }
    }
    return result;
  }
}
