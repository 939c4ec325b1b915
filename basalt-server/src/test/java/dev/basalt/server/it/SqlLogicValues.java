package dev.basalt.server.it;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * How the sqllogictest runner turns a result value into the text it compares, by the column's type
 * letter. The value comes from {@code ResultSet.getString} (the text the server sent, as the mysql
 * client would show it).
 *
 * <ul>
 *   <li>SQL NULL prints as {@code NULL}; the empty string prints as {@code (empty)} (DuckDB's
 *       convention, since an empty field cannot be seen in a tab-separated line).
 *   <li>{@code I}: integers as sent; a number with a zero fraction ({@code 3.00}) prints without it
 *       ({@code 3}); {@code true}/{@code false} print as {@code 1}/{@code 0}. Anything else is
 *       kept, so that a wrong value shows as a difference.
 *   <li>{@code R}: rounded half-up to 3 decimal places, trailing zeros removed, plain notation, no
 *       negative zero: {@code 2.50} → {@code 2.5}, {@code 1/3} → {@code 0.333}, {@code 1.0E10} →
 *       {@code 10000000000}, {@code -0.0001} → {@code 0}. Infinities and NaN print as {@code inf},
 *       {@code -inf}, {@code nan}. Expected values in R columns go through the same rounding, so a
 *       file may write {@code 2.50} or {@code 2.5}.
 *   <li>{@code T}: the text as sent (dates as {@code 2024-01-31}, datetimes as {@code 2024-01-31
 *       10:00:00}, booleans as the server sends them).
 * </ul>
 *
 * Stateless; thread safe.
 */
final class SqlLogicValues {

  static final String NULL_TEXT = "NULL";
  static final String EMPTY_TEXT = "(empty)";
  private static final int REAL_DECIMALS = 3;

  private SqlLogicValues() {}

  /** The comparable text of one actual value ({@code null} for SQL NULL). */
  static String normalizeActual(char typeLetter, String value) {
    if (value == null) {
      return NULL_TEXT;
    }
    if (value.isEmpty()) {
      return EMPTY_TEXT;
    }
    return switch (typeLetter) {
      case 'I' -> normalizeInteger(value);
      case 'R' -> normalizeReal(value);
      default -> value;
    };
  }

  /** The comparable text of one expected value as written in a file. */
  static String normalizeExpected(char typeLetter, String value) {
    if (typeLetter == 'R' && !value.equals(NULL_TEXT) && !value.equals(EMPTY_TEXT)) {
      return normalizeReal(value);
    }
    return value;
  }

  static String normalizeInteger(String value) {
    if (value.equalsIgnoreCase("true")) {
      return "1";
    }
    if (value.equalsIgnoreCase("false")) {
      return "0";
    }
    if (value.indexOf('.') < 0 && value.indexOf('e') < 0 && value.indexOf('E') < 0) {
      return value;
    }
    try {
      BigDecimal number = new BigDecimal(value);
      if (number.signum() == 0) {
        return "0";
      }
      BigDecimal stripped = number.stripTrailingZeros();
      return stripped.scale() <= 0 ? stripped.toBigIntegerExact().toString() : value;
    } catch (NumberFormatException | ArithmeticException e) {
      return value;
    }
  }

  static String normalizeReal(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    switch (lower) {
      case "inf", "infinity", "+inf", "+infinity" -> {
        return "inf";
      }
      case "-inf", "-infinity" -> {
        return "-inf";
      }
      case "nan", "-nan" -> {
        return "nan";
      }
      default -> {}
    }
    try {
      BigDecimal rounded =
          new BigDecimal(value).setScale(REAL_DECIMALS, RoundingMode.HALF_UP).stripTrailingZeros();
      if (rounded.signum() == 0) {
        return "0";
      }
      return rounded.toPlainString();
    } catch (NumberFormatException e) {
      return value;
    }
  }
}
