package dev.basalt.server.engine;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.result.BatchStream;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.memory.QueryMemoryBudget;
import dev.basalt.exec.operator.Operator;
import java.util.function.Function;

/**
 * A query's result as it is produced: each {@link #next()} runs the operator tree for one more
 * batch, so a result of any size streams to the client without being held. A failure while running
 * becomes the statement's error through {@code failures} (the same translation as failures before
 * the first row, e.g. an OutOfMemoryError into MEM_LIMIT_EXCEEDED).
 *
 * <p>Owns the operator tree and the statement's memory budget, and closes both in {@link #close()}
 * (idempotent). Used by the one thread that sends the result.
 */
final class QueryResultStream implements BatchStream {
  private final Operator operator;
  private final QueryMemoryBudget memory;
  private final Function<Throwable, BasaltException> failures;
  private Batch prefetched;
  private boolean hasPrefetched;
  private boolean closed;
  private boolean exhausted;
  private boolean failed;
  private long rows;
  private Runnable onClose;

  QueryResultStream(
      Operator operator, QueryMemoryBudget memory, Function<Throwable, BasaltException> failures) {
    this.operator = operator;
    this.memory = memory;
    this.failures = failures;
  }

  /** Produces the first batch now (it is returned by the first {@link #next()}). */
  void prefetch() {
    if (!hasPrefetched) {
      prefetched = pull();
      hasPrefetched = true;
    }
  }

  @Override
  public Batch next() {
    if (hasPrefetched) {
      Batch batch = prefetched;
      prefetched = null;
      hasPrefetched = false;
      return batch;
    }
    return pull();
  }

  private Batch pull() {
    try {
      Batch batch = operator.next();
      if (batch == null) {
        exhausted = true;
      } else {
        rows += batch.rowCount();
      }
      return batch;
    } catch (Throwable failure) {
      failed = true;
      throw failures.apply(failure);
    }
  }

  /**
   * Runs {@code action} once when the stream closes, after the operators are closed and before the
   * memory budget is (a profiled query records its profile there).
   */
  void onClose(Runnable action) {
    this.onClose = action;
  }

  /**
   * {@code OK} when every row was produced, {@code ERR} after a failure, else {@code CANCELLED}.
   */
  String state() {
    return failed ? "ERR" : exhausted ? "OK" : "CANCELLED";
  }

  /** Rows produced so far. */
  long rows() {
    return rows;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    prefetched = null;
    try {
      operator.close();
    } finally {
      try {
        if (onClose != null) {
          onClose.run();
        }
      } finally {
        memory.close();
      }
    }
  }
}
