package dev.basalt.server.mysql;

import static dev.basalt.server.mysql.MysqlProtocol.*;

import dev.basalt.common.type.ValueText;
import java.math.BigDecimal;
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
 * '[-]H:mm:ss[.ffffff]'}. Stateless.
 */
final class ParameterLiterals {
  private static final Pattern PLAIN_NUMBER =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

  private ParameterLiterals() {}

  /** Reads one value of wire type {@code type} from {@code reader} and returns its literal. */
  static String read(PayloadReader reader, int type, boolean unsigned) {
    return switch (type) {
      case TYPE_NULL -> "NULL";
      case TYPE_TINY -> {
        int value = reader.readByte();
        yield Integer.toString(unsigned ? value : (byte) value);
      }
      case TYPE_SHORT, TYPE_YEAR -> {
        int value = reader.readInt2();
        yield Integer.toString(unsigned ? value : (short) value);
      }
      case TYPE_LONG, TYPE_INT24 -> {
        long value = reader.readInt4();
        yield Long.toString(unsigned ? value : (int) value);
      }
      case TYPE_LONGLONG -> {
        long value = reader.readInt8();
        yield unsigned ? Long.toUnsignedString(value) : Long.toString(value);
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
          datetime(reader, type == TYPE_DATE || type == TYPE_NEWDATE);
      case TYPE_TIME, TYPE_TIME2 -> time(reader);
      default -> bytes(reader.readLengthEncodedBytes());
    };
  }

  private static String floatingPoint(double value, boolean isFloat) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return quote(ValueText.formatDouble(value, isFloat));
    }
    return ValueText.formatDouble(value, isFloat);
  }

  private static String decimal(String text) {
    if (text == null) {
      return "NULL";
    }
    String trimmed = text.strip();
    if (PLAIN_NUMBER.matcher(trimmed).matches()) {
      return new BigDecimal(trimmed).toPlainString();
    }
    return quote(text);
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
    if (bytes == null) {
      return "NULL";
    }
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return quote(text);
    } catch (CharacterCodingException notText) {
      return "X'" + HexFormat.of().withUpperCase().formatHex(bytes) + "'";
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
