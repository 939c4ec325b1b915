package dev.basalt.storage.tablet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SortedMerge#withRowMaps}: where each input row went, through rows merged one by one, a
 * DUPLICATE KEY run found while a batch was being built (returned as the next batch) and keys
 * combined into one row; inputs number their rows in their source with gaps, as a segment input
 * whose deleted rows are left out does.
 */
class SortedMergeRowMapsTest {
  private static final List<MergeColumn> COLUMNS =
      List.of(
          new MergeColumn("k", DataType.BIGINT, ValueAggregation.KEY),
          new MergeColumn("v", DataType.BIGINT, ValueAggregation.SUM));

  @Test
  void aRunAfterRowsMergedOneByOneComesAsTheNextBatchAndIsMapped() {
    long[] runKeys = new long[41];
    runKeys[0] = 1;
    for (int i = 1; i < runKeys.length; i++) {
      runKeys[i] = 49 + i;
    }
    // Input 0's rows are its source's even rows (the odd ones deleted), input 1's its rows 5, 6.
    NumberedInput older = new NumberedInput(batch(runKeys), 0, 2);
    NumberedInput newer = new NumberedInput(batch(new long[] {2, 3}), 5, 1);
    int[][] rowMaps = {filled(2 * runKeys.length), filled(7)};
    List<Batch> batches = new ArrayList<>();
    try (SortedMerge merge =
        SortedMerge.withRowMaps(
            List.of(older, newer),
            TabletModel.duplicate(COLUMNS),
            new int[] {0, 1},
            List.of("older", "newer"),
            rowMaps)) {
      for (Batch batch = merge.next(); batch != null; batch = merge.next()) {
        batches.add(batch);
      }
    }
    assertThat(batches).hasSize(2);
    assertThat(keys(batches.get(0))).containsExactly(1L, 2L, 3L);
    assertThat(keys(batches.get(1))).hasSize(40).startsWith(50L, 51L).endsWith(89L);
    assertThat(rowMaps[1]).containsExactly(-1, -1, -1, -1, -1, 1, 2);
    for (int row = 0; row < runKeys.length; row++) {
      int expected = row == 0 ? 0 : row + 2;
      assertThat(rowMaps[0][2 * row]).as("source row " + 2 * row).isEqualTo(expected);
      assertThat(rowMaps[0][2 * row + 1]).as("deleted source row " + (2 * row + 1)).isEqualTo(-1);
    }
  }

  @Test
  void rowsOfOneKeyCombinedAllPointAtTheirRow() {
    NumberedInput older = new NumberedInput(batch(new long[] {1, 1, 2, 4}), 0, 1);
    NumberedInput newer = new NumberedInput(batch(new long[] {2, 3, 4}), 10, 3);
    int[][] rowMaps = {filled(4), filled(17)};
    List<Long> keys = new ArrayList<>();
    List<Long> sums = new ArrayList<>();
    try (SortedMerge merge =
        SortedMerge.withRowMaps(
            List.of(older, newer),
            TabletModel.aggregate(
                COLUMNS,
                type -> {
                  throw new AssertionError("no sketch columns here");
                }),
            new int[] {0, 1},
            List.of("older", "newer"),
            rowMaps)) {
      for (Batch batch = merge.next(); batch != null; batch = merge.next()) {
        keys.addAll(keys(batch));
        for (int r = 0; r < batch.rowCount(); r++) {
          sums.add((Long) batch.column(1).getObject(r));
        }
      }
    }
    assertThat(keys).containsExactly(1L, 2L, 3L, 4L);
    assertThat(sums).containsExactly(2L, 40L, 30L, 80L);
    assertThat(rowMaps[0]).containsExactly(0, 0, 1, 3);
    int[] newerMap = filled(17);
    newerMap[10] = 1;
    newerMap[13] = 2;
    newerMap[16] = 3;
    assertThat(rowMaps[1]).containsExactly(newerMap);
  }

  private static int[] filled(int length) {
    int[] map = new int[length];
    Arrays.fill(map, -1);
    return map;
  }

  /** Keys as given, values 1 for key 1 and 10 times the key otherwise. */
  private static Batch batch(long[] keys) {
    ColumnVectorBuilder k = new ColumnVectorBuilder(DataType.BIGINT, keys.length);
    ColumnVectorBuilder v = new ColumnVectorBuilder(DataType.BIGINT, keys.length);
    for (long key : keys) {
      k.appendLong(key);
      v.appendLong(key == 1 ? 1 : 10 * key);
    }
    return new Batch(List.<ColumnVector>of(k.build(), v.build()), keys.length);
  }

  private static List<Long> keys(Batch batch) {
    List<Long> keys = new ArrayList<>();
    for (int r = 0; r < batch.rowCount(); r++) {
      keys.add((Long) batch.column(0).getObject(r));
    }
    return keys;
  }

  /** One batch whose row i is source row {@code first + i * step}. */
  private static final class NumberedInput implements RowNumberedStream {
    private final Batch batch;
    private final int first;
    private final int step;
    private boolean returned;

    NumberedInput(Batch batch, int first, int step) {
      this.batch = batch;
      this.first = first;
      this.step = step;
    }

    @Override
    public Batch next() {
      if (returned) {
        return null;
      }
      returned = true;
      return batch;
    }

    @Override
    public int sourceRow(int row) {
      return first + row * step;
    }
  }
}
