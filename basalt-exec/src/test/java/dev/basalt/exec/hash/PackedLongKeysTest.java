package dev.basalt.exec.hash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.LongVector;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PackedLongKeysTest {

  private static LongVector longs(long... values) {
    return new LongVector(DataType.BIGINT, values, null, values.length);
  }

  @Test
  void distinctTuplesWithinTheRangesPackToDistinctWords() {
    long[] first = new long[121];
    long[] second = new long[121];
    int row = 0;
    for (long a = -5; a <= 5; a++) {
      for (long b = 1000; b <= 1010; b++) {
        first[row] = a;
        second[row] = b;
        row++;
      }
    }
    List<ColumnVector> keys = List.of(longs(first), longs(second));
    PackedLongKeys packing = PackedLongKeys.of(keys, row);
    assertThat(packing).isNotNull();
    long[] packed = new long[row];
    int[] keyIds = new int[row];
    assertThat(packing.pack(keys, 0, row, packed, keyIds)).isZero();
    Set<Long> words = new HashSet<>();
    for (int i = 0; i < row; i++) {
      assertThat(keyIds[i]).isZero();
      words.add(packed[i]);
    }
    assertThat(words).hasSize(row);
  }

  @Test
  void valuesOutsideTheBuildRangesAndNullsMatchNothing() {
    List<ColumnVector> build = List.of(longs(10, 20), longs(-3, 3));
    PackedLongKeys packing = PackedLongKeys.of(build, 2);
    boolean[] nulls = {false, false, false, false, true};
    LongVector probeFirst =
        new LongVector(DataType.BIGINT, new long[] {9, 10, 20, 21, 15}, nulls, 5);
    LongVector probeSecond = longs(0, -4, 3, 0, 0);
    long[] packed = new long[5];
    int[] keyIds = new int[5];
    int excluded = packing.pack(List.of(probeFirst, probeSecond), 0, 5, packed, keyIds);
    assertThat(keyIds).containsExactly(-1, -1, 0, -1, -1);
    assertThat(excluded).isEqualTo(4);
  }

  @Test
  void rangesNeedingMoreThan63BitsOrOverflowingAreNotPacked() {
    assertThat(PackedLongKeys.of(List.of(longs(0, 1L << 40), longs(0, 1L << 30)), 2)).isNull();
    assertThat(PackedLongKeys.of(List.of(longs(Long.MIN_VALUE, Long.MAX_VALUE)), 2)).isNull();
    assertThat(PackedLongKeys.of(List.of(longs(0, 1L << 40), longs(0, 1L << 20)), 2)).isNotNull();
  }
}
