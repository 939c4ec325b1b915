package dev.basalt.common.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.type.DataType;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Batch}'s selection vector: what a selected batch holds and what compacting it gives. */
class BatchSelectionTest {

  @Test
  void compactingASelectionGathersTheSelectedRowsInOrder() {
    long seed = 1207L;
    Random random = new Random(seed);
    for (int round = 0; round < 100; round++) {
      int rowCount = 1 + random.nextInt(200);
      ColumnVectorBuilder longs = new ColumnVectorBuilder(DataType.BIGINT, rowCount);
      ColumnVectorBuilder strings = new ColumnVectorBuilder(DataType.varchar(8), rowCount);
      for (int row = 0; row < rowCount; row++) {
        if (random.nextInt(7) == 0) {
          longs.appendNull();
        } else {
          longs.appendLong(random.nextLong());
        }
        strings.appendObject(random.nextInt(5) == 0 ? null : "s" + random.nextInt(50));
      }
      Batch batch = new Batch(List.of(longs.build(), strings.build()), rowCount);
      int[] positions = new int[rowCount];
      int count = 0;
      for (int row = 0; row < rowCount; row++) {
        if (random.nextInt(3) == 0) {
          positions[count++] = row;
        }
      }
      Batch selected = batch.withSelection(positions, count);
      assertThat(selected.rowCount()).isEqualTo(rowCount);
      assertThat(selected.selectedCount()).isEqualTo(count);
      assertThat(selected.hasSelection()).isEqualTo(count < rowCount);
      Batch compacted = selected.compacted();
      assertThat(compacted.hasSelection()).isFalse();
      assertThat(compacted.rowCount()).isEqualTo(count);
      for (int i = 0; i < count; i++) {
        for (int column = 0; column < 2; column++) {
          assertThat(compacted.column(column).getObject(i))
              .as("seed %d round %d row %d", seed, round, i)
              .isEqualTo(batch.column(column).getObject(positions[i]));
        }
      }
      int[] listed = new int[rowCount];
      assertThat(selected.positions(listed)).isEqualTo(count);
      assertThat(java.util.Arrays.copyOf(listed, count))
          .isEqualTo(java.util.Arrays.copyOf(positions, count));
    }
  }

  @Test
  void aBatchWithoutSelectionListsEveryRowAndIsItsOwnCompaction() {
    Batch batch = new Batch(List.of(), 5);
    assertThat(batch.compacted()).isSameAs(batch);
    assertThat(batch.selectedCount()).isEqualTo(5);
    int[] positions = new int[5];
    assertThat(batch.positions(positions)).isEqualTo(5);
    assertThat(positions).containsExactly(0, 1, 2, 3, 4);
    Batch everyRow = batch.withSelection(new int[] {0, 1, 2, 3, 4}, 5);
    assertThat(everyRow.hasSelection()).isFalse();
    Batch none = batch.withSelection(new int[0], 0);
    assertThat(none.selectedCount()).isZero();
    assertThat(none.compacted().rowCount()).isZero();
  }

  @Test
  void aSelectionLongerThanTheBatchIsRejected() {
    Batch batch = new Batch(List.of(), 2);
    assertThatThrownBy(() -> batch.withSelection(new int[] {0, 1, 2}, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> batch.withSelection(new int[1], 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
