package dev.basalt.common.vector;

import dev.basalt.common.type.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * A vector of DECIMAL values in one of two layouts, chosen by the data rather than the declared
 * precision:
 *
 * <ul>
 *   <li><b>scaled longs</b> ({@link #isScaledLong()}): every value is {@code unscaled / 10^scale}
 *       with {@code scale} the type's scale and the unscaled integer in a {@code long}, nulls in a
 *       null map as in {@link LongVector}. Every DECIMAL(p &lt;= 18) column is read this way, and
 *       so is every wider result whose values happen to fit (SUM states, {@code price * (1 -
 *       discount)}), so that kernels run on {@code long[]}. See docs/architecture.md ("DECIMAL as
 *       scaled longs").
 *   <li><b>boxed</b>: {@link BigDecimal} objects (each at its own scale), for values whose unscaled
 *       integer needs more than 64 bits or that carry more digits than the type's scale.
 * </ul>
 *
 * <p>{@link #getDecimal} reads either layout (boxing a scaled long on demand); kernels on a hot
 * path test {@link #isScaledLong()} and read {@link #getUnscaled}. Immutable once built.
 */
public final class DecimalVector implements ColumnVector {
  private final DataType type;
  private final int size;
  private final boolean mayHaveNulls;

  /** The unscaled values at {@link #type}'s scale, or {@code null} in the boxed layout. */
  private final long[] unscaled;

  /** The null map of the scaled-long layout; {@code null} when no row is null. */
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
    this.nulls = nulls;
    this.boxed = null;
    this.size = size;
    this.mayHaveNulls = NullMask.anyNull(nulls, size);
  }

  /**
   * A vector of {@link BigDecimal} values (a null entry is SQL NULL); takes ownership of the array.
   * When every value is exactly representable as a scaled long at the type's scale, the vector uses
   * that layout instead.
   */
  public DecimalVector(DataType type, BigDecimal[] values, int size) {
    this.type = type;
    this.size = size;
    long[] scaled = toScaledLongs(values, size, type.scale());
    boolean anyNull = false;
    for (int i = 0; i < size && !anyNull; i++) {
      anyNull = values[i] == null;
    }
    this.mayHaveNulls = anyNull;
    if (scaled != null) {
      boolean[] nullMap = null;
      if (anyNull) {
        nullMap = new boolean[size];
        for (int i = 0; i < size; i++) {
          nullMap[i] = values[i] == null;
        }
      }
      this.unscaled = scaled;
      this.nulls = nullMap;
      this.boxed = null;
    } else {
      this.unscaled = null;
      this.nulls = null;
      this.boxed = values;
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

  /** Whether the values are scaled longs ({@link #getUnscaled}) rather than boxed. */
  public boolean isScaledLong() {
    return unscaled != null;
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
    return NullMask.isNull(nulls, row) ? null : BigDecimal.valueOf(unscaled[row], type.scale());
  }

  @Override
  public Object getObject(int row) {
    return getDecimal(row);
  }
}
