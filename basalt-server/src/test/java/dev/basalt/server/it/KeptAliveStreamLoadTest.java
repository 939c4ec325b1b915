package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stream Load on kept-alive connections as raw HTTP/1.1 bytes: many small group-commit loads
 * pipelined on one connection, loads and other requests mixed on one connection (the connection
 * goes to Jetty at the first request its own reader does not serve), {@code 100 Continue}, a client
 * that disconnects mid-body, slow clients holding connections while others load.
 */
class KeptAliveStreamLoadTest {
  private static TestServer server;
  private static int tableNumber;
  private String table;

  @BeforeAll
  static void start() throws SQLException {
    server = TestServer.start();
    execute("CREATE DATABASE kept_db");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void createTable() throws SQLException {
    table = "t" + (++tableNumber);
    execute(
        "CREATE TABLE kept_db."
            + table
            + " (k INT NOT NULL, v VARCHAR(10)) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 2"
            + " PROPERTIES (\"group_commit_interval_ms\" = \"10\")");
  }

  private static void execute(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private long count() throws SQLException {
    try (Connection connection = DriverManager.getConnection(server.mysqlUrl("", ""), "root", "");
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT COUNT(*) FROM kept_db." + table)) {
      result.next();
      return result.getLong(1);
    }
  }

  private static String basic(String user, String password) {
    return Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** A load request's bytes: Host with the port, root without a password, extra header lines. */
  private String loadHead(String extraHeaders, long contentLength) {
    return "PUT /api/kept_db/"
        + table
        + "/_stream_load HTTP/1.1\r\nHost: 127.0.0.1:"
        + server.httpPort()
        + "\r\nAuthorization: Basic "
        + basic("root", "")
        + "\r\ncolumn_separator: ,\r\n"
        + extraHeaders
        + "Content-Length: "
        + contentLength
        + "\r\n\r\n";
  }

  private byte[] load(String extraHeaders, String body) {
    return (loadHead(extraHeaders, body.getBytes(StandardCharsets.UTF_8).length) + body)
        .getBytes(StandardCharsets.UTF_8);
  }

  private static Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", server.httpPort());
    socket.setSoTimeout(60_000);
    socket.setTcpNoDelay(true);
    return socket;
  }

  /** One HTTP answer: status, lower-case header lines, body. */
  private record Answer(int status, List<String> headers, String body) {
    boolean closes() {
      return headers.contains("connection: close");
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int next = in.read(); next != '\n'; next = in.read()) {
      if (next < 0) {
        throw new EOFException("the server closed the connection; read so far: " + line);
      }
      if (next != '\r') {
        line.append((char) next);
      }
    }
    return line.toString();
  }

  private static Answer read(InputStream in) throws IOException {
    String statusLine = line(in);
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    List<String> headers = new ArrayList<>();
    int length = -1;
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      String name = header.substring(0, colon).toLowerCase(Locale.ROOT);
      String value = header.substring(colon + 1).strip();
      headers.add(name + ": " + value.toLowerCase(Locale.ROOT));
      if (name.equals("content-length")) {
        length = Integer.parseInt(value);
      }
    }
    if (status == 100) {
      return new Answer(status, headers, "");
    }
    assertThat(length).as("Content-Length of the answer to %s", statusLine).isNotNegative();
    byte[] body = in.readNBytes(length);
    assertThat(body).hasSize(length);
    return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  @Test
  void manyPipelinedGroupCommitLoadsOnOneConnectionAllLand() throws Exception {
    int loads = 100;
    ByteArrayOutputStream requests = new ByteArrayOutputStream();
    for (int load = 0; load < loads; load++) {
      StringBuilder rows = new StringBuilder();
      for (int row = 0; row < 10; row++) {
        rows.append(load * 10 + row).append(",v").append(row).append('\n');
      }
      requests.write(load("group_commit: sync_mode\r\n", rows.toString()));
    }
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      // All requests in one go, most of them before the first answer: each answer must come
      // back in order and none of the next request's bytes may be taken for a body.
      Thread writer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      out.write(requests.toByteArray());
                      out.flush();
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  });
      for (int load = 0; load < loads; load++) {
        Answer answer = read(in);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body())
            .contains("\"Status\" : \"Success\"")
            .contains("\"NumberLoadedRows\" : 10")
            .contains("\"GroupCommit\" : true");
        assertThat(answer.closes()).isFalse();
      }
      writer.join();
    }
    assertThat(count()).isEqualTo(loads * 10L);
  }

  @Test
  void loadsAndOtherRequestsMixOnOneKeptAliveConnection() throws Exception {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(load("", "1,a\n2,b\n"));
      out.flush();
      assertThat(read(in).body()).contains("\"Status\" : \"Success\"");
      // A request the connection's own reader does not serve: from here on Jetty reads it, with
      // a load pipelined behind the GET.
      out.write(
          ("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:" + server.httpPort() + "\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      out.write(load("", "3,c\n"));
      out.flush();
      Answer health = read(in);
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.body()).contains("\"status\":\"OK\"");
      assertThat(read(in).body()).contains("\"NumberLoadedRows\" : 1");
      // A chunked load, which Jetty reads, on the same connection.
      String chunked =
          loadHead("Transfer-Encoding: chunked\r\n", 0).replace("Content-Length: 0\r\n", "")
              + "4\r\n4,d\n\r\n0\r\n\r\n";
      out.write(chunked.getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertThat(read(in).body()).contains("\"NumberLoadedRows\" : 1");
    }
    assertThat(count()).isEqualTo(4);
  }

  @Test
  void expectContinueIsAnsweredBeforeTheBodyAndARefusedLoadClosesTheConnection() throws Exception {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(loadHead("Expect: 100-continue\r\n", 4).getBytes(StandardCharsets.UTF_8));
      out.flush();
      assertThat(read(in).status()).isEqualTo(100);
      out.write("7,x\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      Answer loaded = read(in);
      assertThat(loaded.body()).contains("\"Status\" : \"Success\"");
      assertThat(loaded.closes()).isFalse();
      // Wrong password: 401 without 100 Continue, and the unsent body closes the connection.
      String refused =
          loadHead("Expect: 100-continue\r\n", 4)
              .replace(basic("root", ""), basic("root", "wrong"));
      out.write(refused.getBytes(StandardCharsets.UTF_8));
      out.flush();
      Answer denied = read(in);
      assertThat(denied.status()).isEqualTo(401);
      assertThat(denied.headers()).contains("www-authenticate: basic realm=\"basalt\"");
      assertThat(denied.body()).contains("\"Status\" : \"Fail\"");
      assertThat(denied.closes()).isTrue();
      assertThat(in.read()).isEqualTo(-1);
    }
    assertThat(count()).isEqualTo(1);
  }

  @Test
  void aClientThatDisconnectsMidBodyLoadsNothingAndTheServerKeepsServing() throws Exception {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(loadHead("", 100_000).getBytes(StandardCharsets.UTF_8));
      out.write("1,a\n2,b\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    // Half-closed: the answer still reaches the client and says what happened.
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(loadHead("", 100_000).getBytes(StandardCharsets.UTF_8));
      out.write("3,c\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      socket.shutdownOutput();
      Answer answer = read(socket.getInputStream());
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body())
          .contains("\"Status\" : \"Fail\"")
          .contains("Reading the request body failed");
      assertThat(answer.closes()).isTrue();
    }
    assertThat(count()).isZero();
    try (Socket socket = connect()) {
      socket.getOutputStream().write(load("", "5,e\n"));
      assertThat(read(socket.getInputStream()).body()).contains("\"Status\" : \"Success\"");
    }
    assertThat(count()).isEqualTo(1);
  }

  @Test
  void slowClientsHoldingConnectionsDoNotHoldUpOtherLoads() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int client = 0; client < 20; client++) {
        Socket socket = connect();
        slow.add(socket);
        byte[] request = load("", client + 100 + ",slow\n");
        // Half of the head, or the head and half of the body: then nothing for a while.
        int sent = client % 2 == 0 ? 20 : request.length - 3;
        socket.getOutputStream().write(request, 0, sent);
        socket.getOutputStream().flush();
      }
      try (Socket socket = connect()) {
        socket.getOutputStream().write(load("", "1,fast\n"));
        assertThat(read(socket.getInputStream()).body()).contains("\"Status\" : \"Success\"");
      }
      assertThat(count()).isEqualTo(1);
      for (int client = 0; client < 20; client++) {
        byte[] request = load("", client + 100 + ",slow\n");
        int sent = client % 2 == 0 ? 20 : request.length - 3;
        OutputStream out = slow.get(client).getOutputStream();
        out.write(request, sent, request.length - sent);
        out.flush();
      }
      for (Socket socket : slow) {
        assertThat(read(socket.getInputStream()).body()).contains("\"Status\" : \"Success\"");
      }
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
    assertThat(count()).isEqualTo(21);
  }

  @Test
  void aBadContentLengthAnUnusualExpectationOrALongHeadIsJettysToAnswer() throws Exception {
    try (Socket socket = connect()) {
      String twoLengths = loadHead("Content-Length: 5\r\n", 4);
      socket.getOutputStream().write((twoLengths + "1,a\n").getBytes(StandardCharsets.UTF_8));
      Answer answer = read(socket.getInputStream());
      assertThat(answer.status()).isEqualTo(400);
    }
    try (Socket socket = connect()) {
      String unknownExpectation = loadHead("Expect: something\r\n", 4);
      socket
          .getOutputStream()
          .write((unknownExpectation + "1,a\n").getBytes(StandardCharsets.UTF_8));
      assertThat(read(socket.getInputStream()).status()).isEqualTo(417);
    }
    // A head longer than the connection's own buffer: Jetty reads it, from the buffer's bytes on.
    try (Socket socket = connect()) {
      String longHead = loadHead("label: " + "x".repeat(9_000) + "\r\n", 4);
      socket.getOutputStream().write((longHead + "1,a\n").getBytes(StandardCharsets.UTF_8));
      Answer answer = read(socket.getInputStream());
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body()).contains("\"Status\" : \"Fail\"").contains("label");
    }
    assertThat(count()).isZero();
    // Heads up to 1 MiB are read, as Doris's front end reads them: a 200 KB one loads its row.
    try (Socket socket = connect()) {
      String wideHead = loadHead("X-Padding: " + "p".repeat(200_000) + "\r\n", 4);
      socket.getOutputStream().write((wideHead + "7,w\n").getBytes(StandardCharsets.UTF_8));
      Answer answer = read(socket.getInputStream());
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.body()).contains("\"Status\" : \"Success\"");
    }
    assertThat(count()).isEqualTo(1);
    // A longer head is refused with 431 and loads nothing.
    try (Socket socket = connect()) {
      String tooLong = loadHead("X-Padding: " + "p".repeat(1_100_000) + "\r\n", 4);
      try {
        socket.getOutputStream().write((tooLong + "8,x\n").getBytes(StandardCharsets.UTF_8));
      } catch (java.io.IOException refusedWhileSending) {
        // Jetty may answer and close before the whole head is sent; the answer is read below.
      }
      assertThat(read(socket.getInputStream()).status()).isEqualTo(431);
    }
    assertThat(count()).isEqualTo(1);
  }
}
