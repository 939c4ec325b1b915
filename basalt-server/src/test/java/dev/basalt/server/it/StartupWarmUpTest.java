package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A restarted server warms its planner and read paths up with statements of its own before its
 * first client (docs/architecture.md, "Start-up"): those statements are invisible (not in the audit
 * log) and leave the data and every answer as they were, also for the rows whose keys are the very
 * literals the warm-up looks up, and for names that need quoting.
 */
class StartupWarmUpTest {
  @Test
  void warmUpIsInvisibleAndAnswersStayCorrectAfterRestarts() throws Exception {
    try (TestServer server = TestServer.start()) {
      server.execute("CREATE DATABASE `warm``db`");
      server.execute(
          "CREATE TABLE `warm``db`.`odd``name` (id INT, tag VARCHAR(20), note VARCHAR(20))"
              + " UNIQUE KEY(id, tag) DISTRIBUTED BY HASH(id) BUCKETS 3");
      server.execute(
          "CREATE TABLE `warm``db`.plain (k INT, v INT) DUPLICATE KEY(k)"
              + " DISTRIBUTED BY HASH(k) BUCKETS 2");
      // (0, 'warm-up') is the key the warm-up's lookup asks for.
      server.execute(
          "INSERT INTO `warm``db`.`odd``name` VALUES (0, 'warm-up', 'first'), (1, 'a', 'one'),"
              + " (2, 'b', 'two')");
      server.execute("INSERT INTO `warm``db`.`odd``name` VALUES (0, 'warm-up', 'second')");
      server.execute("INSERT INTO `warm``db`.plain VALUES (1, 10), (2, 20), (2, 30)");

      for (int restart = 0; restart < 2; restart++) {
        server.restart();
        assertThat(
                server.rows(
                    "warm`db", "SELECT note FROM `odd``name` WHERE id = 0 AND tag = 'warm-up'"))
            .containsExactly("second");
        assertThat(
                server.rows("warm`db", "SELECT note FROM `odd``name` WHERE id = 2 AND tag = 'b'"))
            .containsExactly("two");
        assertThat(server.rows("warm`db", "SELECT id, count(*) FROM `odd``name` GROUP BY id"))
            .containsExactlyInAnyOrder("0|1", "1|1", "2|1");
        assertThat(server.rows("warm`db", "SELECT k, sum(v) FROM plain GROUP BY k ORDER BY k"))
            .containsExactly("1|10", "2|50");
      }
      server.restart(); // a clean stop writes out the audit log

      List<String> audit =
          Files.readAllLines(
              server.dataDirectory().resolve("log").resolve("audit.log"), StandardCharsets.UTF_8);
      assertThat(audit).anyMatch(line -> line.contains("SELECT note FROM `odd``name`"));
      assertThat(audit).noneMatch(line -> line.contains("warm_up") || line.contains("SELECT *"));
    }
  }

  @Test
  void emptyCatalogStartsWithNothingToWarm() throws Exception {
    try (TestServer server = TestServer.start()) {
      server.restart();
      assertThat(server.rows("", "SELECT 1 + 1")).containsExactly("2");
    }
  }
}
