package dev.basalt.server.it;

import static dev.basalt.server.it.StreamLoadClient.headers;
import static dev.basalt.server.it.StreamLoadDatabase.assertSuccess;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stream Load into UNIQUE KEY tables with a hidden sequence column ({@code
 * "function_column.sequence_type"} without {@code sequence_col}), end to end with the JDK HTTP
 * client, rows checked over JDBC: the {@code function_column.sequence_col} header names the source
 * field that fills {@code __DORIS_SEQUENCE_COL__} and is required; the column orders rows across
 * and within loads, deletes, compaction and a restart, merge-on-write and merge-on-read, and stays
 * out of SELECT * and SHOW CREATE TABLE.
 */
class StreamLoadHiddenSequenceTest {
  private static StreamLoadDatabase db;

  @BeforeAll
  static void start() throws SQLException {
    db =
        StreamLoadDatabase.start(
            "h",
            "CREATE TABLE h.mow (k INT NOT NULL, v VARCHAR(10)) UNIQUE KEY(k)"
                + " DISTRIBUTED BY HASH(k) BUCKETS 3"
                + " PROPERTIES (\"function_column.sequence_type\" = \"int\")",
            "CREATE TABLE h.mor (k INT NOT NULL, v VARCHAR(10)) UNIQUE KEY(k)"
                + " DISTRIBUTED BY HASH(k) BUCKETS 3"
                + " PROPERTIES (\"function_column.sequence_type\" = \"int\","
                + " \"enable_unique_key_merge_on_write\" = \"false\")",
            "CREATE TABLE h.dated (k INT NOT NULL, v VARCHAR(10), modified DATE) UNIQUE KEY(k)"
                + " DISTRIBUTED BY HASH(k) BUCKETS 1"
                + " PROPERTIES (\"function_column.sequence_type\" = \"date\")");
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  /** The headers of a load whose third field {@code ver} fills the hidden sequence column. */
  private static Map<String, String> withVersion(String... more) {
    Map<String, String> headers =
        headers("columns", "k,v,ver", "function_column.sequence_col", "ver");
    headers.putAll(headers(more));
    return headers;
  }

  @Test
  void headerFillsTheHiddenColumnAcrossCompactionAndRestart() throws Exception {
    for (String table : List.of("mow", "mor")) {
      // 20,000 rows, each key 4 times with versions in a shuffled order: many segments per tablet.
      StringBuilder csv = new StringBuilder();
      int[] versions = {3, 9, 1, 9};
      for (int round = 0; round < 4; round++) {
        for (int k = 0; k < 5000; k++) {
          int version = versions[(round + k) % 4];
          csv.append(k).append(",r").append(round).append("v").append(version).append(',');
          csv.append(version).append('\n');
        }
      }
      assertSuccess(db.load(table, withVersion(), csv.toString()));
      assertThat(db.query("SELECT * FROM h." + table + " WHERE k IN (0, 1) ORDER BY k"))
          .as(table)
          .containsExactly("0|r3v9", "1|r2v9");
      // Older versions lose, equal or newer ones win.
      assertSuccess(db.load(table, withVersion(), "0,old,8\n1,tie,9\n2,new,10\n"));
      assertThat(db.query("SELECT k, v FROM h." + table + " WHERE k IN (0, 1, 2) ORDER BY k"))
          .as(table)
          .containsExactly("0|r3v9", "1|tie", "2|new");
      db.server.execute("ADMIN COMPACT TABLE h." + table + " WHERE type = 'BASE'");
      assertSuccess(db.load(table, withVersion(), "2,stale,9\n3,fresh,100\n"));
      assertThat(db.query("SELECT count(*) FROM h." + table)).as(table).containsExactly("5000");
    }
    db.restart();
    for (String table : List.of("mow", "mor")) {
      assertSuccess(db.load(table, withVersion(), "3,stale,99\n4,four,9\n"));
      assertThat(db.query("SELECT k, v FROM h." + table + " WHERE k IN (2, 3, 4) ORDER BY k"))
          .as(table)
          .containsExactly("2|new", "3|fresh", "4|four");
      try (Connection connection =
              DriverManager.getConnection(db.server.mysqlUrl("h", ""), "root", "");
          Statement statement = connection.createStatement()) {
        statement.execute("SET show_hidden_columns = true");
        try (var result =
            statement.executeQuery(
                "SELECT __DORIS_SEQUENCE_COL__ FROM " + table + " WHERE k IN (0, 3) ORDER BY k")) {
          assertThat(result.next()).isTrue();
          assertThat(result.getInt(1)).as(table).isEqualTo(9);
          assertThat(result.next()).isTrue();
          assertThat(result.getInt(1)).as(table).isEqualTo(100);
        }
      }
    }
    // SELECT * and SHOW CREATE TABLE leave the column out; the property stays.
    assertThat(db.query("SELECT * FROM h.mow WHERE k = 3")).containsExactly("3|fresh");
    String created = db.query("SHOW CREATE TABLE h.mow").get(0);
    assertThat(created).contains("\"function_column.sequence_type\" = \"int\"");
    assertThat(created).doesNotContain("__DORIS_SEQUENCE_COL__");
  }

  @Test
  void headerIsRequiredAndMustNameAField() throws Exception {
    JsonNode missing = db.load("mow", headers("columns", "k,v"), "7,x\n");
    assertThat(missing.get("Status").asText()).isEqualTo("Fail");
    assertThat(missing.get("Message").asText())
        .contains("Table mow has sequence column, need to specify the sequence column");
    JsonNode unknown =
        db.load("mow", headers("columns", "k,v", "function_column.sequence_col", "nope"), "7,x\n");
    assertThat(unknown.get("Status").asText()).isEqualTo("Fail");
    assertThat(unknown.get("Message").asText()).contains("'nope' is not a field of the load");
    assertThat(db.query("SELECT count(*) FROM h.mow WHERE k = 7")).containsExactly("0");
  }

  @Test
  void positionalFieldsMapToTheVisibleColumns() throws Exception {
    // Without a columns header the fields are the visible columns; the header may name one of
    // them, which then fills both it and the hidden column.
    Map<String, String> headers = headers("function_column.sequence_col", "modified");
    assertSuccess(db.load("dated", headers, "1,b,2024-02-01\n1,a,2024-03-01\n1,c,2024-01-01\n"));
    assertSuccess(
        db.load(
            "dated", headers("function_column.sequence_col", "modified"), "1,old,2023-12-31\n"));
    assertThat(db.query("SELECT * FROM h.dated")).containsExactly("1|a|2024-03-01");
    // Three fields by position: a fourth would be one too many.
    JsonNode tooMany =
        db.load(
            "dated",
            headers("function_column.sequence_col", "modified", "max_filter_ratio", "0"),
            "2,x,2024-01-01,5\n");
    assertThat(tooMany.get("Status").asText()).isEqualTo("Fail");
  }

  @Test
  void deletesAreOrderedByTheHiddenColumn() throws Exception {
    assertSuccess(db.load("mow", withVersion(), "9001,a,50\n9002,b,50\n"));
    Map<String, String> deleting =
        headers("columns", "k,v,ver,__DORIS_DELETE_SIGN__", "function_column.sequence_col", "ver");
    // A delete with a smaller sequence value leaves the row; an equal one deletes it.
    assertSuccess(db.load("mow", deleting, "9001,,49,1\n9002,,50,1\n"));
    assertThat(db.query("SELECT k, v FROM h.mow WHERE k > 9000 ORDER BY k"))
        .containsExactly("9001|a");
  }
}
