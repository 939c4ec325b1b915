package dev.basalt.common.vector;

/** Shared null-map helpers for the vector implementations; {@code null} means "no nulls". */
final class NullMask {
  private NullMask() {}

  static boolean isNull(boolean[] nulls, int row) {
    return nulls != null && nulls[row];
  }

  static boolean anyNull(boolean[] nulls, int size) {
    if (nulls == null) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (nulls[i]) {
        return true;
      }
    }
    return false;
  }
}
