package dev.basalt.storage.tablet;

import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVectorBuilder;

/** DUPLICATE KEY: every row is kept; merging only interleaves the sorted inputs. */
final class DuplicateMergeFunction implements MergeFunction {
  @Override
  public boolean keepsEveryRow() {
    return true;
  }

  @Override
  public void reset(Batch batch, int row) {
    throw new UnsupportedOperationException("duplicate-key rows are not combined");
  }

  @Override
  public void add(Batch batch, int row) {
    throw new UnsupportedOperationException("duplicate-key rows are not combined");
  }

  @Override
  public void emit(ColumnVectorBuilder[] output) {
    throw new UnsupportedOperationException("duplicate-key rows are not combined");
  }
}
