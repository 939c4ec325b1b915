package dev.basalt.load;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.vector.Batch;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.segment.ColumnRequest;
import dev.basalt.storage.segment.PageCache;
import dev.basalt.storage.segment.SegmentReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads single rows of segment files by row number (the rows a primary-key index lookup found), for
 * a merge-on-write commit's sequence comparisons and a partial update's stored values. Keeps one
 * reader per segment it touched and the pages it decoded (in a small {@link PageCache} of its own,
 * {@link #PAGE_BUDGET_BYTES}), so rows close to each other cost one page decode.
 *
 * <p>Not thread safe; one instance per commit or flush. The owner closes it, which closes the
 * readers.
 */
final class StoredRowReader implements AutoCloseable {
  static final long PAGE_BUDGET_BYTES = 8L << 20;

  private final FileSystem fileSystem;
  private final List<ColumnRequest> requests;
  private final PageCache pages = new PageCache(PAGE_BUDGET_BYTES);
  private final Map<String, SegmentReader> readers = new HashMap<>();

  /**
   * @param requests the columns every read returns, in this order
   */
  StoredRowReader(FileSystem fileSystem, List<ColumnRequest> requests) {
    this.fileSystem = fileSystem;
    this.requests = List.copyOf(requests);
  }

  /** Row {@code row} of segment {@code path} as a one-row batch of the requested columns. */
  Batch read(String path, int row) {
    SegmentReader reader = readers.computeIfAbsent(path, p -> SegmentReader.open(fileSystem, p));
    try (BatchStream stream = reader.read(requests, row, 1, pages)) {
      return stream.next();
    }
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    for (SegmentReader reader : readers.values()) {
      try {
        reader.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    readers.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
