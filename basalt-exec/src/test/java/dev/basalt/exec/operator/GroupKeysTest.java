package dev.basalt.exec.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.Int128;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * DECIMAL(38,2) and LARGEINT group keys kept as 128-bit halves: seeded keys beyond and within 64
 * bits, from the 128-bit and the scaled-long layouts, meet in one group per value and come back as
 * the values; a later key from a boxed DECIMAL vector (more digits than the type's scale) moves the
 * stored keys to objects without changing them.
 */
class GroupKeysTest {
  private static final long SEED = 1_2_8L;
  private static final DataType DECIMAL = DataType.decimal(38, 2);

  @Test
  void wideKeysGroupAndComeBackAsTheirValues() {
    Random random = new Random(SEED);
    GroupKeys groups = new GroupKeys(List.of(DECIMAL, DataType.LARGEINT));
    Set<List<Object>> expected = new LinkedHashSet<>();
    for (int batch = 0; batch < 6; batch++) {
      int rows = 50;
      long[] highs = new long[rows];
      long[] lows = new long[rows];
      boolean[] nulls = new boolean[rows];
      boolean allFitLong = true;
      for (int row = 0; row < rows; row++) {
        nulls[row] = row % 11 == 0;
        BigInteger value =
            BigInteger.valueOf(random.nextInt(20) - 10)
                .shiftLeft(batch % 2 == 0 ? 80 : 0)
                .add(BigInteger.valueOf(random.nextInt(3)));
        highs[row] = Int128.high(value);
        lows[row] = Int128.low(value);
        allFitLong &= value.bitLength() < 64;
        List<Object> key = new ArrayList<>();
        key.add(nulls[row] ? null : new BigDecimal(value, 2));
        key.add(nulls[row] ? null : value);
        expected.add(key);
      }
      ColumnVector decimals =
          allFitLong
              ? new DecimalVector(DECIMAL, lows.clone(), nulls.clone(), rows)
              : new DecimalVector(DECIMAL, highs.clone(), lows.clone(), nulls.clone(), rows);
      ColumnVector integers =
          new LargeIntVector(DataType.LARGEINT, highs.clone(), lows.clone(), nulls.clone(), rows);
      groups.groupIds(List.of(decimals, integers), rows, new int[rows]);
    }
    assertEquals(expected, keys(groups), "seed " + SEED);

    // A boxed DECIMAL key: the stored halves become objects, equal to what they were.
    BigDecimal boxed = new BigDecimal("1.005");
    groups.groupIds(
        List.of(
            new DecimalVector(DECIMAL, new BigDecimal[] {boxed}, 1),
            new LargeIntVector(DataType.LARGEINT, new long[] {0}, new long[] {7}, null, 1)),
        1,
        new int[1]);
    expected.add(List.of(boxed, BigInteger.valueOf(7)));
    assertEquals(expected, keys(groups), "seed " + SEED + ", after a boxed key");
  }

  /**
   * One BIGINT or DOUBLE key with NULLs first seen after some keys and the table growing past them:
   * group ids in order of first appearance with NULL as a group of its own, the keys coming back as
   * their values, and {@code existingGroupIds} finding every group and no new key.
   */
  @Test
  void oneFixedWidthKeyWithNullsNumbersGroupsInOrderOfFirstAppearance() {
    for (DataType type : List.of(DataType.BIGINT, DataType.DOUBLE)) {
      Random random = new Random(SEED);
      GroupKeys groups = new GroupKeys(List.of(type));
      Map<Object, Integer> reference = new HashMap<>();
      List<Object> values = new ArrayList<>();
      for (int batch = 0; batch < 8; batch++) {
        int rows = 4096;
        long[] longs = new long[rows];
        double[] doubles = new double[rows];
        boolean[] nulls = new boolean[rows];
        Object[] batchValues = new Object[rows];
        for (int row = 0; row < rows; row++) {
          nulls[row] = batch > 0 && random.nextInt(50) == 0;
          long value = random.nextInt(20_000) - 10_000;
          longs[row] = value;
          doubles[row] = value / 4.0;
          batchValues[row] =
              nulls[row]
                  ? "NULL"
                  : type == DataType.BIGINT ? (Object) value : (Object) (value / 4.0);
        }
        ColumnVector key =
            type == DataType.BIGINT
                ? new LongVector(type, longs, nulls, rows)
                : new DoubleVector(type, doubles, nulls, rows);
        int[] ids = new int[rows];
        groups.groupIds(List.of(key), rows, ids);
        for (int row = 0; row < rows; row++) {
          Object value = batchValues[row];
          int expected =
              reference.computeIfAbsent(
                  value,
                  unused -> {
                    values.add(value);
                    return reference.size();
                  });
          assertEquals(expected, ids[row], type + " batch " + batch + " row " + row);
        }
        int[] existing = new int[rows];
        groups.existingGroupIds(List.of(key), rows, existing);
        assertEquals(Arrays.toString(ids), Arrays.toString(existing));
      }
      assertEquals(values.size(), groups.groupCount());
      ColumnVector stored = groups.keyColumn(0, 0, groups.groupCount());
      for (int group = 0; group < values.size(); group++) {
        Object value = values.get(group);
        assertEquals(
            value.equals("NULL") ? null : value, stored.getObject(group), "group " + group);
      }
      long absent = 1_000_000;
      ColumnVector missing =
          type == DataType.BIGINT
              ? new LongVector(type, new long[] {absent}, null, 1)
              : new DoubleVector(type, new double[] {absent}, null, 1);
      int[] none = new int[1];
      groups.existingGroupIds(List.of(missing), 1, none);
      assertEquals(-1, none[0]);
    }
  }

  private static Set<List<Object>> keys(GroupKeys groups) {
    int count = groups.groupCount();
    ColumnVector decimals = groups.keyColumn(0, 0, count);
    ColumnVector integers = groups.keyColumn(1, 0, count);
    Set<List<Object>> keys = new LinkedHashSet<>();
    for (int group = 0; group < count; group++) {
      List<Object> key = new ArrayList<>();
      key.add(decimals.getObject(group));
      key.add(integers.getObject(group));
      keys.add(key);
    }
    assertEquals(count, keys.size(), "groups are distinct");
    return keys;
  }
}
