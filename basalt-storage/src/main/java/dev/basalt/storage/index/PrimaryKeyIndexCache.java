package dev.basalt.storage.index;

import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.segment.SegmentReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps recently used primary-key indexes in memory, least recently used evicted first once their
 * estimated size passes the budget. Segment files are immutable, so an entry never goes stale; a
 * file's index is read from the file on a miss (never rebuilt from the rows).
 *
 * <p>Entries are keyed by file system and path, so several servers in one JVM (tests) do not mix
 * their files. Thread safe: one lock guards the map; a miss reads the file outside it.
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
  private final LinkedHashMap<Key, Optional<PrimaryKeyIndex>> entries =
      new LinkedHashMap<>(64, 0.75f, true);
  private long usedBytes;

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
    synchronized (this) {
      Optional<PrimaryKeyIndex> cached = entries.get(key);
      if (cached != null) {
        return cached;
      }
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

  private synchronized void put(Key key, Optional<PrimaryKeyIndex> index) {
    Optional<PrimaryKeyIndex> previous = entries.put(key, index);
    if (previous != null) {
      usedBytes -= bytes(previous);
    }
    usedBytes += bytes(index);
    var iterator = entries.entrySet().iterator();
    while (usedBytes > budgetBytes && iterator.hasNext()) {
      Map.Entry<Key, Optional<PrimaryKeyIndex>> eldest = iterator.next();
      if (eldest.getKey().equals(key)) {
        continue;
      }
      usedBytes -= bytes(eldest.getValue());
      iterator.remove();
    }
  }

  private static long bytes(Optional<PrimaryKeyIndex> index) {
    return index.map(PrimaryKeyIndex::estimatedBytes).orElse(64L);
  }
}
