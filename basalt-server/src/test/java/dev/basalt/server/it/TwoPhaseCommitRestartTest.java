package dev.basalt.server.it;

import static dev.basalt.server.it.StreamLoadClient.headers;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pre-committed two-phase load survives {@code kill -9} of the server (a child process): after
 * the restart its rows are still invisible, its label still taken, and the commit makes them
 * visible; a second pre-committed load is aborted after the restart and leaves nothing.
 */
class TwoPhaseCommitRestartTest {
  @TempDir Path temporaryDirectory;

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void precommittedLoadsSurviveKillNine() throws Exception {
    Path data = temporaryDirectory.resolve("data");
    ServerProcess first = ServerProcess.start(data, temporaryDirectory.resolve("first.log"));
    long committed;
    long aborted;
    try (StreamLoadClient client = new StreamLoadClient(first.httpPort())) {
      try (Connection connection = first.connect();
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE r");
        statement.execute(
            "CREATE TABLE r.t (k INT, v VARCHAR(8)) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k)"
                + " BUCKETS 2");
        statement.execute(
            "CREATE TABLE r.u (k INT, v VARCHAR(8)) UNIQUE KEY(k) DISTRIBUTED BY HASH(k)"
                + " BUCKETS 2");
        statement.execute("INSERT INTO r.u VALUES (1, 'a'), (2, 'b'), (3, 'c')");
      }
      committed = precommit(client, "keep", "1,a\n2,b\n3,c\n");
      aborted = precommit(client, "drop", "10,x\n11,y\n");
      JsonNode deleting =
          client.load(
              "r",
              "u",
              headers(
                  "label",
                  "del",
                  "merge_type",
                  "DELETE",
                  "columns",
                  "k",
                  "two_phase_commit",
                  "true"),
              "1\n2\n");
      assertThat(deleting.get("Status").asText()).as(deleting.toString()).isEqualTo("Success");
    } finally {
      first.kill();
    }
    ServerProcess second = ServerProcess.start(data, temporaryDirectory.resolve("second.log"));
    try (StreamLoadClient client = new StreamLoadClient(second.httpPort())) {
      assertThat(count(second)).isZero();
      JsonNode reused = client.load("r", "t", headers("label", "keep"), "9,z\n");
      assertThat(reused.get("ExistingJobStatus").asText()).isEqualTo("PRECOMMITTED");
      JsonNode commit =
          client.twoPhase(
              "r", headers("txn_id", String.valueOf(committed), "txn_operation", "commit"));
      assertThat(commit.get("status").asText()).as(commit.toString()).isEqualTo("Success");
      JsonNode abort = client.twoPhase("r", headers("label", "drop", "txn_operation", "abort"));
      assertThat(abort.get("msg").asText())
          .isEqualTo("transaction [" + aborted + "] abort successfully.");
      assertThat(count(second)).isEqualTo(3);

      // The keys of a pre-committed delete survive in its delete-key file and apply at the commit.
      assertThat(count(second, "r.u")).isEqualTo(3);
      JsonNode delete = client.twoPhase("r", headers("label", "del", "txn_operation", "commit"));
      assertThat(delete.get("status").asText()).as(delete.toString()).isEqualTo("Success");
      assertThat(count(second, "r.u")).isEqualTo(1);
    } finally {
      second.terminate();
    }
  }

  private static long precommit(StreamLoadClient client, String label, String csv)
      throws Exception {
    JsonNode answer =
        client.load(
            "r",
            "t",
            headers("label", label, "column_separator", ",", "two_phase_commit", "true"),
            csv);
    assertThat(answer.get("Status").asText()).as(answer.toString()).isEqualTo("Success");
    return answer.get("TxnId").asLong();
  }

  private static long count(ServerProcess server) throws Exception {
    return count(server, "r.t");
  }

  private static long count(ServerProcess server, String table) throws Exception {
    try (Connection connection = server.connect();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT count(*) FROM " + table)) {
      result.next();
      return result.getLong(1);
    }
  }
}
