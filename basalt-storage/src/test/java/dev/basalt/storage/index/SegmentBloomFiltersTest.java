package dev.basalt.storage.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The side-by-side bloom filters of several indexes answer as each index's own filter: never "no"
 * for a key the index holds, and "no" for most keys it does not hold; empty and one-key indexes
 * included.
 */
class SegmentBloomFiltersTest {
  private static final long SEED = 1207;

  @Test
  void agreesWithEachIndexOnEveryKey() {
    SplittableRandom random = new SplittableRandom(SEED);
    List<PrimaryKeyIndex> indexes = new ArrayList<>();
    List<TreeSet<Long>> contents = new ArrayList<>();
    for (int size : new int[] {0, 1, 25, 1000, 3, 20_000}) {
      TreeSet<Long> keys = new TreeSet<>();
      while (keys.size() < size) {
        keys.add(random.nextLong(1_000_000));
      }
      PrimaryKeyIndex.Builder builder = new PrimaryKeyIndex.Builder();
      for (long key : keys) {
        builder.add(encode(key));
      }
      indexes.add(PrimaryKeyIndex.parse(builder.build().serialize()));
      contents.add(keys);
    }
    SegmentBloomFilters filters = SegmentBloomFilters.of(indexes);
    assertThat(filters.segmentCount()).isEqualTo(indexes.size());
    for (int segment = 0; segment < indexes.size(); segment++) {
      for (long key : contents.get(segment)) {
        assertThat(filters.mightContain(segment, PrimaryKeyIndex.hash(encode(key))))
            .as("seed %d, segment %d, key %d", SEED, segment, key)
            .isTrue();
      }
      int falsePositives = 0;
      int absent = 0;
      for (int probe = 0; probe < 5_000; probe++) {
        long key = 1_000_000 + random.nextLong(1_000_000);
        byte[] encoded = encode(key);
        long hash = PrimaryKeyIndex.hash(encoded);
        absent++;
        if (filters.mightContain(segment, hash)) {
          falsePositives++;
        }
        assertThat(indexes.get(segment).find(encoded, hash)).isNegative();
      }
      assertThat(falsePositives).as("seed %d, segment %d", SEED, segment).isLessThan(absent / 20);
    }
  }

  private static byte[] encode(long key) {
    return ByteBuffer.allocate(8).putLong(key ^ Long.MIN_VALUE).array();
  }
}
