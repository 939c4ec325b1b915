package dev.basalt.exec.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.function.Accumulator;
import dev.basalt.exec.function.AggregateFunction;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.memory.QueryMemoryBudget;
import dev.basalt.exec.operator.WindowOperator.Bound;
import dev.basalt.exec.operator.WindowOperator.BoundKind;
import dev.basalt.exec.operator.WindowOperator.Call;
import dev.basalt.exec.operator.WindowOperator.FunctionKind;
import dev.basalt.exec.operator.WindowOperator.Group;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Window aggregates over frames against a simple reference: for seeded random rows (NULLs in every
 * column, ties in the order key, doubles with -0.0, NaN and infinities, decimals that fit a long
 * and ones that do not, LARGEINTs beyond 64 bits, dates and strings), random partitionings, ROWS
 * frames with every kind of bound (empty frames included) and RANGE frames with UNBOUNDED / CURRENT
 * ROW bounds, every value the operator computes by sliding its frames ({@link
 * WindowFrameAggregation}) must equal what a fresh accumulator returns after adding the frame's
 * rows in window order.
 *
 * <p>Doubles are quarters of small integers (or specials), so their sums are exact and do not
 * depend on the order of peers, which a RANGE frame leaves open.
 */
class WindowOperatorRandomTest {
  private static final FunctionRegistry REGISTRY = FunctionRegistry.builtins();
  private static final int ID = 0;
  private static final int PARTITION = 1;
  private static final int ORDER = 2;
  private static final List<DataType> TYPES =
      List.of(
          DataType.BIGINT, // unique id, the ROWS frames' order
          DataType.BIGINT, // partition key
          DataType.BIGINT, // order key with ties (RANGE frames)
          DataType.BIGINT,
          DataType.DOUBLE,
          DataType.decimal(10, 2),
          DataType.decimal(38, 4),
          DataType.DATE,
          DataType.varchar(8),
          DataType.INT,
          DataType.LARGEINT);

  /** Aggregates and the value columns they may read. */
  private static final List<String> AGGREGATES =
      List.of("count", "sum", "avg", "min", "max", "stddev", "bit_or");

  @Test
  void slidingFramesEqualTheAccumulatorOverEachFrame() {
    for (long seed = 1; seed <= 60; seed++) {
      Random random = new Random(seed);
      int rowCount = random.nextInt(5) == 0 ? random.nextInt(6) : 1 + random.nextInt(400);
      List<Object[]> rows = rows(random, rowCount);
      boolean rowsFrame = random.nextBoolean();
      boolean partitioned = random.nextInt(4) != 0;
      boolean ordered = rowsFrame || random.nextInt(4) != 0;
      Bound lower;
      Bound upper;
      if (rowsFrame) {
        lower = randomBound(random);
        upper = randomBound(random);
        if (lower.kind().ordinal() > upper.kind().ordinal()) {
          Bound swap = lower;
          lower = upper;
          upper = swap;
        }
        if (lower.kind() == BoundKind.UNBOUNDED_FOLLOWING) {
          lower = Bound.CURRENT_ROW;
        }
        if (upper.kind() == BoundKind.UNBOUNDED_PRECEDING) {
          upper = Bound.CURRENT_ROW;
        }
      } else {
        lower = random.nextBoolean() ? Bound.UNBOUNDED_PRECEDING : Bound.CURRENT_ROW;
        upper = random.nextBoolean() ? Bound.UNBOUNDED_FOLLOWING : Bound.CURRENT_ROW;
      }
      List<Call> calls = new ArrayList<>();
      List<String> descriptions = new ArrayList<>();
      for (int c = 0; c < 6; c++) {
        String name = AGGREGATES.get(random.nextInt(AGGREGATES.size()));
        int column = 3 + random.nextInt(TYPES.size() - 3);
        boolean distinct = random.nextInt(6) == 0;
        List<Integer> arguments =
            name.equals("count") && random.nextInt(3) == 0 ? List.of() : List.of(column);
        List<DataType> types = arguments.isEmpty() ? List.of() : List.of(TYPES.get(column));
        AggregateFunction function;
        try {
          function = REGISTRY.resolveAggregate(name, types, distinct && !arguments.isEmpty());
        } catch (BasaltException notForThisType) {
          continue;
        }
        if (function == null) {
          continue;
        }
        calls.add(new Call(FunctionKind.AGGREGATE, function, arguments, function.returnType()));
        descriptions.add(
            name
                + (distinct && !arguments.isEmpty() ? "(distinct " : "(")
                + (arguments.isEmpty() ? "*" : column)
                + ")");
      }
      int[] partitionColumns = partitioned ? new int[] {PARTITION} : new int[0];
      List<SortKey> orderKeys =
          ordered ? List.of(new SortKey(rowsFrame ? ID : ORDER, false, true)) : List.of();
      Group group = new Group(partitionColumns, orderKeys, rowsFrame, lower, upper, calls);
      String context =
          "seed %d: %d rows, %s frame %s .. %s, partitioned %s, ordered %s, calls %s"
              .formatted(
                  seed,
                  rowCount,
                  rowsFrame ? "ROWS" : "RANGE",
                  lower,
                  upper,
                  partitioned,
                  ordered,
                  descriptions);

      List<Object[]> actual = new ArrayList<>();
      try (WindowOperator window =
          new WindowOperator(
              new ValuesOperator(TYPES, rows),
              List.of(group),
              List.of(),
              List.of(),
              QueryMemoryBudget.unlimited())) {
        for (Batch batch = window.next(); batch != null; batch = window.next()) {
          for (int row = 0; row < batch.rowCount(); row++) {
            actual.add(RowBuffer.row(batch, row));
          }
        }
      }
      List<Object[]> expected = reference(rows, group);
      assertThat(actual).as(context).hasSameSizeAs(expected);
      for (int row = 0; row < rows.size(); row++) {
        for (int c = 0; c < calls.size(); c++) {
          Object got = actual.get(row)[TYPES.size() + c];
          Object want = expected.get(row)[c];
          assertThat(same(got, want))
              .as(
                  "%s: row %d (%s), call %s: got %s, expected %s",
                  context,
                  row,
                  java.util.Arrays.toString(rows.get(row)),
                  descriptions.get(c),
                  got,
                  want)
              .isTrue();
        }
      }
    }
  }

  @Test
  void aLargeintAverageSlidesOnTheExactSumAndMatchesTheAccumulator() {
    AggregateFunction average = REGISTRY.resolveAggregate("avg", List.of(DataType.LARGEINT), false);
    Random random = new Random(4_711);
    for (int round = 0; round < 30; round++) {
      int size = 1 + random.nextInt(300);
      ColumnVectorBuilder values = new ColumnVectorBuilder(DataType.LARGEINT, size);
      for (int i = 0; i < size; i++) {
        switch (random.nextInt(6)) {
          case 0 -> values.appendNull();
          case 1 ->
              values.appendObject(
                  BigInteger.valueOf(random.nextLong()).shiftLeft(random.nextInt(62)));
          case 2 -> values.appendObject(BigInteger.ONE.shiftLeft(126).negate());
          default -> values.appendObject(BigInteger.valueOf(random.nextInt(2001) - 1000));
        }
      }
      List<ColumnVector> arguments = List.of(values.build());
      WindowFrameAggregation.FrameState state =
          WindowFrameAggregation.state(average, arguments, average.returnType());
      // The typed sum is removable; the boxed accumulator it replaces restarted every frame.
      assertThat(state.removable()).isTrue();
      int[] order = new int[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      int preceding = random.nextInt(5);
      int following = random.nextInt(5);
      int[] frameStart = new int[size];
      int[] frameEnd = new int[size];
      for (int i = 0; i < size; i++) {
        frameStart[i] = Math.max(0, i - preceding);
        frameEnd[i] = Math.min(size, i + following + 1);
      }
      ColumnVectorBuilder out = new ColumnVectorBuilder(average.returnType(), size);
      WindowFrameAggregation.compute(average, arguments, order, 0, size, frameStart, frameEnd, out);
      ColumnVector averages = out.build();
      for (int i = 0; i < size; i++) {
        Accumulator accumulator = average.newAccumulator();
        for (int row = frameStart[i]; row < frameEnd[i]; row++) {
          accumulator.add(arguments, row);
        }
        assertThat(averages.getObject(i))
            .as("round %d, row %d, frame [%d, %d)", round, i, frameStart[i], frameEnd[i])
            .isEqualTo(accumulator.result());
      }
    }
  }

  @Test
  void aBigintSumFailsOnlyWhenTheFrameSumLeavesBigint() {
    // Running sums pass Long.MAX_VALUE on the way; each 2-row frame's own sum fits.
    List<Object[]> rows = new ArrayList<>();
    long[] values = {Long.MAX_VALUE, -Long.MAX_VALUE, Long.MAX_VALUE, -5, Long.MAX_VALUE};
    for (int i = 0; i < values.length; i++) {
      rows.add(new Object[] {(long) i, values[i]});
    }
    List<DataType> types = List.of(DataType.BIGINT, DataType.BIGINT);
    AggregateFunction sum = REGISTRY.resolveAggregate("sum", List.of(DataType.BIGINT), false);
    Call call = new Call(FunctionKind.AGGREGATE, sum, List.of(1), DataType.BIGINT);
    Group slidingPair =
        new Group(
            new int[0],
            List.of(new SortKey(0, false, true)),
            true,
            new Bound(BoundKind.PRECEDING, 1),
            Bound.CURRENT_ROW,
            List.of(call));
    List<Object> sums = new ArrayList<>();
    try (WindowOperator window =
        new WindowOperator(
            new ValuesOperator(types, rows),
            List.of(slidingPair),
            List.of(),
            List.of(),
            QueryMemoryBudget.unlimited())) {
      for (Batch batch = window.next(); batch != null; batch = window.next()) {
        for (int row = 0; row < batch.rowCount(); row++) {
          sums.add(RowBuffer.row(batch, row)[2]);
        }
      }
    }
    assertThat(sums)
        .containsExactly(Long.MAX_VALUE, 0L, 0L, Long.MAX_VALUE - 5, Long.MAX_VALUE - 5);

    Group growing =
        new Group(
            new int[0],
            List.of(new SortKey(0, false, true)),
            true,
            Bound.UNBOUNDED_PRECEDING,
            Bound.CURRENT_ROW,
            List.of(call));
    rows.set(1, new Object[] {1L, 1L});
    assertThatThrownBy(
            () -> {
              try (WindowOperator window =
                  new WindowOperator(
                      new ValuesOperator(types, rows),
                      List.of(growing),
                      List.of(),
                      List.of(),
                      QueryMemoryBudget.unlimited())) {
                window.next();
              }
            })
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("BIGINT value is out of range");
  }

  private static Bound randomBound(Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> Bound.UNBOUNDED_PRECEDING;
      case 1 -> new Bound(BoundKind.PRECEDING, random.nextInt(6));
      case 2 -> Bound.CURRENT_ROW;
      case 3 -> new Bound(BoundKind.FOLLOWING, random.nextInt(6));
      default -> Bound.UNBOUNDED_FOLLOWING;
    };
  }

  /** Each row's calls, computed by adding each frame's rows to a fresh accumulator. */
  private static List<Object[]> reference(List<Object[]> rows, Group group) {
    int count = rows.size();
    List<ColumnVector> columns = new ArrayList<>();
    for (int column = 0; column < TYPES.size(); column++) {
      ColumnVectorBuilder builder = new ColumnVectorBuilder(TYPES.get(column), Math.max(count, 1));
      for (Object[] row : rows) {
        builder.appendObject(row[column]);
      }
      columns.add(builder.build());
    }
    Comparator<Integer> partitionOrder =
        Comparator.comparing(
            (Integer row) ->
                group.partitionColumns().length == 0 ? Long.valueOf(0) : key(rows, row, PARTITION),
            Comparator.nullsFirst(Comparator.naturalOrder()));
    Comparator<Integer> windowOrder = partitionOrder;
    for (SortKey key : group.orderKeys()) {
      windowOrder =
          windowOrder.thenComparing(
              (Integer row) -> key(rows, row, key.column()),
              Comparator.nullsFirst(Comparator.naturalOrder()));
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      order.add(i);
    }
    order.sort(windowOrder);
    List<Object[]> results = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      results.add(null);
    }
    int start = 0;
    while (start < count) {
      int end = start + 1;
      while (end < count && partitionOrder.compare(order.get(start), order.get(end)) == 0) {
        end++;
      }
      int size = end - start;
      for (int i = 0; i < size; i++) {
        int first = i;
        int last = i;
        if (!group.rows()) {
          Comparator<Integer> peers = windowOrder;
          while (first > 0
              && peers.compare(order.get(start + first - 1), order.get(start + i)) == 0) {
            first--;
          }
          while (last + 1 < size
              && peers.compare(order.get(start + last + 1), order.get(start + i)) == 0) {
            last++;
          }
        }
        long from =
            switch (group.lower().kind()) {
              case UNBOUNDED_PRECEDING -> 0;
              case PRECEDING -> i - group.lower().offset();
              case CURRENT_ROW -> first;
              case FOLLOWING -> i + group.lower().offset();
              case UNBOUNDED_FOLLOWING -> size;
            };
        long to =
            switch (group.upper().kind()) {
              case UNBOUNDED_PRECEDING -> -1;
              case PRECEDING -> i - group.upper().offset();
              case CURRENT_ROW -> last;
              case FOLLOWING -> i + group.upper().offset();
              case UNBOUNDED_FOLLOWING -> size - 1;
            };
        Object[] values = new Object[group.calls().size()];
        for (int c = 0; c < values.length; c++) {
          Call call = group.calls().get(c);
          List<ColumnVector> arguments = new ArrayList<>();
          for (int argument : call.arguments()) {
            arguments.add(columns.get(argument));
          }
          Accumulator accumulator = call.aggregate().newAccumulator();
          for (long r = Math.max(from, 0); r <= Math.min(to, size - 1); r++) {
            accumulator.add(arguments, order.get(start + (int) r));
          }
          values[c] = accumulator.result();
        }
        results.set(order.get(start + i), values);
      }
      start = end;
    }
    return results;
  }

  private static Long key(List<Object[]> rows, int row, int column) {
    return (Long) rows.get(row)[column];
  }

  private static boolean same(Object got, Object want) {
    if (got instanceof BigDecimal left && want instanceof BigDecimal right) {
      return left.compareTo(right) == 0;
    }
    if (got instanceof Number left
        && want instanceof Number right
        && !(got instanceof BigDecimal)
        && !(want instanceof BigDecimal)
        && (got instanceof Double || want instanceof Double)) {
      return Double.compare(left.doubleValue(), right.doubleValue()) == 0;
    }
    if (got instanceof Number left && want instanceof Number right) {
      return new BigDecimal(left.toString()).compareTo(new BigDecimal(right.toString())) == 0;
    }
    return Objects.equals(got, want);
  }

  private static List<Object[]> rows(Random random, int count) {
    List<Long> ids = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      ids.add(i);
    }
    java.util.Collections.shuffle(ids, random);
    int partitions = 1 + random.nextInt(6);
    int orderSpread = 1 + random.nextInt(20);
    List<Object[]> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Object[] row = new Object[TYPES.size()];
      row[ID] = ids.get(i);
      row[PARTITION] = random.nextInt(10) == 0 ? null : (long) random.nextInt(partitions);
      row[ORDER] = random.nextInt(10) == 0 ? null : (long) random.nextInt(orderSpread);
      row[3] = (long) random.nextInt(2001) - 1000 + (random.nextInt(10) == 0 ? 1L << 40 : 0);
      row[4] =
          switch (random.nextInt(20)) {
            case 0 -> -0.0;
            case 1 -> Double.NaN;
            case 2 -> Double.POSITIVE_INFINITY;
            case 3 -> Double.NEGATIVE_INFINITY;
            default -> (random.nextInt(801) - 400) / 4.0;
          };
      row[5] = BigDecimal.valueOf(random.nextInt(200_001) - 100_000, 2);
      row[6] =
          random.nextInt(4) == 0
              ? new BigDecimal(
                  BigInteger.TEN.pow(30).multiply(BigInteger.valueOf(random.nextInt(9) - 4)), 4)
              : BigDecimal.valueOf(random.nextInt(20_001) - 10_000, 4);
      row[7] = LocalDate.of(2000, 1, 1).plusDays(random.nextInt(1000));
      row[8] = Integer.toString(random.nextInt(300), 36);
      row[9] = (long) random.nextInt(100);
      // LARGEINTs beyond 64 bits (a frame's sum stays within 128) and small ones.
      row[10] =
          random.nextInt(3) == 0
              ? BigInteger.valueOf(random.nextInt(19) - 9).shiftLeft(100).add(BigInteger.ONE)
              : BigInteger.valueOf(random.nextInt(2001) - 1000);
      for (int column = 3; column < row.length; column++) {
        if (random.nextInt(7) == 0) {
          row[column] = null;
        }
      }
      rows.add(row);
    }
    return rows;
  }
}
