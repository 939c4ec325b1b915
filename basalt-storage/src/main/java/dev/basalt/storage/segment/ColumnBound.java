package dev.basalt.storage.segment;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

/**
 * A comparison of one requested column with a constant that every row a filtered scan returns
 * satisfies ({@code column <op> value}); used to skip whole segments and row ranges whose zone maps
 * prove that no row can satisfy it. A comparison is never TRUE for a NULL row, so a zone with only
 * NULLs is skipped.
 *
 * <p>Only values whose order the zone map keeps exactly are accepted: integers ({@link Long}),
 * {@link BigDecimal}, {@link Double}, {@link LocalDate}, {@link LocalDateTime} and {@link String},
 * each compared with values of its own kind (integers and decimals with each other). A string bound
 * compares the way the zone map orders strings: by code point (the order of their UTF-8 bytes,
 * unsigned), every byte counted, trailing spaces included. A SQL comparison that ignores trailing
 * spaces (one with a CHAR operand) is not such a bound as it stands: {@link #ofStrings} turns it
 * into raw-byte bounds that every row satisfying it satisfies.
 *
 * @param column the index of the column in the scan's request list
 * @param comparison how the column compares with {@code value}
 * @param value the constant in the {@code Values} representation, not {@code null}
 */
public record ColumnBound(int column, Comparison comparison, Object value) {

  /** The comparisons a bound can express. */
  public enum Comparison {
    EQUAL,
    /** {@code column <> value}: rules out only a zone whose every value equals {@code value}. */
    NOT_EQUAL,
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
        || value instanceof LocalDateTime
        || value instanceof String;
  }

  /**
   * The raw-byte bounds implied by the SQL comparison {@code column <op> constant} of strings, as
   * Basalt evaluates it ({@code ComparisonFunctions}: UTF-8 bytes compared unsigned, and when
   * {@code padSpace} (either operand is CHAR) trailing spaces of both sides ignored). Every row
   * that satisfies the comparison satisfies each returned bound; the list may be empty.
   *
   * <p>Without {@code padSpace} the comparison is the bound itself. With it, let {@code c} be the
   * constant without its trailing spaces; the rows equal to it are {@code c} followed by any number
   * of spaces, all of which lie in {@code [c, c + "!")} ({@code '!'} is the byte after the space).
   * A row greater than {@code c} once its spaces are stripped is greater than {@code c} as it is
   * stored. A row less than {@code c} once stripped is less than {@code c} as stored, unless {@code
   * c} holds a byte below the space (a control character) that the row's trailing spaces outrank:
   * the upper bound is then cut to {@code c}'s part before that byte, followed by {@code '!'}.
   */
  public static List<ColumnBound> ofStrings(
      int column, Comparison comparison, String constant, boolean padSpace) {
    if (!wellFormed(constant)) {
      return List.of();
    }
    if (!padSpace) {
      return List.of(new ColumnBound(column, comparison, constant));
    }
    String stripped = withoutTrailingSpaces(constant);
    int control = 0;
    while (control < stripped.length() && stripped.charAt(control) >= ' ') {
      control++;
    }
    String beforeControl = stripped.substring(0, control) + "!";
    return switch (comparison) {
      case EQUAL ->
          List.of(
              new ColumnBound(column, Comparison.GREATER_OR_EQUAL, stripped),
              new ColumnBound(column, Comparison.LESS, stripped + "!"));
      // Rules out only a zone all of whose values are exactly c, each of which is equal to c.
      case NOT_EQUAL -> List.of(new ColumnBound(column, Comparison.NOT_EQUAL, stripped));
      case GREATER, GREATER_OR_EQUAL -> List.of(new ColumnBound(column, comparison, stripped));
      case LESS ->
          List.of(
              control == stripped.length()
                  ? new ColumnBound(column, Comparison.LESS, stripped)
                  : new ColumnBound(column, Comparison.LESS, beforeControl));
      case LESS_OR_EQUAL -> List.of(new ColumnBound(column, Comparison.LESS, beforeControl));
    };
  }

  /**
   * Raw-byte bounds that hold for every row satisfying {@code column <op> constant} under either
   * rule, trailing spaces significant or ignored (for comparisons with a CHAR side, which the
   * engine does not evaluate by one rule on every path): the looser of the two rules' bounds of
   * {@link #ofStrings}.
   */
  public static List<ColumnBound> ofStringsUnderEitherRule(
      int column, Comparison comparison, String constant) {
    if (!wellFormed(constant)) {
      return List.of();
    }
    return switch (comparison) {
      // c lies in the padded range, and above what c is without its trailing spaces.
      case EQUAL, GREATER, GREATER_OR_EQUAL -> ofStrings(column, comparison, constant, true);
      // A zone of only c: each value is c, also without trailing spaces.
      case NOT_EQUAL -> List.of(new ColumnBound(column, Comparison.NOT_EQUAL, constant));
      case LESS, LESS_OR_EQUAL -> {
        String padded = (String) ofStrings(column, comparison, constant, true).get(0).value();
        String upper = compareCodePoints(padded, constant) >= 0 ? padded : constant;
        yield List.of(new ColumnBound(column, Comparison.LESS_OR_EQUAL, upper));
      }
    };
  }

  /**
   * The raw-byte bounds of {@code column LIKE prefix%...}: the strings that start with {@code
   * prefix} (the pattern's literal characters before its first wildcard, escapes resolved; LIKE
   * compares bytes and keeps trailing spaces), i.e. {@code [prefix, successor)} where the successor
   * is the prefix with its last code point raised by one. Empty when the prefix is.
   */
  public static List<ColumnBound> ofPrefix(int column, String prefix) {
    if (prefix.isEmpty() || !wellFormed(prefix)) {
      return List.of();
    }
    int last = prefix.codePointBefore(prefix.length());
    String head = prefix.substring(0, prefix.length() - Character.charCount(last));
    ColumnBound lower = new ColumnBound(column, Comparison.GREATER_OR_EQUAL, prefix);
    if (last == Character.MAX_CODE_POINT) {
      // No successor of the same length; the strings starting with the shorter head bound them.
      List<ColumnBound> shorter = ofPrefix(column, head);
      return shorter.size() < 2 ? List.of(lower) : List.of(lower, shorter.get(1));
    }
    int next = last + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : last + 1;
    return List.of(
        lower,
        new ColumnBound(column, Comparison.LESS, head + new String(Character.toChars(next))));
  }

  /**
   * Whether every surrogate is paired: a lone one has no UTF-8 form (it is stored as {@code ?}), so
   * its place in the code point order says nothing about the stored bytes.
   */
  private static boolean wellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char unit = text.charAt(i);
      if (Character.isHighSurrogate(unit)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(unit)) {
        return false;
      }
    }
    return true;
  }

  private static String withoutTrailingSpaces(String text) {
    int end = text.length();
    while (end > 0 && text.charAt(end - 1) == ' ') {
      end--;
    }
    return text.substring(0, end);
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
      // min <= v <= max and min = max = value: every value equals it.
      case NOT_EQUAL -> !(lowest == 0 && highest != null && highest == 0);
      case LESS -> lowest < 0;
      case LESS_OR_EQUAL -> lowest <= 0;
      case GREATER -> highest == null || highest > 0;
      case GREATER_OR_EQUAL -> highest == null || highest >= 0;
    };
  }

  /**
   * The order of two bound values as zone maps order them (-1, 0 or 1), or {@code null} when they
   * are not of comparable kinds.
   */
  public static Integer order(Object left, Object right) {
    return compare(left, right);
  }

  /** The order of two values, or {@code null} when they are not of comparable kinds. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Integer compare(Object zoneValue, Object constant) {
    if (zoneValue instanceof Double left && constant instanceof Double right) {
      // SQL compares -0.0 equal to 0.0 (the zone map orders them); NaN is left unpruned.
      return left.isNaN() || right.isNaN() ? null : Double.compare(left + 0.0, right + 0.0);
    }
    if (zoneValue instanceof String left && constant instanceof String right) {
      return Integer.signum(compareCodePoints(left, right));
    }
    if (zoneValue.getClass() == constant.getClass() && constant instanceof Comparable comparable) {
      return Integer.signum(((Comparable) zoneValue).compareTo(comparable));
    }
    BigDecimal left = exactDecimal(zoneValue);
    BigDecimal right = exactDecimal(constant);
    return left == null || right == null ? null : Integer.signum(left.compareTo(right));
  }

  /**
   * Code point order, which is the order of the strings' UTF-8 bytes compared unsigned (the zone
   * map's and the comparison kernels' order); {@link String#compareTo} compares UTF-16 units, which
   * puts U+E000..U+FFFF after the supplementary characters.
   */
  public static int compareCodePoints(String left, String right) {
    int common = Math.min(left.length(), right.length());
    for (int i = 0; i < common; i++) {
      char a = left.charAt(i);
      char b = right.charAt(i);
      if (a != b) {
        return Integer.compare(codePointRank(a), codePointRank(b));
      }
    }
    return Integer.compare(left.length(), right.length());
  }

  /** Moves surrogates above U+E000..U+FFFF so that UTF-16 units order as code points do. */
  private static int codePointRank(char unit) {
    if (unit < Character.MIN_SURROGATE) {
      return unit;
    }
    return unit > Character.MAX_SURROGATE ? unit - 0x800 : unit + 0x2000;
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
