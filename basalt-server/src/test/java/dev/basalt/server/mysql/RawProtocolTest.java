package dev.basalt.server.mysql;

import static dev.basalt.server.mysql.MysqlProtocol.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.server.session.Session;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Protocol details checked byte by byte with {@link RawClient}. */
class RawProtocolTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = new TestServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static RawClient loggedIn() throws Exception {
    RawClient client = new RawClient(server.port());
    byte[] reply = client.login("root", "", null, NATIVE_PASSWORD_PLUGIN);
    assertThat(reply[0]).as("login OK").isEqualTo((byte) 0);
    return client;
  }

  @Test
  void handshakeLooksLikeDoris() throws Exception {
    try (RawClient client = new RawClient(server.port())) {
      client.login("root", "", null, NATIVE_PASSWORD_PLUGIN);
      PayloadReader handshake = new PayloadReader(client.handshake);
      assertThat(handshake.readByte()).isEqualTo(10);
      assertThat(handshake.readNullTerminatedString()).isEqualTo("5.7.99");
      assertThat(handshake.readInt4()).isPositive();
      handshake.skip(8);
      assertThat(handshake.readByte()).isZero();
      int capabilities = handshake.readInt2();
      assertThat(handshake.readByte()).isEqualTo(CHARSET_UTF8_GENERAL_CI);
      assertThat(handshake.readInt2()).as("status flags").isZero();
      capabilities |= handshake.readInt2() << 16;
      assertThat(handshake.readByte()).isEqualTo(21);
      handshake.skip(10 + 12);
      assertThat(handshake.readByte()).isZero();
      assertThat(handshake.readNullTerminatedString()).isEqualTo(NATIVE_PASSWORD_PLUGIN);
      assertThat(capabilities & CLIENT_PROTOCOL_41).isNotZero();
      assertThat(capabilities & CLIENT_PLUGIN_AUTH).isNotZero();
      assertThat(capabilities & CLIENT_SSL).isZero();
      assertThat(capabilities & CLIENT_DEPRECATE_EOF).isZero();
    }
  }

  @Test
  void anotherPluginGetsAnAuthSwitchRequestAndThePasswordIsVerified() throws Exception {
    try (RawClient client = new RawClient(server.port())) {
      byte[] reply =
          client.login(
              FakeAuthenticator.PASSWORD_USER,
              FakeAuthenticator.PASSWORD,
              null,
              "caching_sha2_password");
      assertThat(reply[0]).isEqualTo((byte) 0);
      assertThat(client.lastSequenceId()).isEqualTo(4);
    }
    try (RawClient client = new RawClient(server.port())) {
      byte[] reply =
          client.login(FakeAuthenticator.PASSWORD_USER, "wrong", null, "caching_sha2_password");
      assertThat(RawClient.errorCode(reply)).isEqualTo(1045);
      assertThat(RawClient.errorMessage(reply))
          .isEqualTo("Access denied for user 'alice'@'127.0.0.1' (using password: YES)");
      assertThat(new String(reply, 3, 6, StandardCharsets.US_ASCII)).isEqualTo("#28000");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  /**
   * caching_sha2_password byte by byte: without a cache entry the server asks for the full
   * authentication (01 04), sends its RSA public key on request (02) and accepts the encrypted
   * password; the next login with the same password takes the fast path (01 03, then OK); a wrong
   * scramble answer falls back to the full authentication and fails there with 1045.
   */
  @Test
  void cachingSha2FullThenFastAuthentication() throws Exception {
    String user = FakeAuthenticator.SHA2_USER;
    String password = FakeAuthenticator.PASSWORD;
    try (RawClient client = new RawClient(server.port())) {
      byte[] reply = client.login(user, password, null, CachingSha2Password.PLUGIN);
      assertThat(reply).containsExactly(0x01, 0x04);
      client.writePacket(new byte[] {0x02});
      byte[] key = client.readPacket();
      assertThat(key[0]).isEqualTo((byte) 0x01);
      String pem = new String(key, 1, key.length - 1, StandardCharsets.US_ASCII);
      assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----");
      client.writePacket(encrypt(pem, password, RawClient.scramble(client.handshake)));
      assertThat(client.readPacket()[0]).as("OK after full authentication").isEqualTo((byte) 0);
    }
    try (RawClient client = new RawClient(server.port())) {
      byte[] reply = client.login(user, password, null, CachingSha2Password.PLUGIN);
      assertThat(reply).containsExactly(0x01, 0x03);
      assertThat(client.readPacket()[0]).as("OK after fast authentication").isEqualTo((byte) 0);
    }
    try (RawClient client = new RawClient(server.port())) {
      byte[] reply = client.login(user, "wrong", null, CachingSha2Password.PLUGIN);
      assertThat(reply).containsExactly(0x01, 0x04);
      client.writePacket(new byte[] {0x02});
      assertThat(client.readPacket()[0]).as("the key").isEqualTo((byte) 0x01);
      // A clear password over plain TCP is refused like a wrong one.
      client.writePacket("wrong\0".getBytes(StandardCharsets.UTF_8));
      assertThat(RawClient.errorCode(client.readPacket())).isEqualTo(1045);
    }
    // A native-password first answer is switched to the account's plugin.
    try (RawClient client = new RawClient(server.port())) {
      byte[] reply = client.login(user, password, null, NATIVE_PASSWORD_PLUGIN);
      assertThat(reply).containsExactly(0x01, 0x04); // the native token fails the fast path
    }
  }

  private static byte[] encrypt(String pem, String password, byte[] scramble) throws Exception {
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    java.security.PublicKey key =
        java.security.KeyFactory.getInstance("RSA")
            .generatePublic(
                new java.security.spec.X509EncodedKeySpec(
                    java.util.Base64.getDecoder().decode(body)));
    byte[] plain = (password + "\0").getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < plain.length; i++) {
      plain[i] ^= scramble[i % scramble.length];
    }
    javax.crypto.Cipher cipher =
        javax.crypto.Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
    cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, key);
    return cipher.doFinal(plain);
  }

  @Test
  void unknownDatabaseAtConnectFailsTheLogin() throws Exception {
    try (RawClient client = new RawClient(server.port())) {
      byte[] reply = client.login("root", "", "nosuchdb", NATIVE_PASSWORD_PLUGIN);
      assertThat(RawClient.errorCode(reply)).isEqualTo(1049);
      assertThat(RawClient.errorMessage(reply)).isEqualTo("Unknown database 'nosuchdb'");
      assertThat(client.closedByServer()).isTrue();
    }
  }

  @Test
  void unsupportedCommandsGetErr1047AndTheConnectionStaysUsable() throws Exception {
    try (RawClient client = loggedIn()) {
      client.command(new byte[] {0x0a});
      byte[] reply = client.readPacket();
      assertThat(RawClient.errorCode(reply)).isEqualTo(1047);
      assertThat(RawClient.errorMessage(reply)).isEqualTo("Unsupported command(COM_PROCESS_INFO)");
      client.command(new byte[] {(byte) COM_PING});
      assertThat(client.readPacket()[0]).isZero();
      assertThat(client.lastSequenceId()).isEqualTo(1);
    }
  }

  @Test
  void statisticsAnswerWithMysqlsOneLineSummary() throws Exception {
    try (RawClient client = loggedIn()) {
      client.command(new byte[] {(byte) COM_STATISTICS});
      String text = new String(client.readPacket(), StandardCharsets.UTF_8);
      assertThat(text)
          .matches(
              "Uptime: \\d+  Threads: \\d+  Questions: \\d+  Slow queries: 0  Opens: 0  Flush"
                  + " tables: 0  Open tables: 0  Queries per second avg: \\d+\\.\\d{3}");
    }
  }

  @Test
  void resetConnectionStartsAFreshSessionInTheSameDatabase() throws Exception {
    try (RawClient client = loggedIn()) {
      client.command(COM_INIT_DB, "sales");
      assertThat(client.readPacket()[0]).isZero();
      Session before = onlySessionOf(client);
      before.userVariables().put("x", 1L);
      client.command(new byte[] {(byte) COM_RESET_CONNECTION});
      assertThat(client.readPacket()[0]).as("OK").isZero();
      Session after = onlySessionOf(client);
      assertThat(after).isNotSameAs(before);
      assertThat(after.userVariables()).isEmpty();
      assertThat(after.currentDatabase()).isEqualTo("sales");
      assertThat(server.handler.closedSessions).contains(before);
    }
  }

  private static Session onlySessionOf(RawClient client) {
    long connectionId = RawClient.connectionId(client.handshake);
    return server.sessions.sessions().stream()
        .filter(session -> session.connectionId() == connectionId)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void initDbRunsUseAndReportsItsError() throws Exception {
    try (RawClient client = loggedIn()) {
      client.command(COM_INIT_DB, "shop");
      assertThat(client.readPacket()[0]).isZero();
      assertThat(server.handler.statements).contains("USE `shop`");
      client.command(COM_INIT_DB, "nosuchdb");
      assertThat(RawClient.errorCode(client.readPacket())).isEqualTo(1049);
    }
  }

  @Test
  void fieldListAnswersColumnDefinitionsFromShowFullColumns() throws Exception {
    try (RawClient client = loggedIn()) {
      client.command(COM_FIELD_LIST, "items\0");
      List<String> names = new ArrayList<>();
      List<Integer> types = new ArrayList<>();
      byte[] packet;
      while ((packet = client.readPacket())[0] != (byte) 0xFE) {
        PayloadReader definition = new PayloadReader(packet);
        assertThat(definition.readLengthEncodedString()).isEqualTo("def");
        definition.readLengthEncodedString();
        assertThat(definition.readLengthEncodedString()).isEqualTo("items");
        definition.readLengthEncodedString();
        names.add(definition.readLengthEncodedString());
        definition.readLengthEncodedString();
        definition.readLengthEncodedInt();
        definition.readInt2();
        definition.readInt4();
        types.add(definition.readByte());
      }
      assertThat(server.handler.statements).contains("SHOW FULL COLUMNS FROM `items`");
      assertThat(names).containsExactly("id", "name", "price");
      assertThat(types).containsExactly(TYPE_LONGLONG, TYPE_VAR_STRING, TYPE_NEWDECIMAL);
    }
  }

  @Test
  void preparedStatementWithLongDataAndRememberedTypes() throws Exception {
    try (RawClient client = loggedIn()) {
      client.command(COM_STMT_PREPARE, "SELECT echo(?, '?', ?)");
      PayloadReader prepared = new PayloadReader(client.readPacket());
      assertThat(prepared.readByte()).isZero();
      long id = prepared.readInt4();
      assertThat(prepared.readInt2()).as("columns").isZero();
      assertThat(prepared.readInt2()).as("parameters").isEqualTo(2);
      client.readPacket();
      client.readPacket();
      assertThat(client.readPacket()[0]).as("EOF after parameters").isEqualTo((byte) 0xFE);

      ByteArrayOutputStream longData = new ByteArrayOutputStream();
      longData.write(COM_STMT_SEND_LONG_DATA);
      RawClient.writeInt4(longData, id);
      longData.write(0);
      longData.write(0);
      longData.writeBytes("long 'data'".getBytes(StandardCharsets.UTF_8));
      client.command(longData.toByteArray());

      ByteArrayOutputStream execute = new ByteArrayOutputStream();
      execute.write(COM_STMT_EXECUTE);
      RawClient.writeInt4(execute, id);
      execute.write(0);
      RawClient.writeInt4(execute, 1);
      execute.write(0); // null bitmap
      execute.write(1); // types follow
      execute.write(TYPE_BLOB);
      execute.write(0);
      execute.write(TYPE_LONGLONG);
      execute.write(0x80); // unsigned
      for (int i = 0; i < 8; i++) {
        execute.write(0xFF);
      }
      client.command(execute.toByteArray());
      assertThat(readBinaryEcho(client))
          .isEqualTo("SELECT echo('long ''data''', '?', 18446744073709551615)");

      // Second execute: no types sent (remembered), long data was cleared, first parameter NULL.
      ByteArrayOutputStream again = new ByteArrayOutputStream();
      again.write(COM_STMT_EXECUTE);
      RawClient.writeInt4(again, id);
      again.write(0);
      RawClient.writeInt4(again, 1);
      again.write(0b01);
      again.write(0);
      for (int i = 0; i < 8; i++) {
        again.write(i == 0 ? 7 : 0);
      }
      client.command(again.toByteArray());
      assertThat(readBinaryEcho(client)).isEqualTo("SELECT echo(NULL, '?', 7)");

      ByteArrayOutputStream close = new ByteArrayOutputStream();
      close.write(COM_STMT_CLOSE);
      RawClient.writeInt4(close, id);
      client.command(close.toByteArray());
      client.command(again.toByteArray());
      byte[] error = client.readPacket();
      assertThat(RawClient.errorCode(error)).isEqualTo(1243);
      assertThat(RawClient.errorMessage(error))
          .isEqualTo(
              "Unknown prepared statement handler (" + id + ") given to mysqld_stmt_execute");
    }
  }

  /**
   * MariaDB's COM_STMT_BULK_EXECUTE: the handshake announces it (no CLIENT_LONG_PASSWORD, the bulk
   * bit in MariaDB's extended capabilities); an UPDATE runs once per parameter set (types sent
   * once, NULL by indicator) and one OK sums the affected rows; a values INSERT that the engine
   * cannot take as rows becomes one statement with a VALUES row per set; a DEFAULT indicator and a
   * packet cut inside a set get clear errors, and the connection keeps serving.
   */
  @Test
  void bulkExecuteRunsEveryParameterSet() throws Exception {
    try (RawClient client = loggedIn()) {
      PayloadReader handshake = new PayloadReader(client.handshake);
      handshake.readByte();
      handshake.readNullTerminatedString();
      handshake.skip(4 + 8 + 1);
      assertThat(handshake.readInt2() & CLIENT_LONG_PASSWORD).isZero();
      handshake.skip(1 + 2 + 2 + 1 + 6);
      assertThat(handshake.readInt4() & MARIADB_STMT_BULK_OPERATIONS).isNotZero();

      long update = prepare(client, "UPDATE t SET a = ? WHERE b = ?", 2);
      ByteArrayOutputStream bulk = bulkHeader(update, true, TYPE_LONGLONG, TYPE_VAR_STRING);
      for (int set = 0; set < 3; set++) {
        bulk.write(BULK_VALUE);
        writeLong(bulk, 10 + set);
        if (set == 1) {
          bulk.write(BULK_NULL);
        } else {
          bulk.write(BULK_VALUE);
          bulk.write(1);
          bulk.write('x' + set);
        }
      }
      server.handler.statements.clear();
      client.command(bulk.toByteArray());
      PayloadReader ok = new PayloadReader(client.readPacket());
      assertThat(ok.readByte()).isZero();
      assertThat(ok.readLengthEncodedInt()).as("affected rows, summed").isEqualTo(3);
      assertThat(server.handler.statements)
          .containsExactly(
              "UPDATE t SET a = 10 WHERE b = 'x'",
              "UPDATE t SET a = 11 WHERE b = NULL",
              "UPDATE t SET a = 12 WHERE b = 'z'");

      long insert = prepare(client, "INSERT INTO t2 (k, v) VALUES (?, ?);", 2);
      ByteArrayOutputStream first = bulkHeader(insert, true, TYPE_LONGLONG, TYPE_VAR_STRING);
      first.write(BULK_VALUE);
      writeLong(first, 1);
      first.write(BULK_NULL);
      server.handler.statements.clear();
      client.command(first.toByteArray());
      assertThat(client.readPacket()[0]).isZero();
      // Types are remembered when a later packet does not send them.
      ByteArrayOutputStream second = bulkHeader(insert, false);
      for (int k = 2; k <= 3; k++) {
        second.write(BULK_VALUE);
        writeLong(second, k);
        second.write(BULK_VALUE);
        second.write(2);
        second.writeBytes("é".getBytes(StandardCharsets.UTF_8));
      }
      client.command(second.toByteArray());
      assertThat(client.readPacket()[0]).isZero();
      assertThat(server.handler.statements)
          .containsExactly(
              "INSERT INTO t2 (k, v) VALUES (1, NULL);",
              "INSERT INTO t2 (k, v) VALUES (2, 'é'), (3, 'é');");

      ByteArrayOutputStream withDefault = bulkHeader(insert, false);
      withDefault.write(BULK_VALUE);
      writeLong(withDefault, 4);
      withDefault.write(BULK_DEFAULT);
      client.command(withDefault.toByteArray());
      byte[] error = client.readPacket();
      assertThat(RawClient.errorCode(error)).isEqualTo(1235);
      assertThat(RawClient.errorMessage(error)).contains("DEFAULT and IGNORE indicators");

      ByteArrayOutputStream cut = bulkHeader(insert, false);
      cut.write(BULK_VALUE);
      writeLong(cut, 5);
      cut.write(BULK_VALUE);
      cut.write(9); // nine bytes announced, none sent
      client.command(cut.toByteArray());
      assertThat(RawClient.errorMessage(client.readPacket()))
          .startsWith("Malformed communication packet");
      assertThat(server.handler.statements).hasSize(2);

      client.command(COM_PING, "");
      assertThat(client.readPacket()[0]).as("still serving").isZero();
    }
  }

  /**
   * MariaDB's drivers pipeline an execute (statement id -1, "the statement prepared last") behind
   * its prepare: after a prepare that fails, -1 names no statement, so the execute and the bulk
   * execute fail with 1243 instead of running the statement prepared before; long data sent with -1
   * reaches the statement prepared last.
   */
  @Test
  void statementIdMinusOneIsThePrepareJustBefore() throws Exception {
    try (RawClient client = loggedIn()) {
      prepare(client, "UPDATE t SET a = ? WHERE b = ?", 2);
      String rows = "(?, ?, ?, ?), ".repeat(16_384);
      client.command(COM_STMT_PREPARE, "INSERT INTO t VALUES " + rows + "(?)");
      assertThat(RawClient.errorCode(client.readPacket())).isEqualTo(1390);
      ByteArrayOutputStream bulk = bulkHeader(0xFFFFFFFFL, true, TYPE_LONGLONG, TYPE_LONGLONG);
      for (int i = 0; i < 2; i++) {
        bulk.write(BULK_VALUE);
        writeLong(bulk, 1);
      }
      server.handler.statements.clear();
      client.command(bulk.toByteArray());
      assertThat(RawClient.errorCode(client.readPacket())).isEqualTo(1243);
      ByteArrayOutputStream execute = new ByteArrayOutputStream();
      execute.write(COM_STMT_EXECUTE);
      RawClient.writeInt4(execute, 0xFFFFFFFFL);
      execute.write(0);
      RawClient.writeInt4(execute, 1);
      execute.write(0b11); // both parameters NULL
      execute.write(0);
      client.command(execute.toByteArray());
      assertThat(RawClient.errorCode(client.readPacket())).isEqualTo(1243);
      assertThat(server.handler.statements).isEmpty();

      prepare(client, "SELECT echo(?, '?', ?)", 2);
      ByteArrayOutputStream longData = new ByteArrayOutputStream();
      longData.write(COM_STMT_SEND_LONG_DATA);
      RawClient.writeInt4(longData, 0xFFFFFFFFL);
      longData.write(0);
      longData.write(0);
      longData.writeBytes("streamed".getBytes(StandardCharsets.UTF_8));
      client.command(longData.toByteArray());
      ByteArrayOutputStream withLongData = new ByteArrayOutputStream();
      withLongData.write(COM_STMT_EXECUTE);
      RawClient.writeInt4(withLongData, 0xFFFFFFFFL);
      withLongData.write(0);
      RawClient.writeInt4(withLongData, 1);
      withLongData.write(0b10); // the second parameter NULL
      withLongData.write(1);
      withLongData.write(TYPE_BLOB);
      withLongData.write(0);
      withLongData.write(TYPE_LONGLONG);
      withLongData.write(0);
      client.command(withLongData.toByteArray());
      assertThat(readBinaryEcho(client)).isEqualTo("SELECT echo('streamed', '?', NULL)");
    }
  }

  /** A prepare answer counts placeholders in two bytes: more are refused, as MySQL does. */
  @Test
  void morePlaceholdersThanAPrepareAnswerCountsAreRefused() throws Exception {
    try (RawClient client = loggedIn()) {
      String rows = "(?, ?, ?, ?), ".repeat(16_383); // 65,532 placeholders
      client.command(COM_STMT_PREPARE, "INSERT INTO t VALUES " + rows + "(?, ?, ?, ?)");
      byte[] error = client.readPacket();
      assertThat(RawClient.errorCode(error)).isEqualTo(1390);
      assertThat(RawClient.errorMessage(error))
          .isEqualTo("Prepared statement contains too many placeholders");
      prepare(client, "INSERT INTO t VALUES " + rows + "(?, ?, ?)", 65_535);
    }
  }

  /** Prepares {@code sql} and reads the answer; returns the statement id. */
  private static long prepare(RawClient client, String sql, int parameters) throws Exception {
    client.command(COM_STMT_PREPARE, sql);
    PayloadReader prepared = new PayloadReader(client.readPacket());
    assertThat(prepared.readByte()).isZero();
    long id = prepared.readInt4();
    assertThat(prepared.readInt2()).as("columns").isZero();
    assertThat(prepared.readInt2()).as("parameters").isEqualTo(parameters);
    for (int i = 0; i < parameters; i++) {
      client.readPacket();
    }
    assertThat(client.readPacket()[0]).as("EOF after parameters").isEqualTo((byte) 0xFE);
    return id;
  }

  /** A COM_STMT_BULK_EXECUTE's head: the statement, its flags and (when sent) the types. */
  private static ByteArrayOutputStream bulkHeader(long statement, boolean sendTypes, int... types) {
    ByteArrayOutputStream bulk = new ByteArrayOutputStream();
    bulk.write(COM_STMT_BULK_EXECUTE);
    RawClient.writeInt4(bulk, statement);
    bulk.write(sendTypes ? BULK_SEND_TYPES_TO_SERVER : 0);
    bulk.write(0);
    for (int type : types) {
      bulk.write(type);
      bulk.write(0);
    }
    return bulk;
  }

  private static void writeLong(ByteArrayOutputStream out, long value) {
    for (int i = 0; i < 8; i++) {
      out.write((int) (value >>> (8 * i)));
    }
  }

  /** Reads a one-column binary result set and returns its single string value. */
  private static String readBinaryEcho(RawClient client) throws Exception {
    byte[] columnCount = client.readPacket();
    assertThat(columnCount).containsExactly(1);
    client.readPacket();
    assertThat(client.readPacket()[0]).isEqualTo((byte) 0xFE);
    PayloadReader row = new PayloadReader(client.readPacket());
    assertThat(row.readByte()).isZero();
    assertThat(row.readByte()).as("null bitmap").isZero();
    String value = row.readLengthEncodedString();
    byte[] eof = client.readPacket();
    assertThat(eof[0]).isEqualTo((byte) 0xFE);
    return value;
  }

  @Test
  void multipleResultsAreFlaggedForClientsThatSupportThem() throws Exception {
    try (RawClient client = loggedIn()) {
      client.command(COM_QUERY, "MULTI SET a = 1; SELECT 5");
      PayloadReader ok = new PayloadReader(client.readPacket());
      assertThat(ok.readByte()).isZero();
      ok.readLengthEncodedInt();
      ok.readLengthEncodedInt();
      assertThat(ok.readInt2()).isEqualTo(SERVER_STATUS_AUTOCOMMIT | SERVER_MORE_RESULTS_EXISTS);
      assertThat(client.readPacket()).containsExactly(1);
      client.readPacket();
      client.readPacket();
      PayloadReader row = new PayloadReader(client.readPacket());
      assertThat(row.readLengthEncodedString()).isEqualTo("5");
      PayloadReader eof = new PayloadReader(client.readPacket());
      assertThat(eof.readByte()).isEqualTo(0xFE);
      eof.readInt2();
      assertThat(eof.readInt2()).isEqualTo(SERVER_STATUS_AUTOCOMMIT);
    }
  }

  @Test
  void answersKeepTheirOrderWhenTheClientReadsLate() throws Exception {
    // A small receive window and commands sent before any answer is read: the large result fills
    // the socket, so the worker's own write is partial and the rest waits in Netty while the next
    // commands are answered (docs/benchmarks.md, "answers without an event-loop wake-up"). Every
    // byte must still arrive, in order.
    try (RawClient client = new RawClient(server.port(), 4096)) {
      assertThat(client.login("root", "", null, NATIVE_PASSWORD_PLUGIN)[0]).isZero();
      for (int round = 0; round < 3; round++) {
        client.command(COM_QUERY, "SELECT many_rows");
        client.command(new byte[] {(byte) COM_PING});
        client.command(COM_QUERY, "SELECT 42");
        Thread.sleep(200);
        assertThat(client.readPacket()).containsExactly(2);
        client.readPacket();
        client.readPacket();
        assertThat(client.readPacket()[0]).isEqualTo((byte) 0xFE);
        for (int row = 0; row < 20_000; row++) {
          PayloadReader reader = new PayloadReader(client.readPacket());
          assertThat(new String(reader.readLengthEncodedBytes(), StandardCharsets.UTF_8))
              .isEqualTo(Integer.toString(row));
          assertThat(new String(reader.readLengthEncodedBytes(), StandardCharsets.UTF_8))
              .isEqualTo("row number " + row);
        }
        assertThat(client.readPacket()[0]).isEqualTo((byte) 0xFE);
        assertThat(client.readPacket()[0]).as("OK of the ping").isZero();
        assertThat(client.readPacket()).containsExactly(1);
        client.readPacket();
        assertThat(client.readPacket()[0]).isEqualTo((byte) 0xFE);
        PayloadReader answer = new PayloadReader(client.readPacket());
        assertThat(new String(answer.readLengthEncodedBytes(), StandardCharsets.UTF_8))
            .isEqualTo("42");
        assertThat(client.readPacket()[0]).isEqualTo((byte) 0xFE);
      }
    }
  }

  @Test
  void aClientThatLeavesMidResultStopsTheStreamAndClosesTheSession() throws Exception {
    RawClient client = loggedIn();
    PayloadReader handshake = new PayloadReader(client.handshake);
    handshake.readByte();
    handshake.readNullTerminatedString();
    long connectionId = handshake.readInt4();
    client.command(COM_QUERY, "SELECT endless_rows");
    assertThat(client.readPacket()).containsExactly(2);
    for (int i = 0; i < 100; i++) {
      client.readPacket();
    }
    assertThat(server.handler.openStreams.get()).isEqualTo(1);
    client.close();
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline
        && (server.handler.openStreams.get() != 0 || !closed(connectionId))) {
      Thread.sleep(10);
    }
    assertThat(server.handler.openStreams.get()).as("stream closed").isZero();
    assertThat(closed(connectionId)).as("sessionClosed called").isTrue();
    assertThat(server.sessions.sessions())
        .noneMatch(session -> session.connectionId() == connectionId);
  }

  private static boolean closed(long connectionId) {
    return server.handler.closedSessions.stream()
        .anyMatch(session -> session.connectionId() == connectionId);
  }

  @Test
  void aStatementWithInvalidUtf8IsRefusedNotAltered() throws Exception {
    try (RawClient client = loggedIn()) {
      byte[] prefix = "SELECT echo('a".getBytes(StandardCharsets.UTF_8);
      byte[] suffix = "b')".getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream query = new ByteArrayOutputStream();
      query.write(COM_QUERY);
      query.writeBytes(prefix);
      query.write(0xC3); // a two-byte sequence's lead byte followed by ASCII: malformed
      query.writeBytes(suffix);
      client.command(query.toByteArray());
      byte[] error = client.readPacket();
      assertThat(RawClient.errorCode(error)).isEqualTo(1300);
      assertThat(RawClient.errorMessage(error)).isEqualTo("Invalid utf8mb4 character string: 'C3'");
      assertThat(server.handler.statements).noneMatch(sql -> sql.contains("\uFFFD"));

      client.command(COM_QUERY, "SELECT echo('é ok')");
      assertThat(client.readPacket()).containsExactly(1);
    }
  }

  @Test
  void aStatementOfExactlyOneFullPacketArrivesIntact() throws Exception {
    try (RawClient client = loggedIn()) {
      String prefix = "INSERT INTO big VALUES ('";
      String suffix = "')";
      int fill = MAX_PACKET_PAYLOAD - 1 - prefix.length() - suffix.length();
      String sql = prefix + "y".repeat(fill) + suffix;
      client.command(COM_QUERY, sql);
      PayloadReader ok = new PayloadReader(client.readPacket());
      assertThat(ok.readByte()).isZero();
      assertThat(ok.readLengthEncodedInt()).isEqualTo(sql.length());
      assertThat(client.lastSequenceId())
          .as("reply follows the empty terminating packet")
          .isEqualTo(2);
      assertThat(server.handler.statements).contains(sql);
    }
  }
}
