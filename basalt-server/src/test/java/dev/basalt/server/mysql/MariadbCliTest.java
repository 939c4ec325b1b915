package dev.basalt.server.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.server.testing.ExternalDependencies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code mariadb} command-line client (Debian's package) as a subprocess. */
class MariadbCliTest {
  private static final Path CLIENT = Path.of("/usr/bin/mariadb");
  private static TestServer server;

  @BeforeAll
  static void start() {
    ExternalDependencies.require(
        Files.isExecutable(CLIENT), "the mariadb client is not installed at " + CLIENT);
    server = new TestServer();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  record Outcome(int exitCode, String output) {}

  private static Outcome run(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(CLIENT.toString());
    command.add("--no-defaults");
    command.add("-h127.0.0.1");
    command.add("-P" + server.port());
    command.add("--protocol=TCP");
    command.add("--skip-ssl");
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("mariadb client did not finish within 30 s: " + command);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Outcome(process.exitValue(), output);
  }

  @Test
  void executesAQueryAndPrintsATable() throws Exception {
    Outcome outcome = run("-uroot", "--table", "-e", "select 42");
    assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    assertThat(outcome.output())
        .startsWith("+--")
        .containsPattern("\\|\\s+42\\s+\\|\\n\\+-+\\+\\n\\|\\s+42\\s+\\|");
  }

  @Test
  void batchModePrintsTabSeparatedValuesWithNullsAndUtf8() throws Exception {
    Outcome outcome = run("-uroot", "--batch", "-e", "select all_types");
    assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    String[] lines = outcome.output().split("\n");
    assertThat(lines[0]).startsWith("c_boolean\tc_tinyint\tc_smallint");
    assertThat(lines[1])
        .isEqualTo(
            "1\t-5\t300\t70000\t9000000000\t"
                + FakeQueryHandler.LARGE
                + "\t1.5\t2.25\t12345.67\t2024-02-29\t"
                + "2024-02-29 13:45:10\t2024-02-29 13:45:10.123456\tabc\théllo wörld\ta long string 🙂\tNULL");
    assertThat(lines[2]).startsWith("NULL\tNULL\tNULL");
  }

  @Test
  void passwordUserAndDatabaseAtConnect() throws Exception {
    Outcome outcome =
        run(
            "-u" + FakeAuthenticator.PASSWORD_USER,
            "-p" + FakeAuthenticator.PASSWORD,
            "-Dtest",
            "--batch",
            "-e",
            "select database()");
    assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    assertThat(outcome.output()).contains("test");
    Outcome denied = run("-u" + FakeAuthenticator.PASSWORD_USER, "-pwrong", "-e", "select 1");
    assertThat(denied.exitCode()).isNotZero();
    assertThat(denied.output())
        .contains("ERROR 1045 (28000)")
        .contains("Access denied for user 'alice'@'127.0.0.1'");
  }

  @Test
  void errorsArePrintedWithTheirCodeAndState() throws Exception {
    Outcome outcome = run("-uroot", "-e", "select user_error");
    assertThat(outcome.exitCode()).isNotZero();
    assertThat(outcome.output())
        .contains("ERROR 1146 (42S02)")
        .contains("Table 'test.missing' doesn't exist");
  }
}
