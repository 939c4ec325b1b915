package dev.basalt.exec.memory;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import java.nio.file.Path;

/**
 * The memory one statement may hold: at most {@link #limit()} bytes (the session's {@code
 * exec_mem_limit}, capped at the server's pool), reserved in the server-wide {@link MemoryPool} as
 * well. Operators that buffer rows take a {@link MemoryReservation} each from {@link
 * #reservation(String)} and grow it as they buffer; a reservation that would pass either limit
 * fails the statement with {@link ErrorCode#MEMORY_LIMIT_EXCEEDED}, naming the operator and the
 * limit. With a spill directory, operators that can (sort, hash aggregation, hash join) write what
 * does not fit to files there instead, up to {@link #spillLimit()}.
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
  private final Path spillDirectory;
  private long used;
  private long peak;
  private long spilled;

  /** The profiled operator being built, whose reservations count into it (see attributeTo). */
  private volatile MemoryUsageListener attribution;

  /**
   * @param limit the statement's own limit in bytes ({@code exec_mem_limit}); values that are not
   *     positive or above the pool's {@link MemoryPool#queryLimit()} mean that limit
   */
  public QueryMemoryBudget(MemoryPool pool, long limit, String queryId) {
    this(pool, limit, queryId, null);
  }

  /**
   * A budget whose operators may spill to files in {@code spillDirectory} (created when first
   * needed) instead of failing; {@code null} means they may not spill.
   */
  public QueryMemoryBudget(MemoryPool pool, long limit, String queryId, Path spillDirectory) {
    this.pool = pool;
    this.limit = limit <= 0 ? pool.queryLimit() : Math.min(limit, pool.queryLimit());
    this.queryId = queryId;
    this.spillDirectory = spillDirectory;
  }

  /**
   * How many bytes the statement may write to spill files: {@link #SPILL_LIMIT_FACTOR} times its
   * memory limit, so that a query far beyond any machine fails instead of filling the disk.
   */
  public long spillLimit() {
    return limit > Long.MAX_VALUE / SPILL_LIMIT_FACTOR
        ? Long.MAX_VALUE
        : limit * SPILL_LIMIT_FACTOR;
  }

  /** The spill limit as a multiple of the memory limit. */
  public static final long SPILL_LIMIT_FACTOR = 10;

  /** Where operators may write spill files, or {@code null} when they may not spill. */
  public Path spillDirectory() {
    return spillDirectory;
  }

  /**
   * Records that an operator of the statement wrote {@code bytes} more to spill files; throws
   * MEM_LIMIT_EXCEEDED when the statement passes {@link #spillLimit()}.
   */
  public synchronized void addSpilled(long bytes, String operatorName) {
    spilled += bytes;
    if (spilled > spillLimit()) {
      throw new BasaltException(
          ErrorCode.MEMORY_LIMIT_EXCEEDED,
          String.format(
              "Query %s exceeded its memory limit in %s even spilling to disk: its spill files"
                  + " would hold %d bytes, over %d times exec_mem_limit = %d bytes. Raise the limit"
                  + " (SET exec_mem_limit = <bytes>) or make the query hold fewer rows.",
              queryId, operatorName, spilled, SPILL_LIMIT_FACTOR, limit));
    }
  }

  /** A budget without limits, for operators run outside a server (tests, constant folding). */
  public static QueryMemoryBudget unlimited() {
    return new QueryMemoryBudget(MemoryPool.unlimited(), Long.MAX_VALUE, "unlimited");
  }

  /** A new, empty reservation for the operator named {@code operatorName} (used in errors). */
  public MemoryReservation reservation(String operatorName) {
    return new MemoryReservation(this, operatorName, attribution);
  }

  /**
   * Makes the reservations taken from now on count their memory and spills into {@code listener}
   * (the profile of the operator being built; null: none). Set by the plan's builder around each
   * operator it builds when the statement is profiled, so operators need not know about profiles.
   */
  public void attributeTo(MemoryUsageListener listener) {
    this.attribution = listener;
  }

  public long limit() {
    return limit;
  }

  /** The statement's query id (for error messages). */
  public String queryId() {
    return queryId;
  }

  /** The bytes the statement holds now. */
  public synchronized long used() {
    return used;
  }

  /** The most the statement held at once. */
  public synchronized long peak() {
    return peak;
  }

  /** Reserves {@code bytes} if both the statement's limit and the pool allow it. */
  synchronized boolean tryReserve(long bytes) {
    long next = used + bytes;
    if (next > limit || next < 0 || !pool.tryReserve(bytes)) {
      return false;
    }
    used = next;
    peak = Math.max(peak, used);
    return true;
  }

  synchronized void reserve(long bytes, String operatorName) {
    long next = used + bytes;
    if (next > limit || next < 0) {
      throw new BasaltException(
          ErrorCode.MEMORY_LIMIT_EXCEEDED,
          String.format(
              "Query %s exceeded its memory limit in %s: it would hold %d bytes, over"
                  + " exec_mem_limit = %d bytes. Raise the limit (SET exec_mem_limit = <bytes>)"
                  + " or make the query hold fewer rows (sorts, hash aggregation and hash joins spill to"
                  + " disk; windows and set operations do not yet).",
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
