package dev.basalt.server.engine;

import dev.basalt.server.session.ValuesRows;

/**
 * Where an {@code INSERT ... VALUES} statement's rows are read from without the planner: the
 * statement's text ({@link #TEXT}), the client's bytes of a COM_QUERY ({@link StatementBytes}), or
 * the values bound to a prepared INSERT's placeholders. Stateless or confined to one statement.
 */
@FunctionalInterface
interface ValuesSource {
  /** The literals of the statement's text, encoded to UTF-8 again. */
  ValuesSource TEXT = (source, sourceOffset) -> LiteralRows.of(source);

  /**
   * The rows of the INSERT's source {@code source} (the text from {@code VALUES} on), which starts
   * at {@code sourceOffset} of the statement as the parser reports it; null when they must be
   * planned (a value that is no plain literal).
   */
  ValuesRows rows(String source, int sourceOffset);
}
