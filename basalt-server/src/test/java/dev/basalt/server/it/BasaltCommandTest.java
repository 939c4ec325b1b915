package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.server.cli.BasaltCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code basalt} command line in-process: version, help, usage errors (exit 1) and start
 * failures (exit 2, one line). The start-failure cases need the wired server to tell a busy port or
 * a bad directory apart.
 */
class BasaltCommandTest {

  @TempDir Path temporaryDirectory;

  private record Outcome(int exitCode, String out, String err) {}

  private static Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode =
        BasaltCommand.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Outcome(exitCode, out.toString(), err.toString());
  }

  @Test
  void versionPrintsBasaltAndMysqlVersions() {
    Outcome outcome = run("--version");
    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.out())
        .isEqualTo("basalt 0.1.0 (MySQL protocol 5.7.99-compatible)" + System.lineSeparator());
  }

  @Test
  void helpListsTheServerCommand() {
    Outcome outcome = run("help");
    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.out()).contains("Usage: basalt").contains("server");
    Outcome serverHelp = run("server", "--help");
    assertThat(serverHelp.exitCode()).isZero();
    assertThat(serverHelp.out())
        .contains("--data-dir=DIR")
        .contains("--query-port=PORT")
        .contains("--http-port=PORT")
        .contains("--bind-host=HOST")
        .contains("(default: 8030)")
        .contains("(default: 127.0.0.1,");
  }

  @Test
  void noCommandIsAUsageError() {
    Outcome outcome = run();
    assertThat(outcome.exitCode()).isEqualTo(BasaltCommand.EXIT_USAGE);
    assertThat(outcome.err()).contains("Usage: basalt");
  }

  @Test
  void unknownOptionIsAUsageError() {
    Outcome outcome = run("server", "--no-such-option");
    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.err()).startsWith("basalt: Unknown option: '--no-such-option'");
  }

  @Test
  void badPortIsAUsageError() {
    Outcome notANumber = run("server", "--query-port", "abc");
    assertThat(notANumber.exitCode()).isEqualTo(1);
    assertThat(notANumber.err()).contains("--query-port");
    Outcome outOfRange = run("server", "--http-port", "70000");
    assertThat(outOfRange.exitCode()).isEqualTo(1);
    assertThat(outOfRange.err()).contains("--http-port must be between 0 and 65535, got 70000");
  }

  @Test
  void sharedStorageWithoutASharedCatalogIsAUsageError() {
    Outcome outcome =
        run("server", "--shared-storage", temporaryDirectory.resolve("shared").toString());
    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(outcome.err())
        .contains("--meta: shared storage needs a shared catalog: give --meta jdbc:postgresql:");
    Outcome help = run("server", "--help");
    assertThat(help.out()).contains("--shared-storage=DIR");
  }

  @Test
  void badLoadMemoryLimitIsAUsageError() {
    for (String value : List.of("lots", "0", "0%", "150%", "-5m", "99999999999g")) {
      Outcome outcome =
          run(
              "server",
              "--data-dir",
              temporaryDirectory.resolve("never").toString(),
              "--load-memory-limit",
              value);
      assertThat(outcome.exitCode()).as(value).isEqualTo(1);
      assertThat(outcome.err())
          .as(value)
          .contains(
              "--load-memory-limit must be a positive size (268435456, 256m, 1g) or a share of"
                  + " the heap from 1% to 100%, got '"
                  + value
                  + "'");
    }
    assertThat(temporaryDirectory.resolve("never")).doesNotExist();
  }

  @Test
  void busyQueryPortExitsTwoWithOneLineNamingThePort() throws Exception {
    try (ServerSocket occupied = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = occupied.getLocalPort();
      Outcome outcome =
          run(
              "server",
              "--data-dir",
              temporaryDirectory.resolve("data").toString(),
              "--query-port",
              Integer.toString(port),
              "--http-port",
              "0",
              "--bind-host",
              "127.0.0.1");
      assertThat(outcome.exitCode()).isEqualTo(BasaltCommand.EXIT_START_FAILURE);
      assertThat(outcome.err().strip()).startsWith("basalt: ").doesNotContain("\n");
      assertThat(outcome.err()).contains(Integer.toString(port));
      assertThat(outcome.out()).isEmpty();
    }
  }

  @Test
  void unusableDataDirectoryExitsTwoWithOneLine() throws Exception {
    Path regularFile = Files.writeString(temporaryDirectory.resolve("not-a-directory"), "x");
    Outcome outcome =
        run(
            "server",
            "--data-dir",
            regularFile.toString(),
            "--query-port",
            "0",
            "--http-port",
            "0",
            "--bind-host",
            "127.0.0.1");
    assertThat(outcome.exitCode()).isEqualTo(BasaltCommand.EXIT_START_FAILURE);
    assertThat(outcome.err().strip()).startsWith("basalt: ").doesNotContain("\n");
    assertThat(outcome.err()).contains("not-a-directory");
  }

  @Test
  void aTruncatedCatalogStopsTheStartInsteadOfOpeningAnEmptyWarehouse() throws Exception {
    Path dataDirectory = temporaryDirectory.resolve("data");
    Path catalog = Files.createDirectories(dataDirectory.resolve("meta")).resolve("catalog.db");
    Files.write(catalog, new byte[0]);
    Outcome outcome =
        run(
            "server",
            "--data-dir",
            dataDirectory.toString(),
            "--query-port",
            "0",
            "--http-port",
            "0");
    assertThat(outcome.exitCode()).isEqualTo(BasaltCommand.EXIT_START_FAILURE);
    assertThat(outcome.err().strip()).startsWith("basalt: ").doesNotContain("\n");
    assertThat(outcome.err()).contains(catalog.toString()).contains("empty (zero length)");
    assertThat(Files.size(catalog)).as("the damaged file is left for the operator").isZero();
  }

  @Test
  void listeningBeyondLoopbackWhileRootHasNoPasswordIsRefused() {
    Outcome outcome =
        run(
            "server",
            "--data-dir",
            temporaryDirectory.resolve("data").toString(),
            "--bind-host",
            "0.0.0.0",
            "--query-port",
            "0",
            "--http-port",
            "0");
    assertThat(outcome.exitCode()).isEqualTo(BasaltCommand.EXIT_START_FAILURE);
    assertThat(outcome.err())
        .contains("refusing to listen on 0.0.0.0 while root has no password")
        .contains("./basalt passwd");
  }

  @Test
  void passwdSetsThePasswordTheServerThenRequires() throws Exception {
    Path dataDirectory = temporaryDirectory.resolve("data");
    java.io.InputStream originalIn = System.in;
    Outcome outcome;
    try {
      System.setIn(
          new java.io.ByteArrayInputStream(
              "s3cret-pass\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      outcome = run("passwd", "--data-dir", dataDirectory.toString());
    } finally {
      System.setIn(originalIn);
    }
    assertThat(outcome.exitCode()).as(outcome.err()).isZero();
    assertThat(outcome.out()).contains("Password of root set.");
    try (dev.basalt.server.BasaltServer server =
        dev.basalt.server.BasaltServer.start(
            dev.basalt.server.ServerConfig.forTest(dataDirectory))) {
      String url = TestServer.mysqlUrl(server.queryPort(), "", "");
      assertThatThrownBy(() -> java.sql.DriverManager.getConnection(url, "root", "").close())
          .isInstanceOf(java.sql.SQLException.class)
          .hasMessageContaining("Access denied");
      java.sql.DriverManager.getConnection(url, "root", "s3cret-pass").close();
      // While the server runs, the directory is locked: passwd refuses rather than racing it.
      Outcome busy = run("passwd", "--data-dir", dataDirectory.toString());
      assertThat(busy.exitCode()).isEqualTo(BasaltCommand.EXIT_START_FAILURE);
    }
  }
}
