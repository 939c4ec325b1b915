package dev.basalt.server.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.server.session.SessionRegistry;
import dev.basalt.server.tls.ServerCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MySQL's SSL upgrade with the generated self-signed certificate, through both JDBC drivers; and
 * {@code require_secure_transport} refusing clients that stay in plain text.
 */
class TlsTest {
  @TempDir Path dataDirectory;

  private MysqlServer start(boolean requireSecure) throws Exception {
    MysqlServer server =
        new MysqlServer(
            "127.0.0.1",
            0,
            new FakeQueryHandler(),
            new FakeAuthenticator(),
            new SessionRegistry(),
            "5.7.99");
    server.enableTls(
        ServerCertificate.selfSigned(dataDirectory).nettyServerContext(), requireSecure);
    server.start();
    return server;
  }

  @Test
  void bothDriversConnectOverTlsAndTheCertificateIsKeptForTheNextStart() throws Exception {
    MysqlServer server = start(false);
    try {
      String url =
          "jdbc:mysql://127.0.0.1:" + server.port() + "/?sslMode=REQUIRED&connectTimeout=10000";
      try (Connection connection = DriverManager.getConnection(url, "root", "")) {
        assertThat(echo(connection)).isEqualTo("SELECT echo('over tls')");
      }
      String mariadb = "jdbc:mariadb://127.0.0.1:" + server.port() + "/?sslMode=trust";
      try (Connection connection = DriverManager.getConnection(mariadb, "root", "")) {
        assertThat(echo(connection)).isEqualTo("SELECT echo('over tls')");
      }
      // Plain text is still allowed unless secure transport is required.
      String plain = "jdbc:mysql://127.0.0.1:" + server.port() + "/?sslMode=DISABLED";
      try (Connection connection = DriverManager.getConnection(plain, "root", "")) {
        assertThat(echo(connection)).isEqualTo("SELECT echo('over tls')");
      }
    } finally {
      server.close();
    }
    Path certificate =
        dataDirectory
            .resolve(ServerCertificate.DIRECTORY)
            .resolve(ServerCertificate.CERTIFICATE_FILE);
    byte[] first = Files.readAllBytes(certificate);
    ServerCertificate.selfSigned(dataDirectory);
    assertThat(Files.readAllBytes(certificate)).as("generated once, then reused").isEqualTo(first);
  }

  @Test
  void requireSecureTransportRefusesPlainTextClients() throws Exception {
    MysqlServer server = start(true);
    try {
      String plain = "jdbc:mysql://127.0.0.1:" + server.port() + "/?sslMode=DISABLED";
      assertThatThrownBy(() -> DriverManager.getConnection(plain, "root", "").close())
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(3159))
          .hasMessageContaining("insecure transport are prohibited");
      String secure = "jdbc:mysql://127.0.0.1:" + server.port() + "/?sslMode=REQUIRED";
      try (Connection connection = DriverManager.getConnection(secure, "root", "")) {
        assertThat(echo(connection)).isEqualTo("SELECT echo('over tls')");
      }
    } finally {
      server.close();
    }
  }

  private static String echo(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT echo('over tls')")) {
      assertThat(rows.next()).isTrue();
      return rows.getString(1);
    }
  }
}
