package dev.basalt.server.engine;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * One value per tablet, kept while the bytes the values hold and their number stay under bounds: a
 * value that would pass either makes the cache start over (point lookups rebuild what they need at
 * the next lookup). The byte count is approximate under concurrent puts. Thread safe; lookups are
 * lock free.
 *
 * @param <V> the kept value, immutable once put
 */
final class BoundedTabletCache<V> {
  private final ConcurrentHashMap<Long, V> values = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();
  private final ToLongFunction<V> sizeOf;
  private final long maxBytes;
  private final int maxTablets;

  /**
   * @param sizeOf the bytes a value holds that no other structure shares
   * @param maxBytes the bytes kept at most
   * @param maxTablets the tablets kept at most
   */
  BoundedTabletCache(ToLongFunction<V> sizeOf, long maxBytes, int maxTablets) {
    this.sizeOf = sizeOf;
    this.maxBytes = maxBytes;
    this.maxTablets = maxTablets;
  }

  /** The tablet's value, or null. */
  V get(long tabletId) {
    return values.get(tabletId);
  }

  /** Keeps {@code value} for the tablet, in place of its earlier one. */
  void put(long tabletId, V value) {
    long size = sizeOf.applyAsLong(value);
    if (values.size() >= maxTablets || bytes.get() + size > maxBytes) {
      values.clear();
      bytes.set(0);
    }
    V replaced = values.put(tabletId, value);
    bytes.addAndGet(size - (replaced == null ? 0 : sizeOf.applyAsLong(replaced)));
  }
}
