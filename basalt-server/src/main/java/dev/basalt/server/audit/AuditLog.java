package dev.basalt.server.audit;

import dev.basalt.sql.parser.SqlRedaction;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: one JSON line per statement or load that reached the engine, in {@code
 * DIR/log/audit.log} — time, query id, connection, user, client host, database, statement kind, the
 * statement with its literals masked, status (OK or the MySQL error code), rows, duration. When the
 * file passes {@link #MAX_FILE_BYTES} it becomes {@code audit.log.1} (one generation kept) and a
 * new file starts.
 *
 * <p>A request thread only queues its record ({@link #record}, {@link #recordStatement}: the time
 * is taken then); one writer thread masks the statement, formats the line and writes, flushing once
 * per batch of what has queued meanwhile, and parks while nothing is queued (docs/architecture.md,
 * "Audit log"). So a point lookup pays neither the lexer, the formatting nor a write and a lock per
 * statement. The queue is bounded ({@link #QUEUE_CAPACITY}): when the writer falls that far behind,
 * recording waits for room rather than drop a record. Records are written in the order they were
 * queued. {@link #close} writes everything queued before it returns; a record queued after that is
 * dropped. A failure to write is logged once and never fails the statement being audited. Thread
 * safe.
 */
public final class AuditLog implements AutoCloseable {
  /** A log that records nothing (tests, tools). */
  public static final AuditLog DISABLED = new AuditLog();

  /** The size at which the file is rotated. */
  public static final long MAX_FILE_BYTES = 256L << 20;

  /** Records that may wait for the writer before recording blocks. */
  public static final int QUEUE_CAPACITY = 16_384;

  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

  /**
   * How long the writer lets records gather after it was woken, before it writes them: one wake-up
   * and one write per that much time, however many statements come meanwhile.
   */
  private static final long GATHER_MILLIS = 5;

  /** The most records written between two flushes. */
  private static final int BATCH = 1024;

  private final Path file;
  private final BlockingQueue<Pending> queue;
  private final Thread writer;
  private volatile boolean closed;

  /**
   * Set by the writer before it parks with nothing queued; the first record queued afterwards
   * clears it and unparks the writer. While the writer is awake (or gathering) recording reads one
   * volatile field and never makes a system call.
   */
  private volatile boolean writerParked;

  /** Guards the file: the writer thread, and {@link #close} once the writer has stopped. */
  private final Object fileLock = new Object();

  private OutputStream out;
  private long written;
  private boolean failureReported;
  private final StringBuilder line = new StringBuilder(512);

  /**
   * The writer's last masked statement: the text as received, masked, and its kind. A prepared
   * statement executed again and again (a JDBC batch's {@code INSERT ... VALUES (?, ...), ...} of
   * 16,000 markers) is lexed once, not once per execution; that lexing was most of the writer's CPU
   * in a batch INSERT benchmark.
   */
  private String lastStatement;

  private String lastMasked;
  private String lastKind;

  private AuditLog() {
    this.file = null;
    this.queue = null;
    this.writer = null;
  }

  private AuditLog(Path file) throws IOException {
    this.file = file;
    Files.createDirectories(file.getParent());
    open();
    this.queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    this.writer = Thread.ofPlatform().name("audit-log-writer").daemon().unstarted(this::writeLoop);
    writer.start();
  }

  /** Opens (appending to) {@code DIR/log/audit.log} and starts its writer thread. */
  public static AuditLog open(Path dataDirectory) throws IOException {
    return new AuditLog(dataDirectory.resolve("log").resolve("audit.log"));
  }

  private void open() throws IOException {
    out =
        new BufferedOutputStream(
            Files.newOutputStream(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND),
            1 << 16);
    written = Files.size(file);
  }

  /** One audited statement or load. */
  public record Entry(
      String queryId,
      long connectionId,
      String user,
      String clientHost,
      String database,
      String kind,
      String statement,
      int errorCode,
      long rows,
      long durationMillis) {}

  /**
   * Words after which the second word names the kind too: {@code CREATE TABLE}, {@code SHOW
   * GRANTS}.
   */
  private static final java.util.Set<String> TWO_WORD_KINDS =
      java.util.Set.of(
          "CREATE", "DROP", "ALTER", "SHOW", "GRANT", "REVOKE", "SET", "ADMIN", "KILL");

  /**
   * The kind of a statement for the log: its first keyword, or its first two for DDL and SHOW
   * ({@code SELECT}, {@code INSERT}, {@code CREATE TABLE}, {@code SHOW GRANTS}).
   */
  public static String kindOf(String statement) {
    // A scan rather than a regular-expression split: this runs for every statement, and the split
    // was a seventh of a point lookup's CPU time.
    String text = statement.strip();
    int firstEnd = wordEnd(text, 0);
    if (firstEnd == 0) {
      return "";
    }
    String first = text.substring(0, firstEnd).toUpperCase(java.util.Locale.ROOT);
    if (firstEnd == text.length() || !TWO_WORD_KINDS.contains(first)) {
      return first;
    }
    int secondStart = firstEnd;
    while (secondStart < text.length() && isWordSeparator(text.charAt(secondStart))) {
      secondStart++;
    }
    String second = text.substring(secondStart, wordEnd(text, secondStart));
    return first + " " + second.toUpperCase(java.util.Locale.ROOT);
  }

  private static int wordEnd(String text, int start) {
    int end = start;
    while (end < text.length() && !isWordSeparator(text.charAt(end))) {
      end++;
    }
    return end;
  }

  /** White space, an opening parenthesis, a backtick or a semicolon end a word of the kind. */
  private static boolean isWordSeparator(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B || c == '('
        || c == '`' || c == ';';
  }

  /** Whether records are kept; callers skip preparing one when not. */
  public boolean enabled() {
    return file != null;
  }

  /** A queued record: its time, and whether its statement is still to be masked. */
  private record Pending(long epochMillis, Entry entry, boolean mask) {}

  /** Queues one record whose statement and kind are final (a load's); never throws. */
  public void record(Entry entry) {
    enqueue(entry, false);
  }

  /**
   * Queues one statement's record; never throws. {@code entry.statement()} is the text as the
   * client sent it: the writer masks its literals ({@link SqlRedaction}) and derives its kind
   * ({@link #kindOf}), so {@code entry.kind()} is ignored and may be null.
   */
  public void recordStatement(Entry entry) {
    enqueue(entry, true);
  }

  private void enqueue(Entry entry, boolean mask) {
    if (file == null) {
      return;
    }
    Pending pending = new Pending(System.currentTimeMillis(), entry, mask);
    if (closed) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(pending);
        break;
      } catch (InterruptedException e) {
        // A KILL of the connection interrupts its thread; the record is still written.
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (writerParked) {
      writerParked = false;
      LockSupport.unpark(writer);
    }
    if (closed) {
      // close() may have drained the queue before this record went in.
      writeQueued();
    }
  }

  /**
   * The writer thread, until {@link #close}: writes what has queued and flushes; with nothing
   * queued it parks until a record comes ({@link #enqueue} unparks it), then sleeps {@link
   * #GATHER_MILLIS} so that the records of the next few milliseconds are written and flushed
   * together. An idle server's writer thus costs nothing (it polled every 5 ms before: a few
   * percent of a core), and a busy one's at most one unpark per gathering period, not one per
   * statement.
   */
  private void writeLoop() {
    List<Pending> batch = new ArrayList<>(BATCH);
    while (!closed || !queue.isEmpty()) {
      queue.drainTo(batch, BATCH);
      if (batch.isEmpty()) {
        writerParked = true;
        // Checked after the flag is set: a record queued before it was set is seen here, one
        // queued after finds the flag and unparks (both fields are volatile).
        if (queue.isEmpty() && !closed) {
          LockSupport.park(this);
          writerParked = false;
          sleepUninterruptibly(GATHER_MILLIS);
        }
        writerParked = false;
        continue;
      }
      synchronized (fileLock) {
        writeAll(batch);
      }
      batch.clear();
    }
  }

  private static void sleepUninterruptibly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      // close() does not interrupt; keep going until closed and empty.
    }
  }

  /** The writer thread (tests check that an idle writer parks instead of polling). */
  Thread writerThread() {
    return writer;
  }

  /** Writes whatever is queued now (after {@link #close}: records that raced with it). */
  private void writeQueued() {
    List<Pending> batch = new ArrayList<>();
    queue.drainTo(batch);
    if (!batch.isEmpty()) {
      synchronized (fileLock) {
        writeAll(batch);
      }
    }
  }

  /** Formats and writes {@code batch}, then flushes; the caller holds {@link #fileLock}. */
  private void writeAll(List<Pending> batch) {
    if (out == null) {
      return;
    }
    try {
      for (Pending pending : batch) {
        byte[] bytes = format(pending).getBytes(StandardCharsets.UTF_8);
        if (written + bytes.length > MAX_FILE_BYTES) {
          out.flush();
          rotate();
        }
        out.write(bytes);
        written += bytes.length;
      }
      out.flush();
    } catch (IOException | RuntimeException e) {
      if (!failureReported) {
        failureReported = true;
        LOG.warn("cannot write the audit log {}: {}", file, e.toString());
      }
    }
  }

  private void rotate() throws IOException {
    out.close();
    Files.move(
        file,
        file.resolveSibling(file.getFileName() + ".1"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    open();
  }

  /** One JSON line; only the writer formats (it reuses one builder). */
  private String format(Pending pending) {
    Entry entry = pending.entry();
    String statement = entry.statement();
    String kind = entry.kind();
    if (pending.mask()) {
      if (statement != null && statement.equals(lastStatement)) {
        statement = lastMasked;
        kind = lastKind;
      } else {
        String text = statement;
        statement = SqlRedaction.redact(text);
        kind = kindOf(statement == null ? "" : statement);
        lastStatement = text;
        lastMasked = statement;
        lastKind = kind;
      }
    }
    StringBuilder json = line;
    json.setLength(0);
    json.append('{');
    string(json, "time", Instant.ofEpochMilli(pending.epochMillis()).toString()).append(',');
    string(json, "queryId", entry.queryId()).append(',');
    number(json, "connectionId", entry.connectionId()).append(',');
    string(json, "user", entry.user()).append(',');
    string(json, "clientHost", entry.clientHost()).append(',');
    string(json, "database", entry.database()).append(',');
    string(json, "kind", kind).append(',');
    string(json, "statement", statement).append(',');
    string(json, "status", entry.errorCode() == 0 ? "OK" : "ERR").append(',');
    if (entry.errorCode() != 0) {
      number(json, "errorCode", entry.errorCode()).append(',');
    }
    if (entry.rows() >= 0) {
      number(json, "rows", entry.rows()).append(',');
    }
    number(json, "durationMs", entry.durationMillis());
    return json.append("}\n").toString();
  }

  private static StringBuilder number(StringBuilder json, String name, long value) {
    return json.append('"').append(name).append("\":").append(value);
  }

  /** {@code "name":"value"} with the value escaped as JSON requires; null as {@code null}. */
  private static StringBuilder string(StringBuilder json, String name, String value) {
    json.append('"').append(name).append("\":");
    if (value == null) {
      return json.append("null");
    }
    json.append('"');
    // Runs of characters that need no escape are copied whole: a character at a time was half of
    // the writer's CPU with a Stream Load per 10 rows.
    int run = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && c != 0x2028 && c != 0x2029) {
        continue;
      }
      json.append(value, run, i);
      run = i + 1;
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          json.append("\\u").append(String.format(Locale.ROOT, "%04x", (int) c));
        }
      }
    }
    return json.append(value, run, value.length()).append('"');
  }

  /**
   * Stops recording: writes every record queued so far, then closes the file. Records queued after
   * it has returned are dropped. Waits for the writer thread.
   */
  @Override
  public void close() {
    if (file == null || closed) {
      return;
    }
    closed = true;
    LockSupport.unpark(writer);
    boolean interrupted = false;
    while (writer.isAlive()) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    writeQueued();
    synchronized (fileLock) {
      if (out != null) {
        try {
          out.close();
        } catch (IOException e) {
          LOG.warn("closing the audit log", e);
        }
        out = null;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
