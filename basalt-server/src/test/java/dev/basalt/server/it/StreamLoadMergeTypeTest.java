package dev.basalt.server.it;

import static dev.basalt.server.it.StreamLoadClient.headers;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stream Load's merge types on a merge-on-write UNIQUE KEY table, end to end (JDK HTTP client and
 * curl, rows checked over JDBC): DELETE deletes the key of every row, MERGE deletes the rows its
 * {@code delete} condition selects and upserts the others, each atomically with the load.
 */
class StreamLoadMergeTypeTest {
  private static StreamLoadDatabase db;
  private static int tableNumber;
  private String table;

  @BeforeAll
  static void start() throws SQLException {
    db =
        StreamLoadDatabase.start(
            "m",
            "CREATE TABLE m.dup (k INT NOT NULL, v VARCHAR(10)) DUPLICATE KEY(k)"
                + " DISTRIBUTED BY HASH(k) BUCKETS 1");
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  /** A fresh table {@code u<n>}: k INT key, v VARCHAR(10) NOT NULL, flag INT; rows k = 0..2999. */
  @BeforeEach
  void createTable() throws Exception {
    table = "u" + (++tableNumber);
    db.server.execute(
        "CREATE TABLE m."
            + table
            + " (k INT NOT NULL, v VARCHAR(10) NOT NULL, flag INT) UNIQUE KEY(k)"
            + " DISTRIBUTED BY HASH(k) BUCKETS 3");
    StringBuilder csv = new StringBuilder();
    for (int k = 0; k < 3000; k++) {
      csv.append(k).append(",v").append(k).append(",0\n");
    }
    assertThat(load(headers(), csv.toString()).get("Status").asText()).isEqualTo("Success");
  }

  /** Stream Load into this test's table. */
  private JsonNode load(java.util.Map<String, String> headers, String csv) throws Exception {
    return db.load(table, headers, csv);
  }

  @Test
  void deleteRemovesTheKeyOfEveryRowEvenWithoutValues() throws Exception {
    StringBuilder keys = new StringBuilder();
    for (int k = 0; k < 3000; k += 2) {
      keys.append(k).append('\n');
    }
    keys.append("5000\n");
    JsonNode answer = load(headers("merge_type", "DELETE", "columns", "k"), keys.toString());
    assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Success");
    assertThat(answer.get("NumberLoadedRows").asLong()).isEqualTo(1501);
    assertThat(db.query("SELECT count(*), min(k), max(k), sum(k % 2) FROM m." + table))
        .containsExactly("1500|1|2999|1500");
    assertThat(db.query("SELECT v FROM m." + table + " WHERE k = 1")).containsExactly("v1");
    // A key deleted can come back.
    load(headers(), "2,again,1\n");
    assertThat(db.query("SELECT k, v FROM m." + table + " WHERE k = 2")).containsExactly("2|again");
  }

  @Test
  void mergeDeletesWhereTheConditionHoldsAndUpsertsTheRest() throws Exception {
    Path file =
        StreamLoadClient.temporaryFile("1,gone,1\n3,new3,0\n5,gone,1\n4000,added,0\n7,x,\\N\n");
    try {
      JsonNode answer =
          db.client()
              .curl(
                  "/api/m/" + table + "/_stream_load",
                  headers("column_separator", ",", "merge_type", "MERGE", "delete", "flag = 1"),
                  file);
      assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Success");
      assertThat(answer.get("NumberLoadedRows").asLong()).isEqualTo(5);
    } finally {
      Files.deleteIfExists(file);
    }
    assertThat(db.query("SELECT count(*) FROM m." + table)).containsExactly("2999");
    assertThat(
            db.query(
                "SELECT k, v, flag FROM m."
                    + table
                    + " WHERE k IN (1, 3, 5, 7, 4000)"
                    + " ORDER BY k"))
        .containsExactly("3|new3|0", "7|x|null", "4000|added|0");
  }

  @Test
  void aFailedMergeLoadDeletesNothing() throws Exception {
    JsonNode answer =
        load(headers("merge_type", "MERGE", "delete", "flag = 1"), "1,a,1\n2,b,1\nbad,c,1\n");
    assertThat(answer.get("Status").asText()).isEqualTo("Fail");
    assertThat(answer.get("Message").asText()).contains("too many filtered rows");
    assertThat(db.query("SELECT count(*) FROM m." + table)).containsExactly("3000");
  }

  @Test
  void twoPhaseLoadsDeleteOnlyWhenCommitted() throws Exception {
    JsonNode deleting =
        load(
            headers("merge_type", "DELETE", "columns", "k", "two_phase_commit", "true"),
            "0\n1\n2\n5000\n");
    assertThat(deleting.get("Status").asText()).as(deleting.toString()).isEqualTo("Success");
    JsonNode merging =
        load(
            headers("merge_type", "MERGE", "delete", "flag = 1", "two_phase_commit", "true"),
            "10,new10,0\n11,x,1\n4000,added,0\n");
    assertThat(merging.get("Status").asText()).as(merging.toString()).isEqualTo("Success");
    // The delete sign, as the Flink connector sends CDC deletes in its two-phase sink.
    JsonNode signed =
        load(
            headers("hidden_columns", "__DORIS_DELETE_SIGN__", "two_phase_commit", "true"),
            "20,v20,0,1\n21,new21,0,0\n");
    assertThat(signed.get("Status").asText()).as(signed.toString()).isEqualTo("Success");
    JsonNode dropped =
        load(
            headers("merge_type", "DELETE", "columns", "k", "two_phase_commit", "true"),
            "30\n31\n");
    assertThat(dropped.get("Status").asText()).as(dropped.toString()).isEqualTo("Success");

    // Pre-committed: nothing deleted or written yet.
    assertThat(db.query("SELECT count(*) FROM m." + table)).containsExactly("3000");
    // A row written after the pre-commit is what the commit deletes: deletes are marked at commit.
    assertThat(load(headers(), "1,late1,0\n").get("Status").asText()).isEqualTo("Success");

    commit(deleting);
    commit(merging);
    commit(signed);
    JsonNode abort =
        db.client()
            .twoPhase(
                "m", headers("txn_id", dropped.get("TxnId").asText(), "txn_operation", "abort"));
    assertThat(abort.get("status").asText()).as(abort.toString()).isEqualTo("Success");

    assertThat(db.query("SELECT count(*) FROM m." + table)).containsExactly("2996");
    assertThat(
            db.query(
                "SELECT k, v FROM m."
                    + table
                    + " WHERE k IN (0, 1, 2, 10, 11, 20, 21, 30, 31, 4000) ORDER BY k"))
        .containsExactly("10|new10", "21|new21", "30|v30", "31|v31", "4000|added");
  }

  private static void commit(JsonNode precommitted) throws Exception {
    JsonNode answer =
        db.client()
            .twoPhase(
                "m",
                headers("txn_id", precommitted.get("TxnId").asText(), "txn_operation", "commit"));
    assertThat(answer.get("status").asText()).as(answer.toString()).isEqualTo("Success");
  }

  @Test
  void wrongCombinationsFailClearly() throws Exception {
    assertThat(load(headers("merge_type", "MERGE"), "1,a,1\n").get("Message").asText())
        .contains("merge_type MERGE needs a 'delete' condition");
    assertThat(load(headers("delete", "flag = 1"), "1,a,1\n").get("Message").asText())
        .contains("a 'delete' condition needs merge_type MERGE");
    assertThat(load(headers("merge_type", "UPSERT"), "1,a,1\n").get("Message").asText())
        .contains("'UPSERT' is not one of APPEND, DELETE, MERGE");
    JsonNode duplicate =
        db.client()
            .load("m", "dup", headers("merge_type", "DELETE", "column_separator", ","), "1,a\n");
    assertThat(duplicate.get("Status").asText()).isEqualTo("Fail");
    assertThat(duplicate.get("Message").asText())
        .contains("needs a UNIQUE KEY table with merge-on-write; dup is a DUPLICATE KEY table");
    assertThat(db.query("SELECT count(*) FROM m." + table)).containsExactly("3000");
  }
}
