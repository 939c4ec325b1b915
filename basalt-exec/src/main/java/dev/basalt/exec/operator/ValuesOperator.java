package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import java.util.List;

/**
 * Constant rows, e.g. {@code VALUES (1, 'a'), (2, 'b')} or the one empty row of {@code SELECT 1}.
 */
public final class ValuesOperator implements Operator {
  private final List<DataType> types;
  private final int rowCount;
  private final RowBuffer rows;
  private boolean emittedColumnless;

  /** {@code rows} hold boxed values matching {@code types}. */
  public ValuesOperator(List<DataType> types, List<Object[]> rows) {
    this.types = List.copyOf(types);
    this.rowCount = rows.size();
    this.rows = new RowBuffer(this.types, rows);
  }

  @Override
  public List<DataType> outputTypes() {
    return types;
  }

  @Override
  public Batch next() {
    if (types.isEmpty()) {
      // A row type without columns (SELECT with only constants before projection).
      if (emittedColumnless || rowCount == 0) {
        return null;
      }
      emittedColumnless = true;
      return new Batch(List.of(), rowCount);
    }
    return rows.next();
  }

  @Override
  public void close() {}
}
