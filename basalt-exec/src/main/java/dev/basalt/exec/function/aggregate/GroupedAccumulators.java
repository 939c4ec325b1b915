package dev.basalt.exec.function.aggregate;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.PhysicalType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.Int128;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.common.vector.Values;
import dev.basalt.exec.function.GroupedAccumulator;
import dev.basalt.exec.function.MergeableGroupedAccumulator;
import dev.basalt.exec.function.TypeCoercion;
import dev.basalt.exec.function.cast.Casts;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * Batch implementations of COUNT, SUM, MIN, MAX and AVG for hash aggregation: state in arrays
 * indexed by group id, tight loops over {@link LongVector} and {@link DoubleVector} payloads.
 * DECIMAL and LARGEINT sums (and integer averages whose sum leaves 64 bits) work on 128-bit halves
 * ({@link Int128}) and fall back to {@link BigDecimal} per group where a sum leaves 128 bits;
 * DECIMAL and LARGEINT minima and maxima on scaled longs or 128-bit halves. Each matches the
 * row-wise accumulator of {@link AggregateFunctions} value for value, including NULL handling and
 * BIGINT overflow errors. Each is a {@link MergeableGroupedAccumulator}: its state as columns
 * (counts and sums, NULL where no value was seen) for two-phase aggregation. Each writes its
 * results for a run of groups straight into the output builder's primitive arrays ({@link
 * GroupedAccumulator#writeResults}), boxing only where its state went boxed (a sum beyond 128 bits,
 * a boxed DECIMAL argument) or the result type is not the one it produces.
 */
final class GroupedAccumulators {
  private GroupedAccumulators() {}

  private static int grow(int current, int needed) {
    return Math.max(needed, current * 2);
  }

  /** NULL flags of groups {@code from .. from + count - 1}: set where {@code seen} is false. */
  private static boolean[] unseenNulls(boolean[] seen, int from, int count) {
    boolean[] nulls = new boolean[count];
    for (int i = 0; i < count; i++) {
      nulls[i] = !seen[from + i];
    }
    return nulls;
  }

  /** The boxed path of {@link GroupedAccumulator#writeResults}: one {@code result} per group. */
  private static void appendBoxed(
      GroupedAccumulator accumulator, int fromGroup, int count, ColumnVectorBuilder out) {
    for (int group = fromGroup; group < fromGroup + count; group++) {
      out.appendObject(accumulator.result(group));
    }
  }

  /**
   * Whether {@code out} takes a {@code Long} result as the same long ({@link Values#toLong}): a
   * long-backed type that is not BOOLEAN, DATE or DATETIME.
   */
  private static boolean takesPlainLongs(ColumnVectorBuilder out) {
    TypeKind kind = out.type().kind();
    return kind.physical() == PhysicalType.LONG
        && kind != TypeKind.BOOLEAN
        && kind != TypeKind.DATE
        && kind != TypeKind.DATETIME;
  }

  private static final long[] POWERS_OF_TEN = new long[19];

  static {
    POWERS_OF_TEN[0] = 1;
    for (int i = 1; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
    }
  }

  /** {@code dividend / divisor} rounded half away from zero ({@link RoundingMode#HALF_UP}). */
  static long divideHalfUp(long dividend, long divisor) {
    long quotient = dividend / divisor;
    long remainder = Math.abs(dividend % divisor);
    if (remainder >= divisor - remainder) {
      quotient += dividend < 0 ? -1 : 1;
    }
    return quotient;
  }

  /**
   * The shape shared by the aggregates that keep one long and a seen flag per group (SUM of
   * integers, MIN and MAX of long-backed values, BIT_AND/OR/XOR, BOOL_AND/OR): the arrays and their
   * growth, the results (NULL where a group saw no value), and the state (one column of the state
   * type, NULL where unseen) that merges as a batch of arguments would, since partial results fold
   * like values. A subclass supplies {@link #addBatch}, a tight loop over {@link #values} and
   * {@link #seen}, and where its results are not plain longs, {@link #box} and {@link
   * #appendsLongsTo}.
   */
  abstract static class LongPerGroup implements MergeableGroupedAccumulator {
    /** The type of the state column (also the result type where {@link #box} is not overridden). */
    final DataType stateType;

    /** Per group, the value so far; meaningful only where {@link #seen} is set. */
    long[] values = new long[16];

    /** Per group, whether a value has been folded in. */
    boolean[] seen = new boolean[16];

    LongPerGroup(DataType stateType) {
      this.stateType = stateType;
    }

    @Override
    public final void ensureGroups(int groupCount) {
      if (groupCount > values.length) {
        int capacity = grow(values.length, groupCount);
        values = Arrays.copyOf(values, capacity);
        seen = Arrays.copyOf(seen, capacity);
      }
    }

    /** A group's value as the row-wise aggregate returns it; by default a {@code Long}. */
    Object box(long value) {
      return value;
    }

    /** Whether {@code out} takes this accumulator's values as they are, by {@code appendLong}. */
    boolean appendsLongsTo(ColumnVectorBuilder out) {
      return takesPlainLongs(out);
    }

    @Override
    public final Object result(int group) {
      return seen[group] ? box(values[group]) : null;
    }

    @Override
    public final void writeResults(int fromGroup, int count, ColumnVectorBuilder out) {
      if (!appendsLongsTo(out)) {
        appendBoxed(this, fromGroup, count, out);
        return;
      }
      for (int group = fromGroup; group < fromGroup + count; group++) {
        if (seen[group]) {
          out.appendLong(values[group]);
        } else {
          out.appendNull();
        }
      }
    }

    @Override
    public final long bytesPerGroup() {
      return 9;
    }

    @Override
    public final List<DataType> stateTypes() {
      return List.of(stateType);
    }

    @Override
    public final List<ColumnVector> states(int from, int count) {
      return List.of(
          new LongVector(
              stateType,
              Arrays.copyOfRange(values, from, from + count),
              unseenNulls(seen, from, count),
              count));
    }

    @Override
    public final void mergeStates(
        List<ColumnVector> states, int[] groupIds, int[] positions, int count) {
      addBatch(states, groupIds, positions, count);
    }
  }

  /** COUNT(*) when {@code arguments} is empty, else COUNT of rows with no NULL argument. */
  static final class Count implements MergeableGroupedAccumulator {
    private long[] counts = new long[16];

    @Override
    public void ensureGroups(int groupCount) {
      if (groupCount > counts.length) {
        counts = Arrays.copyOf(counts, grow(counts.length, groupCount));
      }
    }

    @Override
    public void addBatch(List<ColumnVector> arguments, int[] groupIds, int[] positions, int count) {
      boolean nullable = false;
      for (ColumnVector argument : arguments) {
        nullable |= argument.mayHaveNulls();
      }
      long[] state = counts;
      for (int i = 0; i < count; i++) {
        int row = positions == null ? i : positions[i];
        if (nullable && AggregateFunctions.anyNull(arguments, row)) {
          continue;
        }
        state[groupIds[row]]++;
      }
    }

    @Override
    public Object result(int group) {
      return counts[group];
    }

    @Override
    public void writeResults(int fromGroup, int count, ColumnVectorBuilder out) {
      if (!takesPlainLongs(out)) {
        appendBoxed(this, fromGroup, count, out);
        return;
      }
      for (int group = fromGroup; group < fromGroup + count; group++) {
        out.appendLong(counts[group]);
      }
    }

    @Override
    public long bytesPerGroup() {
      return 8;
    }

    @Override
    public List<DataType> stateTypes() {
      return List.of(DataType.BIGINT);
    }

    @Override
    public List<ColumnVector> states(int from, int count) {
      return List.of(
          new LongVector(
              DataType.BIGINT, Arrays.copyOfRange(counts, from, from + count), null, count));
    }

    @Override
    public void mergeStates(List<ColumnVector> states, int[] groupIds, int[] positions, int count) {
      LongVector partial = (LongVector) states.get(0);
      long[] state = counts;
      for (int i = 0; i < count; i++) {
        int row = positions == null ? i : positions[i];
        state[groupIds[row]] += partial.getLong(row);
      }
    }
  }

  /** SUM of integer-like values into a BIGINT, failing on overflow as the row-wise sum does. */
  static final class SumLong extends LongPerGroup {
    SumLong() {
      super(DataType.BIGINT);
    }

    @Override
    public void addBatch(List<ColumnVector> arguments, int[] groupIds, int[] positions, int count) {
      ColumnVector argument = arguments.get(0);
      LongVector longs = argument instanceof LongVector vector ? vector : null;
      long[] sums = values;
      for (int i = 0; i < count; i++) {
        int row = positions == null ? i : positions[i];
        if (argument.isNull(row)) {
          continue;
        }
        long value = longs != null ? longs.getLong(row) : Casts.toLong(argument.getObject(row));
        int group = groupIds[row];
        long sum = sums[group];
        long next = sum + value;
        if (((sum ^ next) & (value ^ next)) < 0) {
          throw new BasaltException(
              ErrorCode.VALUE_OUT_OF_RANGE, "BIGINT", "sum(" + sum + " + " + value + ")");
        }
        sums[group] = next;
        seen[group] = true;
      }
    }
  }

  /** SUM (and, with counts, AVG) of values read as doubles. */
  static final class SumDouble implements MergeableGroupedAccumulator {
    private final boolean average;
    private double[] sums = new double[16];
    private long[] counts = new long[16];

    SumDouble(boolean average) {
      this.average = average;
    }

    @Override
    public void ensureGroups(int groupCount) {
      if (groupCount > sums.length) {
        int capacity = grow(sums.length, groupCount);
        sums = Arrays.copyOf(sums, capacity);
        counts = Arrays.copyOf(counts, capacity);
      }
    }

    @Override
    public void addBatch(List<ColumnVector> arguments, int[] groupIds, int[] positions, int count) {
      ColumnVector argument = arguments.get(0);
      double[] sumState = sums;
      long[] countState = counts;
      if (argument instanceof DoubleVector doubles) {
        for (int i = 0; i < count; i++) {
          int row = positions == null ? i : positions[i];
          if (doubles.isNull(row)) {
            continue;
          }
          int group = groupIds[row];
          sumState[group] += doubles.getDouble(row);
          countState[group]++;
        }
        return;
      }
      if (argument instanceof LongVector longs && argument.type().kind() != TypeKind.BOOLEAN) {
        for (int i = 0; i < count; i++) {
          int row = positions == null ? i : positions[i];
          if (longs.isNull(row)) {
            continue;
          }
          int group = groupIds[row];
          sumState[group] += longs.getLong(row);
          countState[group]++;
        }
        return;
      }
      for (int i = 0; i < count; i++) {
        int row = positions == null ? i : positions[i];
        Double value = AggregateFunctions.doubleAt(argument, row);
        if (value != null) {
          int group = groupIds[row];
          sumState[group] += value;
          countState[group]++;
        }
      }
    }

    @Override
    public Object result(int group) {
      if (counts[group] == 0) {
        return null;
      }
      return average ? sums[group] / counts[group] : sums[group];
    }

    @Override
    public void writeResults(int fromGroup, int count, ColumnVectorBuilder out) {
      if (out.type().physical() != PhysicalType.DOUBLE) {
        appendBoxed(this, fromGroup, count, out);
        return;
      }
      for (int group = fromGroup; group < fromGroup + count; group++) {
        long groupCount = counts[group];
        if (groupCount == 0) {
          out.appendNull();
        } else {
          out.appendDouble(average ? sums[group] / groupCount : sums[group]);
        }
      }
    }

    @Override
    public long bytesPerGroup() {
      return 16;
    }

    @Override
    public List<DataType> stateTypes() {
      return List.of(DataType.DOUBLE, DataType.BIGINT);
    }

    @Override
    public List<ColumnVector> states(int from, int count) {
      return List.of(
          new DoubleVector(
              DataType.DOUBLE, Arrays.copyOfRange(sums, from, from + count), null, count),
          new LongVector(
              DataType.BIGINT, Arrays.copyOfRange(counts, from, from + count), null, count));
    }

    @Override
    public void mergeStates(List<ColumnVector> states, int[] groupIds, int[] positions, int count) {
      DoubleVector partialSums = (DoubleVector) states.get(0);
      LongVector partialCounts = (LongVector) states.get(1);
      for (int i = 0; i < count; i++) {
        int row = positions == null ? i : positions[i];
        int group = groupIds[row];
        sums[group] += partialSums.getDouble(row);
        counts[group] += partialCounts.getLong(row);
      }
    }
  }

  /**
   * AVG of integers (BOOLEAN, LARGEINT and NULL included), exact as the row-wise aggregate: each
   * group keeps a 64-bit sum and, once that would overflow (or a value is a LARGEINT), a 128-bit
   * part beside it ({@link Int128} halves); only a sum that leaves 128 bits (LARGEINT values) goes
   * on as a {@link BigInteger}. The DOUBLE result is the exact sum divided by the count to 16
   * significant digits ({@link MathContext#DECIMAL64}: half to even), then converted: on longs
   * ({@link GroupedAccumulators#decimal64Quotient}) while the quotient's integer part fits a long
   * (it does unless a LARGEINT average reaches 2^63), else one {@link BigDecimal} division for that
   * group. Not mergeable (the aggregate runs in one phase, as before).
   */
  static final class ExactAverage implements GroupedAccumulator {
    private long[] sums = new long[16];
    private long[] counts = new long[16];

    /** Per group, the 128-bit part of the sum moved out of {@link #sums}; null until needed. */
    private long[] wideHighs;

    private long[] wideLows;

    /** Per group, the whole sum once it has left 128 bits; {@code null} until a group does. */
    private BigInteger[] beyond128Bits;

    private final long[] scratch = new long[4];

    @Override
    public void ensureGroups(int groupCount) {
      if (groupCount > sums.length) {
        int capacity = grow(sums.length, groupCount);
        sums = Arrays.copyOf(sums, capacity);
        counts = Arrays.copyOf(counts, capacity);
        if (wideHighs != null) {
          wideHighs = Arrays.copyOf(wideHighs, capacity);
          wideLows = Arrays.copyOf(wideLows, capacity);
        }
        if (beyond128Bits != null) {
          beyond128Bits = Arrays.copyOf(beyond128Bits, capacity);
        }
      }
    }

    @Override
    public void addBatch(List<ColumnVector> arguments, int[] groupIds, int[] positions, int count) {
      ColumnVector argument = arguments.get(0);
      boolean nullable = argument.mayHaveNulls();
      if (argument instanceof LongVector longs) {
        long[] sumState = sums;
        long[] countState = counts;
        for (int i = 0; i < count; i++) {
          int row = positions == null ? i : positions[i];
          if (nullable && longs.isNull(row)) {
            continue;
          }
          int group = groupIds[row];
          long value = longs.getLong(row);
          long sum = sumState[group];
          long next = sum + value;
          if (((sum ^ next) & (value ^ next)) < 0) {
            addWide(group, sum >> 63, sum);
            next = value;
          }
          sumState[group] = next;
          countState[group]++;
        }
        return;
      }
      if (argument instanceof LargeIntVector integers) {
        for (int i = 0; i < count; i++) {
          int row = positions == null ? i : positions[i];
          if (nullable && integers.isNull(row)) {
            continue;
          }
          int group = groupIds[row];
          addWide(group, integers.getHigh(row), integers.getLow(row));
          counts[group]++;
        }
        return;
      }
      for (int i = 0; i < count; i++) {
        int row = positions == null ? i : positions[i];
        if (argument.isNull(row)) {
          continue;
        }
        Object boxed = argument.getObject(row);
        int group = groupIds[row];
        if (boxed instanceof BigInteger big) {
          addWide(group, Int128.high(big), Int128.low(big));
        } else {
          long value = Casts.toLong(boxed);
          addWide(group, value >> 63, value);
        }
        counts[group]++;
      }
    }

    /** Adds {@code high:low} to the 128-bit part of {@code group}'s sum. */
    private void addWide(int group, long high, long low) {
      if (wideHighs == null) {
        wideHighs = new long[sums.length];
        wideLows = new long[sums.length];
      }
      if (beyond128Bits == null || beyond128Bits[group] == null) {
        try {
          wideHighs[group] = Int128.addHigh(wideHighs[group], wideLows[group], high, low);
          wideLows[group] += low;
          return;
        } catch (ArithmeticException beyond) {
          if (beyond128Bits == null) {
            beyond128Bits = new BigInteger[sums.length];
          }
          beyond128Bits[group] = Int128.toBigInteger(wideHighs[group], wideLows[group]);
        }
      }
      beyond128Bits[group] = beyond128Bits[group].add(Int128.toBigInteger(high, low));
    }

    private double average(int group) {
      long count = counts[group];
      long sum = sums[group];
      boolean beyond = beyond128Bits != null && beyond128Bits[group] != null;
      boolean wide = !beyond && wideHighs != null && (wideHighs[group] | wideLows[group]) != 0;
      if (!beyond && !wide) {
        if (sum != Long.MIN_VALUE && count <= Long.MAX_VALUE / 10) {
          return decimal64Quotient(
              sum < 0, Math.abs(sum) / count, Math.abs(sum) % count, count, scratch);
        }
      } else if (wide) {
        try {
          long high = Int128.addHigh(wideHighs[group], wideLows[group], sum >> 63, sum);
          long low = wideLows[group] + sum;
          Int128.divide(high, low, 0, count, scratch);
          // A positive count: the remainder fits a long; the quotient must, too.
          long quotient = scratch[1];
          if (Int128.fitsLong(scratch[0], quotient)
              && quotient != Long.MIN_VALUE
              && count <= Long.MAX_VALUE / 10) {
            return decimal64Quotient(
                high < 0, Math.abs(quotient), Math.abs(scratch[3]), count, scratch);
          }
        } catch (ArithmeticException beyond128) {
          // The sum leaves 128 bits: the BigDecimal division below.
        }
      }
      BigInteger total = BigInteger.valueOf(sum);
      if (beyond) {
        total = total.add(beyond128Bits[group]);
      } else if (wide) {
        total = total.add(Int128.toBigInteger(wideHighs[group], wideLows[group]));
      }
      return new BigDecimal(total)
          .divide(BigDecimal.valueOf(count), MathContext.DECIMAL64)
          .doubleValue();
    }

    @Override
    public Object result(int group) {
      return counts[group] == 0 ? null : average(group);
    }

    @Override
    public void writeResults(int fromGroup, int count, ColumnVectorBuilder out) {
      if (out.type().physical() != PhysicalType.DOUBLE) {
        appendBoxed(this, fromGroup, count, out);
        return;
      }
      for (int group = fromGroup; group < fromGroup + count; group++) {
        if (counts[group] == 0) {
          out.appendNull();
        } else {
          out.appendDouble(average(group));
        }
      }
    }

    @Override
    public long bytesPerGroup() {
      return 16;
    }
  }

  /**
   * The DOUBLE nearest to {@code ±(quotient + remainder / count)} once rounded to 16 significant
   * digits half to even, as {@code BigDecimal.divide(.., MathContext.DECIMAL64).doubleValue()}
   * gives for a sum whose magnitude divided by {@code count} is {@code quotient} rest {@code
   * remainder}: the digits come by long division ({@code count} at most {@code Long.MAX_VALUE /
   * 10}, so {@code remainder * 10} fits), and the 16-digit mantissa and its power of ten convert
   * with one rounding ({@link Int128#toDouble}). {@code scratch} holds four longs.
   */
  static double decimal64Quotient(
      boolean negative, long quotient, long remainder, long count, long[] scratch) {
    double magnitude;
    int digits = quotient == 0 ? 0 : decimalDigits(quotient);
    if (digits > 16) {
      // The integer part alone has too many digits: round it at 10^drop.
      long power = POWERS_OF_TEN[digits - 16];
      long mantissa = quotient / power;
      long rest = quotient % power;
      long half = power / 2;
      if (rest > half || (rest == half && (remainder != 0 || (mantissa & 1) != 0))) {
        mantissa++;
      }
      magnitude = Int128.toDouble(Math.multiplyHigh(mantissa, power), mantissa * power, 0, scratch);
    } else {
      long mantissa = quotient;
      int scale = 0;
      int significant = digits;
      while (significant < 16 && remainder != 0) {
        remainder *= 10;
        long digit = remainder / count;
        remainder -= digit * count;
        mantissa = mantissa * 10 + digit;
        scale++;
        if (mantissa != 0) {
          significant++;
        }
      }
      if (remainder != 0) {
        long rest = count - remainder;
        if (remainder > rest || (remainder == rest && (mantissa & 1) != 0)) {
          mantissa++;
        }
      }
      magnitude = Int128.toDouble(0, mantissa, scale, scratch);
    }
    return negative ? -magnitude : magnitude;
  }

  /** The number of decimal digits of the positive {@code value} (1 to 19). */
  private static int decimalDigits(long value) {
    int digits = 1;
    while (digits < POWERS_OF_TEN.length && value >= POWERS_OF_TEN[digits]) {
      digits++;
    }
    return digits;
  }

  /**
   * SUM or AVG of DECIMAL values, or SUM of LARGEINT values, exact, with the row-wise aggregates'
   * result rules. Each group sums unscaled 128-bit integers at the argument's scale ({@link Int128}
   * halves in two {@code long[]}), read without boxing from scaled-long, 128-bit and LARGEINT
   * vectors. A group whose sum would leave 128 bits (or that meets a boxed value) continues as a
   * {@link BigDecimal}, so the answer is never wrong and the range check on the result (a
   * VALUE_OUT_OF_RANGE error) is the row-wise one: SUM of DECIMAL(15,2) is a DECIMAL(38,2).
   */
  static final class Int128Sum implements MergeableGroupedAccumulator {
    private final DataType argumentType;
    private final DataType returnType;
    private final boolean average;
    private final int scale;
    private long[] sumHighs = new long[16];
    private long[] sumLows = new long[16];
    private long[] counts = new long[16];

    /** Per group, the exact sum once it has left 128 bits; {@code null} until a group does. */
    private BigDecimal[] wideSums;

    /** Scratch for the 128-bit averages of {@link #writeResults}. */
    private final long[] scratchHighs = new long[1];

    private final long[] scratchLows = new long[1];
    private final long[] scratch = new long[4];

    Int128Sum(DataType argumentType, DataType returnType, boolean average) {
      this.argumentType = argumentType;
      this.returnType = returnType;
      this.average = average;
      this.scale = argumentType.scale();
    }

    @Override
    public void ensureGroups(int groupCount) {
      if (groupCount > sumHighs.length) {
        int capacity = grow(sumHighs.length, groupCount);
        sumHighs = Arrays.copyOf(sumHighs, capacity);
        sumLows = Arrays.copyOf(sumLows, capacity);
        counts = Arrays.copyOf(counts, capacity);
        if (wideSums != null) {
          wideSums = Arrays.copyOf(wideSums, capacity);
        }
      }
    }

    @Override
    public void addBatch(List<ColumnVector> arguments, int[] groupIds, int[] positions, int count) {
      add(arguments.get(0), null, groupIds, positions, count);
    }

    /** Adds the non-null values of {@code values}, and {@code partialCounts} (or 1) per row. */
    private void add(
        ColumnVector values, LongVector partialCounts, int[] groupIds, int[] positions, int count) {
      if (values instanceof DecimalVector decimals
          && decimals.isScaledLong()
          && decimals.scale() == scale) {
        addScaledLongs(decimals, partialCounts, groupIds, positions, count);
        return;
      }
      if (values instanceof DecimalVector decimals
          && decimals.isInt128()
          && decimals.scale() == scale) {
        addHalves(
            values, decimals::getHigh, decimals::getLow, partialCounts, groupIds, positions, count);
        return;
      }
      if (values instanceof LargeIntVector integers) {
        addHalves(
            values, integers::getHigh, integers::getLow, partialCounts, groupIds, positions, count);
        return;
      }
      for (int i = 0; i < count; i++) {
        int row = positions == null ? i : positions[i];
        BigDecimal value = (BigDecimal) values.getObject(row);
        if (value == null) {
          continue;
        }
        int group = groupIds[row];
        counts[group] += partialCounts == null ? 1 : partialCounts.getLong(row);
        widen(group);
        wideSums[group] = wideSums[group].add(value);
      }
    }

    /** The hot loop for scaled longs: a 64-bit value added to a 128-bit sum. */
    private void addScaledLongs(
        DecimalVector decimals,
        LongVector partialCounts,
        int[] groupIds,
        int[] positions,
        int count) {
      boolean nullable = decimals.mayHaveNulls();
      long[] highs = sumHighs;
      long[] lows = sumLows;
      long[] countState = counts;
      for (int i = 0; i < count; i++) {
        int row = positions == null ? i : positions[i];
        if (nullable && decimals.isNull(row)) {
          continue;
        }
        int group = groupIds[row];
        long value = decimals.getUnscaled(row);
        countState[group] += partialCounts == null ? 1 : partialCounts.getLong(row);
        if (wideSums != null && wideSums[group] != null) {
          wideSums[group] = wideSums[group].add(BigDecimal.valueOf(value, scale));
          continue;
        }
        long low = lows[group];
        long nextLow = low + value;
        // The sign-extended high half of value plus the carry out of the low halves.
        long nextHigh =
            highs[group] + (value >> 63) + (Long.compareUnsigned(nextLow, low) < 0 ? 1 : 0);
        long high = highs[group];
        if (((high ^ nextHigh) & ((value >> 63) ^ nextHigh)) < 0) {
          widen(group);
          wideSums[group] = wideSums[group].add(BigDecimal.valueOf(value, scale));
          continue;
        }
        highs[group] = nextHigh;
        lows[group] = nextLow;
      }
    }

    private void addHalves(
        ColumnVector values,
        IntToLongFunction high,
        IntToLongFunction low,
        LongVector partialCounts,
        int[] groupIds,
        int[] positions,
        int count) {
      boolean nullable = values.mayHaveNulls();
      for (int i = 0; i < count; i++) {
        int row = positions == null ? i : positions[i];
        if (nullable && values.isNull(row)) {
          continue;
        }
        int group = groupIds[row];
        long valueHigh = high.applyAsLong(row);
        long valueLow = low.applyAsLong(row);
        counts[group] += partialCounts == null ? 1 : partialCounts.getLong(row);
        if (wideSums == null || wideSums[group] == null) {
          try {
            sumHighs[group] = Int128.addHigh(sumHighs[group], sumLows[group], valueHigh, valueLow);
            sumLows[group] += valueLow;
            continue;
          } catch (ArithmeticException beyond128Bits) {
            widen(group);
          }
        }
        wideSums[group] =
            wideSums[group].add(new BigDecimal(Int128.toBigInteger(valueHigh, valueLow), scale));
      }
    }

    /** Moves {@code group}'s sum to {@link #wideSums} (if not already there) and returns it. */
    private BigDecimal widen(int group) {
      if (wideSums == null) {
        wideSums = new BigDecimal[sumHighs.length];
      }
      if (wideSums[group] == null) {
        wideSums[group] =
            new BigDecimal(Int128.toBigInteger(sumHighs[group], sumLows[group]), scale);
      }
      return wideSums[group];
    }

    private BigDecimal sum(int group) {
      if (wideSums != null && wideSums[group] != null) {
        return wideSums[group];
      }
      return Int128.fitsLong(sumHighs[group], sumLows[group])
          ? BigDecimal.valueOf(sumLows[group], scale)
          : new BigDecimal(Int128.toBigInteger(sumHighs[group], sumLows[group]), scale);
    }

    @Override
    public Object result(int group) {
      if (counts[group] == 0) {
        return null;
      }
      if (average) {
        return sum(group)
            .divide(BigDecimal.valueOf(counts[group]), returnType.scale(), RoundingMode.HALF_UP);
      }
      if (returnType.kind() == TypeKind.LARGEINT) {
        if (wideSums != null && wideSums[group] != null) {
          throw new BasaltException(
              ErrorCode.VALUE_OUT_OF_RANGE, "LARGEINT", "sum(" + argumentType.sqlName() + ")");
        }
        return Int128.toBigInteger(sumHighs[group], sumLows[group]);
      }
      return AggregateFunctions.exactSumResult(sum(group), argumentType, returnType);
    }

    /**
     * Appends 128-bit halves for LARGEINT sums; for DECIMAL sums, scaled longs where the sum fits
     * 64 bits (no range check can fail at 38 digits) and 128-bit halves after the range check on
     * them ({@link Int128#fitsDigits}) where it does not; for DECIMAL averages, the sum times the
     * power of ten of the result scale divided by the count, rounded half up, on longs where that
     * fits and on 128-bit halves where it does not. Only a group whose sum left 128 bits (or an
     * average whose scaled sum does) goes through {@link #result}, which also raises the range
     * errors.
     */
    @Override
    public void writeResults(int fromGroup, int count, ColumnVectorBuilder out) {
      PhysicalType physical = out.type().physical();
      if (physical == PhysicalType.LARGEINT && returnType.kind() == TypeKind.LARGEINT && !average) {
        for (int group = fromGroup; group < fromGroup + count; group++) {
          if (counts[group] == 0) {
            out.appendNull();
          } else if (wideSums != null && wideSums[group] != null) {
            out.appendObject(result(group));
          } else {
            out.appendInt128(sumHighs[group], sumLows[group]);
          }
        }
        return;
      }
      int resultScale = returnType.scale();
      int shift = resultScale - scale;
      boolean typed =
          physical == PhysicalType.DECIMAL
              && returnType.kind() == TypeKind.DECIMAL
              && out.type().scale() == resultScale
              && (average
                  ? shift >= 0 && shift < POWERS_OF_TEN.length
                  : shift == 0 && returnType.precision() >= 19);
      if (!typed) {
        appendBoxed(this, fromGroup, count, out);
        return;
      }
      long multiplier = POWERS_OF_TEN[Math.max(shift, 0)];
      for (int group = fromGroup; group < fromGroup + count; group++) {
        long groupCount = counts[group];
        if (groupCount == 0) {
          out.appendNull();
          continue;
        }
        if (wideSums != null && wideSums[group] != null) {
          out.appendObject(result(group));
          continue;
        }
        long sumHigh = sumHighs[group];
        long sum = sumLows[group];
        if (!average) {
          if (Int128.fitsLong(sumHigh, sum)) {
            out.appendUnscaledDecimal(sum);
          } else if (Int128.fitsDigits(sumHigh, sum, returnType.precision())) {
            out.appendInt128(sumHigh, sum);
          } else {
            out.appendObject(result(group)); // raises the range error
          }
          continue;
        }
        long high = Math.multiplyHigh(sum, multiplier);
        long scaled = sum * multiplier;
        if (Int128.fitsLong(sumHigh, sum) && high == (scaled >> 63)) {
          out.appendUnscaledDecimal(divideHalfUp(scaled, groupCount));
          continue;
        }
        try {
          Int128.multiply(sumHigh, sum, multiplier >> 63, multiplier, scratchHighs, scratchLows, 0);
          Int128.divideRoundHalfUp(scratchHighs[0], scratchLows[0], 0, groupCount, scratch);
          out.appendInt128(scratch[0], scratch[1]);
        } catch (ArithmeticException beyond128Bits) {
          out.appendObject(result(group));
        }
      }
    }

    @Override
    public long bytesPerGroup() {
      return 8 + 8 + 8;
    }

    @Override
    public List<DataType> stateTypes() {
      return List.of(DataType.decimal(DataType.MAX_DECIMAL_PRECISION, scale), DataType.BIGINT);
    }

    @Override
    public List<ColumnVector> states(int from, int count) {
      boolean anyWide = false;
      boolean[] nulls = new boolean[count];
      for (int i = 0; i < count; i++) {
        nulls[i] = counts[from + i] == 0;
        anyWide |= wideSums != null && wideSums[from + i] != null;
      }
      ColumnVector sumStates;
      if (anyWide) {
        BigDecimal[] values = new BigDecimal[count];
        for (int i = 0; i < count; i++) {
          values[i] = nulls[i] ? null : sum(from + i);
        }
        sumStates = new DecimalVector(stateTypes().get(0), values, count);
      } else {
        sumStates =
            new DecimalVector(
                stateTypes().get(0),
                Arrays.copyOfRange(sumHighs, from, from + count),
                Arrays.copyOfRange(sumLows, from, from + count),
                nulls,
                count);
      }
      return List.of(
          sumStates,
          new LongVector(
              DataType.BIGINT, Arrays.copyOfRange(counts, from, from + count), null, count));
    }

    @Override
    public void mergeStates(List<ColumnVector> states, int[] groupIds, int[] positions, int count) {
      add(states.get(0), (LongVector) states.get(1), groupIds, positions, count);
    }
  }

  /**
   * MIN, MAX or any_value of DECIMAL or LARGEINT values: compares 128-bit halves ({@link Int128})
   * while every value is an unboxed integer at the argument's scale (scaled longs included), and
   * {@link BigDecimal}s from the first DECIMAL value that is not.
   */
  static final class ExtremeInt128 implements MergeableGroupedAccumulator {
    private final DataType type;
    private final int direction;
    private long[] bestHighs = new long[16];
    private long[] bestLows = new long[16];
    private boolean[] seen = new boolean[16];

    /** The per-group values once the boxed path has been taken, else {@code null}. */
    private BigDecimal[] boxedBest;

    ExtremeInt128(DataType type, int direction) {
      this.type = type;
      this.direction = direction;
    }

    @Override
    public void ensureGroups(int groupCount) {
      if (groupCount > seen.length) {
        int capacity = grow(seen.length, groupCount);
        bestHighs = Arrays.copyOf(bestHighs, capacity);
        bestLows = Arrays.copyOf(bestLows, capacity);
        seen = Arrays.copyOf(seen, capacity);
        if (boxedBest != null) {
          boxedBest = Arrays.copyOf(boxedBest, capacity);
        }
      }
    }

    @Override
    public void addBatch(List<ColumnVector> arguments, int[] groupIds, int[] positions, int count) {
      ColumnVector argument = arguments.get(0);
      if (boxedBest == null
          && argument instanceof DecimalVector decimals
          && decimals.isScaledLong()
          && decimals.scale() == type.scale()) {
        boolean nullable = decimals.mayHaveNulls();
        for (int i = 0; i < count; i++) {
          int row = positions == null ? i : positions[i];
          if (nullable && decimals.isNull(row)) {
            continue;
          }
          long value = decimals.getUnscaled(row);
          offer(groupIds[row], value >> 63, value);
        }
        return;
      }
      if (boxedBest == null
          && argument instanceof DecimalVector decimals
          && decimals.isInt128()
          && decimals.scale() == type.scale()) {
        boolean nullable = decimals.mayHaveNulls();
        for (int i = 0; i < count; i++) {
          int row = positions == null ? i : positions[i];
          if (nullable && decimals.isNull(row)) {
            continue;
          }
          offer(groupIds[row], decimals.getHigh(row), decimals.getLow(row));
        }
        return;
      }
      if (argument instanceof LargeIntVector integers) {
        boolean nullable = integers.mayHaveNulls();
        for (int i = 0; i < count; i++) {
          int row = positions == null ? i : positions[i];
          if (nullable && integers.isNull(row)) {
            continue;
          }
          offer(groupIds[row], integers.getHigh(row), integers.getLow(row));
        }
        return;
      }
      if (boxedBest == null) {
        boxedBest = new BigDecimal[seen.length];
        for (int group = 0; group < seen.length; group++) {
          boxedBest[group] = seen[group] ? unboxedBest(group) : null;
        }
      }
      for (int i = 0; i < count; i++) {
        int row = positions == null ? i : positions[i];
        BigDecimal value = (BigDecimal) argument.getObject(row);
        if (value == null) {
          continue;
        }
        int group = groupIds[row];
        if (!seen[group] || value.compareTo(boxedBest[group]) * direction > 0) {
          boxedBest[group] = value;
          seen[group] = true;
        }
      }
    }

    private void offer(int group, long high, long low) {
      if (!seen[group]
          || Int128.compare(high, low, bestHighs[group], bestLows[group]) * direction > 0) {
        bestHighs[group] = high;
        bestLows[group] = low;
        seen[group] = true;
      }
    }

    private BigDecimal unboxedBest(int group) {
      return new BigDecimal(Int128.toBigInteger(bestHighs[group], bestLows[group]), type.scale());
    }

    @Override
    public Object result(int group) {
      if (!seen[group]) {
        return null;
      }
      if (type.kind() == TypeKind.LARGEINT) {
        return Int128.toBigInteger(bestHighs[group], bestLows[group]);
      }
      return boxedBest != null ? boxedBest[group] : unboxedBest(group);
    }

    @Override
    public void writeResults(int fromGroup, int count, ColumnVectorBuilder out) {
      boolean typed =
          type.kind() == TypeKind.LARGEINT
              ? out.type().physical() == PhysicalType.LARGEINT
              : boxedBest == null
                  && out.type().physical() == PhysicalType.DECIMAL
                  && out.type().scale() == type.scale();
      if (!typed) {
        appendBoxed(this, fromGroup, count, out);
        return;
      }
      for (int group = fromGroup; group < fromGroup + count; group++) {
        if (seen[group]) {
          out.appendInt128(bestHighs[group], bestLows[group]);
        } else {
          out.appendNull();
        }
      }
    }

    @Override
    public long bytesPerGroup() {
      return 17;
    }

    @Override
    public List<DataType> stateTypes() {
      return List.of(type);
    }

    @Override
    public List<ColumnVector> states(int from, int count) {
      if (boxedBest != null) {
        return List.of(
            new DecimalVector(type, Arrays.copyOfRange(boxedBest, from, from + count), count));
      }
      boolean[] nulls = unseenNulls(seen, from, count);
      long[] highs = Arrays.copyOfRange(bestHighs, from, from + count);
      long[] lows = Arrays.copyOfRange(bestLows, from, from + count);
      return List.of(
          type.kind() == TypeKind.LARGEINT
              ? new LargeIntVector(type, highs, lows, nulls, count)
              : new DecimalVector(type, highs, lows, nulls, count));
    }

    @Override
    public void mergeStates(List<ColumnVector> states, int[] groupIds, int[] positions, int count) {
      addBatch(states, groupIds, positions, count);
    }
  }

  /**
   * MIN or MAX of values stored as longs (integers, BOOLEAN, DATE, DATETIME); as every extreme
   * here, {@code direction} is -1 for MIN, 1 for MAX and 0 for any_value, which keeps each group's
   * first non-NULL value (no later value compares above it).
   */
  static final class ExtremeLong extends LongPerGroup {
    private final int direction;

    ExtremeLong(DataType type, int direction) {
      super(type);
      this.direction = direction;
    }

    @Override
    public void addBatch(List<ColumnVector> arguments, int[] groupIds, int[] positions, int count) {
      LongVector longs = (LongVector) arguments.get(0);
      long[] best = values;
      for (int i = 0; i < count; i++) {
        int row = positions == null ? i : positions[i];
        if (longs.isNull(row)) {
          continue;
        }
        long value = longs.getLong(row);
        int group = groupIds[row];
        if (!seen[group] || Long.compare(value, best[group]) * direction > 0) {
          best[group] = value;
          seen[group] = true;
        }
      }
    }

    @Override
    Object box(long value) {
      return Values.fromLong(stateType, value);
    }

    @Override
    boolean appendsLongsTo(ColumnVectorBuilder out) {
      return out.type().kind() == stateType.kind() && stateType.kind() != TypeKind.NULL;
    }
  }

  /**
   * MIN, MAX or any_value of doubles, ordered by {@link Double#compare} as the row-wise aggregate
   * is.
   */
  static final class ExtremeDouble implements MergeableGroupedAccumulator {
    private final int direction;
    private double[] best = new double[16];
    private boolean[] seen = new boolean[16];

    ExtremeDouble(int direction) {
      this.direction = direction;
    }

    @Override
    public void ensureGroups(int groupCount) {
      if (groupCount > best.length) {
        int capacity = grow(best.length, groupCount);
        best = Arrays.copyOf(best, capacity);
        seen = Arrays.copyOf(seen, capacity);
      }
    }

    @Override
    public void addBatch(List<ColumnVector> arguments, int[] groupIds, int[] positions, int count) {
      DoubleVector doubles = (DoubleVector) arguments.get(0);
      for (int i = 0; i < count; i++) {
        int row = positions == null ? i : positions[i];
        if (doubles.isNull(row)) {
          continue;
        }
        double value = doubles.getDouble(row);
        int group = groupIds[row];
        if (!seen[group] || Double.compare(value, best[group]) * direction > 0) {
          best[group] = value;
          seen[group] = true;
        }
      }
    }

    @Override
    public Object result(int group) {
      return seen[group] ? best[group] : null;
    }

    @Override
    public void writeResults(int fromGroup, int count, ColumnVectorBuilder out) {
      if (out.type().physical() != PhysicalType.DOUBLE) {
        appendBoxed(this, fromGroup, count, out);
        return;
      }
      for (int group = fromGroup; group < fromGroup + count; group++) {
        if (seen[group]) {
          out.appendDouble(best[group]);
        } else {
          out.appendNull();
        }
      }
    }

    @Override
    public long bytesPerGroup() {
      return 9;
    }

    @Override
    public List<DataType> stateTypes() {
      return List.of(DataType.DOUBLE);
    }

    @Override
    public List<ColumnVector> states(int from, int count) {
      return List.of(
          new DoubleVector(
              DataType.DOUBLE,
              Arrays.copyOfRange(best, from, from + count),
              unseenNulls(seen, from, count),
              count));
    }

    @Override
    public void mergeStates(List<ColumnVector> states, int[] groupIds, int[] positions, int count) {
      addBatch(states, groupIds, positions, count);
    }
  }

  /**
   * VARIANCE, VAR_SAMP, STDDEV and STDDEV_SAMP of values read as doubles: per group a count, a
   * running mean and the sum of squared deviations, updated by Welford's online algorithm in the
   * same order as the row-wise accumulator (so the same doubles come out). Partial states merge
   * with Chan, Golub and LeVeque's pairwise update ("Updating formulae and a pairwise algorithm for
   * computing sample variances", 1979).
   */
  static final class Moments implements MergeableGroupedAccumulator {
    private final boolean root;
    private final boolean sample;
    private long[] counts = new long[16];
    private double[] means = new double[16];
    private double[] squares = new double[16];

    Moments(boolean root, boolean sample) {
      this.root = root;
      this.sample = sample;
    }

    @Override
    public void ensureGroups(int groupCount) {
      if (groupCount > counts.length) {
        int capacity = grow(counts.length, groupCount);
        counts = Arrays.copyOf(counts, capacity);
        means = Arrays.copyOf(means, capacity);
        squares = Arrays.copyOf(squares, capacity);
      }
    }

    @Override
    public void addBatch(List<ColumnVector> arguments, int[] groupIds, int[] positions, int count) {
      ColumnVector argument = arguments.get(0);
      if (argument instanceof DoubleVector doubles) {
        boolean nullable = doubles.mayHaveNulls();
        for (int i = 0; i < count; i++) {
          int row = positions == null ? i : positions[i];
          if (!(nullable && doubles.isNull(row))) {
            add(groupIds[row], doubles.getDouble(row));
          }
        }
        return;
      }
      if (argument instanceof LongVector longs && argument.type().kind() != TypeKind.BOOLEAN) {
        boolean nullable = longs.mayHaveNulls();
        for (int i = 0; i < count; i++) {
          int row = positions == null ? i : positions[i];
          if (!(nullable && longs.isNull(row))) {
            add(groupIds[row], longs.getLong(row));
          }
        }
        return;
      }
      for (int i = 0; i < count; i++) {
        int row = positions == null ? i : positions[i];
        Double value = AggregateFunctions.doubleAt(argument, row);
        if (value != null) {
          add(groupIds[row], value);
        }
      }
    }

    private void add(int group, double value) {
      long count = ++counts[group];
      double mean = means[group];
      double delta = value - mean;
      mean += delta / count;
      means[group] = mean;
      squares[group] += delta * (value - mean);
    }

    /** The statistic of {@code group}, or NaN where it is NULL (no rows, one row for a sample). */
    private double statistic(int group) {
      long divisor = sample ? counts[group] - 1 : counts[group];
      if (divisor <= 0) {
        return Double.NaN;
      }
      double variance = Math.max(0, squares[group] / divisor);
      return root ? Math.sqrt(variance) : variance;
    }

    private boolean isNull(int group) {
      return (sample ? counts[group] - 1 : counts[group]) <= 0;
    }

    @Override
    public Object result(int group) {
      return isNull(group) ? null : statistic(group);
    }

    @Override
    public void writeResults(int fromGroup, int count, ColumnVectorBuilder out) {
      if (out.type().physical() != PhysicalType.DOUBLE) {
        appendBoxed(this, fromGroup, count, out);
        return;
      }
      for (int group = fromGroup; group < fromGroup + count; group++) {
        if (isNull(group)) {
          out.appendNull();
        } else {
          out.appendDouble(statistic(group));
        }
      }
    }

    @Override
    public long bytesPerGroup() {
      return 24;
    }

    @Override
    public List<DataType> stateTypes() {
      return List.of(DataType.BIGINT, DataType.DOUBLE, DataType.DOUBLE);
    }

    @Override
    public List<ColumnVector> states(int from, int count) {
      return List.of(
          new LongVector(
              DataType.BIGINT, Arrays.copyOfRange(counts, from, from + count), null, count),
          new DoubleVector(
              DataType.DOUBLE, Arrays.copyOfRange(means, from, from + count), null, count),
          new DoubleVector(
              DataType.DOUBLE, Arrays.copyOfRange(squares, from, from + count), null, count));
    }

    @Override
    public void mergeStates(List<ColumnVector> states, int[] groupIds, int[] positions, int count) {
      LongVector partialCounts = (LongVector) states.get(0);
      DoubleVector partialMeans = (DoubleVector) states.get(1);
      DoubleVector partialSquares = (DoubleVector) states.get(2);
      for (int i = 0; i < count; i++) {
        int row = positions == null ? i : positions[i];
        long added = partialCounts.getLong(row);
        if (added == 0) {
          continue;
        }
        int group = groupIds[row];
        long held = counts[group];
        if (held == 0) {
          counts[group] = added;
          means[group] = partialMeans.getDouble(row);
          squares[group] = partialSquares.getDouble(row);
          continue;
        }
        long total = held + added;
        double delta = partialMeans.getDouble(row) - means[group];
        means[group] += delta * added / total;
        squares[group] += partialSquares.getDouble(row) + delta * delta * held * added / total;
        counts[group] = total;
      }
    }
  }

  /** BIT_AND, BIT_OR and BIT_XOR into a BIGINT: a long and a seen flag per group. */
  static final class BitFold extends LongPerGroup {
    /** The bitwise operations, each folded into the value seen so far. */
    enum Operation {
      AND,
      OR,
      XOR
    }

    private final Operation operation;

    BitFold(Operation operation) {
      super(DataType.BIGINT);
      this.operation = operation;
    }

    @Override
    public void addBatch(List<ColumnVector> arguments, int[] groupIds, int[] positions, int count) {
      ColumnVector argument = arguments.get(0);
      LongVector longs = argument instanceof LongVector vector ? vector : null;
      boolean nullable = argument.mayHaveNulls();
      for (int i = 0; i < count; i++) {
        int row = positions == null ? i : positions[i];
        if (nullable && argument.isNull(row)) {
          continue;
        }
        long value;
        if (longs != null) {
          value = longs.getLong(row);
        } else {
          Long converted = Casts.toLong(argument.getObject(row));
          if (converted == null) {
            continue;
          }
          value = converted;
        }
        fold(groupIds[row], value);
      }
    }

    private void fold(int group, long value) {
      if (!seen[group]) {
        values[group] = value;
        seen[group] = true;
        return;
      }
      values[group] =
          switch (operation) {
            case AND -> values[group] & value;
            case OR -> values[group] | value;
            case XOR -> values[group] ^ value;
          };
    }
  }

  /**
   * BOOL_AND (EVERY) and BOOL_OR into a BOOLEAN: per group a value (1 for TRUE, 0 for FALSE) and a
   * seen flag. BOOLEAN and integer arguments are read as longs (non-zero is TRUE); others are
   * converted one by one as the row-wise accumulator converts them (a value that is no boolean is
   * skipped).
   */
  static final class BoolFold extends LongPerGroup {
    private final DataType argumentType;
    private final boolean conjunction;

    BoolFold(DataType argumentType, boolean conjunction) {
      super(DataType.BOOLEAN);
      this.argumentType = argumentType;
      this.conjunction = conjunction;
    }

    @Override
    public void addBatch(List<ColumnVector> arguments, int[] groupIds, int[] positions, int count) {
      ColumnVector argument = arguments.get(0);
      boolean nullable = argument.mayHaveNulls();
      if (argument instanceof LongVector longs
          && TypeCoercion.isIntegerLike(argument.type().kind())) {
        for (int i = 0; i < count; i++) {
          int row = positions == null ? i : positions[i];
          if (!(nullable && longs.isNull(row))) {
            fold(groupIds[row], longs.getLong(row) != 0 ? 1 : 0);
          }
        }
        return;
      }
      for (int i = 0; i < count; i++) {
        int row = positions == null ? i : positions[i];
        if (nullable && argument.isNull(row)) {
          continue;
        }
        Object converted = Casts.convert(argument.getObject(row), argumentType, DataType.BOOLEAN);
        if (converted instanceof Boolean value) {
          fold(groupIds[row], value ? 1 : 0);
        }
      }
    }

    /** Folds {@code bit} (1 for TRUE, 0 for FALSE) into {@code group}'s value. */
    private void fold(int group, long bit) {
      if (!seen[group]) {
        values[group] = bit;
        seen[group] = true;
      } else if (conjunction) {
        values[group] &= bit;
      } else {
        values[group] |= bit;
      }
    }

    @Override
    Object box(long value) {
      return value != 0;
    }

    @Override
    boolean appendsLongsTo(ColumnVectorBuilder out) {
      return out.type().kind() == TypeKind.BOOLEAN;
    }
  }

  /**
   * MIN, MAX and any_value of CHAR, VARCHAR and STRING: per group a copy of the best value's UTF-8
   * bytes (its buffer reused while the next best fits), compared as unsigned bytes, which is the
   * code point order the row-wise accumulator compares strings in. Copies are made only when a
   * group's best value changes.
   */
  static final class ExtremeBytes extends TextPerGroup implements MergeableGroupedAccumulator {
    private final DataType type;
    private final int direction;

    ExtremeBytes(DataType type, int direction) {
      this.type = type;
      this.direction = direction;
    }

    @Override
    public void addBatch(List<ColumnVector> arguments, int[] groupIds, int[] positions, int count) {
      if (!(arguments.get(0) instanceof BytesVector strings)) {
        // Another vector class (a constant): its values as the bytes a BytesVector would hold.
        ColumnVector constant = arguments.get(0);
        ColumnVectorBuilder copy = new ColumnVectorBuilder(type, constant.size());
        for (int row = 0; row < constant.size(); row++) {
          copy.appendObject(constant.getObject(row));
        }
        addBatch(List.of(copy.build()), groupIds, positions, count);
        return;
      }
      boolean nullable = strings.mayHaveNulls();
      byte[] bytes = strings.rawBytes();
      byte[][] best = texts;
      for (int i = 0; i < count; i++) {
        int row = positions == null ? i : positions[i];
        if (nullable && strings.isNull(row)) {
          continue;
        }
        int group = groupIds[row];
        int offset = strings.offset(row);
        int length = strings.byteLength(row);
        byte[] current = best[group];
        if (current != null
            && Arrays.compareUnsigned(bytes, offset, offset + length, current, 0, lengths[group])
                    * direction
                <= 0) {
          continue;
        }
        if (current == null || current.length < length) {
          bufferBytes += length - (current == null ? -16 : current.length);
          current = new byte[length];
          best[group] = current;
        }
        System.arraycopy(bytes, offset, current, 0, length);
        lengths[group] = length;
      }
    }

    @Override
    public List<DataType> stateTypes() {
      return List.of(type);
    }

    @Override
    public List<ColumnVector> states(int from, int count) {
      ColumnVectorBuilder out = new ColumnVectorBuilder(type, count);
      writeResults(from, count, out);
      return List.of(out.build());
    }

    @Override
    public void mergeStates(List<ColumnVector> states, int[] groupIds, int[] positions, int count) {
      addBatch(states, groupIds, positions, count);
    }
  }
}
