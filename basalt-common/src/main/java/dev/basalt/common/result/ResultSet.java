package dev.basalt.common.result;

import java.util.List;

/**
 * Rows returned by a statement: the column descriptions and a stream of batches whose vectors
 * follow {@code columns} in order and type. The receiver owns the stream and must close it.
 */
public record ResultSet(List<ResultColumn> columns, BatchStream rows) implements StatementResult {
  public ResultSet {
    columns = List.copyOf(columns);
  }
}
