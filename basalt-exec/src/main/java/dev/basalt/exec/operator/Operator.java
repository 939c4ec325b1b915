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
 */
public interface Operator extends AutoCloseable {

  List<DataType> outputTypes();

  /** The next batch, or {@code null} when exhausted. */
  Batch next();

  @Override
  void close();
}
