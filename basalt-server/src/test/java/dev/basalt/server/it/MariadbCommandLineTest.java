package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.server.it.ExternalProcess.Result;
import dev.basalt.server.testing.ExternalDependencies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code mariadb} command-line client (Debian's {@code mariadb-client}) against an in-process
 * server: {@code -e}, {@code --batch}, statements piped to stdin, a real interactive session on a
 * pseudo-terminal, and a syntax error. Skipped where the client is not installed.
 */
class MariadbCommandLineTest {

  private static final Path CLIENT = Path.of("/usr/bin/mariadb");
  private static final Path SCRIPT = Path.of("/usr/bin/script");
  private static final long TIMEOUT_SECONDS = 60;

  private static TestServer server;

  @TempDir Path temporaryDirectory;

  @BeforeAll
  static void startServer() throws Exception {
    ExternalDependencies.require(
        Files.isExecutable(CLIENT), "the mariadb client is not installed at " + CLIENT);
    server = TestServer.start();
    Result setup =
        runClient(
            List.of(
                "-e",
                "CREATE DATABASE cli; USE cli;"
                    + " CREATE TABLE t (k INT, name VARCHAR(20)) DUPLICATE KEY(k)"
                    + " DISTRIBUTED BY HASH(k) BUCKETS 1 PROPERTIES (\"replication_num\" = \"1\");"
                    + " INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, NULL);"),
            null);
    assertThat(setup.exitCode()).as(setup.toString()).isZero();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /** The client's standard options: no option files, TCP to the test server as root, no TLS. */
  private static List<String> clientCommand(List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(CLIENT.toString());
    command.add("--no-defaults");
    command.add("--protocol=TCP");
    command.add("-h127.0.0.1");
    command.add("-P" + server.queryPort());
    command.add("-u" + TestServer.ROOT_USER);
    command.add("--skip-ssl");
    command.addAll(arguments);
    return command;
  }

  private static Result runClient(List<String> arguments, String standardInput) throws Exception {
    return run(clientCommand(arguments), standardInput);
  }

  private static Result run(List<String> command, String standardInput) throws Exception {
    return ExternalProcess.run(command, standardInput, TIMEOUT_SECONDS);
  }

  @Test
  void executeOptionRunsSeveralStatementsAndPrintsTabSeparatedResults() throws Exception {
    Result result =
        runClient(
            List.of(
                "-e",
                "USE cli; SELECT k, name FROM t WHERE k <= 2 ORDER BY k; SELECT COUNT(*) AS n FROM t"),
            null);
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).isEqualTo("k\tname\n1\tone\n2\ttwo\nn\n3\n");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void batchOutputHasHeaderTabsNullAndEscapes() throws Exception {
    Result result =
        runClient(
            List.of(
                "--batch",
                "--database=cli",
                "-e",
                "SELECT k, name, 'a\\tb' AS escaped FROM t ORDER BY k"),
            null);
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out())
        .isEqualTo("k\tname\tescaped\n1\tone\ta\\tb\n2\ttwo\ta\\tb\n3\tNULL\ta\\tb\n");

    Result withoutHeader =
        runClient(
            List.of("--batch", "--skip-column-names", "-e", "SELECT name FROM cli.t WHERE k = 2"),
            null);
    assertThat(withoutHeader.out()).isEqualTo("two\n");
  }

  @Test
  void statementsPipedToStandardInputRunInOrder() throws Exception {
    String typed =
        """
        USE cli;
        -- a comment line, as people paste them
        SELECT k,
               name
        FROM t
        WHERE k = 1;
        SELECT COUNT(*) AS n FROM t\\G
        SELECT name FROM t WHERE k = 3;
        """;
    Result result = runClient(List.of("--table"), typed);
    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines).anySatisfy(line -> assertThat(line).matches("\\| k +\\| name +\\|"));
    assertThat(lines).anySatisfy(line -> assertThat(line).matches("\\| +1 \\| one +\\|"));
    assertThat(lines)
        .contains("*************************** 1. row ***************************", "n: 3");
    assertThat(lines).anySatisfy(line -> assertThat(line).matches("\\| NULL +\\|"));
  }

  @Test
  void interactiveSessionOnATerminalShowsBannerResultsAndBye() throws Exception {
    ExternalDependencies.require(
        Files.isExecutable(SCRIPT), "util-linux 'script' (for a pseudo-terminal) is missing");
    String command = String.join(" ", clientCommand(List.of()));
    Result result =
        run(
            List.of(SCRIPT.toString(), "-q", "-e", "-c", command, "/dev/null"),
            "USE cli;\nSELECT name FROM t WHERE k = 2;\nquit\n");
    String out = result.out().replace("\r", "");
    assertThat(result.exitCode()).as(out).isZero();
    // The banner comes from the handshake's server version and SELECT @@version_comment LIMIT 1.
    assertThat(out).contains("Welcome to the MariaDB monitor");
    assertThat(out).contains("Server version: 5.7.99");
    assertThat(out).contains("Basalt version basalt-0.1.0");
    assertThat(out).contains("Database changed");
    assertThat(out).containsPattern("\\| two +\\|");
    assertThat(out).contains("1 row in set");
    assertThat(out).contains("Bye");
  }

  @Test
  void syntaxErrorExitsOneWithError1064() throws Exception {
    Result result = runClient(List.of("-e", "SELEC 1"), null);
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("ERROR 1064 (42000)");
    assertThat(result.out()).isEmpty();
  }
}
