package dev.basalt.meta.store;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.fault.FaultPoint;
import dev.basalt.common.fault.FaultPoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConfig;

/**
 * A {@link MetaStore} kept in one table {@code (k text primary key, v blob)} of a relational
 * database, reached through JDBC. One code path serves two dialects:
 *
 * <ul>
 *   <li>{@link Dialect#SQLITE}, the embedded default: one file in the data directory, WAL journal,
 *       {@code synchronous=FULL} (a commit that returned has been fsynced), a busy timeout, and
 *       {@code BEGIN IMMEDIATE} transactions so that two processes on one file serialize.
 *   <li>{@link Dialect#POSTGRESQL} for several front ends sharing one catalog: SERIALIZABLE
 *       transactions, keys in the {@code "C"} collation so that scans are in byte order.
 * </ul>
 *
 * <p><b>Sharing (PostgreSQL).</b> Every commit takes a session-level advisory lock named after the
 * table before its transaction starts and releases it after the transaction ended, so the commits
 * of all front ends run one at a time, each on a snapshot that includes every earlier commit (no
 * serialization failures between Basalt writers). Each commit also appends one row to the change
 * log table {@code <table>_changes (seq, keys, committed_millis)} in the same transaction: the
 * sequence number is the previous maximum plus one, so under the advisory lock sequence numbers
 * follow commit order without gaps, and a reader that saw {@code seq = n} has seen every commit up
 * to {@code n}. Rows older than {@link #CHANGE_LOG_RETENTION_MILLIS} are pruned (the newest row is
 * always kept); a reader that fell further behind rereads everything ({@link #changesSince}).
 *
 * <p>The store owns one connection and serializes all calls on it with a lock; the catalog above
 * keeps everything in memory, so the store sees few reads. Preconditions are checked inside the
 * write transaction; a put of a key that the batch requires to be absent is a plain {@code INSERT}
 * so that a concurrent writer of the same key fails on the primary key rather than overwriting.
 * Thread safe.
 */
public final class JdbcMetaStore implements MetaStore {

  /** The SQL dialects this store speaks. */
  public enum Dialect {
    SQLITE,
    POSTGRESQL
  }

  private static final Pattern TABLE_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
  private static final int SQLITE_BUSY_TIMEOUT_MILLIS = 30_000;
  private static final String SQLITE_TABLE = "basalt_meta";

  private final Dialect dialect;
  private final Connection connection;
  private final String table;

  /** What error messages name: the SQLite file, or the PostgreSQL table. */
  private final String location;

  /**
   * How long the change log of a shared store keeps a commit: far longer than the interval at which
   * front ends poll it (docs/architecture.md, "Several front ends").
   */
  public static final long CHANGE_LOG_RETENTION_MILLIS = 10 * 60_000L;

  /** Commits between two prunings of the change log. */
  private static final int COMMITS_PER_PRUNE = 256;

  private final ReentrantLock lock = new ReentrantLock();
  private boolean closed;

  /** Commits since the change log was last pruned (guarded by {@link #lock}). */
  private int commitsSincePrune;

  /** Statements kept prepared by SQL text ({@link #prepared}); guarded by {@link #lock}. */
  private final Map<String, PreparedStatement> preparedStatements = new HashMap<>();

  /**
   * The change log numbers of this store's own commits that {@link #changesSince} has not passed
   * yet: their changes are already in the caller's cache, so they are not reported (guarded by
   * {@link #lock}).
   */
  private final java.util.NavigableSet<Long> ownSequences = new java.util.TreeSet<>();

  private JdbcMetaStore(Dialect dialect, Connection connection, String table, String location)
      throws SQLException {
    this.location = location;
    this.dialect = dialect;
    this.connection = connection;
    this.table = table;
    if (dialect == Dialect.POSTGRESQL) {
      // A shared database may be new to Basalt. An SQLite file gets its table when it is created
      // (createSqliteFile); an existing file without it is damaged, not new.
      createTableIfMissing();
    }
  }

  /**
   * Opens (creating if needed) the SQLite store in {@code databaseFile}; its parent directory is
   * created if missing.
   *
   * <p>A new store is created under a temporary name and renamed into place once its table exists,
   * so {@code databaseFile} either does not exist or is a complete store. An existing file that is
   * empty, does not start with SQLite's header, fails SQLite's {@code quick_check} or lacks the
   * store's table is refused with a message naming the file: a catalog truncated by a crash or a
   * bad disk must stop the server, never start it as a silently empty warehouse.
   *
   * @throws BasaltException IO_ERROR when the file cannot be opened, CORRUPT_METADATA when it is
   *     not an intact store
   */
  public static JdbcMetaStore openSqlite(Path databaseFile) {
    Path file = databaseFile.toAbsolutePath();
    try {
      Path parent = file.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (!Files.exists(file)) {
        createSqliteFile(file);
      }
      checkSqliteHeader(file);
      JdbcMetaStore store =
          new JdbcMetaStore(Dialect.SQLITE, connectSqlite(file), SQLITE_TABLE, file.toString());
      try {
        store.checkSqliteIntegrity(file);
      } catch (RuntimeException damaged) {
        store.close();
        throw damaged;
      }
      return store;
    } catch (SQLException | java.io.IOException e) {
      throw new BasaltException(
          e, ErrorCode.IO_ERROR, "cannot open metadata store " + file + ": " + e.getMessage());
    }
  }

  private static Connection connectSqlite(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MILLIS);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    // The driver itself, not DriverManager: its first use loads and initializes every driver on the
    // class path (Calcite's, Avatica's, PostgreSQL's), some 40 ms of a start's main thread.
    return org.sqlite.JDBC.createConnection("jdbc:sqlite:" + file, config.toProperties());
  }

  /**
   * Creates an empty store at {@code file} through a temporary file and an atomic rename. Closing
   * the connection checkpoints the WAL into the file, so the renamed file is complete on its own.
   */
  private static void createSqliteFile(Path file) throws SQLException, java.io.IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".creating");
    for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
      Files.deleteIfExists(temporary.resolveSibling(temporary.getFileName() + suffix));
    }
    try (Connection connection = connectSqlite(temporary);
        Statement statement = connection.createStatement()) {
      statement.execute(createTableSql(Dialect.SQLITE, SQLITE_TABLE));
    }
    try (java.nio.channels.FileChannel channel =
        java.nio.channels.FileChannel.open(temporary, java.nio.file.StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    try (java.nio.channels.FileChannel directory =
        java.nio.channels.FileChannel.open(
            file.getParent(), java.nio.file.StandardOpenOption.READ)) {
      directory.force(true);
    }
  }

  /** SQLite's files start with these 16 bytes. */
  private static final byte[] SQLITE_HEADER =
      "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private static void checkSqliteHeader(Path file) throws java.io.IOException {
    byte[] start = new byte[SQLITE_HEADER.length];
    int read;
    try (java.io.InputStream in = Files.newInputStream(file)) {
      read = in.readNBytes(start, 0, start.length);
    }
    if (read == 0) {
      throw corrupt(file, "the file is empty (zero length)");
    }
    if (read < start.length || !Arrays.equals(start, SQLITE_HEADER)) {
      throw corrupt(file, "the file does not start with SQLite's header");
    }
  }

  private void checkSqliteIntegrity(Path file) {
    try (Statement statement = connection.createStatement()) {
      try (ResultSet rows = statement.executeQuery("PRAGMA quick_check")) {
        String verdict = rows.next() ? rows.getString(1) : "no answer";
        if (!"ok".equalsIgnoreCase(verdict)) {
          throw corrupt(file, "SQLite's quick_check reports: " + verdict);
        }
      }
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'")) {
        if (!rows.next()) {
          throw corrupt(file, "it has no " + table + " table, so it is not a Basalt catalog");
        }
      }
    } catch (SQLException e) {
      throw corrupt(file, e.getMessage());
    }
  }

  private static BasaltException corrupt(Path file, String reason) {
    return new BasaltException(ErrorCode.CORRUPT_METADATA, file, reason);
  }

  /**
   * Opens the PostgreSQL store in table {@code tableName} (optionally schema-qualified, e.g. {@code
   * basalt.meta}; the schema must exist), creating the table if needed.
   */
  public static JdbcMetaStore openPostgres(
      String jdbcUrl, String user, String password, String tableName) {
    if (!TABLE_NAME.matcher(tableName).matches()) {
      throw new IllegalArgumentException("not a plain table name: " + tableName);
    }
    try {
      Properties properties = new Properties();
      properties.setProperty("user", user);
      if (password != null) {
        properties.setProperty("password", password);
      }
      Connection connection = DriverManager.getConnection(jdbcUrl, properties);
      connection.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
      return new JdbcMetaStore(
          Dialect.POSTGRESQL, connection, tableName, "PostgreSQL table " + tableName);
    } catch (SQLException e) {
      throw new BasaltException(
          e, ErrorCode.IO_ERROR, "cannot open metadata store " + jdbcUrl + ": " + e.getMessage());
    }
  }

  public Dialect dialect() {
    return dialect;
  }

  private void createTableIfMissing() throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(createTableSql(dialect, table));
      if (dialect == Dialect.POSTGRESQL) {
        statement.execute(
            "CREATE TABLE IF NOT EXISTS "
                + changeTable()
                + " (seq BIGINT NOT NULL PRIMARY KEY, keys TEXT[] NOT NULL,"
                + " committed_millis BIGINT NOT NULL)");
      }
    }
  }

  /** The change log of a PostgreSQL store: beside its table, with {@code _changes} appended. */
  private String changeTable() {
    return table + "_changes";
  }

  /** The advisory lock all front ends of one PostgreSQL catalog take around each commit. */
  private long advisoryLockKey() {
    // A fixed tag in the high bits keeps it apart from other applications' advisory locks.
    return 0x4261_7361_0000_0000L | (table.hashCode() & 0xffff_ffffL);
  }

  @Override
  public boolean isShared() {
    return dialect == Dialect.POSTGRESQL;
  }

  @Override
  public long lastChangeSequence() {
    if (!isShared()) {
      return 0;
    }
    lock.lock();
    try {
      checkOpen();
      try (Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM " + changeTable())) {
        rows.next();
        return rows.getLong(1);
      }
    } catch (SQLException e) {
      throw ioError("read the change log of", e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<List<StoreChange>> changesSince(long sequence) {
    if (!isShared()) {
      return Optional.of(List.of());
    }
    lock.lock();
    try {
      checkOpen();
      List<StoreChange> changes = new ArrayList<>();
      ownSequences.headSet(sequence, true).clear();
      boolean first = true;
      try (PreparedStatement statement =
          connection.prepareStatement(
              "SELECT seq, keys FROM " + changeTable() + " WHERE seq > ? ORDER BY seq")) {
        statement.setLong(1, sequence);
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            long seq = rows.getLong(1);
            if (first && seq != sequence + 1) {
              return Optional.empty(); // pruned past what the caller has seen
            }
            first = false;
            if (!ownSequences.contains(seq)) {
              changes.add(
                  new StoreChange(seq, Arrays.asList((String[]) rows.getArray(2).getArray())));
            }
          }
        }
      }
      return Optional.of(changes);
    } catch (SQLException e) {
      throw ioError("read the change log of", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * PostgreSQL: holds the commit advisory lock around {@code action}. It is a session lock and
   * re-entrant, so commits of this store (this process, its one session) go on meanwhile; other
   * front ends wait.
   */
  @Override
  public <T> T exclusively(java.util.function.Supplier<T> action) {
    if (!isShared()) {
      return action.get();
    }
    withConnection(true);
    try {
      return action.get();
    } finally {
      withConnection(false);
    }
  }

  private void withConnection(boolean take) {
    lock.lock();
    try {
      checkOpen();
      advisoryLock(take);
    } catch (SQLException e) {
      throw ioError(take ? "lock" : "unlock", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Appends the batch's keys to the change log, inside the commit's transaction.
   *
   * @return the commit's number in the log
   */
  private long logChange(Set<String> keys) throws SQLException {
    long sequence;
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO "
                + changeTable()
                + " (seq, keys, committed_millis) SELECT COALESCE(MAX(seq), 0) + 1, ?, ? FROM "
                + changeTable()
                + " RETURNING seq")) {
      statement.setArray(1, connection.createArrayOf("text", keys.toArray(new String[0])));
      statement.setLong(2, System.currentTimeMillis());
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        sequence = rows.getLong(1);
      }
    }
    if (++commitsSincePrune >= COMMITS_PER_PRUNE) {
      commitsSincePrune = 0;
      try (PreparedStatement statement =
          connection.prepareStatement(
              "DELETE FROM "
                  + changeTable()
                  + " WHERE committed_millis < ? AND seq < (SELECT MAX(seq) FROM "
                  + changeTable()
                  + ")")) {
        statement.setLong(1, System.currentTimeMillis() - CHANGE_LOG_RETENTION_MILLIS);
        statement.executeUpdate();
      }
    }
    return sequence;
  }

  private void advisoryLock(boolean take) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            take ? "SELECT pg_advisory_lock(?)" : "SELECT pg_advisory_unlock(?)")) {
      statement.setLong(1, advisoryLockKey());
      statement.executeQuery().close();
    }
  }

  private static String createTableSql(Dialect dialect, String table) {
    return switch (dialect) {
      case SQLITE ->
          "CREATE TABLE IF NOT EXISTS " + table + " (k TEXT NOT NULL PRIMARY KEY, v BLOB NOT NULL)";
      case POSTGRESQL ->
          "CREATE TABLE IF NOT EXISTS "
              + table
              + " (k TEXT COLLATE \"C\" NOT NULL PRIMARY KEY, v BYTEA NOT NULL)";
    };
  }

  @Override
  public Optional<byte[]> get(String key) {
    lock.lock();
    try {
      checkOpen();
      for (int attempt = 1; ; attempt++) {
        try {
          return Optional.ofNullable(read(key, false));
        } catch (SQLException e) {
          // A serializable read may still meet another front end's commit of the same row: the
          // read alone is run again (it changed nothing).
          if (!isConflict(e) || attempt == READ_ATTEMPTS) {
            throw e;
          }
        }
      }
    } catch (SQLException e) {
      throw ioError("read " + key, e);
    } finally {
      lock.unlock();
    }
  }

  /** How often a plain read that failed on a concurrent commit is run. */
  private static final int READ_ATTEMPTS = 5;

  /**
   * @param forUpdate whether the row is locked until the transaction ends (a commit's
   *     preconditions, on PostgreSQL); a plain read outside a transaction takes no lock, which in a
   *     serializable transaction of its own failed when another front end committed the row
   */
  private byte[] read(String key, boolean forUpdate) throws SQLException {
    String sql =
        "SELECT v FROM "
            + table
            + " WHERE k = ?"
            + (forUpdate && dialect == Dialect.POSTGRESQL ? " FOR UPDATE" : "");
    PreparedStatement statement = prepared(sql);
    statement.setString(1, key);
    try (ResultSet rows = statement.executeQuery()) {
      return rows.next() ? checked(key, rows.getBytes(1)) : null;
    }
  }

  /**
   * The connection's prepared statement of {@code sql}, prepared on first use and kept open until
   * {@link #close}: a load's catalog commit runs the same few statements (a read for its
   * precondition, an upsert per record), and preparing them each time was a tenth of the commit.
   * Called under {@link #lock}; the caller sets every parameter and closes any result set.
   */
  private PreparedStatement prepared(String sql) throws SQLException {
    PreparedStatement statement = preparedStatements.get(sql);
    if (statement == null) {
      statement = connection.prepareStatement(sql);
      preparedStatements.put(sql, statement);
    }
    return statement;
  }

  @Override
  public List<KeyValue> scan(String prefix) {
    lock.lock();
    try {
      checkOpen();
      return scanLocked(prefix);
    } catch (SQLException e) {
      throw ioError("scan " + prefix, e);
    } finally {
      lock.unlock();
    }
  }

  private List<KeyValue> scanLocked(String prefix) throws SQLException {
    String upper = prefixUpperBound(prefix);
    String sql =
        "SELECT k, v FROM "
            + table
            + " WHERE k >= ?"
            + (upper == null ? "" : " AND k < ?")
            + " ORDER BY k";
    List<KeyValue> result = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, prefix);
      if (upper != null) {
        statement.setString(2, upper);
      }
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          String key = rows.getString(1);
          if (!key.startsWith(prefix)) {
            break;
          }
          result.add(new KeyValue(key, checked(key, rows.getBytes(2))));
        }
      }
    }
    return result;
  }

  /**
   * PostgreSQL: the scans run in one read-only transaction, so they share one snapshot of the
   * store. SQLite (one process writes it; its transactions here take the write lock): one after the
   * other.
   */
  @Override
  public List<List<KeyValue>> scanConsistently(List<String> prefixes) {
    if (dialect != Dialect.POSTGRESQL) {
      return MetaStore.super.scanConsistently(prefixes);
    }
    lock.lock();
    try {
      checkOpen();
      connection.setAutoCommit(false);
      try {
        List<List<KeyValue>> results = new ArrayList<>();
        for (String prefix : prefixes) {
          results.add(scanLocked(prefix));
        }
        connection.commit();
        return results;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw ioError("scan " + prefixes, e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The smallest string above every string with this prefix, or {@code null} when there is no
   * simple one (then the scan stops at the first key without the prefix).
   */
  private static String prefixUpperBound(String prefix) {
    if (prefix.isEmpty()) {
      return null;
    }
    char last = prefix.charAt(prefix.length() - 1);
    if (last >= 0x7f) {
      return null;
    }
    return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
  }

  @Override
  public void commit(WriteBatch batch) {
    if (batch.isEmpty()) {
      return;
    }
    lock.lock();
    boolean shared = isShared();
    try {
      checkOpen();
      if (shared) {
        advisoryLock(true);
      }
      connection.setAutoCommit(false);
      try {
        Set<String> mustBeAbsent = new HashSet<>();
        for (WriteBatch.Precondition precondition : batch.preconditions()) {
          byte[] current = read(precondition.key(), true);
          switch (precondition) {
            case WriteBatch.KeyAbsent absent -> {
              if (current != null) {
                throw new MetaStoreConflictException("key '" + absent.key() + "' already exists");
              }
              mustBeAbsent.add(absent.key());
            }
            case WriteBatch.KeyHasValue expected -> {
              if (current == null || !Arrays.equals(current, expected.value())) {
                throw new MetaStoreConflictException(
                    "key '" + expected.key() + "' changed concurrently");
              }
            }
          }
        }
        applyWrites(batch.writes(), mustBeAbsent);
        long sequence =
            shared && !batch.writes().isEmpty() ? logChange(batch.writes().keySet()) : 0;
        FaultPoints.hit(FaultPoint.METADATA_COMMIT_BEFORE);
        connection.commit();
        if (sequence > 0) {
          // Only once the commit is known to have happened: a commit whose answer was lost is
          // reported by changesSince and reread.
          ownSequences.add(sequence);
        }
        FaultPoints.hit(FaultPoint.METADATA_COMMIT_AFTER);
      } catch (MetaStoreConflictException e) {
        connection.rollback();
        throw e;
      } catch (SQLException e) {
        connection.rollback();
        if (isConflict(e)) {
          throw new MetaStoreConflictException("concurrent metadata commit: " + e.getMessage(), e);
        }
        throw e;
      } catch (IOException e) {
        // An injected failure (FaultPoints fail mode): before the commit nothing of the batch is
        // applied; after it the batch is durable and the caller is told otherwise, as when the
        // answer of a commit is lost.
        connection.rollback();
        throw new BasaltException(
            e, ErrorCode.IO_ERROR, "metadata store commit failed: " + e.getMessage());
      } finally {
        connection.setAutoCommit(true);
        if (shared) {
          advisoryLock(false);
        }
      }
    } catch (SQLException e) {
      throw ioError("commit", e);
    } finally {
      lock.unlock();
    }
  }

  private void applyWrites(Map<String, byte[]> writes, Set<String> mustBeAbsent)
      throws SQLException {
    String upsert =
        "INSERT INTO "
            + table
            + " (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v";
    String insert = "INSERT INTO " + table + " (k, v) VALUES (?, ?)";
    String delete = "DELETE FROM " + table + " WHERE k = ?";
    for (Map.Entry<String, byte[]> write : writes.entrySet()) {
      if (write.getValue() == null) {
        PreparedStatement deleteStatement = prepared(delete);
        deleteStatement.setString(1, write.getKey());
        deleteStatement.executeUpdate();
      } else {
        PreparedStatement statement =
            prepared(mustBeAbsent.contains(write.getKey()) ? insert : upsert);
        statement.setString(1, write.getKey());
        statement.setBytes(2, RecordChecksum.seal(write.getKey(), write.getValue()));
        statement.executeUpdate();
      }
    }
  }

  /** A stored value's record, its checksum verified (see {@link RecordChecksum}). */
  private byte[] checked(String key, byte[] stored) {
    try {
      return RecordChecksum.open(key, stored);
    } catch (IllegalStateException mismatch) {
      throw new BasaltException(ErrorCode.CORRUPT_METADATA, location, mismatch.getMessage());
    }
  }

  private boolean isConflict(SQLException e) {
    return switch (dialect) {
      // serialization failure, deadlock, unique violation
      case POSTGRESQL ->
          "40001".equals(e.getSQLState())
              || "40P01".equals(e.getSQLState())
              || "23505".equals(e.getSQLState());
      // SQLITE_BUSY (lock wait timed out) and SQLITE_CONSTRAINT (primary key taken)
      case SQLITE -> (e.getErrorCode() & 0xff) == 5 || (e.getErrorCode() & 0xff) == 19;
    };
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("metadata store is closed");
    }
  }

  private BasaltException ioError(String what, SQLException e) {
    return new BasaltException(
        e, ErrorCode.IO_ERROR, "metadata store " + what + " failed: " + e.getMessage());
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (PreparedStatement statement : preparedStatements.values()) {
        statement.close();
      }
      preparedStatements.clear();
      connection.close();
    } catch (SQLException e) {
      throw ioError("close", e);
    } finally {
      lock.unlock();
    }
  }
}
