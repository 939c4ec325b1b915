package dev.basalt.common.vector;

import dev.basalt.common.type.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * A vector of DECIMAL values in one of three layouts, chosen by the data rather than the declared
 * precision:
 *
 * <ul>
 *   <li><b>scaled longs</b> ({@link #isScaledLong()}): every value is {@code unscaled / 10^scale}
 *       with {@code scale} the type's scale and the unscaled integer in a {@code long}, nulls in a
 *       null map as in {@link LongVector}. Every DECIMAL(p &lt;= 18) column is read this way, and
 *       so is every wider result whose values happen to fit (SUM states, {@code price * (1 -
 *       discount)}), so that kernels run on {@code long[]}. See docs/architecture.md ("DECIMAL as
 *       scaled longs").
 *   <li><b>128-bit</b> ({@link #isInt128()}): the unscaled integers at the type's scale as two
 *       parallel {@code long[]} halves ({@link Int128}), with a null map: DECIMAL(19..38) values
 *       that do not all fit a long.
 *   <li><b>boxed</b>: {@link BigDecimal} objects (each at its own scale), only for values that
 *       carry more digits than the type's scale or need more than 128 bits (rare expression
 *       results).
 * </ul>
 *
 * <p>{@link #getDecimal} reads every layout (boxing on demand); kernels on a hot path test {@link
 * #isScaledLong()} and read {@link #getUnscaled}, or test {@link #isUnboxed()} and read the halves
 * {@link #getHigh} and {@link #getLow} (which a scaled-long vector also answers). Immutable once
 * built.
 */
public final class DecimalVector implements ColumnVector {
  private final DataType type;
  private final int size;
  private final boolean mayHaveNulls;

  /**
   * The unscaled values at {@link #type}'s scale (the low halves in the 128-bit layout), or {@code
   * null} in the boxed layout.
   */
  private final long[] unscaled;

  /** The high halves of the 128-bit layout, or {@code null} in the other layouts. */
  private final long[] high;

  /** The null map of the unboxed layouts; {@code null} when no row is null. */
  private final boolean[] nulls;

  /** The values of the boxed layout (a null entry is SQL NULL), or {@code null}. */
  private final BigDecimal[] boxed;

  /**
   * A scaled-long vector; takes ownership of the arrays. {@code nulls} may be {@code null} when no
   * row is null; a null row's unscaled value is ignored.
   */
  public DecimalVector(DataType type, long[] unscaled, boolean[] nulls, int size) {
    this.type = type;
    this.unscaled = unscaled;
    this.high = null;
    this.nulls = nulls;
    this.boxed = null;
    this.size = size;
    this.mayHaveNulls = NullMask.anyNull(nulls, size);
  }

  /**
   * A 128-bit vector of unscaled values at the type's scale ({@link Int128} halves); takes
   * ownership of the arrays. {@code nulls} may be {@code null} when no row is null.
   */
  public DecimalVector(DataType type, long[] high, long[] low, boolean[] nulls, int size) {
    this.type = type;
    this.unscaled = low;
    this.high = high;
    this.nulls = nulls;
    this.boxed = null;
    this.size = size;
    this.mayHaveNulls = NullMask.anyNull(nulls, size);
  }

  /**
   * A vector of {@link BigDecimal} values (a null entry is SQL NULL); takes ownership of the array.
   * Uses the scaled-long layout when every value is exactly a long at the type's scale, else the
   * 128-bit layout when every value is exactly a 128-bit integer at that scale, else keeps the
   * boxes.
   */
  public DecimalVector(DataType type, BigDecimal[] values, int size) {
    this.type = type;
    this.size = size;
    boolean anyNull = false;
    for (int i = 0; i < size && !anyNull; i++) {
      anyNull = values[i] == null;
    }
    this.mayHaveNulls = anyNull;
    boolean[] nullMap = null;
    if (anyNull) {
      nullMap = new boolean[size];
      for (int i = 0; i < size; i++) {
        nullMap[i] = values[i] == null;
      }
    }
    long[] scaled = toScaledLongs(values, size, type.scale());
    long[] highs = null;
    if (scaled == null) {
      scaled = new long[size];
      highs = new long[size];
      if (!toInt128s(values, size, type.scale(), highs, scaled)) {
        scaled = null;
        highs = null;
      }
    }
    if (scaled != null) {
      this.unscaled = scaled;
      this.high = highs;
      this.nulls = nullMap;
      this.boxed = null;
    } else {
      this.unscaled = null;
      this.high = null;
      this.nulls = null;
      this.boxed = values;
    }
  }

  /**
   * Fills {@code highs} and {@code lows} with the unscaled 128-bit integers of {@code values} at
   * {@code scale}; false when one would round or needs more than 128 bits.
   */
  private static boolean toInt128s(
      BigDecimal[] values, int size, int scale, long[] highs, long[] lows) {
    for (int i = 0; i < size; i++) {
      BigDecimal value = values[i];
      if (value == null) {
        continue;
      }
      BigInteger integer = unscaledInteger(value, scale);
      if (integer == null || !Int128.fits(integer)) {
        return false;
      }
      highs[i] = Int128.high(integer);
      lows[i] = Int128.low(integer);
    }
    return true;
  }

  /**
   * The unscaled integer of {@code value} at {@code scale}, or {@code null} when it would round.
   */
  public static BigInteger unscaledInteger(BigDecimal value, int scale) {
    if (value.scale() == scale) {
      return value.unscaledValue();
    }
    try {
      return value.setScale(scale, RoundingMode.UNNECESSARY).unscaledValue();
    } catch (ArithmeticException wouldRound) {
      return null;
    }
  }

  /** The unscaled longs of {@code values} at {@code scale}, or {@code null} if one does not fit. */
  private static long[] toScaledLongs(BigDecimal[] values, int size, int scale) {
    long[] result = new long[size];
    for (int i = 0; i < size; i++) {
      BigDecimal value = values[i];
      if (value == null) {
        continue;
      }
      Long fitted = unscaledLong(value, scale);
      if (fitted == null) {
        return null;
      }
      result[i] = fitted;
    }
    return result;
  }

  /**
   * The unscaled value of {@code value} at {@code scale} as a long, or {@code null} when that would
   * round or needs more than 64 bits.
   */
  public static Long unscaledLong(BigDecimal value, int scale) {
    if (value.scale() == scale && value.precision() <= 18) {
      return value.unscaledValue().longValue();
    }
    BigInteger integer;
    try {
      integer = value.setScale(scale, RoundingMode.UNNECESSARY).unscaledValue();
    } catch (ArithmeticException wouldRound) {
      return null;
    }
    return integer.bitLength() < 64 ? integer.longValue() : null;
  }

  /** {@inheritDoc} {@code other} must have this vector's scale. */
  @Override
  public DecimalVector withType(DataType other) {
    if (other.scale() != type.scale()) {
      throw new IllegalArgumentException("cannot relabel " + type + " as " + other);
    }
    if (high != null) {
      return new DecimalVector(other, high, unscaled, nulls, size);
    }
    return unscaled != null
        ? new DecimalVector(other, unscaled, nulls, size)
        : new DecimalVector(other, boxed, size);
  }

  @Override
  public DataType type() {
    return type;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isNull(int row) {
    return unscaled != null ? NullMask.isNull(nulls, row) : boxed[row] == null;
  }

  @Override
  public boolean mayHaveNulls() {
    return mayHaveNulls;
  }

  /** Whether the values are scaled longs ({@link #getUnscaled}). */
  public boolean isScaledLong() {
    return unscaled != null && high == null;
  }

  /** Whether the values are unscaled 128-bit integers at the type's scale ({@link #getHigh}). */
  public boolean isInt128() {
    return high != null;
  }

  /**
   * Whether the values are unscaled integers at the type's scale, scaled longs or 128-bit: then
   * {@link #getHigh} and {@link #getLow} read every row.
   */
  public boolean isUnboxed() {
    return unscaled != null;
  }

  /**
   * Bits 64..127 of the unscaled value at {@code row} in either unboxed layout (the sign extension
   * of {@link #getUnscaled} in the scaled-long one); undefined when the row is null.
   */
  public long getHigh(int row) {
    return high != null ? high[row] : unscaled[row] >> 63;
  }

  /** Bits 0..63 of the unscaled value at {@code row} in either unboxed layout. */
  public long getLow(int row) {
    return unscaled[row];
  }

  /** The scale of {@link #getUnscaled}'s values: the type's. */
  public int scale() {
    return type.scale();
  }

  /**
   * The unscaled value at {@code row} (the value is {@code getUnscaled(row) / 10^scale()}); only in
   * the scaled-long layout, undefined when the row is null.
   */
  public long getUnscaled(int row) {
    return unscaled[row];
  }

  /** The value at {@code row}, or {@code null}; boxes a scaled long. */
  public BigDecimal getDecimal(int row) {
    if (unscaled == null) {
      return boxed[row];
    }
    if (NullMask.isNull(nulls, row)) {
      return null;
    }
    return high == null || Int128.fitsLong(high[row], unscaled[row])
        ? BigDecimal.valueOf(unscaled[row], type.scale())
        : new BigDecimal(Int128.toBigInteger(high[row], unscaled[row]), type.scale());
  }

  @Override
  public Object getObject(int row) {
    return getDecimal(row);
  }
}
