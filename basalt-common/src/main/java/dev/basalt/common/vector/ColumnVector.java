package dev.basalt.common.vector;

import dev.basalt.common.type.DataType;

/**
 * An immutable column of values of one {@link DataType}: the unit operators and the storage readers
 * exchange inside a {@link Batch}.
 *
 * <p>Each physical layout has its own implementation ({@link LongVector}, {@link DoubleVector},
 * {@link DecimalVector}, {@link LargeIntVector}, {@link BytesVector}) with a typed getter that hot
 * loops use; {@link #getObject} returns the value in the representation of {@link Values} for code
 * that is not on a hot path. Vectors are built once by a {@link ColumnVectorBuilder} and never
 * change afterwards, so they may be shared between threads.
 */
public sealed interface ColumnVector
    permits LongVector, DoubleVector, DecimalVector, LargeIntVector, BytesVector {

  DataType type();

  int size();

  boolean isNull(int row);

  /** True when at least one row is null; lets kernels skip null checks. */
  boolean mayHaveNulls();

  /** The value at {@code row} as described in {@link Values}, or {@code null}. */
  Object getObject(int row);

  /**
   * The same values declared as {@code other}, a type of the same physical layout whose values read
   * the same (a wider integer, DOUBLE for FLOAT, a longer string, a DECIMAL of the same scale and
   * more digits: {@link dev.basalt.common.type.StoredTypeChange}); shares the arrays.
   */
  ColumnVector withType(DataType other);
}
