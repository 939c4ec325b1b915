package dev.basalt.exec.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.Int128;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.hash.KeySerializer;
import dev.basalt.exec.hash.LongGroupHashTable;
import dev.basalt.exec.memory.MemoryPool;
import dev.basalt.exec.memory.QueryMemoryBudget;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link RuntimeFilter} against a set of the build keys, for every key type: a narrow integer range
 * (tested on a bitmap), a wide one (on the join's table), small key sets (an exact IN list) and
 * large ones (a Bloom filter: every member kept, few others), NULL keys on both sides, DOUBLE's
 * -0.0 and NaN, DECIMAL in both layouts, LARGEINT probe vectors, strings with trailing spaces.
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

  /** A key type: the build keys' vector of distinct values {@code value(i)}, and the reference. */
  private interface Keys {
    /** A vector of these values ({@code null}: SQL NULL). */
    ColumnVector vector(List<Object> values);

    /** A seeded random value; {@code i} is its index among the build keys (-1 for probes). */
    Object value(Random random);

    /** The value as the join compares it (its reference identity). */
    default Object identity(Object value) {
      return value;
    }
  }

  private static final class LongKeys implements Keys {
    @Override
    public ColumnVector vector(List<Object> values) {
      long[] longs = new long[values.size()];
      boolean[] nulls = new boolean[values.size()];
      for (int i = 0; i < longs.length; i++) {
        nulls[i] = values.get(i) == null;
        longs[i] = nulls[i] ? 0 : (Long) values.get(i);
      }
      return new LongVector(DataType.BIGINT, longs, nulls, longs.length);
    }

    @Override
    public Object value(Random random) {
      return random.nextLong() >> random.nextInt(64);
    }
  }

  private static final class DoubleKeys implements Keys {
    private static final double[] SPECIAL = {0.0, -0.0, Double.NaN, Double.MAX_VALUE, -1.5};

    @Override
    public ColumnVector vector(List<Object> values) {
      double[] doubles = new double[values.size()];
      boolean[] nulls = new boolean[values.size()];
      for (int i = 0; i < doubles.length; i++) {
        nulls[i] = values.get(i) == null;
        doubles[i] = nulls[i] ? 0 : (Double) values.get(i);
      }
      return new DoubleVector(DataType.DOUBLE, doubles, nulls, doubles.length);
    }

    @Override
    public Object value(Random random) {
      return random.nextInt(20) == 0
          ? SPECIAL[random.nextInt(SPECIAL.length)]
          : random.nextInt(1 << 20) / 8.0;
    }

    @Override
    public Object identity(Object value) {
      return KeySerializer.doubleKey((Double) value);
    }
  }

  /** DECIMAL(p, 2) keys, built in the scaled-long or 128-bit layout, probed in the other. */
  private record DecimalKeys(boolean wide) implements Keys {
    static final DataType TYPE = DataType.decimal(30, 2);

    @Override
    public ColumnVector vector(List<Object> values) {
      long[] high = new long[values.size()];
      long[] low = new long[values.size()];
      boolean[] nulls = new boolean[values.size()];
      for (int i = 0; i < low.length; i++) {
        nulls[i] = values.get(i) == null;
        if (!nulls[i]) {
          high[i] = ((long[]) values.get(i))[0];
          low[i] = ((long[]) values.get(i))[1];
        }
      }
      return wide
          ? new DecimalVector(TYPE, high, low, nulls, low.length)
          : new DecimalVector(TYPE, low, nulls, low.length);
    }

    @Override
    public Object value(Random random) {
      long low = random.nextLong() >> random.nextInt(64);
      // A 128-bit layout may hold values beyond a long; a scaled-long one only longs.
      long high = wide && random.nextBoolean() ? random.nextInt(1000) - 500 : low >> 63;
      return new long[] {high, low};
    }

    @Override
    public Object identity(Object value) {
      // What the vector holds: a scaled-long one keeps only the low half.
      long low = ((long[]) value)[1];
      return Int128.toString(wide ? ((long[]) value)[0] : low >> 63, low);
    }
  }

  private static final class LargeIntKeys implements Keys {
    @Override
    public ColumnVector vector(List<Object> values) {
      long[] high = new long[values.size()];
      long[] low = new long[values.size()];
      boolean[] nulls = new boolean[values.size()];
      for (int i = 0; i < low.length; i++) {
        nulls[i] = values.get(i) == null;
        if (!nulls[i]) {
          high[i] = ((long[]) values.get(i))[0];
          low[i] = ((long[]) values.get(i))[1];
        }
      }
      return new LargeIntVector(DataType.LARGEINT, high, low, nulls, low.length);
    }

    @Override
    public Object value(Random random) {
      long low = random.nextLong();
      return new long[] {random.nextBoolean() ? random.nextLong() : low >> 63, low};
    }

    @Override
    public Object identity(Object value) {
      return Int128.toString(((long[]) value)[0], ((long[]) value)[1]);
    }
  }

  /** Strings, some equal but for trailing spaces (CHAR-like): different keys for the join. */
  private record StringKeys(DataType type) implements Keys {
    @Override
    public ColumnVector vector(List<Object> values) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      int[] offsets = new int[values.size() + 1];
      boolean[] nulls = new boolean[values.size()];
      for (int i = 0; i < values.size(); i++) {
        nulls[i] = values.get(i) == null;
        if (!nulls[i]) {
          bytes.writeBytes(((String) values.get(i)).getBytes(StandardCharsets.UTF_8));
        }
        offsets[i + 1] = bytes.size();
      }
      return new BytesVector(type, bytes.toByteArray(), offsets, nulls, values.size());
    }

    @Override
    public Object value(Random random) {
      StringBuilder text = new StringBuilder("k").append(random.nextInt(1 << 20));
      for (int spaces = random.nextInt(3); spaces > 0; spaces--) {
        text.append(' ');
      }
      return random.nextInt(50) == 0 ? "" : text.toString();
    }
  }

  @Test
  void everyKeyTypeKeepsItsMatchesExactlyUpToTheInListAndAllOfThemBeyond() {
    DataType charType = new DataType(dev.basalt.common.type.TypeKind.CHAR, 0, 0, 12);
    List<Object[]> cases =
        List.of(
            new Object[] {DataType.BIGINT, new LongKeys(), null},
            new Object[] {DataType.DOUBLE, new DoubleKeys(), null},
            new Object[] {DecimalKeys.TYPE, new DecimalKeys(false), new DecimalKeys(true)},
            new Object[] {DecimalKeys.TYPE, new DecimalKeys(true), new DecimalKeys(false)},
            new Object[] {DataType.decimal(39, 0), new LargeIntKeys(), new LargeIntKeys()},
            new Object[] {DataType.varchar(20), new StringKeys(DataType.varchar(20)), null},
            new Object[] {charType, new StringKeys(charType), null});
    for (Object[] testCase : cases) {
      DataType type = (DataType) testCase[0];
      Keys build = (Keys) testCase[1];
      Keys probe = testCase[2] == null ? build : (Keys) testCase[2];
      for (int distinct : new int[] {0, 1, 700, RuntimeFilter.MAX_IN_KEYS + 1, 20_000}) {
        long seed = distinct * 31L + cases.indexOf(testCase);
        Random random = new Random(seed);
        String label = String.format("%s %s, %d keys, seed %d", type, build, distinct, seed);
        List<Object> buildValues = new ArrayList<>();
        Set<Object> members = new HashSet<>();
        while (members.size() < distinct) {
          Object value = build.value(random);
          if (members.add(build.identity(value))) {
            // Each key twice, and a NULL now and then.
            buildValues.add(value);
            buildValues.add(value);
            if (random.nextInt(10) == 0) {
              buildValues.add(null);
            }
          }
        }
        RuntimeFilter filter = new RuntimeFilter();
        filter.publish(
            type,
            build.vector(buildValues),
            buildValues.size(),
            members.size(),
            null,
            QueryMemoryBudget.unlimited().reservation("test"));
        assertThat(filter.isReady()).as(label).isTrue();
        boolean exact = distinct <= RuntimeFilter.MAX_IN_KEYS;
        // Exact: an IN list (or, for integers in a narrow range, a bitmap).
        assertThat(filter.kind() != RuntimeFilter.Kind.BLOOM).as(label).isEqualTo(exact);
        // Probes: half build keys (their probe-side layout), half random values, some NULL.
        List<Object> probeValues = new ArrayList<>();
        List<Object> buildKeys = buildValues.stream().filter(v -> v != null).toList();
        int rows = 20_000;
        for (int row = 0; row < rows; row++) {
          int choice = random.nextInt(10);
          probeValues.add(
              choice == 0
                  ? null
                  : choice < 5 && !buildKeys.isEmpty()
                      ? buildKeys.get(random.nextInt(buildKeys.size()))
                      : probe.value(random));
        }
        int[] selected = new int[rows];
        // Every other row, so that the selection is not the identity.
        int count = 0;
        for (int row = 0; row < rows; row += 2) {
          selected[count++] = row;
        }
        int kept = filter.retainMatching(probe.vector(probeValues), selected, count);
        Set<Integer> keptRows = new HashSet<>();
        for (int i = 0; i < kept; i++) {
          keptRows.add(selected[i]);
          assertThat(selected[i] % 2).as(label).isZero();
          assertThat(probeValues.get(selected[i])).as(label).isNotNull();
        }
        int falsePositives = 0;
        int others = 0;
        for (int row = 0; row < rows; row += 2) {
          Object value = probeValues.get(row);
          boolean member = value != null && members.contains(probe.identity(value));
          if (member) {
            assertThat(keptRows).as("%s: row %d (%s) matches", label, row, value).contains(row);
          } else if (value != null) {
            others++;
            if (keptRows.contains(row)) {
              falsePositives++;
            }
          }
        }
        if (exact) {
          assertThat(falsePositives).as(label).isZero();
        } else {
          assertThat((double) falsePositives / others).as(label).isLessThan(0.03);
        }
      }
    }
  }

  @Test
  void doubleKeysMatchMinusZeroAndNaNAsTheJoinDoesAndBoundWithoutNaN() {
    RuntimeFilter filter = new RuntimeFilter();
    DoubleKeys keys = new DoubleKeys();
    filter.publish(
        DataType.DOUBLE,
        keys.vector(List.of(-0.0, 2.5, 1e300)),
        3,
        3,
        null,
        QueryMemoryBudget.unlimited().reservation("test"));
    int[] selected = {0, 1, 2, 3, 4};
    int kept =
        filter.retainMatching(
            keys.vector(List.of(0.0, -0.0, Double.NaN, 2.5000001, 1e300)), selected, 5);
    assertThat(kept).isEqualTo(3);
    assertThat(selected).startsWith(0, 1, 4);
    assertThat(filter.lowerBound()).isEqualTo(-0.0);
    assertThat(filter.upperBound()).isEqualTo(1e300);

    RuntimeFilter withNaN = new RuntimeFilter();
    withNaN.publish(
        DataType.DOUBLE,
        keys.vector(List.of(Double.NaN, 1.0)),
        2,
        2,
        null,
        QueryMemoryBudget.unlimited().reservation("test"));
    int[] rows = {0, 1};
    assertThat(withNaN.retainMatching(keys.vector(List.of(Double.NaN, 2.0)), rows, 2)).isOne();
    assertThat(withNaN.lowerBound()).isNull();
  }

  @Test
  void boundsAreZoneMapValuesOfTheKeyType() {
    RuntimeFilter dates = new RuntimeFilter();
    dates.publish(
        DataType.DATE,
        new LongVector(
            DataType.DATE, new long[] {19000, 18000, 0}, new boolean[] {false, false, true}, 3),
        3,
        2,
        null,
        QueryMemoryBudget.unlimited().reservation("test"));
    assertThat(dates.lowerBound()).isEqualTo(LocalDate.ofEpochDay(18000));
    assertThat(dates.upperBound()).isEqualTo(LocalDate.ofEpochDay(19000));
    assertThat(dates.kind()).isEqualTo(RuntimeFilter.Kind.BITMAP);

    RuntimeFilter decimals = new RuntimeFilter();
    DecimalKeys wide = new DecimalKeys(true);
    decimals.publish(
        DecimalKeys.TYPE,
        wide.vector(List.of(new long[] {-1, -5}, new long[] {1, 0})),
        2,
        2,
        null,
        QueryMemoryBudget.unlimited().reservation("test"));
    assertThat(decimals.lowerBound()).isEqualTo(new BigDecimal("-0.05"));
    assertThat(decimals.upperBound()).isEqualTo(new BigDecimal(Int128.toBigInteger(1, 0), 2));

    RuntimeFilter strings = new RuntimeFilter();
    strings.publish(
        DataType.varchar(5),
        new StringKeys(DataType.varchar(5)).vector(List.of("a")),
        1,
        1,
        null,
        QueryMemoryBudget.unlimited().reservation("test"));
    assertThat(strings.lowerBound()).isEqualTo("a");
    assertThat(strings.upperBound()).isEqualTo("a");
  }

  @Test
  void aRefusedReservationLeavesTheFilterUnpublished() {
    QueryMemoryBudget small = new QueryMemoryBudget(new MemoryPool(1 << 30), 100_000, "small");
    int rows = 200_000;
    long[] keys = new long[rows];
    for (int row = 0; row < rows; row++) {
      keys[row] = row * 1_000_003L;
    }
    RuntimeFilter filter = new RuntimeFilter();
    filter.publish(
        DataType.BIGINT,
        new LongVector(DataType.BIGINT, keys, null, rows),
        rows,
        rows,
        null,
        small.reservation("join"));
    assertThat(filter.isReady()).isFalse();

    // The same keys within budget: a Bloom filter of about 10 bits per key.
    RuntimeFilter roomy = new RuntimeFilter();
    QueryMemoryBudget enough = new QueryMemoryBudget(new MemoryPool(1 << 30), 1_000_000, "enough");
    roomy.publish(
        DataType.BIGINT,
        new LongVector(DataType.BIGINT, keys, null, rows),
        rows,
        rows,
        null,
        enough.reservation("join"));
    assertThat(roomy.kind()).isEqualTo(RuntimeFilter.Kind.BLOOM);
  }

  @Test
  void aFilterThatKeepsMostOfAJudgedWindowSwitchesOffAndASelectiveOneStaysOn() {
    // Integer keys (a bitmap): build keys 0..899 keep 90 % of probe keys 0..999, above the
    // cut-off; 0..799 keep 80 %, below it. String keys: 60 % and 40 % against a cut-off of 50 %.
    int batch = 4096;
    int batches = 20;
    for (int buildKeys : new int[] {900, 800}) {
      for (boolean strings : new boolean[] {false, true}) {
        int keys = strings ? (buildKeys == 900 ? 600 : 400) : buildKeys;
        RuntimeFilter filter = new RuntimeFilter();
        DataType type = strings ? DataType.STRING : DataType.BIGINT;
        filter.publish(
            type,
            strings ? strings(keys, 0) : longs(keys, 0),
            keys,
            keys,
            null,
            QueryMemoryBudget.unlimited().reservation("test"));
        boolean switchesOff = strings ? keys > 500 : keys > 850;
        long tested = 0;
        long kept = 0;
        for (int b = 0; b < batches; b++) {
          ColumnVector probe = strings ? strings(batch, b * batch) : longs(batch, b * batch);
          int[] selected = new int[batch];
          for (int row = 0; row < batch; row++) {
            selected[row] = row;
          }
          int passed = filter.apply(probe, selected, batch);
          if (switchesOff && b >= 16) {
            assertThat(passed).as("batch %d after the cut-off", b).isEqualTo(batch);
          } else {
            assertThat(passed).as("batch %d", b).isLessThan(batch);
            tested += batch;
            kept += passed;
          }
        }
        assertThat(filter.isSwitchedOff()).as("%d keys of %s", keys, type).isEqualTo(switchesOff);
        assertThat(filter.describe())
            .endsWith(
                " rows_tested="
                    + tested
                    + " rows_kept="
                    + kept
                    + (switchesOff ? " switched_off_after=" + RuntimeFilter.JUDGED_ROWS : ""));
      }
    }
  }

  /** {@code rows} BIGINT keys counting on from {@code first}, modulo 1000. */
  private static LongVector longs(int rows, int first) {
    long[] values = new long[rows];
    for (int row = 0; row < rows; row++) {
      values[row] = (first + row) % 1000;
    }
    return new LongVector(DataType.BIGINT, values, null, rows);
  }

  /** {@code rows} STRING keys 'k0'..'k999' counting on from {@code first}, modulo 1000. */
  private static BytesVector strings(int rows, int first) {
    dev.basalt.common.vector.ColumnVectorBuilder builder =
        new dev.basalt.common.vector.ColumnVectorBuilder(DataType.STRING, rows);
    for (int row = 0; row < rows; row++) {
      builder.appendObject("k" + (first + row) % 1000);
    }
    return (BytesVector) builder.build();
  }
}
