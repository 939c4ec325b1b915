package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.server.it.ExternalProcess.Result;
import dev.basalt.server.testing.ExternalDependencies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Drivers outside the JVM against a server: the scripts under {@code src/test/clients} (Python:
 * PyMySQL, mysqlclient, mysql-connector-python, SQLAlchemy with pandas; Node.js: mysql2) each run
 * DDL, loads, queries, prepared statements, NULLs, microsecond times, errors and transactions, and
 * fail on the first wrong answer. The Python drivers come from Debian's packages ({@code
 * python3-pymysql}, {@code python3-mysqldb}, {@code python3-sqlalchemy}, {@code python3-pandas}),
 * mysql-connector-python (on PyPI only) from a wheel installed into the virtualenv {@code
 * src/test/clients/python/venv} (over Debian's python3), mysql2 from npm ({@code npm ci} in {@code
 * src/test/clients/node}); {@code .ci/run} installs all of them.
 */
class ClientDriversTest {
  private static final Path CLIENTS = Path.of("src/test/clients");
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  /** The virtualenv (over {@link #PYTHON}, with its packages) holding mysql-connector-python. */
  private static final Path VENV_PYTHON = CLIENTS.resolve("python/venv/bin/python3");

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

  /**
   * mysql-connector-python through its pure-Python connection and its C extension (libmysqlclient
   * underneath): the same script plus its prepared cursor and KILL QUERY from a second connection.
   */
  @ParameterizedTest
  @ValueSource(strings = {"connector_pure", "connector_cext"})
  void mysqlConnectorPythonScriptPasses(String driver) throws Exception {
    ExternalDependencies.require(
        Files.isExecutable(VENV_PYTHON)
            && run(List.of(VENV_PYTHON.toString(), "-c", "import mysql.connector")).ok(),
        "mysql-connector-python in "
            + VENV_PYTHON
            + " (.ci/run: python3 -m venv --system-site-packages; pip install --no-index"
            + " --find-links /opt/pypi/files mysql-connector-python)");
    Result result =
        run(
            List.of(
                VENV_PYTHON.toString(),
                CLIENTS.resolve("python/client_matrix.py").toString(),
                "127.0.0.1",
                String.valueOf(server.queryPort()),
                driver));
    assertPassed(result, "ok " + driver + " ");
  }

  /**
   * caching_sha2_password from PyMySQL (RSA key exchange over plain TCP, clear password over TLS,
   * fast path on the second login) and from the mariadb command-line client over TLS.
   */
  @Test
  void cachingSha2PasswordFromPyMysqlAndTheMariadbClient() throws Exception {
    try (Connection admin =
            DriverManager.getConnection(server.mysqlUrl("", ""), TestServer.ROOT_USER, "");
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE USER sha2_py IDENTIFIED WITH caching_sha2_password BY 'py-Secret'");
      statement.execute(
          "CREATE USER sha2_cli IDENTIFIED WITH caching_sha2_password BY 'cli-Secret'");
    }
    ExternalDependencies.require(
        Files.isExecutable(PYTHON)
            && run(List.of(PYTHON.toString(), "-c", "import pymysql, cryptography")).ok(),
        "Debian's python3 with pymysql and cryptography (python3-pymysql,"
            + " python3-cryptography)");
    Result python =
        run(
            List.of(
                PYTHON.toString(),
                CLIENTS.resolve("python/caching_sha2.py").toString(),
                "127.0.0.1",
                String.valueOf(server.queryPort()),
                "sha2_py",
                "py-Secret"));
    assertPassed(python, "ok caching_sha2 6");

    Path mariadb = Path.of("/usr/bin/mariadb");
    ExternalDependencies.require(Files.isExecutable(mariadb), "the mariadb client");
    for (String password : List.of("cli-Secret", "cli-Secret", "wrong")) {
      Result cli =
          run(
              List.of(
                  mariadb.toString(),
                  "--protocol=TCP",
                  "--host=127.0.0.1",
                  "--port=" + server.queryPort(),
                  "--user=sha2_cli",
                  "--password=" + password,
                  "--ssl",
                  "--skip-ssl-verify-server-cert",
                  "--batch",
                  "--skip-column-names",
                  "--execute=SELECT CONCAT('logged in as ', CURRENT_USER())"));
      if (password.equals("wrong")) {
        assertThat(cli.exitCode()).as(cli.toString()).isNotZero();
        assertThat(cli.toString()).contains("1045");
      } else {
        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(cli.out()).contains("logged in as").contains("sha2_cli");
      }
    }
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
