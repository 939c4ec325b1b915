package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.server.it.ExternalProcess.Result;
import dev.basalt.server.testing.ExternalDependencies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Drivers outside the JVM against a server: the scripts under {@code src/test/clients} (Python:
 * PyMySQL, mysqlclient, SQLAlchemy with pandas; Node.js: mysql2) each run DDL, loads, queries,
 * prepared statements, NULLs, microsecond times, errors and transactions, and fail on the first
 * wrong answer. The Python drivers come from Debian's packages ({@code python3-pymysql}, {@code
 * python3-mysqldb}, {@code python3-sqlalchemy}, {@code python3-pandas}), mysql2 from npm ({@code
 * npm ci} in {@code src/test/clients/node}); {@code .ci/run} installs both.
 */
class ClientDriversTest {
  private static final Path CLIENTS = Path.of("src/test/clients");
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final long TIMEOUT_SECONDS = 180;

  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"pymysql", "mysqldb", "sqlalchemy"})
  void pythonDriverScriptPasses(String driver) throws Exception {
    String module =
        switch (driver) {
          case "pymysql" -> "pymysql";
          case "mysqldb" -> "MySQLdb";
          default -> "sqlalchemy, pandas, pymysql";
        };
    ExternalDependencies.require(
        Files.isExecutable(PYTHON)
            && run(List.of(PYTHON.toString(), "-c", "import " + module)).ok(),
        "Debian's python3 with "
            + module
            + " (apt-get install the python3-* packages .ci/run lists)");
    Result result =
        run(
            List.of(
                PYTHON.toString(),
                CLIENTS.resolve("python/client_matrix.py").toString(),
                "127.0.0.1",
                String.valueOf(server.queryPort()),
                driver));
    assertPassed(result, "ok " + driver + " ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql2"})
  void nodeDriverScriptPasses(String driver) throws Exception {
    Path node = CLIENTS.resolve("node");
    ExternalDependencies.require(
        Files.isDirectory(node.resolve("node_modules/" + driver))
            && run(List.of("node", "--version")).ok(),
        "node and " + driver + " (npm ci --prefix " + node + ")");
    Result result =
        run(
            List.of(
                "node",
                node.resolve("client_matrix.js").toString(),
                "127.0.0.1",
                String.valueOf(server.queryPort())));
    assertPassed(result, "ok " + driver + " ");
  }

  private static void assertPassed(Result result, String lastLinePrefix) {
    assertThat(result.exitCode()).as(result.toString()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines).as(result.toString()).isNotEmpty();
    assertThat(lines.get(lines.size() - 1)).as(result.toString()).startsWith(lastLinePrefix);
  }

  private static Result run(List<String> command) throws Exception {
    return ExternalProcess.run(command, null, TIMEOUT_SECONDS);
  }
}
