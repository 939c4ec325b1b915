package dev.basalt.exec.operator;

import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.exec.expression.Batches;
import java.util.BitSet;
import java.util.List;

/**
 * One input batch of a hash aggregation as it is aggregated: the columns (each {@code rowCount}
 * long; {@code null} where the aggregation reads no column) and the rows to aggregate, {@code
 * positions[0 .. count)} with the same rows flagged in {@code rowsSelected} ({@code null} for both:
 * every row).
 *
 * <p>A batch without a selection is taken as it is. A dense selection, keeping at least {@link
 * #DENSE_NUMERATOR} in {@link #DENSE_DENOMINATOR} rows, is aggregated in place: group ids for the
 * selected rows only, and the accumulators skip the others through the flags {@link
 * dev.basalt.exec.function.GroupedAccumulator#addBatch} takes, a branch per row that is well
 * predicted when nearly every row is selected. A sparser selection would mispredict that branch
 * more than gathering costs, so the selected rows of just the columns the aggregation reads are
 * gathered (docs/benchmarks.md, "Selection vectors").
 */
record AggregationInput(
    List<ColumnVector> columns, int rowCount, int[] positions, int count, boolean[] rowsSelected) {
  static final int DENSE_NUMERATOR = 7;
  static final int DENSE_DENOMINATOR = 8;

  static AggregationInput of(Batch batch, BitSet readColumns) {
    if (!batch.hasSelection()) {
      return new AggregationInput(batch.columns(), batch.rowCount(), null, batch.rowCount(), null);
    }
    int count = batch.selectedCount();
    if ((long) count * DENSE_DENOMINATOR >= (long) batch.rowCount() * DENSE_NUMERATOR) {
      boolean[] selected = new boolean[batch.rowCount()];
      int[] positions = batch.selection();
      for (int i = 0; i < count; i++) {
        selected[positions[i]] = true;
      }
      return new AggregationInput(batch.columns(), batch.rowCount(), positions, count, selected);
    }
    return new AggregationInput(Batches.gather(batch, readColumns), count, null, count, null);
  }
}
