package dev.basalt.storage.tablet;

import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVectorBuilder;

/**
 * How a table model combines the rows of one key when rowsets are merged (Paimon's merge engines):
 * one implementation per model, chosen by {@link TabletModel#newMergeFunction}.
 *
 * <p>Call order per key: {@link #reset} with the oldest row of the key, {@link #add} with each
 * newer row of the same key in version order (older segments first, then row order within a
 * segment), then {@link #emit} once. Rows are passed as a batch (laid out like the table's columns)
 * and a row number; the batch must stay unchanged until {@code emit} (batches are immutable, so
 * holding them is safe). Not thread safe; one instance per merge.
 */
public interface MergeFunction {

  /**
   * Whether rows with equal keys are kept side by side (DUPLICATE KEY) rather than combined; then
   * the merger emits every row itself and never calls the other methods.
   */
  boolean keepsEveryRow();

  /** Starts a key with its oldest row. */
  void reset(Batch batch, int row);

  /** Folds in a newer row of the same key. */
  void add(Batch batch, int row);

  /** Appends the combined row to {@code output} (one builder per table column). */
  void emit(ColumnVectorBuilder[] output);
}
