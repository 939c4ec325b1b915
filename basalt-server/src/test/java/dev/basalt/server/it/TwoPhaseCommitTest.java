package dev.basalt.server.it;

import static dev.basalt.server.it.StreamLoadClient.headers;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two-phase Stream Load end to end: {@code two_phase_commit: true} pre-commits (nothing visible),
 * {@code PUT /api/{db}/_stream_load_2pc} commits or aborts by {@code txn_id} or {@code label}, with
 * the JDK HTTP client and with curl, rows checked over JDBC; Doris's answers for every wrong order
 * of operations; the abort at the load's timeout. The restart case is in {@link
 * TwoPhaseCommitRestartTest}.
 */
class TwoPhaseCommitTest {
  private static TestServer server;
  private static StreamLoadClient client;
  private static int tableNumber;
  private String table;

  @BeforeAll
  static void start() throws SQLException {
    server = TestServer.start(64 << 10);
    client = new StreamLoadClient(server.httpPort());
    server.execute("CREATE DATABASE tpc");
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @BeforeEach
  void createTable() throws SQLException {
    table = "t" + (++tableNumber);
    server.execute(
        "CREATE TABLE tpc."
            + table
            + " (k INT NOT NULL, v VARCHAR(10)) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 3");
  }

  private static List<String> query(String sql) throws SQLException {
    return server.rows("tpc", sql);
  }

  private String count() throws SQLException {
    return query("SELECT count(*) FROM " + table).get(0);
  }

  private JsonNode precommit(String label, String body) throws Exception {
    JsonNode answer =
        client.load(
            "tpc",
            table,
            headers("label", label, "column_separator", ",", "two_phase_commit", "true"),
            body);
    assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Success");
    assertThat(answer.get("TwoPhaseCommit").asText()).isEqualTo("true");
    assertThat(answer.get("Message").asText()).isEqualTo("OK");
    return answer;
  }

  private static String csv(int from, int to) {
    StringBuilder csv = new StringBuilder();
    for (int k = from; k < to; k++) {
      csv.append(k).append(",v").append(k % 7).append('\n');
    }
    return csv.toString();
  }

  @Test
  void precommittedRowsAreInvisibleUntilCommittedByTransactionId() throws Exception {
    JsonNode answer = precommit("two_a_" + table, csv(0, 5000));
    long transactionId = answer.get("TxnId").asLong();
    assertThat(transactionId).isPositive();
    assertThat(answer.get("NumberLoadedRows").asLong()).isEqualTo(5000);
    assertThat(count()).isEqualTo("0");

    JsonNode again =
        client.load(
            "tpc", table, headers("label", "two_a_" + table, "two_phase_commit", "true"), "1,x\n");
    assertThat(again.get("Status").asText()).isEqualTo("Label Already Exists");
    assertThat(again.get("ExistingJobStatus").asText()).isEqualTo("PRECOMMITTED");
    assertThat(again.get("Message").asText())
        .isEqualTo(
            "Label [two_a_"
                + table
                + "] has already been used, relate to txn ["
                + transactionId
                + "]");

    JsonNode commit =
        client.twoPhase(
            "tpc", headers("txn_id", String.valueOf(transactionId), "txn_operation", "commit"));
    assertThat(commit.get("status").asText()).isEqualTo("Success");
    assertThat(commit.get("msg").asText())
        .isEqualTo("transaction [" + transactionId + "] commit successfully.");
    assertThat(query("SELECT count(*), count(DISTINCT k), max(k) FROM " + table))
        .containsExactly("5000|5000|4999");

    JsonNode secondCommit =
        client.twoPhase(
            "tpc", headers("txn_id", String.valueOf(transactionId), "txn_operation", "commit"));
    assertThat(secondCommit.get("status").asText()).isEqualTo("Fail");
    assertThat(secondCommit.get("msg").asText())
        .isEqualTo(
            "errCode = 2, detailMessage = transaction ["
                + transactionId
                + "] is already visible, not pre-committed.");
    JsonNode abortAfterCommit =
        client.twoPhase(
            "tpc", headers("txn_id", String.valueOf(transactionId), "txn_operation", "abort"));
    assertThat(abortAfterCommit.get("msg").asText())
        .isEqualTo(
            "errCode = 2, detailMessage = transaction ["
                + transactionId
                + "] is already VISIBLE, could not abort.");
    // The label of the committed load stays used.
    JsonNode reused = client.load("tpc", table, headers("label", "two_a_" + table), "1,x\n");
    assertThat(reused.get("Status").asText()).isEqualTo("Label Already Exists");
    assertThat(reused.get("ExistingJobStatus").asText()).isEqualTo("FINISHED");
    assertThat(count()).isEqualTo("5000");
  }

  @Test
  void curlAbortsByLabelAndTheLabelCanBeUsedAgain() throws Exception {
    String label = "two_b_" + table;
    Path file = StreamLoadClient.temporaryFile(csv(0, 300));
    long transactionId;
    try {
      JsonNode answer =
          client.curl(
              "/api/tpc/" + table + "/_stream_load",
              headers("label", label, "column_separator", ",", "two_phase_commit", "true"),
              file);
      assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Success");
      assertThat(answer.get("TwoPhaseCommit").asText()).isEqualTo("true");
      transactionId = answer.get("TxnId").asLong();
    } finally {
      Files.deleteIfExists(file);
    }
    // The table form of the path works too; the table in it is ignored, as in Doris.
    JsonNode abort =
        client.curl(
            "/api/tpc/" + table + "/_stream_load_2pc",
            headers("label", label, "txn_operation", "abort"),
            null);
    assertThat(abort.get("status").asText()).as(abort.toString()).isEqualTo("Success");
    assertThat(abort.get("msg").asText())
        .isEqualTo("transaction [" + transactionId + "] abort successfully.");
    assertThat(count()).isEqualTo("0");

    JsonNode commitAfterAbort =
        client.twoPhase(
            "tpc", headers("txn_id", String.valueOf(transactionId), "txn_operation", "commit"));
    assertThat(commitAfterAbort.get("status").asText()).isEqualTo("Fail");
    assertThat(commitAfterAbort.get("msg").asText())
        .isEqualTo(
            "errCode = 2, detailMessage = transaction ["
                + transactionId
                + "] is already aborted. abort reason: User Abort");
    JsonNode byLabel = client.twoPhase("tpc", headers("label", label, "txn_operation", "abort"));
    assertThat(byLabel.get("msg").asText()).contains("is already aborted");

    // An aborted load does not use up its label.
    JsonNode fresh =
        client.load("tpc", table, headers("label", label, "column_separator", ","), csv(0, 10));
    assertThat(fresh.get("Status").asText()).as(fresh.toString()).isEqualTo("Success");
    assertThat(count()).isEqualTo("10");
  }

  @Test
  void badRequestsGetDorisMessages() throws Exception {
    assertThat(client.twoPhase("tpc", headers("txn_operation", "commit")).get("msg").asText())
        .isEqualTo("No transaction id or label selected.");
    assertThat(client.twoPhase("tpc", headers("txn_id", "1")).get("msg").asText())
        .isEqualTo("No transaction operation('commit' or 'abort') selected.");
    assertThat(
            client
                .twoPhase("tpc", headers("txn_id", "1", "txn_operation", "publish"))
                .get("msg")
                .asText())
        .isEqualTo("transaction operation should be 'commit' or 'abort'");
    assertThat(
            client
                .twoPhase("tpc", headers("txn_id", "x1", "txn_operation", "commit"))
                .get("msg")
                .asText())
        .isEqualTo("convert txn_id [x1] failed");
    JsonNode missing =
        client.twoPhase("tpc", headers("txn_id", "987654321", "txn_operation", "commit"));
    assertThat(missing.get("status").asText()).isEqualTo("Fail");
    assertThat(missing.get("msg").asText())
        .isEqualTo("errCode = 2, detailMessage = transaction [987654321] not found.");
    assertThat(
            client
                .twoPhase("no_such_db", headers("txn_id", "1", "txn_operation", "commit"))
                .get("msg")
                .asText())
        .isEqualTo("Unknown database 'no_such_db'");
    var denied =
        client.put(
            "/api/tpc/_stream_load_2pc",
            headers(
                "Authorization",
                StreamLoadClient.basic("root", "wrong"),
                "txn_id",
                "1",
                "txn_operation",
                "commit"),
            "");
    assertThat(denied.statusCode()).isEqualTo(401);
    // A transaction of another database is not found in this one.
    server.execute("CREATE DATABASE IF NOT EXISTS tpc_other");
    long transactionId = precommit("two_c_" + table, csv(0, 3)).get("TxnId").asLong();
    assertThat(
            client
                .twoPhase(
                    "tpc_other",
                    headers("txn_id", String.valueOf(transactionId), "txn_operation", "commit"))
                .get("msg")
                .asText())
        .contains("not found");
    assertThat(count()).isEqualTo("0");
  }

  @Test
  void aPrecommittedLoadIsAbortedAfterItsTimeout() throws Exception {
    JsonNode answer =
        client.load(
            "tpc",
            table,
            headers(
                "label",
                "two_d_" + table,
                "column_separator",
                ",",
                "two_phase_commit",
                "true",
                "timeout",
                "1"),
            csv(0, 100));
    assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Success");
    long transactionId = answer.get("TxnId").asLong();
    // The periodic sweep aborts it after a second: its label is free again.
    JsonNode reused = null;
    for (int attempt = 0; attempt < 100; attempt++) {
      Thread.sleep(100);
      reused = client.load("tpc", table, headers("label", "two_d_" + table), "");
      if (!reused.get("Status").asText().equals("Label Already Exists")) {
        break;
      }
    }
    // (An empty body fails after the label check: nothing is loaded.)
    assertThat(reused.get("Message").asText()).contains("The request body is empty");
    JsonNode commit =
        client.twoPhase(
            "tpc", headers("txn_id", String.valueOf(transactionId), "txn_operation", "commit"));
    assertThat(commit.get("msg").asText())
        .isEqualTo(
            "errCode = 2, detailMessage = transaction ["
                + transactionId
                + "] is already aborted. abort reason: timeout by txn manager");
    assertThat(count()).isEqualTo("0");
  }

  @Test
  void aCommitAfterTruncateAbortsTheLoad() throws Exception {
    long transactionId = precommit("two_f_" + table, csv(0, 50)).get("TxnId").asLong();
    server.execute("TRUNCATE TABLE tpc." + table);
    JsonNode commit =
        client.twoPhase(
            "tpc", headers("txn_id", String.valueOf(transactionId), "txn_operation", "commit"));
    assertThat(commit.get("status").asText()).isEqualTo("Fail");
    assertThat(commit.get("msg").asText())
        .isEqualTo(
            "errCode = 2, detailMessage = transaction ["
                + transactionId
                + "] is already aborted. abort reason: the table changed after the pre-commit");
    assertThat(count()).isEqualTo("0");
    // The label is free again.
    assertThat(
            client
                .load(
                    "tpc",
                    table,
                    headers("label", "two_f_" + table, "column_separator", ","),
                    csv(0, 5))
                .get("Status")
                .asText())
        .isEqualTo("Success");
  }

  /** A merge-on-write UNIQUE KEY table: the committed load replaces rows committed meanwhile. */
  @Test
  void aCommittedLoadUpsertsAUniqueTable() throws Exception {
    table = table + "_unique";
    server.execute(
        "CREATE TABLE tpc."
            + table
            + " (k INT NOT NULL, v VARCHAR(10)) UNIQUE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 3");
    long transactionId =
        precommit("two_e_" + table, "1,pending\n2,pending\n").get("TxnId").asLong();
    JsonNode direct =
        client.load("tpc", table, headers("column_separator", ","), "1,direct\n3,direct\n");
    assertThat(direct.get("Status").asText()).isEqualTo("Success");
    assertThat(query("SELECT k, v FROM " + table + " ORDER BY k"))
        .containsExactly("1|direct", "3|direct");
    client.twoPhase(
        "tpc", headers("txn_id", String.valueOf(transactionId), "txn_operation", "commit"));
    assertThat(query("SELECT k, v FROM " + table + " ORDER BY k"))
        .containsExactly("1|pending", "2|pending", "3|direct");
  }
}
