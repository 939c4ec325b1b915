package dev.basalt.server.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpStatus;

/**
 * One accepted HTTP connection read on its own virtual thread with blocking I/O (see {@link
 * StreamLoadConnector} for why): serves the Stream Load requests it understands, one after another
 * on the kept-alive connection, and hands the connection to Jetty at the first one it does not.
 *
 * <p>It serves a request only when it is exactly {@code PUT /api/{db}/{table}/_stream_load} or
 * {@code PUT /api/{db}[/{table}]/_stream_load_2pc} over {@code HTTP/1.1}, the path of plain
 * characters (letters, digits, {@code _ - . $}), a {@code Host} with a port, a {@code
 * Content-Length}, no {@code Transfer-Encoding}, no {@code Expect} other than {@code 100-continue},
 * the head in ASCII within {@value #BUFFER_BYTES} bytes. Anything else (TLS, other methods and
 * paths, chunked bodies, ...) goes to Jetty with the bytes read so far, so every answer Jetty gives
 * (400, 404, 417, 431, ...) stays Jetty's.
 *
 * <p>{@code 100 Continue} is sent when the body is first read and none of it has arrived, as Jetty
 * does. A request whose body the load did not read to its end (refused before reading, a failed
 * load) is answered with {@code Connection: close} and the connection closed, unless the rest of
 * the body is already read. The read of an idle connection times out after the connector's idle
 * timeout, and the connection is closed.
 *
 * <p>Not thread safe: its own thread runs it; {@link #close} may be called from any thread.
 */
final class KeptAliveLoadConnection implements Runnable {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(KeptAliveLoadConnection.class);

  /** The connection's read buffer: a head that does not fit goes to Jetty with what was read. */
  static final int BUFFER_BYTES = 8192;

  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final StreamLoadConnector connector;
  private final SocketChannel channel;
  private final StreamLoadEndpoint endpoint;
  private final byte[] buffer = new byte[BUFFER_BYTES];

  /** The bytes read and not yet consumed are {@code buffer[start, end)}. */
  private int start;

  private int end;
  private InputStream input;
  private OutputStream output;
  private String clientHost;

  KeptAliveLoadConnection(
      StreamLoadConnector connector, SocketChannel channel, StreamLoadEndpoint endpoint) {
    this.connector = connector;
    this.channel = channel;
    this.endpoint = endpoint;
  }

  @Override
  public void run() {
    boolean handedOver = false;
    try {
      Socket socket = channel.socket();
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, connector.getIdleTimeout()));
      input = socket.getInputStream();
      output = socket.getOutputStream();
      clientHost = ((InetSocketAddress) channel.getRemoteAddress()).getAddress().getHostAddress();
      while (true) {
        LoadRequest request = readRequest();
        if (request == null) {
          return;
        }
        if (request == LoadRequest.JETTY) {
          connector.handOver(channel, ByteBuffer.wrap(buffer, start, end - start));
          handedOver = true;
          return;
        }
        Exchange exchange = new Exchange(request);
        endpoint.serve(request.path(), exchange);
        if (!exchange.keepAlive) {
          closeGracefully();
          return;
        }
        start += (int) exchange.unreadBody; // the rest of the body, already in the buffer
      }
    } catch (IOException closedOrIdle) {
      // The client closed the connection, or sent nothing for the idle timeout: close it.
    } catch (RuntimeException bug) {
      LOG.error("a Stream Load connection from {} failed; closing it", clientHost, bug);
    } finally {
      connector.forget(this);
      if (!handedOver) {
        close();
      }
    }
  }

  /**
   * Ends the answers, then reads what the client still sends (the rest of a body) for up to a
   * second before the connection is closed: closing with unread bytes would reset the connection,
   * and the client could lose the answer.
   */
  private void closeGracefully() throws IOException {
    channel.shutdownOutput();
    channel.socket().setSoTimeout(1_000);
    byte[] discard = new byte[BUFFER_BYTES];
    long left = 1 << 20;
    for (int read = 0; read >= 0 && left > 0; read = input.read(discard)) {
      left -= read;
    }
  }

  /** Closes the connection; its thread ends at its next read or write. */
  void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Closing: nothing useful to do with the failure.
    }
  }

  /**
   * Reads the next request's head: null when the client closed the connection between requests,
   * {@link LoadRequest#JETTY} when Jetty must serve it.
   */
  private LoadRequest readRequest() throws IOException {
    int headEnd;
    while ((headEnd = headEnd()) < 0) {
      if (end > start && buffer[start] != 'P') {
        return LoadRequest.JETTY; // not a PUT (TLS starts with 0x16): no need to read more
      }
      if (start == 0 && end == BUFFER_BYTES) {
        return LoadRequest.JETTY; // a head too long for us: Jetty reads the rest
      }
      if (start > 0) {
        System.arraycopy(buffer, start, buffer, 0, end - start);
        end -= start;
        start = 0;
      }
      int read = input.read(buffer, end, BUFFER_BYTES - end);
      if (read < 0) {
        if (end == start) {
          return null;
        }
        throw new EOFException("the client closed the connection inside a request's head");
      }
      end += read;
    }
    LoadRequest request = LoadRequest.parse(buffer, start, headEnd);
    if (request != LoadRequest.JETTY) {
      start = headEnd;
    }
    return request;
  }

  /** The index just past the head's blank line in the unread bytes, or -1 when not all read. */
  private int headEnd() {
    for (int index = start + 3; index < end; index++) {
      if (buffer[index] == '\n'
          && buffer[index - 1] == '\r'
          && buffer[index - 2] == '\n'
          && buffer[index - 3] == '\r') {
        return index + 1;
      }
    }
    return -1;
  }

  /**
   * A request head this connection serves: the load path, the headers by lower-case name (the first
   * of repeated ones) and what the head says about the body and the connection.
   */
  private record LoadRequest(
      StreamLoadEndpoint.LoadPath path,
      Map<String, String> headers,
      long contentLength,
      boolean expectContinue,
      boolean closeAfter) {

    /** Marks a request for Jetty. */
    static final LoadRequest JETTY = new LoadRequest(null, Map.of(), 0, false, true);

    private static final String METHOD = "PUT ";
    private static final String VERSION = " HTTP/1.1";

    /** Parses {@code bytes[from, to)}, a whole head ending in its blank line. */
    static LoadRequest parse(byte[] bytes, int from, int to) {
      for (int index = from; index < to; index++) {
        byte value = bytes[index];
        if (value < 0 || (value < 0x20 && value != '\r' && value != '\n' && value != '\t')) {
          return JETTY; // not ASCII: Jetty decides how to read it
        }
      }
      String head = new String(bytes, from, to - from - 2, StandardCharsets.ISO_8859_1);
      int lineEnd = head.indexOf("\r\n");
      String requestLine = head.substring(0, lineEnd);
      if (!requestLine.startsWith(METHOD) || !requestLine.endsWith(VERSION)) {
        return JETTY;
      }
      String target =
          requestLine.substring(METHOD.length(), requestLine.length() - VERSION.length());
      if (!plainPath(target)) {
        return JETTY;
      }
      StreamLoadEndpoint.LoadPath path = StreamLoadEndpoint.LoadPath.parse(target);
      if (path == null) {
        return JETTY;
      }
      Map<String, String> headers = HashMap.newHashMap(16);
      long contentLength = -1;
      boolean expectContinue = false;
      boolean closeAfter = false;
      String host = null;
      int lineStart = lineEnd + 2;
      while (lineStart < head.length()) {
        int next = head.indexOf("\r\n", lineStart);
        if (next < 0) {
          next = head.length();
        }
        int colon = head.indexOf(':', lineStart);
        if (colon <= lineStart || colon >= next || !token(head, lineStart, colon)) {
          return JETTY; // a folded line, a bare line feed, a malformed name: Jetty answers 400
        }
        String name = head.substring(lineStart, colon).toLowerCase(Locale.ROOT);
        String value = head.substring(colon + 1, next).strip();
        lineStart = next + 2;
        switch (name) {
          case "content-length" -> {
            if (contentLength >= 0 || !digits(value)) {
              return JETTY;
            }
            contentLength = Long.parseLong(value);
          }
          case "transfer-encoding" -> {
            return JETTY;
          }
          case "expect" -> {
            if (!value.equalsIgnoreCase("100-continue")) {
              return JETTY; // Jetty answers 417
            }
            expectContinue = true;
          }
          case "connection" -> {
            for (String option : value.split(",")) {
              closeAfter |= option.strip().equalsIgnoreCase("close");
            }
          }
          case "host" -> {
            if (host != null) {
              return JETTY;
            }
            host = value;
          }
          default -> {}
        }
        headers.putIfAbsent(name, value);
      }
      if (contentLength < 0 || host == null || !hasPort(host)) {
        return JETTY;
      }
      return new LoadRequest(path, headers, contentLength, expectContinue, closeAfter);
    }

    /** Letters, digits, {@code / _ - . $}, no {@code .} or {@code ..} segment. */
    private static boolean plainPath(String target) {
      if (target.contains("/./") || target.contains("/../") || target.contains("//")) {
        return false;
      }
      for (int index = 0; index < target.length(); index++) {
        char character = target.charAt(index);
        boolean plain =
            (character >= 'a' && character <= 'z')
                || (character >= 'A' && character <= 'Z')
                || (character >= '0' && character <= '9')
                || character == '/'
                || character == '_'
                || character == '-'
                || character == '.'
                || character == '$';
        if (!plain) {
          return false;
        }
      }
      return !target.endsWith("/.") && !target.endsWith("/..");
    }

    /** Whether {@code text[from, to)} is an HTTP token (RFC 9110 section 5.6.2). */
    private static boolean token(String text, int from, int to) {
      for (int index = from; index < to; index++) {
        char character = text.charAt(index);
        boolean allowed =
            (character >= 'a' && character <= 'z')
                || (character >= 'A' && character <= 'Z')
                || (character >= '0' && character <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(character) >= 0;
        if (!allowed) {
          return false;
        }
      }
      return true;
    }

    private static boolean digits(String value) {
      if (value.isEmpty() || value.length() > 18) {
        return false;
      }
      for (int index = 0; index < value.length(); index++) {
        if (value.charAt(index) < '0' || value.charAt(index) > '9') {
          return false;
        }
      }
      return true;
    }

    /** {@code name:port} or {@code [v6]:port}: the ErrorURL names the port the client used. */
    private static boolean hasPort(String host) {
      int colon = host.lastIndexOf(':');
      return colon > 0 && colon > host.lastIndexOf(']') && digits(host.substring(colon + 1));
    }
  }

  /** One served request: its body from the connection's buffer and socket, its answer. */
  private final class Exchange implements LoadExchange {
    private final LoadRequest request;

    /** Body bytes not yet consumed. */
    private long unreadBody;

    private boolean continueSent;
    private boolean keepAlive;

    Exchange(LoadRequest request) {
      this.request = request;
      this.unreadBody = request.contentLength();
    }

    @Override
    public String method() {
      return "PUT";
    }

    @Override
    public Map<String, String> headers() {
      return request.headers();
    }

    @Override
    public String clientHost() {
      return clientHost;
    }

    @Override
    public String serverAuthority() {
      return request.headers().get("host");
    }

    @Override
    public long contentLength() {
      return request.contentLength();
    }

    @Override
    public InputStream body() {
      return new InputStream() {
        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
          if (length == 0) {
            return 0;
          }
          if (unreadBody == 0) {
            return -1;
          }
          int wanted = (int) Math.min(length, unreadBody);
          int read;
          if (end > start) {
            read = Math.min(wanted, end - start);
            System.arraycopy(buffer, start, into, offset, read);
            start += read;
          } else {
            if (request.expectContinue() && !continueSent) {
              continueSent = true;
              output.write(CONTINUE);
              output.flush();
            }
            // Straight into the caller's array: never past this body, so the next request's
            // bytes stay on the socket for readRequest.
            read = input.read(into, offset, wanted);
            if (read < 0) {
              throw new EOFException(
                  "Early EOF: the client closed the connection "
                      + unreadBody
                      + " bytes before the end of the body's Content-Length of "
                      + request.contentLength());
            }
          }
          unreadBody -= read;
          return read;
        }
      };
    }

    @Override
    public void reply(int status, String headerName, String headerValue, String json) {
      // The rest of an unread body is skipped when it is already here; else the connection closes
      // (the client may still be sending it, or, told to wait for 100 Continue, never will).
      keepAlive = !request.closeAfter() && unreadBody <= end - start;
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      StringBuilder head = new StringBuilder(160);
      head.append("HTTP/1.1 ")
          .append(status)
          .append(' ')
          .append(HttpStatus.getMessage(status))
          .append("\r\n");
      if (headerName != null) {
        head.append(headerName).append(": ").append(headerValue).append("\r\n");
      }
      head.append("Content-Type: application/json; charset=utf-8\r\nContent-Length: ")
          .append(body.length)
          .append("\r\n");
      if (!keepAlive) {
        head.append("Connection: close\r\n");
      }
      head.append("\r\n");
      byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
      byte[] answer = new byte[headBytes.length + body.length];
      System.arraycopy(headBytes, 0, answer, 0, headBytes.length);
      System.arraycopy(body, 0, answer, headBytes.length, body.length);
      try {
        output.write(answer);
        output.flush();
      } catch (IOException clientGone) {
        keepAlive = false;
      }
    }
  }
}
