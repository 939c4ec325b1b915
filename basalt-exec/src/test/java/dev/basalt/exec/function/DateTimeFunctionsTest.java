package dev.basalt.exec.function;

import static dev.basalt.exec.function.FunctionTesting.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.type.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class DateTimeFunctionsTest {
  private static final Argument TUESDAY = datetime("2024-03-05 14:07:09.012345");

  @Test
  void currentTimeComesFromTheStatementStart() {
    assertThat(call("now")).isEqualTo(LocalDateTime.of(2024, 3, 15, 10, 20, 30));
    assertThat(returnType("current_timestamp")).isEqualTo(DataType.DATETIME);
    assertThat(callConstant("now", bigint(3)))
        .isEqualTo(LocalDateTime.of(2024, 3, 15, 10, 20, 30, 123_000_000));
    assertThat(constantReturnType("now", bigint(3))).isEqualTo(DataType.datetime(3));
    assertThat(call("localtimestamp")).isEqualTo(call("sysdate"));
    assertThat(call("curdate")).isEqualTo(LocalDate.of(2024, 3, 15));
    assertThat(call("current_date")).isEqualTo(LocalDate.of(2024, 3, 15));
    assertThat(call("curtime")).isEqualTo("10:20:30");
    assertThat(call("utc_timestamp")).isEqualTo(LocalDateTime.of(2024, 3, 15, 2, 20, 30));
    assertThat(call("unix_timestamp")).isEqualTo(1_710_469_230L);
  }

  @Test
  void fieldExtraction() {
    assertThat(call("year", TUESDAY)).isEqualTo(2024L);
    assertThat(call("month", TUESDAY)).isEqualTo(3L);
    assertThat(call("day", TUESDAY)).isEqualTo(5L);
    assertThat(call("dayofmonth", date("2024-03-05"))).isEqualTo(5L);
    assertThat(call("hour", TUESDAY)).isEqualTo(14L);
    assertThat(call("minute", TUESDAY)).isEqualTo(7L);
    assertThat(call("second", TUESDAY)).isEqualTo(9L);
    assertThat(call("microsecond", TUESDAY)).isEqualTo(12_345L);
    assertThat(call("dayofweek", TUESDAY)).isEqualTo(3L);
    assertThat(call("dayofweek", date("2024-03-03"))).isEqualTo(1L);
    assertThat(call("weekday", TUESDAY)).isEqualTo(1L);
    assertThat(call("weekday", date("2024-03-03"))).isEqualTo(6L);
    assertThat(call("dayofyear", TUESDAY)).isEqualTo(65L);
    assertThat(call("quarter", TUESDAY)).isEqualTo(1L);
    assertThat(call("quarter", date("2024-12-31"))).isEqualTo(4L);
    assertThat(call("monthname", TUESDAY)).isEqualTo("March");
    assertThat(call("dayname", TUESDAY)).isEqualTo("Tuesday");
    assertThat(call("year", str("2021-07-01"))).isEqualTo(2021L);
    assertThat(call("year", str("garbage"))).isNull();
    assertThat(call("year", nullOf(DataType.DATE))).isNull();
    assertThat(call("date", TUESDAY)).isEqualTo(LocalDate.of(2024, 3, 5));
    assertThat(call("to_date", str("2024-03-05 10:00:00"))).isEqualTo(LocalDate.of(2024, 3, 5));
    assertThat(call("timestamp", str("2024-03-05"))).isEqualTo(LocalDateTime.of(2024, 3, 5, 0, 0));
    assertThat(call("extract", str("MONTH"), TUESDAY)).isEqualTo(3L);
    assertThat(call("last_day", date("2024-02-10"))).isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(call("last_day", date("2023-02-10"))).isEqualTo(LocalDate.of(2023, 2, 28));
  }

  @Test
  void weekNumbering() {
    assertThat(call("week", date("2024-01-01"))).isEqualTo(0L);
    assertThat(call("week", date("2024-01-07"))).isEqualTo(1L);
    assertThat(call("week", date("2024-01-01"), bigint(1))).isEqualTo(1L);
    assertThat(call("week", date("2024-01-01"), bigint(2))).isEqualTo(53L);
    assertThat(call("week", TUESDAY)).isEqualTo(9L);
    assertThat(call("week", TUESDAY, bigint(1))).isEqualTo(10L);
    assertThat(call("week", TUESDAY, bigint(3))).isEqualTo(10L);
    assertThat(call("week", date("2021-01-01"), bigint(3))).isEqualTo(53L);
    assertThat(call("week", date("2021-01-01"), bigint(1))).isEqualTo(0L);
    assertThat(call("weekofyear", date("2024-12-30"))).isEqualTo(1L);
    assertThat(call("weekofyear", date("2021-01-03"))).isEqualTo(53L);
    assertThat(call("yearweek", date("2021-01-01"), bigint(3))).isEqualTo(202053L);
    assertThat(call("yearweek", date("2024-12-30"))).isEqualTo(202452L);
    assertThat(call("yearweek", date("2024-01-01"))).isEqualTo(202353L);
  }

  @Test
  void dateFormatEverySpecifier() {
    assertThat(call("date_format", TUESDAY, str("%Y|%y|%m|%c|%d|%e|%H|%h|%I|%i|%s|%S|%f|%p")))
        .isEqualTo("2024|24|03|3|05|5|14|02|02|07|09|09|012345|PM");
    assertThat(
            call(
                "date_format",
                TUESDAY,
                str("%W|%a|%M|%b|%j|%T|%r|%k|%l|%U|%u|%V|%v|%X|%x|%w|%%|%D|%q")))
        .isEqualTo(
            "Tuesday|Tue|March|Mar|065|14:07:09|02:07:09 PM|14|2|09|10|09|10|2024|2024|2|%|5th|q");
    assertThat(call("date_format", datetime("2024-01-01 00:05:00"), str("%h %l %p %r")))
        .isEqualTo("12 12 AM 12:05:00 AM");
    assertThat(call("date_format", date("2021-01-01"), str("%x-%v %X-%V")))
        .isEqualTo("2020-53 2020-52");
    assertThat(call("date_format", date("2024-01-02"), str("%D %D"))).isEqualTo("2nd 2nd");
    assertThat(call("date_format", date("2024-01-13"), str("%D"))).isEqualTo("13th");
    assertThat(call("date_format", date("2024-01-23"), str("%D"))).isEqualTo("23rd");
    assertThat(call("date_format", str("2024-01-23"), str("%Y"))).isEqualTo("2024");
    assertThat(call("date_format", nullOf(DataType.DATE), str("%Y"))).isNull();
  }

  @Test
  void strToDate() {
    assertThat(callConstant("str_to_date", str("2024-03-05"), str("%Y-%m-%d")))
        .isEqualTo(LocalDate.of(2024, 3, 5));
    assertThat(constantReturnType("str_to_date", str("2024-03-05"), str("%Y-%m-%d")))
        .isEqualTo(DataType.DATE);
    assertThat(returnType("str_to_date", str("2024-03-05"), str("%Y-%m-%d")))
        .isEqualTo(DataType.DATETIME);
    assertThat(call("str_to_date", str("2024-03-05"), str("%Y-%m-%d")))
        .isEqualTo(LocalDateTime.of(2024, 3, 5, 0, 0));
    assertThat(callConstant("str_to_date", str("05/03/2024 14:07:09"), str("%d/%m/%Y %H:%i:%s")))
        .isEqualTo(LocalDateTime.of(2024, 3, 5, 14, 7, 9));
    assertThat(callConstant("str_to_date", str("March 5 2024 2:07:09 PM"), str("%M %e %Y %r")))
        .isEqualTo(LocalDateTime.of(2024, 3, 5, 14, 7, 9));
    assertThat(callConstant("str_to_date", str("March 5 2024 02:07:09 PM"), str("%M %e %Y %r")))
        .isEqualTo(LocalDateTime.of(2024, 3, 5, 14, 7, 9));
    assertThat(callConstant("str_to_date", str("Tue, 5 Mar 24 14:07:09"), str("%a, %e %b %y %T")))
        .isEqualTo(LocalDateTime.of(2024, 3, 5, 14, 7, 9));
    assertThat(callConstant("str_to_date", str("2024-065"), str("%Y-%j")))
        .isEqualTo(LocalDate.of(2024, 3, 5));
    assertThat(callConstant("str_to_date", str("2024-02-30"), str("%Y-%m-%d"))).isNull();
    assertThat(callConstant("str_to_date", str("2024/02/03"), str("%Y-%m-%d"))).isNull();
    assertThat(callConstant("str_to_date", str("13:00"), str("%H:%i"))).isNull();
    assertThat(callConstant("str_to_date", str("12 AM"), str("%Y %p"))).isNull();
    assertThat(callConstant("str_to_date", nullOf(DataType.STRING), str("%Y"))).isNull();
    assertThat(constantReturnType("str_to_date", str("x"), str("%Y-%m-%d %H:%i:%s.%f")))
        .isEqualTo(DataType.datetime(6));
  }

  @Test
  void strToDateRoundTripsDateFormat() {
    String[] formats = {
      "%Y-%m-%d %H:%i:%s.%f",
      "%d %M %Y %h:%i:%s %p",
      "%Y%m%d%H%i%s",
      "%W %e %b %Y %T",
      "%j/%Y %k.%i.%S",
      "%c/%e/%y %l:%i %p"
    };
    LocalDateTime[] values = {
      LocalDateTime.of(2024, 2, 29, 0, 0, 1), LocalDateTime.of(1999, 12, 31, 23, 59, 59),
      LocalDateTime.of(2000, 1, 1, 12, 0, 0), LocalDateTime.of(2031, 7, 4, 9, 5, 0)
    };
    for (String format : formats) {
      for (LocalDateTime value : values) {
        Object text = call("date_format", arg(DataType.DATETIME, value), str(format));
        Object parsed = callConstant("str_to_date", str((String) text), str(format));
        LocalDateTime expected =
            format.contains("%s") || format.contains("%S") || format.contains("%T")
                ? value
                : value.withSecond(0);
        assertThat(parsed).as(format + " / " + text).isEqualTo(expected);
      }
    }
  }

  @Test
  void dateAddClampsToTheEndOfTheMonth() {
    assertThat(call("date_add", date("2024-01-31"), bigint(1), str("MONTH")))
        .isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(call("date_add", date("2023-01-31"), bigint(1), str("MONTH")))
        .isEqualTo(LocalDate.of(2023, 2, 28));
    assertThat(call("date_sub", date("2024-02-29"), bigint(1), str("YEAR")))
        .isEqualTo(LocalDate.of(2023, 2, 28));
    assertThat(call("date_add", date("2024-02-29"), bigint(4), str("YEAR")))
        .isEqualTo(LocalDate.of(2028, 2, 29));
    assertThat(call("date_add", date("2024-11-30"), bigint(1), str("QUARTER")))
        .isEqualTo(LocalDate.of(2025, 2, 28));
    assertThat(call("months_add", date("2024-01-31"), bigint(13)))
        .isEqualTo(LocalDate.of(2025, 2, 28));
    assertThat(call("months_sub", date("2024-03-31"), bigint(1)))
        .isEqualTo(LocalDate.of(2024, 2, 29));
  }

  @Test
  void dateAddUnitsAndTypes() {
    assertThat(call("date_add", date("2024-01-31"), bigint(1))).isEqualTo(LocalDate.of(2024, 2, 1));
    assertThat(call("adddate", date("2024-01-31"), bigint(-31)))
        .isEqualTo(LocalDate.of(2023, 12, 31));
    assertThat(call("subdate", date("2024-03-01"), bigint(1), str("DAY")))
        .isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(call("date_add", date("2024-03-01"), bigint(2), str("WEEK")))
        .isEqualTo(LocalDate.of(2024, 3, 15));
    assertThat(returnType("date_add", date("2024-03-01"), bigint(2), str("WEEK")))
        .isEqualTo(DataType.DATE);
    assertThat(constantReturnType("date_add", date("2024-03-01"), bigint(2), str("HOUR")))
        .isEqualTo(DataType.DATETIME);
    assertThat(callConstant("date_add", date("2024-03-01"), bigint(2), str("HOUR")))
        .isEqualTo(LocalDateTime.of(2024, 3, 1, 2, 0));
    assertThatThrownBy(() -> call("date_add", date("2024-03-01"), bigint(2), str("HOUR")))
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("hours_add");
    assertThat(call("hours_add", date("2024-03-01"), bigint(25)))
        .isEqualTo(LocalDateTime.of(2024, 3, 2, 1, 0));
    assertThat(call("date_add", datetime("2024-03-01 23:30:00"), bigint(90), str("MINUTE")))
        .isEqualTo(LocalDateTime.of(2024, 3, 2, 1, 0));
    assertThat(call("date_sub", datetime("2024-03-01 00:00:00"), bigint(1), str("SECOND")))
        .isEqualTo(LocalDateTime.of(2024, 2, 29, 23, 59, 59));
    assertThat(call("date_add", str("2024-01-01"), bigint(1), str("DAY")))
        .isEqualTo(LocalDateTime.of(2024, 1, 2, 0, 0));
    assertThat(returnType("date_add", str("2024-01-01"), bigint(1), str("DAY")))
        .isEqualTo(DataType.DATETIME);
    assertThat(call("microseconds_add", datetime("2024-01-01 00:00:00"), bigint(5)))
        .isEqualTo(LocalDateTime.of(2024, 1, 1, 0, 0, 0, 5000));
    assertThat(returnType("microseconds_add", datetime("2024-01-01 00:00:00"), bigint(5)))
        .isEqualTo(DataType.datetime(6));
    assertThat(call("date_add", date("9999-12-31"), bigint(1))).isNull();
    assertThat(call("date_add", date("2024-01-01"), nullOf(DataType.BIGINT))).isNull();
    assertThat(callConstant("timestampadd", str("MONTH"), bigint(1), date("2024-01-31")))
        .isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(call("years_add", date("2024-02-29"), bigint(1)))
        .isEqualTo(LocalDate.of(2025, 2, 28));
    assertThat(call("weeks_sub", date("2024-01-01"), bigint(1)))
        .isEqualTo(LocalDate.of(2023, 12, 25));
    assertThat(call("days_add", datetime("2024-01-01 10:00:00"), bigint(1)))
        .isEqualTo(LocalDateTime.of(2024, 1, 2, 10, 0));
    assertThat(call("minutes_sub", datetime("2024-01-01 00:00:00"), bigint(1)))
        .isEqualTo(LocalDateTime.of(2023, 12, 31, 23, 59));
    assertThat(call("seconds_add", datetime("2024-01-01 00:00:00"), bigint(61)))
        .isEqualTo(LocalDateTime.of(2024, 1, 1, 0, 1, 1));
    assertThatThrownBy(() -> call("date_add", date("2024-01-01"), bigint(1), str("FORTNIGHT")))
        .isInstanceOf(BasaltException.class);
  }

  @Test
  void localDatetimesIgnoreDaylightSaving() {
    assertThat(call("date_add", datetime("2024-03-31 01:30:00"), bigint(1), str("HOUR")))
        .isEqualTo(LocalDateTime.of(2024, 3, 31, 2, 30));
    assertThat(call("hours_diff", datetime("2024-11-03 03:00:00"), datetime("2024-11-03 00:00:00")))
        .isEqualTo(3L);
  }

  @Test
  void differences() {
    assertThat(call("datediff", datetime("2024-03-01 23:59:59"), datetime("2024-02-28 00:00:00")))
        .isEqualTo(2L);
    assertThat(call("datediff", date("2024-01-01"), date("2024-01-31"))).isEqualTo(-30L);
    assertThat(call("timestampdiff", str("MONTH"), date("2024-01-31"), date("2024-02-29")))
        .isEqualTo(0L);
    assertThat(call("timestampdiff", str("MONTH"), date("2024-01-31"), date("2024-03-31")))
        .isEqualTo(2L);
    assertThat(
            call(
                "timestampdiff",
                str("DAY"),
                datetime("2024-01-01 10:00:00"),
                datetime("2024-01-03 09:00:00")))
        .isEqualTo(1L);
    assertThat(
            call(
                "timestampdiff",
                str("SECOND"),
                datetime("2024-01-01 00:00:00"),
                datetime("2024-01-01 00:01:00")))
        .isEqualTo(60L);
    assertThat(call("timestampdiff", str("YEAR"), date("2024-02-29"), date("2025-02-28")))
        .isEqualTo(0L);
    assertThat(call("timestampdiff", str("QUARTER"), date("2024-01-01"), date("2024-12-31")))
        .isEqualTo(3L);
    assertThat(call("years_diff", date("2025-03-01"), date("2024-02-29"))).isEqualTo(1L);
    assertThat(call("months_diff", date("2024-03-01"), date("2024-01-15"))).isEqualTo(1L);
    assertThat(call("weeks_diff", date("2024-03-15"), date("2024-03-01"))).isEqualTo(2L);
    assertThat(call("days_diff", datetime("2024-01-02 00:00:00"), datetime("2024-01-01 23:00:00")))
        .isEqualTo(0L);
    assertThat(
            call("minutes_diff", datetime("2024-01-01 01:00:00"), datetime("2024-01-01 00:00:00")))
        .isEqualTo(60L);
    assertThat(
            call("seconds_diff", datetime("2024-01-01 00:00:00"), datetime("2024-01-01 00:00:10")))
        .isEqualTo(-10L);
  }

  @Test
  void unixTimeAndDayNumbers() {
    assertThat(call("unix_timestamp", datetime("1970-01-01 08:00:00"))).isEqualTo(0L);
    assertThat(call("unix_timestamp", str("2024-03-15 10:20:30"))).isEqualTo(1_710_469_230L);
    assertThat(call("unix_timestamp", date("1960-01-01"))).isEqualTo(0L);
    assertThat(call("unix_timestamp", datetime("1970-01-01 08:00:01.5")))
        .isEqualTo(new BigDecimal("1.500000"));
    assertThat(call("unix_timestamp", str("2024/03/15"), str("%Y/%m/%d")))
        .isEqualTo(1_710_432_000L);
    assertThat(call("from_unixtime", bigint(0))).isEqualTo("1970-01-01 08:00:00");
    assertThat(call("from_unixtime", bigint(1_710_469_230L), str("%Y-%m-%d %H")))
        .isEqualTo("2024-03-15 10");
    assertThat(call("from_unixtime", bigint(-1))).isNull();
    assertThat(call("to_days", date("2007-10-07"))).isEqualTo(733_321L);
    assertThat(call("from_days", bigint(733_321))).isEqualTo(LocalDate.of(2007, 10, 7));
    assertThat(call("from_days", bigint(10))).isNull();
    assertThat(call("makedate", bigint(2024), bigint(60))).isEqualTo(LocalDate.of(2024, 2, 29));
    assertThat(call("makedate", bigint(2023), bigint(366))).isEqualTo(LocalDate.of(2024, 1, 1));
    assertThat(call("makedate", bigint(2023), bigint(0))).isNull();
  }

  @Test
  void truncationAndZones() {
    assertThat(call("date_trunc", TUESDAY, str("month")))
        .isEqualTo(LocalDateTime.of(2024, 3, 1, 0, 0));
    assertThat(call("date_trunc", TUESDAY, str("year")))
        .isEqualTo(LocalDateTime.of(2024, 1, 1, 0, 0));
    assertThat(call("date_trunc", TUESDAY, str("quarter")))
        .isEqualTo(LocalDateTime.of(2024, 1, 1, 0, 0));
    assertThat(call("date_trunc", TUESDAY, str("week")))
        .isEqualTo(LocalDateTime.of(2024, 3, 4, 0, 0));
    assertThat(call("date_trunc", TUESDAY, str("day")))
        .isEqualTo(LocalDateTime.of(2024, 3, 5, 0, 0));
    assertThat(call("date_trunc", TUESDAY, str("HOUR")))
        .isEqualTo(LocalDateTime.of(2024, 3, 5, 14, 0));
    assertThat(call("date_trunc", TUESDAY, str("minute")))
        .isEqualTo(LocalDateTime.of(2024, 3, 5, 14, 7));
    assertThat(call("date_trunc", TUESDAY, str("second")))
        .isEqualTo(LocalDateTime.of(2024, 3, 5, 14, 7, 9));
    assertThat(call("date_trunc", str("month"), TUESDAY))
        .isEqualTo(LocalDateTime.of(2024, 3, 1, 0, 0));
    assertThat(call("date_trunc", date("2024-03-05"), str("month")))
        .isEqualTo(LocalDate.of(2024, 3, 1));
    assertThat(returnType("date_trunc", date("2024-03-05"), str("month"))).isEqualTo(DataType.DATE);
    assertThatThrownBy(() -> call("date_trunc", TUESDAY, str("decade")))
        .isInstanceOf(BasaltException.class);
    assertThat(call("convert_tz", datetime("2024-01-01 12:00:00"), str("+00:00"), str("+08:00")))
        .isEqualTo(LocalDateTime.of(2024, 1, 1, 20, 0));
    assertThat(
            call("convert_tz", datetime("2024-07-01 12:00:00"), str("Europe/London"), str("UTC")))
        .isEqualTo(LocalDateTime.of(2024, 7, 1, 11, 0));
    assertThat(call("convert_tz", datetime("2024-07-01 12:00:00"), str("Mars/Olympus"), str("UTC")))
        .isNull();
  }
}
