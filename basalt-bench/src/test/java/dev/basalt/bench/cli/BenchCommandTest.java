package dev.basalt.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each workload end to end at a tiny size, through the command line, on a server the harness
 * starts: asserts the correctness flags and the report's shape, never a timing.
 */
class BenchCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * All 22 TPC-H queries, each checked against DuckDB's answer on the same data (an independent
   * engine in the harness's process); at sf 0.01 each takes about a second or less (issue 14).
   */
  private static final String CI_QUERIES =
      "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22";

  /** Shared across tests so that TPC-H data is generated once per test run. */
  private static final Path CACHE = Path.of("target", "bench-data-test");

  @TempDir Path temporary;

  private record Run(int exitCode, String out, String err, JsonNode report, Path directory) {
    String lastLine() {
      List<String> lines = out.strip().lines().toList();
      return lines.getLast();
    }
  }

  private Run bench(String... arguments) throws IOException {
    Path directory = temporary.resolve("report");
    List<String> all = new ArrayList<>(List.of(arguments));
    all.addAll(List.of("--out", directory.toString(), "--heap", "768m"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    int exitCode;
    // The workloads print to System.out / System.err like the launcher's process does.
    try (PrintStream capturedOut = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream capturedErr = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(capturedOut);
      System.setErr(capturedErr);
      exitCode = BenchCommand.execute(all.toArray(String[]::new), capturedOut, capturedErr);
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
    String outText = out.toString(StandardCharsets.UTF_8);
    String errText = err.toString(StandardCharsets.UTF_8);
    savedOut.print(outText);
    savedErr.print(errText);
    JsonNode report = null;
    Path json = directory.resolve("report.json");
    if (Files.exists(json)) {
      report = JSON.readTree(json.toFile());
    }
    assertThat(directory.resolve("report.md")).as("stderr:\n%s", errText).exists();
    return new Run(exitCode, outText, errText, report, directory);
  }

  private static void assertCommonShape(JsonNode report, String workload) {
    assertThat(report.get("workload").asText()).isEqualTo(workload);
    assertThat(report.get("date").asText()).isNotBlank();
    assertThat(report.get("machine").get("cores").asInt()).isPositive();
    assertThat(report.get("machine").get("memoryBytes").asLong()).isPositive();
    assertThat(report.get("engines").get("basalt").get("version").asText()).contains("Basalt");
    assertThat(report.get("parameters").isObject()).isTrue();
  }

  @Test
  void tpchAnswersMatchDuckdb() throws IOException {
    Run run =
        bench(
            "tpch",
            "--sf",
            "0.01",
            "--runs",
            "1",
            "--queries",
            CI_QUERIES,
            "--timeout-s",
            "60",
            "--data-dir",
            CACHE.toString());
    assertThat(run.exitCode()).as(run.out()).isZero();
    assertThat(run.lastLine())
        .startsWith("tpch sf=0.01: 22/22 correct, basalt/duckdb hot-sum ratio ");
    assertCommonShape(run.report(), "tpch");
    assertThat(run.report().get("engines").get("duckdb").get("version").asText())
        .contains("DuckDB");
    assertThat(run.report().get("load").get("basalt").get("rows").asLong()).isEqualTo(86_805);
    assertThat(run.report().get("load").get("duckdb").get("rowsPerSecond").asDouble()).isPositive();
    JsonNode queries = run.report().get("queries");
    assertThat(queries).hasSize(22);
    for (JsonNode query : queries) {
      assertThat(query.get("correct").asBoolean()).as(query.toString()).isTrue();
      assertThat(query.get("basalt").get("status").asText()).isEqualTo("OK");
      assertThat(query.get("basalt").get("hotMillis")).hasSize(1);
      assertThat(query.get("ratio").isNumber()).isTrue();
    }
    assertThat(run.report().get("summary").get("line").asText()).isEqualTo(run.lastLine());
    assertThat(Files.readString(run.directory().resolve("chart.svg")))
        .startsWith("<svg")
        .contains("q22");
    assertThat(CACHE.resolve("sf0.01").resolve("lineitem.tbl")).exists();
  }

  @Test
  void ingestReportsEachFrontDoor() throws IOException {
    Run run =
        bench(
            "ingest",
            "--sf",
            "0.01",
            "--rows",
            "3000",
            "--clients",
            "2",
            "--seconds",
            "1",
            "--data-dir",
            CACHE.toString());
    assertThat(run.exitCode()).as(run.out()).isZero();
    assertThat(run.lastLine()).startsWith("ingest lineitem sf=0.01 (first 3000 rows): ");
    assertThat(run.lastLine()).endsWith("row counts correct");
    assertCommonShape(run.report(), "ingest");
    JsonNode steps = run.report().get("steps");
    assertThat(steps).hasSize(5);
    for (JsonNode step : steps) {
      assertThat(step.has("skipped") || step.get("correct").asBoolean())
          .as(step.toString())
          .isTrue();
    }
    JsonNode batches = steps.get(2);
    assertThat(batches.get("name").asText()).startsWith("JDBC batches");
    assertThat(batches.get("rows").asLong()).isEqualTo(3000);
    assertThat(batches.get("correct").asBoolean()).isTrue();
    JsonNode singleRows = steps.get(3);
    assertThat(singleRows.get("name").asText()).startsWith("prepared single-row INSERT");
    assertThat(singleRows.get("rows").asLong()).isEqualTo(300);
    assertThat(singleRows.get("ackP99Millis").asDouble()).isPositive();
    JsonNode groupCommit = steps.get(4);
    assertThat(groupCommit.get("name").asText()).startsWith("group commit");
    assertThat(groupCommit.has("skipped")).as(groupCommit.toString()).isFalse();
    assertThat(groupCommit.get("correct").asBoolean()).isTrue();
    assertThat(groupCommit.get("ackP99Millis").asDouble()).isPositive();
  }

  @Test
  void ingestRunsOnlyTheChosenSteps() throws IOException {
    Run run =
        bench(
            "ingest",
            "--sf",
            "0.01",
            "--rows",
            "2000",
            "--steps",
            "jdbc",
            "--batch-rows",
            "150",
            "--jdbc-clients",
            "3",
            "--data-dir",
            CACHE.toString());
    assertThat(run.exitCode()).as(run.out()).isZero();
    assertThat(run.lastLine())
        .startsWith("ingest lineitem sf=0.01 (first 2000 rows): JDBC batches ")
        .endsWith("row counts correct");
    JsonNode steps = run.report().get("steps");
    assertThat(steps).hasSize(1);
    assertThat(steps.get(0).get("name").asText())
        .isEqualTo("JDBC batches (rewriteBatchedStatements, 150 rows, 3 clients)");
    assertThat(steps.get(0).get("rows").asLong()).isEqualTo(2000);
    assertThat(steps.get(0).get("correct").asBoolean()).isTrue();

    Run unknown = bench("ingest", "--steps", "jdbc,bulk");
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.out() + unknown.err()).contains("--steps takes some of");
  }

  @Test
  void ingestSharesCommitsWhenAsked() throws IOException {
    Run run =
        bench(
            "ingest",
            "--sf",
            "0.01",
            "--rows",
            "1500",
            "--steps",
            "jdbc",
            "--batch-rows",
            "200",
            "--jdbc-group-commit",
            "off_mode",
            "--jdbc-shared-commit",
            "--data-dir",
            CACHE.toString());
    assertThat(run.exitCode()).as(run.out()).isZero();
    JsonNode step = run.report().get("steps").get(0);
    assertThat(step.get("name").asText())
        .isEqualTo(
            "JDBC batches (rewriteBatchedStatements, group_commit=off_mode, shared commit, 200"
                + " rows)");
    assertThat(step.get("rows").asLong()).isEqualTo(1500);
    // Counted right after the last acknowledgement: the shared commit's rows are visible at once.
    assertThat(step.get("correct").asBoolean()).isTrue();
    assertThat(run.report().get("parameters").get("jdbcSharedCommit").asBoolean()).isTrue();
  }

  @Test
  void upsertKeepsTheLastVersionOfEachKey() throws IOException {
    Run run = bench("upsert", "--rows", "3000", "--update-ratio", "0.3", "--runs", "1");
    assertThat(run.exitCode()).as(run.out()).isZero();
    assertThat(run.lastLine())
        .startsWith("upsert rows=3000 update-ratio=0.3 via=stream-load: ")
        .endsWith("correct");
    assertCommonShape(run.report(), "upsert");
    JsonNode results = run.report().get("results");
    assertThat(results.get("correct").asBoolean()).isTrue();
    assertThat(results.get("finalRows").asLong()).isEqualTo(3000 + 2100);
    assertThat(results.get("uniqueToDuplicateRatio").isNumber()).isTrue();
    assertThat(results.get("upsertRowsPerSecond").asDouble()).isPositive();
    assertThat(results.get("pointLookups").get("wrongAnswers").asInt()).isZero();
    assertThat(results.get("pointLookups").get("count").asInt()).isEqualTo(2000);
    assertThat(results.get("restart").get("correct").asBoolean()).isTrue();
    assertThat(results.get("restart").get("firstQueryMillis").asDouble()).isPositive();
  }

  @Test
  void upsertThroughInsertsKeepsTheLastVersionOfEachKey() throws IOException {
    Run run =
        bench(
            "upsert",
            "--rows",
            "2000",
            "--update-ratio",
            "0.5",
            "--runs",
            "1",
            "--via",
            "insert",
            "--upsert-loads",
            "3",
            "--concurrent-tables",
            "20",
            "--concurrent-rows",
            "2500");
    assertThat(run.exitCode()).as(run.out()).isZero();
    assertThat(run.lastLine())
        .startsWith("upsert rows=2000 update-ratio=0.5 via=insert: ")
        .contains(", 20 tables written at once: peak heap ")
        .endsWith("correct");
    JsonNode results = run.report().get("results");
    assertThat(results.get("correct").asBoolean()).isTrue();
    assertThat(results.get("finalRows").asLong()).isEqualTo(2000 + 1000);
    assertThat(run.report().get("parameters").get("via").asText()).isEqualTo("insert");
    JsonNode concurrent = results.get("concurrentTables");
    assertThat(concurrent.get("tables").asInt()).isEqualTo(20);
    assertThat(concurrent.get("wrongTables").asLong()).isZero();
    assertThat(concurrent.get("peakHeapUsedBytes").asLong()).isPositive();
    assertThat(concurrent.get("loadMemoryLimitBytes").asLong()).isPositive();
    assertThat(concurrent.get("loadMemoryPeakBytes").asLong()).isPositive();
  }

  @Test
  void pointLookupsReturnTheRowAskedFor() throws IOException {
    Run run = bench("point", "--rows", "2000", "--threads", "1,4", "--seconds", "0.5");
    assertThat(run.exitCode()).as(run.out()).isZero();
    assertThat(run.lastLine()).startsWith("point rows=2000 threads=1,4: basalt peak ");
    assertThat(run.lastLine()).endsWith("all answers correct");
    assertCommonShape(run.report(), "point");
    JsonNode basalt = run.report().get("results").get("basalt");
    assertThat(basalt).hasSize(2);
    for (JsonNode measurement : basalt) {
      assertThat(measurement.get("queries").asLong()).isPositive();
      assertThat(measurement.get("wrongAnswers").asLong()).isZero();
      assertThat(measurement.has("p99Millis")).isTrue();
    }
    JsonNode results = run.report().get("results");
    assertThat(results.has("mariadb") || results.has("mariadbSkipped")).isTrue();
  }

  @Test
  void badOptionsAreAUsageError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode =
        BenchCommand.execute(
            new String[] {"tpch", "--queries", "23"},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(exitCode).isEqualTo(BenchCommand.EXIT_USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("TPC-H has queries 1 to 22");
  }
}
