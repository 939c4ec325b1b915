package dev.basalt.exec.memory;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;

/**
 * The memory one statement may hold: at most {@link #limit()} bytes (the session's {@code
 * exec_mem_limit}, capped at the server's pool), reserved in the server-wide {@link MemoryPool} as
 * well. Operators that buffer rows take a {@link MemoryReservation} each from {@link
 * #reservation(String)} and grow it as they buffer; a reservation that would pass either limit
 * fails the statement with {@link ErrorCode#MEMORY_LIMIT_EXCEEDED}, naming the operator and the
 * limit. Nothing spills to disk yet (a later slice of issue 14).
 *
 * <p>Call order: create one per statement, hand out reservations while the operator tree runs, then
 * {@link #close()} when the statement ends; closing returns to the pool whatever reservations were
 * not closed (an operator tree abandoned by a failure). Thread safe, so that the parallel pipelines
 * to come can share one budget.
 */
public final class QueryMemoryBudget implements AutoCloseable {
  private final MemoryPool pool;
  private final long limit;
  private final String queryId;
  private long used;
  private long peak;

  /**
   * @param limit the statement's own limit in bytes ({@code exec_mem_limit}); values that are not
   *     positive or above the pool's limit mean the pool's limit
   */
  public QueryMemoryBudget(MemoryPool pool, long limit, String queryId) {
    this.pool = pool;
    this.limit = limit <= 0 ? pool.limit() : Math.min(limit, pool.limit());
    this.queryId = queryId;
  }

  /** A budget without limits, for operators run outside a server (tests, constant folding). */
  public static QueryMemoryBudget unlimited() {
    return new QueryMemoryBudget(MemoryPool.unlimited(), Long.MAX_VALUE, "unlimited");
  }

  /** A new, empty reservation for the operator named {@code operatorName} (used in errors). */
  public MemoryReservation reservation(String operatorName) {
    return new MemoryReservation(this, operatorName);
  }

  public long limit() {
    return limit;
  }

  /** The bytes the statement holds now. */
  public synchronized long used() {
    return used;
  }

  /** The most the statement held at once. */
  public synchronized long peak() {
    return peak;
  }

  synchronized void reserve(long bytes, String operatorName) {
    long next = used + bytes;
    if (next > limit || next < 0) {
      throw new BasaltException(
          ErrorCode.MEMORY_LIMIT_EXCEEDED,
          String.format(
              "Query %s exceeded its memory limit in %s: it would hold %d bytes, over"
                  + " exec_mem_limit = %d bytes. Raise the limit (SET exec_mem_limit = <bytes>)"
                  + " or make the query hold fewer rows; operators do not spill to disk yet.",
              queryId, operatorName, next, limit));
    }
    if (!pool.tryReserve(bytes)) {
      throw new BasaltException(
          ErrorCode.MEMORY_LIMIT_EXCEEDED,
          String.format(
              "Query %s could not reserve %d more bytes in %s: the queries running on this server"
                  + " would together exceed the server-wide query memory limit of %d bytes (%d in"
                  + " use). Retry when other queries have finished, or give the server a larger"
                  + " heap (BASALT_HEAP).",
              queryId, bytes, operatorName, pool.limit(), pool.used()));
    }
    used = next;
    peak = Math.max(peak, used);
  }

  synchronized void release(long bytes) {
    long returned = Math.min(bytes, used);
    used -= returned;
    pool.release(returned);
  }

  @Override
  public synchronized void close() {
    pool.release(used);
    used = 0;
  }
}
