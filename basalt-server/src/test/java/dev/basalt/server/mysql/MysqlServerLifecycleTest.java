package dev.basalt.server.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.server.session.SessionRegistry;
import org.junit.jupiter.api.Test;

class MysqlServerLifecycleTest {

  @Test
  void portZeroBindsAFreePortAndABusyPortFailsNamingIt() {
    try (TestServer first = new TestServer()) {
      assertThat(first.port()).isPositive();
      MysqlServer second =
          new MysqlServer(
              "127.0.0.1",
              first.port(),
              new FakeQueryHandler(),
              new FakeAuthenticator(),
              new SessionRegistry(),
              "5.7.99");
      assertThatThrownBy(second::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("127.0.0.1:" + first.port());
      second.close();
    }
  }

  @Test
  void closeIsIdempotentAndRefusesNewConnections() throws Exception {
    TestServer server = new TestServer();
    int port = server.port();
    server.close();
    server.close();
    assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close())
        .isInstanceOf(java.net.ConnectException.class);
  }
}
