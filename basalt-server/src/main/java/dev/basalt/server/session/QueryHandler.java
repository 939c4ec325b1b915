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

  /** Called once when a connection closes, to drop what the session holds. */
  default void sessionClosed(Session session) {}
}
