package dev.basalt.exec.memory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory that all running queries of one server share: every {@link QueryMemoryBudget} reserves
 * its bytes here as well as against its own limit, so that many queries that each stay under their
 * {@code exec_mem_limit} still cannot together exhaust the heap.
 *
 * <p>Thread safe: queries of all sessions reserve and release concurrently. Bytes are estimates of
 * what operators hold (see {@link MemoryEstimates}), not measured heap usage.
 */
public final class MemoryPool {
  /**
   * The share of the JVM's maximum heap that queries may hold together by default. The rest is left
   * to the catalog, the protocol buffers, garbage not yet collected and the error in the estimates.
   */
  public static final double DEFAULT_HEAP_FRACTION = 0.7;

  private final long limit;
  private final AtomicLong used = new AtomicLong();

  /** A pool of {@code limit} bytes; {@code limit} must be positive. */
  public MemoryPool(long limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("memory pool limit must be positive: " + limit);
    }
    this.limit = limit;
  }

  /** A pool of {@link #DEFAULT_HEAP_FRACTION} of this JVM's maximum heap. */
  public static MemoryPool forHeap() {
    return new MemoryPool((long) (Runtime.getRuntime().maxMemory() * DEFAULT_HEAP_FRACTION));
  }

  /** A pool that never refuses (tests and tools that run operators outside a server). */
  public static MemoryPool unlimited() {
    return new MemoryPool(Long.MAX_VALUE);
  }

  public long limit() {
    return limit;
  }

  /**
   * The most one query may hold: {@link #SINGLE_QUERY_FRACTION} of the pool, so that a query that
   * grows to its limit still leaves room for the small queries of other sessions.
   */
  public long queryLimit() {
    return limit == Long.MAX_VALUE ? limit : (long) (limit * SINGLE_QUERY_FRACTION);
  }

  /** The share of the pool one query may hold. */
  public static final double SINGLE_QUERY_FRACTION = 0.9;

  /** The bytes currently reserved by all queries. */
  public long used() {
    return used.get();
  }

  /** Reserves {@code bytes} if the pool has room; returns false (reserving nothing) otherwise. */
  boolean tryReserve(long bytes) {
    while (true) {
      long current = used.get();
      long next = current + bytes;
      if (next > limit || next < 0) {
        return false;
      }
      if (used.compareAndSet(current, next)) {
        return true;
      }
    }
  }

  /** Returns {@code bytes} reserved earlier. */
  void release(long bytes) {
    used.addAndGet(-bytes);
  }
}
