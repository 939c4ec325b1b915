package dev.basalt.storage.segment;

import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.fs.InputFile;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Parsed and validated segment footers (the page directory, zone maps and column list that {@link
 * SegmentReader#open(FileSystem, String)} reads from the end of the file), kept for point reads and
 * scans: a primary-key lookup reads one row, and without this cache it would open the file and
 * read, check and parse its footer every time; a parallel scan reads a segment in morsels taken by
 * its threads in turn, and would parse the footer again for each morsel. A reader opened through
 * the cache ({@link SegmentReader#open(FileSystem, String, SegmentFooterCache)}) opens the file
 * only when it reads a page that the {@link PageCache} does not hold, so a lookup whose pages are
 * cached touches no file at all.
 *
 * <p>Segment files are immutable and never rewritten under the same path, so an entry never goes
 * stale: a compaction writes new files (new entries) and the garbage collector deletes old ones
 * (their entries are no longer asked for and age out, or are dropped by {@link #forget}). Entries
 * are keyed by file system and path, so several servers in one JVM (tests) do not mix their files.
 * Bounded by an estimate of the bytes footers hold: past the budget, arbitrary entries are dropped
 * (about a quarter of the budget).
 *
 * <p>Thread safe and lock free on hits.
 */
public final class SegmentFooterCache {
  /** What opening a segment parses: immutable, shared by every reader of the file. */
  record Entry(Footer footer, SegmentMetadata metadata, Map<Integer, Integer> columnIndexById) {
    long estimatedBytes() {
      return 256L + 96L * metadata.pageCount() + 128L * metadata.columns().size();
    }
  }

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
  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong usedBytes = new AtomicLong();

  /** A cache holding about {@code budgetBytes} of footers. */
  public SegmentFooterCache(long budgetBytes) {
    this.budgetBytes = budgetBytes;
  }

  /** How many footers are held now. */
  public int size() {
    return entries.size();
  }

  Entry get(FileSystem fileSystem, String path) {
    return entries.get(new Key(fileSystem, path));
  }

  void put(FileSystem fileSystem, String path, Entry entry) {
    if (entries.putIfAbsent(new Key(fileSystem, path), entry) == null
        && usedBytes.addAndGet(entry.estimatedBytes()) > budgetBytes) {
      evict();
    }
  }

  /** Drops the footer of the segment at {@code path} of {@code fileSystem} (it was deleted). */
  public void forget(FileSystem fileSystem, String path) {
    Entry entry = entries.remove(new Key(fileSystem, path));
    if (entry != null) {
      usedBytes.addAndGet(-entry.estimatedBytes());
    }
  }

  private void evict() {
    long target = budgetBytes - budgetBytes / 4;
    Iterator<Map.Entry<Key, Entry>> iterator = entries.entrySet().iterator();
    while (usedBytes.get() > target && iterator.hasNext()) {
      Map.Entry<Key, Entry> entry = iterator.next();
      if (entries.remove(entry.getKey(), entry.getValue())) {
        usedBytes.addAndGet(-entry.getValue().estimatedBytes());
      }
    }
  }

  /**
   * A segment file opened on its first read (a reader whose pages all come from the page cache
   * never opens it). Used by one reader; {@link #close()} closes the file if it was opened.
   */
  static final class LazyInputFile implements InputFile {
    private final FileSystem fileSystem;
    private final String path;
    private final long length;
    private volatile InputFile opened;

    LazyInputFile(FileSystem fileSystem, String path, long length) {
      this.fileSystem = fileSystem;
      this.path = path;
      this.length = length;
    }

    @Override
    public String path() {
      return path;
    }

    @Override
    public long length() {
      return length;
    }

    @Override
    public void readFully(long position, byte[] buffer, int offset, int count) {
      file().readFully(position, buffer, offset, count);
    }

    private InputFile file() {
      InputFile file = opened;
      if (file == null) {
        synchronized (this) {
          file = opened;
          if (file == null) {
            file = fileSystem.open(path);
            opened = file;
          }
        }
      }
      return file;
    }

    @Override
    public void close() {
      InputFile file = opened;
      if (file != null) {
        file.close();
      }
    }
  }
}
