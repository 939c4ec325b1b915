package dev.basalt.storage.segment;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Decoded pages kept in memory between reads, as Doris's storage page cache: a point read (one row)
 * would otherwise read, checksum, decompress and decode a whole page of every column it returns,
 * and a scan of a hot table would do the same for every page again in every query. Segment files
 * are immutable, so an entry never goes stale; it is keyed by segment path, column unique id and
 * page number, so one cache serves one file system. {@link #forget(String)} drops a deleted
 * segment's pages.
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

  private record Key(String path, int columnUniqueId, int page) {}

  private final long budgetBytes;
  private final Memory memory;
  private final ConcurrentHashMap<Key, DecodedPage> pages = new ConcurrentHashMap<>();
  private final AtomicLong usedBytes = new AtomicLong();

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
    return pages.size();
  }

  DecodedPage get(String path, int columnUniqueId, int page, Supplier<DecodedPage> decode) {
    Key key = new Key(path, columnUniqueId, page);
    DecodedPage cached = pages.get(key);
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
    if (pages.putIfAbsent(key, decoded) != null) {
      memory.release(bytes);
    } else {
      usedBytes.addAndGet(bytes);
    }
    return decoded;
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
    Iterator<Map.Entry<Key, DecodedPage>> entries = pages.entrySet().iterator();
    while (entries.hasNext()) {
      Map.Entry<Key, DecodedPage> entry = entries.next();
      if (entry.getKey().path().equals(path)) {
        drop(entry);
      }
    }
  }

  private void evict(long targetBytes) {
    Iterator<Map.Entry<Key, DecodedPage>> entries = pages.entrySet().iterator();
    while (usedBytes.get() > targetBytes && entries.hasNext()) {
      drop(entries.next());
    }
  }

  private void drop(Map.Entry<Key, DecodedPage> entry) {
    if (pages.remove(entry.getKey(), entry.getValue())) {
      long bytes = entry.getValue().estimatedBytes();
      usedBytes.addAndGet(-bytes);
      memory.release(bytes);
    }
  }
}
