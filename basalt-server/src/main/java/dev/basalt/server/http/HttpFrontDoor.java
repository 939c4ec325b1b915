package dev.basalt.server.http;

import dev.basalt.server.ServerStartException;
import dev.basalt.server.Version;
import java.io.IOException;
import java.security.KeyStore;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP front door on Doris's FE HTTP port (8030): Stream Load ({@link StreamLoadEndpoint}, when
 * given one) and the liveness endpoints that the Flink and Spark Doris connectors and load
 * balancers probe.
 *
 * <ul>
 *   <li>{@code PUT /api/{db}/{table}/_stream_load} and {@code GET /api/_load_error_log}: see {@link
 *       StreamLoadEndpoint}.
 *   <li>{@code GET /api/backends} and {@code GET /api/{db}/{table}/_schema}: see {@link
 *       ConnectorEndpoints}.
 *   <li>{@code GET /api/profile}, {@code /api/profile/text} and {@code /rest/v1/query_profile}: see
 *       {@link ProfileEndpoints}.
 *   <li>{@code GET /} answers 200 with a short text body (the connectors' liveness probe).
 *   <li>{@code GET /metrics} answers 200 with the server's metrics in the Prometheus text format,
 *       as a Doris BE's {@code /metrics} (when the server gave a source, {@link #metrics}).
 *   <li>{@code GET /api/health} answers 200 with JSON that satisfies both Doris shapes: the BE's
 *       {@code {"status":"OK","msg":...}} and the FE's {@code
 *       {"msg":"success","code":0,"data":...}}.
 *   <li>Anything else answers 404 with {@code {"status":"FAILED","msg":"..."}}; other methods on
 *       the two paths above answer 405.
 * </ul>
 *
 * <p>Call order: construct, {@link #start()} once, read {@link #port()}, {@link #close()} once
 * (closing an unstarted or closed front door does nothing). The owner (the server) closes it.
 * Thread safe after {@code start}: Jetty serves requests on its own pool of threads; blocking
 * requests (loads, which wait for their body) run on virtual threads. With Stream Load, each
 * connection is first read on its own virtual thread, which serves plain loads itself and hands the
 * connection to Jetty at the first other request ({@link StreamLoadConnector}).
 */
public final class HttpFrontDoor implements AutoCloseable {

  private static final String HEALTH_BODY =
      "{\"status\":\"OK\",\"msg\":\"success\",\"code\":0,"
          + "\"data\":{\"online_backend_num\":1,\"total_backend_num\":1},\"count\":0}";
  private static final String ROOT_BODY = "Basalt " + Version.BASALT_VERSION + "\n";

  private final String bindHost;
  private final int requestedPort;
  private final StreamLoadEndpoint streamLoad;
  private final ConnectorEndpoints connectors;
  private ProfileEndpoints profiles;
  private java.util.function.Supplier<String> metrics;
  private Server jetty;
  private ServerConnector connector;
  private SslContextFactory.Server tls;

  /**
   * @param bindHost the address to listen on, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}; not null
   * @param port the port to listen on; 0 picks a free port
   */
  public HttpFrontDoor(String bindHost, int port) {
    this(bindHost, port, null);
  }

  /**
   * @param bindHost the address to listen on, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}; not null
   * @param port the port to listen on; 0 picks a free port
   * @param streamLoad serves Stream Load, or null for a front door without it (404)
   */
  public HttpFrontDoor(String bindHost, int port, StreamLoadEndpoint streamLoad) {
    this(bindHost, port, streamLoad, null);
  }

  /**
   * @param bindHost the address to listen on, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}; not null
   * @param port the port to listen on; 0 picks a free port
   * @param streamLoad serves Stream Load, or null for a front door without it (404)
   * @param connectors serves the connectors' REST endpoints, or null for none (404)
   */
  public HttpFrontDoor(
      String bindHost, int port, StreamLoadEndpoint streamLoad, ConnectorEndpoints connectors) {
    this.streamLoad = streamLoad;
    this.connectors = connectors;
    this.bindHost = Objects.requireNonNull(bindHost, "bindHost");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("HTTP port must be between 0 and 65535, got " + port);
    }
    this.requestedPort = port;
  }

  /**
   * Serves the query profile endpoints ({@link ProfileEndpoints}); call before {@link #start()}.
   */
  public synchronized void profiles(ProfileEndpoints endpoints) {
    if (jetty != null) {
      throw new IllegalStateException("add the profile endpoints before starting the front door");
    }
    this.profiles = endpoints;
  }

  /**
   * Serves {@code GET /metrics}: the text {@code source} gives at each request (Prometheus text
   * format, called on a request thread, so it must be thread safe); call before {@link #start()}.
   */
  public synchronized void metrics(java.util.function.Supplier<String> source) {
    if (jetty != null) {
      throw new IllegalStateException("add the metrics before starting the front door");
    }
    this.metrics = source;
  }

  /**
   * Serves HTTPS as well as HTTP on the port; call before {@link #start()}.
   *
   * @param keyStore holds the server's key and certificate
   * @param password the key store's password
   */
  public synchronized void enableTls(KeyStore keyStore, char[] password) {
    if (jetty != null) {
      throw new IllegalStateException("enable TLS before starting the HTTP front door");
    }
    SslContextFactory.Server factory = new SslContextFactory.Server();
    factory.setKeyStore(keyStore);
    factory.setKeyStorePassword(new String(password));
    factory.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    this.tls = factory;
  }

  /** The longest request head answered (larger ones get 431), as Doris's front end allows. */
  static final int MAX_REQUEST_HEAD_BYTES = 1 << 20;

  /** Jetty's property for the padding of its queues; see {@link #tellJettyTheReferenceSize}. */
  private static final String REFERENCES_PER_CACHE_LINE =
      "org.eclipse.jetty.util.referencesPerCacheLine";

  /**
   * Sets how many object references fill a cache line (Jetty pads its thread pool's queue with
   * them), unless the user did. Without it, Jetty's {@code MemoryUtils} asks the platform MBean
   * server whether oops are compressed, and creating that server registers every platform MXBean
   * and describes every diagnostic command: 5 of 56 JFR samples of a start's main thread, the
   * largest part of Jetty's start (docs/benchmarks.md, "Restart to first query: no signed jar on
   * the way"). The HotSpot diagnostic bean alone answers the same question without the server.
   */
  private static void tellJettyTheReferenceSize() {
    if (System.getProperty(REFERENCES_PER_CACHE_LINE) != null) {
      return;
    }
    boolean compressed = true;
    try {
      compressed =
          Boolean.parseBoolean(
              java.lang.management.ManagementFactory.getPlatformMXBean(
                      com.sun.management.HotSpotDiagnosticMXBean.class)
                  .getVMOption("UseCompressedOops")
                  .getValue());
    } catch (RuntimeException notHotSpot) {
      // Another JVM: compressed references are the common case below 32 GiB of heap.
    }
    int cacheLineBytes = Integer.getInteger("org.eclipse.jetty.util.cacheLineBytes", 64);
    System.setProperty(
        REFERENCES_PER_CACHE_LINE,
        String.valueOf(Math.max(1, cacheLineBytes / (compressed ? 4 : 8))));
  }

  /**
   * Binds the port and starts serving.
   *
   * @throws ServerStartException with a one-line message naming the host and port if the port is
   *     busy or the address cannot be bound
   * @throws IllegalStateException if already started
   */
  public synchronized void start() {
    if (jetty != null) {
      throw new IllegalStateException("HTTP front door already started");
    }
    tellJettyTheReferenceSize();
    QueuedThreadPool threads = new QueuedThreadPool(32, 2);
    threads.setName("basalt-http");
    threads.setVirtualThreadsExecutor(
        java.util.concurrent.Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("basalt-http-load-", 0).factory()));
    // Buffers are not pooled: Jetty 12.1's HttpConnection can still fill a request buffer it has
    // released (after a bad request, the thread that parsed it releases the buffer while the
    // thread that wrote the error answer may already have resumed reading: HttpConnection's
    // onFillable and HttpStreamOverHTTP1.succeeded). A pooled buffer then carried one client's
    // bytes into another connection's answer (HostileInputTest, seed 162026, an answer of the
    // previous request's header bytes). Jetty only serves what the Stream Load connector's own
    // reader does not (other paths, chunked bodies, bad requests), so a new buffer each time
    // costs little.
    Server server = new Server(threads, null, new ByteBufferPool.NonPooling());
    HttpConfiguration httpConfiguration = new HttpConfiguration();
    httpConfiguration.setSendServerVersion(false);
    httpConfiguration.setSendXPoweredBy(false);
    // Doris's front end accepts heads up to 1 MiB (jetty_server_max_http_header_size): a Stream
    // Load's columns, jsonpaths or where header for a wide table runs past Jetty's 8 KiB default.
    httpConfiguration.setRequestHeaderSize(MAX_REQUEST_HEAD_BYTES);
    HttpConnectionFactory http = new HttpConnectionFactory(httpConfiguration);
    // HTTPS and plain HTTP on the same port: the detector looks at the first bytes, so
    // curl http://... keeps working next to https://...
    ConnectionFactory[] factories =
        tls == null
            ? new ConnectionFactory[] {http}
            : new ConnectionFactory[] {
              new DetectorConnectionFactory(new SslConnectionFactory(tls, http.getProtocol())), http
            };
    // With Stream Load, plain loads on kept-alive connections skip Jetty (StreamLoadConnector).
    ServerConnector serverConnector =
        streamLoad == null
            ? new ServerConnector(server, 1, 1, factories)
            : new StreamLoadConnector(server, streamLoad, factories);
    serverConnector.setHost(bindHost);
    serverConnector.setPort(requestedPort);
    server.addConnector(serverConnector);
    server.setHandler(new FrontDoorHandler(streamLoad, connectors, profiles, metrics));
    server.setStopTimeout(2_000);
    try {
      server.start();
    } catch (Exception e) {
      stopQuietly(server);
      throw new ServerStartException(
          "cannot listen for HTTP on "
              + bindHost
              + ":"
              + requestedPort
              + ": "
              + describe(e)
              + " (is another server using port "
              + requestedPort
              + "? choose another with --http-port)",
          e);
    }
    this.jetty = server;
    this.connector = serverConnector;
  }

  /** The port actually bound; only valid after {@link #start()}. */
  public synchronized int port() {
    if (connector == null) {
      throw new IllegalStateException("HTTP front door not started");
    }
    return connector.getLocalPort();
  }

  /** Stops serving and releases the port. Idempotent. */
  @Override
  public synchronized void close() {
    if (jetty != null) {
      stopQuietly(jetty);
      jetty = null;
      connector = null;
    }
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      // Stopping after a failed start or at shutdown: nothing useful to do with the failure.
    }
  }

  private static String describe(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && !(cause instanceof IOException)) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message.replace('\n', ' ');
  }

  /**
   * Routes the paths the front door knows. Blocking (Jetty runs it where it may block): a load
   * reads its body synchronously.
   */
  private static final class FrontDoorHandler extends Handler.Abstract {
    private final StreamLoadEndpoint streamLoad;
    private final ConnectorEndpoints connectors;
    private final ProfileEndpoints profiles;
    private final java.util.function.Supplier<String> metrics;

    FrontDoorHandler(
        StreamLoadEndpoint streamLoad,
        ConnectorEndpoints connectors,
        ProfileEndpoints profiles,
        java.util.function.Supplier<String> metrics) {
      super(org.eclipse.jetty.util.thread.Invocable.InvocationType.BLOCKING);
      this.streamLoad = streamLoad;
      this.connectors = connectors;
      this.profiles = profiles;
      this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = Request.getPathInContext(request);
      if (streamLoad != null && StreamLoadEndpoint.serves(path)) {
        streamLoad.handle(request, response, callback);
        return true;
      }
      if (connectors != null && ConnectorEndpoints.serves(path)) {
        connectors.handle(request, response, callback);
        return true;
      }
      if (profiles != null && ProfileEndpoints.serves(path)) {
        profiles.handle(request, response, callback);
        return true;
      }
      boolean readMethod = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
      switch (path) {
        case "/" -> {
          if (readMethod) {
            HttpReplies.text(
                response, callback, HttpStatus.OK_200, "text/plain; charset=utf-8", ROOT_BODY);
          } else {
            methodNotAllowed(request, response, callback, path);
          }
        }
        case "/metrics" -> {
          if (metrics == null) {
            HttpReplies.text(
                response,
                callback,
                HttpStatus.NOT_FOUND_404,
                "application/json",
                failure("Not found: " + path));
          } else if (readMethod) {
            HttpReplies.text(
                response,
                callback,
                HttpStatus.OK_200,
                "text/plain; version=0.0.4; charset=utf-8",
                metrics.get());
          } else {
            methodNotAllowed(request, response, callback, path);
          }
        }
        case "/api/health" -> {
          if (readMethod) {
            HttpReplies.text(
                response, callback, HttpStatus.OK_200, "application/json", HEALTH_BODY);
          } else {
            methodNotAllowed(request, response, callback, path);
          }
        }
        default ->
            HttpReplies.text(
                response,
                callback,
                HttpStatus.NOT_FOUND_404,
                "application/json",
                failure("Not found: " + path));
      }
      return true;
    }

    private static void methodNotAllowed(
        Request request, Response response, Callback callback, String path) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      HttpReplies.text(
          response,
          callback,
          HttpStatus.METHOD_NOT_ALLOWED_405,
          "application/json",
          failure("Method " + request.getMethod() + " is not allowed on " + path + "; use GET"));
    }

    private static String failure(String message) {
      return "{\"status\":\"FAILED\",\"msg\":\"" + jsonEscape(message) + "\"}";
    }

    private static String jsonEscape(String text) {
      StringBuilder escaped = new StringBuilder(text.length() + 8);
      for (int index = 0; index < text.length(); index++) {
        char character = text.charAt(index);
        switch (character) {
          case '"' -> escaped.append("\\\"");
          case '\\' -> escaped.append("\\\\");
          default -> {
            if (character < 0x20) {
              escaped.append(String.format("\\u%04x", (int) character));
            } else {
              escaped.append(character);
            }
          }
        }
      }
      return escaped.toString();
    }
  }
}
