package dev.basalt.server.mysql;

import static dev.basalt.server.mysql.MysqlProtocol.*;

import dev.basalt.common.type.ValueText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Turns the binary parameter values of COM_STMT_EXECUTE into SQL literals that are substituted for
 * the statement's placeholders.
 *
 * <p>Integers and decimals become plain numbers; FLOAT and DOUBLE the shortest text that reads back
 * to the same value; strings a single-quoted literal in which {@code '} is doubled and {@code \}
 * and NUL are backslash-escaped (safe whether or not the parser honours MySQL backslash escapes: no
 * input can end the literal early); bytes that are not UTF-8 a hex literal {@code X'..'}; DATE,
 * DATETIME and TIMESTAMP {@code 'yyyy-MM-dd[ HH:mm:ss[.ffffff]]'}; TIME {@code
 * '[-]H:mm:ss[.ffffff]'}. Numbers and text are also kept as values ({@link #bindable}), which a
 * cached plan takes without going through SQL text. Stateless.
 */
final class ParameterLiterals {
  private static final Pattern PLAIN_NUMBER =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

  private ParameterLiterals() {}

  /** Reads one value of wire type {@code type} from {@code reader} and returns its literal. */
  static String read(PayloadReader reader, int type, boolean unsigned) {
    return literal(value(reader, type, unsigned));
  }

  /**
   * Text that is only ever used as an SQL literal (temporal values, hex strings, decimals and
   * floating-point values that are not plain numbers).
   */
  private record LiteralText(String text) {}

  /**
   * A DATE, DATETIME or TIMESTAMP value as its quoted literal {@code 'yyyy-MM-dd[
   * HH:mm:ss[.ffffff]]'}; a cached plan takes its unquoted text ({@link #bindable}), which means
   * the same as the literal wherever a string would (a character comparison compares the same
   * text).
   */
  private record TemporalText(String text) {}

  /**
   * Reads one value of wire type {@code type} from {@code reader}: null (NULL), {@link Long},
   * {@link BigInteger} (an unsigned BIGINT past {@code Long.MAX_VALUE}), {@link Float}, {@link
   * Double}, {@link BigDecimal}, {@link String} (text that is valid UTF-8), or an opaque value that
   * {@link #literal} renders and {@link #bindable} refuses.
   */
  static Object value(PayloadReader reader, int type, boolean unsigned) {
    return switch (type) {
      case TYPE_NULL -> null;
      case TYPE_TINY -> {
        int value = reader.readByte();
        yield (long) (unsigned ? value : (byte) value);
      }
      case TYPE_SHORT, TYPE_YEAR -> {
        int value = reader.readInt2();
        yield (long) (unsigned ? value : (short) value);
      }
      case TYPE_LONG, TYPE_INT24 -> {
        long value = reader.readInt4();
        yield unsigned ? value : (long) (int) value;
      }
      case TYPE_LONGLONG -> {
        long value = reader.readInt8();
        yield unsigned && value < 0 ? new BigInteger(Long.toUnsignedString(value)) : value;
      }
      case TYPE_FLOAT -> floatingPoint(Float.intBitsToFloat((int) reader.readInt4()), true);
      case TYPE_DOUBLE -> floatingPoint(Double.longBitsToDouble(reader.readInt8()), false);
      case TYPE_DECIMAL, TYPE_NEWDECIMAL -> decimal(reader.readLengthEncodedString());
      case TYPE_DATE,
          TYPE_NEWDATE,
          TYPE_DATETIME,
          TYPE_TIMESTAMP,
          TYPE_DATETIME2,
          TYPE_TIMESTAMP2 ->
          new TemporalText(datetime(reader, type == TYPE_DATE || type == TYPE_NEWDATE));
      case TYPE_TIME, TYPE_TIME2 -> new LiteralText(time(reader));
      default -> text(reader.readLengthEncodedBytes());
    };
  }

  /** The SQL literal of a value from {@link #value}. */
  static String literal(Object value) {
    return switch (value) {
      case null -> "NULL";
      case Float number -> ValueText.formatDouble(number, true);
      case Double number -> ValueText.formatDouble(number, false);
      case BigDecimal number -> number.toPlainString();
      case String text -> quote(text);
      case LiteralText text -> text.text();
      case TemporalText text -> text.text();
      default -> value.toString();
    };
  }

  /**
   * {@code value} (from {@link #value}) if a cached plan may take it as it is (numbers and text; a
   * date-time as its text), else null.
   */
  static Object bindable(Object value) {
    return switch (value) {
      case LiteralText ignored -> null;
      case TemporalText text -> text.text().substring(1, text.text().length() - 1);
      case null, default -> value;
    };
  }

  /**
   * The text a string literal of an opaque value from {@link #value} holds (a date-time, a time, a
   * non-finite FLOAT or DOUBLE, a decimal that is not a plain number), as the statement's literal
   * would give it; null for bytes that are not UTF-8 text (their literal is hexadecimal).
   */
  static String opaqueText(Object value) {
    String literal =
        switch (value) {
          case LiteralText text -> text.text();
          case TemporalText text -> text.text();
          default -> throw new IllegalArgumentException("not an opaque value: " + value);
        };
    if (literal.charAt(0) != '\'') {
      return null;
    }
    StringBuilder text = new StringBuilder(literal.length());
    for (int i = 1; i < literal.length() - 1; i++) {
      char c = literal.charAt(i);
      if (c == '\'' || c == '\\') {
        char next = literal.charAt(++i);
        text.append(c == '\\' && next == '0' ? '\0' : next);
      } else {
        text.append(c);
      }
    }
    return text.toString();
  }

  private static Object floatingPoint(double value, boolean isFloat) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return new LiteralText(quote(ValueText.formatDouble(value, isFloat)));
    }
    return isFloat ? (Object) (float) value : (Object) value;
  }

  private static Object decimal(String text) {
    if (text == null) {
      return null;
    }
    String trimmed = text.strip();
    if (PLAIN_NUMBER.matcher(trimmed).matches()) {
      return new BigDecimal(trimmed);
    }
    return new LiteralText(quote(text));
  }

  private static String datetime(PayloadReader reader, boolean dateOnly) {
    int length = reader.readByte();
    int year = 0;
    int month = 0;
    int day = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;
    long micros = 0;
    if (length >= 4) {
      year = reader.readInt2();
      month = reader.readByte();
      day = reader.readByte();
    }
    if (length >= 7) {
      hour = reader.readByte();
      minute = reader.readByte();
      second = reader.readByte();
    }
    if (length >= 11) {
      micros = reader.readInt4();
    }
    if (length > 11) {
      reader.skip(length - 11);
    }
    StringBuilder text = new StringBuilder(28).append('\'');
    pad(text, year, 4).append('-');
    pad(text, month, 2).append('-');
    pad(text, day, 2);
    if (!dateOnly || hour != 0 || minute != 0 || second != 0 || micros != 0) {
      text.append(' ');
      pad(text, hour, 2).append(':');
      pad(text, minute, 2).append(':');
      pad(text, second, 2);
      if (micros != 0) {
        text.append('.');
        pad(text, micros, 6);
      }
    }
    return text.append('\'').toString();
  }

  private static String time(PayloadReader reader) {
    int length = reader.readByte();
    boolean negative = false;
    long days = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;
    long micros = 0;
    if (length >= 8) {
      negative = reader.readByte() != 0;
      days = reader.readInt4();
      hour = reader.readByte();
      minute = reader.readByte();
      second = reader.readByte();
    }
    if (length >= 12) {
      micros = reader.readInt4();
    }
    if (length > 12) {
      reader.skip(length - 12);
    }
    StringBuilder text = new StringBuilder(24).append('\'');
    if (negative) {
      text.append('-');
    }
    pad(text, days * 24 + hour, 2).append(':');
    pad(text, minute, 2).append(':');
    pad(text, second, 2);
    if (micros != 0) {
      text.append('.');
      pad(text, micros, 6);
    }
    return text.append('\'').toString();
  }

  private static StringBuilder pad(StringBuilder text, long value, int width) {
    String digits = Long.toString(value);
    for (int i = digits.length(); i < width; i++) {
      text.append('0');
    }
    return text.append(digits);
  }

  /** A string literal of {@code bytes} if they are UTF-8 text, else a hex literal. */
  static String bytes(byte[] bytes) {
    return literal(text(bytes));
  }

  /** {@code bytes} as a String if they are UTF-8 text, else their hex literal. */
  static Object text(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException notText) {
      return new LiteralText("X'" + HexFormat.of().withUpperCase().formatHex(bytes) + "'");
    }
  }

  /** {@code text} as a single-quoted SQL string literal. */
  static String quote(String text) {
    StringBuilder literal = new StringBuilder(text.length() + 2).append('\'');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\'' -> literal.append("''");
        case '\\' -> literal.append("\\\\");
        case '\0' -> literal.append("\\0");
        default -> literal.append(c);
      }
    }
    return literal.append('\'').toString();
  }
}
