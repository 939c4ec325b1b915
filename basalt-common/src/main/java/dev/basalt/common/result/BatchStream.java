package dev.basalt.common.result;

import dev.basalt.common.vector.Batch;
import java.util.Iterator;
import java.util.List;

/**
 * A pull-based stream of {@link Batch}es, consumed once by one thread. The consumer calls {@link
 * #next()} until it returns {@code null} and then (or earlier, to stop) {@link #close()}, which
 * releases what the producer holds (snapshots, memory).
 */
public interface BatchStream extends AutoCloseable {

  /** The next batch, compacted (no selection), or {@code null} when the stream is exhausted. */
  Batch next();

  /**
   * Like {@link #next()}, for a consumer that reads a batch's selection in place: the batch may
   * carry one ({@link Batch#selection()}), as {@code Operator.nextSelected()} describes. By default
   * {@link #next()}; a segment scan that selects rows while decoding hands a dense selection on.
   */
  default Batch nextSelected() {
    return next();
  }

  @Override
  default void close() {}

  static BatchStream of(List<Batch> batches) {
    Iterator<Batch> iterator = batches.iterator();
    return () -> iterator.hasNext() ? iterator.next() : null;
  }
}
