package dev.basalt.server.it;

import static dev.basalt.server.it.StreamLoadClient.headers;
import static dev.basalt.server.it.StreamLoadDatabase.assertSuccess;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stream Load into UNIQUE KEY tables with the model's options, end to end (JDK HTTP client and
 * curl, rows checked over JDBC): the sequence column (and the {@code function_column.sequence_col}
 * header), {@code partial_columns: true}, replace-if-not-null, and a load large enough to flush
 * several segments per tablet.
 */
class StreamLoadUniqueOptionsTest {
  private static StreamLoadDatabase db;

  @BeforeAll
  static void start() throws SQLException {
    db =
        StreamLoadDatabase.start(
            "o",
            "CREATE TABLE o.seq (k INT NOT NULL, v VARCHAR(10), ver BIGINT) UNIQUE KEY(k)"
                + " DISTRIBUTED BY HASH(k) BUCKETS 3"
                + " PROPERTIES (\"function_column.sequence_col\" = \"ver\")",
            "CREATE TABLE o.seq_mor (k INT NOT NULL, v VARCHAR(10), ver BIGINT) UNIQUE KEY(k)"
                + " DISTRIBUTED BY HASH(k) BUCKETS 3"
                + " PROPERTIES (\"function_column.sequence_col\" = \"ver\","
                + " \"enable_unique_key_merge_on_write\" = \"false\")",
            "CREATE TABLE o.wide (k INT NOT NULL, a INT, b VARCHAR(10) NOT NULL, c INT DEFAULT \"5\")"
                + " UNIQUE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 3",
            "CREATE TABLE o.rinn (k INT NOT NULL, a INT, b VARCHAR(10)) UNIQUE KEY(k)"
                + " DISTRIBUTED BY HASH(k) BUCKETS 2"
                + " PROPERTIES (\"enable_unique_key_replace_if_not_null\" = \"true\")",
            "CREATE TABLE o.plain (k INT NOT NULL, v INT) UNIQUE KEY(k) DISTRIBUTED BY HASH(k)",
            "CREATE TABLE o.cdc (k INT NOT NULL, v VARCHAR(10)) UNIQUE KEY(k)"
                + " DISTRIBUTED BY HASH(k) BUCKETS 2",
            "CREATE TABLE o.staged (k INT NOT NULL, a INT, b INT) UNIQUE KEY(k)"
                + " DISTRIBUTED BY HASH(k) BUCKETS 2");
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  @Test
  void sequenceColumnDecidesAcrossAndWithinLoads() throws Exception {
    for (String table : List.of("seq", "seq_mor")) {
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
      assertSuccess(db.load(table, headers(), csv.toString()));
      // Every key's winner is its last row with version 9.
      assertThat(db.query("SELECT count(*), min(ver), max(ver) FROM o." + table))
          .as(table)
          .containsExactly("5000|9|9");
      // Key 0 has version 9 in rounds 1 and 3, key 1 in rounds 0 and 2: the later wins the tie.
      assertThat(db.query("SELECT k, v FROM o." + table + " WHERE k IN (0, 1) ORDER BY k"))
          .as(table)
          .containsExactly("0|r3v9", "1|r2v9");
      // The header names the sequence column; older versions lose, equal or newer ones win.
      Path file = StreamLoadClient.temporaryFile("0,old,8\n1,tie,9\n2,new,10\n");
      try {
        JsonNode answer =
            db.client()
                .curl(
                    "/api/o/" + table + "/_stream_load",
                    headers("column_separator", ",", "function_column.sequence_col", "ver"),
                    file);
        assertSuccess(answer);
      } finally {
        Files.deleteIfExists(file);
      }
      assertThat(db.query("SELECT k, v, ver FROM o." + table + " WHERE k IN (0, 1, 2) ORDER BY k"))
          .as(table)
          .containsExactly("0|r3v9|9", "1|tie|9", "2|new|10");
    }
    JsonNode wrong = db.load("seq", headers("function_column.sequence_col", "v"), "1,x,100\n");
    assertThat(wrong.get("Status").asText()).isEqualTo("Fail");
    assertThat(wrong.get("Message").asText()).contains("the sequence column of table seq is ver");
    JsonNode none = db.load("plain", headers("function_column.sequence_col", "v"), "1,2\n");
    assertThat(none.get("Message").asText()).contains("table plain has no sequence column");
    assertThat(db.query("SELECT count(*) FROM o.plain")).containsExactly("0");
  }

  @Test
  void partialColumnsKeepTheOtherColumns() throws Exception {
    StringBuilder csv = new StringBuilder();
    for (int k = 0; k < 4000; k++) {
      csv.append(k).append(',').append(k).append(",b").append(k).append(',').append(k * 2);
      csv.append('\n');
    }
    assertSuccess(db.load("wide", headers(), csv.toString()));
    // Update column a of the even keys, and add key 10000 (b is NOT NULL without default: its
    // row is refused, so it comes with b in the second load).
    StringBuilder partial = new StringBuilder();
    for (int k = 0; k < 4000; k += 2) {
      partial.append(k).append(',').append(-k).append('\n');
    }
    assertSuccess(
        db.load("wide", headers("partial_columns", "true", "columns", "k, a"), partial.toString()));
    assertThat(
            db.query("SELECT k, a, b, c FROM o.wide WHERE k IN (0, 1, 2, 3998, 3999) ORDER BY k"))
        .containsExactly(
            "0|0|b0|0", "1|1|b1|2", "2|-2|b2|4", "3998|-3998|b3998|7996", "3999|3999|b3999|7998");
    assertThat(db.query("SELECT count(*), sum(a), sum(c) FROM o.wide"))
        .containsExactly("4000|2000|15996000");
    JsonNode newKey =
        db.load("wide", headers("partial_columns", "true", "columns", "k, a"), "10000,1\n");
    assertThat(newKey.get("Status").asText()).isEqualTo("Fail");
    assertThat(newKey.get("Message").asText())
        .contains("the unmentioned column `b` should have default value or be nullable");
    Path file = StreamLoadClient.temporaryFile("10000,new\n1,changed\n");
    try {
      assertSuccess(
          db.client()
              .curl(
                  "/api/o/wide/_stream_load",
                  headers("column_separator", ",", "partial_columns", "true", "columns", "k,b"),
                  file));
    } finally {
      Files.deleteIfExists(file);
    }
    assertThat(db.query("SELECT k, a, b, c FROM o.wide WHERE k IN (1, 10000) ORDER BY k"))
        .containsExactly("1|1|changed|2", "10000|null|new|5");
    JsonNode keyMissing =
        db.load("wide", headers("partial_columns", "true", "columns", "a"), "1\n");
    assertThat(keyMissing.get("Message").asText())
        .contains("Column has no default value. column: k");
    JsonNode mergeOnRead =
        db.load("seq_mor", headers("partial_columns", "true", "columns", "k,v"), "1,x\n");
    assertThat(mergeOnRead.get("Message").asText())
        .contains("Partial update is only allowed on unique table with merge-on-write");
  }

  @Test
  void aTwoPhasePartialUpdateKeepsColumnsWrittenBeforeItsCommit() throws Exception {
    assertSuccess(db.load("staged", headers(), "1,10,100\n2,20,200\n3,30,300\n"));
    JsonNode staged =
        db.load(
            "staged",
            headers("partial_columns", "true", "columns", "k, a", "two_phase_commit", "true"),
            "1,11\n2,21\n4,41\n");
    assertSuccess(staged);
    // Written between the pre-commit (whose flush read b = 100, 200) and the commit.
    assertSuccess(
        db.load("staged", headers("partial_columns", "true", "columns", "k, b"), "1,101\n4,401\n"));
    db.server.execute("DELETE FROM o.staged WHERE k = 2");
    assertThat(db.query("SELECT k, a, b FROM o.staged ORDER BY k"))
        .containsExactly("1|10|101", "3|30|300", "4|null|401");

    JsonNode commit =
        db.client()
            .twoPhase(
                "o", headers("txn_id", staged.get("TxnId").asText(), "txn_operation", "commit"));
    assertThat(commit.get("status").asText()).as(commit.toString()).isEqualTo("Success");
    // The commit re-read the rows written since: b of key 1 and 4 stays, key 2 is a new key.
    assertThat(db.query("SELECT k, a, b FROM o.staged ORDER BY k"))
        .containsExactly("1|11|101", "2|21|null", "3|30|300", "4|41|401");
  }

  @Test
  void replaceIfNotNullKeepsStoredValues() throws Exception {
    assertSuccess(db.load("rinn", headers(), "1,10,a\n2,20,b\n"));
    assertSuccess(db.load("rinn", headers(), "1,\\N,a2\n2,21,\\N\n3,\\N,c\n3,30,\\N\n"));
    assertThat(db.query("SELECT k, a, b FROM o.rinn ORDER BY k"))
        .containsExactly("1|10|a2", "2|21|b", "3|30|c");
  }

  @Test
  void deleteSignFieldDeletesWhereSet() throws Exception {
    assertSuccess(db.load("cdc", headers(), "1,a\n2,b\n3,c\n4,d\n"));
    // CSV: the columns header names the sign field; `where` still applies.
    JsonNode csv =
        db.load(
            "cdc",
            headers("columns", "k,v,__DORIS_DELETE_SIGN__", "where", "k < 100"),
            "1,x,1\n2,b2,0\n5,e,\\N\n3,y,true\n100,z,0\n");
    assertSuccess(csv);
    assertThat(db.query("SELECT k, v FROM o.cdc ORDER BY k")).containsExactly("2|b2", "4|d", "5|e");
    // JSON as the Flink connector sends it: hidden_columns adds the sign after the columns.
    Path file =
        StreamLoadClient.temporaryFile(
            "{\"k\": 4, \"v\": \"d\", \"__DORIS_DELETE_SIGN__\": 1}\n"
                + "{\"k\": 6, \"v\": \"f\", \"__DORIS_DELETE_SIGN__\": 0}\n"
                + "{\"k\": 2, \"v\": \"b3\"}\n");
    try {
      assertSuccess(
          db.client()
              .curl(
                  "/api/o/cdc/_stream_load",
                  headers(
                      "format",
                      "json",
                      "read_json_by_line",
                      "true",
                      "hidden_columns",
                      "__DORIS_DELETE_SIGN__"),
                  file));
    } finally {
      Files.deleteIfExists(file);
    }
    assertThat(db.query("SELECT k, v FROM o.cdc ORDER BY k")).containsExactly("2|b3", "5|e", "6|f");
    JsonNode bad = db.load("cdc", headers("columns", "k,v,__DORIS_DELETE_SIGN__"), "7,g,maybe\n");
    assertThat(bad.get("Status").asText()).isEqualTo("Fail");
    assertThat(bad.get("Message").asText()).contains("too many filtered rows");
    JsonNode merge =
        db.load(
            "cdc",
            headers("columns", "k,v,__DORIS_DELETE_SIGN__", "merge_type", "DELETE"),
            "7,g,1\n");
    assertThat(merge.get("Message").asText()).contains("leave merge_type at APPEND");
    JsonNode mergeOnRead =
        db.load("seq_mor", headers("columns", "k,v,ver,__DORIS_DELETE_SIGN__"), "1,a,1,1\n");
    assertThat(mergeOnRead.get("Message").asText())
        .contains("needs a UNIQUE KEY table with merge-on-write");
    assertThat(db.query("SELECT k, v FROM o.cdc ORDER BY k")).containsExactly("2|b3", "5|e", "6|f");
  }

  @Test
  void twoPhaseCommitComparesSequenceValuesAtCommit() throws Exception {
    db.server.execute(
        "CREATE TABLE o.seq2pc (k INT NOT NULL, v VARCHAR(10), ver BIGINT) UNIQUE KEY(k)"
            + " DISTRIBUTED BY HASH(k) BUCKETS 2"
            + " PROPERTIES (\"function_column.sequence_col\" = \"ver\")");
    JsonNode precommitted =
        db.load("seq2pc", headers("two_phase_commit", "true"), "1,first,5\n2,first,5\n");
    assertSuccess(precommitted);
    // A newer version of key 1 and an older one of key 2 commit while the first load waits.
    assertSuccess(db.load("seq2pc", headers(), "1,direct,9\n2,direct,1\n"));
    JsonNode committed =
        db.client()
            .twoPhase(
                "o",
                headers("txn_id", precommitted.get("TxnId").asText(), "txn_operation", "commit"));
    assertThat(committed.get("status").asText()).as(committed.toString()).isEqualTo("Success");
    assertThat(db.query("SELECT k, v, ver FROM o.seq2pc ORDER BY k"))
        .containsExactly("1|direct|9", "2|first|5");
  }

  @Test
  void deletesCarryTheirSequenceValue() throws Exception {
    db.server.execute(
        "CREATE TABLE o.seqdel (k INT NOT NULL, v VARCHAR(10), ver BIGINT) UNIQUE KEY(k)"
            + " DISTRIBUTED BY HASH(k) BUCKETS 3"
            + " PROPERTIES (\"function_column.sequence_col\" = \"ver\")");
    assertSuccess(db.load("seqdel", headers(), "1,a,5\n2,b,5\n3,c,5\n4,d,5\n5,e,5\n6,f,5\n"));
    // merge_type DELETE: a smaller sequence value leaves the row, an equal or greater deletes it;
    // a row without one (\N) deletes whatever the row's value.
    assertSuccess(
        db.load(
            "seqdel",
            headers("merge_type", "DELETE", "function_column.sequence_col", "ver"),
            "1,x,4\n2,x,5\n3,x,6\n4,x,\\N\n"));
    assertThat(db.query("SELECT k, v, ver FROM o.seqdel ORDER BY k"))
        .containsExactly("1|a|5", "5|e|5", "6|f|5");
    // merge_type MERGE: the deleting rows compare too, also with the load's own row of the key.
    assertSuccess(
        db.load(
            "seqdel",
            headers("merge_type", "MERGE", "delete", "v = 'del'", "columns", "k, v, ver"),
            "1,del,4\n5,del,9\n6,new,8\n6,del,7\n7,g,1\n7,del,2\n"));
    assertThat(db.query("SELECT k, v, ver FROM o.seqdel ORDER BY k"))
        .containsExactly("1|a|5", "6|new|8");
    // The delete sign as a source field, through the columns header.
    assertSuccess(
        db.load(
            "seqdel",
            headers("columns", "k, v, ver, __DORIS_DELETE_SIGN__"),
            "1,x,5,1\n6,x,7,1\n"));
    assertThat(db.query("SELECT k, v, ver FROM o.seqdel ORDER BY k")).containsExactly("6|new|8");
  }
}
