package dev.basalt.exec.memory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory that all running queries of one server share: every {@link QueryMemoryBudget} reserves
 * its bytes here as well as against its own limit, so that many queries that each stay under their
 * {@code exec_mem_limit} still cannot together exhaust the heap.
 *
 * <p>Caches may hold a part of the pool too, as {@link Reclaimable} memory that they give back when
 * a query needs it (so a cache uses memory queries do not, and never makes one fail).
 *
 * <p>Thread safe: queries of all sessions reserve and release concurrently. Bytes are estimates of
 * what operators and caches hold (see {@link MemoryEstimates}), not measured heap usage.
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

  /**
   * Memory held by something that can give it back on demand (the server's scan page cache): its
   * bytes count in the pool, and a query's reservation that finds the pool full first asks it to
   * give back what is missing.
   */
  public interface Reclaimable {
    /**
     * Gives back at least {@code bytes} to the pool if it can (through {@link
     * #releaseReclaimable}); returns how many it gave back. Must not reserve from the pool.
     */
    long reclaim(long bytes);
  }

  private final List<Reclaimable> reclaimables = new CopyOnWriteArrayList<>();

  /** Registers a holder of reclaimable memory, asked to give back memory when queries need it. */
  public void addReclaimable(Reclaimable reclaimable) {
    reclaimables.add(reclaimable);
  }

  /**
   * The share of the pool past which a {@link Reclaimable} takes nothing more: the rest stays free
   * while queries do not use it, as the margin their estimates need (a hash aggregation's real heap
   * use runs ahead of its reservations; with the pool filled by cached pages, a spilling
   * aggregation on a 512 MiB heap ran out of heap).
   */
  public static final double RECLAIMABLE_FRACTION = 0.5;

  /**
   * Takes {@code bytes} for a {@link Reclaimable} if the pool would then be at most {@link
   * #RECLAIMABLE_FRACTION} full; returns false (taking nothing) otherwise. Never asks a reclaimable
   * holder to give back memory, so a cache never displaces a query's memory, nor its own pages.
   */
  public boolean tryReserveReclaimable(long bytes) {
    return tryReserveNow(bytes, (long) (limit * RECLAIMABLE_FRACTION));
  }

  /** Gives back {@code bytes} a {@link Reclaimable} took with {@link #tryReserveReclaimable}. */
  public void releaseReclaimable(long bytes) {
    release(bytes);
  }

  /**
   * Reserves {@code bytes} if the pool has room, after asking the reclaimable holders to give back
   * what is missing; returns false (reserving nothing) when it still has none. Once queries hold
   * the pool past {@link #RECLAIMABLE_FRACTION}, the holders also give back what lies beyond it, so
   * that large queries run with the margin they had without caches.
   */
  boolean tryReserve(long bytes) {
    boolean granted = tryReserveNow(bytes, limit);
    if (!granted) {
      reclaim(used.get() + bytes - limit);
      granted = tryReserveNow(bytes, limit);
    }
    if (granted) {
      reclaim(used.get() - (long) (limit * RECLAIMABLE_FRACTION));
    }
    return granted;
  }

  /** Asks the reclaimable holders, in turn, to give back {@code bytes} in all (none if not > 0). */
  private void reclaim(long bytes) {
    long missing = bytes;
    for (Reclaimable reclaimable : reclaimables) {
      if (missing <= 0) {
        return;
      }
      missing -= reclaimable.reclaim(missing);
    }
  }

  private boolean tryReserveNow(long bytes, long upTo) {
    while (true) {
      long current = used.get();
      long next = current + bytes;
      if (next > upTo || next < 0) {
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
