package dev.basalt.exec.function.cast;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads dates and datetimes from text the way CAST and implicit conversions do.
 *
 * <p>Accepted forms (after trimming): {@code yyyy-MM-dd}, {@code yyyy-M-d}, {@code yy-MM-dd} (years
 * 70..99 are 19xx, 00..69 are 20xx, as MySQL), {@code /} instead of {@code -}, each optionally
 * followed by {@code ' '} or {@code 'T'} and {@code HH:mm[:ss[.fraction]]}; the compact {@code
 * yyyyMMdd} and {@code yyyyMMddHHmmss[.fraction]}. Fractions longer than six digits are rounded
 * (half up) to microseconds. Anything else, and impossible dates such as {@code 2021-02-29}, give
 * {@code null} (Doris's non-strict cast returns NULL). Stateless and thread safe.
 */
public final class TemporalParser {
  private static final Pattern SEPARATED =
      Pattern.compile(
          "(\\d{4}|\\d{2})[-/](\\d{1,2})[-/](\\d{1,2})"
              + "(?:[ T](\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:\\.(\\d{0,9}))?)?)?");
  private static final Pattern COMPACT =
      Pattern.compile("(\\d{4})(\\d{2})(\\d{2})(?:(\\d{2})(\\d{2})(\\d{2})(?:\\.(\\d{0,9}))?)?");

  private TemporalParser() {}

  /** The datetime in {@code text}; a date alone means midnight. */
  public static LocalDateTime parseDatetime(String text) {
    String trimmed = text.strip();
    Matcher matcher = SEPARATED.matcher(trimmed);
    if (!matcher.matches()) {
      matcher = COMPACT.matcher(trimmed);
      if (!matcher.matches()) {
        return null;
      }
    }
    try {
      int year = Integer.parseInt(matcher.group(1));
      if (matcher.group(1).length() == 2) {
        year += year < 70 ? 2000 : 1900;
      }
      LocalDate date =
          LocalDate.of(
              year, Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3)));
      if (matcher.group(4) == null) {
        return date.atStartOfDay();
      }
      int second = matcher.group(6) == null ? 0 : Integer.parseInt(matcher.group(6));
      long nanos = 0;
      String fraction = matcher.group(7);
      if (fraction != null && !fraction.isEmpty()) {
        nanos = Long.parseLong((fraction + "000000000").substring(0, 9));
      }
      LocalTime time =
          LocalTime.of(
              Integer.parseInt(matcher.group(4)), Integer.parseInt(matcher.group(5)), second);
      // Microseconds are the finest precision: a seventh digit rounds, half up, as in MySQL.
      long micros = (nanos + 500) / 1000;
      LocalDateTime datetime = LocalDateTime.of(date, time).plusNanos(micros * 1000);
      return datetime.getYear() > 9999 ? null : datetime;
    } catch (DateTimeException outOfRange) {
      return null;
    }
  }

  /** The date in {@code text}; a time part, if any, is dropped. */
  public static LocalDate parseDate(String text) {
    LocalDateTime datetime = parseDatetime(text);
    return datetime == null ? null : datetime.toLocalDate();
  }

  /**
   * The date of a number written as {@code yyyyMMdd} or {@code yyyyMMddHHmmss} (MySQL accepts
   * {@code CAST(20200101 AS DATE)}), or {@code null}.
   */
  public static LocalDateTime fromNumber(long number) {
    if (number < 0) {
      return null;
    }
    String digits = Long.toString(number);
    if (digits.length() != 8 && digits.length() != 14) {
      return null;
    }
    return parseDatetime(digits);
  }
}
