package dev.basalt.storage.segment;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * A comparison of one requested column with a constant that every row a filtered scan returns
 * satisfies ({@code column <op> value}); used to skip whole segments and row ranges whose zone maps
 * prove that no row can satisfy it. A comparison is never TRUE for a NULL row, so a zone with only
 * NULLs is skipped.
 *
 * <p>Only values whose order the zone map keeps exactly are accepted: integers ({@link Long}),
 * {@link BigDecimal}, {@link Double}, {@link LocalDate} and {@link LocalDateTime}, each compared
 * with values of its own kind (integers and decimals with each other). Strings are not bounds:
 * their comparison may ignore trailing spaces (CHAR), which the zone map's byte order does not.
 *
 * @param column the index of the column in the scan's request list
 * @param comparison how the column compares with {@code value}
 * @param value the constant in the {@code Values} representation, not {@code null}
 */
public record ColumnBound(int column, Comparison comparison, Object value) {

  /** The comparisons a bound can express. */
  public enum Comparison {
    EQUAL,
    LESS,
    LESS_OR_EQUAL,
    GREATER,
    GREATER_OR_EQUAL
  }

  public ColumnBound {
    if (!supported(value)) {
      throw new IllegalArgumentException("no zone-map bound for a value of " + value.getClass());
    }
  }

  /** Whether {@code value} is of a kind a bound accepts. */
  public static boolean supported(Object value) {
    return value instanceof Long
        || value instanceof BigDecimal
        || value instanceof Double
        || value instanceof LocalDate
        || value instanceof LocalDateTime;
  }

  /** Whether some row of a zone with these bounds may satisfy the comparison. */
  public boolean mayMatch(ZoneMap zone) {
    if (zone.min() == null) {
      // Only NULLs (or no rows): no comparison holds. A string max may be absent, never a min.
      return false;
    }
    Integer lowest = compare(zone.min(), value);
    Integer highest = zone.max() == null ? null : compare(zone.max(), value);
    if (lowest == null || (zone.max() != null && highest == null)) {
      return true;
    }
    return switch (comparison) {
      case EQUAL -> lowest <= 0 && (highest == null || highest >= 0);
      case LESS -> lowest < 0;
      case LESS_OR_EQUAL -> lowest <= 0;
      case GREATER -> highest == null || highest > 0;
      case GREATER_OR_EQUAL -> highest == null || highest >= 0;
    };
  }

  /** The order of two values, or {@code null} when they are not of comparable kinds. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Integer compare(Object zoneValue, Object constant) {
    if (zoneValue instanceof Double left && constant instanceof Double right) {
      // SQL compares -0.0 equal to 0.0 (the zone map orders them); NaN is left unpruned.
      return left.isNaN() || right.isNaN() ? null : Double.compare(left + 0.0, right + 0.0);
    }
    if (zoneValue.getClass() == constant.getClass() && constant instanceof Comparable comparable) {
      return Integer.signum(((Comparable) zoneValue).compareTo(comparable));
    }
    BigDecimal left = exactDecimal(zoneValue);
    BigDecimal right = exactDecimal(constant);
    return left == null || right == null ? null : Integer.signum(left.compareTo(right));
  }

  private static BigDecimal exactDecimal(Object value) {
    return switch (value) {
      case Long integer -> BigDecimal.valueOf(integer);
      case BigInteger integer -> new BigDecimal(integer);
      case BigDecimal decimal -> decimal;
      default -> null;
    };
  }
}
