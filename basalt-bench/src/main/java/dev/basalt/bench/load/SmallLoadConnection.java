package dev.basalt.bench.load;

import dev.basalt.bench.server.ServerEndpoint;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One kept-alive HTTP/1.1 connection that sends small Stream Loads ({@code PUT
 * /api/{db}/{table}/_stream_load}) one after another, for the group-commit step of {@code bench
 * ingest}: a hundred such clients share the server's two cores, so the client must cost little.
 *
 * <p>Compared with {@link StreamLoadClient} (the JDK's {@code HttpClient}): the request's headers
 * and body leave in one write, without {@code Expect: 100-continue} (curl too sends it only for
 * bodies above 1 MiB, so {@code curl -T} of a small file is exactly this request), and the answer
 * is checked for Doris's {@code "Status"} by a string search instead of a JSON parse. A connection
 * the server closed is opened again once per request.
 *
 * <p>Not thread safe: one connection per client thread. Close it when done.
 */
public final class SmallLoadConnection implements AutoCloseable {
  private final ServerEndpoint endpoint;
  private final byte[] requestHead;
  private Socket socket;
  private OutputStream output;
  private InputStream input;
  private boolean answerStarted;
  private static final Pattern SUCCESS =
      Pattern.compile("\"Status\"\\s*:\\s*\"(Success|Publish Timeout)\"");

  /**
   * @param headers sent with every load besides Authorization (root, no password), Host and
   *     Content-Length, e.g. {@code column_separator} and {@code group_commit}
   */
  public SmallLoadConnection(
      ServerEndpoint endpoint, String database, String table, Map<String, String> headers) {
    this.endpoint = endpoint;
    StringBuilder head = new StringBuilder();
    head.append("PUT /api/")
        .append(database)
        .append('/')
        .append(table)
        .append("/_stream_load HTTP/1.1\r\nHost: ")
        .append(endpoint.host())
        .append(':')
        .append(endpoint.httpPort())
        .append("\r\nAuthorization: Basic cm9vdDo=\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("Content-Length: ");
    this.requestHead = head.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Sends one load and reads its answer.
   *
   * @return the answer; {@code loadedRows} is -1 (not parsed)
   */
  public StreamLoadClient.Answer load(byte[] body) throws IOException {
    boolean reused = socket != null;
    answerStarted = false;
    try {
      return send(body);
    } catch (IOException e) {
      closeSocket();
      if (!reused || answerStarted) {
        throw e;
      }
      // A kept-alive connection the server had closed (idle timeout) before this request: the
      // server read nothing of it, so sending it again cannot load its rows twice.
      return send(body);
    }
  }

  private StreamLoadClient.Answer send(byte[] body) throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(endpoint.host(), endpoint.httpPort()), 10_000);
      output = socket.getOutputStream();
      input = new BufferedInputStream(socket.getInputStream(), 8192);
    }
    byte[] length = (body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[requestHead.length + length.length + body.length];
    System.arraycopy(requestHead, 0, request, 0, requestHead.length);
    System.arraycopy(length, 0, request, requestHead.length, length.length);
    System.arraycopy(body, 0, request, requestHead.length + length.length, body.length);
    output.write(request);
    output.flush();
    return readResponse();
  }

  private StreamLoadClient.Answer readResponse() throws IOException {
    String statusLine = readLine();
    answerStarted = true;
    int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
    long contentLength = -1;
    boolean chunked = false;
    boolean close = false;
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> contentLength = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
        case "connection" -> close = value.equalsIgnoreCase("close");
        default -> {}
      }
    }
    ByteArrayOutputStream content = new ByteArrayOutputStream(512);
    if (chunked) {
      for (long size = Long.parseLong(readLine().trim(), 16);
          size > 0;
          size = Long.parseLong(readLine().trim(), 16)) {
        copy(size, content);
        readLine();
      }
      readLine();
    } else if (contentLength >= 0) {
      copy(contentLength, content);
    } else {
      input.transferTo(content);
      close = true;
    }
    if (close) {
      closeSocket();
    }
    String text = content.toString(StandardCharsets.UTF_8);
    boolean success = SUCCESS.matcher(text).find();
    return new StreamLoadClient.Answer(status, success, -1, text);
  }

  private void copy(long bytes, ByteArrayOutputStream into) throws IOException {
    byte[] buffer = new byte[(int) Math.min(bytes, 8192)];
    long left = bytes;
    while (left > 0) {
      int read = input.read(buffer, 0, (int) Math.min(left, buffer.length));
      if (read < 0) {
        throw new EOFException("the server closed the connection mid-answer");
      }
      into.write(buffer, 0, read);
      left -= read;
    }
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int next = input.read();
      if (next < 0) {
        throw new EOFException("the server closed the connection");
      }
      if (next == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return line.toString();
      }
      line.append((char) next);
    }
  }

  private void closeSocket() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closing a connection that is being replaced: nothing to do with the failure.
      }
      socket = null;
    }
  }

  @Override
  public void close() {
    closeSocket();
  }
}
