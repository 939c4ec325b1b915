package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A default server offers TLS on both front doors with its generated certificate: the MySQL drivers
 * switch to TLS when asked, Stream Load works over https:// and still over http:// on the same
 * port.
 */
class SecureTransportTest {
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    try (Connection connection =
            DriverManager.getConnection(server.mysqlUrl("", ""), TestServer.ROOT_USER, "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE tls_db");
      statement.execute(
          "CREATE TABLE tls_db.t (k INT, v VARCHAR(10)) DUPLICATE KEY(k)"
              + " DISTRIBUTED BY HASH(k) BUCKETS 1");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void mysqlDriversConnectWithTlsRequired() throws Exception {
    String mysql =
        TestServer.mysqlUrl(server.queryPort(), "tls_db", "")
            .replace("useSSL=false", "sslMode=REQUIRED");
    try (Connection connection = DriverManager.getConnection(mysql, TestServer.ROOT_USER, "");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM t")) {
      assertThat(rows.next()).isTrue();
    }
    String mariadb = server.mariadbUrl("tls_db", "").replace("sslMode=disable", "sslMode=trust");
    try (Connection connection = DriverManager.getConnection(mariadb, TestServer.ROOT_USER, "");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT 1")) {
      assertThat(rows.next()).isTrue();
    }
    assertThat(server.dataDirectory().resolve("tls").resolve("server.crt")).exists();
  }

  @Test
  void streamLoadWorksOverHttpsAndPlainHttpOnTheSamePort() throws Exception {
    Path file = Files.createTempFile("tls-load", ".csv");
    try {
      Files.writeString(file, "1,a\n2,b\n");
      assertThat(curl("https", "tls_https", file)).contains("\"Status\" : \"Success\"");
      assertThat(curl("http", "tls_http", file)).contains("\"Status\" : \"Success\"");
    } finally {
      Files.deleteIfExists(file);
    }
    try (Connection connection =
            DriverManager.getConnection(server.mysqlUrl("tls_db", ""), TestServer.ROOT_USER, "");
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM t")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getInt(1)).isEqualTo(4);
    }
  }

  private static String curl(String scheme, String label, Path file) throws Exception {
    Process process =
        new ProcessBuilder(
                List.of(
                    "curl",
                    "-sS",
                    "-k",
                    "--location-trusted",
                    "-u",
                    "root:",
                    "-H",
                    "label:" + label,
                    "-H",
                    "column_separator:,",
                    "-T",
                    file.toString(),
                    scheme + "://127.0.0.1:" + server.httpPort() + "/api/tls_db/t/_stream_load"))
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
