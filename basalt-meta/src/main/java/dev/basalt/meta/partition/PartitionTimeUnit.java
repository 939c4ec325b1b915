package dev.basalt.meta.partition;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * The period of one time partition: a dynamic partition ({@code dynamic_partition.time_unit}) or an
 * AUTO RANGE partition ({@code date_trunc(col, 'unit')}). Weeks start on Monday.
 */
public enum PartitionTimeUnit {
  HOUR("yyyyMMddHH"),
  DAY("yyyyMMdd"),
  WEEK("yyyy_ww"),
  MONTH("yyyyMM"),
  YEAR("yyyy");

  private final String namePattern;

  PartitionTimeUnit(String namePattern) {
    this.namePattern = namePattern;
  }

  /** The start of the period holding {@code time}. */
  public LocalDateTime floor(LocalDateTime time) {
    return switch (this) {
      case HOUR -> time.truncatedTo(ChronoUnit.HOURS);
      case DAY -> time.truncatedTo(ChronoUnit.DAYS);
      case WEEK ->
          time.truncatedTo(ChronoUnit.DAYS)
              .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH -> time.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
      case YEAR -> time.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
    };
  }

  /** {@code periodStart} moved by {@code count} periods. */
  public LocalDateTime plus(LocalDateTime periodStart, long count) {
    return switch (this) {
      case HOUR -> periodStart.plusHours(count);
      case DAY -> periodStart.plusDays(count);
      case WEEK -> periodStart.plusWeeks(count);
      case MONTH -> periodStart.plusMonths(count);
      case YEAR -> periodStart.plusYears(count);
    };
  }

  /** The partition name suffix of a period, as Doris writes it. */
  public String suffix(LocalDateTime periodStart) {
    if (this == WEEK) {
      return String.format(
          Locale.ROOT,
          "%04d_%02d",
          periodStart.get(IsoFields.WEEK_BASED_YEAR),
          periodStart.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }
    return DateTimeFormatter.ofPattern(namePattern, Locale.ROOT).format(periodStart);
  }
}
