package dev.basalt.exec.function.scalar;

/**
 * Calendar fields of an epoch day (days since 1970-01-01, proleptic Gregorian, as DATE vectors hold
 * them) computed with integer arithmetic, for the typed date kernels. The year/month/day split is
 * Howard Hinnant's "civil_from_days" (http://howardhinnant.github.io/date_algorithms.html): shift
 * to an era of 400 years starting on March 1st, so that the leap day is the last day of a computed
 * year. Agrees with {@link java.time.LocalDate#ofEpochDay} for every day. Stateless.
 */
final class CivilCalendar {
  private CivilCalendar() {}

  static final long MICROS_PER_DAY = 86_400_000_000L;

  /** Days from 0000-03-01 to 1970-01-01. */
  private static final long EPOCH_SHIFT = 719_468L;

  private static final long DAYS_PER_ERA = 146_097L;

  /** A field of a date and a time of day; {@code microsOfDay} is 0 for a DATE. */
  @FunctionalInterface
  interface Field {
    long of(long epochDay, long microsOfDay);
  }

  static final Field YEAR = (day, micros) -> year(day);
  static final Field MONTH = (day, micros) -> month(day);
  static final Field DAY_OF_MONTH = (day, micros) -> dayOfMonth(day);
  static final Field QUARTER = (day, micros) -> (month(day) - 1) / 3 + 1;
  static final Field DAY_OF_YEAR = (day, micros) -> dayOfYear(day);
  // 1970-01-01 was a Thursday: (day + 4) mod 7 is 0 on Sundays.
  static final Field DAY_OF_WEEK = (day, micros) -> Math.floorMod(day + 4, 7) + 1;
  static final Field WEEKDAY = (day, micros) -> Math.floorMod(day + 3, 7);
  static final Field HOUR = (day, micros) -> micros / 3_600_000_000L;
  static final Field MINUTE = (day, micros) -> micros / 60_000_000L % 60;
  static final Field SECOND = (day, micros) -> micros / 1_000_000L % 60;
  static final Field MICROSECOND = (day, micros) -> micros % 1_000_000L;

  /** Day of the March-based year (0 = March 1st) and year of era, packed as {@code yoe << 16}. */
  private static long dayOfEra(long epochDay) {
    long shifted = epochDay + EPOCH_SHIFT;
    long era = Math.floorDiv(shifted, DAYS_PER_ERA);
    return shifted - era * DAYS_PER_ERA;
  }

  private static long yearOfEra(long dayOfEra) {
    return (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
  }

  /** Day of the March-based year: 0 is March 1st, 305 is the last day of February. */
  private static long marchDayOfYear(long dayOfEra) {
    long yearOfEra = yearOfEra(dayOfEra);
    return dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
  }

  /** Month of the March-based year: 0 is March, 11 is February. */
  private static long marchMonth(long marchDayOfYear) {
    return (5 * marchDayOfYear + 2) / 153;
  }

  static long year(long epochDay) {
    long dayOfEra = dayOfEra(epochDay);
    long era = Math.floorDiv(epochDay + EPOCH_SHIFT, DAYS_PER_ERA);
    long year = yearOfEra(dayOfEra) + era * 400;
    return marchMonth(marchDayOfYear(dayOfEra)) >= 10 ? year + 1 : year;
  }

  static long month(long epochDay) {
    long marchMonth = marchMonth(marchDayOfYear(dayOfEra(epochDay)));
    return marchMonth < 10 ? marchMonth + 3 : marchMonth - 9;
  }

  static long dayOfMonth(long epochDay) {
    long marchDay = marchDayOfYear(dayOfEra(epochDay));
    return marchDay - (153 * marchMonth(marchDay) + 2) / 5 + 1;
  }

  static long dayOfYear(long epochDay) {
    long marchDay = marchDayOfYear(dayOfEra(epochDay));
    if (marchDay >= 306) {
      return marchDay - 305; // January and February belong to the next calendar year.
    }
    long year = year(epochDay);
    boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    return marchDay + 60 + (leap ? 1 : 0);
  }

  static boolean isLeapYear(long year) {
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  }

  static long daysInMonth(long year, long month) {
    return month == 2 ? (isLeapYear(year) ? 29 : 28) : 30 + ((month + month / 8) & 1);
  }

  /** The epoch day of the last day of {@code epochDay}'s month. */
  static long lastDayOfMonth(long epochDay) {
    return epochDay - dayOfMonth(epochDay) + daysInMonth(year(epochDay), month(epochDay));
  }

  /** The epoch day of a proleptic Gregorian date (Hinnant's "days_from_civil"). */
  static long epochDay(long year, long month, long dayOfMonth) {
    long shiftedYear = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(shiftedYear, 400);
    long yearOfEra = shiftedYear - era * 400;
    long marchMonth = month > 2 ? month - 3 : month + 9;
    long dayOfYear = (153 * marchMonth + 2) / 5 + dayOfMonth - 1;
    long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * DAYS_PER_ERA + dayOfEra - EPOCH_SHIFT;
  }

  /**
   * {@code epochDay} plus {@code months} calendar months, the day clamped to the last of the
   * resulting month ({@code 2020-01-31} plus one month is {@code 2020-02-29}), as {@link
   * java.time.LocalDate#plusMonths}; {@link Long#MIN_VALUE} when the result is outside the years
   * 0..9999.
   */
  static long plusMonths(long epochDay, long months) {
    long year = year(epochDay);
    long month = month(epochDay);
    long total;
    try {
      total = Math.addExact(year * 12 + month - 1, months);
    } catch (ArithmeticException overflow) {
      return Long.MIN_VALUE;
    }
    long resultYear = Math.floorDiv(total, 12);
    if (resultYear < 0 || resultYear > 9999) {
      return Long.MIN_VALUE;
    }
    long resultMonth = Math.floorMod(total, 12) + 1;
    long day = Math.min(dayOfMonth(epochDay), daysInMonth(resultYear, resultMonth));
    return epochDay(resultYear, resultMonth, day);
  }
}
