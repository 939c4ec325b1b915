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

  /** The next batch, or {@code null} when the stream is exhausted. */
  Batch next();

  @Override
  default void close() {}

  static BatchStream of(List<Batch> batches) {
    Iterator<Batch> iterator = batches.iterator();
    return () -> iterator.hasNext() ? iterator.next() : null;
  }
}
