package dev.basalt.exec.function.scalar;

import static dev.basalt.exec.function.scalar.Signatures.firstOf;
import static dev.basalt.exec.function.scalar.Signatures.rowWise;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.type.ValueText;
import dev.basalt.exec.function.ConstantAwareResolver;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.ScalarFunctionResolver;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Date and time functions with MySQL / Doris semantics. DATE values are {@link LocalDate}s and
 * DATETIME values {@link LocalDateTime}s without a time zone; only {@code unix_timestamp}, {@code
 * from_unixtime} and {@code convert_tz} involve zones (the session's, from {@link
 * EvaluationContext#timeZone()}). String arguments are parsed as datetimes (invalid → NULL).
 *
 * <p>Return types and choices:
 *
 * <ul>
 *   <li>{@code now(), current_timestamp(), localtime(), localtimestamp(), sysdate()}: DATETIME (or
 *       DATETIME(p) for a constant precision argument), the statement's start for every row. {@code
 *       curdate(), current_date()}: DATE. {@code curtime(), current_time()}: VARCHAR {@code
 *       HH:mm:ss} (Basalt has no TIME type).
 *   <li>field extractors ({@code year ... microsecond, dayofweek, dayofyear, weekday, week,
 *       weekofyear, yearweek, quarter, to_days, datediff}): INT (to_days BIGINT); {@code monthname,
 *       dayname, date_format, from_unixtime}: VARCHAR (from_unixtime returns text as Doris does,
 *       MySQL returns DATETIME).
 *   <li>{@code date_add(d, n [, unit])} and {@code adddate, date_sub, subdate, timestampadd(unit,
 *       n, d)}: a DATE stays DATE for units of a day or longer; a DATE with an hour, minute, second
 *       or microsecond unit gives DATETIME when the unit is a known constant, and otherwise (unit
 *       not constant) is an error at run time — the planner should pass the unit as a constant or
 *       call {@code hours_add} and friends ({@link FunctionRegistry#intervalFunctionName}).
 *       DATETIME(p) stays DATETIME(p) (DATETIME(6) for microseconds); strings give DATETIME. Two
 *       arguments mean days. Month arithmetic clamps to the month's end ({@code 2020-01-31 + 1
 *       month = 2020-02-29}); results outside years 0..9999 are NULL.
 *   <li>{@code years_add ... microseconds_add} and {@code _sub}: as date_add with that unit.
 *   <li>{@code years_diff ... microseconds_diff(end, start)} and {@code timestampdiff(unit, start,
 *       end)}: BIGINT count of whole units; {@code datediff(a, b)}: INT days, ignoring times.
 *   <li>{@code str_to_date(s, format)}: DATE when the format is a constant without time fields,
 *       otherwise DATETIME (DATETIME(6) when the format reads {@code %f}); invalid → NULL.
 *   <li>{@code unix_timestamp()}, {@code unix_timestamp(d)}: BIGINT seconds (DECIMAL(18,6) for a
 *       DATETIME with fractional digits); dates before 1970 give 0, as MySQL.
 *   <li>{@code date_trunc(d, unit)} (Doris order; {@code date_trunc(unit, d)} is accepted too):
 *       same type as {@code d} (DATE or DATETIME); units year, quarter, month, week (Monday), day,
 *       hour, minute, second.
 *   <li>{@code extract(unit, d)}: BIGINT, the unit as a string first (for {@code EXTRACT(unit FROM
 *       d)}); {@code timestampdiff(unit, start, end)} and {@code timestampadd(unit, n, d)} take the
 *       unit as a string first too.
 *   <li>{@code time(x)}: VARCHAR, the time part as MySQL prints a TIME (microseconds kept), NULL
 *       for text that is no time.
 *   <li>{@code date(x), to_date(x)}: DATE; {@code timestamp(x)}: DATETIME; {@code last_day}: DATE;
 *       {@code from_days}: DATE (NULL below day 366); {@code makedate(y, doy)}: DATE; {@code
 *       convert_tz(dt, from, to)}: DATETIME.
 * </ul>
 *
 * Stateless and thread safe.
 */
public final class DateTimeFunctions {
  private static final DataType ANY_DATETIME = DataType.datetime(DataType.MAX_DATETIME_SCALE);
  private static final DataType N = DataType.BIGINT;
  private static final DataType S = DataType.STRING;
  private static final DataType INT = DataType.INT;
  private static final long DAYS_FROM_YEAR_ZERO = 719_528L;

  private DateTimeFunctions() {}

  /** An interval unit. */
  enum Unit {
    YEAR(true),
    QUARTER(true),
    MONTH(true),
    WEEK(true),
    DAY(true),
    HOUR(false),
    MINUTE(false),
    SECOND(false),
    MICROSECOND(false);

    final boolean dateUnit;

    Unit(boolean dateUnit) {
      this.dateUnit = dateUnit;
    }

    static Unit parse(String text) {
      String name = text.trim().toUpperCase(Locale.ROOT);
      if (name.endsWith("S")) {
        name = name.substring(0, name.length() - 1);
      }
      try {
        return Unit.valueOf(name);
      } catch (IllegalArgumentException unknown) {
        throw new BasaltException(
            ErrorCode.WRONG_ARGUMENTS, "date_add", "unknown interval unit '" + text + "'");
      }
    }

    String pluralName() {
      return name().toLowerCase(Locale.ROOT) + "s";
    }
  }

  public static void register(FunctionRegistry.Builder builder) {
    builder.scalar(
        (ConstantAwareResolver) DateTimeFunctions::resolveNow,
        "now",
        "current_timestamp",
        "localtime",
        "localtimestamp",
        "sysdate");
    builder.scalar(
        rowWise("curdate", DataType.DATE, List.of(), (a, c) -> c.statementStart().toLocalDate()),
        "curdate",
        "current_date");
    builder.scalar(
        rowWise(
            "curtime",
            DataType.varchar(8),
            List.of(),
            (a, c) -> ValueText.formatDatetime(c.statementStart(), 0).substring(11)),
        "curtime",
        "current_time");
    builder.scalar(
        rowWise(
            "utc_timestamp",
            DataType.DATETIME,
            List.of(),
            (a, c) ->
                c.statementStart()
                    .atZone(c.timeZone())
                    .withZoneSameInstant(ZoneOffset.UTC)
                    .toLocalDateTime()
                    .truncatedTo(ChronoUnit.SECONDS)),
        "utc_timestamp");
    builder.scalar(
        firstOf(
            types ->
                types.size() != 1
                    ? null
                    : switch (types.get(0).kind()) {
                      case DATE -> VectorKernels.longToLong("date", DataType.DATE, day -> day);
                      case DATETIME ->
                          VectorKernels.longToLong(
                              "date",
                              DataType.DATE,
                              micros -> Math.floorDiv(micros, CivilCalendar.MICROS_PER_DAY));
                      case CHAR, VARCHAR, STRING ->
                          CastThenKernel.of(
                              VectorKernels.longToLong("date", DataType.DATE, day -> day),
                              types,
                              List.of(DataType.DATE));
                      default -> null;
                    },
            DATE_ROW_WISE),
        "date",
        "to_date");
    builder.scalar(
        types ->
            types.size() == 1 && (isDateOrDatetime(types.get(0)) || types.get(0).kind().isString())
                ? CastThenKernel.of(
                    VectorKernels.longToLong(
                        "timestamp", datetimeOf(types.get(0), false), micros -> micros),
                    types,
                    List.of(types.get(0).kind() == TypeKind.DATETIME ? types.get(0) : ANY_DATETIME))
                : TIMESTAMP_ROW_WISE.resolve(types),
        "timestamp");

    field(builder, d -> (long) d.getYear(), CivilCalendar.YEAR, "year");
    field(builder, d -> (long) d.getMonthValue(), CivilCalendar.MONTH, "month");
    field(builder, d -> (long) d.getDayOfMonth(), CivilCalendar.DAY_OF_MONTH, "day", "dayofmonth");
    field(builder, d -> (long) d.getHour(), CivilCalendar.HOUR, "hour");
    field(builder, d -> (long) d.getMinute(), CivilCalendar.MINUTE, "minute");
    field(builder, d -> (long) d.getSecond(), CivilCalendar.SECOND, "second");
    field(builder, d -> (long) (d.getNano() / 1000), CivilCalendar.MICROSECOND, "microsecond");
    field(
        builder,
        d -> (long) (d.getDayOfWeek().getValue() % 7 + 1),
        CivilCalendar.DAY_OF_WEEK,
        "dayofweek");
    field(builder, d -> (long) d.getDayOfYear(), CivilCalendar.DAY_OF_YEAR, "dayofyear");
    field(builder, d -> (long) (d.getDayOfWeek().getValue() - 1), CivilCalendar.WEEKDAY, "weekday");
    field(builder, d -> (long) ((d.getMonthValue() - 1) / 3 + 1), CivilCalendar.QUARTER, "quarter");
    field(
        builder,
        d -> (long) DateFormats.week(d.toLocalDate(), DateFormats.weekBehaviour(3))[0],
        (day, micros) -> DateFormats.weekOf(DateFormats.week(day, DateFormats.weekBehaviour(3))),
        "weekofyear");
    builder.scalar(
        firstOf(
            types -> readingTextAsDatetime(types, 1, t -> typedWeek("week", t, false)),
            reference(
                "week",
                firstOf(
                    rowWise(
                        "week",
                        INT,
                        List.of(ANY_DATETIME),
                        (a, c) -> week((LocalDateTime) a[0], 0)),
                    rowWise(
                        "week",
                        INT,
                        List.of(ANY_DATETIME, N),
                        (a, c) -> week((LocalDateTime) a[0], (Long) a[1]))))),
        "week");
    builder.scalar(
        firstOf(
            types -> readingTextAsDatetime(types, 1, t -> typedWeek("yearweek", t, true)),
            reference(
                "yearweek",
                firstOf(
                    rowWise(
                        "yearweek",
                        INT,
                        List.of(ANY_DATETIME),
                        (a, c) -> yearWeek((LocalDateTime) a[0], 0)),
                    rowWise(
                        "yearweek",
                        INT,
                        List.of(ANY_DATETIME, N),
                        (a, c) -> yearWeek((LocalDateTime) a[0], (Long) a[1]))))),
        "yearweek");
    builder.scalar(
        firstOf(
            types ->
                readingTextAsDatetime(
                    types,
                    types.size(),
                    t ->
                        isOneDateOrDatetime(t)
                            ? DateKernels.name(
                                "monthname", DataType.varchar(9), t.get(0).kind(), true)
                            : null),
            rowWiseReference(
                "monthname",
                DataType.varchar(9),
                List.of(ANY_DATETIME),
                (a, c) -> DateFormats.monthName(((LocalDateTime) a[0]).getMonthValue()))),
        "monthname");
    builder.scalar(
        firstOf(
            types ->
                readingTextAsDatetime(
                    types,
                    types.size(),
                    t ->
                        isOneDateOrDatetime(t)
                            ? DateKernels.name(
                                "dayname", DataType.varchar(9), t.get(0).kind(), false)
                            : null),
            rowWiseReference(
                "dayname",
                DataType.varchar(9),
                List.of(ANY_DATETIME),
                (a, c) -> DateFormats.dayName(((LocalDateTime) a[0]).toLocalDate()))),
        "dayname");
    builder.scalar(
        firstOf(
            types ->
                readingTextAs(
                    DataType.DATE,
                    types,
                    types.size(),
                    t -> onDays(t, "last_day", DataType.DATE, CivilCalendar::lastDayOfMonth)),
            rowWiseReference(
                "last_day",
                DataType.DATE,
                List.of(DataType.DATE),
                (a, c) -> ((LocalDate) a[0]).with(TemporalAdjusters.lastDayOfMonth()))),
        "last_day");
    builder.scalar(
        firstOf(
            types ->
                readingTextAs(
                    DataType.DATE,
                    types,
                    types.size(),
                    t -> onDays(t, "to_days", N, day -> day + DAYS_FROM_YEAR_ZERO)),
            rowWiseReference(
                "to_days",
                N,
                List.of(DataType.DATE),
                (a, c) -> ((LocalDate) a[0]).toEpochDay() + DAYS_FROM_YEAR_ZERO)),
        "to_days");
    builder.scalar(
        firstOf(
            types ->
                types.size() == 1 && VectorKernels.isLongInteger(types.get(0))
                    ? VectorKernels.longsToLong(
                        "from_days",
                        DataType.DATE,
                        0,
                        0,
                        (days, same) -> fromDays(days),
                        Long.MIN_VALUE)
                    : null,
            FROM_DAYS_ROW_WISE),
        "from_days");
    builder.scalar(
        firstOf(
            types ->
                types.size() == 2 && types.stream().allMatch(VectorKernels::isLongInteger)
                    ? VectorKernels.longsToLong(
                        "makedate",
                        DataType.DATE,
                        0,
                        1,
                        DateTimeFunctions::makeDate,
                        Long.MIN_VALUE)
                    : null,
            MAKEDATE_ROW_WISE),
        "makedate");
    builder.scalar(
        firstOf(
            // A text is read as a DATE by the CAST rules, as the row-wise body.
            types -> readingTextAs(DataType.DATE, types, 2, DateTimeFunctions::typedDatediff),
            rowWiseReference(
                "datediff",
                INT,
                List.of(DataType.DATE, DataType.DATE),
                (a, c) -> ((LocalDate) a[0]).toEpochDay() - ((LocalDate) a[1]).toEpochDay())),
        "datediff");

    builder.scalar(intervalResolver("date_add", false, null), "date_add", "adddate");
    builder.scalar(intervalResolver("date_sub", true, null), "date_sub", "subdate");
    builder.scalar((ConstantAwareResolver) DateTimeFunctions::resolveTimestampAdd, "timestampadd");
    for (Unit unit : Unit.values()) {
      builder.scalar(
          intervalResolver(unit.pluralName() + "_add", false, unit), unit.pluralName() + "_add");
      builder.scalar(
          intervalResolver(unit.pluralName() + "_sub", true, unit), unit.pluralName() + "_sub");
      if (unit != Unit.QUARTER) {
        String name = unit.pluralName() + "_diff";
        builder.scalar(
            firstOf(
                types -> typedDifference(name, unit, types, 1, 0),
                rowWise(
                    name,
                    N,
                    List.of(ANY_DATETIME, ANY_DATETIME),
                    (a, c) -> difference(unit, (LocalDateTime) a[1], (LocalDateTime) a[0]))),
            name);
      }
    }
    builder.scalar(
        (ConstantAwareResolver)
            (types, constants) -> {
              Unit unit = constantUnit(types, constants);
              ScalarFunction typed =
                  unit == null ? null : typedDifference("timestampdiff", unit, types, 1, 2);
              return typed != null ? typed : TIMESTAMPDIFF_ROW_WISE.resolve(types);
            },
        "timestampdiff");
    builder.scalar(
        (ConstantAwareResolver)
            (types, constants) -> {
              Unit unit = constantUnit(types, constants);
              return unit != null && types.size() == 2 && isDateOrDatetime(types.get(1))
                  ? DateKernels.field("extract", N, 1, types.get(1).kind(), extractField(unit))
                  : EXTRACT_ROW_WISE.resolve(types);
            },
        "extract");

    builder.scalar(
        (ConstantAwareResolver)
            (types, constants) -> {
              ScalarFunction rowWise = DATE_FORMAT_ROW_WISE.resolve(types);
              if (rowWise == null
                  || !(isDateOrDatetime(types.get(0)) || types.get(0).kind().isString())
                  || !types.get(1).kind().isString()
                  || !(constants.get(1) instanceof String format)) {
                return rowWise;
              }
              ScalarFunction typed =
                  readingTextAsDatetime(
                      types,
                      1,
                      t -> DateKernels.dateFormat(StringFunctions.TEXT, t.get(0), format));
              return typed != null ? typed : rowWise;
            },
        "date_format");
    builder.scalar((ConstantAwareResolver) DateTimeFunctions::resolveStrToDate, "str_to_date");
    builder.scalar(
        types -> {
          ScalarFunction rowWise = resolveUnixTimestamp(types);
          return rowWise != null && isOneDateOrDatetime(types)
              ? DateKernels.unixTimestamp(rowWise.returnType(), types.get(0).kind())
              : rowWise;
        },
        "unix_timestamp");
    builder.scalar(
        (ConstantAwareResolver)
            (types, constants) -> {
              ScalarFunction rowWise = FROM_UNIXTIME_ROW_WISE.resolve(types);
              if (rowWise == null || !VectorKernels.isLongInteger(types.get(0))) {
                return rowWise;
              }
              Object format = types.size() == 1 ? DEFAULT_UNIXTIME_FORMAT : constants.get(1);
              ScalarFunction typed =
                  format instanceof String text
                      ? DateKernels.fromUnixTime(StringFunctions.TEXT, text)
                      : null;
              return typed != null ? typed : rowWise;
            },
        "from_unixtime");
    builder.scalar(
        (ConstantAwareResolver)
            (types, constants) -> {
              ScalarFunction rowWise = resolveDateTrunc(types);
              if (rowWise == null) {
                return null;
              }
              int valueIndex = dateTruncValueIndex(types);
              ScalarFunction typed =
                  isDateOrDatetime(types.get(valueIndex))
                          && constants.get(1 - valueIndex) instanceof String unit
                      ? DateKernels.dateTrunc(rowWise.returnType(), valueIndex, unit)
                      : null;
              return typed != null ? typed : rowWise;
            },
        "date_trunc");
    // Doris: a Unix time in seconds or milliseconds as a DATETIME in the session's time zone.
    builder.scalar(
        firstOf(
            types ->
                types.size() == 1 && VectorKernels.isLongInteger(types.get(0))
                    ? DateKernels.fromEpoch("from_second", DataType.DATETIME, 1)
                    : null,
            FROM_SECOND_ROW_WISE),
        "from_second");
    builder.scalar(
        firstOf(
            types ->
                types.size() == 1 && VectorKernels.isLongInteger(types.get(0))
                    ? DateKernels.fromEpoch("from_millisecond", DataType.datetime(3), 1000)
                    : null,
            FROM_MILLISECOND_ROW_WISE),
        "from_millisecond");
    builder.scalar(
        firstOf(
            types ->
                readingTextAs(
                    DataType.DATE,
                    types,
                    types.size(),
                    t ->
                        onDays(
                            t, "to_monday", DataType.DATE, day -> day - Math.floorMod(day + 3, 7))),
            rowWiseReference(
                "to_monday",
                DataType.DATE,
                List.of(DataType.DATE),
                (a, c) ->
                    ((LocalDate) a[0]).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)))),
        "to_monday");
    builder.scalar(
        rowWise(
            "utc_date",
            DataType.DATE,
            List.of(),
            (a, c) ->
                c.statementStart()
                    .atZone(c.timeZone())
                    .withZoneSameInstant(ZoneOffset.UTC)
                    .toLocalDate()),
        "utc_date");
    builder.scalar(
        rowWise(
            "utc_time",
            DataType.varchar(8),
            List.of(),
            (a, c) ->
                ValueText.formatDatetime(
                        c.statementStart()
                            .atZone(c.timeZone())
                            .withZoneSameInstant(ZoneOffset.UTC)
                            .toLocalDateTime(),
                        0)
                    .substring(11)),
        "utc_time");
    builder.scalar(
        firstOf(
            types ->
                types.size() == 1 && VectorKernels.isLongInteger(types.get(0))
                    ? DateKernels.duration("sec_to_time", DataType.varchar(10), null, null)
                    : null,
            SEC_TO_TIME_ROW_WISE),
        "sec_to_time");
    ScalarFunction typedTime = DateKernels.timeOfText("time", DataType.varchar(17), false);
    builder.scalar(
        types ->
            types.size() == 1 && types.get(0).kind().isString()
                ? typedTime
                : TIME_ROW_WISE.resolve(types),
        "time");
    ScalarFunction typedTimeToSec = DateKernels.timeOfText("time_to_sec", N, true);
    builder.scalar(
        types ->
            types.size() == 1 && types.get(0).kind().isString()
                ? typedTimeToSec
                : TIME_TO_SEC_ROW_WISE.resolve(types),
        "time_to_sec");
    builder.scalar(
        firstOf(
            types ->
                types.size() == 2
                        && isDateOrDatetime(types.get(0))
                        && isDateOrDatetime(types.get(1))
                    ? DateKernels.duration(
                        "timediff", DataType.varchar(17), types.get(0).kind(), types.get(1).kind())
                    : null,
            types ->
                types.size() == 2
                        && types.stream().allMatch(t -> isDateOrDatetime(t) || t.kind().isString())
                    ? readingTextAsDatetime(
                        types,
                        2,
                        kernelTypes ->
                            DateKernels.duration(
                                "timediff",
                                DataType.varchar(17),
                                kernelTypes.get(0).kind(),
                                kernelTypes.get(1).kind()))
                    : null,
            TIMEDIFF_ROW_WISE),
        "timediff");
    for (boolean subtract : new boolean[] {false, true}) {
      String name = subtract ? "sub_time" : "add_time";
      ScalarFunctionResolver rowWise = addTimeRowWise(name, subtract);
      builder.scalar(
          types -> {
            if (types.size() != 2 || !types.get(1).kind().isString()) {
              return rowWise.resolve(types);
            }
            // A text first argument is read as a DATETIME by the CAST rules, as the row-wise body.
            return isDateOrDatetime(types.get(0)) || types.get(0).kind().isString()
                ? readingTextAsDatetime(
                    types,
                    1,
                    kernelTypes ->
                        DateKernels.addTime(
                            name,
                            datetimeOf(types.get(0), false),
                            kernelTypes.get(0).kind(),
                            subtract))
                : rowWise.resolve(types);
          },
          name,
          subtract ? "subtime" : "addtime");
    }
    builder.scalar(
        (ConstantAwareResolver)
            (types, constants) -> {
              ScalarFunction rowWise = CONVERT_TZ_ROW_WISE.resolve(types);
              return rowWise != null
                      && (isDateOrDatetime(types.get(0)) || types.get(0).kind().isString())
                      && constants.get(1) instanceof String from
                      && constants.get(2) instanceof String to
                  ? readingTextAsDatetime(
                      types,
                      1,
                      kernelTypes ->
                          DateKernels.convertTimeZone(
                              rowWise.returnType(), kernelTypes.get(0).kind(), from, to))
                  : rowWise;
            },
        "convert_tz");
  }

  /**
   * The row-wise bodies of the date and time fields ({@code year}, {@code hour} ...) and of the
   * other functions registered through {@link #reference}, by name: the references of their typed
   * kernels.
   */
  private static final java.util.Map<String, ScalarFunctionResolver> ROW_WISE_REFERENCES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The row-wise body of the function {@code name}: the reference of its typed kernels. */
  static ScalarFunctionResolver referenceOf(String name) {
    return ROW_WISE_REFERENCES.get(name);
  }

  /**
   * The typed kernel {@code kernel} makes for argument types in which each text among the first
   * {@code count} arguments is a DATETIME(6), behind a CAST of those texts ({@link
   * CastThenKernel}), for a function whose row-wise body reads those arguments as DATETIMEs by the
   * CAST rules; the kernel itself when none of them is a text.
   */
  private static ScalarFunction readingTextAsDatetime(
      List<DataType> types, int count, Function<List<DataType>, ScalarFunction> kernel) {
    return readingTextAs(ANY_DATETIME, types, count, kernel);
  }

  /**
   * {@link #readingTextAsDatetime} for a body that reads its text arguments as {@code target} (a
   * DATE or DATETIME(6)); {@code null} when the kernel has none for those types.
   */
  private static ScalarFunction readingTextAs(
      DataType target,
      List<DataType> types,
      int count,
      Function<List<DataType>, ScalarFunction> kernel) {
    List<DataType> kernelTypes = new java.util.ArrayList<>(types);
    boolean text = false;
    for (int i = 0; i < Math.min(count, types.size()); i++) {
      if (types.get(i).kind().isString()) {
        kernelTypes.set(i, target);
        text = true;
      }
    }
    ScalarFunction typed = kernel.apply(kernelTypes);
    return text && typed != null ? CastThenKernel.of(typed, types, kernelTypes) : typed;
  }

  /** {@link #reference} of a row-wise body of fixed parameters. */
  private static ScalarFunctionResolver rowWiseReference(
      String name,
      DataType returnType,
      List<DataType> parameters,
      RowWiseScalarFunction.Body body) {
    return reference(name, rowWise(name, returnType, parameters, body));
  }

  /** Registers {@code rowWise} as the reference of the typed kernels of {@code name}. */
  private static ScalarFunctionResolver reference(String name, ScalarFunctionResolver rowWise) {
    ROW_WISE_REFERENCES.put(name, rowWise);
    return rowWise;
  }

  /** The typed {@code datediff} of two DATEs or two DATETIMEs, else {@code null}. */
  private static ScalarFunction typedDatediff(List<DataType> types) {
    if (types.size() != 2 || types.get(0).kind() != types.get(1).kind()) {
      return null;
    }
    return switch (types.get(0).kind()) {
      case DATE -> VectorKernels.longsToLong("datediff", INT, 0, 1, (x, y) -> x - y, 1L << 62);
      case DATETIME ->
          VectorKernels.longsToLong(
              "datediff",
              INT,
              0,
              1,
              (x, y) ->
                  Math.floorDiv(x, CivilCalendar.MICROS_PER_DAY)
                      - Math.floorDiv(y, CivilCalendar.MICROS_PER_DAY),
              1L << 62);
      default -> null;
    };
  }

  /** The row-wise {@code date}: the reference of its typed kernels, the path for other types. */
  static final ScalarFunctionResolver DATE_ROW_WISE =
      rowWise("date", DataType.DATE, List.of(DataType.DATE), (a, c) -> a[0]);

  /**
   * The row-wise {@code timestamp(x)}: the reference of its typed kernel, the path for types other
   * than a DATE, DATETIME or text.
   */
  static final ScalarFunctionResolver TIMESTAMP_ROW_WISE =
      types ->
          types.size() == 1
              ? RowWiseScalarFunction.of(
                  "timestamp",
                  datetimeOf(types.get(0), false),
                  types,
                  List.of(ANY_DATETIME),
                  (a, c) -> a[0])
              : null;

  /** The row-wise {@code time}: the reference of its typed kernel, the path for other types. */
  static final ScalarFunctionResolver TIME_ROW_WISE =
      rowWise(
          "time",
          DataType.varchar(17),
          List.of(S),
          (a, c) -> {
            // MySQL's TIME(x): the time part of a TIME or DATETIME text, as a TIME prints.
            Long micros = parseTimeOfDay((String) a[0]);
            return micros == null ? null : formatTimeOfDay(micros);
          });

  /** The row-wise {@code time_to_sec}: the reference of its typed kernel. */
  static final ScalarFunctionResolver TIME_TO_SEC_ROW_WISE =
      rowWise(
          "time_to_sec",
          N,
          List.of(S),
          (a, c) -> {
            Long micros = parseTimeOfDay((String) a[0]);
            return micros == null ? null : micros / DateTimeFunctions.MICROS_PER_SECOND;
          });

  /** The row-wise {@code from_second}: the reference of its typed kernel. */
  static final ScalarFunctionResolver FROM_SECOND_ROW_WISE =
      rowWise(
          "from_second",
          DataType.DATETIME,
          List.of(N),
          (a, c) ->
              inRange(Instant.ofEpochSecond((Long) a[0]).atZone(c.timeZone()).toLocalDateTime())
                  .orElse(null));

  /** The row-wise {@code from_millisecond}: the reference of its typed kernel. */
  static final ScalarFunctionResolver FROM_MILLISECOND_ROW_WISE =
      rowWise(
          "from_millisecond",
          DataType.datetime(3),
          List.of(N),
          (a, c) ->
              inRange(Instant.ofEpochMilli((Long) a[0]).atZone(c.timeZone()).toLocalDateTime())
                  .orElse(null));

  /** The row-wise {@code add_time} / {@code sub_time}: the typed kernel's reference. */
  static ScalarFunctionResolver addTimeRowWise(String name, boolean subtract) {
    return types ->
        types.size() == 2
            ? RowWiseScalarFunction.of(
                name,
                datetimeOf(types.get(0), false),
                types,
                List.of(ANY_DATETIME, S),
                (a, c) -> {
                  Long micros = parseTimeOfDay((String) a[1]);
                  if (micros == null) {
                    return null;
                  }
                  return inRange(
                          ((LocalDateTime) a[0])
                              .plus(subtract ? -micros : micros, ChronoUnit.MICROS))
                      .orElse(null);
                })
            : null;
  }

  /** The row-wise {@code sec_to_time}: the reference of its typed kernel. */
  static final ScalarFunctionResolver SEC_TO_TIME_ROW_WISE =
      rowWise(
          "sec_to_time",
          DataType.varchar(10),
          List.of(N),
          (a, c) -> {
            // Beyond MySQL's TIME range the result is clamped anyway; clamp first so that the
            // multiplication cannot overflow.
            long limit = DateTimeFunctions.MAX_TIME_MICROS / 1_000_000L + 1;
            long seconds = Math.max(-limit, Math.min(limit, (Long) a[0]));
            return formatTimeOfDay(seconds * 1_000_000L);
          });

  /** The row-wise {@code timediff}: the reference of its typed kernel. */
  static final ScalarFunctionResolver TIMEDIFF_ROW_WISE =
      rowWise(
          "timediff",
          DataType.varchar(17),
          List.of(ANY_DATETIME, ANY_DATETIME),
          (a, c) ->
              formatTimeOfDay(
                  ChronoUnit.MICROS.between((LocalDateTime) a[1], (LocalDateTime) a[0])));

  /** The row-wise {@code convert_tz}: the reference of its typed kernel. */
  static final ScalarFunctionResolver CONVERT_TZ_ROW_WISE =
      types ->
          types.size() == 3
              ? RowWiseScalarFunction.of(
                  "convert_tz",
                  datetimeOf(types.get(0), false),
                  types,
                  List.of(ANY_DATETIME, S, S),
                  (a, c) -> {
                    ZoneId from = zone((String) a[1], c);
                    ZoneId to = zone((String) a[2], c);
                    if (from == null || to == null) {
                      return null;
                    }
                    return ((LocalDateTime) a[0])
                        .atZone(from)
                        .withZoneSameInstant(to)
                        .toLocalDateTime();
                  })
              : null;

  private static final long MICROS_PER_SECOND = 1_000_000L;

  /** MySQL's TIME range: at most 838:59:59 either way. */
  private static final long MAX_TIME_MICROS = (838L * 3600 + 59 * 60 + 59) * MICROS_PER_SECOND;

  /**
   * A time of day or duration as MySQL prints a TIME ({@code -01:02:03}, {@code 25:00:00}, with
   * microseconds only when there are some), clamped to MySQL's TIME range. Basalt has no TIME type,
   * so functions that return one return this text (docs/sql.md).
   */
  static String formatTimeOfDay(long micros) {
    long clamped = Math.max(-MAX_TIME_MICROS, Math.min(MAX_TIME_MICROS, micros));
    long magnitude = Math.abs(clamped);
    long seconds = magnitude / MICROS_PER_SECOND;
    long fraction = magnitude % MICROS_PER_SECOND;
    String text =
        String.format(
            Locale.ROOT,
            "%s%02d:%02d:%02d",
            clamped < 0 ? "-" : "",
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60);
    return fraction == 0 ? text : text + String.format(Locale.ROOT, ".%06d", fraction);
  }

  /**
   * Parses MySQL's TIME text: {@code [-][D ]H[H...]:MM[:SS[.ffffff]]}; a datetime's text gives its
   * time of day. Returns microseconds, or null when the text is not a time.
   */
  static Long parseTimeOfDay(String text) {
    long micros = parseTimeMicros(text);
    return micros == NO_TIME ? null : micros;
  }

  /** What {@link #parseTimeMicros} returns for a text that is not a time. */
  static final long NO_TIME = Long.MIN_VALUE;

  /**
   * {@link #parseTimeOfDay} on a {@code String} or an {@link AsciiText} view of a row's bytes:
   * microseconds, or {@link #NO_TIME}. The text is trimmed (characters up to a space); a first word
   * holding a {@code -} is a date and skipped; then an optional {@code -}, an optional day count
   * and a space, and {@code H[H...]:M[M][:S[S][.f[fffff]...]]} with ASCII digits up to the end.
   * Minutes and seconds above 59, and hours beyond a BIGINT, are not a time.
   */
  static long parseTimeMicros(CharSequence text) {
    int start = skipBlanks(text, 0, text.length());
    int end = text.length();
    while (end > start && text.charAt(end - 1) <= ' ') {
      end--;
    }
    int space = indexOf(text, ' ', start, end);
    // A first word with a '-' past its first character is a date ('2024-01-02 10:00'); a leading
    // '-' is the sign ('-1 01:00:00' is minus 25 hours, as MySQL).
    if (space > start && indexOf(text, '-', start + 1, space) >= 0) {
      start = skipBlanks(text, space + 1, end);
    }
    boolean negative = start < end && text.charAt(start) == '-';
    if (negative) {
      start = skipBlanks(text, start + 1, end);
    }
    long days = 0;
    space = indexOf(text, ' ', start, end);
    try {
      if (space > start) {
        days = Long.parseLong(text, start, space, 10);
        start = skipBlanks(text, space + 1, end);
      }
      int hoursEnd = digitsEnd(text, start, end, Integer.MAX_VALUE);
      if (hoursEnd == start || hoursEnd == end || text.charAt(hoursEnd) != ':') {
        return NO_TIME;
      }
      long hours = Long.parseLong(text, start, hoursEnd, 10) + days * 24;
      int minutesEnd = digitsEnd(text, hoursEnd + 1, end, 2);
      if (minutesEnd == hoursEnd + 1) {
        return NO_TIME;
      }
      long minutes = Long.parseLong(text, hoursEnd + 1, minutesEnd, 10);
      long seconds = 0;
      long fraction = 0;
      if (minutesEnd < end) {
        if (text.charAt(minutesEnd) != ':') {
          return NO_TIME;
        }
        int secondsEnd = digitsEnd(text, minutesEnd + 1, end, 2);
        if (secondsEnd == minutesEnd + 1) {
          return NO_TIME;
        }
        seconds = Long.parseLong(text, minutesEnd + 1, secondsEnd, 10);
        if (secondsEnd < end) {
          int fractionEnd = digitsEnd(text, secondsEnd + 1, end, Integer.MAX_VALUE);
          if (text.charAt(secondsEnd) != '.'
              || fractionEnd == secondsEnd + 1
              || fractionEnd < end) {
            return NO_TIME;
          }
          for (int i = 0; i < 6; i++) {
            int at = secondsEnd + 1 + i;
            fraction = fraction * 10 + (at < fractionEnd ? text.charAt(at) - '0' : 0);
          }
        }
      }
      if (minutes > 59 || seconds > 59) {
        return NO_TIME;
      }
      long micros = ((hours * 60 + minutes) * 60 + seconds) * MICROS_PER_SECOND + fraction;
      return negative ? -micros : micros;
    } catch (NumberFormatException notANumber) {
      return NO_TIME;
    }
  }

  /** The first position from {@code from} whose character is above a space, or {@code end}. */
  private static int skipBlanks(CharSequence text, int from, int end) {
    while (from < end && text.charAt(from) <= ' ') {
      from++;
    }
    return from;
  }

  private static int indexOf(CharSequence text, char wanted, int from, int end) {
    for (int i = from; i < end; i++) {
      if (text.charAt(i) == wanted) {
        return i;
      }
    }
    return -1;
  }

  /** The end of the run of at most {@code maximum} ASCII digits at {@code from}. */
  private static int digitsEnd(CharSequence text, int from, int end, int maximum) {
    int at = from;
    while (at < end && at - from < maximum && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
      at++;
    }
    return at;
  }

  /**
   * A date or time field: the typed kernel of {@code typed} for DATE and DATETIME arguments, the
   * row-wise {@code extractor} for anything else (strings, numbers, TIME).
   */
  private static void field(
      FunctionRegistry.Builder builder,
      Function<LocalDateTime, Long> extractor,
      CivilCalendar.Field typed,
      String... names) {
    ScalarFunctionResolver rowWise =
        rowWise(
            names[0], INT, List.of(ANY_DATETIME), (a, c) -> extractor.apply((LocalDateTime) a[0]));
    for (String name : names) {
      ROW_WISE_REFERENCES.put(name, rowWise);
    }
    ScalarFunction ofDatetime =
        VectorKernels.longToLong(
            names[0],
            INT,
            micros ->
                typed.of(
                    Math.floorDiv(micros, CivilCalendar.MICROS_PER_DAY),
                    Math.floorMod(micros, CivilCalendar.MICROS_PER_DAY)));
    builder.scalar(
        firstOf(
            types -> {
              if (types.size() != 1) {
                return null;
              }
              return switch (types.get(0).kind()) {
                case DATE -> VectorKernels.longToLong(names[0], INT, day -> typed.of(day, 0));
                case DATETIME -> ofDatetime;
                // A text is read as a DATETIME by the CAST rules, as the row-wise body.
                case CHAR, VARCHAR, STRING ->
                    CastThenKernel.of(ofDatetime, types, List.of(ANY_DATETIME));
                default -> null;
              };
            },
            rowWise),
        names);
  }

  /** The DATETIME type a function returns for an argument of {@code type}. */
  private static DataType datetimeOf(DataType type, boolean microseconds) {
    if (microseconds) {
      return DataType.datetime(DataType.MAX_DATETIME_SCALE);
    }
    return type.kind() == TypeKind.DATETIME ? type : DataType.DATETIME;
  }

  private static boolean isTemporalOrString(DataType type) {
    return type.kind().isTemporal() || type.kind().isString() || type.kind() == TypeKind.NULL;
  }

  private static ScalarFunction resolveNow(List<DataType> argumentTypes, List<Object> constants) {
    if (argumentTypes.isEmpty()) {
      return RowWiseScalarFunction.of(
          "now",
          DataType.DATETIME,
          argumentTypes,
          List.of(),
          (a, c) -> c.statementStart().truncatedTo(ChronoUnit.SECONDS));
    }
    if (argumentTypes.size() != 1 || !argumentTypes.get(0).kind().isInteger()) {
      return null;
    }
    Object precision = constants.get(0);
    int scale =
        precision instanceof Long value
            ? (int) Math.max(0, Math.min(6, value))
            : DataType.MAX_DATETIME_SCALE;
    return RowWiseScalarFunction.of(
        "now",
        DataType.datetime(scale),
        argumentTypes,
        List.of(N),
        (a, c) -> truncateToScale(c.statementStart(), scale));
  }

  /** Keeps {@code scale} fractional digits of the second, dropping the rest (MySQL's NOW(p)). */
  static LocalDateTime truncateToScale(LocalDateTime value, int scale) {
    long unit = (long) Math.pow(10, 9 - scale);
    return value.withNano((int) (value.getNano() / unit * unit));
  }

  private static Long week(LocalDateTime value, long mode) {
    return (long)
        DateFormats.week(value.toLocalDate(), DateFormats.weekBehaviour((int) (mode & 7)))[0];
  }

  private static Long yearWeek(LocalDateTime value, long mode) {
    int[] week =
        DateFormats.week(
            value.toLocalDate(),
            DateFormats.weekBehaviour((int) (mode & 7)) | DateFormats.WEEK_YEAR);
    return week[1] * 100L + week[0];
  }

  /**
   * date_add and friends. {@code fixedUnit} is the unit of {@code hours_add}-style names, or {@code
   * null} for date_add, whose unit is the third argument (days when absent).
   */
  private static ScalarFunctionResolver intervalResolver(
      String name, boolean subtract, Unit fixedUnit) {
    return (ConstantAwareResolver)
        (types, constants) -> {
          int expected = fixedUnit == null ? types.size() : 2;
          if (types.size() != expected
              || types.size() < 2
              || types.size() > 3
              || !isTemporalOrString(types.get(0))) {
            return null;
          }
          Unit constantUnit = fixedUnit;
          if (constantUnit == null) {
            if (types.size() == 2) {
              constantUnit = Unit.DAY;
            } else if (constants.get(2) instanceof String unitText) {
              constantUnit = Unit.parse(unitText);
            }
          }
          return intervalFunction(
              name, subtract, types, constantUnit, types.size() == 3 ? 2 : -1, 0, 1);
        };
  }

  /** {@code timestampadd(unit, n, d)}. */
  private static ScalarFunction resolveTimestampAdd(
      List<DataType> argumentTypes, List<Object> constants) {
    if (argumentTypes.size() != 3 || !isTemporalOrString(argumentTypes.get(2))) {
      return null;
    }
    Unit constantUnit = constants.get(0) instanceof String unitText ? Unit.parse(unitText) : null;
    return intervalFunction("timestampadd", false, argumentTypes, constantUnit, 0, 2, 1);
  }

  private static ScalarFunction intervalFunction(
      String name,
      boolean subtract,
      List<DataType> types,
      Unit constantUnit,
      int unitIndex,
      int valueIndex,
      int amountIndex) {
    DataType valueType = types.get(valueIndex);
    boolean microseconds = constantUnit == Unit.MICROSECOND;
    DataType returnType;
    if (valueType.kind() == TypeKind.DATE) {
      boolean staysDate = constantUnit == null || constantUnit.dateUnit;
      returnType = staysDate ? DataType.DATE : datetimeOf(DataType.DATETIME, microseconds);
    } else {
      returnType = datetimeOf(valueType, microseconds);
    }
    DataType parameter = valueType.kind() == TypeKind.DATE ? DataType.DATE : ANY_DATETIME;
    DataType[] parameters = new DataType[types.size()];
    for (int i = 0; i < parameters.length; i++) {
      parameters[i] = i == valueIndex ? parameter : i == amountIndex ? N : S;
    }
    DataType resultType = returnType;
    ScalarFunction typed =
        typedInterval(name, subtract, types, constantUnit, valueIndex, amountIndex, returnType);
    if (typed != null) {
      return typed;
    }
    return RowWiseScalarFunction.of(
        name,
        resultType,
        types,
        List.of(parameters),
        (a, c) -> {
          Unit unit =
              unitIndex < 0
                  ? (constantUnit == null ? Unit.DAY : constantUnit)
                  : Unit.parse((String) a[unitIndex]);
          long amount = subtract ? -(Long) a[amountIndex] : (Long) a[amountIndex];
          Object value = a[valueIndex];
          LocalDateTime datetime =
              value instanceof LocalDate date ? date.atStartOfDay() : (LocalDateTime) value;
          if (resultType.kind() == TypeKind.DATE) {
            if (!unit.dateUnit) {
              throw new BasaltException(
                  ErrorCode.WRONG_ARGUMENTS,
                  name,
                  "adding "
                      + unit
                      + " to a DATE needs a constant unit; use "
                      + FunctionRegistry.intervalFunctionName(unit.name(), subtract));
            }
            return inRange(addDateUnit(datetime, unit, amount))
                .map(LocalDateTime::toLocalDate)
                .orElse(null);
          }
          return inRange(addDateUnit(datetime, unit, amount)).orElse(null);
        });
  }

  /** The first and last epoch day of the supported range, 0000-01-01 and 9999-12-31. */
  private static final long FIRST_DAY = LocalDate.of(0, 1, 1).toEpochDay();

  private static final long LAST_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

  /** Epoch microseconds of 0000-01-01 00:00:00 and of 10000-01-01 00:00:00 (excluded). */
  private static final long FIRST_MICROS = FIRST_DAY * CivilCalendar.MICROS_PER_DAY;

  private static final long END_MICROS = (LAST_DAY + 1) * CivilCalendar.MICROS_PER_DAY;

  /**
   * The typed kernel of an interval addition, or {@code null} where the row-wise body is needed: a
   * DATE or DATETIME value, an integer amount and a constant unit. Units of fixed length (WEEK, DAY
   * and the time units) add days or microseconds; MONTH, QUARTER and YEAR add calendar months on
   * the epoch day ({@link CivilCalendar#plusMonths}: the day clamped to the month's end, as the
   * body's {@code LocalDateTime.plusMonths}), keeping a DATETIME's time of day. Out of range or
   * overflowing results are NULL, as the body's {@code inRange} makes them.
   */
  private static ScalarFunction typedInterval(
      String name,
      boolean subtract,
      List<DataType> types,
      Unit unit,
      int valueIndex,
      int amountIndex,
      DataType returnType) {
    TypeKind valueKind = types.get(valueIndex).kind();
    if (unit == null
        || (valueKind != TypeKind.DATE && valueKind != TypeKind.DATETIME)
        || !VectorKernels.isLongInteger(types.get(amountIndex))) {
      return null;
    }
    long sign = subtract ? -1 : 1;
    if (unit == Unit.YEAR || unit == Unit.QUARTER || unit == Unit.MONTH) {
      long months = sign * (unit == Unit.YEAR ? 12 : unit == Unit.QUARTER ? 3 : 1);
      long valueScale = valueKind == TypeKind.DATE ? 1 : CivilCalendar.MICROS_PER_DAY;
      boolean dateResult = returnType.kind() == TypeKind.DATE;
      return VectorKernels.longsToLong(
          name,
          returnType,
          valueIndex,
          amountIndex,
          (value, amount) -> {
            long day = Math.floorDiv(value, valueScale);
            long shifted;
            try {
              shifted = CivilCalendar.plusMonths(day, Math.multiplyExact(amount, months));
            } catch (ArithmeticException overflow) {
              return Long.MIN_VALUE;
            }
            if (shifted == Long.MIN_VALUE || dateResult) {
              return shifted;
            }
            return shifted * CivilCalendar.MICROS_PER_DAY + Math.floorMod(value, valueScale);
          },
          Long.MIN_VALUE);
    }
    if (returnType.kind() == TypeKind.DATE) {
      long days = unit == Unit.WEEK ? 7 : 1;
      return VectorKernels.longsToLong(
          name,
          returnType,
          valueIndex,
          amountIndex,
          (day, amount) -> {
            try {
              long result = Math.addExact(day, Math.multiplyExact(amount, sign * days));
              return result < FIRST_DAY || result > LAST_DAY ? Long.MIN_VALUE : result;
            } catch (ArithmeticException overflow) {
              return Long.MIN_VALUE;
            }
          },
          Long.MIN_VALUE);
    }
    long unitMicros =
        switch (unit) {
          case WEEK -> 7 * CivilCalendar.MICROS_PER_DAY;
          case DAY -> CivilCalendar.MICROS_PER_DAY;
          case HOUR -> 3_600_000_000L;
          case MINUTE -> 60_000_000L;
          case SECOND -> MICROS_PER_SECOND;
          default -> 1L;
        };
    long valueScale = valueKind == TypeKind.DATE ? CivilCalendar.MICROS_PER_DAY : 1L;
    return VectorKernels.longsToLong(
        name,
        returnType,
        valueIndex,
        amountIndex,
        (value, amount) -> {
          try {
            long result =
                Math.addExact(
                    Math.multiplyExact(value, valueScale),
                    Math.multiplyExact(amount, sign * unitMicros));
            return result < FIRST_MICROS || result >= END_MICROS ? Long.MIN_VALUE : result;
          } catch (ArithmeticException overflow) {
            return Long.MIN_VALUE;
          }
        },
        Long.MIN_VALUE);
  }

  private static LocalDateTime addDateUnit(LocalDateTime value, Unit unit, long amount) {
    try {
      return switch (unit) {
        case YEAR -> value.plusYears(amount);
        case QUARTER -> value.plusMonths(Math.multiplyExact(amount, 3));
        case MONTH -> value.plusMonths(amount);
        case WEEK -> value.plusWeeks(amount);
        case DAY -> value.plusDays(amount);
        case HOUR -> value.plusHours(amount);
        case MINUTE -> value.plusMinutes(amount);
        case SECOND -> value.plusSeconds(amount);
        case MICROSECOND -> value.plus(amount, ChronoUnit.MICROS);
      };
    } catch (DateTimeException | ArithmeticException outOfRange) {
      return null;
    }
  }

  private static java.util.Optional<LocalDateTime> inRange(LocalDateTime value) {
    if (value == null || value.getYear() < 0 || value.getYear() > 9999) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(value);
  }

  /** The row-wise {@code from_days}: the typed kernel's reference, and the path for other types. */
  static final ScalarFunctionResolver FROM_DAYS_ROW_WISE =
      rowWise(
          "from_days",
          DataType.DATE,
          List.of(N),
          (a, c) -> {
            long days = (Long) a[0];
            return days < 366 || days > 3_652_424
                ? null
                : LocalDate.ofEpochDay(days - DAYS_FROM_YEAR_ZERO);
          });

  /** The row-wise {@code makedate}: the typed kernel's reference, and the path for other types. */
  static final ScalarFunctionResolver MAKEDATE_ROW_WISE =
      rowWise(
          "makedate",
          DataType.DATE,
          List.of(N, N),
          (a, c) -> {
            long year = (Long) a[0];
            long dayOfYear = (Long) a[1];
            // A day of year past ten thousand years is NULL (it overflowed LocalDate.plusDays).
            if (year < 0 || year > 9999 || dayOfYear <= 0 || dayOfYear > 3_700_000) {
              return null;
            }
            year = year < 70 ? year + 2000 : year < 100 ? year + 1900 : year;
            return inRange(LocalDate.of((int) year, 1, 1).plusDays(dayOfYear - 1));
          });

  /**
   * {@code from_days(n)} as an epoch day: the day {@code n} days after year 0 by MySQL's count
   * ({@code from_days(366)} is 0001-01-01), {@link Long#MIN_VALUE} (NULL) before 0001-01-01 or
   * after 9999-12-31, where MySQL gives its zero date.
   */
  static long fromDays(long days) {
    return days < 366 || days > 3_652_424 ? Long.MIN_VALUE : days - DAYS_FROM_YEAR_ZERO;
  }

  /**
   * MySQL's {@code makedate(year, dayOfYear)} as an epoch day: {@link Long#MIN_VALUE} (NULL) for a
   * year outside 0..9999, a day of year below 1 or a date after 9999-12-31; a year below 100 is a
   * two-digit year (0-69 are 2000-2069, 70-99 are 1970-1999).
   */
  static long makeDate(long year, long dayOfYear) {
    if (year < 0 || year > 9999 || dayOfYear <= 0 || dayOfYear > 3_700_000) {
      return Long.MIN_VALUE;
    }
    long fullYear = year < 70 ? year + 2000 : year < 100 ? year + 1900 : year;
    long day = CivilCalendar.epochDay(fullYear, 1, 1) + dayOfYear - 1;
    return day > LAST_EPOCH_DAY ? Long.MIN_VALUE : day;
  }

  /** 9999-12-31, the last day MySQL's dates reach. */
  private static final long LAST_EPOCH_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

  private static LocalDate inRange(LocalDate value) {
    return value.getYear() < 0 || value.getYear() > 9999 ? null : value;
  }

  /** Whole units from {@code start} to {@code end} (negative when end is earlier). */
  static long difference(Unit unit, LocalDateTime start, LocalDateTime end) {
    return switch (unit) {
      case YEAR -> ChronoUnit.YEARS.between(start, end);
      case QUARTER -> ChronoUnit.MONTHS.between(start, end) / 3;
      case MONTH -> ChronoUnit.MONTHS.between(start, end);
      case WEEK -> ChronoUnit.WEEKS.between(start, end);
      case DAY -> ChronoUnit.DAYS.between(start, end);
      case HOUR -> ChronoUnit.HOURS.between(start, end);
      case MINUTE -> ChronoUnit.MINUTES.between(start, end);
      case SECOND -> ChronoUnit.SECONDS.between(start, end);
      case MICROSECOND -> ChronoUnit.MICROS.between(start, end);
    };
  }

  private static final String DEFAULT_UNIXTIME_FORMAT = "%Y-%m-%d %H:%i:%s";

  /** The row-wise {@code from_unixtime}: the reference of its typed kernel. */
  static final ScalarFunctionResolver FROM_UNIXTIME_ROW_WISE =
      firstOf(
          rowWise(
              "from_unixtime",
              StringFunctions.TEXT,
              List.of(N),
              (a, c) -> fromUnixTime((Long) a[0], DEFAULT_UNIXTIME_FORMAT, c)),
          rowWise(
              "from_unixtime",
              StringFunctions.TEXT,
              List.of(N, S),
              (a, c) -> fromUnixTime((Long) a[0], (String) a[1], c)));

  /** The row-wise {@code timestampdiff}: the reference of its typed kernel. */
  static final ScalarFunctionResolver TIMESTAMPDIFF_ROW_WISE =
      rowWise(
          "timestampdiff",
          N,
          List.of(S, ANY_DATETIME, ANY_DATETIME),
          (a, c) ->
              difference(Unit.parse((String) a[0]), (LocalDateTime) a[1], (LocalDateTime) a[2]));

  /** The row-wise {@code extract}: the reference of its typed kernel. */
  static final ScalarFunctionResolver EXTRACT_ROW_WISE =
      rowWise(
          "extract",
          N,
          List.of(S, ANY_DATETIME),
          (a, c) -> extract((String) a[0], (LocalDateTime) a[1]));

  /**
   * The unit of {@code timestampdiff} or {@code extract} when it is a constant the row-wise body
   * knows, else {@code null} (a column, or an unknown unit the row-wise body reports per row).
   */
  private static Unit constantUnit(List<DataType> types, List<Object> constants) {
    if (types.isEmpty() || !(constants.get(0) instanceof String text)) {
      return null;
    }
    try {
      return Unit.parse(text);
    } catch (BasaltException unknown) {
      return null;
    }
  }

  /**
   * The typed kernel of {@code name}'s difference in {@code unit} from the argument at {@code
   * startIndex} to the one at {@code endIndex} when both are DATE or DATETIME, else {@code null}.
   */
  private static ScalarFunction typedDifference(
      String name, Unit unit, List<DataType> types, int startIndex, int endIndex) {
    if (types.size() != Math.max(startIndex, endIndex) + 1
        || !isDateOrDatetime(types.get(startIndex))
        || !isDateOrDatetime(types.get(endIndex))) {
      return null;
    }
    return DateKernels.difference(
        name, unit, startIndex, types.get(startIndex).kind(), endIndex, types.get(endIndex).kind());
  }

  /** {@link #extract}'s field of {@code unit} on an epoch day and a time of day. */
  private static CivilCalendar.Field extractField(Unit unit) {
    return switch (unit) {
      case YEAR -> CivilCalendar.YEAR;
      case QUARTER -> CivilCalendar.QUARTER;
      case MONTH -> CivilCalendar.MONTH;
      case WEEK ->
          (day, micros) -> DateFormats.weekOf(DateFormats.week(day, DateFormats.weekBehaviour(0)));
      case DAY -> CivilCalendar.DAY_OF_MONTH;
      case HOUR -> CivilCalendar.HOUR;
      case MINUTE -> CivilCalendar.MINUTE;
      case SECOND -> CivilCalendar.SECOND;
      case MICROSECOND -> CivilCalendar.MICROSECOND;
    };
  }

  /**
   * The typed kernel of {@code week} or {@code yearweek} for a DATE or DATETIME and an optional
   * integer mode, else {@code null}.
   */
  private static ScalarFunction typedWeek(String name, List<DataType> types, boolean yearWeek) {
    boolean fits =
        (types.size() == 1 || (types.size() == 2 && VectorKernels.isLongInteger(types.get(1))))
            && isDateOrDatetime(types.get(0));
    return fits ? DateKernels.week(name, types.get(0).kind(), yearWeek) : null;
  }

  /**
   * A typed kernel of a function of the epoch day of one DATE or DATETIME argument (a DATETIME's
   * day, as its CAST to DATE), or {@code null} for other arguments.
   */
  private static ScalarFunction onDays(
      List<DataType> types,
      String name,
      DataType returnType,
      java.util.function.LongUnaryOperator ofDay) {
    if (!isOneDateOrDatetime(types)) {
      return null;
    }
    return types.get(0).kind() == TypeKind.DATE
        ? VectorKernels.longToLong(name, returnType, ofDay)
        : VectorKernels.longToLong(
            name,
            returnType,
            micros -> ofDay.applyAsLong(Math.floorDiv(micros, CivilCalendar.MICROS_PER_DAY)));
  }

  private static boolean isOneDateOrDatetime(List<DataType> types) {
    return types.size() == 1 && isDateOrDatetime(types.get(0));
  }

  private static Long extract(String unitText, LocalDateTime value) {
    return switch (Unit.parse(unitText)) {
      case YEAR -> (long) value.getYear();
      case QUARTER -> (long) ((value.getMonthValue() - 1) / 3 + 1);
      case MONTH -> (long) value.getMonthValue();
      case WEEK -> week(value, 0);
      case DAY -> (long) value.getDayOfMonth();
      case HOUR -> (long) value.getHour();
      case MINUTE -> (long) value.getMinute();
      case SECOND -> (long) value.getSecond();
      case MICROSECOND -> (long) (value.getNano() / 1000);
    };
  }

  private static ScalarFunction resolveStrToDate(
      List<DataType> argumentTypes, List<Object> constants) {
    if (argumentTypes.size() != 2) {
      return null;
    }
    DataType returnType = DataType.DATETIME;
    if (constants.get(1) instanceof String format) {
      if (!DateFormats.hasTimeFields(format)) {
        returnType = DataType.DATE;
      } else if (format.contains("%f")) {
        returnType = DataType.datetime(DataType.MAX_DATETIME_SCALE);
      }
    }
    if (argumentTypes.get(0).kind().isString() && argumentTypes.get(1).kind().isString()) {
      return DateKernels.strToDate(returnType);
    }
    return strToDateRowWise(argumentTypes, returnType);
  }

  /** The row-wise {@code str_to_date} giving {@code resultType}: the typed kernel's reference. */
  static ScalarFunction strToDateRowWise(List<DataType> argumentTypes, DataType resultType) {
    return RowWiseScalarFunction.of(
        "str_to_date",
        resultType,
        argumentTypes,
        List.of(S, S),
        (a, c) -> {
          LocalDateTime parsed = DateFormats.parse((String) a[0], (String) a[1]);
          if (parsed == null) {
            return null;
          }
          return resultType.kind() == TypeKind.DATE ? parsed.toLocalDate() : parsed;
        });
  }

  /** The row-wise {@code unix_timestamp}: the reference of its typed kernel. */
  static ScalarFunction resolveUnixTimestamp(List<DataType> types) {
    if (types.isEmpty()) {
      return RowWiseScalarFunction.of(
          "unix_timestamp",
          N,
          types,
          List.of(),
          (a, c) -> c.statementStart().atZone(c.timeZone()).toEpochSecond());
    }
    if (types.size() > 2 || !isTemporalOrString(types.get(0))) {
      return null;
    }
    if (types.size() == 2) {
      return RowWiseScalarFunction.of(
          "unix_timestamp",
          N,
          types,
          List.of(S, S),
          (a, c) -> {
            LocalDateTime parsed = DateFormats.parse((String) a[0], (String) a[1]);
            return parsed == null
                ? null
                : Math.max(0L, parsed.atZone(c.timeZone()).toEpochSecond());
          });
    }
    DataType type = types.get(0);
    if (type.kind() == TypeKind.DATETIME && type.scale() > 0) {
      int scale = type.scale();
      return RowWiseScalarFunction.of(
          "unix_timestamp",
          DataType.decimal(18, scale),
          types,
          List.of(ANY_DATETIME),
          (a, c) -> {
            Instant instant = ((LocalDateTime) a[0]).atZone(c.timeZone()).toInstant();
            if (instant.getEpochSecond() < 0) {
              return BigDecimal.ZERO;
            }
            return BigDecimal.valueOf(instant.getEpochSecond())
                .add(BigDecimal.valueOf(instant.getNano(), 9));
          });
    }
    return RowWiseScalarFunction.of(
        "unix_timestamp",
        N,
        types,
        List.of(ANY_DATETIME),
        (a, c) -> Math.max(0L, ((LocalDateTime) a[0]).atZone(c.timeZone()).toEpochSecond()));
  }

  private static String fromUnixTime(long seconds, String format, EvaluationContext context) {
    if (seconds < 0 || seconds > DateKernels.LAST_UNIX_SECOND) {
      return null;
    }
    LocalDateTime local =
        LocalDateTime.ofInstant(Instant.ofEpochSecond(seconds), context.timeZone());
    return DateFormats.format(local, format);
  }

  /** The row-wise {@code date_format}: the reference of its typed kernel. */
  static final ScalarFunctionResolver DATE_FORMAT_ROW_WISE =
      rowWise(
          "date_format",
          StringFunctions.TEXT,
          List.of(ANY_DATETIME, S),
          (a, c) -> DateFormats.format((LocalDateTime) a[0], (String) a[1]));

  private static boolean isDateOrDatetime(DataType type) {
    return type.kind() == TypeKind.DATE || type.kind() == TypeKind.DATETIME;
  }

  /** Which argument of {@code date_trunc} is the value: Doris's order, or the unit first. */
  private static int dateTruncValueIndex(List<DataType> types) {
    return types.get(0).kind().isString() && types.get(1).kind().isTemporal() ? 1 : 0;
  }

  /** The row-wise {@code date_trunc}: the reference of its typed kernel. */
  static ScalarFunction resolveDateTrunc(List<DataType> types) {
    if (types.size() != 2) {
      return null;
    }
    int valueIndex = dateTruncValueIndex(types);
    boolean unitFirst = valueIndex == 1;
    DataType valueType = types.get(valueIndex);
    if (!isTemporalOrString(valueType)) {
      return null;
    }
    boolean isDate = valueType.kind() == TypeKind.DATE;
    DataType returnType = isDate ? DataType.DATE : datetimeOf(valueType, false);
    List<DataType> parameters = unitFirst ? List.of(S, ANY_DATETIME) : List.of(ANY_DATETIME, S);
    return RowWiseScalarFunction.of(
        "date_trunc",
        returnType,
        types,
        parameters,
        (a, c) -> {
          LocalDateTime value = (LocalDateTime) a[valueIndex];
          String unit = ((String) a[1 - valueIndex]).trim().toLowerCase(Locale.ROOT);
          LocalDateTime truncated =
              switch (unit) {
                case "year" -> value.toLocalDate().withDayOfYear(1).atStartOfDay();
                case "quarter" ->
                    value
                        .toLocalDate()
                        .withDayOfMonth(1)
                        .withMonth((value.getMonthValue() - 1) / 3 * 3 + 1)
                        .atStartOfDay();
                case "month" -> value.toLocalDate().withDayOfMonth(1).atStartOfDay();
                case "week" ->
                    value
                        .toLocalDate()
                        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                        .atStartOfDay();
                case "day" -> value.toLocalDate().atStartOfDay();
                case "hour" -> value.truncatedTo(ChronoUnit.HOURS);
                case "minute" -> value.truncatedTo(ChronoUnit.MINUTES);
                case "second" -> value.truncatedTo(ChronoUnit.SECONDS);
                default ->
                    throw new BasaltException(
                        ErrorCode.WRONG_ARGUMENTS, "date_trunc", "unknown unit '" + unit + "'");
              };
          return isDate ? truncated.toLocalDate() : truncated;
        });
  }

  /** The zone of a {@code convert_tz} argument ({@code SYSTEM}: the session's), or null. */
  static ZoneId zone(String name, EvaluationContext context) {
    if (name.equalsIgnoreCase("SYSTEM")) {
      return context.timeZone();
    }
    try {
      return ZoneId.of(name.trim());
    } catch (DateTimeException unknown) {
      return null;
    }
  }
}
