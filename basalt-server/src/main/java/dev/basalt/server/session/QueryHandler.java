package dev.basalt.server.session;

import dev.basalt.common.result.StatementResult;
import java.util.List;

/**
 * Executes SQL text for a session: the one entry point the front doors (MySQL protocol, HTTP) call.
 *
 * <p>{@code sql} may hold several statements separated by semicolons; the results come back in
 * order. A statement that fails throws {@link dev.basalt.common.error.BasaltException} (earlier
 * statements of the same text have taken effect). Thread safe: many sessions call it at once, each
 * from its own thread.
 */
public interface QueryHandler {

  List<StatementResult> execute(Session session, String sql);

  /**
   * As {@link #execute(Session, String)}, with the UTF-8 bytes the client sent for {@code sql}:
   * {@code utf8[offset ..]} (a COM_QUERY packet's payload after its command byte, valid UTF-8,
   * decoded into {@code sql}). A handler may read values from the bytes in place instead of
   * encoding {@code sql} again; it must not keep or change them. The default runs {@code sql}.
   */
  default List<StatementResult> execute(Session session, String sql, byte[] utf8, int offset) {
    return execute(session, sql);
  }

  /**
   * Executes a server-side prepared statement: {@code template} is its text with {@code ?}
   * placeholders, {@code values} one value per placeholder as the client sent it ({@link Long},
   * {@link java.math.BigInteger}, {@link java.math.BigDecimal}, {@link Double}, {@link Float},
   * {@link String}; null for SQL NULL and for values of other kinds), and {@code sql} the same
   * statement with the values as SQL literals. The results are those of {@code execute(session,
   * sql)}; a handler may get them faster from a plan of {@code template} made once. The default
   * runs {@code sql}.
   */
  default List<StatementResult> executePrepared(
      Session session, String template, List<Object> values, String sql) {
    return execute(session, sql);
  }

  /**
   * Executes a server-side prepared {@code INSERT ... VALUES (?, ...), ...} whose every value is a
   * placeholder (a JDBC batch prepared on the server), with the values read into the columns
   * straight from the client's packet: {@code template} is its text with placeholders, {@code
   * oneRowStatement} the same INSERT with one row of {@code NULL}s as its VALUES (for its table and
   * columns), {@code rows} the bound values, and {@code sql} renders the statement with the values
   * as SQL literals, for a handler that cannot take the rows as they are. The results are those of
   * {@code execute(session, sql.get())}. The default runs that.
   */
  default List<StatementResult> executePreparedValues(
      Session session,
      String template,
      String oneRowStatement,
      ValuesRows rows,
      java.util.function.Supplier<String> sql) {
    return execute(session, sql.get());
  }

  /**
   * The columns {@code sql} (one statement) will return, without running it, for the MySQL
   * COM_STMT_PREPARE answer; empty when it returns no rows or cannot be described (errors are
   * reported when the statement executes).
   */
  default List<dev.basalt.common.result.ResultColumn> describe(Session session, String sql) {
    return List.of();
  }

  /** Called once when a connection closes, to drop what the session holds. */
  default void sessionClosed(Session session) {}

  /**
   * {@code sql} as it may appear in the server's log: the handler knows the language, so it removes
   * what a log must not keep (literals: data and passwords). The default keeps nothing.
   */
  default String loggable(String sql) {
    return sql == null ? null : "(statement not shown)";
  }
}
