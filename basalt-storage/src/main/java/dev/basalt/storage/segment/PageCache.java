package dev.basalt.storage.segment;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Decoded pages kept in memory for point reads (a primary-key lookup reads one row: without the
 * cache it would read, checksum, decompress and decode a whole page of every column it returns), as
 * Doris's storage page cache. Segment files are immutable, so an entry never goes stale; it is
 * keyed by segment path, column unique id and page number, so one cache serves one file system.
 *
 * <p>Bounded by an estimate of the decoded bytes: past the budget, arbitrary entries are dropped
 * (about a quarter of the budget at a time), which keeps lookups lock free. Only reads that ask for
 * it ({@link SegmentReader#read(java.util.List, long, long, PageCache)}) use the cache, so large
 * scans neither fill nor evict it.
 *
 * <p>Thread safe: decoded pages are immutable and shared; two readers missing the same page at once
 * may both decode it.
 */
public final class PageCache {
  private record Key(String path, int columnUniqueId, int page) {}

  private final long budgetBytes;
  private final ConcurrentHashMap<Key, DecodedPage> pages = new ConcurrentHashMap<>();
  private final AtomicLong usedBytes = new AtomicLong();

  /** A cache holding about {@code budgetBytes} of decoded pages. */
  public PageCache(long budgetBytes) {
    this.budgetBytes = budgetBytes;
  }

  /** The estimated bytes held now. */
  public long usedBytes() {
    return usedBytes.get();
  }

  DecodedPage get(String path, int columnUniqueId, int page, Supplier<DecodedPage> decode) {
    Key key = new Key(path, columnUniqueId, page);
    DecodedPage cached = pages.get(key);
    if (cached != null) {
      return cached;
    }
    DecodedPage decoded = decode.get();
    if (pages.putIfAbsent(key, decoded) == null
        && usedBytes.addAndGet(decoded.estimatedBytes()) > budgetBytes) {
      evict();
    }
    return decoded;
  }

  private void evict() {
    long target = budgetBytes - budgetBytes / 4;
    Iterator<Map.Entry<Key, DecodedPage>> entries = pages.entrySet().iterator();
    while (usedBytes.get() > target && entries.hasNext()) {
      Map.Entry<Key, DecodedPage> entry = entries.next();
      if (pages.remove(entry.getKey(), entry.getValue())) {
        usedBytes.addAndGet(-entry.getValue().estimatedBytes());
      }
    }
  }
}
