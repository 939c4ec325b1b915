package dev.basalt.exec.function.scalar;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.ScalarFunction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Typed kernels of {@code date_trunc} and {@code date_format} with a constant unit or format
 * ({@link DateTimeFunctions} registers them and keeps the row-wise bodies as the reference): loops
 * over the epoch days of DATE vectors and the epoch microseconds of DATETIME vectors with the
 * integer calendar of {@link CivilCalendar}. The unit or format is read once, when the function is
 * resolved; its argument arrives as a constant vector and is not read again. Stateless and thread
 * safe.
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
          long day = Math.floorDiv(micros, CivilCalendar.MICROS_PER_DAY);
          long time = Math.floorMod(micros, CivilCalendar.MICROS_PER_DAY);
          for (Object part : parts) {
            if (part instanceof byte[] literal) {
              output.append(literal, 0, literal.length);
            } else {
              writeField(output, (Character) part, day, time);
            }
          }
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
}
