package dev.basalt.storage.index;

import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.segment.SegmentReader;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps primary-key indexes in memory; once their estimated size passes the budget, arbitrary
 * entries are dropped until about a quarter of it is free. Segment files are immutable, so an entry
 * never goes stale; a file's index is read from the file on a miss (never rebuilt from the rows).
 *
 * <p>Entries are keyed by file system and path, so several servers in one JVM (tests) do not mix
 * their files. Thread safe and lock free: a point lookup probes many segments' indexes, so hits
 * must not serialize concurrent readers (a {@link ConcurrentHashMap}, not an access-ordered map
 * under a lock); a miss reads the file without blocking others.
 */
public final class PrimaryKeyIndexCache {
  private static final PrimaryKeyIndexCache SHARED = new PrimaryKeyIndexCache(256L << 20);

  private record Key(FileSystem fileSystem, String path) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Key key && key.fileSystem == fileSystem && key.path.equals(path);
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(fileSystem) * 31 + path.hashCode();
    }
  }

  private final long budgetBytes;
  private final ConcurrentHashMap<Key, Optional<PrimaryKeyIndex>> entries =
      new ConcurrentHashMap<>();
  private final AtomicLong usedBytes = new AtomicLong();

  public PrimaryKeyIndexCache(long budgetBytes) {
    this.budgetBytes = budgetBytes;
  }

  /** The process-wide cache that loads and scans share. */
  public static PrimaryKeyIndexCache shared() {
    return SHARED;
  }

  /**
   * The primary-key index of the segment at {@code path}, or empty when the segment has none (a
   * segment of format version 1, or of a table that is not merge-on-write).
   */
  public Optional<PrimaryKeyIndex> get(FileSystem fileSystem, String path) {
    Key key = new Key(fileSystem, path);
    Optional<PrimaryKeyIndex> cached = entries.get(key);
    if (cached != null) {
      return cached;
    }
    Optional<PrimaryKeyIndex> loaded;
    try (SegmentReader reader = SegmentReader.open(fileSystem, path)) {
      loaded = Optional.ofNullable(reader.readPrimaryKeyIndex());
    }
    put(key, loaded);
    return loaded;
  }

  /** Records the index a writer just built, so the load's commit does not read it back. */
  public void put(FileSystem fileSystem, String path, PrimaryKeyIndex index) {
    put(new Key(fileSystem, path), Optional.of(index));
  }

  private void put(Key key, Optional<PrimaryKeyIndex> index) {
    Optional<PrimaryKeyIndex> previous = entries.put(key, index);
    long used = usedBytes.addAndGet(bytes(index) - (previous == null ? 0 : bytes(previous)));
    if (used <= budgetBytes) {
      return;
    }
    long target = budgetBytes - budgetBytes / 4;
    var iterator = entries.entrySet().iterator();
    while (usedBytes.get() > target && iterator.hasNext()) {
      Map.Entry<Key, Optional<PrimaryKeyIndex>> entry = iterator.next();
      if (!entry.getKey().equals(key) && entries.remove(entry.getKey(), entry.getValue())) {
        usedBytes.addAndGet(-bytes(entry.getValue()));
      }
    }
  }

  private static long bytes(Optional<PrimaryKeyIndex> index) {
    return index.map(PrimaryKeyIndex::estimatedBytes).orElse(64L);
  }
}
