package dev.basalt.server.mysql;

import static dev.basalt.server.mysql.MysqlProtocol.*;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.result.BatchStream;
import dev.basalt.common.result.ResultColumn;
import dev.basalt.common.result.ResultSet;
import dev.basalt.common.result.StatementResult;
import dev.basalt.common.result.UpdateCount;
import dev.basalt.common.vector.Batch;
import dev.basalt.meta.catalog.Passwords;
import dev.basalt.server.session.Authenticator;
import dev.basalt.server.session.QueryHandler;
import dev.basalt.server.session.Session;
import dev.basalt.server.session.SessionRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, driven by its own (virtual) worker thread: sends the handshake,
 * authenticates, then reads and answers commands one at a time, in order. SQL runs on this thread,
 * never on the Netty event loop, which only decodes packets into {@link #received} and reports
 * {@link #closed} and {@link #writabilityChanged}.
 *
 * <p>When the client goes away the worker finishes its current command, closes open result streams,
 * unregisters the session and calls {@link QueryHandler#sessionClosed} exactly once.
 */
final class MysqlConnection implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(MysqlConnection.class);

  /** Marks the end of the inbound queue: the channel closed. */
  private static final InboundPacket CLOSED = new InboundPacket(-1, new byte[0], 0);

  /** Marks a client packet that exceeded the size limit. */
  private static final InboundPacket TOO_LARGE = new InboundPacket(-1, new byte[0], 0);

  private static final long CONNECT_TIMEOUT_SECONDS = 30;
  private static final int QUEUE_HIGH_WATER = 64;
  private static final int QUEUE_LOW_WATER = 8;
  private static final int ER_NET_PACKET_TOO_LARGE = 1153;
  private static final long LINGER_MILLIS = 2_000;
  private static final int ER_HANDSHAKE_ERROR = 1043;
  private static final int ER_MALFORMED_PACKET = 1835;
  private static final int ER_SECURE_TRANSPORT_REQUIRED = 3159;

  /** How long a KILL CONNECTION waits for the victim's connection to be closed. */
  private static final long KILL_CLOSE_WAIT_MILLIS = 5_000;

  private final Channel channel;

  /** The thread that runs {@link #run}, set when it starts. */
  private volatile Thread worker;

  private final long connectionId;
  private final QueryHandler handler;
  private final Authenticator authenticator;
  private final CachingSha2Password cachingSha2;
  private final SessionRegistry sessions;
  private final CommandLatencies latencies;
  private final String serverVersion;

  /** {@code max_allowed_packet}: also the cap on one parameter's COM_STMT_SEND_LONG_DATA. */
  private final int maxPacketBytes;

  private final boolean tlsOffered;

  /** Set when the connection must close gently (see the TOO_LARGE case of {@link #next}). */
  private boolean lingerBeforeClose;

  private final boolean requireSecureTransport;

  /** Whether the client upgraded to TLS (set once authenticated). */
  private boolean secure;

  private final LinkedBlockingQueue<InboundPacket> inbound = new LinkedBlockingQueue<>();
  private final Object writabilityMonitor = new Object();
  private final PacketOutput output;
  private final ResultWriter writer;
  private final Map<Long, PreparedStatementState> statements = new HashMap<>();
  private long nextStatementId = 1;
  private long lastPreparedStatementId = -1;
  private int clientCapabilities;

  /** Written by the worker, read by the event loop when the channel closes. */
  private volatile Session session;

  MysqlConnection(
      Channel channel,
      long connectionId,
      QueryHandler handler,
      Authenticator authenticator,
      CachingSha2Password cachingSha2,
      SessionRegistry sessions,
      CommandLatencies latencies,
      String serverVersion,
      int maxPacketBytes,
      boolean tlsOffered,
      boolean requireSecureTransport) {
    this.channel = channel;
    this.maxPacketBytes = maxPacketBytes;
    this.tlsOffered = tlsOffered;
    this.requireSecureTransport = requireSecureTransport;
    this.connectionId = connectionId;
    this.handler = handler;
    this.authenticator = authenticator;
    this.cachingSha2 = cachingSha2;
    this.sessions = sessions;
    this.latencies = latencies;
    this.serverVersion = serverVersion;
    this.output = new PacketOutput(channel, writabilityMonitor);
    this.writer = new ResultWriter(output);
    writer.onError(
        (errorNumber, message) -> {
          if (session != null) {
            session.setLastError(new Session.Diagnostic("Error", errorNumber, message));
          }
        });
  }

  // Called on the event loop.

  void received(InboundPacket packet) {
    inbound.add(packet);
    if (inbound.size() >= QUEUE_HIGH_WATER) {
      channel.config().setAutoRead(false);
    }
  }

  void closed() {
    inbound.add(CLOSED);
    // Nobody will read the running statement's result: stop it instead of letting it run on.
    Session running = session;
    if (running != null) {
      running.cancelStatement();
    }
    writabilityChanged();
  }

  void packetTooLarge() {
    inbound.add(TOO_LARGE);
  }

  void writabilityChanged() {
    synchronized (writabilityMonitor) {
      writabilityMonitor.notifyAll();
    }
  }

  // The worker.

  @Override
  public void run() {
    worker = Thread.currentThread();
    try {
      if (authenticate()) {
        serve();
      }
    } catch (ClientDisconnectedException disconnected) {
      LOG.debug("connection {} ended: {}", connectionId, disconnected.getMessage());
    } catch (Throwable unexpected) {
      LOG.error("connection {} failed", connectionId, unexpected);
    } finally {
      cleanUp();
    }
  }

  private void cleanUp() {
    output.discard();
    statements.clear();
    if (session != null) {
      sessions.unregister(session);
      try {
        handler.sessionClosed(session);
      } catch (Throwable failure) {
        LOG.error("sessionClosed failed for connection {}", connectionId, failure);
      }
    }
    if (lingerBeforeClose && channel instanceof io.netty.channel.socket.SocketChannel socket) {
      channel.config().setAutoRead(true);
      socket.shutdownOutput();
      channel.eventLoop().schedule(() -> channel.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
    } else {
      channel.close();
    }
  }

  private InboundPacket next(long timeoutSeconds) {
    InboundPacket packet;
    try {
      packet = timeoutSeconds > 0 ? inbound.poll(timeoutSeconds, TimeUnit.SECONDS) : inbound.take();
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new ClientDisconnectedException("worker interrupted");
    }
    if (packet == null) {
      throw new ClientDisconnectedException(
          "no reply from the client within " + timeoutSeconds + " s");
    }
    if (packet == CLOSED) {
      throw new ClientDisconnectedException("client closed the connection");
    }
    if (inbound.size() <= QUEUE_LOW_WATER && !channel.config().isAutoRead()) {
      channel.config().setAutoRead(true);
    }
    if (packet == TOO_LARGE) {
      writer.writeError(
          ER_NET_PACKET_TOO_LARGE, "08S01", "Got a packet bigger than 'max_allowed_packet' bytes");
      output.flush();
      // The client may still be sending the refused packet's body. Closing now, with unread bytes
      // in the socket, resets the connection and can destroy the ERR before the client reads it;
      // so stop writing, keep discarding what arrives (the decoder does), and close a little later.
      lingerBeforeClose = true;
      throw new ClientDisconnectedException("client packet too large");
    }
    output.setSequenceId(packet.sequenceId() + 1);
    return packet;
  }

  private String clientHost() {
    SocketAddress address = channel.remoteAddress();
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress();
    }
    return String.valueOf(address);
  }

  // Handshake and authentication.

  private boolean authenticate() {
    byte[] scramble = NativePassword.newScramble();
    output.setSequenceId(0);
    writeHandshake(scramble);
    output.flush();

    InboundPacket response = next(CONNECT_TIMEOUT_SECONDS);
    boolean secure = false;
    if (tlsOffered && response.payload().length == PacketDecoder.SSL_REQUEST_LENGTH) {
      // An SSLRequest: the decoder has put TLS in front; the real response follows encrypted.
      secure = true;
      response = next(CONNECT_TIMEOUT_SECONDS);
    }
    if (requireSecureTransport && !secure) {
      return refuse(
          ER_SECURE_TRANSPORT_REQUIRED,
          "HY000",
          "Connections using insecure transport are prohibited while"
              + " --require_secure_transport=ON.");
    }
    PayloadReader reader = new PayloadReader(response.payload());
    String user;
    byte[] token;
    String database = null;
    String plugin = NATIVE_PASSWORD_PLUGIN;
    try {
      int capabilities = (int) reader.readInt4();
      if ((capabilities & CLIENT_PROTOCOL_41) == 0) {
        return refuse(
            ER_HANDSHAKE_ERROR, "08S01", "Bad handshake: the client must speak protocol 4.1");
      }
      reader.readInt4();
      reader.readByte();
      reader.skip(23);
      if (!reader.hasRemaining()) {
        return refuse(
            ER_HANDSHAKE_ERROR, "08S01", "Bad handshake: SSL is not enabled on this server");
      }
      clientCapabilities = capabilities & (SERVER_CAPABILITIES | CLIENT_SSL);
      user = reader.readNullTerminatedString();
      if ((capabilities & CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) != 0) {
        token = reader.readLengthEncodedBytes();
      } else if ((capabilities & CLIENT_SECURE_CONNECTION) != 0) {
        token = reader.readBytes(reader.readByte());
      } else {
        token = reader.readNullTerminatedString().getBytes(StandardCharsets.ISO_8859_1);
      }
      if (token == null) {
        token = new byte[0];
      }
      if ((capabilities & CLIENT_CONNECT_WITH_DB) != 0 && reader.hasRemaining()) {
        database = reader.readNullTerminatedString();
        if (database.isEmpty()) {
          database = null;
        }
      }
      if ((capabilities & CLIENT_PLUGIN_AUTH) != 0 && reader.hasRemaining()) {
        plugin = reader.readNullTerminatedString();
        if (plugin.isEmpty()) {
          plugin = NATIVE_PASSWORD_PLUGIN;
        }
      }
      // Connect attributes (CLIENT_CONNECT_ATTRS) follow; Basalt does not use them.
    } catch (MalformedPacketException malformed) {
      return refuse(ER_HANDSHAKE_ERROR, "08S01", "Bad handshake: " + malformed.getMessage());
    }

    String host = clientHost();
    if (!passwordAccepted(user, plugin, scramble, token, secure)) {
      boolean usedPassword = token.length > 0 && !(token.length == 1 && token[0] == 0);
      ErrorCode code = ErrorCode.ACCESS_DENIED;
      return refuse(
          code.mysqlErrorNumber(),
          code.sqlState(),
          code.format(user, host, usedPassword ? "YES" : "NO"));
    }
    this.secure = secure;

    PacketDecoder decoder = channel.pipeline().get(PacketDecoder.class);
    if (decoder != null) {
      decoder.authenticated();
    }
    startSession(user, host);
    if (database != null) {
      try {
        runWithoutResults("USE " + quoteIdentifier(database));
      } catch (BasaltException failure) {
        return refuse(
            failure.code().mysqlErrorNumber(), failure.code().sqlState(), failure.getMessage());
      } catch (RuntimeException failure) {
        writeInternalError(failure, "USE " + database);
        output.flush();
        return false;
      }
    }
    writer.writeOk(0, 0, "", SERVER_STATUS_AUTOCOMMIT);
    output.flush();
    return true;
  }

  /**
   * Checks {@code user}'s password with the plugin its account uses. When the client answered with
   * another plugin ({@code clientPlugin}; empty forces a switch), the server first sends an
   * AuthSwitchRequest naming the account's plugin, as MySQL does, and reads the new answer; a
   * missing user is checked with the client's plugin (or native) and always fails.
   */
  private boolean passwordAccepted(
      String user, String clientPlugin, byte[] scramble, byte[] token, boolean secure) {
    byte[] stored = authenticator.storedPasswordHash(user);
    String plugin;
    if (stored != null) {
      plugin = Passwords.plugin(stored);
    } else if (clientPlugin.equals(CachingSha2Password.PLUGIN)) {
      plugin = CachingSha2Password.PLUGIN;
    } else {
      plugin = NATIVE_PASSWORD_PLUGIN;
    }
    if (!plugin.equals(clientPlugin)) {
      ByteBuf out = output.begin();
      out.writeByte(0xFE);
      PacketOutput.writeNullTerminatedString(out, plugin);
      out.writeBytes(scramble);
      out.writeByte(0);
      output.end();
      output.flush();
      token = next(CONNECT_TIMEOUT_SECONDS).payload();
    }
    if (stored == null) {
      return false;
    }
    if (plugin.equals(NATIVE_PASSWORD_PLUGIN)) {
      return NativePassword.verify(scramble, token, stored);
    }
    return cachingSha2Accepted(user, stored, scramble, token, secure);
  }

  /**
   * caching_sha2_password after the client's scramble answer: the fast path against the cache, or
   * the full authentication (clear password over TLS, RSA-encrypted otherwise). See {@link
   * CachingSha2Password}.
   */
  private boolean cachingSha2Accepted(
      String user, byte[] stored, byte[] scramble, byte[] token, boolean secure) {
    if (token.length == 0 || (token.length == 1 && token[0] == 0)) {
      return false;
    }
    if (cachingSha2.fastAuthenticate(user, stored, scramble, token)) {
      writeAuthMoreData(new byte[] {CachingSha2Password.FAST_AUTH_SUCCESS});
      return true;
    }
    writeAuthMoreData(new byte[] {CachingSha2Password.PERFORM_FULL_AUTHENTICATION});
    output.flush();
    byte[] reply = next(CONNECT_TIMEOUT_SECONDS).payload();
    String password;
    if (secure) {
      password = CachingSha2Password.clearPassword(reply);
    } else {
      if (reply.length == 1 && reply[0] == CachingSha2Password.REQUEST_PUBLIC_KEY) {
        writeAuthMoreData(cachingSha2.publicKeyPem().getBytes(StandardCharsets.US_ASCII));
        output.flush();
        reply = next(CONNECT_TIMEOUT_SECONDS).payload();
      }
      // A clear password over plain TCP does not decrypt and is refused, as in MySQL.
      password = cachingSha2.decryptPassword(reply, scramble);
    }
    if (password == null || !Passwords.matches(stored, password)) {
      return false;
    }
    cachingSha2.remember(user, stored, password);
    return true;
  }

  /** An AuthMoreData packet: 0x01 then {@code data}. */
  private void writeAuthMoreData(byte[] data) {
    ByteBuf out = output.begin();
    out.writeByte(0x01);
    out.writeBytes(data);
    output.end();
  }

  /** A new session for an authenticated user, registered so SHOW PROCESSLIST and KILL see it. */
  private void startSession(String user, String host) {
    session = new Session(connectionId, user, host);
    if ((clientCapabilities & CLIENT_LOCAL_FILES) != 0) {
      session.setLocalFiles(new LocalInfileTransfer(output, () -> next(0)));
    }
    session.setMultipleStatementsAllowed((clientCapabilities & CLIENT_MULTI_STATEMENTS) != 0);
    session.onKill(this::closeForKill);
    sessions.register(session);
  }

  /**
   * Closes this connection for a KILL CONNECTION and, when another session killed it, waits until
   * it is closed (at most {@link #KILL_CLOSE_WAIT_MILLIS}), so that the killer's answer comes after
   * this connection can serve nothing more: a client that runs a statement on the victim after its
   * KILL returned gets an error, not an answer (Netty closes on its event loop, later).
   */
  private void closeForKill() {
    var closed = channel.close();
    // A connection that kills itself does not wait (its own answer may still go out, as before).
    if (Thread.currentThread() != worker && !channel.eventLoop().inEventLoop()) {
      closed.awaitUninterruptibly(KILL_CLOSE_WAIT_MILLIS);
    }
  }

  /**
   * COM_CHANGE_USER: authenticates again (always through an AuthSwitchRequest with a fresh
   * scramble) and starts a new session; prepared statements and session state are dropped, as MySQL
   * does. A failed authentication answers ERR 1045 and ends the connection.
   *
   * @return whether the connection goes on
   */
  private boolean changeUser(byte[] payload) {
    PayloadReader reader = new PayloadReader(payload, 1);
    String user = reader.readNullTerminatedString();
    if ((clientCapabilities & CLIENT_SECURE_CONNECTION) != 0) {
      reader.readBytes(reader.readByte());
    } else {
      reader.readNullTerminatedString();
    }
    String database = reader.hasRemaining() ? reader.readNullTerminatedString() : "";
    // Always through an AuthSwitchRequest: the token above answered the connection's first
    // scramble, which a change of user must not reuse.
    byte[] scramble = NativePassword.newScramble();
    String host = clientHost();
    if (!passwordAccepted(user, "", scramble, new byte[0], secure)) {
      ErrorCode code = ErrorCode.ACCESS_DENIED;
      refuse(code.mysqlErrorNumber(), code.sqlState(), code.format(user, host, "YES"));
      return false;
    }
    endSession();
    startSession(user, host);
    if (!database.isEmpty()) {
      runWithoutResults("USE " + quoteIdentifier(database));
    }
    writer.writeOk(0, 0, "", SERVER_STATUS_AUTOCOMMIT);
    return true;
  }

  /** COM_RESET_CONNECTION: a fresh session for the same user and database. */
  private void resetSession() {
    String database = session.currentDatabase();
    boolean multipleStatements = session.multipleStatementsAllowed();
    endSession();
    startSession(session.user(), session.clientHost());
    session.setMultipleStatementsAllowed(multipleStatements);
    if (database != null) {
      session.setCurrentDatabase(database);
    }
  }

  /** Forgets the session's prepared statements and unregisters it; {@code session} stays set. */
  private void endSession() {
    statements.clear();
    sessions.unregister(session);
    try {
      handler.sessionClosed(session);
    } catch (RuntimeException failure) {
      LOG.error("sessionClosed failed for connection {}", connectionId, failure);
    }
  }

  /** COM_STATISTICS's answer, in MySQL's format. */
  private String statistics() {
    long uptimeSeconds =
        java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
    long questions = sessions.questions();
    return String.format(
        java.util.Locale.ROOT,
        "Uptime: %d  Threads: %d  Questions: %d  Slow queries: 0  Opens: 0  Flush tables: 0"
            + "  Open tables: 0  Queries per second avg: %.3f",
        uptimeSeconds,
        sessions.sessions().size(),
        questions,
        uptimeSeconds == 0 ? 0.0 : (double) questions / uptimeSeconds);
  }

  private boolean refuse(int errorNumber, String sqlState, String message) {
    writer.writeError(errorNumber, sqlState, message);
    output.flush();
    return false;
  }

  private void writeHandshake(byte[] scramble) {
    ByteBuf out = output.begin();
    out.writeByte(10);
    PacketOutput.writeNullTerminatedString(out, serverVersion);
    out.writeIntLE((int) connectionId);
    out.writeBytes(scramble, 0, 8);
    out.writeByte(0);
    int capabilities = SERVER_CAPABILITIES | (tlsOffered ? CLIENT_SSL : 0);
    out.writeShortLE(capabilities & 0xFFFF);
    out.writeByte(CHARSET_UTF8_GENERAL_CI);
    out.writeShortLE(0);
    out.writeShortLE(capabilities >>> 16);
    out.writeByte(NativePassword.SCRAMBLE_LENGTH + 1);
    out.writeZero(6);
    out.writeIntLE(MARIADB_CAPABILITIES);
    out.writeBytes(scramble, 8, NativePassword.SCRAMBLE_LENGTH - 8);
    out.writeByte(0);
    PacketOutput.writeNullTerminatedString(out, NATIVE_PASSWORD_PLUGIN);
    output.end();
  }

  // Commands.

  private void serve() {
    while (true) {
      InboundPacket packet = next(0);
      byte[] payload = packet.payload();
      if (payload.length == 0) {
        writer.writeError(ER_MALFORMED_PACKET, "HY000", "Malformed communication packet.");
        output.flush();
        continue;
      }
      int command = payload[0] & 0xFF;
      if (command == COM_QUIT) {
        return;
      }
      String queryId = newQueryId();
      try {
        switch (command) {
          case COM_QUERY -> {
            sessions.countQuestion();
            String statement = PayloadReader.utf8Text(payload, 1);
            clearDiagnosticsUnlessAsked(statement);
            session.beginCommand("Query", statement, queryId);
            sendResults(handler.execute(session, statement, payload, 1), false);
          }
          case COM_INIT_DB -> {
            String database = PayloadReader.utf8Text(payload, 1);
            String statement = "USE " + quoteIdentifier(database);
            session.setLastError(null);
            session.beginCommand("Init DB", statement, queryId);
            runWithoutResults(statement);
            writer.writeOk(0, 0, "", SERVER_STATUS_AUTOCOMMIT);
          }
          case COM_PING -> writer.writeOk(0, 0, "", SERVER_STATUS_AUTOCOMMIT);
          // Connector/J switches multi statements on and off this way (rewriteBatchedStatements).
          case COM_SET_OPTION -> {
            session.setMultipleStatementsAllowed(new PayloadReader(payload, 1).readInt2() == 0);
            writer.writeEof(SERVER_STATUS_AUTOCOMMIT);
          }
          case COM_STATISTICS -> writer.writeRawText(statistics());
          case COM_RESET_CONNECTION -> {
            resetSession();
            writer.writeOk(0, 0, "", SERVER_STATUS_AUTOCOMMIT);
          }
          case COM_CHANGE_USER -> {
            if (!changeUser(payload)) {
              return;
            }
          }
          case COM_PROCESS_KILL -> {
            long target = new PayloadReader(payload, 1).readInt4();
            session.beginCommand("Query", "KILL " + target, queryId);
            runWithoutResults("KILL CONNECTION " + target);
            writer.writeOk(0, 0, "", SERVER_STATUS_AUTOCOMMIT);
          }
          case COM_FIELD_LIST -> fieldList(payload, queryId);
          case COM_STMT_PREPARE -> prepare(payload, queryId);
          case COM_STMT_EXECUTE -> {
            session.setLastError(null);
            execute(payload, queryId);
          }
          case COM_STMT_BULK_EXECUTE -> {
            session.setLastError(null);
            bulkExecute(payload, queryId);
          }
          case COM_STMT_SEND_LONG_DATA -> sendLongData(payload);
          case COM_STMT_CLOSE -> closeStatement(payload);
          case COM_STMT_RESET -> resetStatement(payload);
          default -> {
            ErrorCode code = ErrorCode.UNKNOWN_COMMAND;
            writer.writeError(
                code.mysqlErrorNumber(), code.sqlState(), code.format(commandName(command)));
          }
        }
      } catch (ClientDisconnectedException disconnected) {
        throw disconnected;
      } catch (BasaltException failure) {
        writer.writeError(
            failure.code().mysqlErrorNumber(), failure.code().sqlState(), failure.getMessage());
      } catch (MalformedPacketException malformed) {
        writer.writeError(
            ER_MALFORMED_PACKET,
            "HY000",
            "Malformed communication packet: " + malformed.getMessage());
      } catch (Throwable failure) {
        if (failure instanceof VirtualMachineError fatal && !(fatal instanceof OutOfMemoryError)) {
          throw fatal;
        }
        writeInternalError(failure, session.currentStatement(), queryId);
      } finally {
        session.endCommand();
      }
      output.flush();
      latencies.record(
          switch (command) {
            case COM_STMT_EXECUTE, COM_STMT_BULK_EXECUTE -> CommandLatencies.Kind.EXECUTE;
            case COM_QUERY -> CommandLatencies.Kind.QUERY;
            default -> CommandLatencies.Kind.OTHER;
          },
          System.nanoTime() - packet.receivedNanos());
    }
  }

  /**
   * Matches statements that read the diagnostics area rather than reset it, as in MySQL: SHOW
   * WARNINGS / ERRORS, SHOW COUNT(*) WARNINGS / ERRORS and SELECTs of @@warning_count
   * or @@error_count.
   */
  private static final java.util.regex.Pattern DIAGNOSTIC_STATEMENT =
      java.util.regex.Pattern.compile(
          "(?is)\\s*(SHOW\\s+(COUNT\\s*\\(\\s*\\*\\s*\\)\\s+)?(WARNINGS|ERRORS)\\b"
              + "|SELECT\\b.*@@(session\\.)?(warning_count|error_count)\\b).*");

  /** A new statement empties the diagnostics area unless it is one that reads it. */
  private void clearDiagnosticsUnlessAsked(String statement) {
    if (!DIAGNOSTIC_STATEMENT.matcher(statement).matches()) {
      session.setLastError(null);
    }
  }

  /** Two random 64-bit numbers in hex, {@code %016x-%016x} (made per command: no Formatter). */
  private static String newQueryId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    byte[] text = new byte[33];
    hex(random.nextLong(), text, 0);
    text[16] = '-';
    hex(random.nextLong(), text, 17);
    return new String(text, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static void hex(long value, byte[] text, int start) {
    for (int i = 15; i >= 0; i--) {
      text[start + i] = (byte) Character.forDigit((int) (value & 0xF), 16);
      value >>>= 4;
    }
  }

  private void writeInternalError(Throwable failure, String statement) {
    writeInternalError(failure, statement, newQueryId());
  }

  /**
   * A bug, not a user error: log it with its stack trace and give the client a query id to quote.
   */
  private void writeInternalError(Throwable failure, String statement, String queryId) {
    String shownStatement = handler.loggable(statement);
    LOG.error(
        "internal error in query {} on connection {} (statement: {})",
        queryId,
        connectionId,
        shownStatement,
        failure);
    String detail =
        failure.getMessage() == null
            ? failure.getClass().getName()
            : failure.getClass().getSimpleName() + ": " + failure.getMessage();
    ErrorCode code = ErrorCode.INTERNAL_ERROR;
    writer.writeError(code.mysqlErrorNumber(), code.sqlState(), code.format(queryId, detail));
  }

  /**
   * Sends the results of one command. With CLIENT_MULTI_RESULTS every result is sent, all but the
   * last flagged SERVER_MORE_RESULTS_EXISTS; a client without it gets only the first result (the
   * others are closed unread). An error while a result streams ends the response with ERR and
   * closes the remaining results.
   */
  private void sendResults(List<StatementResult> results, boolean binary) {
    int started = 0;
    try {
      if (results.isEmpty()) {
        writer.writeOk(0, 0, "", SERVER_STATUS_AUTOCOMMIT);
        return;
      }
      boolean multi = (clientCapabilities & CLIENT_MULTI_RESULTS) != 0;
      int count = multi ? results.size() : 1;
      for (int index = 0; index < count; index++) {
        StatementResult result = results.get(index);
        started = index + 1; // the writer closes what it starts, also when it fails
        int status =
            SERVER_STATUS_AUTOCOMMIT | (index < count - 1 ? SERVER_MORE_RESULTS_EXISTS : 0);
        switch (result) {
          case UpdateCount update -> writer.writeOk(update, status);
          case ResultSet resultSet -> writer.writeResultSet(resultSet, binary, status);
        }
      }
    } finally {
      for (int rest = started; rest < results.size(); rest++) {
        closeQuietly(results.get(rest));
      }
    }
  }

  private static void closeQuietly(StatementResult result) {
    if (result instanceof ResultSet resultSet) {
      try {
        resultSet.rows().close();
      } catch (RuntimeException failure) {
        LOG.warn("closing an unsent result failed", failure);
      }
    }
  }

  /**
   * Runs a statement whose results the protocol does not send (USE for COM_INIT_DB and at connect).
   */
  private void runWithoutResults(String statement) {
    List<StatementResult> results = handler.execute(session, statement);
    for (StatementResult result : results) {
      closeQuietly(result);
    }
  }

  static String quoteIdentifier(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private void fieldList(byte[] payload, String queryId) {
    PayloadReader reader = new PayloadReader(payload, 1);
    String table = reader.readNullTerminatedString();
    String statement = "SHOW FULL COLUMNS FROM " + quoteIdentifier(table);
    session.beginCommand("Field List", statement, queryId);
    List<StatementResult> results = handler.execute(session, statement);
    try {
      if (results.isEmpty() || !(results.getFirst() instanceof ResultSet columns)) {
        writer.writeEof(SERVER_STATUS_AUTOCOMMIT);
        return;
      }
      int fieldIndex = columnIndex(columns, "Field");
      int typeIndex = columnIndex(columns, "Type");
      int nullIndex = columnIndex(columns, "Null");
      String database = session.currentDatabase() == null ? "" : session.currentDatabase();
      try (BatchStream rows = columns.rows()) {
        Batch batch;
        while ((batch = rows.next()) != null) {
          for (int row = 0; row < batch.rowCount(); row++) {
            String name = String.valueOf(batch.column(fieldIndex).getObject(row));
            String typeName =
                typeIndex < 0 ? null : (String) batch.column(typeIndex).getObject(row);
            boolean nullable =
                nullIndex < 0
                    || !"NO"
                        .equalsIgnoreCase(String.valueOf(batch.column(nullIndex).getObject(row)));
            writer.writeColumnDefinition(
                new ResultColumn(
                    name, MysqlColumnType.parseTypeName(typeName), nullable, database, table, name),
                true);
          }
        }
      }
      writer.writeEof(SERVER_STATUS_AUTOCOMMIT);
    } finally {
      for (int i = 1; i < results.size(); i++) {
        closeQuietly(results.get(i));
      }
    }
  }

  private static int columnIndex(ResultSet resultSet, String name) {
    List<ResultColumn> columns = resultSet.columns();
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equalsIgnoreCase(name)) {
        return i;
      }
    }
    if (name.equals("Field")) {
      return 0;
    }
    return -1;
  }

  // Prepared statements.

  private void prepare(byte[] payload, String queryId) {
    // A failed prepare leaves no statement "prepared last": a MariaDB client pipelines its execute
    // (statement id -1) behind the prepare, which must then fail rather than run the one before.
    lastPreparedStatementId = -1;
    String sql = PayloadReader.utf8Text(payload, 1);
    session.beginCommand("Prepare", sql, queryId);
    StatementTemplate template = StatementTemplate.parse(sql);
    int parameters = template.parameterCount();
    if (parameters > MAX_PLACEHOLDERS) {
      // The answer counts them in two bytes. Connector/J then sends a rewritten batch of more
      // rows as text (as MySQL and MariaDB refuse it too).
      throw new BasaltException(ErrorCode.TOO_MANY_PLACEHOLDERS);
    }
    long id = nextStatementId++;
    // Parameters are unknown at prepare time; describing with NULLs gives the result's columns
    // (an INSERT has none: a JDBC batch's thousands of placeholders are not rendered for nothing).
    List<ResultColumn> columns =
        template.valuesInsert() != null
            ? List.of()
            : handler.describe(
                session, template.render(java.util.Collections.nCopies(parameters, "NULL")));
    statements.put(id, new PreparedStatementState(id, template, maxPacketBytes));
    lastPreparedStatementId = id;
    ByteBuf out = output.begin();
    out.writeByte(0x00);
    out.writeIntLE((int) id);
    out.writeShortLE(columns.size());
    out.writeShortLE(parameters);
    out.writeByte(0);
    out.writeShortLE(0);
    output.end();
    if (parameters > 0) {
      writer.writeParameterDefinitions(parameters);
      writer.writeEof(SERVER_STATUS_AUTOCOMMIT);
    }
    if (!columns.isEmpty()) {
      for (ResultColumn column : columns) {
        writer.writeColumnDefinition(column, false);
      }
      writer.writeEof(SERVER_STATUS_AUTOCOMMIT);
    }
  }

  /**
   * The statement a command names: MariaDB clients address "the statement prepared last" as -1 when
   * they pipeline a command behind its prepare.
   */
  private long statementId(long id) {
    return id == 0xFFFFFFFFL ? lastPreparedStatementId : id;
  }

  private PreparedStatementState statement(long id, String command) {
    PreparedStatementState state = statements.get(statementId(id));
    if (state == null) {
      throw new BasaltException(ErrorCode.UNKNOWN_STATEMENT_HANDLER, id, command);
    }
    return state;
  }

  private void execute(byte[] payload, String queryId) {
    PayloadReader reader = new PayloadReader(payload, 1);
    PreparedStatementState state = statement(reader.readInt4(), "mysqld_stmt_execute");
    reader.readByte(); // cursor flags: Basalt always answers with a complete result set
    reader.readInt4(); // iteration count, always 1
    int parameters = state.parameterCount();
    int nullBitmapStart = reader.position();
    if (parameters > 0) {
      reader.skip((parameters + 7) / 8);
      if (reader.readByte() == 1) {
        int[] types = new int[parameters];
        for (int i = 0; i < parameters; i++) {
          types[i] = reader.readInt2();
        }
        state.bindParameterTypes(types);
      }
      if (state.longDataTooLarge()) {
        state.clearLongData();
        throw new BasaltException(ErrorCode.LONG_DATA_TOO_LARGE, maxPacketBytes);
      }
    }
    int valuesStart = reader.position();
    StatementTemplate template = state.template();
    StatementTemplate.ValuesInsert valuesInsert = template.valuesInsert();
    if (valuesInsert != null && !state.hasLongData()) {
      // A JDBC batch prepared on the server: its values go into the columns from this packet.
      BoundValueRows rows =
          new BoundValueRows(
              payload,
              nullBitmapStart,
              valuesStart,
              state.parameterTypes(),
              valuesInsert.width(),
              valuesInsert.rows());
      executeValuesInsert(
          template,
          rows,
          () ->
              template.render(
                  readValues(state, payload, nullBitmapStart, valuesStart).stream()
                      .map(ParameterLiterals::literal)
                      .toList()),
          queryId);
      return;
    }
    List<Object> read = readValues(state, payload, nullBitmapStart, valuesStart);
    state.clearLongData();
    BoundStatement bound = BoundStatement.of(template, read);
    sessions.countQuestion();
    session.beginCommand("Execute", bound.sql(), queryId);
    sendResults(
        handler.executePrepared(session, template.sql(), bound.values(), bound.sql()), true);
  }

  /**
   * A prepared statement with its parameters' values ({@link ParameterLiterals#value}) bound: its
   * text with the values as literals, and the values as the engine binds them.
   */
  private record BoundStatement(String sql, List<Object> values) {
    static BoundStatement of(StatementTemplate template, List<Object> read) {
      List<String> literals = new ArrayList<>(read.size());
      List<Object> values = new ArrayList<>(read.size());
      for (Object value : read) {
        literals.add(ParameterLiterals.literal(value));
        values.add(ParameterLiterals.bindable(value));
      }
      return new BoundStatement(template.render(literals), values);
    }
  }

  /**
   * MariaDB's COM_STMT_BULK_EXECUTE (how its drivers send a JDBC or DB-API batch): the prepared
   * statement once per parameter set, answered with one OK that sums the affected rows (Basalt does
   * not advertise unit results, so clients do not ask for one answer per set). A values INSERT
   * takes all sets as the rows of one statement, as a batched COM_STMT_EXECUTE does: all or none
   * are loaded. Any other statement runs once per set, in order; an error stops it at that set, the
   * sets before it staying applied, as separate executes with autocommit would leave them.
   */
  private void bulkExecute(byte[] payload, String queryId) {
    PayloadReader reader = new PayloadReader(payload, 1);
    PreparedStatementState state = statement(reader.readInt4(), "mysqld_stmt_bulk_execute");
    int flags = reader.readInt2();
    int parameters = state.parameterCount();
    if ((flags & BULK_SEND_UNIT_RESULTS) != 0) {
      throw new BasaltException(ErrorCode.UNSUPPORTED, "unit results of COM_STMT_BULK_EXECUTE");
    }
    if ((flags & BULK_SEND_TYPES_TO_SERVER) != 0) {
      int[] types = new int[parameters];
      for (int i = 0; i < parameters; i++) {
        types[i] = reader.readInt2();
      }
      state.bindParameterTypes(types);
    }
    int[] types = state.parameterTypes();
    if (parameters == 0 || types == null || !reader.hasRemaining()) {
      throw new BasaltException(ErrorCode.WRONG_PARAMETER_COUNT, "mysqld_stmt_bulk_execute");
    }
    if (state.hasLongData()) {
      state.clearLongData();
      throw new BasaltException(ErrorCode.UNSUPPORTED, "long data with COM_STMT_BULK_EXECUTE");
    }
    int valuesStart = reader.position();
    StatementTemplate template = state.template();
    StatementTemplate.ValuesInsert valuesInsert = template.valuesInsert();
    if (valuesInsert != null) {
      executeValuesInsert(
          template,
          BoundValueRows.ofBulk(payload, valuesStart, types, valuesInsert.width()),
          () -> {
            List<String> literals = new ArrayList<>();
            PayloadReader sets = new PayloadReader(payload, valuesStart);
            while (sets.hasRemaining()) {
              readBulkSet(sets, types).forEach(v -> literals.add(ParameterLiterals.literal(v)));
            }
            return template.renderSets(literals);
          },
          queryId);
      return;
    }
    sessions.countQuestion();
    session.beginCommand("Execute", template.sql(), queryId);
    long affectedRows = 0;
    int warnings = 0;
    PayloadReader sets = new PayloadReader(payload, valuesStart);
    while (sets.hasRemaining()) {
      BoundStatement bound = BoundStatement.of(template, readBulkSet(sets, types));
      List<StatementResult> results =
          handler.executePrepared(session, template.sql(), bound.values(), bound.sql());
      for (StatementResult result : results) {
        if (result instanceof UpdateCount update) {
          affectedRows += update.affectedRows();
          warnings += update.warnings();
        } else {
          results.forEach(MysqlConnection::closeQuietly);
          throw new BasaltException(
              ErrorCode.UNSUPPORTED, "COM_STMT_BULK_EXECUTE of a statement that returns rows");
        }
      }
    }
    writer.writeOk(affectedRows, warnings, "", SERVER_STATUS_AUTOCOMMIT);
  }

  /**
   * Runs a prepared values INSERT with its bound rows read straight into the columns ({@link
   * QueryHandler#executePreparedValues}) and answers; {@code sql} renders the statement with the
   * values as literals, for a handler that cannot take the rows as they are.
   */
  private void executeValuesInsert(
      StatementTemplate template,
      BoundValueRows rows,
      java.util.function.Supplier<String> sql,
      String queryId) {
    sessions.countQuestion();
    session.beginCommand("Execute", template.sql(), queryId);
    sendResults(
        handler.executePreparedValues(
            session, template.sql(), template.valuesInsert().oneRowStatement(), rows, sql),
        true);
  }

  /**
   * The values of the COM_STMT_BULK_EXECUTE parameter set the reader is at ({@link
   * ParameterLiterals#value}).
   */
  private static List<Object> readBulkSet(PayloadReader reader, int[] types) {
    List<Object> values = new ArrayList<>(types.length);
    for (int type : types) {
      values.add(
          BoundValueRows.bulkValueFollows(reader)
              ? ParameterLiterals.value(reader, type & 0xFF, (type & 0x8000) != 0)
              : null);
    }
    return values;
  }

  /**
   * The parameter values of a COM_STMT_EXECUTE ({@link ParameterLiterals#value}), long data
   * included: the NULL bitmap at {@code nullBitmapStart}, the values from {@code valuesStart}.
   */
  private static List<Object> readValues(
      PreparedStatementState state, byte[] payload, int nullBitmapStart, int valuesStart) {
    int parameters = state.parameterCount();
    List<Object> values = new ArrayList<>(parameters);
    PayloadReader reader = new PayloadReader(payload, valuesStart);
    // Types may be missing when every parameter is NULL (Connector/J 9 binds none then); only a
    // value that must be read needs its type.
    int[] types = state.parameterTypes();
    for (int i = 0; i < parameters; i++) {
      byte[] longData = state.longData(i);
      Object value;
      if (longData != null) {
        value = ParameterLiterals.text(longData);
      } else if ((payload[nullBitmapStart + i / 8] & (1 << (i % 8))) != 0) {
        value = null;
      } else if (types == null) {
        throw new BasaltException(ErrorCode.WRONG_PARAMETER_COUNT, "mysqld_stmt_execute");
      } else {
        value = ParameterLiterals.value(reader, types[i] & 0xFF, (types[i] & 0x8000) != 0);
      }
      values.add(value);
    }
    return values;
  }

  private void sendLongData(byte[] payload) {
    PayloadReader reader = new PayloadReader(payload, 1);
    long id = reader.readInt4();
    int parameter = reader.readInt2();
    PreparedStatementState state = statements.get(statementId(id));
    if (state != null) {
      state.appendLongData(parameter, payload, reader.position(), reader.remaining());
    }
  }

  private void closeStatement(byte[] payload) {
    statements.remove(statementId(new PayloadReader(payload, 1).readInt4()));
  }

  private void resetStatement(byte[] payload) {
    PreparedStatementState state =
        statement(new PayloadReader(payload, 1).readInt4(), "mysqld_stmt_reset");
    state.clearLongData();
    writer.writeOk(0, 0, "", SERVER_STATUS_AUTOCOMMIT);
  }
}
