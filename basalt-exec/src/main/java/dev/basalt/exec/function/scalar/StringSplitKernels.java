package dev.basalt.exec.function.scalar;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.scalar.StringKernels.TextArgument;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * Typed kernels of the string functions that cut a string at a delimiter: {@code split_part},
 * {@code substring_index} and {@code find_in_set}, on the UTF-8 bytes of {@link BytesVector}s (see
 * {@link StringKernels} for why byte searches give the character semantics of the row-wise bodies
 * in {@link StringFunctions}). Delimiters are found left to right without overlap, as {@link
 * String#indexOf} from the end of the previous match finds them. Stateless and thread safe.
 */
final class StringSplitKernels {
  private StringSplitKernels() {}

  /**
   * Doris {@code split_part(s, delimiter, part)}: the {@code part}-th field (1-based; a negative
   * part counts from the last field); NULL for an empty delimiter, part 0 or a missing field.
   */
  static ScalarFunction splitPart(String name, DataType returnType) {
    return new StringKernels.StringResult(name, returnType) {
      @Override
      StringKernels.RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        TextArgument text = TextArgument.of(arguments, 0, rowCount);
        TextArgument delimiter = TextArgument.of(arguments, 1, rowCount);
        LongVector parts = (LongVector) arguments.get(2);
        int partMask = Kernels.rowMask(parts, rowCount);
        byte[] bytes = text.bytes();
        byte[] separator = delimiter.bytes();
        int[][] fieldStarts = {new int[16]};
        return (row, output) -> {
          long part = parts.getLong(row & partMask);
          int separatorStart = delimiter.start(row);
          int separatorEnd = delimiter.end(row);
          int separatorLength = separatorEnd - separatorStart;
          if (separatorLength == 0 || part == 0) {
            return false;
          }
          int start = text.start(row);
          int end = text.end(row);
          if (part > 0) {
            int from = start;
            for (long skipped = 1; skipped < part; skipped++) {
              int match =
                  ByteSearch.indexOf(bytes, from, end, separator, separatorStart, separatorEnd);
              if (match < 0) {
                return false;
              }
              from = match + separatorLength;
            }
            int match =
                ByteSearch.indexOf(bytes, from, end, separator, separatorStart, separatorEnd);
            output.append(bytes, from, (match < 0 ? end : match) - from);
            return true;
          }
          // From the end: the fields are those of the forward split, so find them all first.
          int[] starts = fieldStarts[0];
          int fields = 0;
          int from = start;
          while (true) {
            if (fields == starts.length) {
              starts = java.util.Arrays.copyOf(starts, 2 * fields);
              fieldStarts[0] = starts;
            }
            starts[fields++] = from;
            int match =
                ByteSearch.indexOf(bytes, from, end, separator, separatorStart, separatorEnd);
            if (match < 0) {
              break;
            }
            from = match + separatorLength;
          }
          if (part < -(long) fields) {
            return false;
          }
          int field = (int) (fields + part);
          int fieldEnd = field + 1 < fields ? starts[field + 1] - separatorLength : end;
          output.append(bytes, starts[field], fieldEnd - starts[field]);
          return true;
        };
      }
    };
  }

  /**
   * MySQL {@code substring_index(s, delimiter, count)}: what precedes the {@code count}-th
   * delimiter, or for a negative count what follows the {@code -count}-th delimiter from the end
   * (searching back from just before the previous match's start, so that those matches may overlap,
   * as {@link String#lastIndexOf} finds them); the whole string when there are fewer delimiters, ''
   * for an empty delimiter or count 0.
   */
  static ScalarFunction substringIndex(String name, DataType returnType) {
    return new StringKernels.StringResult(name, returnType) {
      @Override
      StringKernels.RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        TextArgument text = TextArgument.of(arguments, 0, rowCount);
        TextArgument delimiter = TextArgument.of(arguments, 1, rowCount);
        LongVector counts = (LongVector) arguments.get(2);
        int countMask = Kernels.rowMask(counts, rowCount);
        byte[] bytes = text.bytes();
        byte[] separator = delimiter.bytes();
        return (row, output) -> {
          long count = counts.getLong(row & countMask);
          int separatorStart = delimiter.start(row);
          int separatorEnd = delimiter.end(row);
          int separatorLength = separatorEnd - separatorStart;
          if (separatorLength == 0 || count == 0) {
            return true;
          }
          int start = text.start(row);
          int end = text.end(row);
          if (count > 0) {
            int match = start - separatorLength;
            for (long found = 0; found < count; found++) {
              match =
                  ByteSearch.indexOf(
                      bytes, match + separatorLength, end, separator, separatorStart, separatorEnd);
              if (match < 0) {
                output.append(bytes, start, end - start);
                return true;
              }
            }
            output.append(bytes, start, match - start);
            return true;
          }
          int match = end;
          for (long found = 0; found > count; found--) {
            match =
                lastIndexBefore(
                    bytes, start, end, match, separator, separatorStart, separatorLength);
            if (match < 0) {
              output.append(bytes, start, end - start);
              return true;
            }
          }
          output.append(bytes, match + separatorLength, end - match - separatorLength);
          return true;
        };
      }
    };
  }

  /** The last start before {@code before} of {@code needle} in {@code bytes[start, end)}, or -1. */
  private static int lastIndexBefore(
      byte[] bytes,
      int start,
      int end,
      int before,
      byte[] needle,
      int needleStart,
      int needleLength) {
    for (int i = Math.min(before - 1, end - needleLength); i >= start; i--) {
      if (java.util.Arrays.equals(
          bytes, i, i + needleLength, needle, needleStart, needleStart + needleLength)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * MySQL {@code find_in_set(needle, list)}: the 1-based position of {@code needle} among the
   * comma-separated items of {@code list}, 0 when absent, when {@code needle} holds a comma or when
   * {@code list} is empty (no items, not one empty item).
   */
  static ScalarFunction findInSet(String name) {
    return new StringKernels.LongResult(name, DataType.INT) {
      @Override
      IntToLongFunction bind(List<ColumnVector> arguments, int rowCount) {
        TextArgument needle = TextArgument.of(arguments, 0, rowCount);
        TextArgument list = TextArgument.of(arguments, 1, rowCount);
        byte[] needleBytes = needle.bytes();
        byte[] bytes = list.bytes();
        return row -> {
          int needleStart = needle.start(row);
          int needleEnd = needle.end(row);
          for (int i = needleStart; i < needleEnd; i++) {
            if (needleBytes[i] == ',') {
              return 0;
            }
          }
          int end = list.end(row);
          int itemStart = list.start(row);
          if (itemStart == end) {
            return 0;
          }
          for (long item = 1; ; item++) {
            int itemEnd = itemStart;
            while (itemEnd < end && bytes[itemEnd] != ',') {
              itemEnd++;
            }
            if (java.util.Arrays.equals(
                bytes, itemStart, itemEnd, needleBytes, needleStart, needleEnd)) {
              return item;
            }
            if (itemEnd == end) {
              return 0;
            }
            itemStart = itemEnd + 1;
          }
        };
      }
    };
  }
}
