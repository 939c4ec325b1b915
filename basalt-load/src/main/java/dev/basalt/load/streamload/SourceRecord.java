package dev.basalt.load.streamload;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One row of the source (a CSV line or a JSON object) as fields: byte ranges of UTF-8 text, NULL,
 * or absent (a JSON key that is missing). A reader refills the same record for every row; the bytes
 * it points into are valid until the reader's next call. Not thread safe.
 */
final class SourceRecord {
  static final byte VALUE = 0;
  static final byte NULL = 1;
  static final byte ABSENT = 2;

  byte[][] data = new byte[8][];
  int[] starts = new int[8];
  int[] ends = new int[8];
  byte[] kinds = new byte[8];
  int fieldCount;

  /** 1-based line number of the row's start in the (decompressed) body. */
  long line;

  /** The row's text for the error log, e.g. the CSV line; set by the reader. */
  byte[] rawData;

  int rawStart;
  int rawEnd;

  void clear() {
    fieldCount = 0;
  }

  /** Makes room for {@code count} fields, all ABSENT. */
  void reset(int count) {
    ensure(count);
    Arrays.fill(kinds, 0, count, ABSENT);
    fieldCount = count;
  }

  private void ensure(int count) {
    if (count > kinds.length) {
      int size = Math.max(count, kinds.length * 2);
      data = Arrays.copyOf(data, size);
      starts = Arrays.copyOf(starts, size);
      ends = Arrays.copyOf(ends, size);
      kinds = Arrays.copyOf(kinds, size);
    }
  }

  void add(byte[] bytes, int start, int end) {
    ensure(fieldCount + 1);
    set(fieldCount++, bytes, start, end);
  }

  void addNull() {
    ensure(fieldCount + 1);
    kinds[fieldCount++] = NULL;
  }

  void set(int field, byte[] bytes, int start, int end) {
    data[field] = bytes;
    starts[field] = start;
    ends[field] = end;
    kinds[field] = VALUE;
  }

  void setNull(int field) {
    kinds[field] = NULL;
  }

  /** The row's text, at most {@code limit} bytes, for the error log. */
  String text(int limit) {
    if (rawData == null) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < fieldCount; i++) {
        if (i > 0) {
          text.append(" | ");
        }
        text.append(
            switch (kinds[i]) {
              case NULL -> "NULL";
              case ABSENT -> "(absent)";
              default ->
                  new String(data[i], starts[i], ends[i] - starts[i], StandardCharsets.UTF_8);
            });
        if (text.length() > limit) {
          return text.substring(0, limit) + "...";
        }
      }
      return text.toString();
    }
    int length = Math.min(rawEnd - rawStart, limit);
    String text = new String(rawData, rawStart, length, StandardCharsets.UTF_8);
    return length < rawEnd - rawStart ? text + "..." : text;
  }
}
