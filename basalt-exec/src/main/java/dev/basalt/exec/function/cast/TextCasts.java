package dev.basalt.exec.function.cast;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * CAST from text for the common shapes, read from ASCII bytes without allocating: integers,
 * decimals (as unscaled longs at a scale), simple doubles, {@code yyyy-MM-dd} dates and {@code
 * yyyy-MM-dd HH:mm:ss} datetimes. Each method gives exactly what {@link Casts#convert} gives from
 * the same text, or a sentinel ({@link #NOT_AN_INTEGER}, {@link #NOT_A_DECIMAL}, {@link
 * #NOT_A_DATE}, NaN) for a shape it does not read, and the caller then takes {@link Casts}. Shared
 * by Stream Load's field conversion and INSERT's literal rows, so both convert text the same way.
 * Stateless and thread safe.
 */
public final class TextCasts {
  private TextCasts() {}

  /**
   * 10^precision, the bound of a DECIMAL(precision, s)'s unscaled values (10^18 for wider types).
   */
  public static long decimalLimit(int precision) {
    return POWERS_OF_TEN[Math.min(precision, 18)];
  }

  /**
   * {@code yyyy-MM-dd HH:mm:ss} exactly, as microseconds since the epoch, else {@link #NOT_A_DATE}.
   */
  public static long parseDatetime(byte[] bytes, int start, int end) {
    if (end - start != 19 || bytes[start + 10] != ' ') {
      return NOT_A_DATE;
    }
    long day = parseDate(bytes, start, start + 10);
    long seconds = parseTime(bytes, start + 11);
    if (day == NOT_A_DATE || seconds < 0) {
      return NOT_A_DATE;
    }
    return (day * 86_400L + seconds) * 1_000_000L;
  }

  /** {@link #parseInteger}: not a shape the fast path reads. */
  public static final long NOT_AN_INTEGER = Long.MIN_VALUE;

  /** {@link #parseDate}, {@link #parseDatetime}: not a shape the fast path reads. */
  public static final long NOT_A_DATE = Long.MIN_VALUE;

  /**
   * {@code [+-]digits} with at most 18 digits (surrounding spaces allowed), else NOT_AN_INTEGER
   * (the caller then takes the general path, which also handles fractions and exponents).
   */
  public static long parseInteger(byte[] bytes, int start, int end) {
    while (start < end && bytes[start] == ' ') {
      start++;
    }
    while (end > start && bytes[end - 1] == ' ') {
      end--;
    }
    boolean negative = false;
    if (start < end && (bytes[start] == '-' || bytes[start] == '+')) {
      negative = bytes[start] == '-';
      start++;
    }
    int digits = end - start;
    if (digits == 0 || digits > 18) {
      return NOT_AN_INTEGER;
    }
    long value = 0;
    for (int i = start; i < end; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9) {
        return NOT_AN_INTEGER;
      }
      value = value * 10 + digit;
    }
    return negative ? -value : value;
  }

  /** {@link #parseDecimal}: a number with too many integer digits for the column's type. */
  public static final long OUT_OF_RANGE = Long.MIN_VALUE;

  /** {@link #parseDecimal}: not a shape the fast path reads (the general path decides). */
  public static final long NOT_A_DECIMAL = Long.MIN_VALUE + 1;

  private static final long[] POWERS_OF_TEN = new long[19];

  static {
    POWERS_OF_TEN[0] = 1;
    for (int i = 1; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
    }
  }

  /**
   * {@code [+-]digits[.digits]} (surrounding spaces allowed, at most 18 significant digits) as its
   * unscaled value at {@code scale}, fractional digits beyond the scale rounded half up (away from
   * zero), as CAST does; OUT_OF_RANGE when the rounded value reaches {@code limit} (10^precision,
   * for a precision below 18); NOT_A_DECIMAL for any other shape and for a value of 10^18 or more
   * (the general path then decides, for precisions of 18 and more).
   */
  public static long parseDecimal(byte[] bytes, int start, int end, int scale, long limit) {
    while (start < end && bytes[start] == ' ') {
      start++;
    }
    while (end > start && bytes[end - 1] == ' ') {
      end--;
    }
    boolean negative = false;
    if (start < end && (bytes[start] == '-' || bytes[start] == '+')) {
      negative = bytes[start] == '-';
      start++;
    }
    long unscaled = 0;
    int digits = 0;
    int significant = 0;
    int fraction = -1;
    for (int i = start; i < end; i++) {
      byte b = bytes[i];
      if (b == '.' && fraction < 0) {
        fraction = 0;
        continue;
      }
      int digit = b - '0';
      if (digit < 0 || digit > 9) {
        return NOT_A_DECIMAL;
      }
      digits++;
      if (unscaled != 0 || digit != 0) {
        if (++significant > 18) {
          return NOT_A_DECIMAL;
        }
      }
      unscaled = unscaled * 10 + digit;
      if (fraction >= 0) {
        fraction++;
      }
    }
    if (digits == 0) {
      return NOT_A_DECIMAL;
    }
    fraction = Math.max(fraction, 0);
    if (fraction - scale > 18) {
      // Below half a unit of the scale (at most 18 significant digits, 10^19 or more dropped).
      unscaled = 0;
    } else if (fraction > scale) {
      long divisor = POWERS_OF_TEN[fraction - scale];
      long remainder = unscaled % divisor;
      unscaled /= divisor;
      if (remainder * 2 >= divisor) {
        unscaled++;
      }
    } else if (fraction < scale) {
      if (significant + scale - fraction > 18) {
        // At least 10^18 once scaled.
        return limit < POWERS_OF_TEN[18] ? OUT_OF_RANGE : NOT_A_DECIMAL;
      }
      unscaled *= POWERS_OF_TEN[scale - fraction];
    }
    if (unscaled >= limit) {
      return limit < POWERS_OF_TEN[18] ? OUT_OF_RANGE : NOT_A_DECIMAL;
    }
    return negative ? -unscaled : unscaled;
  }

  /**
   * {@code [+-]digits[.digits]} with at most 15 significant digits and 22 fractional ones, exactly
   * rounded (the quotient of two doubles that are exact, one IEEE division: Clinger's fast path,
   * "How to Read Floating Point Numbers Accurately", 1990); NaN for any other shape.
   */
  public static double parseSimpleDouble(byte[] bytes, int start, int end) {
    boolean negative = false;
    if (start < end && (bytes[start] == '-' || bytes[start] == '+')) {
      negative = bytes[start] == '-';
      start++;
    }
    long mantissa = 0;
    int digits = 0;
    int significant = 0;
    int fraction = -1;
    for (int i = start; i < end; i++) {
      byte b = bytes[i];
      if (b == '.' && fraction < 0) {
        fraction = 0;
        continue;
      }
      int digit = b - '0';
      if (digit < 0 || digit > 9) {
        return Double.NaN;
      }
      digits++;
      if ((mantissa != 0 || digit != 0) && ++significant > 15) {
        return Double.NaN;
      }
      mantissa = mantissa * 10 + digit;
      if (fraction >= 0) {
        fraction++;
      }
    }
    if (digits == 0 || fraction > 22) {
      return Double.NaN;
    }
    double value = fraction > 0 ? mantissa / DOUBLE_POWERS_OF_TEN[fraction] : (double) mantissa;
    return negative ? -value : value;
  }

  private static final double[] DOUBLE_POWERS_OF_TEN = new double[23];

  static {
    DOUBLE_POWERS_OF_TEN[0] = 1;
    for (int i = 1; i < DOUBLE_POWERS_OF_TEN.length; i++) {
      DOUBLE_POWERS_OF_TEN[i] = DOUBLE_POWERS_OF_TEN[i - 1] * 10;
    }
  }

  /** Whether the range is {@code [+-]digits[.digits][e[+-]digits]} (what CAST accepts). */
  public static boolean isPlainNumber(byte[] bytes, int start, int end) {
    int i = start;
    if (i < end && (bytes[i] == '-' || bytes[i] == '+')) {
      i++;
    }
    int digits = 0;
    while (i < end && bytes[i] >= '0' && bytes[i] <= '9') {
      i++;
      digits++;
    }
    if (i < end && bytes[i] == '.') {
      i++;
      while (i < end && bytes[i] >= '0' && bytes[i] <= '9') {
        i++;
        digits++;
      }
    }
    if (digits == 0) {
      return false;
    }
    if (i < end && (bytes[i] == 'e' || bytes[i] == 'E')) {
      i++;
      if (i < end && (bytes[i] == '-' || bytes[i] == '+')) {
        i++;
      }
      int exponentDigits = 0;
      while (i < end && bytes[i] >= '0' && bytes[i] <= '9') {
        i++;
        exponentDigits++;
      }
      if (exponentDigits == 0) {
        return false;
      }
    }
    return i == end;
  }

  /** {@code yyyy-MM-dd} exactly, as days since the epoch, else NOT_A_DATE. */
  public static long parseDate(byte[] bytes, int start, int end) {
    if (end - start != 10 || bytes[start + 4] != '-' || bytes[start + 7] != '-') {
      return NOT_A_DATE;
    }
    int year = digits(bytes, start, 4);
    int month = digits(bytes, start + 5, 2);
    int day = digits(bytes, start + 8, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) {
      return NOT_A_DATE;
    }
    if (day > 28) {
      try {
        return LocalDate.of(year, month, day).toEpochDay();
      } catch (DateTimeException impossible) {
        return NOT_A_DATE;
      }
    }
    return epochDay(year, month, day);
  }

  /** Days from 1970-01-01 to a valid proleptic Gregorian date (the civil-from-days inverse). */
  static long epochDay(int year, int month, int day) {
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    long yearOfEra = y - era * 400;
    long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097 + dayOfEra - 719_468;
  }

  /** {@code HH:mm:ss} at {@code start} as seconds of the day, else -1. */
  public static long parseTime(byte[] bytes, int start) {
    if (bytes[start + 2] != ':' || bytes[start + 5] != ':') {
      return -1;
    }
    int hour = digits(bytes, start, 2);
    int minute = digits(bytes, start + 3, 2);
    int second = digits(bytes, start + 6, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return -1;
    }
    return hour * 3600L + minute * 60L + second;
  }

  private static int digits(byte[] bytes, int start, int count) {
    int value = 0;
    for (int i = start; i < start + count; i++) {
      int digit = bytes[i] - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }
}
