package dev.basalt.exec.function.scalar;

import dev.basalt.common.vector.ColumnVector;
import java.util.List;

/**
 * Small helpers shared by the vectorized kernels of this package.
 *
 * <p>Constant vectors ({@link dev.basalt.exec.function.ScalarFunction#takesConstantVectors}): a
 * kernel reads argument {@code a} at {@code row & rowMask(a, rowCount)}, which is {@code row} for a
 * full vector and 0 for a constant one, so one loop serves both without a branch per row.
 */
final class Kernels {
  private Kernels() {}

  /**
   * The mask to apply to a row number before reading {@code vector}: 0 for a constant vector (one
   * row standing for all {@code rowCount}), -1 (all bits) for a vector of {@code rowCount} rows.
   */
  static int rowMask(ColumnVector vector, int rowCount) {
    return vector.size() == 1 && rowCount > 1 ? 0 : -1;
  }

  /** Whether {@code vector} is a constant vector for a batch of {@code rowCount} rows. */
  static boolean isConstant(ColumnVector vector, int rowCount) {
    return rowMask(vector, rowCount) == 0;
  }

  /**
   * The union of the null maps of {@code left} and {@code right} (either may be a constant vector),
   * or {@code null} if no row is null.
   */
  static boolean[] mergeNulls(ColumnVector left, ColumnVector right, int rowCount) {
    return mergeNulls(List.of(left, right), rowCount);
  }

  /**
   * The union of the null maps of {@code vectors} (any may be a constant vector), or {@code null}
   * if no row is null.
   */
  static boolean[] mergeNulls(List<ColumnVector> vectors, int rowCount) {
    boolean[] nulls = null;
    for (ColumnVector vector : vectors) {
      if (!vector.mayHaveNulls()) {
        continue;
      }
      nulls = nulls == null ? new boolean[rowCount] : nulls;
      int mask = rowMask(vector, rowCount);
      for (int i = 0; i < rowCount; i++) {
        nulls[i] |= vector.isNull(i & mask);
      }
    }
    return nulls;
  }

  /** The null map of {@code vector} (possibly constant), or {@code null} if no row is null. */
  static boolean[] nullsOf(ColumnVector vector, int rowCount) {
    return mergeNulls(List.of(vector), rowCount);
  }

  /** Marks row {@code row} null, allocating the map on first use. */
  static boolean[] setNull(boolean[] nulls, int row, int rowCount) {
    boolean[] result = nulls == null ? new boolean[rowCount] : nulls;
    result[row] = true;
    return result;
  }

  /** Whether row {@code row} is marked in {@code nulls} (which may be {@code null}: none is). */
  static boolean isNull(boolean[] nulls, int row) {
    return nulls != null && nulls[row];
  }
}
