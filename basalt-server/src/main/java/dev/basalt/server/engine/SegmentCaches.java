package dev.basalt.server.engine;

import dev.basalt.exec.memory.MemoryPool;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.segment.PageCache;
import dev.basalt.storage.segment.SegmentFooterCache;

/**
 * What a server keeps of its segment files in memory between statements (docs/architecture.md,
 * "Segment caches"): the parsed footers, shared by point reads and scans; the decoded pages point
 * reads return (a small budget of their own, so that scans never evict them); and the decoded pages
 * scans read, the largest, whose bytes count in the queries' {@link MemoryPool} and are given back
 * whenever a query needs them. Segment files are immutable, so nothing here goes stale; the garbage
 * collector calls {@link #forget} for each segment file it deletes.
 *
 * <p>Thread safe.
 */
final class SegmentCaches {
  /** Footers (a few KiB each: about 16,000 segments). */
  private static final long FOOTER_BUDGET_BYTES = 64L << 20;

  /** The share of the heap that point reads' decoded pages may hold (outside the query pool). */
  private static final double POINT_READ_PAGE_CACHE_FRACTION = 0.05;

  /**
   * The share of the heap that scans' decoded pages may hold at most, inside the query pool (70 %
   * of the heap): with a 4 GiB heap, 1.2 GiB, about the decoded columns TPC-H's queries read at
   * scale factor 1.
   */
  private static final double SCAN_PAGE_CACHE_FRACTION = 0.3;

  private final FileSystem fileSystem;
  private final SegmentFooterCache footers = new SegmentFooterCache(FOOTER_BUDGET_BYTES);
  private final PageCache pointReadPages;
  private final PageCache scanPages;

  /** Caches sized after this JVM's maximum heap, the scans' pages accounted in {@code pool}. */
  SegmentCaches(FileSystem fileSystem, MemoryPool pool) {
    this(
        fileSystem,
        pool,
        (long) (Runtime.getRuntime().maxMemory() * POINT_READ_PAGE_CACHE_FRACTION),
        (long) (Runtime.getRuntime().maxMemory() * SCAN_PAGE_CACHE_FRACTION));
  }

  SegmentCaches(
      FileSystem fileSystem, MemoryPool pool, long pointReadPageBytes, long scanPageBytes) {
    this.fileSystem = fileSystem;
    this.pointReadPages = new PageCache(pointReadPageBytes);
    this.scanPages =
        new PageCache(
            scanPageBytes,
            new PageCache.Memory() {
              @Override
              public boolean tryReserve(long bytes) {
                return pool.tryReserveReclaimable(bytes);
              }

              @Override
              public void release(long bytes) {
                pool.releaseReclaimable(bytes);
              }
            });
    pool.addReclaimable(scanPages::shrink);
  }

  SegmentFooterCache footers() {
    return footers;
  }

  PageCache pointReadPages() {
    return pointReadPages;
  }

  PageCache scanPages() {
    return scanPages;
  }

  /**
   * Drops what is cached of the segment file at {@code path} (the garbage collector deleted it).
   */
  void forget(String path) {
    footers.forget(fileSystem, path);
    pointReadPages.forget(path);
    scanPages.forget(path);
  }
}
