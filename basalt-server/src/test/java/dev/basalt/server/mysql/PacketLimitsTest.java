package dev.basalt.server.mysql;

import static dev.basalt.server.mysql.MysqlProtocol.COM_PING;
import static dev.basalt.server.mysql.MysqlProtocol.COM_QUERY;
import static dev.basalt.server.mysql.MysqlProtocol.COM_STMT_EXECUTE;
import static dev.basalt.server.mysql.MysqlProtocol.COM_STMT_PREPARE;
import static dev.basalt.server.mysql.MysqlProtocol.COM_STMT_SEND_LONG_DATA;
import static dev.basalt.server.mysql.MysqlProtocol.NATIVE_PASSWORD_PLUGIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Packet size limits: a few KiB before login, {@code max_allowed_packet} after it (here 1 MiB),
 * also for the long data of a prepared statement's parameter. Each refusal is immediate, with ERR
 * 1153, and the server keeps serving other clients.
 */
class PacketLimitsTest {
  private static final int MAX_ALLOWED_PACKET = 1024 * 1024;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = new TestServer(MAX_ALLOWED_PACKET);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aHugePacketAnnouncedBeforeLoginIsRefusedWithoutWaitingForItsBody() throws Exception {
    try (RawClient client = new RawClient(server.port())) {
      client.readPacket(); // handshake
      // Announce 16 MiB - 1 bytes and send only ten: the server must not wait for the rest
      // (RawClient's socket timeout of 10 s would fail this read if it did).
      client.writeRaw(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 0, 0, 0, 0, 0, 0});
      byte[] error = client.readPacket();
      assertThat(RawClient.errorCode(error)).isEqualTo(1153);
      assertThat(client.closedByServer()).isTrue();
    }
    assertLoginStillWorks();
  }

  @Test
  void aLoginPacketOverTheUnauthenticatedLimitIsRefused() throws Exception {
    try (RawClient client = new RawClient(server.port())) {
      client.readPacket();
      client.writePacket(new byte[PacketDecoder.UNAUTHENTICATED_MAX_PAYLOAD_BYTES + 1]);
      assertThat(RawClient.errorCode(client.readPacket())).isEqualTo(1153);
      assertThat(client.closedByServer()).isTrue();
    }
    assertLoginStillWorks();
  }

  @Test
  void afterLoginStatementsUpToMaxAllowedPacketRunAndLargerOnesAreRefused() throws Exception {
    try (RawClient client = loggedIn()) {
      String fits = "SELECT echo('" + "x".repeat(MAX_ALLOWED_PACKET - 100) + "')";
      client.command(COM_QUERY, fits);
      assertThat(client.readPacket()).as("column count").containsExactly(1);
      while (client.readPacket()[0] != (byte) 0xFE) {
        // column definitions
      }
      byte[] row = client.readPacket();
      assertThat(row.length).isGreaterThan(MAX_ALLOWED_PACKET - 100);
      assertThat(client.readPacket()[0]).as("EOF").isEqualTo((byte) 0xFE);

      client.command(COM_QUERY, "SELECT echo('" + "x".repeat(MAX_ALLOWED_PACKET) + "')");
      byte[] error = client.readPacket();
      assertThat(RawClient.errorCode(error)).isEqualTo(1153);
      assertThat(client.closedByServer()).isTrue();
    }
    assertLoginStillWorks();
  }

  @Test
  void longDataPastMaxAllowedPacketFailsTheExecuteAndTheConnectionGoesOn() throws Exception {
    try (RawClient client = loggedIn()) {
      client.command(COM_STMT_PREPARE, "SELECT echo(?)");
      PayloadReader prepared = new PayloadReader(client.readPacket());
      assertThat(prepared.readByte()).isZero();
      long id = prepared.readInt4();
      client.readPacket(); // the parameter's definition
      assertThat(client.readPacket()[0]).as("EOF after parameters").isEqualTo((byte) 0xFE);

      byte[] chunk = new byte[MAX_ALLOWED_PACKET / 2];
      Arrays.fill(chunk, (byte) 'y');
      for (int i = 0; i < 3; i++) {
        ByteArrayOutputStream longData = new ByteArrayOutputStream();
        longData.write(COM_STMT_SEND_LONG_DATA);
        RawClient.writeInt4(longData, id);
        longData.write(0);
        longData.write(0);
        longData.writeBytes(chunk);
        client.command(longData.toByteArray()); // no reply to long data
      }
      ByteArrayOutputStream execute = new ByteArrayOutputStream();
      execute.write(COM_STMT_EXECUTE);
      RawClient.writeInt4(execute, id);
      execute.write(0);
      RawClient.writeInt4(execute, 1);
      execute.write(0); // null bitmap
      execute.write(1); // types follow
      execute.write(MysqlProtocol.TYPE_BLOB);
      execute.write(0);
      client.command(execute.toByteArray());
      byte[] error = client.readPacket();
      assertThat(RawClient.errorCode(error)).isEqualTo(1153);
      assertThat(RawClient.errorMessage(error)).contains("max_allowed_packet");

      client.command(new byte[] {COM_PING});
      assertThat(client.readPacket()[0]).as("OK to COM_PING").isZero();
    }
  }

  private static RawClient loggedIn() throws Exception {
    RawClient client = new RawClient(server.port());
    byte[] reply = client.login("root", "", null, NATIVE_PASSWORD_PLUGIN);
    assertThat(reply[0]).as("login OK").isEqualTo((byte) 0);
    return client;
  }

  private static void assertLoginStillWorks() throws Exception {
    try (RawClient client = loggedIn()) {
      client.command(new byte[] {COM_PING});
      assertThat(client.readPacket()[0]).isZero();
    }
  }
}
