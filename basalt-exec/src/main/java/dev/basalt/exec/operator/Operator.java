package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import java.util.List;

/**
 * A physical operator: pulls batches from its inputs and produces batches of {@link
 * #outputTypes()}.
 *
 * <p>Call order: {@link #next()} until it returns {@code null}, then {@link #close()} (which may
 * also be called early to stop). An operator owns its inputs and closes them. Not thread safe: one
 * operator tree is driven by one thread. Batches may have zero rows only at the end of a stream;
 * operators skip empty intermediate batches.
 *
 * <p>Selections: {@link #next()} always returns a compacted batch (no selection vector, see {@link
 * Batch}). A consumer that reads selected rows in place calls {@link #nextSelected()} instead, and
 * only such a consumer: a batch with a selection thereby never reaches an operator that does not
 * expect one. One operator is read through one of the two methods only.
 */
public interface Operator extends AutoCloseable {

  List<DataType> outputTypes();

  /** The next batch, or {@code null} when exhausted. */
  Batch next();

  /**
   * The next batch, possibly with a selection vector ({@link Batch#hasSelection()}), or {@code
   * null} when exhausted. Producers of selections (FilterOperator; StreamOperator over a segment
   * scan whose pushed filter keeps at least half a batch) and operators that pass their input's
   * selection on (ProjectOperator, the wrappers that count or cancel) override this; every other
   * operator returns {@link #next()}. A non-empty batch has at least one selected row.
   */
  default Batch nextSelected() {
    return next();
  }

  @Override
  void close();
}
