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
