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

  /** Compares two non-null boxed values of the same type. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static int compareValues(Object left, Object right) {
    return ((Comparable) left).compareTo(right);
  }
}
