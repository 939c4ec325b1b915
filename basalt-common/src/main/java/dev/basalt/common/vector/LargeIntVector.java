package dev.basalt.common.vector;

import dev.basalt.common.type.DataType;
import java.math.BigInteger;

/**
 * A vector of LARGEINT values: true 128-bit integers as two parallel {@code long[]} arrays, the
 * high and the low halves ({@link Int128}), with a null map as in {@link LongVector}. Kernels read
 * {@link #getHigh} and {@link #getLow}; {@link #getLargeInt} boxes a value for code off the hot
 * path. Immutable once built.
 */
public final class LargeIntVector implements ColumnVector {
  private final DataType type;
  private final long[] high;
  private final long[] low;
  private final boolean[] nulls;
  private final int size;
  private final boolean mayHaveNulls;

  /**
   * Takes ownership of the arrays; {@code nulls} may be {@code null} when no row is null; a null
   * row's halves are ignored.
   */
  public LargeIntVector(DataType type, long[] high, long[] low, boolean[] nulls, int size) {
    this.type = type;
    this.high = high;
    this.low = low;
    this.nulls = nulls;
    this.size = size;
    this.mayHaveNulls = NullMask.anyNull(nulls, size);
  }

  /**
   * A vector of {@link BigInteger} values (a null entry is SQL NULL), each within 128 bits; copies
   * them into halves.
   */
  public LargeIntVector(DataType type, BigInteger[] values, int size) {
    this.type = type;
    this.size = size;
    this.high = new long[size];
    this.low = new long[size];
    boolean[] nullMap = null;
    for (int i = 0; i < size; i++) {
      BigInteger value = values[i];
      if (value == null) {
        nullMap = nullMap == null ? new boolean[size] : nullMap;
        nullMap[i] = true;
      } else {
        high[i] = Int128.high(value);
        low[i] = Int128.low(value);
      }
    }
    this.nulls = nullMap;
    this.mayHaveNulls = nullMap != null;
  }

  @Override
  public LargeIntVector withType(DataType other) {
    return new LargeIntVector(other, high, low, nulls, size);
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
    return NullMask.isNull(nulls, row);
  }

  @Override
  public boolean mayHaveNulls() {
    return mayHaveNulls;
  }

  /** Bits 64..127 of the value at {@code row}; undefined when the row is null. */
  public long getHigh(int row) {
    return high[row];
  }

  /** Bits 0..63 of the value at {@code row}; undefined when the row is null. */
  public long getLow(int row) {
    return low[row];
  }

  /** The value at {@code row}, or {@code null}; boxes. */
  public BigInteger getLargeInt(int row) {
    return isNull(row) ? null : Int128.toBigInteger(high[row], low[row]);
  }

  @Override
  public Object getObject(int row) {
    return getLargeInt(row);
  }
}
