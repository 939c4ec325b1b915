package dev.basalt.exec.function.scalar;

import dev.basalt.common.vector.ColumnVector;

/** Small helpers shared by the vectorized kernels of this package. */
final class Kernels {
  private Kernels() {}

  /**
   * The union of the null maps of {@code left} and {@code right}, or {@code null} if no row is
   * null.
   */
  static boolean[] mergeNulls(ColumnVector left, ColumnVector right, int rowCount) {
    if (!left.mayHaveNulls() && !right.mayHaveNulls()) {
      return null;
    }
    boolean[] nulls = new boolean[rowCount];
    for (int i = 0; i < rowCount; i++) {
      nulls[i] = left.isNull(i) || right.isNull(i);
    }
    return nulls;
  }

  /** The null map of {@code vector}, or {@code null} if no row is null. */
  static boolean[] nullsOf(ColumnVector vector, int rowCount) {
    if (!vector.mayHaveNulls()) {
      return null;
    }
    boolean[] nulls = new boolean[rowCount];
    for (int i = 0; i < rowCount; i++) {
      nulls[i] = vector.isNull(i);
    }
    return nulls;
  }

  /** Marks row {@code row} null, allocating the map on first use. */
  static boolean[] setNull(boolean[] nulls, int row, int rowCount) {
    boolean[] result = nulls == null ? new boolean[rowCount] : nulls;
    result[row] = true;
    return result;
  }
}
