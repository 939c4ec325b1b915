package dev.basalt.common.type;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * The text form of values as MySQL and Doris print them: in text-protocol result sets, in {@code
 * CAST(x AS STRING)}, in {@code concat}. One place, so that every front door prints a value the
 * same way.
 *
 * <p>BOOLEAN prints as {@code 1}/{@code 0}; DECIMAL with exactly its declared scale; DATETIME with
 * exactly its declared fractional digits; DOUBLE and FLOAT in the shortest form that reads back to
 * the same value, without a trailing {@code .0}, switching to exponent form ({@code 1e+20}) outside
 * the range MySQL prints plainly.
 */
public final class ValueText {
  private ValueText() {}

  /**
   * The text of {@code value} (representation of {@code dev.basalt.common.vector.Values}), or
   * {@code null} for NULL.
   */
  public static String format(DataType type, Object value) {
    if (value == null) {
      return null;
    }
    return switch (type.kind()) {
      case BOOLEAN ->
          (value instanceof Boolean b ? b : ((Number) value).longValue() != 0) ? "1" : "0";
      case FLOAT -> formatDouble(((Number) value).floatValue(), true);
      case DOUBLE -> formatDouble(((Number) value).doubleValue(), false);
      case DECIMAL -> formatDecimal((BigDecimal) value, type.scale());
      case DATE -> formatDate((LocalDate) value);
      case DATETIME -> formatDatetime((LocalDateTime) value, type.scale());
      default -> value.toString();
    };
  }

  /**
   * The text of the DECIMAL {@code high:low / 10^scale} whose unscaled integer is the 128-bit
   * {@code high:low} ({@link dev.basalt.common.vector.Int128}), as {@link #formatDecimal} writes it
   * at the same scale, without a {@link BigDecimal}.
   */
  public static String formatUnscaledDecimal(long high, long low, int scale) {
    String digits = dev.basalt.common.vector.Int128.toString(high, low);
    if (scale == 0) {
      return digits;
    }
    boolean negative = digits.charAt(0) == '-';
    int start = negative ? 1 : 0;
    int digitCount = digits.length() - start;
    StringBuilder text = new StringBuilder(digitCount + scale + 3);
    if (negative) {
      text.append('-');
    }
    if (digitCount <= scale) {
      text.append("0.");
      text.repeat('0', scale - digitCount);
      text.append(digits, start, digits.length());
    } else {
      int point = digits.length() - scale;
      text.append(digits, start, point).append('.').append(digits, point, digits.length());
    }
    return text.toString();
  }

  public static String formatDecimal(BigDecimal value, int scale) {
    return value.setScale(scale, RoundingMode.HALF_UP).toPlainString();
  }

  public static String formatDate(LocalDate date) {
    int year = date.getYear();
    StringBuilder text = new StringBuilder(10);
    pad(text, year, 4);
    text.append('-');
    pad(text, date.getMonthValue(), 2);
    text.append('-');
    pad(text, date.getDayOfMonth(), 2);
    return text.toString();
  }

  /**
   * {@code yyyy-MM-dd HH:mm:ss} followed by {@code fractionalDigits} digits of the second, if any.
   */
  public static String formatDatetime(LocalDateTime datetime, int fractionalDigits) {
    StringBuilder text = new StringBuilder(26);
    text.append(formatDate(datetime.toLocalDate())).append(' ');
    pad(text, datetime.getHour(), 2);
    text.append(':');
    pad(text, datetime.getMinute(), 2);
    text.append(':');
    pad(text, datetime.getSecond(), 2);
    if (fractionalDigits > 0) {
      int micros = datetime.getNano() / 1000;
      String digits = String.format("%06d", micros);
      text.append('.').append(digits, 0, Math.min(fractionalDigits, 6));
    }
    return text.toString();
  }

  /**
   * The date {@code text} spells exactly in the canonical form {@code yyyy-MM-dd} (as {@link
   * #formatDate} writes it), or null for any other text (another form MySQL would also read, an
   * impossible date): callers that take only unambiguous values leave the rest to the planner.
   */
  public static LocalDate parseCanonicalDate(String text) {
    if (text.length() != 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
      return null;
    }
    for (int i = 0; i < 10; i++) {
      if (i != 4 && i != 7 && !isDigit(text.charAt(i))) {
        return null;
      }
    }
    try {
      return LocalDate.of(
          Integer.parseInt(text, 0, 4, 10),
          Integer.parseInt(text, 5, 7, 10),
          Integer.parseInt(text, 8, 10, 10));
    } catch (java.time.DateTimeException impossible) {
      return null;
    }
  }

  /**
   * The date-time {@code text} spells exactly in the canonical form {@code yyyy-MM-dd HH:mm:ss}
   * with 0 to {@code maxFractionalDigits} digits of the second after a point, or null for any other
   * text (see {@link #parseCanonicalDate}; more digits than the type keeps would need rounding).
   */
  public static LocalDateTime parseCanonicalDatetime(String text, int maxFractionalDigits) {
    if (text.length() < 19 || text.charAt(10) != ' ') {
      return null;
    }
    LocalDate date = parseCanonicalDate(text.substring(0, 10));
    if (date == null || text.charAt(13) != ':' || text.charAt(16) != ':') {
      return null;
    }
    for (int i : new int[] {11, 12, 14, 15, 17, 18}) {
      if (!isDigit(text.charAt(i))) {
        return null;
      }
    }
    int nanos = 0;
    if (text.length() > 19) {
      int digits = text.length() - 20;
      if (text.charAt(19) != '.' || digits < 1 || digits > Math.min(maxFractionalDigits, 6)) {
        return null;
      }
      for (int i = 20; i < text.length(); i++) {
        if (!isDigit(text.charAt(i))) {
          return null;
        }
        nanos = nanos * 10 + (text.charAt(i) - '0');
      }
      for (int i = digits; i < 9; i++) {
        nanos *= 10;
      }
    }
    try {
      return date.atTime(
          Integer.parseInt(text, 11, 13, 10),
          Integer.parseInt(text, 14, 16, 10),
          Integer.parseInt(text, 17, 19, 10),
          nanos);
    } catch (java.time.DateTimeException impossible) {
      return null;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static void pad(StringBuilder text, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      text.append('0');
    }
    text.append(digits);
  }

  /** Shortest round-tripping decimal form; {@code isFloat} uses float precision. */
  public static String formatDouble(double value, boolean isFloat) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "Infinity" : "-Infinity";
    }
    if (value == 0) {
      return (1 / value < 0) ? "-0" : "0";
    }
    String shortest = isFloat ? Float.toString((float) value) : Double.toString(value);
    BigDecimal exact = new BigDecimal(shortest).stripTrailingZeros();
    int exponent = exact.precision() - exact.scale() - 1;
    if (exponent >= -5 && exponent < 16) {
      return exact.toPlainString();
    }
    String mantissa = exact.movePointLeft(exponent).toPlainString();
    String sign = exponent < 0 ? "-" : "+";
    int magnitude = Math.abs(exponent);
    return mantissa + "e" + sign + (magnitude < 10 ? "0" + magnitude : Integer.toString(magnitude));
  }
}
