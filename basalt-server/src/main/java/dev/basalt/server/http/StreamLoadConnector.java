package dev.basalt.server.http;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The HTTP port's connector when the front door serves Stream Load: every accepted connection is
 * first read on its own virtual thread with blocking I/O by a {@link KeptAliveLoadConnection},
 * which serves the plain {@code PUT /api/{db}/{table}/_stream_load} requests it understands itself
 * and hands the connection, with the bytes it has read, to Jetty at the first request it does not
 * (any other path or method, TLS, chunked bodies, HTTP/1.0, anything unusual).
 *
 * <p>Why: under 100 clients sending 10-row group-commit loads, Jetty's per-request machinery (its
 * general parser, and the selector hand-offs: read interest taken away when a request is dispatched
 * to a new thread and given back after the answer) was about a quarter of the server's Java
 * samples, the new reader about a sixteenth (docs/benchmarks.md, "Stream Load: a kept-alive
 * connection read on its own thread"). The MySQL port serves its connections the same way.
 *
 * <p>Thread safe; Jetty calls {@link #accept} on its acceptor thread. Stopping the connector closes
 * the connections it still reads itself; Jetty closes the ones it was handed.
 */
final class StreamLoadConnector extends ServerConnector {
  private final StreamLoadEndpoint endpoint;
  private final Set<KeptAliveLoadConnection> connections = ConcurrentHashMap.newKeySet();

  StreamLoadConnector(
      Server server, StreamLoadEndpoint endpoint, ConnectionFactory... connectionFactories) {
    super(server, 1, 1, connectionFactories);
    this.endpoint = endpoint;
  }

  @Override
  public void accept(int acceptorId) throws IOException {
    if (!(getTransport() instanceof ServerSocketChannel serverChannel) || !serverChannel.isOpen()) {
      return;
    }
    SocketChannel channel = serverChannel.accept();
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    KeptAliveLoadConnection connection = new KeptAliveLoadConnection(this, channel, endpoint);
    connections.add(connection);
    Thread.ofVirtual().name("basalt-http-connection").start(connection);
  }

  /** Called by a connection whose thread ends (closed or handed to Jetty). */
  void forget(KeptAliveLoadConnection connection) {
    connections.remove(connection);
  }

  /**
   * Hands {@code channel} to Jetty, which reads {@code unread} (bytes already read from it, at most
   * an input buffer's worth) before anything else.
   */
  void handOver(SocketChannel channel, ByteBuffer unread) throws IOException {
    channel.configureBlocking(false);
    configure(channel.socket());
    getSelectorManager().accept(channel, unread);
  }

  @Override
  protected SocketChannelEndPoint newEndPoint(
      SocketChannel channel, ManagedSelector selector, SelectionKey key) throws IOException {
    if (!(key.attachment() instanceof ByteBuffer unread) || !unread.hasRemaining()) {
      return super.newEndPoint(channel, selector, key);
    }
    SocketChannelEndPoint endPoint =
        new PrefilledEndPoint(channel, selector, key, getScheduler(), unread);
    endPoint.setIdleTimeout(getIdleTimeout());
    return endPoint;
  }

  @Override
  protected void doStop() throws Exception {
    super.doStop();
    for (KeptAliveLoadConnection connection : connections) {
      connection.close();
    }
  }

  /**
   * An end point whose first connection starts with bytes read before Jetty had the channel: the
   * connection Jetty creates for it (HTTP, or the TLS detector) takes them as an upgrade would.
   */
  private static final class PrefilledEndPoint extends SocketChannelEndPoint {
    private ByteBuffer unread;

    PrefilledEndPoint(
        SocketChannel channel,
        ManagedSelector selector,
        SelectionKey key,
        Scheduler scheduler,
        ByteBuffer unread) {
      super(channel, selector, key, scheduler);
      this.unread = unread;
    }

    @Override
    public void setConnection(Connection connection) {
      super.setConnection(connection);
      ByteBuffer bytes = unread;
      unread = null;
      if (bytes == null) {
        return;
      }
      if (connection instanceof Connection.UpgradeTo upgrade) {
        upgrade.onUpgradeTo(bytes);
      } else {
        // Every connection factory of this connector takes bytes read before it; not reached.
        close(new IllegalStateException("cannot hand read bytes to " + connection));
      }
    }
  }
}
