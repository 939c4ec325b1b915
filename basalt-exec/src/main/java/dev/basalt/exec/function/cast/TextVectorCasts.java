package dev.basalt.exec.function.cast;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LongVector;

/**
 * The conversions of {@link Casts#convertVector} between strings and numbers or dates that stay on
 * bytes and primitive arrays: text to an integer, DOUBLE, FLOAT, a DECIMAL of at most 18 digits,
 * DATE or DATETIME is read from the UTF-8 bytes by {@link TextCasts} (no String per value), text to
 * a LARGEINT or a DECIMAL of 19 to 38 digits by {@link Int128TextCasts} (into the 128-bit halves),
 * text to BOOLEAN here; an integer, DATE or DATETIME is written as text into the result's bytes,
 * and a DOUBLE or FLOAT by {@link DoubleText}. A text whose shape the byte readers do not read
 * (exponents, spaces around a DOUBLE, other date forms, non-ASCII bytes around a number) takes the
 * boxed conversion for that row alone, so every row gets exactly what {@link Casts#convert} gives.
 * {@link #convert} returns {@code null} for other pairs of types. Stateless.
 */
final class TextVectorCasts {
  private TextVectorCasts() {}

  static ColumnVector convert(ColumnVector vector, DataType from, DataType to) {
    if (vector instanceof BytesVector texts && isText(from.kind())) {
      return fromText(texts, from, to);
    }
    if (vector instanceof DoubleVector doubles && isText(to.kind())) {
      return switch (from.kind()) {
        case DOUBLE, FLOAT -> doublesToText(doubles, from.kind() == TypeKind.FLOAT, to);
        default -> null;
      };
    }
    if (vector instanceof LongVector longs && isText(to.kind())) {
      return switch (from.kind()) {
        case BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, DATE, DATETIME -> toText(longs, from, to);
        default -> null;
      };
    }
    return null;
  }

  private static boolean isText(TypeKind kind) {
    return kind == TypeKind.CHAR || kind == TypeKind.VARCHAR || kind == TypeKind.STRING;
  }

  private static ColumnVector fromText(BytesVector texts, DataType from, DataType to) {
    TypeKind kind = to.kind();
    switch (kind) {
      case TINYINT, SMALLINT, INT, BIGINT, DOUBLE, FLOAT, DATE, DATETIME -> {}
      case DECIMAL -> {
        if (to.precision() > 18) {
          return textToInt128(texts, from, to);
        }
      }
      case LARGEINT -> {
        return textToInt128(texts, from, to);
      }
      case BOOLEAN -> {
        return textToBoolean(texts, from, to);
      }
      default -> {
        return null;
      }
    }
    long minimum = kind.minimumLong();
    long maximum = kind.maximumLong();
    long decimalLimit = kind == TypeKind.DECIMAL ? TextCasts.decimalLimit(to.precision()) : 0;
    int size = texts.size();
    byte[] bytes = texts.rawBytes();
    ColumnVectorBuilder builder = new ColumnVectorBuilder(to, Math.max(size, 1));
    for (int row = 0; row < size; row++) {
      if (texts.isNull(row)) {
        builder.appendNull();
        continue;
      }
      int start = texts.offset(row);
      int end = start + texts.byteLength(row);
      switch (kind) {
        case TINYINT, SMALLINT, INT, BIGINT -> {
          long value = TextCasts.parseInteger(bytes, start, end);
          if (value != TextCasts.NOT_AN_INTEGER) {
            if (value >= minimum && value <= maximum) {
              builder.appendLong(value);
            } else {
              builder.appendNull();
            }
            continue;
          }
        }
        case DOUBLE, FLOAT -> {
          double value = TextCasts.parseSimpleDouble(bytes, start, end);
          if (!Double.isNaN(value)) {
            builder.appendDouble(kind == TypeKind.FLOAT ? (double) (float) value : value);
            continue;
          }
        }
        case DECIMAL -> {
          long unscaled = TextCasts.parseDecimal(bytes, start, end, to.scale(), decimalLimit);
          if (unscaled == TextCasts.OUT_OF_RANGE) {
            builder.appendNull();
            continue;
          }
          if (unscaled != TextCasts.NOT_A_DECIMAL) {
            builder.appendUnscaledDecimal(unscaled);
            continue;
          }
        }
        case DATE -> {
          long day = TextCasts.parseDate(bytes, start, end);
          if (day != TextCasts.NOT_A_DATE) {
            builder.appendLong(day);
            continue;
          }
        }
        case DATETIME -> {
          long micros = TextCasts.parseDatetime(bytes, start, end);
          if (micros != TextCasts.NOT_A_DATE) {
            builder.appendLong(micros);
            continue;
          }
        }
        default -> throw new IllegalStateException("unexpected target " + to);
      }
      builder.appendObject(Casts.convert(texts.getObject(row), from, to));
    }
    return builder.build();
  }

  /** Text to LARGEINT or to a DECIMAL of 19 to 38 digits, into the 128-bit halves. */
  private static ColumnVector textToInt128(BytesVector texts, DataType from, DataType to) {
    boolean largeInt = to.kind() == TypeKind.LARGEINT;
    int size = texts.size();
    byte[] bytes = texts.rawBytes();
    long[] halves = new long[2];
    ColumnVectorBuilder builder = new ColumnVectorBuilder(to, Math.max(size, 1));
    for (int row = 0; row < size; row++) {
      if (texts.isNull(row)) {
        builder.appendNull();
        continue;
      }
      int start = texts.offset(row);
      int end = start + texts.byteLength(row);
      int outcome =
          largeInt
              ? Int128TextCasts.parseLargeInt(bytes, start, end, halves)
              : Int128TextCasts.parseDecimal(bytes, start, end, to.precision(), to.scale(), halves);
      switch (outcome) {
        case Int128TextCasts.CONVERTED -> builder.appendInt128(halves[0], halves[1]);
        case Int128TextCasts.NULL -> builder.appendNull();
        default -> builder.appendObject(Casts.convert(texts.getObject(row), from, to));
      }
    }
    return builder.build();
  }

  /**
   * Text to BOOLEAN: {@code true} / {@code false} in any case, or a number (true when any digit of
   * its mantissa is not zero, whatever the exponent), between ASCII whitespace; anything else NULL.
   * Text with bytes outside ASCII takes the boxed conversion ({@link String#strip} also removes
   * Unicode whitespace).
   */
  private static ColumnVector textToBoolean(BytesVector texts, DataType from, DataType to) {
    int size = texts.size();
    byte[] bytes = texts.rawBytes();
    long[] values = new long[size];
    boolean[] nulls = null;
    for (int row = 0; row < size; row++) {
      long value;
      if (texts.isNull(row)) {
        value = -1;
      } else {
        int start = texts.offset(row);
        value = parseBoolean(bytes, start, start + texts.byteLength(row));
        if (value == NOT_READ) {
          Object boxed = Casts.convert(texts.getObject(row), from, to);
          value = boxed == null ? -1 : ((Boolean) boxed ? 1 : 0);
        }
      }
      if (value < 0) {
        if (nulls == null) {
          nulls = new boolean[size];
        }
        nulls[row] = true;
        value = 0;
      }
      values[row] = value;
    }
    return new LongVector(to, values, nulls, size);
  }

  /** {@link #parseBoolean}: bytes outside ASCII, for the boxed conversion. */
  private static final long NOT_READ = 2;

  /** 1 for true, 0 for false, -1 for NULL, {@link #NOT_READ}. */
  static long parseBoolean(byte[] bytes, int start, int end) {
    for (int i = start; i < end; i++) {
      if (bytes[i] < 0) {
        return NOT_READ;
      }
    }
    while (start < end && Int128TextCasts.isWhitespace(bytes[start])) {
      start++;
    }
    while (end > start && Int128TextCasts.isWhitespace(bytes[end - 1])) {
      end--;
    }
    if (matchesIgnoringCase(bytes, start, end, "true")) {
      return 1;
    }
    if (matchesIgnoringCase(bytes, start, end, "false")) {
      return 0;
    }
    if (!TextCasts.isPlainNumber(bytes, start, end)) {
      return -1;
    }
    for (int i = start; i < end; i++) {
      byte b = bytes[i];
      if (b == 'e' || b == 'E') {
        break;
      }
      if (b >= '1' && b <= '9') {
        return 1;
      }
    }
    return 0;
  }

  private static boolean matchesIgnoringCase(byte[] bytes, int start, int end, String word) {
    if (end - start != word.length()) {
      return false;
    }
    for (int i = 0; i < word.length(); i++) {
      if ((bytes[start + i] | 0x20) != word.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * DOUBLE or FLOAT as {@link dev.basalt.common.type.ValueText} prints it ({@link DoubleText}), cut
   * to a CHAR or VARCHAR's length (every character is one byte).
   */
  private static ColumnVector doublesToText(DoubleVector values, boolean isFloat, DataType to) {
    int size = values.size();
    int length = to.kind() == TypeKind.STRING ? 0 : to.length();
    ColumnVectorBuilder builder = new ColumnVectorBuilder(to, Math.max(size, 1));
    builder.reserveBytes(size * 8);
    DoubleText writer = new DoubleText();
    byte[] text = new byte[DoubleText.MAX_LENGTH];
    for (int row = 0; row < size; row++) {
      if (values.isNull(row)) {
        builder.appendNull();
        continue;
      }
      int written = writer.write(values.getDouble(row), isFloat, text);
      builder.appendBytes(text, 0, length > 0 ? Math.min(written, length) : written);
    }
    return builder.build();
  }

  /**
   * Integers (BOOLEAN's 0 and 1 too) as their decimal digits, DATE as {@code yyyy-MM-dd}, DATETIME
   * as {@code yyyy-MM-dd HH:mm:ss} with its type's fractional digits ({@link
   * dev.basalt.common.type.ValueText}); cut to a CHAR or VARCHAR's length (every character is one
   * byte). Dates outside years 0 to 9999 take the boxed conversion.
   */
  private static ColumnVector toText(LongVector values, DataType from, DataType to) {
    int size = values.size();
    int length = to.kind() == TypeKind.STRING ? 0 : to.length();
    ColumnVectorBuilder builder = new ColumnVectorBuilder(to, Math.max(size, 1));
    byte[] text = new byte[32];
    for (int row = 0; row < size; row++) {
      if (values.isNull(row)) {
        builder.appendNull();
        continue;
      }
      long value = values.getLong(row);
      int written =
          switch (from.kind()) {
            case DATE -> writeDate(value, text, 0);
            case DATETIME -> writeDatetime(value, from.scale(), text);
            case BOOLEAN -> writeInteger(value != 0 ? 1 : 0, text);
            default -> writeInteger(value, text);
          };
      if (written < 0) {
        builder.appendObject(Casts.convert(values.getObject(row), from, to));
        continue;
      }
      builder.appendBytes(text, 0, length > 0 ? Math.min(written, length) : written);
    }
    return builder.build();
  }

  /** The digits of {@code value} at the start of {@code text}; returns how many bytes. */
  private static int writeInteger(long value, byte[] text) {
    if (value == Long.MIN_VALUE) {
      byte[] minimum = Long.toString(value).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      System.arraycopy(minimum, 0, text, 0, minimum.length);
      return minimum.length;
    }
    int position = 0;
    long magnitude = value;
    if (value < 0) {
      text[position++] = '-';
      magnitude = -value;
    }
    int digits = 1;
    for (long bound = 10; digits < 19 && magnitude >= bound; bound *= 10) {
      digits++;
    }
    for (int i = position + digits - 1; i >= position; i--) {
      text[i] = (byte) ('0' + magnitude % 10);
      magnitude /= 10;
    }
    return position + digits;
  }

  /**
   * {@code yyyy-MM-dd} of the epoch day {@code day} at {@code position} (the days-to-civil
   * conversion); -1 for a year outside 0 to 9999.
   */
  private static int writeDate(long day, byte[] text, int position) {
    long shifted = day + 719_468;
    long era = Math.floorDiv(shifted, 146_097);
    long dayOfEra = shifted - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long monthIndex = (5 * dayOfYear + 2) / 153;
    long dayOfMonth = dayOfYear - (153 * monthIndex + 2) / 5 + 1;
    long month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 0 || year > 9999) {
      return -1;
    }
    writeDigits(year, 4, text, position);
    text[position + 4] = '-';
    writeDigits(month, 2, text, position + 5);
    text[position + 7] = '-';
    writeDigits(dayOfMonth, 2, text, position + 8);
    return position + 10;
  }

  /**
   * {@code yyyy-MM-dd HH:mm:ss[.fraction]} of {@code micros} since the epoch with {@code
   * fractionalDigits} digits of the second (at most 6, truncated as {@link
   * dev.basalt.common.type.ValueText#formatDatetime} writes them); -1 outside years 0 to 9999.
   */
  private static int writeDatetime(long micros, int fractionalDigits, byte[] text) {
    long day = Math.floorDiv(micros, 86_400_000_000L);
    long ofDay = micros - day * 86_400_000_000L;
    int position = writeDate(day, text, 0);
    if (position < 0) {
      return -1;
    }
    long seconds = ofDay / 1_000_000;
    text[position] = ' ';
    writeDigits(seconds / 3_600, 2, text, position + 1);
    text[position + 3] = ':';
    writeDigits(seconds / 60 % 60, 2, text, position + 4);
    text[position + 6] = ':';
    writeDigits(seconds % 60, 2, text, position + 7);
    position += 9;
    int digits = Math.min(fractionalDigits, 6);
    if (digits > 0) {
      text[position++] = '.';
      long fraction = ofDay % 1_000_000;
      for (int dropped = digits; dropped < 6; dropped++) {
        fraction /= 10;
      }
      writeDigits(fraction, digits, text, position);
      position += digits;
    }
    return position;
  }

  private static void writeDigits(long value, int count, byte[] text, int position) {
    for (int i = position + count - 1; i >= position; i--) {
      text[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }
}
