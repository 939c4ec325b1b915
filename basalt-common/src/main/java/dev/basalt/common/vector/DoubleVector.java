package dev.basalt.common.vector;

import dev.basalt.common.type.DataType;

/** A vector of FLOAT or DOUBLE values. */
public final class DoubleVector implements ColumnVector {
  private final DataType type;
  private final double[] values;
  private final boolean[] nulls;
  private final int size;
  private final boolean mayHaveNulls;

  /** Takes ownership of the arrays; {@code nulls} may be {@code null} when no row is null. */
  public DoubleVector(DataType type, double[] values, boolean[] nulls, int size) {
    this.type = type;
    this.values = values;
    this.nulls = nulls;
    this.size = size;
    this.mayHaveNulls = NullMask.anyNull(nulls, size);
  }

  @Override
  public DoubleVector withType(DataType other) {
    return new DoubleVector(other, values, nulls, size);
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

  public double getDouble(int row) {
    return values[row];
  }

  @Override
  public Object getObject(int row) {
    return isNull(row) ? null : values[row];
  }
}
