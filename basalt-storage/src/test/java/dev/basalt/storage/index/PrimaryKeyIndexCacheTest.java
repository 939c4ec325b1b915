package dev.basalt.storage.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.storage.fs.InMemoryFileSystem;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The primary-key index cache: hits return the index put, and its size stays within budget. */
class PrimaryKeyIndexCacheTest {
  private final InMemoryFileSystem fileSystem = new InMemoryFileSystem();

  private static PrimaryKeyIndex index(int keys) {
    PrimaryKeyIndex.Builder builder = new PrimaryKeyIndex.Builder();
    for (int key = 0; key < keys; key++) {
      builder.add(ByteBuffer.allocate(4).putInt(key).array());
    }
    return builder.build();
  }

  @Test
  void hitsReturnTheIndexPutAndTheBudgetHolds() throws Exception {
    PrimaryKeyIndex sample = index(1_000);
    long budget = sample.estimatedBytes() * 10;
    PrimaryKeyIndexCache cache = new PrimaryKeyIndexCache(budget);
    for (int segment = 0; segment < 100; segment++) {
      PrimaryKeyIndex index = index(1_000);
      cache.put(fileSystem, "seg_" + segment, index);
      // The index just put is never the one evicted.
      assertThat(cache.get(fileSystem, "seg_" + segment)).containsSame(index);
    }
    // Readers on many threads hit the cached entries at once (no lock to wait for).
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Future<?>[] readers = new Future<?>[4];
      for (int reader = 0; reader < readers.length; reader++) {
        readers[reader] =
            pool.submit(
                () -> {
                  for (int i = 0; i < 10_000; i++) {
                    assertThat(cache.get(fileSystem, "seg_99")).isPresent();
                  }
                });
      }
      for (Future<?> reader : readers) {
        reader.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    long cached = 0;
    for (int segment = 0; segment < 100; segment++) {
      try {
        if (cache.get(fileSystem, "seg_" + segment).isPresent()) {
          cached++;
        }
      } catch (RuntimeException evictedAndNoFile) {
        // An evicted entry is read from its file on the next get; these test files do not exist.
      }
    }
    assertThat(cached).isBetween(1L, 10L);
  }
}
