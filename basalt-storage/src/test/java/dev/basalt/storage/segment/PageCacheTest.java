package dev.basalt.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.storage.fs.InMemoryFileSystem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Point reads through a {@link PageCache}: the same rows as an uncached read, each page decoded
 * once while it stays cached, and the cache's estimated size held near its budget.
 */
class PageCacheTest {
  private final InMemoryFileSystem fileSystem = new InMemoryFileSystem();

  /** Writes {@code files} segments of a BIGINT and a STRING column, 20,000 rows each. */
  private List<List<List<Object>>> write(int files) {
    List<SegmentColumn> schema =
        List.of(
            new SegmentColumn(1, DataType.BIGINT, true),
            new SegmentColumn(2, DataType.STRING, true));
    List<List<List<Object>>> contents = new ArrayList<>();
    for (int file = 0; file < files; file++) {
      Random random = new Random(file);
      List<List<Object>> columns =
          List.of(
              TestData.values(DataType.BIGINT, 20_000, 0.1, TestData.Shape.RANDOM, random),
              TestData.values(DataType.STRING, 20_000, 0.1, TestData.Shape.RANDOM, random));
      try (SegmentWriter writer = new SegmentWriter(fileSystem, path(file), schema)) {
        TestData.appendAll(writer, schema, columns, random);
        writer.finish();
      }
      contents.add(columns);
    }
    return contents;
  }

  private static String path(int file) {
    return "data/t/seg_" + file + ".bsg";
  }

  private static List<Object> row(SegmentReader reader, long row, PageCache cache) {
    List<ColumnRequest> requests = List.of(ColumnRequest.of(1), ColumnRequest.of(2));
    List<List<Object>> columns = TestData.drain(reader.read(requests, row, 1, cache), 2);
    return Arrays.asList(columns.get(0).get(0), columns.get(1).get(0));
  }

  @Test
  void cachedPointReadsReturnTheRowsOfUncachedOnes() {
    List<List<List<Object>>> contents = write(3);
    PageCache cache = new PageCache(64L << 20);
    Random random = new Random(7);
    for (int i = 0; i < 500; i++) {
      int file = random.nextInt(3);
      int row = random.nextInt(20_000);
      try (SegmentReader reader = SegmentReader.open(fileSystem, path(file))) {
        List<Object> cached = row(reader, row, cache);
        assertThat(cached).as("file %d row %d", file, row).isEqualTo(row(reader, row, null));
        assertThat(cached)
            .isEqualTo(
                Arrays.asList(
                    contents.get(file).get(0).get(row), contents.get(file).get(1).get(row)));
      }
    }
    assertThat(cache.usedBytes()).isPositive();
  }

  @Test
  void theCacheStaysNearItsBudget() {
    write(4);
    long budget = 200_000;
    PageCache cache = new PageCache(budget);
    for (int file = 0; file < 4; file++) {
      try (SegmentReader reader = SegmentReader.open(fileSystem, path(file))) {
        for (int row = 0; row < 20_000; row += 97) {
          row(reader, row, cache);
          assertThat(cache.usedBytes()).isLessThanOrEqualTo(budget);
        }
      }
    }
  }

  /** Every row of both columns of a segment, read through {@code cache} (null: uncached). */
  private List<List<Object>> scan(int file, PageCache cache, ScanCounters counters) {
    List<ColumnRequest> requests = List.of(ColumnRequest.of(1), ColumnRequest.of(2));
    try (SegmentReader reader = SegmentReader.open(fileSystem, path(file))) {
      return TestData.drain(reader.read(requests, 0, reader.rowCount(), null, counters, cache), 2);
    }
  }

  /** A {@link PageCache.Memory} with a fixed capacity, counting what the cache holds in it. */
  private static final class FixedMemory implements PageCache.Memory {
    private final long capacity;
    private long used;

    FixedMemory(long capacity) {
      this.capacity = capacity;
    }

    @Override
    public synchronized boolean tryReserve(long bytes) {
      if (used + bytes > capacity) {
        return false;
      }
      used += bytes;
      return true;
    }

    @Override
    public synchronized void release(long bytes) {
      used -= bytes;
    }

    synchronized long used() {
      return used;
    }
  }

  @Test
  void aSecondScanDecodesNoPageAndReturnsTheSameRows() {
    List<List<List<Object>>> contents = write(2);
    PageCache cache = new PageCache(64L << 20);
    ScanCounters first = new ScanCounters();
    for (int file = 0; file < 2; file++) {
      assertThat(scan(file, cache, first)).isEqualTo(contents.get(file));
    }
    assertThat(first.pagesDecoded()).isPositive();
    ScanCounters second = new ScanCounters();
    for (int file = 0; file < 2; file++) {
      assertThat(scan(file, cache, second)).isEqualTo(contents.get(file));
    }
    assertThat(second.pagesDecoded()).isZero();
  }

  @Test
  void theCacheHoldsOnlyWhatItsMemoryGrantsAndAccountsEveryByte() {
    List<List<List<Object>>> contents = write(3);
    FixedMemory memory = new FixedMemory(150_000);
    PageCache cache = new PageCache(64L << 20, memory);
    for (int file = 0; file < 3; file++) {
      assertThat(scan(file, cache, new ScanCounters())).isEqualTo(contents.get(file));
      assertThat(memory.used()).isEqualTo(cache.usedBytes()).isLessThanOrEqualTo(150_000);
    }
    assertThat(cache.size()).isPositive();
    long before = cache.usedBytes();
    long given = cache.shrink(before / 2);
    assertThat(given).isGreaterThanOrEqualTo(before / 2);
    assertThat(cache.usedBytes()).isEqualTo(before - given).isEqualTo(memory.used());
    assertThat(cache.shrink(Long.MAX_VALUE)).isEqualTo(before - given);
    assertThat(cache.size()).isZero();
    assertThat(memory.used()).isZero();
  }

  @Test
  void forgettingASegmentDropsOnlyItsPages() {
    List<List<List<Object>>> contents = write(2);
    FixedMemory memory = new FixedMemory(64L << 20);
    PageCache cache = new PageCache(64L << 20, memory);
    scan(0, cache, new ScanCounters());
    long firstFile = cache.usedBytes();
    scan(1, cache, new ScanCounters());
    long both = cache.usedBytes();
    cache.forget(path(0));
    assertThat(cache.usedBytes()).isEqualTo(memory.used()).isEqualTo(both - firstFile);
    ScanCounters again = new ScanCounters();
    assertThat(scan(1, cache, again)).isEqualTo(contents.get(1));
    assertThat(again.pagesDecoded()).isZero();
    assertThat(scan(0, cache, again)).isEqualTo(contents.get(0));
    assertThat(again.pagesDecoded()).isPositive();
  }

  /**
   * Scans on two threads while a third forgets the segments and shrinks the cache over and over:
   * every answer stays right, and afterwards the cache's count of bytes and pages matches what it
   * holds in its memory (a page added to a forgotten segment's column is given back, not leaked).
   */
  @Test
  void forgettingAndShrinkingWhileScanningKeepsTheAccountsRight() throws Exception {
    List<List<List<Object>>> contents = write(3);
    FixedMemory memory = new FixedMemory(64L << 20);
    PageCache cache = new PageCache(400_000, memory);
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> readers = new ArrayList<>();
    for (int thread = 0; thread < 2; thread++) {
      int seed = thread;
      Thread reader =
          new Thread(
              () -> {
                try {
                  Random random = new Random(seed);
                  for (int i = 0; i < 40; i++) {
                    int file = random.nextInt(3);
                    assertThat(scan(file, cache, new ScanCounters())).isEqualTo(contents.get(file));
                  }
                } catch (Throwable failure) {
                  failures.add(failure);
                }
              });
      readers.add(reader);
      reader.start();
    }
    Thread forgetter =
        new Thread(
            () -> {
              int round = 0;
              while (!done.get()) {
                if (round++ % 2 == 0) {
                  cache.forget(path(round % 3));
                } else {
                  cache.shrink(100_000);
                }
                Thread.onSpinWait();
              }
            });
    forgetter.start();
    for (Thread reader : readers) {
      reader.join();
    }
    done.set(true);
    forgetter.join();
    assertThat(failures).isEmpty();
    assertThat(cache.usedBytes()).isEqualTo(memory.used());
    for (int file = 0; file < 3; file++) {
      cache.forget(path(file));
    }
    assertThat(cache.usedBytes()).isZero();
    assertThat(cache.size()).isZero();
    assertThat(memory.used()).isZero();
  }
}
