package dev.basalt.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile-input suites (issue 16): seeded streams of malformed and truncated MySQL packets
 * (handshake responses; COM_QUERY, COM_STMT_PREPARE / EXECUTE with wrong parameter counts and
 * types, long data and the other commands after login), malformed HTTP (request lines, Stream Load
 * headers, chunked bodies, huge headers), oversized inputs and corrupt segment files. Every input
 * must get a clear answer — an ERR packet with a MySQL code other than the internal-error one
 * (1815), an HTTP status with Doris's JSON or a 4xx, or a closed connection where the protocol
 * allows nothing else — within the socket timeout, and after each batch another session must still
 * be served. The seed is fixed and printed with every failure; {@code -Dhostile.seed=S} and {@code
 * -Dhostile.scale=N} (a multiplier of the input counts) run other or longer streams.
 */
class HostileInputTest {
  private static final long SEED = Long.getLong("hostile.seed", 16_2026L);
  private static final int SCALE = Integer.getInteger("hostile.scale", 1);
  private static final int BATCH = 100;
  private static final int INTERNAL_ERROR = 1815;

  private static TestServer server;

  @BeforeAll
  static void start() throws SQLException {
    server = TestServer.start();
    try (Connection connection = jdbc();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE hostile");
      statement.execute(
          "CREATE TABLE hostile.t (k INT, v VARCHAR(20), d DECIMAL(10, 2)) DUPLICATE KEY(k)"
              + " DISTRIBUTED BY HASH(k) BUCKETS 1");
      statement.execute("INSERT INTO hostile.t VALUES (1, 'one', 1.50), (2, 'two', 2.25)");
      // Read after every batch; no hostile input names it.
      statement.execute(
          "CREATE TABLE hostile.kept (k INT) DUPLICATE KEY(k) DISTRIBUTED BY HASH(k) BUCKETS 1");
      statement.execute("INSERT INTO hostile.kept VALUES (1), (2)");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Connection jdbc() throws SQLException {
    return DriverManager.getConnection(server.mysqlUrl("", ""), TestServer.ROOT_USER, "");
  }

  /** Another session is served: the check made after every batch. */
  private static void assertStillServing(String after) throws SQLException {
    try (Connection connection = jdbc();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*), SUM(k) FROM hostile.kept")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getLong(1)).as("seed %d, after %s", SEED, after).isEqualTo(2);
    }
  }

  // ------------------------------------------------------------------ MySQL protocol

  @Test
  void malformedHandshakeResponsesAreRefusedCleanly() throws Exception {
    Random random = new Random(SEED);
    int inputs = 1_000 * SCALE;
    List<String> failures = new ArrayList<>();
    java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
    for (int input = 0; input < inputs; input++) {
      byte[] response = mutate(random, validHandshakeResponse(random), 256);
      try (PacketClient client = new PacketClient(server.queryPort())) {
        client.readPacket(); // the server's handshake
        if (random.nextInt(10) == 0 || response.length == 32) {
          // A packet cut inside its header (the server waits for the rest, as for a slow client)
          // or one of an SSLRequest's length (the server starts TLS): nothing to answer yet; the
          // server must just survive the client going away.
          client.writeRaw(Arrays.copyOf(frame(response, 1), random.nextInt(4) + 1));
          outcomes.merge("left", 1, Integer::sum);
          continue;
        }
        client.writePacket(response, random.nextInt(20) == 0 ? random.nextInt(256) : 1);
        String problem = client.expectCleanEnd();
        outcomes.merge(client.outcome, 1, Integer::sum);
        if (problem != null) {
          failures.add("handshake input " + input + " " + hex(response) + ": " + problem);
        }
      }
      if (input % BATCH == BATCH - 1) {
        assertStillServing("handshake input " + input);
      }
    }
    System.out.println("handshake outcomes (seed " + SEED + "): " + outcomes);
    assertThat(failures).as("seed " + SEED).isEmpty();
    // Not vacuous: logins refused with ERR, some accepted, some switched.
    assertThat(outcomes).containsKeys("OK", "more");
    assertThat(outcomes.keySet()).anyMatch(outcome -> outcome.startsWith("ERR"));
  }

  @Test
  void malformedCommandsAfterLoginGetErrorsAndTheSessionGoesOn() throws Exception {
    Random random = new Random(SEED + 1);
    int inputs = 3_000 * SCALE;
    List<String> failures = new ArrayList<>();
    java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
    PacketClient client = loggedIn();
    int statementId = prepare(client, "SELECT k, v FROM hostile.t WHERE k = ? AND v <> ?");
    try {
      for (int input = 0; input < inputs; input++) {
        byte[] command = hostileCommand(random, statementId);
        String problem;
        try {
          client.writePacket(command, 0);
          problem = client.expectAnswers(command.length == 0 ? -1 : command[0] & 0xFF);
          outcomes.merge(client.outcome, 1, Integer::sum);
        } catch (IOException e) {
          problem = "closed while sending: " + e;
        }
        boolean endsSession =
            command.length > 0 && (command[0] == 0x01 || command[0] == 0x11); // QUIT, CHANGE_USER
        if (problem != null && !(endsSession && problem.startsWith("closed"))) {
          failures.add("command input " + input + " " + hex(command) + ": " + problem);
        }
        if (problem != null || endsSession || client.closedByServer()) {
          client.close();
          client = loggedIn();
          statementId = prepare(client, "SELECT k, v FROM hostile.t WHERE k = ? AND v <> ?");
        }
        if (input % BATCH == BATCH - 1) {
          assertStillServing("command input " + input);
        }
      }
    } finally {
      client.close();
    }
    System.out.println("command outcomes (seed " + SEED + "): " + outcomes);
    assertThat(failures).as("seed " + SEED).isEmpty();
    assertThat(outcomes).containsKeys("OK", "result set");
    assertThat(outcomes.keySet())
        .filteredOn(outcome -> outcome.startsWith("ERR"))
        .hasSizeGreaterThan(3);
  }

  @Test
  void oversizedPacketsAreRefusedBeforeTheirBodyArrives() throws Exception {
    // Before login more than a few KB is refused at once (after login, max_allowed_packet: see
    // docs/security.md's limits and their tests).
    try (PacketClient client = new PacketClient(server.queryPort())) {
      client.readPacket();
      client.writeRaw(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0x7F, 1}); // 8 MiB announced
      byte[] answer = client.readPacket();
      assertThat(errorCode(answer)).isEqualTo(1153);
    }
    assertStillServing("oversized packets");
  }

  private static PacketClient loggedIn() throws IOException {
    PacketClient client = new PacketClient(server.queryPort());
    client.readPacket();
    client.writePacket(validHandshakeResponse(null), 1);
    byte[] reply = client.readPacket();
    if ((reply[0] & 0xFF) == 0xFE) { // auth switch to the account's plugin; root has no password
      client.writePacket(new byte[0], client.nextSequence());
      reply = client.readPacket();
    }
    assertThat(reply[0]).as("login OK").isEqualTo((byte) 0);
    return client;
  }

  /** Prepares {@code sql}; returns the statement id. */
  private static int prepare(PacketClient client, String sql) throws IOException {
    byte[] text = sql.getBytes(StandardCharsets.UTF_8);
    byte[] command = new byte[text.length + 1];
    command[0] = 0x16;
    System.arraycopy(text, 0, command, 1, text.length);
    client.writePacket(command, 0);
    byte[] ok = client.readPacket();
    assertThat(ok[0]).isEqualTo((byte) 0);
    int id = (ok[1] & 0xFF) | (ok[2] & 0xFF) << 8 | (ok[3] & 0xFF) << 16 | (ok[4] & 0xFF) << 24;
    assertThat(client.expectAnswersAfterPrepareOk(ok)).isNull();
    return id;
  }

  /**
   * A handshake response (protocol 4.1, user root, no password, database, plugin, attributes); with
   * a random source some of its fields vary.
   */
  private static byte[] validHandshakeResponse(Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int capabilities =
        0x0200 /* PROTOCOL_41 */
            | 0x8000 /* SECURE_CONNECTION */
            | 0x00080000 /* PLUGIN_AUTH */
            | 0x00020000 /* MULTI_RESULTS */
            | 0x0008 /* CONNECT_WITH_DB */
            | 0x00100000 /* CONNECT_ATTRS */
            | (random != null && random.nextBoolean() ? 0x00200000 : 0); // LENENC_CLIENT_DATA
    writeInt4(out, capabilities);
    writeInt4(out, 1 << 24);
    out.write(45);
    out.writeBytes(new byte[23]);
    out.writeBytes("root\0".getBytes(StandardCharsets.US_ASCII));
    out.write(0); // empty token (length byte, or length-encoded 0)
    out.writeBytes((random != null && random.nextBoolean() ? "hostile\0" : "\0").getBytes());
    out.writeBytes(
        (random != null && random.nextBoolean()
                ? "caching_sha2_password\0"
                : "mysql_native_password\0")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(12);
    out.writeBytes("\u0004_os\u0005Linux".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  /** One hostile command: a known command with a damaged or random payload. */
  private static byte[] hostileCommand(Random random, int statementId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int kind = random.nextInt(12);
    switch (kind) {
      case 0 -> { // COM_QUERY with random bytes (invalid UTF-8 included)
        out.write(0x03);
        out.writeBytes(randomBytes(random, random.nextInt(64)));
      }
      case 1 -> { // COM_QUERY with SQL-looking garbage
        out.write(0x03);
        out.writeBytes(sqlGarbage(random).getBytes(StandardCharsets.UTF_8));
      }
      case 2 -> { // COM_STMT_PREPARE of SQL-looking garbage
        out.write(0x16);
        out.writeBytes(sqlGarbage(random).getBytes(StandardCharsets.UTF_8));
      }
      case 3, 4, 5 -> { // COM_STMT_EXECUTE with wrong counts, types, values, truncation
        out.write(0x17);
        writeInt4(out, random.nextInt(8) == 0 ? random.nextInt() : statementId);
        out.write(random.nextInt(3) == 0 ? random.nextInt(256) : 0);
        writeInt4(out, 1);
        int parameters = random.nextInt(4);
        out.writeBytes(randomBytes(random, (parameters + 7) / 8)); // null bitmap
        out.write(random.nextInt(4) == 0 ? random.nextInt(256) : 1); // new-params-bound flag
        for (int i = 0; i < parameters; i++) {
          int[] types = {1, 2, 3, 4, 5, 7, 8, 10, 11, 12, 15, 246, 252, 253, 254, 255, 0x1F};
          out.write(
              random.nextInt(5) == 0 ? random.nextInt(256) : types[random.nextInt(types.length)]);
          out.write(random.nextInt(4) == 0 ? 0x80 : 0);
        }
        out.writeBytes(randomBytes(random, random.nextInt(40)));
        if (random.nextInt(4) == 0) { // a huge length-encoded string length
          out.write(0xFE);
          out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 0, 0, 0, 0});
        }
      }
      case 6 -> { // COM_STMT_SEND_LONG_DATA to any statement and parameter
        out.write(0x18);
        writeInt4(out, random.nextBoolean() ? statementId : random.nextInt());
        out.write(random.nextInt(256));
        out.write(random.nextInt(4) == 0 ? random.nextInt(256) : 0);
        out.writeBytes(randomBytes(random, random.nextInt(200)));
      }
      case 7 -> { // COM_STMT_RESET / CLOSE / FETCH with short or odd payloads
        int[] commands = {0x1A, 0x19, 0x1C};
        out.write(commands[random.nextInt(commands.length)]);
        out.writeBytes(randomBytes(random, random.nextInt(6)));
      }
      case 8 -> { // COM_FIELD_LIST, COM_INIT_DB, COM_PROCESS_KILL, COM_SET_OPTION with garbage
        int[] commands = {0x04, 0x02, 0x0C, 0x1B};
        out.write(commands[random.nextInt(commands.length)]);
        out.writeBytes(randomBytes(random, random.nextInt(10)));
      }
      case 9 -> { // any command byte, random payload (QUIT and CHANGE_USER end the session)
        out.write(random.nextInt(256));
        out.writeBytes(randomBytes(random, random.nextInt(30)));
      }
      case 10 -> { // an empty packet
      }
      default -> { // a valid prepared execution, then damaged
        out.write(0x17);
        writeInt4(out, statementId);
        out.write(0);
        writeInt4(out, 1);
        out.write(0);
        out.write(1);
        out.writeBytes(new byte[] {3, 0, (byte) 253, 0});
        writeInt4(out, 1);
        out.write(3);
        out.writeBytes("one".getBytes(StandardCharsets.US_ASCII));
        byte[] valid = out.toByteArray();
        return mutate(random, valid, valid.length + 8);
      }
    }
    return out.toByteArray();
  }

  private static String sqlGarbage(Random random) {
    String[] words = {
      "SELECT",
      "FROM",
      "hostile.t",
      "WHERE",
      "k",
      "v",
      "d",
      "(",
      ")",
      ",",
      "?",
      "'",
      "\"",
      "`",
      "1e308",
      "-9223372036854775809",
      "NULL",
      "CAST(",
      "AS",
      "DECIMAL(65,30)",
      "DATETIME(6)",
      "UNION",
      "ALL",
      "JOIN",
      "ON",
      "GROUP BY",
      "ORDER BY",
      "LIMIT",
      "999999999999",
      "/*",
      "*/",
      "--",
      ";",
      "INSERT INTO hostile.t VALUES",
      "x'FF'",
      "_binary",
      "\\",
      "'\u00e9\u4e2d'",
      "%",
      "REPEAT('a', 100000)",
      "CONVERT(",
      "USING",
      "latin1",
      "@@max_allowed_packet",
      "@x :="
    };
    StringBuilder sql = new StringBuilder();
    int length = 1 + random.nextInt(12);
    for (int i = 0; i < length; i++) {
      sql.append(words[random.nextInt(words.length)]).append(' ');
    }
    return sql.toString();
  }

  // ------------------------------------------------------------------ HTTP

  @Test
  void malformedHttpRequestsGetClearAnswers() throws Exception {
    Random random = new Random(SEED + 2);
    int inputs = 600 * SCALE;
    List<String> failures = new ArrayList<>();
    java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
    for (int input = 0; input < inputs; input++) {
      byte[] request = hostileHttpRequest(random);
      try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        try {
          out.write(request);
          out.flush();
          socket.shutdownOutput();
        } catch (IOException closedWhileSending) {
          // The server may refuse a request before its body is sent; its answer is read below.
        }
        String answer;
        try {
          answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (SocketTimeoutException hung) {
          failures.add("HTTP input " + input + ": no answer within 10 s: " + shown(request));
          continue;
        } catch (IOException reset) {
          continue; // a reset after refusing a huge request is a clear end
        }
        outcomes.merge(answer.length() < 12 ? "closed" : answer.substring(9, 12), 1, Integer::sum);
        String problem = httpProblem(answer);
        if (problem != null) {
          failures.add("HTTP input " + input + " " + shown(request) + ": " + problem);
        }
      }
      if (input % BATCH == BATCH - 1) {
        assertStillServing("HTTP input " + input);
      }
    }
    System.out.println("HTTP outcomes (seed " + SEED + "): " + outcomes);
    assertThat(failures).as("seed " + SEED).isEmpty();
    assertThat(outcomes).containsKeys("200", "400", "401");
  }

  /**
   * Null when the answer is clear: empty (connection closed), a 4xx, or a 200 whose JSON says what
   * failed; a 5xx or an internal error message is a problem.
   */
  private static String httpProblem(String answer) {
    if (answer.isEmpty()) {
      return null;
    }
    if (!answer.startsWith("HTTP/1.1 ")) {
      return "not an HTTP answer: " + answer.substring(0, Math.min(80, answer.length()));
    }
    int status = Integer.parseInt(answer.substring(9, 12));
    boolean unsupportedProtocol = status == 501 || status == 505; // a bogus method or version
    if ((status >= 500 && !unsupportedProtocol) || answer.contains("Internal error")) {
      return "answer " + answer.substring(0, Math.min(600, answer.length()));
    }
    return null;
  }

  private static byte[] hostileHttpRequest(Random random) {
    String path =
        switch (random.nextInt(6)) {
          case 0 -> "/api/hostile/t/_stream_load";
          case 1 -> "/api/hostile/_stream_load_2pc";
          case 2 -> "/api/hostile/t/_schema";
          case 3 ->
              "/api/" + randomText(random, 12) + "/" + randomText(random, 12) + "/_stream_load";
          case 4 -> "/api/hostile/t/_stream_load?" + randomText(random, 30);
          default -> "/" + randomText(random, 40);
        };
    String method =
        random.nextInt(8) == 0 ? randomText(random, 6) : random.nextBoolean() ? "PUT" : "GET";
    String version = random.nextInt(15) == 0 ? "HTTP/" + random.nextInt(5) + ".9" : "HTTP/1.1";
    StringBuilder head = new StringBuilder(method + " " + path + " " + version + "\r\n");
    head.append("Host: 127.0.0.1\r\n");
    if (random.nextInt(6) != 0) {
      head.append("Authorization: Basic ")
          .append(
              random.nextInt(10) == 0
                  ? randomText(random, 20)
                  : java.util.Base64.getEncoder().encodeToString("root:".getBytes()))
          .append("\r\n");
    }
    String[][] loadHeaders = {
      {"column_separator", ",", "", "\\x", "\\xZZ", "||||||||||||||||||||||||||||||||||||"},
      {"columns", "k,v,d", "k,,", "k=nonsense(", "a,b,c,d,e,f", "k,v,d,k"},
      {"format", "csv", "json", "xml", "parquet", ""},
      {"max_filter_ratio", "0", "1.5", "-1", "abc", "NaN"},
      {"timeout", "10", "-1", "0", "99999999999999999999", "x"},
      {"two_phase_commit", "true", "maybe", ""},
      {"label", "l" + random.nextInt(), "", "a/b", "x".repeat(300)},
      {"strict_mode", "true", "sometimes"},
      {"jsonpaths", "[\"$.k\"]", "[", "{}"},
      {"where", "k > 0", "k >", "SLEEP(10)", "1 = 1 OR"},
      {"merge_type", "APPEND", "DELETE", "MERGE", "UPSERT"},
      {"txn_operation", "commit", "abort", "explode"},
      {"txn_id", "1", "-5", "abc"},
      {"Expect", "100-continue", "nothing"},
    };
    for (String[] header : loadHeaders) {
      if (random.nextInt(3) == 0) {
        head.append(header[0]).append(": ").append(header[1 + random.nextInt(header.length - 1)]);
        head.append("\r\n");
      }
    }
    if (random.nextInt(12) == 0) { // a huge header
      head.append("X-Huge: ")
          .append("h".repeat(64 * 1024 + random.nextInt(200_000)))
          .append("\r\n");
    }
    if (random.nextInt(10) == 0) { // a header line without a colon, or with a bare LF
      head.append(random.nextBoolean() ? "NoColonHere\r\n" : "X-Bad: a\nb\r\n");
    }
    byte[] body =
        (random.nextBoolean() ? "1,one,1.5\n2,two,2.5\n" : randomText(random, random.nextInt(80)))
            .getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int framing = random.nextInt(4);
    if (framing == 0) { // chunked, possibly broken
      head.append("Transfer-Encoding: chunked\r\n\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      String size =
          switch (random.nextInt(5)) {
            case 0 -> "zz";
            case 1 -> "FFFFFFFFFFFFFFFF";
            case 2 -> Integer.toHexString(body.length + 10);
            default -> Integer.toHexString(body.length);
          };
      out.writeBytes((size + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(body);
      if (random.nextBoolean()) {
        out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      }
    } else if (framing == 1) { // a Content-Length that lies
      int length =
          random.nextBoolean()
              ? body.length + 1 + random.nextInt(50)
              : random.nextInt(1 + body.length);
      head.append("Content-Length: ").append(length).append("\r\n\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(body);
    } else if (framing == 2) { // a truncated request head
      byte[] bytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
      out.writeBytes(Arrays.copyOf(bytes, random.nextInt(bytes.length)));
    } else {
      head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  // ------------------------------------------------------------------ segment files

  @Test
  void corruptSegmentFilesFailTheQueryNamingTheFileAndNeverAnswerWrongly() throws Exception {
    List<Path> before = segmentFiles();
    try (Connection connection = jdbc();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE hostile.seg (k INT, s VARCHAR(20), x DOUBLE) DUPLICATE KEY(k)"
              + " DISTRIBUTED BY HASH(k) BUCKETS 1");
      StringBuilder insert = new StringBuilder("INSERT INTO hostile.seg VALUES ");
      for (int i = 0; i < 2_000; i++) {
        insert.append(i == 0 ? "" : ", ").append("(").append(i).append(", 's").append(i % 97);
        insert.append("', ").append(i * 0.5).append(")");
      }
      statement.execute(insert.toString());
    }
    List<Path> written = new ArrayList<>(segmentFiles());
    written.removeAll(before);
    assertThat(written).as("the new table's one segment file").hasSize(1);
    Path segment = written.get(0);
    byte[] original = Files.readAllBytes(segment);
    String query = "SELECT COUNT(*), SUM(k), COUNT(DISTINCT s), SUM(x) FROM hostile.seg";
    String expected;
    try (Connection connection = jdbc()) {
      expected = answer(connection, query);
    }
    Random random = new Random(SEED + 3);
    int inputs = 200 * SCALE;
    List<String> failures = new ArrayList<>();
    int detected = 0;
    try {
      for (int input = 0; input < inputs; input++) {
        byte[] damaged = original.clone();
        String how;
        if (random.nextInt(4) == 0) {
          int length = random.nextInt(original.length);
          damaged = Arrays.copyOf(original, length);
          how = "truncated to " + length;
        } else {
          int flips = 1 + random.nextInt(3);
          StringBuilder where = new StringBuilder("bits flipped at");
          for (int f = 0; f < flips; f++) {
            int position = random.nextInt(damaged.length);
            damaged[position] ^= (byte) (1 << random.nextInt(8));
            where.append(' ').append(position);
          }
          how = where.toString();
        }
        Files.write(segment, damaged);
        // A fresh connection each time; the server's caches (footers, decoded pages) may still hold
        // good ones, which then give the right answer. Every tenth input is queried on a restarted
        // server, whose empty caches make it read the damaged bytes.
        if (input % 10 == 9) {
          server.restart();
        }
        try (Connection connection = jdbc()) {
          String got = answer(connection, query);
          if (!got.equals(expected)) {
            failures.add(how + ": wrong answer " + got + " instead of " + expected);
          }
        } catch (SQLException e) {
          if (e.getErrorCode() == INTERNAL_ERROR
              || !e.getMessage().contains(segment.getFileName().toString())) {
            failures.add(how + ": " + e.getErrorCode() + " " + e.getMessage());
          }
          detected++;
        }
        if (input % 50 == 49) {
          assertStillServing("segment input " + input);
        }
      }
    } finally {
      Files.write(segment, original);
    }
    assertThat(failures).as("seed " + SEED + ", file " + segment).isEmpty();
    System.out.println(
        "segment inputs (seed " + SEED + "): " + inputs + ", " + detected + " detected");
    assertThat(detected).as("damage detected at least sometimes").isPositive();
  }

  private static List<Path> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.walk(server.dataDirectory())) {
      return files.filter(path -> path.toString().endsWith(".bsg")).toList();
    }
  }

  private static String answer(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      StringBuilder text = new StringBuilder();
      while (rows.next()) {
        for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
          text.append(rows.getString(i)).append('|');
        }
      }
      return text.toString();
    }
  }

  // ------------------------------------------------------------------ helpers

  /** Truncates, flips, inserts or replaces bytes of {@code valid}; at most {@code maxLength}. */
  private static byte[] mutate(Random random, byte[] valid, int maxLength) {
    byte[] bytes = valid.clone();
    switch (random.nextInt(5)) {
      case 0 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
      case 1 -> {
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips && bytes.length > 0; i++) {
          bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 2 -> {
        for (int i = 0; i < 1 + random.nextInt(3) && bytes.length > 0; i++) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
      }
      case 3 -> bytes = randomBytes(random, random.nextInt(maxLength));
      default -> {
        int at = random.nextInt(bytes.length + 1);
        byte[] inserted = randomBytes(random, 1 + random.nextInt(16));
        byte[] longer = new byte[bytes.length + inserted.length];
        System.arraycopy(bytes, 0, longer, 0, at);
        System.arraycopy(inserted, 0, longer, at, inserted.length);
        System.arraycopy(bytes, at, longer, at + inserted.length, bytes.length - at);
        bytes = longer;
      }
    }
    return bytes.length > maxLength ? Arrays.copyOf(bytes, maxLength) : bytes;
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static String randomText(Random random, int length) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      text.append((char) (33 + random.nextInt(94)));
    }
    return text.toString().replace(" ", "");
  }

  private static byte[] frame(byte[] payload, int sequence) {
    byte[] packet = new byte[payload.length + 4];
    packet[0] = (byte) payload.length;
    packet[1] = (byte) (payload.length >>> 8);
    packet[2] = (byte) (payload.length >>> 16);
    packet[3] = (byte) sequence;
    System.arraycopy(payload, 0, packet, 4, payload.length);
    return packet;
  }

  private static void writeInt4(ByteArrayOutputStream out, long value) {
    for (int i = 0; i < 4; i++) {
      out.write((int) (value >>> (8 * i)) & 0xFF);
    }
  }

  private static int errorCode(byte[] packet) {
    return (packet[1] & 0xFF) | (packet[2] & 0xFF) << 8;
  }

  private static String hex(byte[] bytes) {
    return java.util.HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 64))
        + (bytes.length > 64 ? "..." : "");
  }

  private static String shown(byte[] request) {
    String text =
        new String(request, 0, Math.min(request.length, 300), StandardCharsets.ISO_8859_1);
    return text.replace("\r\n", "\\r\\n");
  }

  /** A raw MySQL protocol connection: packets in, packets out. */
  private static final class PacketClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int lastSequence;

    /** How the last exchange ended: "OK", "ERR 1064", "result set", "closed" ... */
    String outcome = "";

    PacketClient(int port) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(10_000);
      in = new DataInputStream(socket.getInputStream());
      out = socket.getOutputStream();
    }

    int nextSequence() {
      return (lastSequence + 1) & 0xFF;
    }

    void writePacket(byte[] payload, int sequence) throws IOException {
      out.write(frame(payload, sequence));
      out.flush();
    }

    void writeRaw(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    byte[] readPacket() throws IOException {
      int b0 = in.readUnsignedByte();
      int length = b0 | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
      lastSequence = in.readUnsignedByte();
      byte[] payload = new byte[length];
      in.readFully(payload);
      return payload;
    }

    /**
     * After a handshake response: the server must answer OK, ERR (not 1815) or an auth switch /
     * more-data request; null when it did (a close is recorded as such), else the problem.
     */
    String expectCleanEnd() {
      outcome = "";
      try {
        byte[] packet = readPacket();
        if (packet.length > 0 && (packet[0] & 0xFF) == 0xFF) {
          int code = errorCode(packet);
          outcome = "ERR " + code;
          return code == INTERNAL_ERROR ? "internal error: " + text(packet) : null;
        }
        // OK, or an auth switch / more-data request the client leaves unanswered.
        outcome = packet.length > 0 && packet[0] == 0 ? "OK" : "more";
        return null;
      } catch (EOFException | java.net.SocketException closed) {
        if (outcome.isEmpty()) {
          outcome = "closed";
        }
        return null;
      } catch (SocketTimeoutException hung) {
        return "no answer and no close within 10 s";
      } catch (IOException e) {
        return null;
      }
    }

    /**
     * Reads one command's complete answer: OK, ERR (not 1815), EOF, or a result set / prepare
     * answer up to its end. Null when clean, else the problem ("closed ..." when the server closed
     * the connection).
     */
    String expectAnswers(int command) {
      outcome = "answered";
      try {
        if (command == 0x01) { // COM_QUIT: no answer
          return null;
        }
        if (command == 0x18 || command == 0x19) {
          // SEND_LONG_DATA and STMT_CLOSE have no answer (an ERR only when the packet is
          // malformed): a PING after it tells where the answers end.
          writePacket(new byte[] {0x0E}, 0);
          while (true) {
            byte[] packet = readPacket();
            if (packet.length > 0 && (packet[0] & 0xFF) == 0xFF) {
              if (errorCode(packet) == INTERNAL_ERROR) {
                return "internal error: " + text(packet);
              }
              continue;
            }
            return null; // the PING's OK
          }
        }
        byte[] first = readPacket();
        if (command == 0x09) { // COM_STATISTICS: one text packet
          return null;
        }
        if (command == 0x04 && first.length > 0 && (first[0] & 0xFF) != 0xFF) {
          // COM_FIELD_LIST: column definitions up to EOF, no count first.
          if ((first[0] & 0xFF) == 0xFE && first.length < 9) {
            return null;
          }
          skipDefinitions();
          return null;
        }
        return finishAnswer(first);
      } catch (EOFException | java.net.SocketException closed) {
        return "closed by the server";
      } catch (SocketTimeoutException hung) {
        return "no answer within 10 s";
      } catch (IOException e) {
        return "read failed: " + e;
      }
    }

    String expectAnswersAfterPrepareOk(byte[] ok) throws IOException {
      int columns = (ok[5] & 0xFF) | (ok[6] & 0xFF) << 8;
      int parameters = (ok[7] & 0xFF) | (ok[8] & 0xFF) << 8;
      if (parameters > 0) {
        skipDefinitions();
      }
      if (columns > 0) {
        skipDefinitions();
      }
      return null;
    }

    private String finishAnswer(byte[] first) throws IOException {
      if (first.length == 0) {
        return "an empty packet as answer";
      }
      int head = first[0] & 0xFF;
      if (head == 0xFF) {
        int code = errorCode(first);
        outcome = "ERR " + code;
        return code == INTERNAL_ERROR ? "internal error: " + text(first) : null;
      }
      outcome = head == 0x00 ? "OK" : head == 0xFE ? "EOF" : "result set";
      if (head == 0x00 || head == 0xFE) {
        if (head == 0x00 && first.length >= 12 && lastSequence == 1 && isPrepareOk(first)) {
          return expectAnswersAfterPrepareOk(first);
        }
        return null; // OK or EOF
      }
      // A result set: column definitions, EOF, rows up to EOF/ERR.
      skipDefinitions();
      while (true) {
        byte[] row = readPacket();
        int rowHead = row.length == 0 ? -1 : row[0] & 0xFF;
        if (rowHead == 0xFE && row.length < 0xFFFFFF) {
          return null;
        }
        if (rowHead == 0xFF) {
          int code = errorCode(row);
          return code == INTERNAL_ERROR ? "internal error: " + text(row) : null;
        }
      }
    }

    /** A COM_STMT_PREPARE OK: status 0, id, column and parameter counts, filler 0. */
    private static boolean isPrepareOk(byte[] packet) {
      return packet.length == 12 && packet[9] == 0;
    }

    private void skipDefinitions() throws IOException {
      while (true) {
        byte[] packet = readPacket();
        if (packet.length > 0 && (packet[0] & 0xFF) == 0xFE && packet.length < 9) {
          return;
        }
      }
    }

    private static String text(byte[] error) {
      return new String(error, 9, Math.max(0, error.length - 9), StandardCharsets.UTF_8);
    }

    boolean closedByServer() {
      try {
        if (in.available() > 0) {
          return false;
        }
        socket.setSoTimeout(1);
        try {
          int next = in.read();
          return next < 0;
        } catch (SocketTimeoutException open) {
          return false;
        } finally {
          socket.setSoTimeout(10_000);
        }
      } catch (IOException e) {
        return true;
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
