package dev.basalt.load.streamload;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a CSV body into rows and fields as it arrives, without decoding text: lines end at the
 * line delimiter, fields at the column separator (both any number of bytes). With {@code enclose} a
 * field that starts with the enclose byte runs to the matching one (separators and delimiters
 * inside are data; a doubled enclose byte is one); {@code escape} makes the next byte literal.
 * {@code \N} is NULL; with {@code trim_double_quotes} one pair of surrounding double quotes is
 * dropped. Empty lines are skipped.
 *
 * <p>Memory: one buffer that holds at least one whole line, growing up to {@code maxLineBytes}; a
 * longer line fails the load (LOAD_LINE_TOO_LONG). Fields point into the buffer (or into a scratch
 * buffer when unescaped), valid until the next {@link #next}. Not thread safe.
 */
final class CsvReader implements RecordReader {
  /**
   * The buffer starts small, so that the many tiny loads of group commit allocate little, and grows
   * to {@link #STEADY_BUFFER} once a body has filled it (then reads come in large chunks).
   */
  private static final int INITIAL_BUFFER = 16 << 10;

  private static final int STEADY_BUFFER = 1 << 20;

  private final InputStream input;
  private final byte[] separator;
  private final byte[] delimiter;
  private final int enclose;
  private final int escape;
  private final boolean trimDoubleQuotes;
  private final int maxLineBytes;
  private final boolean simple;
  private byte[] buffer;
  private long bytesRead;
  private int position;
  private int limit;
  private boolean endOfInput;
  private long line;
  private byte[] scratch = new byte[256];
  private int scratchSize;

  CsvReader(InputStream input, StreamLoadOptions options, int maxLineBytes) {
    this(input, options, maxLineBytes, -1);
  }

  /**
   * @param bodyBytes how many bytes the input holds, or -1 when unknown: a body smaller than the
   *     first buffer is read into a buffer of its size (a 10-row load of group commit is about a
   *     kilobyte, and its 16 KiB buffer was a fifth of the server's allocation)
   */
  CsvReader(InputStream input, StreamLoadOptions options, int maxLineBytes, long bodyBytes) {
    // One byte more than the body, so that reading it whole does not look like a full buffer.
    this.buffer =
        new byte
            [bodyBytes >= 0 && bodyBytes < INITIAL_BUFFER ? (int) bodyBytes + 1 : INITIAL_BUFFER];
    this.input = input;
    this.separator = options.columnSeparator();
    this.delimiter = options.lineDelimiter();
    this.enclose = options.enclose();
    this.escape = options.escape();
    this.trimDoubleQuotes = options.trimDoubleQuotes();
    this.maxLineBytes = maxLineBytes;
    this.simple = enclose < 0 && escape < 0 && separator.length == 1 && delimiter.length == 1;
  }

  /** Skips {@code count} lines (header lines, {@code skip_lines}). */
  void skipLines(int count) throws IOException {
    SourceRecord ignored = new SourceRecord();
    for (int i = 0; i < count && next(ignored); i++) {
      // Header and skipped lines are not rows.
    }
  }

  @Override
  public boolean next(SourceRecord record) throws IOException {
    while (true) {
      int end = simple ? scanSimple(record) : scanGeneral(record);
      if (end == NEED_MORE) {
        if (endOfInput) {
          if (position >= limit) {
            return false;
          }
          // The last line has no delimiter: it ends with the body.
          end = simple ? finishSimple(record) : finishGeneral(record);
        } else {
          if (limit - position > maxLineBytes) {
            throw new BasaltException(ErrorCode.LOAD_LINE_TOO_LONG, line + 1, maxLineBytes);
          }
          fill();
          continue;
        }
      }
      line++;
      if (end - position > maxLineBytes) {
        throw new BasaltException(ErrorCode.LOAD_LINE_TOO_LONG, line, maxLineBytes);
      }
      int recordStart = position;
      position = Math.min(limit, end + (end < limit ? delimiter.length : 0));
      if (end == recordStart) {
        continue;
      }
      record.line = line;
      record.rawData = buffer;
      record.rawStart = recordStart;
      record.rawEnd = end;
      return true;
    }
  }

  private static final int NEED_MORE = -1;

  /**
   * Single-byte separator and delimiter, no enclose or escape: the fast loop. Eight bytes at a time
   * ("SWAR": a zero-byte test on the word XOR the repeated separator and delimiter bytes, see "Bit
   * Twiddling Hacks", determining if a word has a zero byte) until a word holds either.
   */
  private int scanSimple(SourceRecord record) {
    byte separatorByte = separator[0];
    byte delimiterByte = delimiter[0];
    long separatorPattern = REPEAT_BYTE * (separatorByte & 0xFF);
    long delimiterPattern = REPEAT_BYTE * (delimiterByte & 0xFF);
    byte[] bytes = buffer;
    record.clear();
    int fieldStart = position;
    int i = position;
    int wordLimit = limit - 8;
    while (i < limit) {
      if (i <= wordLimit) {
        long word = (long) LITTLE_ENDIAN_LONG.get(bytes, i);
        long found = zeroBytes(word ^ separatorPattern) | zeroBytes(word ^ delimiterPattern);
        if (found == 0) {
          i += 8;
          continue;
        }
        i += Long.numberOfTrailingZeros(found) >>> 3;
      }
      byte b = bytes[i];
      if (b == separatorByte) {
        addField(record, bytes, fieldStart, i);
        fieldStart = i + 1;
      } else if (b == delimiterByte) {
        if (i > position) {
          addField(record, bytes, fieldStart, i);
        }
        return i;
      }
      i++;
    }
    return NEED_MORE;
  }

  private static final long REPEAT_BYTE = 0x0101010101010101L;
  private static final java.lang.invoke.VarHandle LITTLE_ENDIAN_LONG =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  /**
   * The high bit of each zero byte of {@code word} set (exact for the lowest zero byte, which is
   * the one used).
   */
  private static long zeroBytes(long word) {
    return (word - REPEAT_BYTE) & ~word & 0x8080808080808080L;
  }

  private int finishSimple(SourceRecord record) {
    byte separatorByte = separator[0];
    record.clear();
    int fieldStart = position;
    for (int i = position; i < limit; i++) {
      if (buffer[i] == separatorByte) {
        addField(record, buffer, fieldStart, i);
        fieldStart = i + 1;
      }
    }
    addField(record, buffer, fieldStart, limit);
    return limit;
  }

  private void addField(SourceRecord record, byte[] bytes, int start, int end) {
    if (end - start == 2 && bytes[start] == '\\' && bytes[start + 1] == 'N') {
      record.addNull();
      return;
    }
    if (trimDoubleQuotes && end - start >= 2 && bytes[start] == '"' && bytes[end - 1] == '"') {
      start++;
      end--;
    }
    record.add(bytes, start, end);
  }

  private boolean matches(byte[] pattern, int at, int end) {
    if (at + pattern.length > end) {
      return false;
    }
    for (int i = 0; i < pattern.length; i++) {
      if (buffer[at + i] != pattern[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Multi-byte separators, enclose and escape: fields are copied into the scratch buffer as they
   * are unescaped. Returns the record's end (where the delimiter starts) or NEED_MORE.
   */
  private int scanGeneral(SourceRecord record) {
    return scanGeneral(record, false);
  }

  private int finishGeneral(SourceRecord record) {
    return scanGeneral(record, true);
  }

  private int scanGeneral(SourceRecord record, boolean atEnd) {
    record.clear();
    scratchSize = 0;
    int[] fieldBounds = new int[16];
    boolean[] quoted = new boolean[8];
    int fields = 0;
    int i = position;
    int fieldStart = scratchSize;
    boolean inQuotes = false;
    boolean wasQuoted = false;
    boolean atFieldStart = true;
    while (true) {
      if (i >= limit) {
        if (!atEnd) {
          return NEED_MORE;
        }
        break;
      }
      byte b = buffer[i];
      if (inQuotes) {
        if (escape >= 0 && b == (byte) escape && escape != enclose) {
          if (i + 1 >= limit) {
            if (!atEnd) {
              return NEED_MORE;
            }
            i++;
            continue;
          }
          appendScratch(buffer[i + 1]);
          i += 2;
          continue;
        }
        if (b == (byte) enclose) {
          if (i + 1 >= limit && !atEnd) {
            return NEED_MORE;
          }
          if (i + 1 < limit && buffer[i + 1] == (byte) enclose) {
            appendScratch(b);
            i += 2;
            continue;
          }
          inQuotes = false;
          i++;
          continue;
        }
        appendScratch(b);
        i++;
        continue;
      }
      if (atFieldStart && enclose >= 0 && b == (byte) enclose) {
        inQuotes = true;
        wasQuoted = true;
        atFieldStart = false;
        i++;
        continue;
      }
      atFieldStart = false;
      if (b == delimiter[0] && matches(delimiter, i, limit)) {
        break;
      }
      if (!atEnd && b == delimiter[0] && i + delimiter.length > limit) {
        return NEED_MORE;
      }
      if (b == separator[0] && matches(separator, i, limit)) {
        if (fields * 2 + 2 > fieldBounds.length) {
          fieldBounds = Arrays.copyOf(fieldBounds, fieldBounds.length * 2);
          quoted = Arrays.copyOf(quoted, quoted.length * 2);
        }
        fieldBounds[fields * 2] = fieldStart;
        fieldBounds[fields * 2 + 1] = scratchSize;
        quoted[fields] = wasQuoted;
        fields++;
        fieldStart = scratchSize;
        wasQuoted = false;
        atFieldStart = true;
        i += separator.length;
        continue;
      }
      if (escape >= 0 && b == (byte) escape) {
        if (i + 1 >= limit) {
          if (!atEnd) {
            return NEED_MORE;
          }
          i++;
          continue;
        }
        if (buffer[i + 1] == 'N' && scratchSize == fieldStart && escape == '\\') {
          // \N stays a NULL marker even when backslash is the escape byte.
          appendScratch(b);
        }
        appendScratch(buffer[i + 1]);
        i += 2;
        continue;
      }
      appendScratch(b);
      i++;
    }
    if (i == position && !wasQuoted) {
      return i;
    }
    if (fields * 2 + 2 > fieldBounds.length) {
      fieldBounds = Arrays.copyOf(fieldBounds, fieldBounds.length * 2);
      quoted = Arrays.copyOf(quoted, quoted.length * 2);
    }
    fieldBounds[fields * 2] = fieldStart;
    fieldBounds[fields * 2 + 1] = scratchSize;
    quoted[fields] = wasQuoted;
    fields++;
    for (int field = 0; field < fields; field++) {
      int start = fieldBounds[field * 2];
      int end = fieldBounds[field * 2 + 1];
      if (quoted[field]) {
        record.add(scratch, start, end);
      } else {
        addField(record, scratch, start, end);
      }
    }
    return i;
  }

  private void appendScratch(byte b) {
    if (scratchSize == scratch.length) {
      scratch = Arrays.copyOf(scratch, scratch.length * 2);
    }
    scratch[scratchSize++] = b;
  }

  /** Moves the unread part to the front, grows the buffer for a long line, reads more. */
  private void fill() throws IOException {
    if (position > 0) {
      System.arraycopy(buffer, position, buffer, 0, limit - position);
      limit -= position;
      position = 0;
    }
    if (bytesRead >= buffer.length && buffer.length < STEADY_BUFFER) {
      buffer = Arrays.copyOf(buffer, STEADY_BUFFER);
    }
    if (limit == buffer.length) {
      if (buffer.length >= maxLineBytes + delimiter.length) {
        throw new BasaltException(ErrorCode.LOAD_LINE_TOO_LONG, line + 1, maxLineBytes);
      }
      buffer =
          Arrays.copyOf(
              buffer, (int) Math.min((long) buffer.length * 2, maxLineBytes + delimiter.length));
    }
    int read = input.read(buffer, limit, buffer.length - limit);
    if (read < 0) {
      endOfInput = true;
    } else {
      limit += read;
      bytesRead += read;
    }
  }
}
