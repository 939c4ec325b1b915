package dev.basalt.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

class DeletedRowsTest {
  private static final long SEED = 20261206L;

  @Test
  void selectLiveMatchesAMembershipTestPerRow() {
    Random random = new Random(SEED);
    for (int round = 0; round < 200; round++) {
      RoaringBitmap deleted = randomMarks(random);
      long firstRow = random.nextInt(200_000);
      int count = 1 + random.nextInt(4_096);
      int[] selected = new int[count];
      int kept = DeletedRows.selectLive(deleted, firstRow, count, selected);
      assertThat(Arrays.copyOf(selected, kept))
          .as("seed %d round %d", SEED, round)
          .containsExactly(expectedLive(deleted, firstRow, allOffsets(count), count));
    }
  }

  @Test
  void retainLiveKeepsTheUnmarkedRowsOfASelectionInOrder() {
    Random random = new Random(SEED + 1);
    for (int round = 0; round < 200; round++) {
      RoaringBitmap deleted = randomMarks(random);
      long firstRow = random.nextInt(200_000);
      int count = 1 + random.nextInt(4_096);
      int[] selected = new int[count];
      int kept = 0;
      for (int offset = 0; offset < count; offset++) {
        if (random.nextInt(3) != 0) {
          selected[kept++] = offset;
        }
      }
      int[] expected = expectedLive(deleted, firstRow, selected, kept);
      int live = DeletedRows.retainLive(deleted, firstRow, selected, kept);
      assertThat(Arrays.copyOf(selected, live))
          .as("seed %d round %d", SEED + 1, round)
          .containsExactly(expected);
    }
  }

  @Test
  void noMarksInTheRangeKeepsEveryRow() {
    RoaringBitmap deleted = RoaringBitmap.bitmapOf(3, 10_000);
    int[] selected = new int[100];
    assertThat(DeletedRows.selectLive(deleted, 100, 100, selected)).isEqualTo(100);
    assertThat(selected[99]).isEqualTo(99);
    assertThat(DeletedRows.retainLive(deleted, 100, selected, 0)).isZero();
  }

  /** Dense runs, sparse marks and empty stretches, as updates and compaction leave them. */
  private static RoaringBitmap randomMarks(Random random) {
    RoaringBitmap marks = new RoaringBitmap();
    int density = random.nextInt(4);
    for (int row = 0; row < 210_000; row++) {
      boolean marked =
          switch (density) {
            case 0 -> false;
            case 1 -> random.nextInt(100) == 0;
            case 2 -> random.nextInt(10) < 3;
            default -> (row / 1_000) % 2 == 0 || random.nextInt(50) == 0;
          };
      if (marked) {
        marks.add(row);
      }
    }
    return marks;
  }

  private static int[] allOffsets(int count) {
    int[] offsets = new int[count];
    Arrays.setAll(offsets, offset -> offset);
    return offsets;
  }

  private static int[] expectedLive(RoaringBitmap deleted, long firstRow, int[] offsets, int n) {
    return Arrays.stream(offsets, 0, n)
        .filter(offset -> !deleted.contains((int) (firstRow + offset)))
        .toArray();
  }
}
