package dev.basalt.storage.tablet;

import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.LongVector;

/**
 * UNIQUE KEY: the newest row of a key replaces the older ones whole (merge-on-read tables; a
 * merge-on-write table's live rows already hold each key once), with the table's unique-key
 * options: with a sequence column a newer row replaces only if {@link SequenceOrder} lets it; with
 * replace-if-not-null a NULL keeps the older value of its column.
 */
final class ReplaceMergeFunction implements MergeFunction {
  private final int sequenceColumn;
  private final boolean replaceIfNotNull;
  private Batch latest;
  private int latestRow;

  /** Per column, the batch and row its value comes from (replace-if-not-null only). */
  private Batch[] sourceBatches;

  private int[] sourceRows;

  /**
   * @param sequenceColumn the sequence column's position in the batches (values read as longs), or
   *     -1
   */
  ReplaceMergeFunction(int sequenceColumn, boolean replaceIfNotNull) {
    this.sequenceColumn = sequenceColumn;
    this.replaceIfNotNull = replaceIfNotNull;
  }

  @Override
  public boolean keepsEveryRow() {
    return false;
  }

  @Override
  public void reset(Batch batch, int row) {
    latest = batch;
    latestRow = row;
    if (replaceIfNotNull) {
      int columns = batch.columnCount();
      if (sourceBatches == null || sourceBatches.length != columns) {
        sourceBatches = new Batch[columns];
        sourceRows = new int[columns];
      }
      java.util.Arrays.fill(sourceBatches, batch);
      java.util.Arrays.fill(sourceRows, row);
    }
  }

  @Override
  public void add(Batch batch, int row) {
    if (sequenceColumn >= 0 && !newerWins(batch, row)) {
      return;
    }
    latest = batch;
    latestRow = row;
    if (replaceIfNotNull) {
      for (int column = 0; column < sourceBatches.length; column++) {
        if (!batch.column(column).isNull(row)) {
          sourceBatches[column] = batch;
          sourceRows[column] = row;
        }
      }
    }
  }

  private boolean newerWins(Batch batch, int row) {
    ColumnVector newer = batch.column(sequenceColumn);
    ColumnVector older = latest.column(sequenceColumn);
    boolean newerNull = newer.isNull(row);
    boolean olderNull = older.isNull(latestRow);
    return SequenceOrder.newerWins(
        newerNull,
        newerNull ? 0 : ((LongVector) newer).getLong(row),
        olderNull,
        olderNull ? 0 : ((LongVector) older).getLong(latestRow));
  }

  @Override
  public void emit(ColumnVectorBuilder[] output) {
    for (int column = 0; column < output.length; column++) {
      if (replaceIfNotNull) {
        output[column].appendFrom(sourceBatches[column].column(column), sourceRows[column]);
      } else {
        output[column].appendFrom(latest.column(column), latestRow);
      }
    }
    latest = null;
    if (sourceBatches != null) {
      java.util.Arrays.fill(sourceBatches, null);
    }
  }
}
