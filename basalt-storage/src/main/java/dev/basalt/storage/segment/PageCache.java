package dev.basalt.storage.segment;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * Decoded pages kept in memory between reads, as Doris's storage page cache: a point read (one row)
 * would otherwise read, checksum, decompress and decode a whole page of every column it returns,
 * and a scan of a hot table would do the same for every page again in every query. Segment files
 * are immutable, so an entry never goes stale; pages are held per column of a segment (keyed by
 * segment path and column unique id, {@link #column}) and found there by page number, so one cache
 * serves one file system. {@link #forget(String)} drops a deleted segment's pages.
 *
 * <p>Bounded by an estimate of the decoded bytes: past the budget, arbitrary entries are dropped
 * (about a quarter of the budget at a time), which keeps lookups lock free (for a scan that loops
 * over more pages than fit, dropping arbitrary pages keeps a part of them cached where dropping the
 * least recently used would keep none). Every byte held is also taken from a {@link Memory}, such
 * as the server's query memory pool; when it refuses, the page is returned uncached, and {@link
 * #shrink(long)} gives bytes back when others need them. Only reads that ask for it ({@link
 * SegmentReader#read(java.util.List, long, long, PageCache)}) use a cache.
 *
 * <p>Thread safe: decoded pages are immutable and shared; two readers missing the same page at once
 * may both decode it (one of them is kept).
 */
public final class PageCache {
  /**
   * Where a cache's bytes are accounted besides its own budget. Implementations are thread safe and
   * must not call back into the cache from {@link #tryReserve}.
   */
  public interface Memory {
    /** Takes {@code bytes}, or returns false (taking nothing) when there is no room. */
    boolean tryReserve(long bytes);

    /** Gives back {@code bytes} taken earlier. */
    void release(long bytes);

    /** Accounting that always has room (the cache's own budget is then the only bound). */
    Memory UNACCOUNTED =
        new Memory() {
          @Override
          public boolean tryReserve(long bytes) {
            return true;
          }

          @Override
          public void release(long bytes) {}
        };
  }

  private record ColumnKey(String path, int columnUniqueId) {}

  private final long budgetBytes;
  private final Memory memory;
  private final ConcurrentHashMap<ColumnKey, ColumnPages> columns = new ConcurrentHashMap<>();
  private final AtomicLong usedBytes = new AtomicLong();
  private final AtomicInteger pageCount = new AtomicInteger();

  /** A cache holding about {@code budgetBytes} of decoded pages, accounted nowhere else. */
  public PageCache(long budgetBytes) {
    this(budgetBytes, Memory.UNACCOUNTED);
  }

  /**
   * A cache holding at most about {@code budgetBytes}, each byte also taken from {@code memory}.
   */
  public PageCache(long budgetBytes, Memory memory) {
    this.budgetBytes = budgetBytes;
    this.memory = memory;
  }

  /** The estimated bytes held now. */
  public long usedBytes() {
    return usedBytes.get();
  }

  /** How many pages are held now. */
  public int size() {
    return pageCount.get();
  }

  /**
   * The cached pages of column {@code columnUniqueId} of the segment at {@code path}, which has
   * {@code pages} pages. A reader looks a column up once and then reaches each page by its number,
   * without a hash lookup per page (one per page was half of TPC-H q06's CPU: docs/benchmarks.md,
   * "Scan page cache: one lookup per column").
   */
  ColumnPages column(String path, int columnUniqueId, int pages) {
    ColumnKey key = new ColumnKey(path, columnUniqueId);
    ColumnPages column = columns.get(key);
    if (column == null) {
      column = columns.computeIfAbsent(key, k -> new ColumnPages(pages));
    }
    // Segment files are immutable, so a column's page count never changes; a mismatch is a caller
    // error, answered by decoding without the cache rather than by a wrong page.
    return column.pages.length() == pages ? column : new ColumnPages(0);
  }

  /**
   * The pages of one column of one segment: slots that hold a decoded page or {@code null}. Thread
   * safe; obtained from {@link #column}.
   */
  final class ColumnPages {
    private final AtomicReferenceArray<DecodedPage> pages;

    /** Set once the segment was forgotten: pages added after that are dropped again at once. */
    private volatile boolean forgotten;

    private ColumnPages(int pages) {
      this.pages = new AtomicReferenceArray<>(pages);
    }

    /** Page {@code page}, decoded by {@code decode} (and kept, room permitting) when not held. */
    DecodedPage get(int page, Supplier<DecodedPage> decode) {
      if (page >= pages.length()) {
        return decode.get();
      }
      DecodedPage cached = pages.get(page);
      if (cached != null) {
        return cached;
      }
      DecodedPage decoded = decode.get();
      long bytes = decoded.estimatedBytes();
      if (bytes > budgetBytes) {
        return decoded;
      }
      if (usedBytes.get() + bytes > budgetBytes) {
        evict(Math.min(budgetBytes - budgetBytes / 4, budgetBytes - bytes));
      }
      if (!memory.tryReserve(bytes)) {
        return decoded;
      }
      if (!pages.compareAndSet(page, null, decoded)) {
        memory.release(bytes);
        DecodedPage other = pages.get(page);
        return other != null ? other : decoded;
      }
      usedBytes.addAndGet(bytes);
      pageCount.incrementAndGet();
      if (forgotten) {
        // forget() may have swept this slot before the page was set: drop it here (whichever of
        // the two clears the slot gives the bytes back).
        drop(page);
      }
      return decoded;
    }

    /** Drops page {@code page} if held. */
    private void drop(int page) {
      DecodedPage dropped = pages.getAndSet(page, null);
      if (dropped == null) {
        return;
      }
      long bytes = dropped.estimatedBytes();
      usedBytes.addAndGet(-bytes);
      pageCount.decrementAndGet();
      memory.release(bytes);
    }

    private void dropAll() {
      for (int page = 0; page < pages.length(); page++) {
        drop(page);
      }
    }
  }

  /**
   * Drops pages until at least {@code bytes} fewer are held (or none are), giving them back to the
   * {@link Memory}; returns how many bytes were given back. Called when others need the memory.
   */
  public long shrink(long bytes) {
    long before = usedBytes.get();
    evict(Math.max(0, before - bytes));
    return Math.max(0, before - usedBytes.get());
  }

  /** Drops every page of the segment at {@code path} (it was deleted). */
  public void forget(String path) {
    Iterator<Map.Entry<ColumnKey, ColumnPages>> entries = columns.entrySet().iterator();
    while (entries.hasNext()) {
      Map.Entry<ColumnKey, ColumnPages> entry = entries.next();
      if (entry.getKey().path().equals(path)) {
        ColumnPages column = entry.getValue();
        column.forgotten = true;
        columns.remove(entry.getKey(), column);
        column.dropAll();
      }
    }
  }

  private void evict(long targetBytes) {
    Iterator<ColumnPages> iterator = columns.values().iterator();
    while (usedBytes.get() > targetBytes && iterator.hasNext()) {
      ColumnPages column = iterator.next();
      for (int page = 0; page < column.pages.length() && usedBytes.get() > targetBytes; page++) {
        column.drop(page);
      }
    }
  }
}
