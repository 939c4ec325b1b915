package dev.basalt.exec.function.scalar;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.common.vector.ScaledDecimals;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.ScalarFunction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Typed kernels of the date functions of several arguments or with a constant unit, format or zone:
 * {@code date_trunc}, {@code date_format}, the {@code *_diff} functions and {@code timestampdiff},
 * {@code extract}, {@code week}/{@code yearweek}, {@code monthname}/{@code dayname}, {@code
 * unix_timestamp}/{@code from_unixtime}, {@code convert_tz}, {@code timediff} and {@code
 * sec_to_time} ({@link DateTimeFunctions} registers them and keeps the row-wise bodies as the
 * reference): loops over the epoch days of DATE vectors and the epoch microseconds of DATETIME
 * vectors with the integer calendar of {@link CivilCalendar}, and the time zone offsets of {@link
 * ZoneOffsetCache}. A constant unit, format or zone is read once, when the function is resolved;
 * its argument arrives as a constant vector and is not read again. Stateless and thread safe.
 */
final class DateKernels {
  private DateKernels() {}

  private static final long MICROS_PER_HOUR = 3_600_000_000L;
  private static final long MICROS_PER_MINUTE = 60_000_000L;
  private static final long MICROS_PER_SECOND = 1_000_000L;

  /**
   * {@code date_trunc} of the DATE or DATETIME argument at {@code valueIndex} to {@code unit} (as
   * the row-wise body spells them: year, quarter, month, week, day, hour, minute, second), or
   * {@code null} for another unit (the row-wise body reports it).
   */
  static ScalarFunction dateTrunc(DataType returnType, int valueIndex, String unit) {
    String normalized = unit.trim().toLowerCase(Locale.ROOT);
    boolean isDate = returnType.kind() == TypeKind.DATE;
    java.util.function.LongUnaryOperator truncateDay =
        switch (normalized) {
          case "year" -> day -> CivilCalendar.epochDay(CivilCalendar.year(day), 1, 1);
          case "quarter" ->
              day ->
                  CivilCalendar.epochDay(
                      CivilCalendar.year(day), (CivilCalendar.month(day) - 1) / 3 * 3 + 1, 1);
          case "month" -> day -> day - CivilCalendar.dayOfMonth(day) + 1;
          case "week" -> day -> day - Math.floorMod(day + 3, 7);
          case "day", "hour", "minute", "second" -> day -> day;
          default -> null;
        };
    if (truncateDay == null) {
      return null;
    }
    long timeUnit =
        switch (normalized) {
          case "hour" -> MICROS_PER_HOUR;
          case "minute" -> MICROS_PER_MINUTE;
          case "second" -> MICROS_PER_SECOND;
          default -> CivilCalendar.MICROS_PER_DAY;
        };
    return new KernelFunction("date_trunc", returnType) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        LongVector input = (LongVector) arguments.get(valueIndex);
        int mask = Kernels.rowMask(input, rowCount);
        boolean[] nulls = Kernels.nullsOf(input, rowCount);
        long[] out = new long[rowCount];
        for (int row = 0; row < rowCount; row++) {
          if (Kernels.isNull(nulls, row)) {
            continue;
          }
          long value = input.getLong(row & mask);
          if (isDate) {
            out[row] = truncateDay.applyAsLong(value);
          } else if (timeUnit != CivilCalendar.MICROS_PER_DAY) {
            out[row] = value - Math.floorMod(value, timeUnit);
          } else {
            long day = Math.floorDiv(value, CivilCalendar.MICROS_PER_DAY);
            out[row] = truncateDay.applyAsLong(day) * CivilCalendar.MICROS_PER_DAY;
          }
        }
        return new LongVector(returnType, out, nulls, rowCount);
      }
    };
  }

  /**
   * {@code date_format} of a DATE or DATETIME argument with the constant {@code format}, or {@code
   * null} when the format uses a specifier beyond the numeric ones ({@code %Y %y %m %c %d %e %j %H
   * %k %i %s %S %f %T}; names, weeks and 12-hour clocks take the row-wise body).
   */
  static ScalarFunction dateFormat(DataType returnType, DataType valueType, String format) {
    List<Object> parts = compile(DateFormats.mysqlPattern(format));
    if (parts == null) {
      return null;
    }
    long valueScale = valueType.kind() == TypeKind.DATE ? CivilCalendar.MICROS_PER_DAY : 1;
    return new KernelFunction("date_format", returnType) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        LongVector input = (LongVector) arguments.get(0);
        int mask = Kernels.rowMask(input, rowCount);
        boolean[] nulls = Kernels.mergeNulls(arguments, rowCount);
        BytesOutput output = new BytesOutput(rowCount * 20);
        int[] offsets = new int[rowCount + 1];
        for (int row = 0; row < rowCount; row++) {
          offsets[row] = output.size;
          if (Kernels.isNull(nulls, row)) {
            continue;
          }
          long micros = input.getLong(row & mask) * valueScale;
          write(
              output,
              parts,
              Math.floorDiv(micros, CivilCalendar.MICROS_PER_DAY),
              Math.floorMod(micros, CivilCalendar.MICROS_PER_DAY));
        }
        offsets[rowCount] = output.size;
        return new BytesVector(returnType, output.bytes, offsets, nulls, rowCount);
      }
    };
  }

  /** The pattern as literal UTF-8 byte runs and specifier characters, or null if unsupported. */
  private static List<Object> compile(String pattern) {
    List<Object> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char ch = pattern.charAt(i);
      if (ch != '%' || i + 1 == pattern.length()) {
        literal.append(ch);
        continue;
      }
      char specifier = pattern.charAt(++i);
      if ("YymcdejHkisSfT".indexOf(specifier) < 0) {
        if (Character.isLetter(specifier)) {
          return null;
        }
        // The row-wise body writes an unknown non-letter specifier as itself ("%%" is "%").
        literal.append(specifier);
        continue;
      }
      if (!literal.isEmpty()) {
        parts.add(literal.toString().getBytes(StandardCharsets.UTF_8));
        literal.setLength(0);
      }
      parts.add(specifier);
    }
    if (!literal.isEmpty()) {
      parts.add(literal.toString().getBytes(StandardCharsets.UTF_8));
    }
    return parts;
  }

  /** Writes the compiled {@code parts} of a format for the epoch day and time of day (micros). */
  private static void write(BytesOutput output, List<Object> parts, long day, long time) {
    for (Object part : parts) {
      if (part instanceof byte[] literal) {
        output.append(literal, 0, literal.length);
      } else {
        writeField(output, (Character) part, day, time);
      }
    }
  }

  private static void writeField(BytesOutput output, char specifier, long day, long time) {
    switch (specifier) {
      case 'Y' -> writeNumber(output, CivilCalendar.year(day), 4);
      case 'y' -> writeNumber(output, CivilCalendar.year(day) % 100, 2);
      case 'm' -> writeNumber(output, CivilCalendar.month(day), 2);
      case 'c' -> writeNumber(output, CivilCalendar.month(day), 1);
      case 'd' -> writeNumber(output, CivilCalendar.dayOfMonth(day), 2);
      case 'e' -> writeNumber(output, CivilCalendar.dayOfMonth(day), 1);
      case 'j' -> writeNumber(output, CivilCalendar.dayOfYear(day), 3);
      case 'H' -> writeNumber(output, time / MICROS_PER_HOUR, 2);
      case 'k' -> writeNumber(output, time / MICROS_PER_HOUR, 1);
      case 'i' -> writeNumber(output, time / MICROS_PER_MINUTE % 60, 2);
      case 's', 'S' -> writeNumber(output, time / MICROS_PER_SECOND % 60, 2);
      case 'f' -> writeNumber(output, time % MICROS_PER_SECOND, 6);
      default -> {
        writeNumber(output, time / MICROS_PER_HOUR, 2);
        output.appendByte(':');
        writeNumber(output, time / MICROS_PER_MINUTE % 60, 2);
        output.appendByte(':');
        writeNumber(output, time / MICROS_PER_SECOND % 60, 2);
      }
    }
  }

  /** The decimal digits of a non-negative {@code value}, zero-padded to {@code width}. */
  private static void writeNumber(BytesOutput output, long value, int width) {
    int digits = 1;
    for (long rest = value / 10; rest > 0; rest /= 10) {
      digits++;
    }
    int length = Math.max(digits, width);
    output.ensure(length);
    byte[] bytes = output.bytes;
    int end = output.size + length;
    long rest = value;
    for (int i = end - 1; i >= output.size; i--) {
      bytes[i] = (byte) ('0' + rest % 10);
      rest /= 10;
    }
    output.size = end;
  }

  /** The LONG value of a DATE (epoch days) or DATETIME (epoch microseconds) in microseconds. */
  private static long microsPerValue(TypeKind kind) {
    return kind == TypeKind.DATE ? CivilCalendar.MICROS_PER_DAY : 1;
  }

  /**
   * Whole {@code unit}s from the DATE or DATETIME argument at {@code startIndex} to the one at
   * {@code endIndex} (negative when the end is earlier), as the row-wise body's {@link
   * java.time.temporal.ChronoUnit#between} counts them: units of fixed length divide the
   * microseconds between the two truncating toward zero; months (and quarters, years) compare the
   * calendar months and then the day and time of day. Either argument may be a constant vector.
   */
  static ScalarFunction difference(
      String name,
      DateTimeFunctions.Unit unit,
      int startIndex,
      TypeKind startKind,
      int endIndex,
      TypeKind endKind) {
    long startScale = microsPerValue(startKind);
    long endScale = microsPerValue(endKind);
    long unitMicros =
        switch (unit) {
          case WEEK -> 7 * CivilCalendar.MICROS_PER_DAY;
          case DAY -> CivilCalendar.MICROS_PER_DAY;
          case HOUR -> MICROS_PER_HOUR;
          case MINUTE -> MICROS_PER_MINUTE;
          case SECOND -> MICROS_PER_SECOND;
          case MICROSECOND -> 1;
          case YEAR -> -12;
          case QUARTER -> -3;
          case MONTH -> -1;
        };
    // A negative unitMicros marks a calendar unit of that many months.
    java.util.function.LongBinaryOperator between =
        unitMicros > 0
            ? (start, end) -> (end * endScale - start * startScale) / unitMicros
            : (start, end) -> monthsBetween(start * startScale, end * endScale) / -unitMicros;
    return VectorKernels.longsToLong(
        name, DataType.BIGINT, startIndex, endIndex, between, Long.MIN_VALUE);
  }

  /**
   * Whole months from {@code start} to {@code end} (epoch microseconds), as {@code
   * LocalDateTime.until(end, MONTHS)}: the end's date moves one day toward the start when its time
   * of day has not reached the start's, then the months between the dates count, less one where the
   * end's day of the month has not reached the start's.
   */
  private static long monthsBetween(long start, long end) {
    long startDay = Math.floorDiv(start, CivilCalendar.MICROS_PER_DAY);
    long startTime = Math.floorMod(start, CivilCalendar.MICROS_PER_DAY);
    long endDay = Math.floorDiv(end, CivilCalendar.MICROS_PER_DAY);
    long endTime = Math.floorMod(end, CivilCalendar.MICROS_PER_DAY);
    if (endDay > startDay && endTime < startTime) {
      endDay--;
    } else if (endDay < startDay && endTime > startTime) {
      endDay++;
    }
    long startPacked = prolepticMonth(startDay) * 32 + CivilCalendar.dayOfMonth(startDay);
    long endPacked = prolepticMonth(endDay) * 32 + CivilCalendar.dayOfMonth(endDay);
    return (endPacked - startPacked) / 32;
  }

  private static long prolepticMonth(long epochDay) {
    return CivilCalendar.year(epochDay) * 12 + CivilCalendar.month(epochDay) - 1;
  }

  /**
   * A field of the DATE or DATETIME argument at {@code valueIndex} (other arguments, such as the
   * constant unit of {@code extract}, are not read) as a LONG-layout value of {@code returnType}.
   */
  static ScalarFunction field(
      String name,
      DataType returnType,
      int valueIndex,
      TypeKind valueKind,
      CivilCalendar.Field field) {
    long valueScale = microsPerValue(valueKind);
    return new KernelFunction(name, returnType) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        LongVector input = (LongVector) arguments.get(valueIndex);
        int mask = Kernels.rowMask(input, rowCount);
        boolean[] nulls = Kernels.nullsOf(input, rowCount);
        long[] out = new long[rowCount];
        for (int row = 0; row < rowCount; row++) {
          if (Kernels.isNull(nulls, row)) {
            continue;
          }
          long micros = input.getLong(row & mask) * valueScale;
          out[row] =
              field.of(
                  Math.floorDiv(micros, CivilCalendar.MICROS_PER_DAY),
                  Math.floorMod(micros, CivilCalendar.MICROS_PER_DAY));
        }
        return new LongVector(returnType, out, nulls, rowCount);
      }
    };
  }

  /**
   * {@code week(d [, mode])} ({@code yearWeek} false) or {@code yearweek(d [, mode])} of a DATE or
   * DATETIME {@code d} and an integer mode (a column or a constant vector; absent means 0), as the
   * row-wise body's {@link DateFormats#week(long, int)}.
   */
  static ScalarFunction week(String name, TypeKind valueKind, boolean yearWeek) {
    long valueScale = microsPerValue(valueKind);
    return new KernelFunction(name, DataType.INT) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        LongVector input = (LongVector) arguments.get(0);
        LongVector modes = arguments.size() > 1 ? (LongVector) arguments.get(1) : null;
        int mask = Kernels.rowMask(input, rowCount);
        int modeMask = modes == null ? 0 : Kernels.rowMask(modes, rowCount);
        boolean[] nulls = Kernels.mergeNulls(arguments, rowCount);
        long[] out = new long[rowCount];
        for (int row = 0; row < rowCount; row++) {
          if (Kernels.isNull(nulls, row)) {
            continue;
          }
          long day =
              Math.floorDiv(input.getLong(row & mask) * valueScale, CivilCalendar.MICROS_PER_DAY);
          int mode = modes == null ? 0 : (int) (modes.getLong(row & modeMask) & 7);
          int behaviour = DateFormats.weekBehaviour(mode);
          long packed =
              DateFormats.week(day, yearWeek ? behaviour | DateFormats.WEEK_YEAR : behaviour);
          out[row] =
              yearWeek
                  ? DateFormats.yearOf(packed) * 100 + DateFormats.weekOf(packed)
                  : DateFormats.weekOf(packed);
        }
        return new LongVector(DataType.INT, out, nulls, rowCount);
      }
    };
  }

  /**
   * {@code monthname(d)} ({@code months} true) or {@code dayname(d)} of a DATE or DATETIME: the
   * English name copied from a table of UTF-8 names.
   */
  static ScalarFunction name(String name, DataType returnType, TypeKind valueKind, boolean months) {
    long valueScale = microsPerValue(valueKind);
    String[] names = months ? DateFormats.MONTH_NAMES : DateFormats.DAY_NAMES;
    byte[][] bytes = new byte[names.length][];
    for (int i = 0; i < names.length; i++) {
      bytes[i] = names[i].getBytes(StandardCharsets.UTF_8);
    }
    return new KernelFunction(name, returnType) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        LongVector input = (LongVector) arguments.get(0);
        int mask = Kernels.rowMask(input, rowCount);
        boolean[] nulls = Kernels.nullsOf(input, rowCount);
        BytesOutput output = new BytesOutput(rowCount * 8);
        int[] offsets = new int[rowCount + 1];
        for (int row = 0; row < rowCount; row++) {
          offsets[row] = output.size;
          if (Kernels.isNull(nulls, row)) {
            continue;
          }
          long day =
              Math.floorDiv(input.getLong(row & mask) * valueScale, CivilCalendar.MICROS_PER_DAY);
          // DAY_NAMES starts on Monday, as CivilCalendar.WEEKDAY counts.
          byte[] text =
              bytes[(int) (months ? CivilCalendar.month(day) - 1 : Math.floorMod(day + 3, 7))];
          output.append(text, 0, text.length);
        }
        offsets[rowCount] = output.size;
        return new BytesVector(returnType, output.bytes, offsets, nulls, rowCount);
      }
    };
  }

  /**
   * {@code unix_timestamp(d)} of a DATE or DATETIME in the session's time zone ({@link
   * ZoneOffsetCache}): BIGINT seconds for {@code resultScale} 0, else a DECIMAL(18, resultScale) of
   * seconds and the fraction rounded half up; a time before 1970 gives 0, as the row-wise body.
   */
  static ScalarFunction unixTimestamp(DataType returnType, TypeKind valueKind) {
    long valueScale = microsPerValue(valueKind);
    int resultScale = returnType.kind() == TypeKind.DECIMAL ? returnType.scale() : 0;
    long fractionUnit = ScaledDecimals.powerOfTen(6 - resultScale);
    long secondsScale = ScaledDecimals.powerOfTen(resultScale);
    return new KernelFunction("unix_timestamp", returnType) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        LongVector input = (LongVector) arguments.get(0);
        int mask = Kernels.rowMask(input, rowCount);
        boolean[] nulls = Kernels.nullsOf(input, rowCount);
        ZoneOffsetCache zone = new ZoneOffsetCache(context.timeZone());
        long[] out = new long[rowCount];
        for (int row = 0; row < rowCount; row++) {
          if (Kernels.isNull(nulls, row)) {
            continue;
          }
          long micros = input.getLong(row & mask) * valueScale;
          long epochSecond = zone.epochSecondOf(Math.floorDiv(micros, MICROS_PER_SECOND));
          if (epochSecond < 0) {
            continue;
          }
          long fraction = Math.floorMod(micros, MICROS_PER_SECOND);
          out[row] = epochSecond * secondsScale + (fraction + fractionUnit / 2) / fractionUnit;
        }
        return resultScale == 0
            ? new LongVector(returnType, out, nulls, rowCount)
            : new DecimalVector(returnType, out, nulls, rowCount);
      }
    };
  }

  /**
   * {@code from_unixtime(seconds [, format])} with a constant {@code format} of the numeric
   * specifiers {@link #dateFormat} writes, in the session's time zone; NULL for seconds before 1970
   * or after 3000-12-31 23:59:59 UTC (the row-wise body's range). {@code null} for another format.
   */
  static ScalarFunction fromUnixTime(DataType returnType, String format) {
    List<Object> parts = compile(DateFormats.mysqlPattern(format));
    if (parts == null) {
      return null;
    }
    return new KernelFunction("from_unixtime", returnType) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        LongVector input = (LongVector) arguments.get(0);
        int mask = Kernels.rowMask(input, rowCount);
        boolean[] nulls = Kernels.mergeNulls(arguments, rowCount);
        ZoneOffsetCache zone = new ZoneOffsetCache(context.timeZone());
        BytesOutput output = new BytesOutput(rowCount * 20);
        int[] offsets = new int[rowCount + 1];
        for (int row = 0; row < rowCount; row++) {
          offsets[row] = output.size;
          if (Kernels.isNull(nulls, row)) {
            continue;
          }
          long seconds = input.getLong(row & mask);
          if (seconds < 0 || seconds > LAST_UNIX_SECOND) {
            nulls = Kernels.setNull(nulls, row, rowCount);
            continue;
          }
          long local = seconds + zone.offsetAt(seconds);
          write(
              output,
              parts,
              Math.floorDiv(local, 86_400L),
              Math.floorMod(local, 86_400L) * MICROS_PER_SECOND);
        }
        offsets[rowCount] = output.size;
        return new BytesVector(returnType, output.bytes, offsets, nulls, rowCount);
      }
    };
  }

  /**
   * {@code str_to_date(s, format)} of a text and a text format: each row is parsed by {@link
   * DateFormats#parseMicros} through an {@link AsciiText} view of its bytes (a decoded {@code
   * String} for a row with other characters); a DATE result is the parsed day. The format is
   * expanded ({@link DateFormats#expandComposites}) once for a constant format, and for a column of
   * formats again only when a row's format text differs from the previous row's.
   */
  static ScalarFunction strToDate(DataType returnType) {
    boolean date = returnType.kind() == TypeKind.DATE;
    return new KernelFunction("str_to_date", returnType) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        BytesVector input = (BytesVector) arguments.get(0);
        BytesVector formats = (BytesVector) arguments.get(1);
        int mask = Kernels.rowMask(input, rowCount);
        int formatMask = Kernels.rowMask(formats, rowCount);
        boolean[] nulls = Kernels.mergeNulls(input, formats, rowCount);
        byte[] bytes = input.rawBytes();
        byte[] formatBytes = formats.rawBytes();
        AsciiText view = new AsciiText();
        byte[] lastFormat = null;
        String pattern = null;
        long[] out = new long[rowCount];
        for (int row = 0; row < rowCount; row++) {
          if (Kernels.isNull(nulls, row)) {
            continue;
          }
          int formatStart = formats.offset(row & formatMask);
          int formatEnd = formatStart + formats.byteLength(row & formatMask);
          if (lastFormat == null
              || !Arrays.equals(
                  lastFormat, 0, lastFormat.length, formatBytes, formatStart, formatEnd)) {
            lastFormat = Arrays.copyOfRange(formatBytes, formatStart, formatEnd);
            pattern = DateFormats.expandComposites(new String(lastFormat, StandardCharsets.UTF_8));
          }
          int start = input.offset(row & mask);
          int length = input.byteLength(row & mask);
          CharSequence text;
          if (VectorKernels.isAscii(bytes, start, length)) {
            view.set(bytes, start, length);
            text = view;
          } else {
            text = new String(bytes, start, length, StandardCharsets.UTF_8);
          }
          long micros = DateFormats.parseMicros(text, pattern);
          if (micros == DateFormats.NO_DATE) {
            nulls = Kernels.setNull(nulls, row, rowCount);
          } else {
            out[row] = date ? Math.floorDiv(micros, CivilCalendar.MICROS_PER_DAY) : micros;
          }
        }
        return new LongVector(returnType, out, nulls, rowCount);
      }
    };
  }

  /**
   * Doris's {@code from_second(n)} ({@code unitsPerSecond} 1) and {@code from_millisecond(n)}
   * (1000): the Unix time as a DATETIME in the session's time zone ({@link ZoneOffsetCache}), NULL
   * outside the years 0 to 9999, as the row-wise bodies' {@code Instant.atZone}.
   */
  static ScalarFunction fromEpoch(String name, DataType returnType, long unitsPerSecond) {
    return new KernelFunction(name, returnType) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        LongVector input = (LongVector) arguments.get(0);
        int mask = Kernels.rowMask(input, rowCount);
        boolean[] nulls = Kernels.nullsOf(input, rowCount);
        ZoneOffsetCache zone = new ZoneOffsetCache(context.timeZone());
        long microsPerUnit = MICROS_PER_SECOND / unitsPerSecond;
        long[] out = new long[rowCount];
        for (int row = 0; row < rowCount; row++) {
          if (Kernels.isNull(nulls, row)) {
            continue;
          }
          long value = input.getLong(row & mask);
          long seconds = Math.floorDiv(value, unitsPerSecond);
          // Two days beyond the local range is beyond it in every zone (offsets stay within 18h).
          long local =
              seconds < FIRST_LOCAL_SECOND - 172_800 || seconds > LAST_LOCAL_SECOND + 172_800
                  ? Long.MIN_VALUE
                  : seconds + zone.offsetAt(seconds);
          if (local < FIRST_LOCAL_SECOND || local > LAST_LOCAL_SECOND) {
            nulls = Kernels.setNull(nulls, row, rowCount);
          } else {
            out[row] =
                local * MICROS_PER_SECOND + Math.floorMod(value, unitsPerSecond) * microsPerUnit;
          }
        }
        return new LongVector(returnType, out, nulls, rowCount);
      }
    };
  }

  /**
   * {@code addtime(d, t)} / {@code subtime(d, t)} of a DATE or DATETIME {@code d} and a TIME text
   * {@code t} (read by {@link DateTimeFunctions#parseTimeMicros}, once for a constant): the
   * DATETIME {@code d} plus or minus that duration; NULL for a text that is not a time or a result
   * outside the years 0 to 9999.
   */
  static ScalarFunction addTime(
      String name, DataType returnType, TypeKind valueKind, boolean subtract) {
    long microsPerValue = microsPerValue(valueKind);
    return new KernelFunction(name, returnType) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        LongVector values = (LongVector) arguments.get(0);
        BytesVector times = (BytesVector) arguments.get(1);
        int valueMask = Kernels.rowMask(values, rowCount);
        int timeMask = Kernels.rowMask(times, rowCount);
        boolean[] nulls = Kernels.mergeNulls(values, times, rowCount);
        byte[] bytes = times.rawBytes();
        AsciiText view = new AsciiText();
        long[] out = new long[rowCount];
        int lastTime = -1;
        long duration = 0;
        for (int row = 0; row < rowCount; row++) {
          if (Kernels.isNull(nulls, row)) {
            continue;
          }
          int time = row & timeMask;
          if (time != lastTime) {
            int start = times.offset(time);
            int length = times.byteLength(time);
            CharSequence text;
            if (VectorKernels.isAscii(bytes, start, length)) {
              view.set(bytes, start, length);
              text = view;
            } else {
              text = new String(bytes, start, length, StandardCharsets.UTF_8);
            }
            duration = DateTimeFunctions.parseTimeMicros(text);
            lastTime = time;
          }
          long micros = values.getLong(row & valueMask) * microsPerValue;
          long result = subtract ? micros - duration : micros + duration;
          if (duration == DateTimeFunctions.NO_TIME
              || result < FIRST_LOCAL_SECOND * MICROS_PER_SECOND
              || result >= (LAST_LOCAL_SECOND + 1) * MICROS_PER_SECOND) {
            nulls = Kernels.setNull(nulls, row, rowCount);
          } else {
            out[row] = result;
          }
        }
        return new LongVector(returnType, out, nulls, rowCount);
      }
    };
  }

  /** 0000-01-01 00:00:00 and 9999-12-31 23:59:59 as seconds since 1970-01-01 00:00 (local). */
  private static final long FIRST_LOCAL_SECOND = CivilCalendar.epochDay(0, 1, 1) * 86_400L;

  private static final long LAST_LOCAL_SECOND =
      (CivilCalendar.epochDay(9999, 12, 31) + 1) * 86_400L - 1;

  /** 3000-12-31 23:59:59 UTC, the last second {@code from_unixtime} converts. */
  static final long LAST_UNIX_SECOND = 32_536_771_199L;

  /**
   * {@code convert_tz(d, from, to)} of a DATE or DATETIME with constant zone names (resolved per
   * evaluation, as the row-wise body does: {@code SYSTEM} is the session's zone; an unknown name
   * makes every row NULL): the local time read in {@code from} and written in {@code to}, keeping
   * the fraction of the second.
   */
  static ScalarFunction convertTimeZone(
      DataType returnType, TypeKind valueKind, String fromName, String toName) {
    long valueScale = microsPerValue(valueKind);
    return new KernelFunction("convert_tz", returnType) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        LongVector input = (LongVector) arguments.get(0);
        int mask = Kernels.rowMask(input, rowCount);
        boolean[] nulls = Kernels.nullsOf(input, rowCount);
        java.time.ZoneId fromZone = DateTimeFunctions.zone(fromName, context);
        java.time.ZoneId toZone = DateTimeFunctions.zone(toName, context);
        long[] out = new long[rowCount];
        if (fromZone == null || toZone == null) {
          boolean[] all = new boolean[rowCount];
          java.util.Arrays.fill(all, true);
          return new LongVector(returnType, out, all, rowCount);
        }
        ZoneOffsetCache from = new ZoneOffsetCache(fromZone);
        ZoneOffsetCache to = new ZoneOffsetCache(toZone);
        for (int row = 0; row < rowCount; row++) {
          if (Kernels.isNull(nulls, row)) {
            continue;
          }
          long micros = input.getLong(row & mask) * valueScale;
          long epochSecond = from.epochSecondOf(Math.floorDiv(micros, MICROS_PER_SECOND));
          long local = epochSecond + to.offsetAt(epochSecond);
          out[row] = local * MICROS_PER_SECOND + Math.floorMod(micros, MICROS_PER_SECOND);
        }
        return new LongVector(returnType, out, nulls, rowCount);
      }
    };
  }

  /**
   * {@code timediff(a, b)} of two DATE or DATETIME arguments ({@code secondsIndex} -1), or {@code
   * sec_to_time(n)} of an integer ({@code secondsIndex} 0): the duration as MySQL prints a TIME,
   * clamped to its range, as the row-wise body's {@link DateTimeFunctions#formatTimeOfDay}. Either
   * argument may be a constant vector.
   */
  static ScalarFunction duration(
      String name, DataType returnType, TypeKind endKind, TypeKind startKind) {
    boolean seconds = endKind == null;
    long endScale = seconds ? MICROS_PER_SECOND : microsPerValue(endKind);
    long startScale = seconds ? 0 : microsPerValue(startKind);
    return new KernelFunction(name, returnType) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        LongVector end = (LongVector) arguments.get(0);
        LongVector start = seconds ? end : (LongVector) arguments.get(1);
        int endMask = Kernels.rowMask(end, rowCount);
        int startMask = Kernels.rowMask(start, rowCount);
        boolean[] nulls = Kernels.mergeNulls(arguments, rowCount);
        BytesOutput output = new BytesOutput(rowCount * 10);
        int[] offsets = new int[rowCount + 1];
        for (int row = 0; row < rowCount; row++) {
          offsets[row] = output.size;
          if (Kernels.isNull(nulls, row)) {
            continue;
          }
          long value = end.getLong(row & endMask);
          long micros;
          if (seconds) {
            // Clamped first, so that the multiplication cannot overflow.
            micros = Math.max(-TIME_LIMIT_SECONDS, Math.min(TIME_LIMIT_SECONDS, value)) * endScale;
          } else {
            micros = value * endScale - start.getLong(row & startMask) * startScale;
          }
          writeDuration(output, micros);
        }
        offsets[rowCount] = output.size;
        return new BytesVector(returnType, output.bytes, offsets, nulls, rowCount);
      }
    };
  }

  /**
   * {@code time_to_sec(s)} ({@code toSeconds}: whole seconds, toward zero) or {@code time(s)} (the
   * time as MySQL prints a TIME, as {@link DateTimeFunctions#formatTimeOfDay}) of a TIME or
   * DATETIME text, parsed by {@link DateTimeFunctions#parseTimeMicros} through an {@link AsciiText}
   * view of each ASCII row (a decoded {@code String} otherwise); NULL for a text that is not a
   * time.
   */
  static ScalarFunction timeOfText(String name, DataType returnType, boolean toSeconds) {
    return new KernelFunction(name, returnType) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        BytesVector input = (BytesVector) arguments.get(0);
        int mask = Kernels.rowMask(input, rowCount);
        boolean[] nulls = Kernels.nullsOf(input, rowCount);
        byte[] bytes = input.rawBytes();
        AsciiText view = new AsciiText();
        long[] seconds = toSeconds ? new long[rowCount] : null;
        BytesOutput output = toSeconds ? null : new BytesOutput(rowCount * 9);
        int[] offsets = toSeconds ? null : new int[rowCount + 1];
        for (int row = 0; row < rowCount; row++) {
          if (!toSeconds) {
            offsets[row] = output.size;
          }
          if (Kernels.isNull(nulls, row)) {
            continue;
          }
          int start = input.offset(row & mask);
          int length = input.byteLength(row & mask);
          CharSequence text;
          if (VectorKernels.isAscii(bytes, start, length)) {
            view.set(bytes, start, length);
            text = view;
          } else {
            text = new String(bytes, start, length, StandardCharsets.UTF_8);
          }
          long micros = DateTimeFunctions.parseTimeMicros(text);
          if (micros == DateTimeFunctions.NO_TIME) {
            nulls = Kernels.setNull(nulls, row, rowCount);
          } else if (toSeconds) {
            seconds[row] = micros / MICROS_PER_SECOND;
          } else {
            writeDuration(output, micros);
          }
        }
        if (toSeconds) {
          return new LongVector(returnType, seconds, nulls, rowCount);
        }
        offsets[rowCount] = output.size;
        return new BytesVector(returnType, output.bytes, offsets, nulls, rowCount);
      }
    };
  }

  /** One second past MySQL's TIME range, 838:59:59. */
  private static final long TIME_LIMIT_SECONDS = 838L * 3600 + 59 * 60 + 59 + 1;

  /** {@code [-]HH:MM:SS[.ffffff]} of {@code micros} clamped to MySQL's TIME range. */
  private static void writeDuration(BytesOutput output, long micros) {
    long limit = (TIME_LIMIT_SECONDS - 1) * MICROS_PER_SECOND;
    long clamped = Math.max(-limit, Math.min(limit, micros));
    if (clamped < 0) {
      output.appendByte('-');
    }
    long magnitude = Math.abs(clamped);
    long totalSeconds = magnitude / MICROS_PER_SECOND;
    writeNumber(output, totalSeconds / 3600, 2);
    output.appendByte(':');
    writeNumber(output, totalSeconds / 60 % 60, 2);
    output.appendByte(':');
    writeNumber(output, totalSeconds % 60, 2);
    long fraction = magnitude % MICROS_PER_SECOND;
    if (fraction != 0) {
      output.appendByte('.');
      writeNumber(output, fraction, 6);
    }
  }
}
