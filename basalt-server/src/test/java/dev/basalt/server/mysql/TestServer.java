package dev.basalt.server.mysql;

import dev.basalt.server.session.SessionRegistry;

/** A {@link MysqlServer} on 127.0.0.1, a free port, with the fake handler and authenticator. */
final class TestServer implements AutoCloseable {
  final FakeQueryHandler handler = new FakeQueryHandler();
  final SessionRegistry sessions = new SessionRegistry();
  final MysqlServer server;

  TestServer() {
    this(MysqlServer.DEFAULT_MAX_PACKET_BYTES);
  }

  /**
   * @param maxPacketBytes the server's {@code max_allowed_packet}
   */
  TestServer(int maxPacketBytes) {
    server =
        new MysqlServer(
            "127.0.0.1", 0, handler, new FakeAuthenticator(), sessions, "5.7.99", maxPacketBytes);
    server.start();
  }

  int port() {
    return server.port();
  }

  String mysqlUrl(String database, String properties) {
    return "jdbc:mysql://127.0.0.1:"
        + port()
        + "/"
        + database
        + "?useSSL=false&allowPublicKeyRetrieval=true"
        + (properties.isEmpty() ? "" : "&" + properties);
  }

  String mariadbUrl(String database, String properties) {
    return "jdbc:mariadb://127.0.0.1:"
        + port()
        + "/"
        + database
        + "?sslMode=disable"
        + (properties.isEmpty() ? "" : "&" + properties);
  }

  @Override
  public void close() {
    server.close();
  }
}
