package dev.basalt.load.streamload;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.Values;
import dev.basalt.exec.function.cast.Casts;
import dev.basalt.exec.function.cast.TextCasts;
import dev.basalt.load.ColumnBuffer;
import dev.basalt.meta.catalog.ColumnMeta;
import java.nio.charset.StandardCharsets;

/**
 * Parses one field's bytes (UTF-8 text) straight into a column's {@link ColumnBuffer}, with the
 * conversion rules of CAST from a string ({@link Casts}): numbers trimmed, integers truncate a
 * fraction, out-of-range values do not convert, dates in the forms {@code TemporalParser} reads.
 * Common shapes ({@code 123}, {@code -1.50}, {@code 2024-01-31}, {@code 2024-01-31 12:00:00}) are
 * parsed from the bytes without allocating; anything else goes through {@link Casts}.
 *
 * <p>A value that does not convert is NULL unless {@code strict_mode} is on, where the row is
 * rejected (Doris's rule); NULL in a NOT NULL column and a string longer than its CHAR/VARCHAR
 * length reject the row in both modes. Immutable and thread safe; the buffers it fills are not.
 */
final class FieldConverter {
  private final ColumnMeta column;
  private final DataType type;
  private final TypeKind kind;
  private final boolean strict;
  private final boolean nullable;
  private final long minimum;
  private final long maximum;

  /** DECIMAL: 10^precision, the bound of the unscaled values (10^18 for wider types). */
  private final long decimalLimit;

  FieldConverter(ColumnMeta column, boolean strict) {
    this.column = column;
    this.type = column.type();
    this.kind = type.kind();
    this.strict = strict;
    this.nullable = column.nullable();
    this.decimalLimit = kind == TypeKind.DECIMAL ? TextCasts.decimalLimit(type.precision()) : 0;
    this.minimum = kind.minimumLong();
    this.maximum = kind.maximumLong();
  }

  /** Appends SQL NULL, or returns the reason the row is rejected (a NOT NULL column). */
  String appendNull(ColumnBuffer buffer) {
    if (!nullable) {
      return "column '" + column.name() + "' is NOT NULL but the value is NULL";
    }
    buffer.appendNull();
    return null;
  }

  /**
   * Converts {@code bytes[start .. end)} and appends it; returns {@code null} when appended, else
   * the reason the row is rejected (nothing appended).
   */
  String append(byte[] bytes, int start, int end, ColumnBuffer buffer) {
    switch (kind) {
      case CHAR, VARCHAR -> {
        int length = end - start;
        if (length > type.length() && characters(bytes, start, end) > type.length()) {
          return "the value of column '"
              + column.name()
              + "' is longer than "
              + type.sqlName()
              + " allows ("
              + characters(bytes, start, end)
              + " characters)";
        }
        buffer.appendBytes(bytes, start, length);
        return null;
      }
      case STRING -> {
        buffer.appendBytes(bytes, start, end - start);
        return null;
      }
      case BITMAP, HLL, QUANTILE_STATE -> {
        // Text is no sketch: the columns header builds one (b = to_bitmap(field)).
        return "column '"
            + column.name()
            + "' of type "
            + type.sqlName()
            + " takes a value built by its function (e.g. "
            + column.name()
            + "="
            + (kind == TypeKind.BITMAP
                ? "to_bitmap"
                : kind == TypeKind.HLL ? "hll_hash" : "to_quantile_state")
            + "(field) in the columns header), not text";
      }
      case TINYINT, SMALLINT, INT, BIGINT -> {
        long value = TextCasts.parseInteger(bytes, start, end);
        if (value != TextCasts.NOT_AN_INTEGER) {
          if (value >= minimum && value <= maximum) {
            buffer.appendLong(value);
            return null;
          }
          return notConverted(bytes, start, end, buffer);
        }
      }
      case DATE -> {
        long day = TextCasts.parseDate(bytes, start, end);
        if (day != TextCasts.NOT_A_DATE) {
          buffer.appendLong(day);
          return null;
        }
      }
      case DATETIME -> {
        long micros = TextCasts.parseDatetime(bytes, start, end);
        if (micros != TextCasts.NOT_A_DATE) {
          buffer.appendLong(micros);
          return null;
        }
      }
      case DECIMAL -> {
        long unscaled = TextCasts.parseDecimal(bytes, start, end, type.scale(), decimalLimit);
        if (unscaled == TextCasts.OUT_OF_RANGE) {
          return notConverted(bytes, start, end, buffer);
        }
        if (unscaled != TextCasts.NOT_A_DECIMAL) {
          buffer.appendUnscaled(unscaled);
          return null;
        }
      }
      case DOUBLE, FLOAT -> {
        double value = TextCasts.parseSimpleDouble(bytes, start, end);
        if (Double.isNaN(value) && TextCasts.isPlainNumber(bytes, start, end)) {
          value =
              Double.parseDouble(
                  new String(bytes, start, end - start, StandardCharsets.ISO_8859_1));
        }
        if (!Double.isNaN(value)) {
          buffer.appendDouble(kind == TypeKind.FLOAT ? (double) (float) value : value);
          return null;
        }
      }
      default -> {
        // BOOLEAN, LARGEINT: the general path below.
      }
    }
    return appendSlowly(bytes, start, end, buffer);
  }

  /** The general path: CAST from the text, as {@link Casts} does it. */
  private String appendSlowly(byte[] bytes, int start, int end, ColumnBuffer buffer) {
    String text = new String(bytes, start, end - start, StandardCharsets.UTF_8);
    Object value = Casts.convert(text, DataType.STRING, type);
    if (value == null) {
      return notConverted(bytes, start, end, buffer);
    }
    switch (type.physical()) {
      case LONG -> buffer.appendLong(Values.toLong(type, value));
      case DOUBLE -> buffer.appendDouble(((Number) value).doubleValue());
      case DECIMAL, LARGEINT -> buffer.appendObject(value);
      case BYTES -> {
        byte[] utf8 = ((String) value).getBytes(StandardCharsets.UTF_8);
        buffer.appendBytes(utf8, 0, utf8.length);
      }
    }
    return null;
  }

  /** A value that does not convert: NULL in non-strict mode, a rejected row in strict mode. */
  private String notConverted(byte[] bytes, int start, int end, ColumnBuffer buffer) {
    if (strict || !nullable) {
      return "the value '"
          + abbreviate(new String(bytes, start, end - start, StandardCharsets.UTF_8))
          + "' of column '"
          + column.name()
          + "' is not a valid "
          + type.sqlName()
          + (strict ? " (strict_mode)" : " and the column is NOT NULL");
    }
    buffer.appendNull();
    return null;
  }

  private static String abbreviate(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "...";
  }

  /** UTF-8 characters in the range: bytes that are not continuation bytes. */
  private static int characters(byte[] bytes, int start, int end) {
    int count = 0;
    for (int i = start; i < end; i++) {
      if ((bytes[i] & 0xC0) != 0x80) {
        count++;
      }
    }
    return count;
  }
}
