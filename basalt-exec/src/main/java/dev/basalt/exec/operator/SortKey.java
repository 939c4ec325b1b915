package dev.basalt.exec.operator;

import java.util.Comparator;
import java.util.List;

/**
 * One ORDER BY key: input column, direction and where NULLs go (MySQL puts NULLs first in ascending
 * order and last in descending order; the planner passes what the query asked for).
 */
public record SortKey(int column, boolean descending, boolean nullsFirst) {

  /** Orders boxed rows by these keys. */
  public static Comparator<Object[]> comparator(List<SortKey> keys) {
    return (left, right) -> {
      for (SortKey key : keys) {
        int order = compareNullable(left[key.column], right[key.column], key.nullsFirst);
        if (order != 0) {
          boolean bothPresent = left[key.column] != null && right[key.column] != null;
          return key.descending && bothPresent ? -order : order;
        }
      }
      return 0;
    };
  }

  private static int compareNullable(Object left, Object right, boolean nullsFirst) {
    if (left == null || right == null) {
      if (left == right) {
        return 0;
      }
      return (left == null) == nullsFirst ? -1 : 1;
    }
    return compareValues(left, right);
  }

  /**
   * Compares two non-null boxed values of the same type, in the order the rest of the engine uses:
   * -0.0 equals 0.0 (NaN sorts last), and strings compare by code point, which is the order of
   * their UTF-8 bytes (String.compareTo's UTF-16 order differs above U+FFFF).
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static int compareValues(Object left, Object right) {
    if (left instanceof Double leftDouble && right instanceof Double rightDouble) {
      double a = leftDouble;
      double b = rightDouble;
      return a == b ? 0 : Double.compare(a, b);
    }
    if (left instanceof String leftText && right instanceof String rightText) {
      return compareCodePoints(leftText, rightText);
    }
    return ((Comparable) left).compareTo(right);
  }

  private static int compareCodePoints(String left, String right) {
    int leftIndex = 0;
    int rightIndex = 0;
    while (leftIndex < left.length() && rightIndex < right.length()) {
      int leftCodePoint = left.codePointAt(leftIndex);
      int rightCodePoint = right.codePointAt(rightIndex);
      if (leftCodePoint != rightCodePoint) {
        return Integer.compare(leftCodePoint, rightCodePoint);
      }
      leftIndex += Character.charCount(leftCodePoint);
      rightIndex += Character.charCount(rightCodePoint);
    }
    return Integer.compare(left.length() - leftIndex, right.length() - rightIndex);
  }
}
