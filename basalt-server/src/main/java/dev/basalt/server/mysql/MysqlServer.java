package dev.basalt.server.mysql;

import dev.basalt.server.session.Authenticator;
import dev.basalt.server.session.QueryHandler;
import dev.basalt.server.session.SessionRegistry;
import dev.basalt.server.tls.RsaKeyPairFile;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MySQL-protocol front door (Doris's port 9030): accepts connections, authenticates them with
 * {@code mysql_native_password} and hands every statement to the {@link QueryHandler}.
 *
 * <p>Call order: construct, {@link #start()} once, then {@link #port()}; {@link #close()} stops
 * accepting, closes every connection and waits briefly for their workers to finish. Netty NIO event
 * loops do the I/O; each connection's commands run one at a time, in order, on a virtual thread of
 * that connection, so a slow statement never blocks the event loop or other clients.
 *
 * <p>What the server answers itself, without the handler: the handshake and authentication,
 * COM_PING, COM_QUIT, COM_SET_OPTION (multi statements are always on), prepared-statement
 * bookkeeping (COM_STMT_PREPARE / CLOSE / RESET / SEND_LONG_DATA) and ERR 1047 for other commands.
 * Everything SQL, including the queries drivers send right after connecting, goes to the handler;
 * COM_INIT_DB becomes {@code USE `db`}, COM_FIELD_LIST becomes {@code SHOW FULL COLUMNS FROM
 * `table`} and COM_STMT_EXECUTE becomes the prepared text with its parameters substituted as SQL
 * literals (see {@link ParameterLiterals}).
 *
 * <p>Results: a handler result list is sent as multiple results (SERVER_MORE_RESULTS_EXISTS on all
 * but the last) to clients that announce CLIENT_MULTI_RESULTS; other clients get only the first
 * result. The wire type of each column is chosen by {@link MysqlColumnType}. TLS is offered when
 * {@link #enableTls} was called (CLIENT_SSL in the handshake, then the SSLRequest upgrade).
 *
 * <p>Thread safe: {@code start} and {@code close} may be called from any thread.
 */
public final class MysqlServer implements AutoCloseable {
  /**
   * Largest client packet accepted by default after login: 64 MiB, MySQL 8's default {@code
   * max_allowed_packet}, and the value the server reports for that variable (drivers read it and
   * refuse larger statements themselves). Before login the limit is {@link
   * PacketDecoder#UNAUTHENTICATED_MAX_PAYLOAD_BYTES}.
   */
  public static final int DEFAULT_MAX_PACKET_BYTES = 64 * 1024 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(MysqlServer.class);
  private static final long WORKER_SHUTDOWN_MILLIS = 5_000;

  private final String bindHost;
  private final int requestedPort;
  private final QueryHandler handler;
  private final Authenticator authenticator;
  private final SessionRegistry sessions;
  private final String serverVersion;
  private final int maxPacketBytes;
  private final CommandLatencies latencies = new CommandLatencies();
  private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
  private CachingSha2Password cachingSha2 = new CachingSha2Password();
  private ChannelGroup channels;
  private EventLoopGroup acceptGroup;
  private EventLoopGroup ioGroup;
  private Channel serverChannel;
  private boolean closed;
  private SslContext tls;
  private boolean requireSecureTransport;

  /** A server with the {@link #DEFAULT_MAX_PACKET_BYTES} limit. */
  public MysqlServer(
      String bindHost,
      int port,
      QueryHandler handler,
      Authenticator authenticator,
      SessionRegistry sessions,
      String serverVersion) {
    this(bindHost, port, handler, authenticator, sessions, serverVersion, DEFAULT_MAX_PACKET_BYTES);
  }

  /**
   * @param bindHost the address to listen on, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
   * @param port the TCP port; 0 picks a free one (see {@link #port()})
   * @param handler executes the SQL of every session
   * @param authenticator where stored password hashes come from
   * @param sessions receives each authenticated session until its connection closes
   * @param serverVersion the version in the handshake; Doris reports {@code 5.7.99}
   * @param maxPacketBytes the largest logical client packet (a statement's text); larger ones get
   *     ERR 1153 and the connection is closed
   */
  public MysqlServer(
      String bindHost,
      int port,
      QueryHandler handler,
      Authenticator authenticator,
      SessionRegistry sessions,
      String serverVersion,
      int maxPacketBytes) {
    this.bindHost = Objects.requireNonNull(bindHost, "bindHost");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
    }
    this.requestedPort = port;
    this.handler = Objects.requireNonNull(handler, "handler");
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.serverVersion = Objects.requireNonNull(serverVersion, "serverVersion");
    if (maxPacketBytes <= 0) {
      throw new IllegalArgumentException("maxPacketBytes must be positive");
    }
    this.maxPacketBytes = Math.min(maxPacketBytes, Integer.MAX_VALUE - 16);
  }

  /**
   * Offers TLS (MySQL's SSL upgrade) to clients; call before {@link #start()}.
   *
   * @param context the server's TLS context
   * @param requireSecure whether clients that do not upgrade are refused ({@code
   *     require_secure_transport})
   */
  public synchronized void enableTls(SslContext context, boolean requireSecure) {
    if (serverChannel != null) {
      throw new IllegalStateException("enable TLS before starting the server");
    }
    this.tls = Objects.requireNonNull(context, "context");
    this.requireSecureTransport = requireSecure;
  }

  /**
   * Uses {@code keys} (the data directory's, kept across restarts) for {@code
   * caching_sha2_password}'s RSA exchange instead of a key pair in memory; call before {@link
   * #start()}.
   */
  public synchronized void useRsaKeys(RsaKeyPairFile keys) {
    if (serverChannel != null) {
      throw new IllegalStateException("RSA keys must be set before the server starts");
    }
    this.cachingSha2 = new CachingSha2Password(keys);
  }

  /**
   * Binds the port and starts accepting connections.
   *
   * @throws IllegalStateException when the port cannot be bound (e.g. it is in use); the message
   *     names the address and port. Also when called twice or after {@link #close()}.
   */
  public synchronized void start() {
    if (serverChannel != null || closed) {
      throw new IllegalStateException("MySQL server already started or closed");
    }
    channels = new DefaultChannelGroup("basalt-mysql", GlobalEventExecutor.INSTANCE);
    acceptGroup =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("basalt-mysql-accept"), NioIoHandler.newFactory());
    ioGroup =
        new MultiThreadIoEventLoopGroup(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            new DefaultThreadFactory("basalt-mysql-io"),
            NioIoHandler.newFactory());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptGroup, ioGroup)
            .channelFactory(
                (io.netty.channel.ChannelFactory<MysqlSocketChannels.Server>)
                    MysqlSocketChannels.Server::new)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    channels.add(channel);
                    channel
                        .pipeline()
                        .addLast("packets", new PacketDecoder(maxPacketBytes, tls))
                        .addLast("connection", new MysqlChannelHandler(MysqlServer.this));
                  }
                });
    ChannelFuture bound = bootstrap.bind(bindHost, requestedPort).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      shutDownGroups();
      Throwable cause = bound.cause();
      throw new IllegalStateException(
          "Cannot listen for MySQL clients on "
              + bindHost
              + ":"
              + requestedPort
              + ": "
              + (cause == null ? "unknown error" : cause.getMessage())
              + " (is another server using port "
              + requestedPort
              + "?)",
          cause);
    }
    serverChannel = bound.channel();
    LOG.info("MySQL protocol listening on {}:{}", bindHost, port());
  }

  /** The time of each command, per command kind, since the server started (for the metrics). */
  public CommandLatencies latencies() {
    return latencies;
  }

  /** The port actually bound (useful when constructed with port 0). */
  public synchronized int port() {
    if (serverChannel == null) {
      throw new IllegalStateException("MySQL server not started");
    }
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** Called by a channel's handler when it becomes active: starts the connection's worker. */
  MysqlConnection startConnection(Channel channel) {
    MysqlConnection connection =
        new MysqlConnection(
            channel,
            sessions.nextConnectionId(),
            handler,
            authenticator,
            cachingSha2,
            sessions,
            latencies,
            serverVersion,
            maxPacketBytes,
            tls != null,
            requireSecureTransport);
    Thread worker =
        Thread.ofVirtual()
            .name("basalt-mysql-connection")
            .unstarted(
                () -> {
                  try {
                    connection.run();
                  } finally {
                    workers.remove(Thread.currentThread());
                  }
                });
    workers.add(worker);
    worker.start();
    return connection;
  }

  /**
   * Stops accepting, closes all connections and waits up to a few seconds for their workers to end
   * (a worker finishes its current statement first). Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (serverChannel != null) {
      serverChannel.close().awaitUninterruptibly();
    }
    if (channels != null) {
      channels.close().awaitUninterruptibly();
    }
    long deadline = System.currentTimeMillis() + WORKER_SHUTDOWN_MILLIS;
    for (Thread worker : workers) {
      long remaining = deadline - System.currentTimeMillis();
      if (remaining <= 0) {
        break;
      }
      try {
        worker.join(remaining);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    shutDownGroups();
  }

  private void shutDownGroups() {
    if (acceptGroup != null) {
      acceptGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
    if (ioGroup != null) {
      ioGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
  }
}
