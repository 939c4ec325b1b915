package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.server.BasaltServer;
import dev.basalt.server.ServerConfig;
import dev.basalt.server.ServerStartException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every metadata file of a data directory (docs/security.md, "Integrity of metadata files"): a
 * truncated or damaged one stops the start with a message naming the file, and is left as it was
 * for the operator; the server never starts on a silently different state.
 */
class MetadataIntegrityTest {
  @TempDir Path temporaryDirectory;

  /** One way to damage one file. */
  enum Damage {
    CATALOG_RECORD_BIT_FLIP("meta/catalog.db", "does not match its CRC32C checksum"),
    CATALOG_TRUNCATED("meta/catalog.db", "catalog.db"),
    CERTIFICATE_TRUNCATED("tls/server.crt", "truncated or damaged"),
    CERTIFICATE_EMPTY("tls/server.crt", "does not hold a PEM certificate"),
    KEY_TRUNCATED("tls/server.key", "truncated or damaged"),
    KEY_BIT_FLIP("tls/server.key", "server.key"),
    KEY_OF_ANOTHER_PAIR("tls/server.key", "does not hold the private key of the certificate");

    final String file;
    final String reason;

    Damage(String file, String reason) {
      this.file = file;
      this.reason = reason;
    }
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void aDamagedMetadataFileStopsTheStartNamingIt(Damage damage) throws Exception {
    Path data = temporaryDirectory.resolve("data");
    try (BasaltServer server = BasaltServer.start(ServerConfig.forTest(data));
        Connection connection =
            DriverManager.getConnection(
                TestServer.mysqlUrl(server.queryPort(), "", ""), TestServer.ROOT_USER, "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE kept");
      statement.execute(
          "CREATE TABLE kept.t (k INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
    }
    Path file = data.resolve(damage.file);
    assertThat(file).exists();
    switch (damage) {
      case CATALOG_RECORD_BIT_FLIP -> flipBitInsideTableRecord(file);
      case CATALOG_TRUNCATED, CERTIFICATE_TRUNCATED, KEY_TRUNCATED ->
          Files.write(file, Arrays.copyOf(Files.readAllBytes(file), (int) Files.size(file) / 2));
      case CERTIFICATE_EMPTY -> Files.write(file, new byte[0]);
      case KEY_BIT_FLIP -> {
        byte[] bytes = Files.readAllBytes(file);
        int middle = bytes.length / 2;
        bytes[middle] = (byte) (bytes[middle] == 'A' ? 'B' : 'A'); // still base64, wrong bits
        Files.write(file, bytes);
      }
      case KEY_OF_ANOTHER_PAIR -> {
        Path other = temporaryDirectory.resolve("other");
        BasaltServer.start(ServerConfig.forTest(other)).close();
        Files.copy(
            other.resolve("tls/server.key"),
            file,
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    byte[] damaged = Files.readAllBytes(file);
    assertThatThrownBy(() -> BasaltServer.start(ServerConfig.forTest(data)).close())
        .isInstanceOf(ServerStartException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining(damage.reason);
    assertThat(Files.readAllBytes(file)).as("left for the operator").isEqualTo(damaged);
  }

  /** Flips one bit inside the catalog record of table {@code t}, through SQLite itself. */
  private static void flipBitInsideTableRecord(Path catalog) throws Exception {
    try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + catalog);
        Statement statement = sqlite.createStatement()) {
      String key = null;
      byte[] value = null;
      try (ResultSet rows = statement.executeQuery("SELECT k, v FROM basalt_meta")) {
        while (rows.next()) {
          byte[] candidate = rows.getBytes(2);
          if (new String(candidate, java.nio.charset.StandardCharsets.UTF_8)
              .contains("\"name\":\"t\"")) {
            key = rows.getString(1);
            value = candidate;
          }
        }
      }
      assertThat(key).as("the table's record").isNotNull();
      value[value.length / 3] ^= 0x01;
      try (PreparedStatement update =
          sqlite.prepareStatement("UPDATE basalt_meta SET v = ? WHERE k = ?")) {
        update.setBytes(1, value);
        update.setString(2, key);
        update.executeUpdate();
      }
    }
  }

  @Test
  void anIntactDataDirectoryRestarts() throws Exception {
    Path data = temporaryDirectory.resolve("data");
    BasaltServer.start(ServerConfig.forTest(data)).close();
    try (BasaltServer server = BasaltServer.start(ServerConfig.forTest(data))) {
      assertThat(server.queryPort()).isPositive();
    }
  }
}
