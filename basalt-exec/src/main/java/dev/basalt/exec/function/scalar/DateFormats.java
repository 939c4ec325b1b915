package dev.basalt.exec.function.scalar;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Locale;

/**
 * MySQL's {@code DATE_FORMAT} specifiers for formatting and for {@code STR_TO_DATE} parsing, and
 * MySQL's week numbering ({@code WEEK(d, mode)}, {@code %U %u %V %v %X %x}).
 *
 * <p>Specifiers: {@code %a %b %c %D %d %e %f %H %h %I %i %j %k %l %M %m %p %r %S %s %T %U %u %V %v
 * %W %w %X %x %Y %y %%}; any other {@code %c} prints {@code c}. Names are English. Stateless and
 * thread safe.
 */
public final class DateFormats {
  static final String[] MONTH_NAMES = {
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December"
  };

  /** Monday first, as {@link java.time.DayOfWeek}. */
  static final String[] DAY_NAMES = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"
  };

  /** Bits of MySQL's week behaviour. */
  static final int WEEK_MONDAY_FIRST = 1;

  static final int WEEK_YEAR = 2;
  static final int WEEK_FIRST_WEEKDAY = 4;

  private DateFormats() {}

  /** Formats {@code value} with a MySQL format string. */
  /**
   * The Java-style formats Doris's {@code date_format} and {@code from_unixtime} accept besides
   * MySQL's specifiers, as their MySQL equivalents.
   */
  private static final java.util.Map<String, String> DORIS_JAVA_STYLE_FORMATS =
      java.util.Map.of(
          "yyyyMMdd", "%Y%m%d",
          "yyyy-MM-dd", "%Y-%m-%d",
          "yyyy-MM-dd HH:mm:ss", "%Y-%m-%d %H:%i:%s");

  /** The MySQL pattern of a format: Doris's Java-style names for three common ones mapped. */
  static String mysqlPattern(String requestedPattern) {
    return DORIS_JAVA_STYLE_FORMATS.getOrDefault(requestedPattern, requestedPattern);
  }

  public static String format(LocalDateTime value, String requestedPattern) {
    String pattern = mysqlPattern(requestedPattern);
    StringBuilder out = new StringBuilder(pattern.length() + 16);
    LocalDate date = value.toLocalDate();
    for (int i = 0; i < pattern.length(); i++) {
      char ch = pattern.charAt(i);
      if (ch != '%' || i + 1 == pattern.length()) {
        out.append(ch);
        continue;
      }
      char specifier = pattern.charAt(++i);
      int hour12 = value.getHour() % 12 == 0 ? 12 : value.getHour() % 12;
      switch (specifier) {
        case 'a' -> out.append(DAY_NAMES[value.getDayOfWeek().getValue() - 1], 0, 3);
        case 'b' -> out.append(MONTH_NAMES[value.getMonthValue() - 1], 0, 3);
        case 'c' -> out.append(value.getMonthValue());
        case 'D' -> out.append(value.getDayOfMonth()).append(ordinalSuffix(value.getDayOfMonth()));
        case 'd' -> pad(out, value.getDayOfMonth(), 2);
        case 'e' -> out.append(value.getDayOfMonth());
        case 'f' -> pad(out, value.getNano() / 1000, 6);
        case 'H' -> pad(out, value.getHour(), 2);
        case 'h', 'I' -> pad(out, hour12, 2);
        case 'i' -> pad(out, value.getMinute(), 2);
        case 'j' -> pad(out, value.getDayOfYear(), 3);
        case 'k' -> out.append(value.getHour());
        case 'l' -> out.append(hour12);
        case 'M' -> out.append(MONTH_NAMES[value.getMonthValue() - 1]);
        case 'm' -> pad(out, value.getMonthValue(), 2);
        case 'p' -> out.append(value.getHour() < 12 ? "AM" : "PM");
        case 'r' -> {
          pad(out, hour12, 2);
          out.append(':');
          pad(out, value.getMinute(), 2);
          out.append(':');
          pad(out, value.getSecond(), 2);
          out.append(value.getHour() < 12 ? " AM" : " PM");
        }
        case 'S', 's' -> pad(out, value.getSecond(), 2);
        case 'T' -> {
          pad(out, value.getHour(), 2);
          out.append(':');
          pad(out, value.getMinute(), 2);
          out.append(':');
          pad(out, value.getSecond(), 2);
        }
        case 'U' -> pad(out, week(date, WEEK_FIRST_WEEKDAY)[0], 2);
        case 'u' -> pad(out, week(date, WEEK_MONDAY_FIRST)[0], 2);
        case 'V' -> pad(out, week(date, WEEK_YEAR | WEEK_FIRST_WEEKDAY)[0], 2);
        case 'v' -> pad(out, week(date, WEEK_YEAR | WEEK_MONDAY_FIRST)[0], 2);
        case 'X' -> pad(out, week(date, WEEK_YEAR | WEEK_FIRST_WEEKDAY)[1], 4);
        case 'x' -> pad(out, week(date, WEEK_YEAR | WEEK_MONDAY_FIRST)[1], 4);
        case 'W' -> out.append(DAY_NAMES[value.getDayOfWeek().getValue() - 1]);
        case 'w' -> out.append(value.getDayOfWeek().getValue() % 7);
        case 'Y' -> pad(out, value.getYear(), 4);
        case 'y' -> pad(out, value.getYear() % 100, 2);
        default -> out.append(specifier);
      }
    }
    return out.toString();
  }

  private static String ordinalSuffix(int day) {
    if (day >= 11 && day <= 13) {
      return "th";
    }
    return switch (day % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
  }

  private static void pad(StringBuilder out, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    out.append(digits);
  }

  /** Whether a format string reads or prints any time-of-day field. */
  public static boolean hasTimeFields(String pattern) {
    for (int i = 0; i + 1 < pattern.length(); i++) {
      if (pattern.charAt(i) == '%') {
        char specifier = pattern.charAt(++i);
        if ("HhIiklsSfprT".indexOf(specifier) >= 0) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * MySQL's week mode (0..7) as week behaviour bits: mode bit 0 = Monday first, bit 1 = weeks 1..53
   * (a week belongs to one year), bit 2 = the first week is the one containing the first day of the
   * week (otherwise the one with four or more days in the year).
   */
  static int weekBehaviour(int mode) {
    int behaviour = mode & 7;
    if ((behaviour & WEEK_MONDAY_FIRST) == 0) {
      behaviour ^= WEEK_FIRST_WEEKDAY;
    }
    return behaviour;
  }

  /**
   * MySQL's week calculation: {@code {week, year}} where {@code year} may be the previous or next
   * year when the week belongs to it.
   */
  static int[] week(LocalDate date, int behaviour) {
    long packed = week(date.toEpochDay(), behaviour);
    return new int[] {weekOf(packed), (int) yearOf(packed)};
  }

  /**
   * {@link #week(LocalDate, int)} of an epoch day, with the integer calendar of {@link
   * CivilCalendar}: the week and its year packed as {@code year << 8 | week} (read them with {@link
   * #weekOf} and {@link #yearOf}), so that the typed kernels allocate nothing.
   */
  static long week(long dayNumber, int behaviour) {
    boolean mondayFirst = (behaviour & WEEK_MONDAY_FIRST) != 0;
    boolean weekYear = (behaviour & WEEK_YEAR) != 0;
    boolean firstWeekday = (behaviour & WEEK_FIRST_WEEKDAY) != 0;
    long year = CivilCalendar.year(dayNumber);
    long firstDayNumber = CivilCalendar.epochDay(year, 1, 1);
    long weekday = weekday(firstDayNumber, mondayFirst);
    // Within January's first 7 - weekday days (the date's day of the year is below that).
    if (dayNumber - firstDayNumber < 7 - weekday) {
      if (!weekYear && ((firstWeekday && weekday != 0) || (!firstWeekday && weekday >= 4))) {
        return packWeek(0, year);
      }
      weekYear = true;
      year--;
      long days = lengthOfYear(year);
      firstDayNumber -= days;
      weekday = (weekday + 53 * 7 - days) % 7;
    }
    long days;
    if ((firstWeekday && weekday != 0) || (!firstWeekday && weekday >= 4)) {
      days = dayNumber - (firstDayNumber + (7 - weekday));
    } else {
      days = dayNumber - (firstDayNumber - weekday);
    }
    if (weekYear && days >= 52 * 7) {
      weekday = (weekday + lengthOfYear(year)) % 7;
      if ((!firstWeekday && weekday < 4) || (firstWeekday && weekday == 0)) {
        return packWeek(1, year + 1);
      }
    }
    return packWeek(days / 7 + 1, year);
  }

  private static long packWeek(long week, long year) {
    return year << 8 | week;
  }

  /** The week of a {@link #week(long, int)} result. */
  static int weekOf(long packed) {
    return (int) (packed & 0xFF);
  }

  /** The year of a {@link #week(long, int)} result. */
  static long yearOf(long packed) {
    return packed >> 8;
  }

  private static long lengthOfYear(long year) {
    return CivilCalendar.isLeapYear(year) ? 366 : 365;
  }

  /** 0-based day of the week of an epoch day: Monday = 0 when {@code mondayFirst}, else Sunday. */
  private static long weekday(long epochDay, boolean mondayFirst) {
    long mondayBased = Math.floorMod(epochDay + 3, 7);
    return mondayFirst ? mondayBased : (mondayBased + 1) % 7;
  }

  /**
   * Parses {@code text} with a MySQL format ({@code STR_TO_DATE}); {@code null} when the text does
   * not fit or names an impossible date. A missing month or day is 1; a missing year is an error
   * (NULL). Whitespace in the format matches any run of whitespace; text after the format is
   * ignored, as MySQL.
   */
  public static LocalDateTime parse(String text, String format) {
    long micros = parseMicros(text, expandComposites(format));
    return micros == NO_DATE
        ? null
        : LocalDateTime.of(
            LocalDate.ofEpochDay(Math.floorDiv(micros, CivilCalendar.MICROS_PER_DAY)),
            java.time.LocalTime.ofNanoOfDay(
                Math.floorMod(micros, CivilCalendar.MICROS_PER_DAY) * 1000));
  }

  /** What {@link #parseMicros} returns for a text that does not fit. */
  static final long NO_DATE = Long.MIN_VALUE;

  /**
   * {@link #parse} as local epoch microseconds ({@link #NO_DATE} for NULL), with {@code pattern}
   * already through {@link #expandComposites}: the typed kernel of {@code str_to_date} reads each
   * row through an {@link AsciiText} view (or its decoded {@code String}) with a pattern expanded
   * once per call.
   */
  static long parseMicros(CharSequence text, String pattern) {
    int position = 0;
    int year = -1;
    int month = 1;
    int day = 1;
    int hour = 0;
    int minute = 0;
    int second = 0;
    int micros = 0;
    int dayOfYear = -1;
    boolean twelveHour = false;
    boolean afternoon = false;
    for (int i = 0; i < pattern.length(); i++) {
      char ch = pattern.charAt(i);
      if (ch != '%' || i + 1 == pattern.length()) {
        if (Character.isWhitespace(ch)) {
          while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
          }
          continue;
        }
        if (position >= text.length() || text.charAt(position) != ch) {
          return NO_DATE;
        }
        position++;
        continue;
      }
      char specifier = pattern.charAt(++i);
      long number;
      switch (specifier) {
        case 'Y' -> {
          number = digits(text, position, 4);
          if (number == NO_DIGITS) {
            return NO_DATE;
          }
          year = valueOf(number);
          if (endOf(number) - position <= 2) {
            year += year < 70 ? 2000 : 1900;
          }
          position = endOf(number);
        }
        case 'y' -> {
          number = digits(text, position, 2);
          if (number == NO_DIGITS) {
            return NO_DATE;
          }
          year = valueOf(number) + (valueOf(number) < 70 ? 2000 : 1900);
          position = endOf(number);
        }
        case 'm', 'c', 'd', 'e', 'H', 'k', 'h', 'I', 'l', 'i', 's', 'S', 'j' -> {
          number = digits(text, position, specifier == 'j' ? 3 : 2);
          if (number == NO_DIGITS) {
            return NO_DATE;
          }
          position = endOf(number);
          int value = valueOf(number);
          switch (specifier) {
            case 'm', 'c' -> month = value;
            case 'd', 'e' -> day = value;
            case 'H', 'k' -> hour = value;
            case 'h', 'I', 'l' -> {
              hour = value;
              twelveHour = true;
            }
            case 'i' -> minute = value;
            case 'j' -> dayOfYear = value;
            default -> second = value;
          }
        }
        case 'f' -> {
          number = digits(text, position, 6);
          if (number == NO_DIGITS) {
            return NO_DATE;
          }
          int length = endOf(number) - position;
          micros = valueOf(number);
          for (int k = length; k < 6; k++) {
            micros *= 10;
          }
          position = endOf(number);
        }
        case 'p' -> {
          if (regionMatchesIgnoreCase(text, position, "AM", 2)) {
            afternoon = false;
          } else if (regionMatchesIgnoreCase(text, position, "PM", 2)) {
            afternoon = true;
          } else {
            return NO_DATE;
          }
          twelveHour = true;
          position += 2;
        }
        case 'M', 'b' -> {
          int found = -1;
          for (int m = 0; m < 12 && found < 0; m++) {
            String name = MONTH_NAMES[m];
            if (specifier == 'M' && regionMatchesIgnoreCase(text, position, name, name.length())) {
              found = m;
              position += name.length();
            } else if (specifier == 'b' && regionMatchesIgnoreCase(text, position, name, 3)) {
              found = m;
              position += 3;
            }
          }
          if (found < 0) {
            return NO_DATE;
          }
          month = found + 1;
        }
        case 'W', 'a' -> {
          boolean matched = false;
          for (String name : DAY_NAMES) {
            int length = specifier == 'W' ? name.length() : 3;
            if (regionMatchesIgnoreCase(text, position, name, length)) {
              position += length;
              matched = true;
              break;
            }
          }
          if (!matched) {
            return NO_DATE;
          }
        }
        case '%' -> {
          if (position >= text.length() || text.charAt(position) != '%') {
            return NO_DATE;
          }
          position++;
        }
        default -> {
          if (position >= text.length() || text.charAt(position) != specifier) {
            return NO_DATE;
          }
          position++;
        }
      }
    }
    // Beyond 9999 (or negative after an overflow) only through non-ASCII digits.
    if (year < 0 || year > 9999) {
      return NO_DATE;
    }
    if (twelveHour) {
      if (hour < 1 || hour > 12) {
        return NO_DATE;
      }
      hour = hour % 12 + (afternoon ? 12 : 0);
    }
    long epochDay;
    if (dayOfYear > 0) {
      if (dayOfYear > (CivilCalendar.isLeapYear(year) ? 366 : 365)) {
        return NO_DATE;
      }
      epochDay = CivilCalendar.epochDay(year, 1, 1) + dayOfYear - 1;
    } else {
      if (month < 1 || month > 12 || day < 1 || day > CivilCalendar.daysInMonth(year, month)) {
        return NO_DATE;
      }
      epochDay = CivilCalendar.epochDay(year, month, day);
    }
    if (hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59
        || micros < 0
        || micros > 999_999) {
      return NO_DATE;
    }
    return epochDay * CivilCalendar.MICROS_PER_DAY
        + ((hour * 60L + minute) * 60 + second) * 1_000_000L
        + micros;
  }

  /**
   * {@link String#regionMatches(boolean, int, String, int, int)} ignoring case for {@code text} (a
   * {@code String} or an ASCII {@link AsciiText}) against the first {@code length} characters of an
   * ASCII {@code name}.
   */
  private static boolean regionMatchesIgnoreCase(
      CharSequence text, int position, String name, int length) {
    if (text instanceof String string) {
      return string.regionMatches(true, position, name, 0, length);
    }
    if (position + length > text.length() || length > name.length()) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = text.charAt(position + i);
      char n = name.charAt(i);
      // n is an ASCII letter: only its two cases have the same bits but 0x20.
      if (c != n && (c | 0x20) != (n | 0x20)) {
        return false;
      }
    }
    return true;
  }

  /** Replaces {@code %T} and {@code %r} with the specifiers they stand for. */
  static String expandComposites(String format) {
    if (format.indexOf("%T") < 0 && format.indexOf("%r") < 0) {
      return format;
    }
    StringBuilder expanded = new StringBuilder(format.length() + 16);
    for (int i = 0; i < format.length(); i++) {
      char ch = format.charAt(i);
      if (ch == '%' && i + 1 < format.length()) {
        char specifier = format.charAt(++i);
        switch (specifier) {
          case 'T' -> expanded.append("%H:%i:%s");
          case 'r' -> expanded.append("%h:%i:%s %p");
          default -> expanded.append('%').append(specifier);
        }
      } else {
        expanded.append(ch);
      }
    }
    return expanded.toString();
  }

  /**
   * Reads 1..{@code maximum} (at most 6) digits: the value in the high 32 bits and the end position
   * in the low ones ({@link #valueOf}, {@link #endOf}), or {@link #NO_DIGITS} when there is none.
   */
  private static long digits(CharSequence text, int position, int maximum) {
    int end = position;
    int value = 0;
    while (end < text.length() && end - position < maximum && Character.isDigit(text.charAt(end))) {
      value = value * 10 + (text.charAt(end) - '0');
      end++;
    }
    return end == position ? NO_DIGITS : (long) value << 32 | end;
  }

  /** What {@link #digits} returns without a digit (no value and end packs to it). */
  private static final long NO_DIGITS = -1;

  private static int valueOf(long number) {
    return (int) (number >>> 32);
  }

  private static int endOf(long number) {
    return (int) number;
  }

  /** English month name, 1-based. */
  static String monthName(int month) {
    return MONTH_NAMES[month - 1];
  }

  /** English day name of a date. */
  static String dayName(LocalDate date) {
    return DAY_NAMES[date.getDayOfWeek().getValue() - 1];
  }

  static String lower(String text) {
    return text.toLowerCase(Locale.ROOT);
  }
}
