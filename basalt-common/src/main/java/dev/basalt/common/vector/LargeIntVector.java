package dev.basalt.common.vector;

import dev.basalt.common.type.DataType;
import java.math.BigInteger;

/** A vector of LARGEINT (128-bit) values; a null entry is a SQL NULL. */
public final class LargeIntVector implements ColumnVector {
  private final DataType type;
  private final BigInteger[] values;
  private final int size;
  private final boolean mayHaveNulls;

  /** Takes ownership of the array. */
  public LargeIntVector(DataType type, BigInteger[] values, int size) {
    this.type = type;
    this.values = values;
    this.size = size;
    boolean anyNull = false;
    for (int i = 0; i < size && !anyNull; i++) {
      anyNull = values[i] == null;
    }
    this.mayHaveNulls = anyNull;
  }

  @Override
  public LargeIntVector withType(DataType other) {
    return new LargeIntVector(other, values, size);
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
    return values[row] == null;
  }

  @Override
  public boolean mayHaveNulls() {
    return mayHaveNulls;
  }

  public BigInteger getLargeInt(int row) {
    return values[row];
  }

  @Override
  public Object getObject(int row) {
    return values[row];
  }
}
