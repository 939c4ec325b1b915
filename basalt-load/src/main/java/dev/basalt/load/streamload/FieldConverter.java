package dev.basalt.load.streamload;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.Values;
import dev.basalt.exec.function.cast.Casts;
import dev.basalt.load.ColumnBuffer;
import dev.basalt.meta.catalog.ColumnMeta;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * Parses one field's bytes (UTF-8 text) straight into a column's {@link ColumnBuffer}, with the
 * conversion rules of CAST from a string ({@link Casts}): numbers trimmed, integers truncate a
 * fraction, out-of-range values do not convert, dates in the forms {@code TemporalParser} reads.
 * Common shapes ({@code 123}, {@code -1.50}, {@code 2024-01-31}, {@code 2024-01-31 12:00:00}) are
 * parsed from the bytes without allocating; anything else goes through {@link Casts}.
 *
 * <p>A value that does not convert is NULL unless {@code strict_mode} is on, where the row is
 * rejected (Doris's rule); NULL in a NOT NULL column and a string longer than its CHAR/VARCHAR
 * length reject the row in both modes. Immutable and thread safe; the buffers it fills are not.
 */
final class FieldConverter {
  private final ColumnMeta column;
  private final DataType type;
  private final TypeKind kind;
  private final boolean strict;
  private final boolean nullable;
  private final long minimum;
  private final long maximum;

  /** DECIMAL: 10^precision, the bound of the unscaled values (10^18 for wider types). */
  private final long decimalLimit;

  FieldConverter(ColumnMeta column, boolean strict) {
    this.column = column;
    this.type = column.type();
    this.kind = type.kind();
    this.strict = strict;
    this.nullable = column.nullable();
    this.decimalLimit =
        kind == TypeKind.DECIMAL ? POWERS_OF_TEN[Math.min(type.precision(), 18)] : 0;
    switch (kind) {
      case TINYINT -> {
        minimum = Byte.MIN_VALUE;
        maximum = Byte.MAX_VALUE;
      }
      case SMALLINT -> {
        minimum = Short.MIN_VALUE;
        maximum = Short.MAX_VALUE;
      }
      case INT -> {
        minimum = Integer.MIN_VALUE;
        maximum = Integer.MAX_VALUE;
      }
      default -> {
        minimum = Long.MIN_VALUE;
        maximum = Long.MAX_VALUE;
      }
    }
  }

  /** Appends SQL NULL, or returns the reason the row is rejected (a NOT NULL column). */
  String appendNull(ColumnBuffer buffer) {
    if (!nullable) {
      return "column '" + column.name() + "' is NOT NULL but the value is NULL";
    }
    buffer.appendNull();
    return null;
  }

  /**
   * Converts {@code bytes[start .. end)} and appends it; returns {@code null} when appended, else
   * the reason the row is rejected (nothing appended).
   */
  String append(byte[] bytes, int start, int end, ColumnBuffer buffer) {
    switch (kind) {
      case CHAR, VARCHAR -> {
        int length = end - start;
        if (length > type.length() && characters(bytes, start, end) > type.length()) {
          return "the value of column '"
              + column.name()
              + "' is longer than "
              + type.sqlName()
              + " allows ("
              + characters(bytes, start, end)
              + " characters)";
        }
        buffer.appendBytes(bytes, start, length);
        return null;
      }
      case STRING -> {
        buffer.appendBytes(bytes, start, end - start);
        return null;
      }
      case BITMAP, HLL, QUANTILE_STATE -> {
        // Text is no sketch: the columns header builds one (b = to_bitmap(field)).
        return "column '"
            + column.name()
            + "' of type "
            + type.sqlName()
            + " takes a value built by its function (e.g. "
            + column.name()
            + "="
            + (kind == TypeKind.BITMAP
                ? "to_bitmap"
                : kind == TypeKind.HLL ? "hll_hash" : "to_quantile_state")
            + "(field) in the columns header), not text";
      }
      case TINYINT, SMALLINT, INT, BIGINT -> {
        long value = parseInteger(bytes, start, end);
        if (value != NOT_AN_INTEGER) {
          if (value >= minimum && value <= maximum) {
            buffer.appendLong(value);
            return null;
          }
          return notConverted(bytes, start, end, buffer);
        }
      }
      case DATE -> {
        long day = parseDate(bytes, start, end);
        if (day != NOT_A_DATE) {
          buffer.appendLong(day);
          return null;
        }
      }
      case DATETIME -> {
        if (end - start == 19 && bytes[start + 10] == ' ') {
          long day = parseDate(bytes, start, start + 10);
          long seconds = parseTime(bytes, start + 11);
          if (day != NOT_A_DATE && seconds >= 0) {
            buffer.appendLong((day * 86_400L + seconds) * 1_000_000L);
            return null;
          }
        }
      }
      case DECIMAL -> {
        long unscaled = parseDecimal(bytes, start, end, type.scale(), decimalLimit);
        if (unscaled == OUT_OF_RANGE) {
          return notConverted(bytes, start, end, buffer);
        }
        if (unscaled != NOT_A_DECIMAL) {
          buffer.appendUnscaled(unscaled);
          return null;
        }
      }
      case DOUBLE, FLOAT -> {
        double value = parseSimpleDouble(bytes, start, end);
        if (Double.isNaN(value) && isPlainNumber(bytes, start, end)) {
          value =
              Double.parseDouble(
                  new String(bytes, start, end - start, StandardCharsets.ISO_8859_1));
        }
        if (!Double.isNaN(value)) {
          buffer.appendDouble(kind == TypeKind.FLOAT ? (double) (float) value : value);
          return null;
        }
      }
      default -> {
        // BOOLEAN, LARGEINT: the general path below.
      }
    }
    return appendSlowly(bytes, start, end, buffer);
  }

  /** The general path: CAST from the text, as {@link Casts} does it. */
  private String appendSlowly(byte[] bytes, int start, int end, ColumnBuffer buffer) {
    String text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
    Object value = Casts.convert(text, DataType.STRING, type);
    if (value == null) {
      return notConverted(bytes, start, end, buffer);
    }
    switch (type.physical()) {
      case LONG -> buffer.appendLong(Values.toLong(type, value));
      case DOUBLE -> buffer.appendDouble(((Number) value).doubleValue());
      case DECIMAL, LARGEINT -> buffer.appendObject(value);
      case BYTES -> {
        byte[] utf8 = ((String) value).getBytes(StandardCharsets.UTF_8);
        buffer.appendBytes(utf8, 0, utf8.length);
      }
    }
    return null;
  }

  /** A value that does not convert: NULL in non-strict mode, a rejected row in strict mode. */
  private String notConverted(byte[] bytes, int start, int end, ColumnBuffer buffer) {
    if (strict || !nullable) {
      return "the value '"
          + abbreviate(new String(bytes, start, end - start, StandardCharsets.UTF_8))
          + "' of column '"
          + column.name()
          + "' is not a valid "
          + type.sqlName()
          + (strict ? " (strict_mode)" : " and the column is NOT NULL");
    }
    buffer.appendNull();
    return null;
  }

  private static String abbreviate(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "...";
  }

  /** UTF-8 characters in the range: bytes that are not continuation bytes. */
  private static int characters(byte[] bytes, int start, int end) {
    int count = 0;
    for (int i = start; i < end; i++) {
      if ((bytes[i] & 0xC0) != 0x80) {
        count++;
      }
    }
    return count;
  }

  private static final long NOT_AN_INTEGER = Long.MIN_VALUE;
  private static final long NOT_A_DATE = Long.MIN_VALUE;

  /**
   * {@code [+-]digits} with at most 18 digits (surrounding spaces allowed), else NOT_AN_INTEGER
   * (the caller then takes the general path, which also handles fractions and exponents).
   */
  private static long parseInteger(byte[] bytes, int start, int end) {
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
  private static final long OUT_OF_RANGE = Long.MIN_VALUE;

  /** {@link #parseDecimal}: not a shape the fast path reads (the general path decides). */
  private static final long NOT_A_DECIMAL = Long.MIN_VALUE + 1;

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
  private static long parseDecimal(byte[] bytes, int start, int end, int scale, long limit) {
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
  private static double parseSimpleDouble(byte[] bytes, int start, int end) {
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
  private static boolean isPlainNumber(byte[] bytes, int start, int end) {
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
  private static long parseDate(byte[] bytes, int start, int end) {
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
  private static long epochDay(int year, int month, int day) {
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    long yearOfEra = y - era * 400;
    long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097 + dayOfEra - 719_468;
  }

  /** {@code HH:mm:ss} at {@code start} as seconds of the day, else -1. */
  private static long parseTime(byte[] bytes, int start) {
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

  /** For tests: the epoch day the fast path computes. */
  static long epochDayForTest(int year, int month, int day) {
    return epochDay(year, month, day);
  }
}
