package dev.basalt.server.session;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;

/**
 * The rows of an {@code INSERT ... VALUES} list, read straight into batches typed as the columns
 * they fill, without the planner: the literals of the statement's text, or the values a client
 * bound to a prepared INSERT's placeholders. A value that does not convert to its column's type
 * fails the statement ({@link dev.basalt.common.error.ErrorCode#BAD_VALUE} with its row number);
 * NOT NULL and CHAR/VARCHAR lengths are checked by the INSERT afterwards, as for any source.
 *
 * <p>Call order: {@link #width}, then one {@link #batches} stream, read by one thread; the rows'
 * bytes belong to the statement and must not be kept beyond it.
 */
public interface ValuesRows {
  /** Values in each row. */
  int width();

  /** The number of rows. */
  long rowCount();

  /**
   * The rows as batches of bounded size, value {@code i} of each row converted to {@code types[i]}.
   *
   * @param columnNames the column each value fills, for error messages
   */
  BatchStream batches(DataType[] types, String[] columnNames);
}
