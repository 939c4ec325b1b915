package dev.basalt.exec.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.hash.LongGroupHashTable;
import dev.basalt.exec.memory.QueryMemoryBudget;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link RuntimeFilter} against a set of the build keys: a narrow key range (tested on a bitmap), a
 * wide one (tested on the join's table), negative keys and NULL probe keys.
 */
class RuntimeFilterTest {
  @Test
  void keepsExactlyTheProbeKeysOfTheBuildSide() {
    long[][] ranges = {{-50, 200}, {1, RuntimeFilter.MAX_BITMAP_BITS * 4}, {Long.MIN_VALUE, 0}};
    for (long seed : new long[] {5, 77}) {
      for (long[] range : ranges) {
        Random random = new Random(seed);
        LongGroupHashTable table = new LongGroupHashTable(16);
        Set<Long> build = new HashSet<>();
        build.add(range[0]);
        table.findOrInsert(range[0]);
        for (int i = 0; i < 300; i++) {
          long key = pick(random, range);
          build.add(key);
          table.findOrInsert(key);
        }
        RuntimeFilter filter = new RuntimeFilter();
        filter.publish(table, QueryMemoryBudget.unlimited().reservation("test"));
        int rows = 5000;
        long[] values = new long[rows];
        boolean[] nulls = new boolean[rows];
        int[] selected = new int[rows];
        for (int row = 0; row < rows; row++) {
          values[row] = random.nextBoolean() ? pick(random, range) : random.nextLong();
          nulls[row] = random.nextInt(10) == 0;
          selected[row] = row;
        }
        LongVector keys = new LongVector(DataType.BIGINT, values, nulls, rows);
        int kept = filter.retainMatching(keys, selected, rows);
        int expected = 0;
        for (int row = 0; row < rows; row++) {
          boolean member = build.contains(values[row]);
          assertThat(filter.mightMatch(values[row]))
              .as("seed %d, range %d..%d, key %d", seed, range[0], range[1], values[row])
              .isEqualTo(member);
          if (!nulls[row] && member) {
            assertThat(selected[expected++]).isEqualTo(row);
          }
        }
        assertThat(kept).as("seed %d, range %d..%d", seed, range[0], range[1]).isEqualTo(expected);
      }
    }
  }

  private static long pick(Random random, long[] range) {
    long width = range[1] - range[0];
    return range[0] + (width > 0 ? Math.floorMod(random.nextLong(), width) : 0);
  }
}
