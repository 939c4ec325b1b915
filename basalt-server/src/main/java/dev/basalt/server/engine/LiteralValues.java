package dev.basalt.server.engine;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The short way for the commonest small write, {@code INSERT INTO t VALUES (1, 'a', 2.50)} (what a
 * server-prepared INSERT becomes once its parameters are bound): one row of plain literals is read
 * straight into a batch, typed as the SQL planner types such literals (INT or BIGINT, DECIMAL(p,
 * s), CHAR(n)), instead of being parsed, validated and optimized by Calcite — two thirds of a
 * single-row INSERT's CPU before. The INSERT then converts the batch to the columns' types as it
 * does any source. Anything else (several rows, expressions, NULL, escapes, exponents, empty or
 * long strings) returns null and takes the planner. Stateless.
 */
final class LiteralValues {
  private LiteralValues() {}

  /** The single row of literals {@code source} lists, or null when it is anything else. */
  static Batch parse(String source) {
    int at = skipSpaces(source, 0);
    int keyword = source.regionMatches(true, at, "VALUES", 0, 6) ? 6 : 0;
    if (keyword == 0) {
      return null;
    }
    at = skipSpaces(source, at + keyword);
    if (at >= source.length() || source.charAt(at) != '(') {
      return null;
    }
    List<ColumnVector> columns = new ArrayList<>();
    at++;
    while (true) {
      at = skipSpaces(source, at);
      int end = at < source.length() && source.charAt(at) == '\'' ? stringEnd(source, at) : at;
      ColumnVector value;
      if (end > at) {
        value = string(source, at, end);
      } else {
        end = numberEnd(source, at);
        value = end > at ? number(source.substring(at, end)) : null;
      }
      if (value == null) {
        return null;
      }
      columns.add(value);
      at = skipSpaces(source, end);
      if (at >= source.length()) {
        return null;
      }
      char next = source.charAt(at++);
      if (next == ')') {
        break;
      }
      if (next != ',') {
        return null;
      }
    }
    at = skipSpaces(source, at);
    if (at < source.length() && source.charAt(at) == ';') {
      at = skipSpaces(source, at + 1);
    }
    return at == source.length() ? new Batch(columns, 1) : null;
  }

  private static int skipSpaces(String text, int at) {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
    return at;
  }

  /** The index after a quoted literal starting at {@code at}, or {@code at} when unsupported. */
  private static int stringEnd(String text, int at) {
    int i = at + 1;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\') {
        return at;
      }
      if (c == '\'') {
        if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return at;
  }

  private static ColumnVector string(String text, int start, int end) {
    String value = text.substring(start + 1, end - 1).replace("''", "'");
    int length = value.codePointCount(0, value.length());
    if (length == 0 || length > DataType.MAX_CHAR_LENGTH) {
      return null;
    }
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    return new ColumnVectorBuilder(DataType.character(length), 1)
        .appendBytes(utf8, 0, utf8.length)
        .build();
  }

  /** The index after {@code -?digits(.digits)?} at {@code at}, or {@code at}. */
  private static int numberEnd(String text, int at) {
    int i = at;
    if (i < text.length() && text.charAt(i) == '-') {
      i++;
    }
    int digits = i;
    while (i < text.length() && Character.isDigit(text.charAt(i))) {
      i++;
    }
    if (i == digits) {
      return at;
    }
    if (i < text.length() && text.charAt(i) == '.') {
      int fraction = ++i;
      while (i < text.length() && Character.isDigit(text.charAt(i))) {
        i++;
      }
      if (i == fraction) {
        return at;
      }
    }
    if (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '.')) {
      return at;
    }
    return i;
  }

  private static ColumnVector number(String literal) {
    if (literal.indexOf('.') < 0) {
      if (literal.length() > 19) {
        return null;
      }
      long value;
      try {
        value = Long.parseLong(literal);
      } catch (NumberFormatException tooLarge) {
        return null;
      }
      boolean fitsInt = value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
      return new ColumnVectorBuilder(fitsInt ? DataType.INT : DataType.BIGINT, 1)
          .appendLong(value)
          .build();
    }
    BigDecimal value = new BigDecimal(literal);
    int precision = Math.max(value.precision(), value.scale());
    if (precision > DataType.MAX_DECIMAL_PRECISION || value.scale() < 0) {
      return null;
    }
    return new ColumnVectorBuilder(DataType.decimal(precision, value.scale()), 1)
        .appendDecimal(value)
        .build();
  }
}
