package dev.basalt.exec.operator;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.PhysicalType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.Int128;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.Accumulator;
import dev.basalt.exec.function.AggregateFunction;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

/**
 * Computes an aggregate window call ({@code SUM/AVG/COUNT/MIN/MAX(...) OVER (... frame)}) over one
 * partition by sliding its frame: as the current row advances, rows entering the frame are added
 * and rows leaving it removed, so a partition costs O(rows) however wide its frames, where adding
 * every frame's rows again cost O(rows × frame) (quadratic for the default RANGE UNBOUNDED
 * PRECEDING frame of an ordered window). This relies on the frames' bounds never moving backwards
 * from one row to the next, which holds for every frame Basalt plans (ROWS offsets, RANGE UNBOUNDED
 * / CURRENT ROW).
 *
 * <p>The states read the typed vectors directly:
 *
 * <ul>
 *   <li>COUNT counts non-NULL rows (all of them for {@code COUNT(*)});
 *   <li>SUM and AVG over integers and LARGEINTs (BIGINT, LARGEINT or, for AVG, DOUBLE result) and
 *       over unboxed DECIMALs (scaled longs or 128-bit halves) keep a 192-bit sum, exact under
 *       removal, and fail with 1690 only when the frame's own sum leaves the result type (not when
 *       a running value does on the way);
 *   <li>SUM and AVG over DOUBLE add in frame order and never subtract: floating-point removal is
 *       not exact (1e20 + 1 - 1e20 is 0, and an infinity leaving the frame would leave NaN behind),
 *       so a frame whose start moves is summed again from its first row, and every frame's value is
 *       bit for bit the sum of its rows in order, as with the aggregate's accumulator;
 *   <li>MIN and MAX over integers, dates, unboxed decimals, LARGEINTs and doubles keep a monotonic
 *       deque of candidate rows (the front is the frame's extreme; a row is dropped once a later
 *       row is at least as good), so each row enters and leaves it once.
 * </ul>
 *
 * Every other aggregate (DISTINCT ones, boxed DECIMALs, strings, GROUP_CONCAT, variances ...) runs
 * through its {@link Accumulator}: kept running while the frame only grows, and started again from
 * the frame's first row when its start moves. Not thread safe.
 */
final class WindowFrameAggregation {
  private WindowFrameAggregation() {}

  /**
   * Appends, for each row {@code i} of a partition of {@code size} rows, the aggregate over the
   * partition rows {@code [frameStart[i], frameEnd[i])} (partition-relative, clipped to the
   * partition; an empty frame when {@code frameEnd[i] <= frameStart[i]}) to {@code out}. Both bound
   * arrays must be non-decreasing. {@code order[offset + r]} is the input position of partition row
   * {@code r}.
   */
  static void compute(
      AggregateFunction aggregate,
      List<ColumnVector> arguments,
      int[] order,
      int offset,
      int size,
      int[] frameStart,
      int[] frameEnd,
      ColumnVectorBuilder out) {
    FrameState state = state(aggregate, arguments, out.type());
    int windowStart = 0;
    int windowEnd = 0;
    for (int i = 0; i < size; i++) {
      int start = frameStart[i];
      int end = Math.max(start, frameEnd[i]);
      if (start >= windowEnd || (start > windowStart && !state.removable())) {
        state.reset();
        windowStart = start;
        windowEnd = start;
      }
      while (windowStart < start) {
        state.remove(windowStart, order[offset + windowStart]);
        windowStart++;
      }
      while (windowEnd < end) {
        state.add(windowEnd, order[offset + windowEnd]);
        windowEnd++;
      }
      state.emit(out);
    }
  }

  /** The typed state for {@code aggregate} over these argument vectors, or its accumulator. */
  static FrameState state(
      AggregateFunction aggregate, List<ColumnVector> arguments, DataType resultType) {
    if (!aggregate.distinct()) {
      String name = aggregate.name();
      if (name.equals("count")) {
        return new CountState(arguments);
      }
      if (arguments.size() == 1) {
        ColumnVector argument = arguments.get(0);
        boolean average = name.equals("avg");
        if (name.equals("sum") || average) {
          if (argument instanceof LongVector longs
              && argument.type().kind() != TypeKind.DATE
              && argument.type().kind() != TypeKind.DATETIME
              && resultType.physical() == (average ? PhysicalType.DOUBLE : PhysicalType.LONG)) {
            return new ExactSumState(longs, null, null, 0, average, resultType);
          }
          if (argument instanceof DecimalVector decimals
              && decimals.isUnboxed()
              && resultType.kind() == TypeKind.DECIMAL) {
            return new ExactSumState(null, decimals, null, decimals.scale(), average, resultType);
          }
          if (argument instanceof LargeIntVector integers
              && resultType.physical() == (average ? PhysicalType.DOUBLE : PhysicalType.LARGEINT)) {
            return new ExactSumState(null, null, integers, 0, average, resultType);
          }
          if (argument instanceof DoubleVector doubles
              && resultType.physical() == PhysicalType.DOUBLE) {
            return new DoubleSumState(doubles, average);
          }
        }
        boolean maximum = name.equals("max");
        if ((maximum || name.equals("min"))
            && argument.type().physical() == resultType.physical()) {
          if (argument instanceof LongVector longs && resultType.physical() == PhysicalType.LONG) {
            return new ExtremeState(longs, null, null, null, maximum);
          }
          if (argument instanceof DecimalVector decimals
              && decimals.isUnboxed()
              && resultType.kind() == TypeKind.DECIMAL
              && resultType.scale() == decimals.scale()) {
            return new ExtremeState(null, decimals, null, null, maximum);
          }
          if (argument instanceof LargeIntVector integers
              && resultType.physical() == PhysicalType.LARGEINT) {
            return new ExtremeState(null, null, integers, null, maximum);
          }
          if (argument instanceof DoubleVector doubles
              && resultType.physical() == PhysicalType.DOUBLE) {
            return new ExtremeState(null, null, null, doubles, maximum);
          }
        }
      }
    }
    return new AccumulatorState(aggregate, arguments);
  }

  /**
   * The aggregate over the rows of the current frame. Rows are added in partition order; a removed
   * row is always the earliest one still in the frame. {@code index} is the partition-relative row,
   * {@code position} its input position.
   */
  interface FrameState {
    /** Whether {@link #remove} is supported; without it a moving frame start restarts the state. */
    boolean removable();

    void add(int index, int position);

    void remove(int index, int position);

    /** Empties the frame. */
    void reset();

    /** Appends the aggregate over the rows in the frame now. */
    void emit(ColumnVectorBuilder out);
  }

  /** COUNT(*) or COUNT(arguments): the rows whose arguments are all non-NULL. */
  private static final class CountState implements FrameState {
    private final ColumnVector[] arguments;
    private long count;

    CountState(List<ColumnVector> arguments) {
      this.arguments = arguments.toArray(new ColumnVector[0]);
    }

    private boolean counted(int position) {
      for (ColumnVector argument : arguments) {
        if (argument.isNull(position)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public boolean removable() {
      return true;
    }

    @Override
    public void add(int index, int position) {
      if (counted(position)) {
        count++;
      }
    }

    @Override
    public void remove(int index, int position) {
      if (counted(position)) {
        count--;
      }
    }

    @Override
    public void reset() {
      count = 0;
    }

    @Override
    public void emit(ColumnVectorBuilder out) {
      out.appendLong(count);
    }
  }

  /**
   * SUM or AVG of integers, of LARGEINTs or of unboxed decimals (scaled longs or 128-bit halves): a
   * 192-bit two's-complement sum ({@code top}, {@code middle} and {@code low} words), exact under
   * removal because no frame of at most 2^31 values of 128 bits needs more (a running value that
   * leaves 128 bits on the way is fine). The result is written from the words; {@code BigDecimal}
   * only for the error of a sum beyond the result type and an integer or LARGEINT AVG's DOUBLE (the
   * exact sum divided to 16 significant digits, as the AVG accumulator does).
   */
  private static final class ExactSumState implements FrameState {
    private final LongVector longs;
    private final DecimalVector decimals;
    private final LargeIntVector integers;
    private final int scale;
    private final boolean average;
    private final DataType resultType;
    private final long[] quotient = new long[4];
    private final long[] scaledHigh = new long[1];
    private final long[] scaledLow = new long[1];
    private long top;
    private long middle;
    private long low;
    private long count;

    ExactSumState(
        LongVector longs,
        DecimalVector decimals,
        LargeIntVector integers,
        int scale,
        boolean average,
        DataType resultType) {
      this.longs = longs;
      this.decimals = decimals;
      this.integers = integers;
      this.scale = scale;
      this.average = average;
      this.resultType = resultType;
    }

    @Override
    public boolean removable() {
      return true;
    }

    private boolean isNull(int position) {
      return longs != null
          ? longs.isNull(position)
          : decimals != null ? decimals.isNull(position) : integers.isNull(position);
    }

    private long valueLow(int position) {
      return longs != null
          ? longs.getLong(position)
          : decimals != null ? decimals.getLow(position) : integers.getLow(position);
    }

    private long valueHigh(int position, long valueLow) {
      return longs != null
          ? valueLow >> 63
          : decimals != null ? decimals.getHigh(position) : integers.getHigh(position);
    }

    @Override
    public void add(int index, int position) {
      if (isNull(position)) {
        return;
      }
      long valueLow = valueLow(position);
      long valueHigh = valueHigh(position, valueLow);
      long newLow = low + valueLow;
      long carry = Long.compareUnsigned(newLow, low) < 0 ? 1 : 0;
      long partial = middle + valueHigh;
      long carryOut = Long.compareUnsigned(partial, middle) < 0 ? 1 : 0;
      long newMiddle = partial + carry;
      carryOut += Long.compareUnsigned(newMiddle, partial) < 0 ? 1 : 0;
      // The value's sign extension into the top word, plus the carry.
      top += (valueHigh >> 63) + carryOut;
      middle = newMiddle;
      low = newLow;
      count++;
    }

    @Override
    public void remove(int index, int position) {
      if (isNull(position)) {
        return;
      }
      long valueLow = valueLow(position);
      long valueHigh = valueHigh(position, valueLow);
      long borrow = Long.compareUnsigned(low, valueLow) < 0 ? 1 : 0;
      long partial = middle - valueHigh;
      long borrowOut = Long.compareUnsigned(middle, valueHigh) < 0 ? 1 : 0;
      long newMiddle = partial - borrow;
      borrowOut += Long.compareUnsigned(partial, borrow) < 0 ? 1 : 0;
      top -= (valueHigh >> 63) + borrowOut;
      middle = newMiddle;
      low -= valueLow;
      count--;
    }

    @Override
    public void reset() {
      top = 0;
      middle = 0;
      low = 0;
      count = 0;
    }

    private boolean fitsInt128() {
      return top == (middle >> 63);
    }

    private boolean fitsInLong() {
      return fitsInt128() && middle == (low >> 63);
    }

    private BigInteger exactSum() {
      return BigInteger.valueOf(top)
          .shiftLeft(128)
          .add(new BigInteger(Long.toUnsignedString(middle)).shiftLeft(64))
          .add(new BigInteger(Long.toUnsignedString(low)));
    }

    @Override
    public void emit(ColumnVectorBuilder out) {
      if (count == 0) {
        out.appendNull();
      } else if (integers != null && !average) {
        if (!fitsInt128()) {
          throw new BasaltException(
              ErrorCode.VALUE_OUT_OF_RANGE,
              "LARGEINT",
              "sum(" + exactSum() + ") over a window frame");
        }
        out.appendInt128(middle, low);
      } else if (decimals != null) {
        if (!emitDecimal(out)) {
          BigDecimal sum = new BigDecimal(exactSum(), scale);
          if (average) {
            out.appendDecimal(
                sum.divide(BigDecimal.valueOf(count), resultType.scale(), RoundingMode.HALF_UP));
          } else {
            out.appendDecimal(exactDecimalSum(sum));
          }
        }
      } else if (average) {
        // As the AVG accumulator: the exact sum divided to 16 significant digits.
        BigDecimal sum = fitsInLong() ? BigDecimal.valueOf(low) : new BigDecimal(exactSum());
        out.appendDouble(
            sum.divide(BigDecimal.valueOf(count), MathContext.DECIMAL64).doubleValue());
      } else if (fitsInLong()) {
        out.appendLong(low);
      } else {
        throw new BasaltException(
            ErrorCode.VALUE_OUT_OF_RANGE, "BIGINT", "sum(" + exactSum() + ") over a window frame");
      }
    }

    /**
     * The decimal SUM, or AVG (the sum at the result's scale divided by the count, rounded half
     * away from zero), from the words; false when the boxed computation must decide (a sum beyond
     * 128 bits or the result's precision, another scale).
     */
    private boolean emitDecimal(ColumnVectorBuilder out) {
      int shift = resultType.scale() - scale;
      if (!fitsInt128() || shift < 0) {
        return false;
      }
      if (!average) {
        if (shift != 0 || !Int128.fitsDigits(middle, low, resultType.precision())) {
          return false;
        }
        out.appendInt128(middle, low);
        return true;
      }
      try {
        Int128.multiply(
            middle,
            low,
            Int128.powerOfTenHigh(shift),
            Int128.powerOfTenLow(shift),
            scaledHigh,
            scaledLow,
            0);
        Int128.divideRoundHalfUp(scaledHigh[0], scaledLow[0], 0, count, quotient);
      } catch (ArithmeticException beyond128Bits) {
        return false;
      }
      out.appendInt128(quotient[0], quotient[1]);
      return true;
    }

    private BigDecimal exactDecimalSum(BigDecimal sum) {
      BigDecimal scaled = sum.setScale(resultType.scale(), RoundingMode.HALF_UP);
      if (scaled.precision() - scaled.scale() > resultType.precision() - resultType.scale()) {
        throw new BasaltException(
            ErrorCode.VALUE_OUT_OF_RANGE, resultType.sqlName(), "sum over a window frame");
      }
      return scaled;
    }
  }

  /** SUM or AVG of doubles, added in frame order; not removable (see the class comment). */
  private static final class DoubleSumState implements FrameState {
    private final DoubleVector values;
    private final boolean average;
    private double sum;
    private long count;

    DoubleSumState(DoubleVector values, boolean average) {
      this.values = values;
      this.average = average;
    }

    @Override
    public boolean removable() {
      return false;
    }

    @Override
    public void add(int index, int position) {
      if (!values.isNull(position)) {
        sum += values.getDouble(position);
        count++;
      }
    }

    @Override
    public void remove(int index, int position) {
      throw new UnsupportedOperationException("a double sum is not removable");
    }

    @Override
    public void reset() {
      sum = 0;
      count = 0;
    }

    @Override
    public void emit(ColumnVectorBuilder out) {
      if (count == 0) {
        out.appendNull();
      } else {
        out.appendDouble(average ? sum / count : sum);
      }
    }
  }

  /**
   * MIN or MAX over longs, unboxed decimals (one scale per vector, so their unscaled values compare
   * as the decimals do, as 128-bit integers in either layout), LARGEINTs or doubles: a deque of
   * partition rows whose values strictly decrease (MAX) or increase (MIN) from front to back; the
   * front is the frame's extreme. Doubles compare with {@link Double#compare}, as the accumulator
   * does.
   */
  private static final class ExtremeState implements FrameState {
    private final LongVector longs;
    private final DecimalVector decimals;
    private final LargeIntVector integers;
    private final DoubleVector doubles;
    private final int direction;
    private int[] indexes = new int[16];
    private int[] positions = new int[16];
    private int head;
    private int tail;

    ExtremeState(
        LongVector longs,
        DecimalVector decimals,
        LargeIntVector integers,
        DoubleVector doubles,
        boolean maximum) {
      this.longs = longs;
      this.decimals = decimals;
      this.integers = integers;
      this.doubles = doubles;
      this.direction = maximum ? 1 : -1;
    }

    @Override
    public boolean removable() {
      return true;
    }

    /** Positive when the value at {@code left} is better (larger for MAX) than at {@code right}. */
    private int compare(int left, int right) {
      int comparison;
      if (longs != null) {
        comparison = Long.compare(longs.getLong(left), longs.getLong(right));
      } else if (doubles != null) {
        comparison = Double.compare(doubles.getDouble(left), doubles.getDouble(right));
      } else {
        comparison = Int128.compare(highAt(left), lowAt(left), highAt(right), lowAt(right));
      }
      return comparison * direction;
    }

    private long highAt(int position) {
      return decimals != null ? decimals.getHigh(position) : integers.getHigh(position);
    }

    private long lowAt(int position) {
      return decimals != null ? decimals.getLow(position) : integers.getLow(position);
    }

    private boolean isNull(int position) {
      if (longs != null) {
        return longs.isNull(position);
      }
      if (doubles != null) {
        return doubles.isNull(position);
      }
      return decimals != null ? decimals.isNull(position) : integers.isNull(position);
    }

    @Override
    public void add(int index, int position) {
      if (isNull(position)) {
        return;
      }
      while (tail > head && compare(position, positions[tail - 1]) >= 0) {
        tail--;
      }
      if (tail == indexes.length) {
        compact();
      }
      indexes[tail] = index;
      positions[tail] = position;
      tail++;
    }

    /** Moves the live part of the deque to the front of its arrays, growing them when full. */
    private void compact() {
      int live = tail - head;
      int capacity = live * 2 > indexes.length ? indexes.length * 2 : indexes.length;
      int[] newIndexes = new int[capacity];
      int[] newPositions = new int[capacity];
      System.arraycopy(indexes, head, newIndexes, 0, live);
      System.arraycopy(positions, head, newPositions, 0, live);
      indexes = newIndexes;
      positions = newPositions;
      head = 0;
      tail = live;
    }

    @Override
    public void remove(int index, int position) {
      if (tail > head && indexes[head] == index) {
        head++;
      }
    }

    @Override
    public void reset() {
      head = 0;
      tail = 0;
    }

    @Override
    public void emit(ColumnVectorBuilder out) {
      if (tail == head) {
        out.appendNull();
      } else if (longs != null) {
        out.appendLong(longs.getLong(positions[head]));
      } else if (doubles != null) {
        out.appendDouble(doubles.getDouble(positions[head]));
      } else {
        out.appendInt128(highAt(positions[head]), lowAt(positions[head]));
      }
    }
  }

  /**
   * Any other aggregate, through its accumulator: not removable, restarted when the start moves.
   */
  private static final class AccumulatorState implements FrameState {
    private final AggregateFunction aggregate;
    private final List<ColumnVector> arguments;
    private Accumulator accumulator;

    AccumulatorState(AggregateFunction aggregate, List<ColumnVector> arguments) {
      this.aggregate = aggregate;
      this.arguments = arguments;
      this.accumulator = aggregate.newAccumulator();
    }

    @Override
    public boolean removable() {
      return false;
    }

    @Override
    public void add(int index, int position) {
      accumulator.add(arguments, position);
    }

    @Override
    public void remove(int index, int position) {
      throw new UnsupportedOperationException("an accumulator is not removable");
    }

    @Override
    public void reset() {
      accumulator = aggregate.newAccumulator();
    }

    @Override
    public void emit(ColumnVectorBuilder out) {
      out.appendObject(accumulator.result());
    }
  }
}
