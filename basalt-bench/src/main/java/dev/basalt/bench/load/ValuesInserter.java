package dev.basalt.bench.load;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Sends rows given as SQL literal tuples ({@code (1, 'a')}) as multi-row {@code INSERT ... VALUES}
 * statements of at most {@code rowsPerStatement} rows. Call {@link #add} per row and {@link #flush}
 * once at the end. Not thread safe; the caller owns the connection.
 */
public final class ValuesInserter implements AutoCloseable {
  private final Statement statement;
  private final String prefix;
  private final int rowsPerStatement;
  private final StringBuilder text = new StringBuilder();
  private int rowsInStatement;
  private long rows;

  /**
   * @param connection where the table is (its current database, or {@code table} is qualified)
   * @param table the table name
   * @param rowsPerStatement the most rows one statement carries
   */
  public ValuesInserter(Connection connection, String table, int rowsPerStatement)
      throws SQLException {
    this.statement = connection.createStatement();
    this.prefix = "INSERT INTO " + table + " VALUES ";
    this.rowsPerStatement = rowsPerStatement;
  }

  /** Adds one row, e.g. {@code (1, 'a', 2.50)}; sends a statement when it is full. */
  public void add(CharSequence tuple) throws SQLException {
    text.append(rowsInStatement == 0 ? prefix : ", ").append(tuple);
    rowsInStatement++;
    rows++;
    if (rowsInStatement == rowsPerStatement) {
      flush();
    }
  }

  /** Sends the rows added since the last statement, if any. */
  public void flush() throws SQLException {
    if (rowsInStatement > 0) {
      statement.execute(text.toString());
      text.setLength(0);
      rowsInStatement = 0;
    }
  }

  /** The rows added so far. */
  public long rows() {
    return rows;
  }

  /** Closes the statement; rows not flushed are dropped. */
  @Override
  public void close() throws SQLException {
    statement.close();
  }
}
