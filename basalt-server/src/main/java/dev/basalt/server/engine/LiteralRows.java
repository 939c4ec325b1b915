package dev.basalt.server.engine;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.function.cast.Casts;
import dev.basalt.exec.function.cast.TextCasts;
import dev.basalt.server.session.ValuesRows;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The short way for {@code INSERT ... VALUES (...), (...), ...} whose values are all plain literals
 * — what JDBC batches with {@code rewriteBatchedStatements=true} and bound server-prepared INSERTs
 * send. Instead of being parsed, validated and optimized by Calcite (most of such a statement's CPU
 * before), the literals are read straight from the statement text into batches typed as the columns
 * they fill, {@link #BATCH_ROWS} rows at a time, so a large statement streams into the load in
 * bounded memory beyond its own text.
 *
 * <p>Literals: strings in single or double quotes (MySQL backslash escapes, doubled quotes),
 * numbers ({@code -12}, {@code 3.50}, {@code 1.5e3}), {@code NULL}, {@code TRUE}, {@code FALSE}.
 * Each value converts to its column's type with the rules of CAST ({@link Casts}), as the planned
 * path converts a VALUES source; a value that does not convert fails the statement with {@link
 * ErrorCode#BAD_VALUE} and its row number. NOT NULL and CHAR/VARCHAR lengths are checked by the
 * INSERT afterwards, as for any source. Anything else (expressions, functions, comments, {@code
 * _binary'...'}) makes {@link #of} return null, and the statement takes the planner.
 *
 * <p>Two passes over the statement's UTF-8 bytes: {@link #of} checks that every value is a literal
 * and keeps where each one starts and ends (up to {@link #MAX_RECORDED_VALUES} values; a larger
 * statement is scanned again), {@link #batches} converts them.
 *
 * <p>An instance is immutable; each {@link #batches} stream is single-threaded.
 */
final class LiteralRows implements ValuesRows {
  /** Rows per batch handed to the load. */
  static final int BATCH_ROWS = 4096;

  /** The most digits a number literal may have here (DECIMAL's maximum precision). */
  private static final int MAX_DIGITS = DataType.MAX_DECIMAL_PRECISION;

  /**
   * The most values whose places the checking pass keeps, so that reading them is not a second scan
   * (8 bytes and one per value: at most 576 KiB; a larger statement is scanned twice).
   */
  private static final int MAX_RECORDED_VALUES = 1 << 16;

  private final byte[] text;

  /** Where the source ends in {@link #text}. */
  private final int end;

  private final int firstTuple;
  private final int width;
  private final long rowCount;

  /** Where each value starts and ends and what it is (kind ordinal, +16 if escaped); or null. */
  private final Places places;

  private LiteralRows(
      byte[] text, int end, int firstTuple, int width, long rowCount, Places places) {
    this.text = text;
    this.end = end;
    this.firstTuple = firstTuple;
    this.width = width;
    this.rowCount = rowCount;
    this.places = places;
  }

  /**
   * The start, end and kind of each literal in statement order, as the checking pass found them.
   */
  private static final class Places {
    private int[] starts = new int[256];
    private int[] ends = new int[256];
    private byte[] kinds = new byte[256];
    private int count;

    /** Grows the arrays to hold {@code capacity} places (never shrinks them). */
    void reserve(int capacity) {
      if (capacity > starts.length) {
        starts = Arrays.copyOf(starts, capacity);
        ends = Arrays.copyOf(ends, capacity);
        kinds = Arrays.copyOf(kinds, capacity);
      }
    }

    void add(int start, int end, Kind kind, boolean escaped) {
      if (count == starts.length) {
        int capacity = Math.min(2 * count, MAX_RECORDED_VALUES);
        starts = Arrays.copyOf(starts, capacity);
        ends = Arrays.copyOf(ends, capacity);
        kinds = Arrays.copyOf(kinds, capacity);
      }
      starts[count] = start;
      ends[count] = end;
      kinds[count] = (byte) (kind.ordinal() | (escaped ? 16 : 0));
      count++;
    }
  }

  /**
   * The rows {@code source} ({@code VALUES (...), ...}) lists when every value is a plain literal;
   * otherwise null.
   *
   * @throws BasaltException {@link ErrorCode#COLUMN_COUNT_MISMATCH} when a row's width differs from
   *     the first row's, as MySQL says it
   */
  static LiteralRows of(String statementSource) {
    // ASCII text (what drivers send for numbers, dates and most strings) is one copy here.
    byte[] source = statementSource.getBytes(StandardCharsets.UTF_8);
    return of(source, 0, source.length);
  }

  /**
   * As {@link #of(String)}, for the source's UTF-8 bytes {@code text[start, sourceEnd)}: a
   * COM_QUERY packet's own bytes, read in place (the returned rows refer to {@code text}, which
   * must not change while they are read).
   */
  static LiteralRows of(byte[] text, int start, int sourceEnd) {
    byte[] source = text;
    Scanner scanner = new Scanner(source, sourceEnd);
    int at = scanner.skipSpaces(start);
    if (scanner.matchesIgnoringCase(at, "VALUES")) {
      at += 6;
    } else if (scanner.matchesIgnoringCase(at, "VALUE")) {
      at += 5;
    } else {
      return null;
    }
    at = scanner.skipSpaces(at);
    int firstTuple = at;
    int width = -1;
    long rows = 0;
    Places places = new Places();
    while (true) {
      if (at >= sourceEnd || source[at] != '(') {
        return null;
      }
      int values = 0;
      at++;
      while (true) {
        at = scanner.skipSpaces(at);
        int end = scanner.literalEnd(at);
        if (end < 0) {
          return null;
        }
        if (places != null) {
          if (places.count < MAX_RECORDED_VALUES) {
            places.add(at, end, scanner.kind, scanner.escaped);
          } else {
            places = null;
          }
        }
        values++;
        at = scanner.skipSpaces(end);
        if (at >= sourceEnd) {
          return null;
        }
        byte next = source[at++];
        if (next == ')') {
          break;
        }
        if (next != ',') {
          return null;
        }
      }
      if (width >= 0 && values != width) {
        throw new BasaltException(ErrorCode.COLUMN_COUNT_MISMATCH, rows + 1);
      }
      if (width < 0 && places != null) {
        // Sized once from the first row's length, so a big statement's places are not grown by
        // doubling (a 1,000-row batch of 16 values copied them seven times).
        long tupleBytes = Math.max(1, at - firstTuple);
        places.reserve(
            (int)
                Math.min(
                    MAX_RECORDED_VALUES, values * ((sourceEnd - firstTuple) / tupleBytes + 1)));
      }
      width = values;
      rows++;
      at = scanner.skipSpaces(at);
      if (at < sourceEnd && source[at] == ',') {
        at = scanner.skipSpaces(at + 1);
        continue;
      }
      if (at < sourceEnd && source[at] == ';') {
        at = scanner.skipSpaces(at + 1);
      }
      return at == sourceEnd
          ? new LiteralRows(source, sourceEnd, firstTuple, width, rows, places)
          : null;
    }
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public long rowCount() {
    return rowCount;
  }

  /**
   * The rows as batches of at most {@link #BATCH_ROWS} rows, value {@code i} of each row converted
   * to {@code types[i]}.
   *
   * @param columnNames the column each value fills, for error messages
   */
  @Override
  public BatchStream batches(DataType[] types, String[] columnNames) {
    if (types.length != width) {
      throw new IllegalArgumentException(types.length + " types for " + width + " values");
    }
    return new BatchStream() {
      private final Scanner scanner = new Scanner(text, end);
      private int at = firstTuple;
      private long row;
      private int value;

      @Override
      public Batch next() {
        if (row == rowCount) {
          return null;
        }
        int rows = (int) Math.min(BATCH_ROWS, rowCount - row);
        ColumnVectorBuilder[] builders = new ColumnVectorBuilder[width];
        for (int i = 0; i < width; i++) {
          builders[i] = new ColumnVectorBuilder(types[i], rows);
        }
        if (places != null) {
          // The checking pass found every literal: no second scan, and each string column's
          // bytes are known (at most its literals' lengths), so its buffer grows once.
          for (int i = 0; i < width; i++) {
            if (types[i].kind().isString()) {
              int total = 0;
              for (int v = value + i; v < value + rows * width; v += width) {
                total += places.ends[v] - places.starts[v];
              }
              builders[i].reserveBytes(total);
            }
          }
          for (int r = 0; r < rows; r++) {
            for (int i = 0; i < width; i++) {
              byte kind = places.kinds[value];
              scanner.kind = KINDS[kind & 15];
              scanner.escaped = (kind & 16) != 0;
              scanner.append(
                  places.starts[value],
                  places.ends[value],
                  builders[i],
                  types[i],
                  columnNames[i],
                  row + 1);
              value++;
            }
            row++;
          }
        } else {
          for (int r = 0; r < rows; r++) {
            at = scanner.skipSpaces(at) + 1; // '('
            for (int i = 0; i < width; i++) {
              at = scanner.skipSpaces(at);
              int end = scanner.literalEnd(at);
              scanner.append(at, end, builders[i], types[i], columnNames[i], row + 1);
              at = scanner.skipSpaces(end) + 1; // ',' or ')'
            }
            at = scanner.skipSpaces(at) + 1; // ',' between tuples, or past the end
            row++;
          }
        }
        List<ColumnVector> columns = new ArrayList<>(width);
        for (ColumnVectorBuilder builder : builders) {
          columns.add(builder.buildLast());
        }
        return new Batch(columns, rows);
      }
    };
  }

  /** What a literal is; set by {@link Scanner#literalEnd}. */
  private enum Kind {
    STRING,
    INTEGER,
    EXACT,
    APPROXIMATE,
    NULL,
    TRUE,
    FALSE
  }

  private static final Kind[] KINDS = Kind.values();

  /**
   * Reads literals from the statement's UTF-8 bytes; one per stream, not thread safe. Bytes, not
   * chars: an unescaped string literal is copied into its column as it stands (columns hold UTF-8),
   * and numbers and dates are parsed in place ({@link TextCasts}), so no String is made per value.
   * Only ASCII bytes separate or delimit literals; a byte of a multi-byte character is never one of
   * them, so scanning bytes finds the same literals as scanning chars. Whitespace is the ASCII
   * whitespace of {@link Character#isWhitespace}; any other character outside a string (another
   * kind of space included) is no literal, and the statement takes the planner.
   */
  private static final class Scanner {
    private final byte[] text;

    /** Where the source ends: the scanner reads {@code text} only before it. */
    private final int limit;

    private Kind kind;
    private boolean escaped;
    private byte[] scratch = new byte[64];

    /** The longest number or date text parsed in place ({@link TextCasts}); longer takes CAST. */
    private static final int MAX_IN_PLACE_LENGTH = 64;

    Scanner(byte[] text, int limit) {
      this.text = text;
      this.limit = limit;
    }

    int skipSpaces(int at) {
      while (at < limit && isSpace(text[at])) {
        at++;
      }
      return at;
    }

    /** The ASCII characters {@link Character#isWhitespace} accepts. */
    private static boolean isSpace(byte b) {
      return b == ' ' || (b >= 0x09 && b <= 0x0d) || (b >= 0x1c && b <= 0x1f);
    }

    /** The index after the literal at {@code at}, or -1 when there is none. */
    int literalEnd(int at) {
      if (at >= limit) {
        return -1;
      }
      byte first = text[at];
      if (first == '\'' || first == '"') {
        kind = Kind.STRING;
        return stringEnd(at, first);
      }
      if (first == '-' || first == '+' || first == '.' || isDigit(first)) {
        return numberEnd(at);
      }
      Kind word =
          switch (first | 0x20) {
            case 'n' -> Kind.NULL;
            case 't' -> Kind.TRUE;
            case 'f' -> Kind.FALSE;
            default -> null;
          };
      if (word != null
          && matchesIgnoringCase(at, word.name())
          && !isWordPart(at + word.name().length())) {
        kind = word;
        return at + word.name().length();
      }
      return -1;
    }

    /** Whether {@code text} at {@code at} holds {@code upper} (ASCII upper case) in any case. */
    private boolean matchesIgnoringCase(int at, String upper) {
      if (at + upper.length() > limit) {
        return false;
      }
      for (int i = 0; i < upper.length(); i++) {
        int b = text[at + i];
        if (b >= 'a' && b <= 'z') {
          b -= 'a' - 'A';
        }
        if (b != upper.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    private int stringEnd(int at, byte quote) {
      escaped = false;
      int i = at + 1;
      while (i < limit) {
        byte c = text[i];
        if (c == '\\') {
          escaped = true;
          i += 2;
          continue;
        }
        if (c == quote) {
          if (i + 1 < limit && text[i + 1] == quote) {
            escaped = true;
            i += 2;
            continue;
          }
          return i + 1;
        }
        i++;
      }
      return -1;
    }

    /** {@code [+-]digits[.digits][e[+-]digits]} (at least one digit before the exponent). */
    private int numberEnd(int at) {
      int i = at;
      if (text[i] == '-' || text[i] == '+') {
        i++;
      }
      int digits = 0;
      while (i < limit && isDigit(text[i])) {
        i++;
        digits++;
      }
      kind = Kind.INTEGER;
      if (i < limit && text[i] == '.') {
        kind = Kind.EXACT;
        i++;
        while (i < limit && isDigit(text[i])) {
          i++;
          digits++;
        }
      }
      if (digits == 0 || digits > MAX_DIGITS) {
        return -1;
      }
      if (i < limit && (text[i] == 'e' || text[i] == 'E')) {
        kind = Kind.APPROXIMATE;
        i++;
        if (i < limit && (text[i] == '-' || text[i] == '+')) {
          i++;
        }
        int exponent = i;
        while (i < limit && isDigit(text[i])) {
          i++;
        }
        if (i == exponent) {
          return -1;
        }
      }
      return isWordPart(i) || (i < limit && text[i] == '.') ? -1 : i;
    }

    /**
     * Whether the byte at {@code at} continues a word: an ASCII letter, digit, {@code _} or {@code
     * $}, or any byte of a non-ASCII character (as a char, a letter or digit is a word part; taking
     * every one as such only sends more statements to the planner).
     */
    private boolean isWordPart(int at) {
      if (at >= limit) {
        return false;
      }
      byte c = text[at];
      return c < 0
          || (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || isDigit(c)
          || c == '_'
          || c == '$';
    }

    private static boolean isDigit(byte c) {
      return c >= '0' && c <= '9';
    }

    /**
     * Converts the literal {@code text[start, end)} (the last one {@link #literalEnd} read) to
     * {@code type} and appends it.
     */
    void append(
        int start,
        int end,
        ColumnVectorBuilder builder,
        DataType type,
        String column,
        long rowNumber) {
      TypeKind target = type.kind();
      switch (kind) {
        case NULL -> builder.appendNull();
        case STRING -> {
          if (target.isString()) {
            appendString(start, end, builder);
          } else if (!appendTemporal(start + 1, end - 1, builder, target)) {
            String value = stringValue(start, end);
            convert(value, DataType.STRING, value, builder, type, column, rowNumber);
          }
        }
        case INTEGER -> {
          int length = end - start;
          boolean fitsLong = length <= 18 || (length == 19 && !isDigit(text[start]));
          if (target == TypeKind.DECIMAL
              && appendDecimal(start, end, builder, type, column, rowNumber)) {
            return;
          }
          if (fitsLong && isInteger(target)) {
            long value = parseLong(start, end);
            if (value < target.minimumLong() || value > target.maximumLong()) {
              throw badValue(type, start, end, column, rowNumber);
            }
            builder.appendLong(value);
          } else if (fitsLong) {
            convert(parseLong(start, end), DataType.BIGINT, null, builder, type, column, rowNumber);
          } else {
            BigDecimal value = new BigDecimal(ascii(start, end));
            convert(value, decimalType(value), null, builder, type, column, rowNumber);
          }
        }
        case EXACT -> {
          if (target == TypeKind.DECIMAL
              && appendDecimal(start, end, builder, type, column, rowNumber)) {
            return;
          }
          BigDecimal value = new BigDecimal(ascii(start, end));
          convert(value, decimalType(value), null, builder, type, column, rowNumber);
        }
        case APPROXIMATE -> {
          double value = Double.parseDouble(ascii(start, end));
          convert(value, DataType.DOUBLE, null, builder, type, column, rowNumber);
        }
        case TRUE, FALSE ->
            convert(kind == Kind.TRUE, DataType.BOOLEAN, null, builder, type, column, rowNumber);
      }
    }

    /**
     * A numeric literal into a DECIMAL column as its unscaled long, without a BigDecimal ({@link
     * TextCasts#parseDecimal}, CAST's rules); false when the fast path does not read it (the caller
     * converts it as before).
     *
     * @throws BasaltException BAD_VALUE when the value does not fit the column
     */
    private boolean appendDecimal(
        int start,
        int end,
        ColumnVectorBuilder builder,
        DataType type,
        String column,
        long rowNumber) {
      if (end - start > MAX_IN_PLACE_LENGTH) {
        return false;
      }
      long unscaled =
          TextCasts.parseDecimal(
              text, start, end, type.scale(), TextCasts.decimalLimit(type.precision()));
      if (unscaled == TextCasts.OUT_OF_RANGE) {
        throw badValue(type, start, end, column, rowNumber);
      }
      if (unscaled == TextCasts.NOT_A_DECIMAL) {
        return false;
      }
      builder.appendUnscaledDecimal(unscaled);
      return true;
    }

    /**
     * A string literal's content {@code text[start, end)} in the form {@code yyyy-MM-dd} into a
     * DATE, or {@code yyyy-MM-dd HH:mm:ss} into a DATETIME, without a String ({@link TextCasts});
     * false for any other form, target or an escaped literal (the caller converts it as before).
     */
    private boolean appendTemporal(
        int start, int end, ColumnVectorBuilder builder, TypeKind target) {
      if (escaped
          || (target != TypeKind.DATE && target != TypeKind.DATETIME)
          || end - start > MAX_IN_PLACE_LENGTH
          || !isAscii(start, end)) {
        return false;
      }
      long value =
          target == TypeKind.DATE
              ? TextCasts.parseDate(text, start, end)
              : TextCasts.parseDatetime(text, start, end);
      if (value == TextCasts.NOT_A_DATE) {
        return false;
      }
      builder.appendLong(value);
      return true;
    }

    private boolean isAscii(int start, int end) {
      for (int i = start; i < end; i++) {
        if (text[i] < 0) {
          return false;
        }
      }
      return true;
    }

    /** {@code text[start, end)}, ASCII (a number literal), as a String. */
    private String ascii(int start, int end) {
      return new String(text, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** Converts with CAST's rules ({@link Casts#convert}); a value that does not fit fails. */
    private void convert(
        Object value,
        DataType from,
        String shown,
        ColumnVectorBuilder builder,
        DataType type,
        String column,
        long rowNumber) {
      Object converted = Casts.convert(value, from, type);
      if (converted == null) {
        throw new BasaltException(
            ErrorCode.BAD_VALUE,
            type.sqlName(),
            shown != null ? shown : String.valueOf(value),
            column,
            rowNumber);
      }
      builder.appendObject(converted);
    }

    private BasaltException badValue(
        DataType type, int start, int end, String column, long rowNumber) {
      return new BasaltException(
          ErrorCode.BAD_VALUE,
          type.sqlName(),
          new String(text, start, end - start, StandardCharsets.UTF_8),
          column,
          rowNumber);
    }

    private static DataType decimalType(BigDecimal value) {
      int scale = Math.max(value.scale(), 0);
      return DataType.decimal(Math.max(Math.max(value.precision(), scale), 1), scale);
    }

    private static boolean isInteger(TypeKind kind) {
      return kind == TypeKind.TINYINT
          || kind == TypeKind.SMALLINT
          || kind == TypeKind.INT
          || kind == TypeKind.BIGINT;
    }

    /** An integer literal of at most 18 digits (and a sign). */
    private long parseLong(int start, int end) {
      boolean negative = text[start] == '-';
      int i = isDigit(text[start]) ? start : start + 1;
      long value = 0;
      for (; i < end; i++) {
        value = value * 10 + (text[i] - '0');
      }
      return negative ? -value : value;
    }

    /**
     * Appends a string literal's UTF-8 bytes: as they stand when it has no escapes, else with the
     * escapes undone.
     */
    private void appendString(int start, int end, ColumnVectorBuilder builder) {
      if (!escaped) {
        builder.appendBytes(text, start + 1, end - start - 2);
        return;
      }
      int length = unescape(start, end);
      builder.appendBytes(scratch, 0, length);
    }

    /** A string literal's value: MySQL's backslash escapes and doubled quotes undone. */
    private String stringValue(int start, int end) {
      if (!escaped) {
        return new String(text, start + 1, end - start - 2, StandardCharsets.UTF_8);
      }
      return new String(scratch, 0, unescape(start, end), StandardCharsets.UTF_8);
    }

    /**
     * Writes a string literal's bytes with MySQL's backslash escapes and doubled quotes undone into
     * {@code scratch} (grown as needed); returns their length. Escapes are ASCII, so the bytes of
     * other characters are copied as they are.
     */
    private int unescape(int start, int end) {
      if (scratch.length < end - start) {
        scratch = new byte[Math.max(end - start, 2 * scratch.length)];
      }
      byte quote = text[start];
      int length = 0;
      for (int i = start + 1; i < end - 1; i++) {
        byte c = text[i];
        if (c == '\\') {
          byte next = text[++i];
          switch (next) {
            case 'n' -> scratch[length++] = '\n';
            case 't' -> scratch[length++] = '\t';
            case 'r' -> scratch[length++] = '\r';
            case 'b' -> scratch[length++] = '\b';
            case '0' -> scratch[length++] = 0;
            case 'Z' -> scratch[length++] = 26;
            case '%', '_' -> {
              scratch[length++] = '\\';
              scratch[length++] = next;
            }
            default -> scratch[length++] = next;
          }
        } else if (c == quote) {
          scratch[length++] = quote;
          i++;
        } else {
          scratch[length++] = c;
        }
      }
      return length;
    }
  }
}
