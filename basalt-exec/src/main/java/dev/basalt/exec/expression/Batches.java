package dev.basalt.exec.expression;

import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectors;
import java.util.ArrayList;
import java.util.List;

/**
 * Copying helpers over batches shared by operators and expressions: the rows a filter keeps,
 * gathered by {@link ColumnVectors#take}. Stateless.
 */
public final class Batches {
  private Batches() {}

  /**
   * The rows {@code positions[0 .. count)} of {@code input}'s vectors, in that order, as a
   * compacted batch (whatever selection {@code input} has, the positions are offsets into its
   * vectors).
   */
  public static Batch select(Batch input, int[] positions, int count) {
    if (count == input.rowCount() && isIdentity(positions, count)) {
      return input.hasSelection() ? new Batch(input.columns(), count) : input;
    }
    List<ColumnVector> columns = new ArrayList<>(input.columnCount());
    for (ColumnVector column : input.columns()) {
      columns.add(select(column, positions, count));
    }
    return new Batch(columns, count);
  }

  /**
   * The selected rows of {@code batch} (see {@link Batch#selection()}) of the columns in {@code
   * columns}, gathered, in column order; {@code null} in place of every other column.
   */
  public static List<ColumnVector> gather(Batch batch, java.util.BitSet columns) {
    List<ColumnVector> gathered = new ArrayList<>(batch.columnCount());
    for (int column = 0; column < batch.columnCount(); column++) {
      gathered.add(
          columns.get(column)
              ? select(batch.column(column), batch.selection(), batch.selectedCount())
              : null);
    }
    return gathered;
  }

  public static ColumnVector select(ColumnVector column, int[] positions, int count) {
    return ColumnVectors.take(column, positions, count);
  }

  private static boolean isIdentity(int[] positions, int count) {
    for (int i = 0; i < count; i++) {
      if (positions[i] != i) {
        return false;
      }
    }
    return true;
  }
}
