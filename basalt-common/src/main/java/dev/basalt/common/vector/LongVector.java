package dev.basalt.common.vector;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.PhysicalType;

/** A vector of values whose physical layout is {@link PhysicalType#LONG}. */
public final class LongVector implements ColumnVector {
  private final DataType type;
  private final long[] values;
  private final boolean[] nulls;
  private final int size;
  private final boolean mayHaveNulls;

  /** Takes ownership of the arrays; {@code nulls} may be {@code null} when no row is null. */
  public LongVector(DataType type, long[] values, boolean[] nulls, int size) {
    this.type = type;
    this.values = values;
    this.nulls = nulls;
    this.size = size;
    this.mayHaveNulls = NullMask.anyNull(nulls, size);
  }

  @Override
  public LongVector withType(DataType other) {
    return new LongVector(other, values, nulls, size);
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

  /** The raw encoding at {@code row}; undefined when the row is null. */
  public long getLong(int row) {
    return values[row];
  }

  @Override
  public Object getObject(int row) {
    return isNull(row) ? null : Values.fromLong(type, values[row]);
  }
}
