package dev.basalt.server.mysql;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal MySQL client for protocol-level tests: logs in with mysql_native_password (or announces
 * another plugin to provoke an AuthSwitchRequest), sends raw commands and reads raw packets.
 */
final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private int sequenceId;
  byte[] handshake;

  RawClient(int port) throws IOException {
    this(port, 0);
  }

  /**
   * @param receiveBufferBytes the socket's receive buffer (set before connecting, so it bounds the
   *     window the server may fill), or 0 for the system's default
   */
  RawClient(int port, int receiveBufferBytes) throws IOException {
    socket = new Socket();
    if (receiveBufferBytes > 0) {
      socket.setReceiveBufferSize(receiveBufferBytes);
    }
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port));
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** Reads the handshake and answers it; returns the server's reply to the login (OK or ERR). */
  byte[] login(String user, String password, String database, String plugin) throws IOException {
    handshake = readPacket();
    byte[] scramble = scramble(handshake);
    int capabilities =
        MysqlProtocol.CLIENT_PROTOCOL_41
            | MysqlProtocol.CLIENT_SECURE_CONNECTION
            | MysqlProtocol.CLIENT_PLUGIN_AUTH
            | MysqlProtocol.CLIENT_MULTI_RESULTS
            | (database == null ? 0 : MysqlProtocol.CLIENT_CONNECT_WITH_DB);
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    writeInt4(response, capabilities);
    writeInt4(response, 1 << 24);
    response.write(45);
    response.write(new byte[23]);
    response.writeBytes(user.getBytes(StandardCharsets.UTF_8));
    response.write(0);
    byte[] token =
        switch (plugin) {
          case MysqlProtocol.NATIVE_PASSWORD_PLUGIN ->
              NativePassword.clientToken(scramble, password);
          case CachingSha2Password.PLUGIN -> CachingSha2Password.clientToken(scramble, password);
          default -> new byte[32];
        };
    response.write(token.length);
    response.writeBytes(token);
    if (database != null) {
      response.writeBytes(database.getBytes(StandardCharsets.UTF_8));
      response.write(0);
    }
    response.writeBytes(plugin.getBytes(StandardCharsets.UTF_8));
    response.write(0);
    writePacket(response.toByteArray());
    byte[] reply = readPacket();
    if ((reply[0] & 0xFF) == 0xFE) {
      int nameEnd = indexOf(reply, 1, (byte) 0);
      byte[] switchScramble = Arrays.copyOfRange(reply, nameEnd + 1, nameEnd + 21);
      writePacket(NativePassword.clientToken(switchScramble, password));
      reply = readPacket();
    }
    return reply;
  }

  /** The connection id the server announced in its handshake. */
  static long connectionId(byte[] handshake) {
    int position = indexOf(handshake, 1, (byte) 0) + 1;
    return (handshake[position] & 0xFFL)
        | (handshake[position + 1] & 0xFFL) << 8
        | (handshake[position + 2] & 0xFFL) << 16
        | (handshake[position + 3] & 0xFFL) << 24;
  }

  static byte[] scramble(byte[] handshake) {
    int versionEnd = indexOf(handshake, 1, (byte) 0);
    int position = versionEnd + 1 + 4;
    byte[] scramble = new byte[20];
    System.arraycopy(handshake, position, scramble, 0, 8);
    position += 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10;
    System.arraycopy(handshake, position, scramble, 8, 12);
    return scramble;
  }

  private static int indexOf(byte[] bytes, int from, byte value) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == value) {
        return i;
      }
    }
    return -1;
  }

  /** Sends a command payload as a new command (sequence id 0). */
  void command(byte[] payload) throws IOException {
    sequenceId = 0;
    writePacket(payload);
  }

  void command(int command, String argument) throws IOException {
    byte[] text = argument.getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[text.length + 1];
    payload[0] = (byte) command;
    System.arraycopy(text, 0, payload, 1, text.length);
    command(payload);
  }

  /** Writes a payload, split into 16 MiB physical packets as the protocol requires. */
  void writePacket(byte[] payload) throws IOException {
    int offset = 0;
    while (true) {
      int chunk = Math.min(MysqlProtocol.MAX_PACKET_PAYLOAD, payload.length - offset);
      out.write(
          new byte[] {
            (byte) chunk, (byte) (chunk >> 8), (byte) (chunk >> 16), (byte) sequenceId++
          });
      out.write(payload, offset, chunk);
      offset += chunk;
      if (chunk < MysqlProtocol.MAX_PACKET_PAYLOAD) {
        break;
      }
    }
    out.flush();
  }

  /** Writes bytes as they are, e.g. a packet header announcing more than will follow. */
  void writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** One logical packet (physical packets joined). */
  byte[] readPacket() throws IOException {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    while (true) {
      byte[] header = new byte[4];
      in.readFully(header);
      int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
      sequenceId = (header[3] & 0xFF) + 1;
      byte[] chunk = new byte[length];
      in.readFully(chunk);
      payload.writeBytes(chunk);
      if (length < MysqlProtocol.MAX_PACKET_PAYLOAD) {
        return payload.toByteArray();
      }
    }
  }

  int lastSequenceId() {
    return sequenceId - 1;
  }

  /** True when the server has closed the connection (reading returns end of stream). */
  boolean closedByServer() throws IOException {
    try {
      return in.read() < 0;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  static int errorCode(byte[] packet) {
    return (packet[1] & 0xFF) | (packet[2] & 0xFF) << 8;
  }

  static String errorMessage(byte[] packet) {
    return new String(packet, 9, packet.length - 9, StandardCharsets.UTF_8);
  }

  static void writeInt4(ByteArrayOutputStream out, long value) {
    for (int i = 0; i < 4; i++) {
      out.write((int) (value >> (8 * i)));
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
