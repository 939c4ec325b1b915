package dev.basalt.load;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one memory budget that the buffered rows of every load of a server count against (Doris's
 * {@code load_process_max_memory_limit_percent}): the per-tablet memtables ({@link TabletBuffer})
 * of all open {@link LoadTransaction}s — INSERT, Stream Load, LOAD DATA, CTAS and group commit's
 * open groups alike — plus the memtables being written as segments.
 *
 * <p>Two thresholds. When the memtables not yet being flushed pass half the limit, the largest
 * memtable of the server is flushed to a segment of its (still uncommitted, invisible) load,
 * whichever load it belongs to and whether or not that load is receiving rows now; then the next
 * largest, until they are back under half. When everything counted (buffered and being flushed)
 * passes the whole limit, the thread that appended waits for flushes to finish; if the budget stays
 * exhausted for {@link #DEFAULT_WAIT_MILLIS}, that load alone fails with {@link
 * ErrorCode#MEMORY_LIMIT_EXCEEDED}. Each load keeps its own smaller budget as well ({@link
 * TableWriter#bufferBudgetBytes()}).
 *
 * <p>Call order for a load: {@link #register} when it begins; after each change of its buffers,
 * {@link #adjustBuffered}; {@link #flushStarted} when a memtable leaves the buffers for a flush and
 * {@link #flushFinished} when the segment is written (or failed); {@link #afterAppend} after each
 * append, without holding any lock a flush needs; {@link #unregister} when it committed or aborted.
 * Thread safe.
 */
public final class MemtableBudget {
  /** How long a load waits for flushes to bring the budget back under its limit before failing. */
  public static final long DEFAULT_WAIT_MILLIS = TimeUnit.MINUTES.toMillis(2);

  /** A budget that nothing exhausts: the buffers are bounded per load only. */
  public static MemtableBudget unlimited() {
    return new MemtableBudget(Long.MAX_VALUE, DEFAULT_WAIT_MILLIS);
  }

  /**
   * One load's memtables as the budget sees them; implemented by {@link LoadTransaction}. The
   * methods are called from any thread.
   */
  interface Memtables {
    /** The bytes of the largest memtable not being flushed; 0 when there is none. */
    long largestMemtableBytes();

    /**
     * Starts flushing the largest memtable to a segment unless the load is busy (another thread
     * drives it right now, a flush of it is still running, or it has finished).
     *
     * @return whether a flush started
     */
    boolean flushLargestMemtable();
  }

  private final long limitBytes;
  private final long waitMillis;
  private final Set<Memtables> loads = ConcurrentHashMap.newKeySet();
  private final AtomicLong buffered = new AtomicLong();
  private final AtomicLong flushing = new AtomicLong();
  private final AtomicLong peak = new AtomicLong();
  private final AtomicLong flushes = new AtomicLong();
  private final AtomicLong forcedFlushes = new AtomicLong();
  private final AtomicLong waits = new AtomicLong();
  private final ReentrantLock flushLock = new ReentrantLock();
  private final Condition flushed = flushLock.newCondition();

  /**
   * @param limitBytes what all loads' memtables may hold together (at least 1)
   * @param waitMillis how long an append waits for flushes while the limit is exceeded
   */
  public MemtableBudget(long limitBytes, long waitMillis) {
    if (limitBytes < 1 || waitMillis < 0) {
      throw new IllegalArgumentException(
          "memtable budget must be positive and its wait not negative: "
              + limitBytes
              + ", "
              + waitMillis);
    }
    this.limitBytes = limitBytes;
    this.waitMillis = waitMillis;
  }

  /** What all memtables may hold together, in bytes. */
  public long limitBytes() {
    return limitBytes;
  }

  /** Bytes of rows buffered now, not counting memtables being flushed. */
  public long bufferedBytes() {
    return buffered.get();
  }

  /** Bytes of memtables being written as segments now. */
  public long flushingBytes() {
    return flushing.get();
  }

  /** The most bytes counted (buffered and being flushed) at any time since the server started. */
  public long peakBytes() {
    return peak.get();
  }

  /** Memtables written as segments before their load's commit, for any reason. */
  public long flushCount() {
    return flushes.get();
  }

  /** Memtables this budget flushed because all loads' buffers together passed half its limit. */
  public long forcedFlushCount() {
    return forcedFlushes.get();
  }

  /** Appends that waited because the limit was exceeded. */
  public long waitCount() {
    return waits.get();
  }

  /** Loads registered now. */
  public int loadCount() {
    return loads.size();
  }

  void register(Memtables load) {
    loads.add(load);
  }

  void unregister(Memtables load) {
    loads.remove(load);
  }

  /** A load's buffered bytes changed by {@code delta} (negative when it dropped buffers). */
  void adjustBuffered(long delta) {
    long now = buffered.addAndGet(delta);
    recordPeak(now + flushing.get());
  }

  /** {@code bytes} of a load's buffers left them for a flush; they count until it finished. */
  void flushStarted(long bytes) {
    flushing.addAndGet(bytes);
    buffered.addAndGet(-bytes);
    flushes.incrementAndGet();
  }

  /** The flush {@link #flushStarted} announced wrote its segment (or failed): frees its bytes. */
  void flushFinished(long bytes) {
    flushing.addAndGet(-bytes);
    flushLock.lock();
    try {
      flushed.signalAll();
    } finally {
      flushLock.unlock();
    }
  }

  private void recordPeak(long total) {
    long previous = peak.get();
    while (total > previous && !peak.compareAndSet(previous, total)) {
      previous = peak.get();
    }
  }

  /**
   * Brings the budget back within its thresholds after an append: flushes the largest memtables of
   * the server while the buffered ones pass half the limit, then waits while everything counted
   * passes the limit. The caller may hold its own load's lock (its flush starts from here too) but
   * no lock that a flush or another load's append needs.
   *
   * @param table the table the appending load writes, named in the error
   * @throws BasaltException MEMORY_LIMIT_EXCEEDED when the limit stays exceeded for the wait
   */
  void afterAppend(String table) {
    flushLargestWhileOverHalf();
    if (buffered.get() + flushing.get() <= limitBytes) {
      return;
    }
    waits.incrementAndGet();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
    while (buffered.get() + flushing.get() > limitBytes) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new BasaltException(
            ErrorCode.MEMORY_LIMIT_EXCEEDED,
            "the rows buffered by "
                + loads.size()
                + " loads use "
                + (buffered.get() + flushing.get())
                + " bytes, more than the load memory limit of "
                + limitBytes
                + " bytes (--load-memory-limit), and flushing them to segments did not free"
                + " enough within "
                + TimeUnit.MILLISECONDS.toSeconds(waitMillis)
                + " s; the load into "
                + table
                + " was aborted. Retry it, or raise --load-memory-limit");
      }
      flushLock.lock();
      try {
        // Flushes finishing signal; a load busy with its own append is retried shortly.
        flushed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(20)), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BasaltException(e, ErrorCode.QUERY_INTERRUPTED);
      } finally {
        flushLock.unlock();
      }
      flushLargestWhileOverHalf();
    }
  }

  /** Flushes the largest memtables, largest first, while the buffered ones pass half the limit. */
  private void flushLargestWhileOverHalf() {
    long half = limitBytes / 2;
    if (buffered.get() <= half) {
      return;
    }
    List<Memtables> bySize = new ArrayList<>();
    for (Memtables load : loads) {
      if (load.largestMemtableBytes() > 0) {
        bySize.add(load);
      }
    }
    // Sizes are read again by the comparator: a snapshot keeps the order consistent.
    long[] sizes = new long[bySize.size()];
    Integer[] order = new Integer[bySize.size()];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = bySize.get(i).largestMemtableBytes();
      order[i] = i;
    }
    java.util.Arrays.sort(order, Comparator.comparingLong((Integer i) -> sizes[i]).reversed());
    for (int i = 0; i < order.length && buffered.get() > half; i++) {
      Memtables load = bySize.get(order[i]);
      // A load flushes its largest memtable; while the buffers stay over half, the same load is
      // asked again only if it is still the largest, after the others of this round.
      if (load.flushLargestMemtable()) {
        forcedFlushes.incrementAndGet();
      }
    }
  }
}
