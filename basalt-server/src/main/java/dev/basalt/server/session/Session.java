package dev.basalt.server.session;

import dev.basalt.exec.control.CancellationToken;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state of one client connection: who is connected, the current database and the session
 * variables. Created by a front door when a client authenticates and handed to the {@link
 * QueryHandler} with every statement.
 *
 * <p>A session is used by one statement at a time (its connection's thread); {@link
 * SessionRegistry} reads the descriptive fields from other threads for {@code SHOW PROCESSLIST}, so
 * those are volatile, and other threads may {@link #cancelStatement()} (KILL QUERY) or {@link
 * #kill()} it.
 */
public final class Session {
  private final long connectionId;
  private final String user;
  private final String clientHost;
  private final long loginTimeMillis = System.currentTimeMillis();
  private final Map<String, Object> variables = new ConcurrentHashMap<>();
  private final Map<String, Object> userVariables = new ConcurrentHashMap<>();
  private volatile String currentDatabase;
  private volatile String command = "Sleep";
  private volatile String currentStatement;
  private volatile String currentQueryId = "";
  private volatile long commandStartMillis = System.currentTimeMillis();
  private volatile String state = "";
  private volatile CancellationToken runningStatement = CancellationToken.NONE;
  private volatile boolean multipleStatementsAllowed;
  private volatile Runnable killer = () -> {};
  private ExplicitTransaction transaction;
  private volatile LocalFiles localFiles;
  private volatile Diagnostic lastError;

  public Session(long connectionId, String user, String clientHost) {
    this.connectionId = connectionId;
    this.user = user;
    this.clientHost = clientHost;
  }

  public long connectionId() {
    return connectionId;
  }

  public String user() {
    return user;
  }

  public String clientHost() {
    return clientHost;
  }

  public long loginTimeMillis() {
    return loginTimeMillis;
  }

  /** The current database, or {@code null} when none is selected. */
  /** The client's files for LOAD DATA LOCAL INFILE, or null when the client does not allow it. */
  public LocalFiles localFiles() {
    return localFiles;
  }

  public void setLocalFiles(LocalFiles files) {
    this.localFiles = files;
  }

  public String currentDatabase() {
    return currentDatabase;
  }

  public void setCurrentDatabase(String database) {
    this.currentDatabase = database;
  }

  /**
   * Session-scoped system variables that differ from the global value, keyed by lower-case name.
   * Values are {@link String}, {@link Long} or {@link Boolean}.
   */
  public Map<String, Object> variables() {
    return variables;
  }

  /** User variables ({@code SET @x = ...}), keyed by lower-case name without the {@code @}. */
  public Map<String, Object> userVariables() {
    return userVariables;
  }

  public String command() {
    return command;
  }

  public String currentStatement() {
    return currentStatement;
  }

  public String currentQueryId() {
    return currentQueryId;
  }

  public long commandStartMillis() {
    return commandStartMillis;
  }

  /**
   * What the running statement is doing, for SHOW PROCESSLIST's State ({@code "executing"}, {@code
   * "Sending data"}); empty between statements.
   */
  public String state() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  /** Marks the start of a command ({@code "Query"}, {@code "Sleep"} ...) for SHOW PROCESSLIST. */
  public void beginCommand(String command, String statement, String queryId) {
    this.command = command;
    this.currentStatement = statement;
    this.currentQueryId = queryId == null ? "" : queryId;
    this.commandStartMillis = System.currentTimeMillis();
  }

  public void endCommand() {
    beginCommand("Sleep", null, "");
    state = "";
  }

  /**
   * Marks the start of one statement that {@code cancellation} stops: {@link #cancelStatement()}
   * cancels it until {@link #endStatement()}.
   */
  public void beginStatement(String statement, String queryId, CancellationToken cancellation) {
    // State and token first: an observer that sees the command turn "Query" (volatile) also sees
    // them, so SHOW PROCESSLIST never shows a running query with an empty State.
    state = "executing";
    runningStatement = cancellation;
    beginCommand("Query", statement, queryId);
  }

  /** The token of the running statement, or {@link CancellationToken#NONE} between statements. */
  public CancellationToken runningStatement() {
    return runningStatement;
  }

  /** Marks the end of the statement begun last (when its result has been sent or it failed). */
  public void endStatement() {
    runningStatement = CancellationToken.NONE;
    endCommand();
  }

  /**
   * Stops the running statement at its next check with 1317 (KILL QUERY); a session between
   * statements is not affected.
   */
  public void cancelStatement() {
    runningStatement.cancel();
  }

  /**
   * Whether one COM_QUERY may carry several statements separated by {@code ;}: only when the client
   * announced CLIENT_MULTI_STATEMENTS or switched them on with COM_SET_OPTION, as in MySQL (this
   * keeps an injected {@code ; DROP ...} from running in clients that did not ask for it).
   */
  public boolean multipleStatementsAllowed() {
    return multipleStatementsAllowed;
  }

  public void setMultipleStatementsAllowed(boolean allowed) {
    this.multipleStatementsAllowed = allowed;
  }

  /**
   * The error the last statement ended with, as SHOW WARNINGS and SHOW ERRORS list it, or {@code
   * null} when it succeeded. Basalt raises no warnings or notes of its own, so this one error is
   * the whole of MySQL's diagnostics area.
   */
  public Diagnostic lastError() {
    return lastError;
  }

  /**
   * Records the error a statement ended with ({@code null} clears it); the protocol layer calls
   * this for every ERR packet and clears before each statement that is not a diagnostic one.
   */
  public void setLastError(Diagnostic error) {
    this.lastError = error;
  }

  /** One row of SHOW WARNINGS: level ("Error"), MySQL error number and message. */
  public record Diagnostic(String level, int code, String message) {}

  /** The open explicit transaction ({@code BEGIN} ... ), or {@code null} outside one. */
  public ExplicitTransaction transaction() {
    return transaction;
  }

  public void setTransaction(ExplicitTransaction transaction) {
    this.transaction = transaction;
  }

  /**
   * Stops the running statement and closes this session's connection (KILL CONNECTION); how to
   * close is set by the protocol layer.
   */
  public void kill() {
    cancelStatement();
    killer.run();
  }

  public void onKill(Runnable action) {
    this.killer = action;
  }
}
