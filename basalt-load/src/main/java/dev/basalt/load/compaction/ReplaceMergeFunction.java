package dev.basalt.load.compaction;

import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVectorBuilder;

/**
 * UNIQUE KEY: the newest row of a key replaces the older ones whole (merge-on-read tables; a
 * merge-on-write table's live rows already hold each key once).
 */
final class ReplaceMergeFunction implements MergeFunction {
  private Batch latest;
  private int latestRow;

  @Override
  public boolean keepsEveryRow() {
    return false;
  }

  @Override
  public void reset(Batch batch, int row) {
    latest = batch;
    latestRow = row;
  }

  @Override
  public void add(Batch batch, int row) {
    latest = batch;
    latestRow = row;
  }

  @Override
  public void emit(ColumnVectorBuilder[] output) {
    for (int column = 0; column < output.length; column++) {
      output[column].appendFrom(latest.column(column), latestRow);
    }
    latest = null;
  }
}
