package dev.basalt.server.http;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.BufferUtil;
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
   * Hands {@code channel} to Jetty, which reads {@code unread} (bytes already read from it) before
   * anything else. Jetty owns {@code unread} from now on; the caller must not change its bytes.
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
        new PrefilledEndPoint(channel, selector, key, getScheduler(), getExecutor(), unread);
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
   * An end point that gives the bytes read before Jetty had the channel as the first bytes of its
   * reads: Jetty's connection (HTTP, or the TLS detector) reads and parses them exactly as bytes it
   * read itself, and is woken to read them as if the socket had them.
   *
   * <p>Why not {@link Connection.UpgradeTo#onUpgradeTo} (the hand-over before): it put the bytes in
   * the {@code HttpConnection}'s request buffer before its first {@code onFillable}, which then
   * parses them without reading ({@code filled == 0}). When they alone make a bad request (a 400 or
   * 505 from the request line, while the client is still sending), Jetty 12.1's {@code
   * HttpConnection.onFillable} takes its {@code filled == 0} branch before its {@code _failure}
   * one: it asks for fill interest although the error answer is being written on another thread,
   * which resumes {@code onFillable} when done. Two {@code onFillable} then run at once on one
   * connection: one releases the request buffer to the pool while the other still fills it from the
   * socket, so the next connection to take that pooled buffer (for a response's head) could send
   * the first client's bytes, and the answer is often lost (the connection closed by the other
   * thread's "Parser is terminated"). Bytes given by {@link #fill} take Jetty's own path for a bad
   * first request: it read them ({@code filled > 0}), so it asks for no fill interest.
   *
   * <p>Thread safe: Jetty calls {@link #fill} from one thread at a time, {@link #needsFillInterest}
   * from any.
   */
  private static final class PrefilledEndPoint extends SocketChannelEndPoint {
    private final Executor executor;

    /** The bytes read before Jetty had the channel and not yet given to Jetty; null when none. */
    private volatile ByteBuffer unread;

    PrefilledEndPoint(
        SocketChannel channel,
        ManagedSelector selector,
        SelectionKey key,
        Scheduler scheduler,
        Executor executor,
        ByteBuffer unread) {
      super(channel, selector, key, scheduler);
      this.executor = executor;
      this.unread = unread;
    }

    @Override
    public int fill(ByteBuffer buffer) throws IOException {
      ByteBuffer bytes = unread;
      if (bytes != null) {
        int filled = BufferUtil.append(buffer, bytes);
        if (bytes.hasRemaining()) {
          return filled; // the buffer is full; the socket's bytes come after these
        }
        unread = null;
        if (filled > 0) {
          notIdle();
          return filled;
        }
      }
      return super.fill(buffer);
    }

    @Override
    protected void needsFillInterest() {
      if (unread != null) {
        // The socket may have nothing more to read (the client sent its whole request): the
        // selector would never wake the reader for the bytes held here.
        executor.execute(() -> getFillInterest().fillable());
      } else {
        super.needsFillInterest();
      }
    }
  }
}
