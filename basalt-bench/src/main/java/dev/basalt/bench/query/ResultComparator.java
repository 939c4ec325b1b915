package dev.basalt.bench.query;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Decides whether a result equals a reference result from another engine.
 *
 * <p>Numbers are equal when they agree to a relative 1e-6, or when they are equal after rounding
 * both to the smaller of their two scales, or when they differ by at most one unit of that smaller
 * scale if it is fractional (engines choose different result scales for decimal division and
 * averages, and round or truncate the last digit differently). Text compares exactly after trailing
 * blanks are removed; {@code null} equals only {@code null}. Rows compare in order when the query
 * orders its result, otherwise as multisets.
 */
public final class ResultComparator {
  private static final BigDecimal RELATIVE_TOLERANCE = new BigDecimal("1e-6");
  private static final MathContext SORT_PRECISION = new MathContext(6, RoundingMode.HALF_EVEN);

  private ResultComparator() {}

  /**
   * Compares {@code actual} with {@code expected}.
   *
   * @param ordered whether row order matters (the query has a top-level ORDER BY)
   * @return {@code null} when they are equal, otherwise a short description of the first difference
   */
  public static String difference(
      List<List<Object>> expected, List<List<Object>> actual, boolean ordered) {
    if (expected.size() != actual.size()) {
      return "expected " + expected.size() + " rows, got " + actual.size();
    }
    List<List<Object>> expectedRows = expected;
    List<List<Object>> actualRows = actual;
    if (!ordered) {
      expectedRows = sorted(expected);
      actualRows = sorted(actual);
    }
    for (int row = 0; row < expectedRows.size(); row++) {
      List<Object> expectedRow = expectedRows.get(row);
      List<Object> actualRow = actualRows.get(row);
      if (expectedRow.size() != actualRow.size()) {
        return "expected " + expectedRow.size() + " columns, got " + actualRow.size();
      }
      for (int column = 0; column < expectedRow.size(); column++) {
        if (!valuesEqual(expectedRow.get(column), actualRow.get(column))) {
          String difference =
              "row "
                  + (row + 1)
                  + " column "
                  + (column + 1)
                  + ": expected "
                  + expectedRow.get(column)
                  + ", got "
                  + actualRow.get(column);
          if (ordered && difference(expected, actual, false) == null) {
            return "same rows in a different order; " + difference;
          }
          return difference;
        }
      }
    }
    return null;
  }

  /** Whether two normalized values are equal under the rules of this class. */
  public static boolean valuesEqual(Object expected, Object actual) {
    if (expected instanceof BigDecimal expectedNumber
        && actual instanceof BigDecimal actualNumber) {
      return numbersEqual(expectedNumber, actualNumber);
    }
    return Objects.equals(expected, actual);
  }

  private static boolean numbersEqual(BigDecimal expected, BigDecimal actual) {
    if (expected.compareTo(actual) == 0) {
      return true;
    }
    BigDecimal difference = expected.subtract(actual).abs();
    BigDecimal magnitude = expected.abs().max(actual.abs());
    if (difference.compareTo(magnitude.multiply(RELATIVE_TOLERANCE)) <= 0) {
      return true;
    }
    int scale = Math.max(0, Math.min(expected.scale(), actual.scale()));
    if (expected
            .setScale(scale, RoundingMode.HALF_UP)
            .compareTo(actual.setScale(scale, RoundingMode.HALF_UP))
        == 0) {
      return true;
    }
    // One unit of a fractional last digit (rounding versus truncation); never for integers.
    return scale > 0 && difference.compareTo(BigDecimal.ONE.movePointLeft(scale)) <= 0;
  }

  private static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(ResultComparator::sortKey));
    return copy;
  }

  /** A text key that orders rows the same way in both engines despite small numeric differences. */
  private static String sortKey(List<Object> row) {
    StringBuilder key = new StringBuilder();
    for (Object value : row) {
      if (value == null) {
        key.append("\u0000null");
      } else if (value instanceof BigDecimal number) {
        key.append(number.round(SORT_PRECISION).stripTrailingZeros().toPlainString());
      } else {
        key.append(value);
      }
      key.append('\u0001');
    }
    return key.toString();
  }
}
