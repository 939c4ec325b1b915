package dev.basalt.exec.function.scalar;

import java.time.DateTimeException;
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
    String pattern = expandComposites(format);
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
          return null;
        }
        position++;
        continue;
      }
      char specifier = pattern.charAt(++i);
      int[] number;
      switch (specifier) {
        case 'Y' -> {
          number = digits(text, position, 4);
          if (number == null) {
            return null;
          }
          year = number[0];
          if (number[1] - position <= 2) {
            year += year < 70 ? 2000 : 1900;
          }
          position = number[1];
        }
        case 'y' -> {
          number = digits(text, position, 2);
          if (number == null) {
            return null;
          }
          year = number[0] + (number[0] < 70 ? 2000 : 1900);
          position = number[1];
        }
        case 'm', 'c', 'd', 'e', 'H', 'k', 'h', 'I', 'l', 'i', 's', 'S', 'j' -> {
          number = digits(text, position, specifier == 'j' ? 3 : 2);
          if (number == null) {
            return null;
          }
          position = number[1];
          switch (specifier) {
            case 'm', 'c' -> month = number[0];
            case 'd', 'e' -> day = number[0];
            case 'H', 'k' -> hour = number[0];
            case 'h', 'I', 'l' -> {
              hour = number[0];
              twelveHour = true;
            }
            case 'i' -> minute = number[0];
            case 'j' -> dayOfYear = number[0];
            default -> second = number[0];
          }
        }
        case 'f' -> {
          number = digits(text, position, 6);
          if (number == null) {
            return null;
          }
          int length = number[1] - position;
          micros = number[0];
          for (int k = length; k < 6; k++) {
            micros *= 10;
          }
          position = number[1];
        }
        case 'p' -> {
          if (text.regionMatches(true, position, "AM", 0, 2)) {
            afternoon = false;
          } else if (text.regionMatches(true, position, "PM", 0, 2)) {
            afternoon = true;
          } else {
            return null;
          }
          twelveHour = true;
          position += 2;
        }
        case 'M', 'b' -> {
          int found = -1;
          for (int m = 0; m < 12 && found < 0; m++) {
            String name = MONTH_NAMES[m];
            if (specifier == 'M' && text.regionMatches(true, position, name, 0, name.length())) {
              found = m;
              position += name.length();
            } else if (specifier == 'b' && text.regionMatches(true, position, name, 0, 3)) {
              found = m;
              position += 3;
            }
          }
          if (found < 0) {
            return null;
          }
          month = found + 1;
        }
        case 'W', 'a' -> {
          boolean matched = false;
          for (String name : DAY_NAMES) {
            int length = specifier == 'W' ? name.length() : 3;
            if (text.regionMatches(true, position, name, 0, length)) {
              position += length;
              matched = true;
              break;
            }
          }
          if (!matched) {
            return null;
          }
        }
        case '%' -> {
          if (position >= text.length() || text.charAt(position) != '%') {
            return null;
          }
          position++;
        }
        default -> {
          if (position >= text.length() || text.charAt(position) != specifier) {
            return null;
          }
          position++;
        }
      }
    }
    if (year < 0) {
      return null;
    }
    if (twelveHour) {
      if (hour < 1 || hour > 12) {
        return null;
      }
      hour = hour % 12 + (afternoon ? 12 : 0);
    }
    try {
      LocalDate date =
          dayOfYear > 0 ? LocalDate.ofYearDay(year, dayOfYear) : LocalDate.of(year, month, day);
      return date.atTime(hour, minute, second, micros * 1000);
    } catch (DateTimeException impossible) {
      return null;
    }
  }

  /** Replaces {@code %T} and {@code %r} with the specifiers they stand for. */
  private static String expandComposites(String format) {
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

  /** Reads 1..{@code maximum} digits: {@code {value, end}}, or {@code null} when there is none. */
  private static int[] digits(String text, int position, int maximum) {
    int end = position;
    int value = 0;
    while (end < text.length() && end - position < maximum && Character.isDigit(text.charAt(end))) {
      value = value * 10 + (text.charAt(end) - '0');
      end++;
    }
    return end == position ? null : new int[] {value, end};
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
