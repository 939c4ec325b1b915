package dev.basalt.exec.operator;

import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.LongVector;
import java.util.List;

/**
 * Rows of one input batch as a hash aggregation aggregates them: the batch's columns (each {@code
 * rowCount} long) and the rows to aggregate, {@code positions[0 .. count)} ({@code null}: rows
 * {@code 0 .. count - 1}), which the group-id lookup ({@link GroupKeys#groupIds}) and the
 * accumulators ({@link dev.basalt.exec.function.GroupedAccumulator#addBatch}) loop over. A batch's
 * selection is read in place whatever its density: nothing is gathered (docs/benchmarks.md,
 * "Positions-based aggregation").
 */
record AggregationInput(List<ColumnVector> columns, int rowCount, int[] positions, int count) {

  static AggregationInput of(Batch batch) {
    return new AggregationInput(
        batch.columns(), batch.rowCount(), batch.selection(), batch.selectedCount());
  }

  /** The row at index {@code i} of the positions. */
  int row(int i) {
    return positions == null ? i : positions[i];
  }

  /** These rows narrowed to {@code chosen[0 .. chosenCount)} (ascending, among them). */
  AggregationInput narrowed(int[] chosen, int chosenCount) {
    return new AggregationInput(columns, rowCount, chosen, chosenCount);
  }

  /**
   * These rows narrowed to those whose FILTER (WHERE ...) column {@code condition} is TRUE, not
   * FALSE or NULL. A BOOLEAN is always a {@link LongVector}; a column of any other vector class
   * holds no TRUE (its values are numbers, decimals or strings, never a boolean), so it keeps no
   * row.
   */
  AggregationInput where(ColumnVector condition) {
    int[] kept = new int[count];
    int keptCount = 0;
    if (condition instanceof LongVector booleans) {
      for (int i = 0; i < count; i++) {
        int row = row(i);
        if (!booleans.isNull(row) && booleans.getLong(row) != 0) {
          kept[keptCount++] = row;
        }
      }
    }
    return narrowed(kept, keptCount);
  }
}
