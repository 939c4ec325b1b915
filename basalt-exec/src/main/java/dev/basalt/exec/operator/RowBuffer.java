package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns rows of boxed values back into batches of at most {@link Batch#DEFAULT_SIZE} rows. Used by
 * VALUES lists. Not thread safe.
 */
final class RowBuffer {
  private final List<DataType> types;
  private final List<Object[]> rows;
  private int position;

  RowBuffer(List<DataType> types, List<Object[]> rows) {
    this.types = types;
    this.rows = rows;
  }

  /** The next batch of the buffered rows, or {@code null} when all were returned. */
  Batch next() {
    if (position >= rows.size()) {
      return null;
    }
    int count = Math.min(Batch.DEFAULT_SIZE, rows.size() - position);
    List<ColumnVector> columns = new ArrayList<>(types.size());
    for (int column = 0; column < types.size(); column++) {
      ColumnVectorBuilder builder = new ColumnVectorBuilder(types.get(column), count);
      for (int i = 0; i < count; i++) {
        builder.appendObject(rows.get(position + i)[column]);
      }
      columns.add(builder.build());
    }
    position += count;
    return new Batch(columns, count);
  }

  /** Row {@code row} of {@code batch} as boxed values. */
  static Object[] row(Batch batch, int row) {
    Object[] values = new Object[batch.columnCount()];
    for (int column = 0; column < values.length; column++) {
      values[column] = batch.column(column).getObject(row);
    }
    return values;
  }
}
