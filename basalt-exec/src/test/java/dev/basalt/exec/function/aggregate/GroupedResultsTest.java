package dev.basalt.exec.function.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.ColumnVectors;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.exec.function.Accumulator;
import dev.basalt.exec.function.AggregateFunction;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.GenericGroupedAccumulator;
import dev.basalt.exec.function.GroupedAccumulator;
import dev.basalt.exec.function.MergeableGroupedAccumulator;
import dev.basalt.exec.operator.OrderedAggregateFunction;
import dev.basalt.exec.operator.SortKey;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The typed results of the grouped accumulators ({@link GroupedAccumulator#writeResults}) against
 * their boxed results ({@link GroupedAccumulator#result} appended one at a time) and the row-wise
 * accumulator's result per group, and against the same accumulator fed the selected rows compacted,
 * for every aggregate kind over random groups, NULLs, sparse and dense selections (positions, as a
 * batch's selection or a FILTER clause gives them) and values near the 64-bit edges.
 */
class GroupedResultsTest {
  private static final FunctionRegistry REGISTRY = FunctionRegistry.builtins();

  private static final List<DataType> TYPES =
      List.of(
          DataType.INT,
          DataType.BIGINT,
          DataType.DOUBLE,
          DataType.BOOLEAN,
          DataType.DATE,
          DataType.decimal(10, 2),
          DataType.decimal(18, 0),
          DataType.decimal(18, 6),
          DataType.decimal(30, 3),
          DataType.LARGEINT,
          DataType.varchar(20),
          DataType.DATETIME);

  private static final List<String> FUNCTIONS =
      List.of(
          "count",
          "sum",
          "avg",
          "min",
          "max",
          "variance",
          "var_samp",
          "stddev",
          "stddev_samp",
          "group_concat",
          "bit_and",
          "bit_or",
          "bit_xor",
          "bool_and",
          "bool_or",
          "ndv",
          "approx_count_distinct",
          "any_value");

  @Test
  void typedResultsMatchBoxedResultsForEveryAggregate() {
    Random random = new Random(20261207);
    int compared = 0;
    compared += compare(REGISTRY.resolveAggregate("count", List.of(), false), List.of(), random);
    for (String name : FUNCTIONS) {
      for (DataType type : TYPES) {
        for (boolean distinct : new boolean[] {false, true}) {
          AggregateFunction function;
          try {
            function = REGISTRY.resolveAggregate(name, List.of(type), distinct);
          } catch (RuntimeException unsupported) {
            continue; // e.g. sum(DATE): not an aggregate of this type
          }
          compared += compare(function, List.of(type), random);
          assertBatchImplementation(function, type);
        }
      }
    }
    assertThat(compared).isGreaterThan(60);
  }

  @Test
  void exactIntegerAverageMatchesRowWiseBeyond64BitSums() {
    Random random = new Random(11);
    hugeLongs = true;
    try {
      for (DataType type : List.of(DataType.BIGINT, DataType.LARGEINT)) {
        compare(REGISTRY.resolveAggregate("avg", List.of(type), false), List.of(type), random);
      }
    } finally {
      hugeLongs = false;
    }
  }

  /** Whether BIGINT values come near the 64-bit limits (their sums overflow). */
  private static boolean hugeLongs;

  /**
   * Every aggregate this test covers has a batch implementation over every type it takes (not the
   * per-group row-wise {@link GenericGroupedAccumulator}).
   */
  private static void assertBatchImplementation(AggregateFunction function, DataType type) {
    assertThat(function.newGroupedAccumulator())
        .as(function.name() + "(" + (function.distinct() ? "DISTINCT " : "") + type + ")")
        .isNotInstanceOf(GenericGroupedAccumulator.class);
  }

  @Test
  void distinctOverSeveralArgumentsMatchesRowWise() {
    Random random = new Random(42);
    List<List<DataType>> argumentLists =
        List.of(
            List.of(DataType.INT, DataType.varchar(20)),
            List.of(DataType.DOUBLE, DataType.BIGINT),
            List.of(DataType.decimal(10, 2), DataType.DATE, DataType.BOOLEAN),
            List.of(DataType.LARGEINT, DataType.decimal(30, 3)));
    for (List<DataType> types : argumentLists) {
      for (String name : List.of("count", "ndv", "approx_count_distinct")) {
        compare(REGISTRY.resolveAggregate(name, types, true), types, random);
        compare(REGISTRY.resolveAggregate(name, types, false), types, random);
      }
    }
  }

  @Test
  void groupConcatWithSeparatorsMatchesRowWise() {
    Random random = new Random(43);
    for (DataType type :
        List.of(
            DataType.INT,
            DataType.DOUBLE,
            DataType.decimal(10, 2),
            DataType.LARGEINT,
            DataType.varchar(20),
            DataType.DATETIME)) {
      for (DataType separator : List.of(DataType.varchar(5), DataType.INT)) {
        for (boolean distinct : new boolean[] {false, true}) {
          AggregateFunction function =
              REGISTRY.resolveAggregate("group_concat", List.of(type, separator), distinct);
          assertThat(function.newGroupedAccumulator())
              .isNotInstanceOf(GenericGroupedAccumulator.class);
          compare(function, List.of(type, separator), random);
        }
      }
    }
  }

  /**
   * {@code group_concat([DISTINCT] x, separator ORDER BY y [DESC], z)}: the batch form of the
   * ordered aggregate (rows buffered typed, sorted once by group and keys) gives the row-wise
   * answer (rows kept boxed, each group sorted stably), ties in arrival order included.
   */
  @Test
  void orderedGroupConcatMatchesRowWise() {
    Random random = new Random(45);
    for (DataType type :
        List.of(DataType.INT, DataType.DOUBLE, DataType.decimal(10, 2), DataType.varchar(20))) {
      for (DataType orderType :
          List.of(
              DataType.INT,
              DataType.varchar(20),
              DataType.DOUBLE,
              DataType.decimal(30, 3),
              DataType.DATETIME)) {
        for (boolean descending : new boolean[] {false, true}) {
          for (boolean distinct : new boolean[] {false, true}) {
            List<DataType> innerTypes = List.of(type, DataType.varchar(5));
            AggregateFunction ordered =
                new OrderedAggregateFunction(
                    REGISTRY.resolveAggregate("group_concat", innerTypes, distinct),
                    innerTypes,
                    List.of(
                        new SortKey(0, descending, random.nextBoolean()),
                        new SortKey(1, !descending, random.nextBoolean())));
            assertThat(ordered.newGroupedAccumulator())
                .isNotInstanceOf(GenericGroupedAccumulator.class);
            compare(ordered, List.of(type, DataType.varchar(5), orderType, DataType.INT), random);
          }
        }
      }
    }
  }

  /**
   * The mergeable batch accumulators of the statistics, bit and boolean aggregates and MIN / MAX
   * (strings included): the states of two halves of the input merged into a third accumulator give
   * the row-wise answer (exactly for bits and booleans, to 1e-9 relative for the moments, whose
   * merge rounds differently).
   */
  @Test
  void mergedStatesMatchRowWise() {
    Random random = new Random(44);
    for (String name :
        List.of(
            "variance",
            "var_samp",
            "stddev",
            "stddev_samp",
            "bit_and",
            "bit_or",
            "bit_xor",
            "bool_and",
            "bool_or",
            "min",
            "max")) {
      for (DataType type :
          List.of(
              DataType.INT,
              DataType.BIGINT,
              DataType.DOUBLE,
              DataType.BOOLEAN,
              DataType.varchar(20))) {
        AggregateFunction function;
        try {
          function = REGISTRY.resolveAggregate(name, List.of(type), false);
        } catch (RuntimeException unsupported) {
          continue;
        }
        int groupCount = 1 + random.nextInt(2000);
        MergeableGroupedAccumulator[] halves = {
          (MergeableGroupedAccumulator) function.newGroupedAccumulator(),
          (MergeableGroupedAccumulator) function.newGroupedAccumulator()
        };
        MergeableGroupedAccumulator merged =
            (MergeableGroupedAccumulator) function.newGroupedAccumulator();
        merged.ensureGroups(groupCount);
        Accumulator[] rowWise = new Accumulator[groupCount];
        for (int group = 0; group < groupCount; group++) {
          rowWise[group] = function.newAccumulator();
        }
        for (int half = 0; half < 2; half++) {
          // The first half sees only the lower groups, so some groups merge from one side only.
          int groups = half == 0 ? 1 + groupCount / 2 : groupCount;
          halves[half].ensureGroups(groups);
          int rows = random.nextInt(8000);
          int[] groupIds = new int[rows];
          for (int row = 0; row < rows; row++) {
            groupIds[row] = random.nextInt(groups);
          }
          List<ColumnVector> arguments = List.of(randomVector(type, rows, random));
          halves[half].addBatch(arguments, groupIds, null, rows);
          for (int row = 0; row < rows; row++) {
            rowWise[groupIds[row]].add(arguments, row);
          }
          int[] identity = new int[groups];
          for (int group = 0; group < groups; group++) {
            identity[group] = group;
          }
          merged.mergeStates(halves[half].states(0, groups), identity, identity, groups);
        }
        for (int group = 0; group < groupCount; group++) {
          Object expected = rowWise[group].result();
          Object actual = merged.result(group);
          String what = name + "(" + type + ") group " + group;
          if (expected instanceof Double number) {
            assertThat((Double) actual)
                .as(what)
                .isCloseTo(
                    number, org.assertj.core.data.Offset.offset(Math.abs(number) * 1e-9 + 1e-12));
          } else {
            assertThat(actual).as(what).isEqualTo(expected);
          }
        }
      }
    }
  }

  /** Feeds random batches to one grouped accumulator and compares its two result paths. */
  private static int compare(AggregateFunction function, List<DataType> types, Random random) {
    for (int round = 0; round < 3; round++) {
      GroupedAccumulator accumulator = function.newGroupedAccumulator();
      int groupCount = 1 + random.nextInt(round == 0 ? 5 : 3000);
      accumulator.ensureGroups(groupCount);
      Accumulator[] rowWise = new Accumulator[groupCount];
      for (int group = 0; group < groupCount; group++) {
        rowWise[group] = function.newAccumulator();
      }
      GroupedAccumulator compacted = function.newGroupedAccumulator();
      compacted.ensureGroups(groupCount);
      for (int batch = 0; batch < 4; batch++) {
        int rows = random.nextInt(4096);
        // No selection, or one keeping about 2 %, 25 %, 75 % or 97 % of the rows.
        double[] densities = {1, 0.02, 0.25, 0.75, 0.97};
        double density = densities[random.nextInt(densities.length)];
        int[] positions = density == 1 ? null : new int[rows];
        int count = 0;
        int[] groupIds = new int[rows];
        for (int row = 0; row < rows; row++) {
          if (positions == null || random.nextDouble() < density) {
            groupIds[row] = random.nextInt(groupCount);
            if (positions != null) {
              positions[count] = row;
            }
            count++;
          } else {
            groupIds[row] = -1; // an unselected row's group id must never be read
          }
        }
        List<ColumnVector> arguments = new ArrayList<>();
        for (DataType type : types) {
          arguments.add(randomVector(type, rows, random));
        }
        accumulator.addBatch(arguments, groupIds, positions, count);
        List<ColumnVector> gathered = new ArrayList<>();
        int[] gatheredGroupIds = new int[count];
        for (ColumnVector argument : arguments) {
          gathered.add(
              positions == null ? argument : ColumnVectors.take(argument, positions, count));
        }
        for (int i = 0; i < count; i++) {
          int row = positions == null ? i : positions[i];
          gatheredGroupIds[i] = groupIds[row];
          rowWise[groupIds[row]].add(arguments, row);
        }
        compacted.addBatch(gathered, gatheredGroupIds, null, count);
      }
      DataType returnType = function.returnType();
      ColumnVectorBuilder boxed = new ColumnVectorBuilder(returnType, groupCount);
      for (int group = 0; group < groupCount; group++) {
        boxed.appendObject(accumulator.result(group));
      }
      ColumnVector expected = boxed.build();
      ColumnVectorBuilder rowWiseResults = new ColumnVectorBuilder(returnType, groupCount);
      for (int group = 0; group < groupCount; group++) {
        rowWiseResults.appendObject(rowWise[group].result());
      }
      ColumnVector reference = rowWiseResults.build();
      ColumnVectorBuilder compactedResults = new ColumnVectorBuilder(returnType, groupCount);
      compacted.writeResults(0, groupCount, compactedResults);
      ColumnVector fromCompacted = compactedResults.build();
      ColumnVectorBuilder typed = new ColumnVectorBuilder(returnType, 16);
      for (int from = 0; from < groupCount; ) {
        int count = Math.min(groupCount - from, 1 + random.nextInt(1500));
        accumulator.writeResults(from, count, typed);
        from += count;
      }
      ColumnVector actual = typed.build();
      String what =
          function.name()
              + "("
              + (function.distinct() ? "DISTINCT " : "")
              + types
              + ") into "
              + returnType;
      assertThat(actual.type()).as(what).isEqualTo(returnType);
      assertThat(actual.size()).as(what).isEqualTo(groupCount);
      for (int group = 0; group < groupCount; group++) {
        if (actual.isNull(group) == expected.isNull(group)
            && java.util.Objects.equals(actual.getObject(group), expected.getObject(group))
            && java.util.Objects.equals(actual.getObject(group), reference.getObject(group))
            && java.util.Objects.equals(actual.getObject(group), fromCompacted.getObject(group))) {
          continue; // checked without building a message; the assertions below explain a miss
        }
        assertThat(actual.isNull(group))
            .as(what + " null of group " + group)
            .isEqualTo(expected.isNull(group));
        assertThat(actual.getObject(group))
            .as(what + " group " + group)
            .isEqualTo(expected.getObject(group))
            .isEqualTo(reference.getObject(group))
            .as(what + " group " + group + ", the same rows compacted")
            .isEqualTo(fromCompacted.getObject(group));
      }
    }
    return 1;
  }

  private static ColumnVector randomVector(DataType type, int rows, Random random) {
    boolean boxedDecimals =
        type.kind() == dev.basalt.common.type.TypeKind.DECIMAL && random.nextInt(4) == 0;
    BigDecimal[] decimals = boxedDecimals ? new BigDecimal[rows] : null;
    ColumnVectorBuilder builder = new ColumnVectorBuilder(type, rows);
    // Half the vectors draw from a few values, so that DISTINCT sets see repeats in each group.
    Object[] pool = null;
    if (random.nextBoolean()) {
      pool = new Object[1 + random.nextInt(12)];
      for (int i = 0; i < pool.length; i++) {
        pool[i] = randomValue(type, random);
      }
    }
    for (int row = 0; row < rows; row++) {
      Object value =
          random.nextInt(8) == 0
              ? null
              : pool != null ? pool[random.nextInt(pool.length)] : randomValue(type, random);
      if (decimals != null) {
        decimals[row] = (BigDecimal) value;
      } else {
        builder.appendObject(value);
      }
    }
    return decimals != null ? new DecimalVector(type, decimals, rows) : builder.build();
  }

  private static Object randomValue(DataType type, Random random) {
    return switch (type.kind()) {
      case INT -> (long) random.nextInt();
      case BIGINT -> hugeLongs ? random.nextLong() / 2 + 3 : random.nextLong() % 1_000_000_000_000L;
      case DOUBLE ->
          switch (random.nextInt(12)) {
            case 0 -> -0.0; // DISTINCT and GROUP BY take it for 0.0
            case 1, 2, 3 -> random.nextInt(100) / 4.0;
            default -> random.nextGaussian();
          };
      case BOOLEAN -> random.nextBoolean();
      case DATE -> LocalDate.ofEpochDay(random.nextInt(40_000));
      case DATETIME ->
          java.time.LocalDateTime.of(2000 + random.nextInt(50), 1, 1, random.nextInt(24), 0);
      case DECIMAL -> {
        long unscaled =
            switch (random.nextInt(3)) {
              case 0 -> random.nextInt(2000) - 1000;
              case 1 -> random.nextLong() % 1_000_000_000L;
              default -> random.nextLong() % 999_999_999_999_999_999L;
            };
        BigInteger value = BigInteger.valueOf(unscaled);
        if (type.precision() > 18 && hugeDecimals) {
          // Up to 33 digits: sums leave 64 bits, but 16,384 of them stay within 38 digits.
          value =
              new BigInteger(1 + random.nextInt(120), random)
                  .mod(BigInteger.TEN.pow(Math.min(type.precision(), 33)));
          value = random.nextBoolean() ? value : value.negate();
        } else if (type.precision() > 18) {
          value = value.multiply(BigInteger.valueOf(random.nextLong() % 10_000_000_000L));
        } else if (type.precision() < 18) {
          value = value.mod(BigInteger.TEN.pow(type.precision()));
          value = random.nextBoolean() ? value : value.negate();
        }
        yield new BigDecimal(value, type.scale()).setScale(type.scale(), RoundingMode.UNNECESSARY);
      }
      case LARGEINT ->
          new BigInteger(random.nextInt(120) + 1, random)
              .multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1));
      case VARCHAR -> Integer.toString(random.nextInt(500), 36);
      default -> throw new IllegalArgumentException(type.toString());
    };
  }

  /**
   * The integer AVG's division on longs: 16 significant digits half to even, then the nearest
   * double, against BigDecimal's {@code divide(.., DECIMAL64).doubleValue()}, for quotients of 0 to
   * 19 digits, counts up to 10^17, and ties at the 16th digit.
   */
  @Test
  void decimal64QuotientMatchesBigDecimalDivision() {
    Random random = new Random(12);
    List<long[]> cases = new ArrayList<>();
    for (long sum :
        new long[] {
          0,
          1,
          -1,
          2,
          10,
          -10,
          12345678901234565L,
          12345678901234575L,
          -12345678901234565L,
          123456789012345650L,
          1234567890123456500L,
          Long.MAX_VALUE,
          Long.MIN_VALUE + 1,
          9007199254740993L,
          99999999999999995L,
          24691357802469131L
        }) {
      for (long count :
          new long[] {1, 2, 3, 7, 10, 2000, 1_000_000_007L, 100_000_000_000_000_000L}) {
        cases.add(new long[] {sum, count});
      }
    }
    for (int i = 0; i < 200_000; i++) {
      long sum = random.nextLong() >> random.nextInt(64);
      long count =
          switch (random.nextInt(3)) {
            case 0 -> 1 + random.nextInt(10);
            case 1 -> 1 + random.nextInt(1_000_000);
            default -> 1 + (random.nextLong() >>> (7 + random.nextInt(57)));
          };
      cases.add(new long[] {sum, count});
    }
    long[] scratch = new long[4];
    for (long[] pair : cases) {
      long sum = pair[0];
      long count = pair[1];
      double expected =
          new BigDecimal(sum)
              .divide(BigDecimal.valueOf(count), java.math.MathContext.DECIMAL64)
              .doubleValue();
      double actual =
          GroupedAccumulators.decimal64Quotient(
              sum < 0, Math.abs(sum) / count, Math.abs(sum) % count, count, scratch);
      assertThat(actual).as(sum + " / " + count).isEqualTo(expected);
    }
  }

  /**
   * SUM and AVG of DECIMAL(19..38) and SUM of LARGEINT whose sums leave 64 bits write 128-bit
   * halves that equal the boxed and row-wise results.
   */
  @Test
  void sumsBeyond64BitsMatchRowWise() {
    Random random = new Random(13);
    hugeDecimals = true;
    try {
      for (DataType type :
          List.of(DataType.decimal(38, 0), DataType.decimal(38, 6), DataType.decimal(25, 2))) {
        for (String name : List.of("sum", "avg")) {
          for (boolean distinct : new boolean[] {false, true}) {
            compare(
                REGISTRY.resolveAggregate(name, List.of(type), distinct), List.of(type), random);
          }
        }
      }
      compare(
          REGISTRY.resolveAggregate("sum", List.of(DataType.LARGEINT), false),
          List.of(DataType.LARGEINT),
          random);
    } finally {
      hugeDecimals = false;
    }
  }

  /** A DECIMAL(38, 0) sum beyond 38 digits fails in the typed results as in the boxed ones. */
  @Test
  void typedSumBeyond38DigitsFailsAsRowWise() {
    DataType type = DataType.decimal(38, 0);
    AggregateFunction sum = REGISTRY.resolveAggregate("sum", List.of(type), false);
    // Twice 6 * 10^37 fits 128 bits (below 1.7 * 10^38) but not 38 digits.
    BigDecimal big = new BigDecimal(BigInteger.TEN.pow(37).multiply(BigInteger.valueOf(6)));
    ColumnVectorBuilder values = new ColumnVectorBuilder(type, 3);
    values.appendObject(big).appendObject(big).appendObject(BigDecimal.ONE);
    List<ColumnVector> arguments = List.of(values.build());
    GroupedAccumulator accumulator = sum.newGroupedAccumulator();
    accumulator.ensureGroups(2);
    accumulator.addBatch(arguments, new int[] {0, 0, 1}, null, 3);
    Accumulator rowWise = sum.newAccumulator();
    rowWise.add(arguments, 0);
    rowWise.add(arguments, 1);
    ColumnVectorBuilder out = new ColumnVectorBuilder(sum.returnType(), 2);
    for (Runnable path :
        List.<Runnable>of(
            () -> accumulator.writeResults(0, 2, out),
            () -> accumulator.result(0),
            rowWise::result)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(path::run)
          .isInstanceOf(dev.basalt.common.error.BasaltException.class)
          .hasMessageContaining("decimal(38,0)");
    }
  }

  /** Whether DECIMAL values of more than 18 digits come near their type's 38-digit limit. */
  private static boolean hugeDecimals;

  @Test
  void roundsLongQuotientsHalfAwayFromZeroAsBigDecimalDoes() {
    Random random = new Random(7);
    List<long[]> cases = new ArrayList<>();
    for (long dividend :
        new long[] {
          0, 1, -1, 5, -5, 15, -15, 25, -25, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MIN_VALUE
        }) {
      for (long divisor : new long[] {1, 2, 3, 4, 10, 7, Long.MAX_VALUE}) {
        cases.add(new long[] {dividend, divisor});
      }
    }
    for (int i = 0; i < 10_000; i++) {
      cases.add(new long[] {random.nextLong() >> random.nextInt(64), 1 + random.nextInt(1000)});
    }
    for (long[] pair : cases) {
      long expected =
          BigDecimal.valueOf(pair[0])
              .divide(BigDecimal.valueOf(pair[1]), 0, RoundingMode.HALF_UP)
              .longValueExact();
      assertThat(GroupedAccumulators.divideHalfUp(pair[0], pair[1]))
          .as(pair[0] + " / " + pair[1])
          .isEqualTo(expected);
    }
  }
}
