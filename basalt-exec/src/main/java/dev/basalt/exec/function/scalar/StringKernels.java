package dev.basalt.exec.function.scalar;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.cast.Casts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * Typed kernels of the string functions of several arguments ({@link StringFunctions} registers
 * them and keeps the row-wise bodies as the reference): loops over the UTF-8 bytes of {@link
 * BytesVector}s and the longs of {@link LongVector}s, literal arguments read once as constant
 * vectors ({@link Kernels#rowMask}).
 *
 * <p>Character positions and counts are found on the bytes: a character starts at every byte that
 * is not a continuation byte ({@code 10xxxxxx}), which gives the code point positions of {@link
 * String} for valid UTF-8 (what every string vector holds). A match of one valid UTF-8 string in
 * another starts and ends on character boundaries, so searching ({@code replace}, {@code locate})
 * compares bytes. Every kernel gives NULL for a NULL argument, as the row-wise bodies do. Stateless
 * and thread safe.
 */
final class StringKernels {
  private StringKernels() {}

  /** The slice a substring kernel keeps of each row. */
  enum Slice {
    /** {@code substring(s, start [, length])}. */
    SUBSTRING,
    /** {@code left(s, n)}: the first n characters. */
    LEFT,
    /** {@code right(s, n)}: the last n characters. */
    RIGHT
  }

  /** Whether {@code b} continues a multi-byte UTF-8 character. */
  static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  /** The byte position {@code count} characters after {@code from}, at most {@code end}. */
  static int skipCharacters(byte[] bytes, int from, int end, long count) {
    int position = from;
    while (count > 0 && position < end) {
      position++;
      while (position < end && isContinuation(bytes[position])) {
        position++;
      }
      count--;
    }
    return position;
  }

  /**
   * The byte position where the {@code count}-th character before {@code end} starts, or -1 when
   * {@code [start, end)} has fewer characters.
   */
  private static int backCharacters(byte[] bytes, int start, int end, long count) {
    int position = end;
    for (long i = 0; i < count; i++) {
      if (position <= start) {
        return -1;
      }
      position--;
      while (position > start && isContinuation(bytes[position])) {
        position--;
      }
    }
    return position;
  }

  static int characterCount(byte[] bytes, int from, int end) {
    int count = 0;
    for (int i = from; i < end; i++) {
      if (!isContinuation(bytes[i])) {
        count++;
      }
    }
    return count;
  }

  /** The byte count of the rows of {@code vector} as read for {@code rowCount} rows. */
  static int byteSpan(BytesVector vector, int rowCount) {
    if (rowCount == 0) {
      return 0;
    }
    if (Kernels.isConstant(vector, rowCount)) {
      return (int) Math.min(Integer.MAX_VALUE / 2, (long) vector.byteLength(0) * rowCount);
    }
    return vector.offset(rowCount - 1) + vector.byteLength(rowCount - 1) - vector.offset(0);
  }

  /**
   * One call's string argument at {@code index} of the arguments, read at {@code row & mask} (a
   * constant vector at its one row).
   */
  record TextArgument(BytesVector vector, int mask) {
    static TextArgument of(List<ColumnVector> arguments, int index, int rowCount) {
      BytesVector vector = (BytesVector) arguments.get(index);
      return new TextArgument(vector, Kernels.rowMask(vector, rowCount));
    }

    /** Where row {@code row}'s bytes start in {@link #bytes}. */
    int start(int row) {
      return vector.offset(row & mask);
    }

    /** Where row {@code row}'s bytes end in {@link #bytes}. */
    int end(int row) {
      return vector.offset(row & mask) + vector.byteLength(row & mask);
    }

    int length(int row) {
      return vector.byteLength(row & mask);
    }

    boolean isNull(int row) {
      return vector.isNull(row & mask);
    }

    byte[] bytes() {
      return vector.rawBytes();
    }
  }

  /** Writes one row's result; false makes the row NULL. */
  @FunctionalInterface
  interface RowWriter {
    boolean write(int row, BytesOutput output);
  }

  /**
   * A string kernel: {@link #bind} reads one call's arguments and returns the per-row writer, which
   * is called for every row that {@link #nulls} leaves non-NULL.
   */
  abstract static class StringResult extends KernelFunction {
    StringResult(String name, DataType returnType) {
      super(name, returnType);
    }

    /** Nulls of the arguments that make a row NULL (all, unless a function skips NULLs). */
    boolean[] nulls(List<ColumnVector> arguments, int rowCount) {
      return Kernels.mergeNulls(arguments, rowCount);
    }

    /** A guess of the result's bytes: those of the first argument. */
    int estimatedBytes(List<ColumnVector> arguments, int rowCount) {
      return byteSpan((BytesVector) arguments.get(0), rowCount);
    }

    abstract RowWriter bind(List<ColumnVector> arguments, int rowCount);

    @Override
    public ColumnVector evaluate(
        List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
      RowWriter writer = bind(arguments, rowCount);
      boolean[] nulls = nulls(arguments, rowCount);
      BytesOutput output = new BytesOutput(estimatedBytes(arguments, rowCount));
      int[] offsets = new int[rowCount + 1];
      for (int row = 0; row < rowCount; row++) {
        offsets[row] = output.size;
        if (Kernels.isNull(nulls, row)) {
          continue;
        }
        if (!writer.write(row, output)) {
          output.size = offsets[row];
          nulls = Kernels.setNull(nulls, row, rowCount);
        }
      }
      offsets[rowCount] = output.size;
      return new BytesVector(returnType(), output.bytes, offsets, nulls, rowCount);
    }
  }

  /** {@code substring}, {@code left} and {@code right} on a string and one or two integers. */
  static ScalarFunction substring(String name, DataType returnType, Slice slice) {
    return new StringResult(name, returnType) {
      @Override
      RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        BytesVector text = (BytesVector) arguments.get(0);
        LongVector first = (LongVector) arguments.get(1);
        LongVector length = arguments.size() > 2 ? (LongVector) arguments.get(2) : null;
        int textMask = Kernels.rowMask(text, rowCount);
        int firstMask = Kernels.rowMask(first, rowCount);
        int lengthMask = length == null ? 0 : Kernels.rowMask(length, rowCount);
        byte[] bytes = text.rawBytes();
        return (row, output) -> {
          int start = text.offset(row & textMask);
          int end = start + text.byteLength(row & textMask);
          long position = first.getLong(row & firstMask);
          int from;
          int to;
          switch (slice) {
            case LEFT -> {
              from = start;
              to = position <= 0 ? start : skipCharacters(bytes, start, end, position);
            }
            case RIGHT -> {
              from = position <= 0 ? end : backCharacters(bytes, start, end, position);
              from = from < 0 ? start : from;
              to = end;
            }
            default -> {
              long count = length == null ? Long.MAX_VALUE : length.getLong(row & lengthMask);
              if (position == 0 || count <= 0) {
                return true;
              }
              from =
                  position > 0
                      ? skipCharacters(bytes, start, end, position - 1)
                      : backCharacters(bytes, start, end, -position);
              if (from < 0 || from >= end) {
                return true; // MySQL: a start before the first or past the last character is ''.
              }
              to = skipCharacters(bytes, from, end, count);
            }
          }
          output.append(bytes, from, to - from);
          return true;
        };
      }
    };
  }

  /**
   * {@code concat(s, ...)} (NULL if any argument is) or, with {@code separated}, {@code
   * concat_ws(separator, s, ...)} (NULL only for a NULL separator; NULL strings are skipped).
   */
  static ScalarFunction concat(String name, DataType returnType, boolean separated) {
    return new StringResult(name, returnType) {
      @Override
      boolean[] nulls(List<ColumnVector> arguments, int rowCount) {
        return separated
            ? Kernels.nullsOf(arguments.get(0), rowCount)
            : Kernels.mergeNulls(arguments, rowCount);
      }

      @Override
      int estimatedBytes(List<ColumnVector> arguments, int rowCount) {
        long total = 0;
        for (ColumnVector part : arguments) {
          total += byteSpan((BytesVector) part, rowCount);
        }
        return (int) Math.min(total, Integer.MAX_VALUE / 2);
      }

      @Override
      RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        BytesVector[] parts = new BytesVector[arguments.size()];
        int[] masks = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
          parts[i] = (BytesVector) arguments.get(i);
          masks[i] = Kernels.rowMask(parts[i], rowCount);
        }
        if (!separated) {
          return (row, output) -> {
            for (int i = 0; i < parts.length; i++) {
              int at = row & masks[i];
              output.append(parts[i].rawBytes(), parts[i].offset(at), parts[i].byteLength(at));
            }
            return true;
          };
        }
        BytesVector separator = parts[0];
        return (row, output) -> {
          int separatorRow = row & masks[0];
          boolean firstPart = true;
          for (int i = 1; i < parts.length; i++) {
            int at = row & masks[i];
            if (parts[i].isNull(at)) {
              continue;
            }
            if (!firstPart) {
              output.append(
                  separator.rawBytes(),
                  separator.offset(separatorRow),
                  separator.byteLength(separatorRow));
            }
            output.append(parts[i].rawBytes(), parts[i].offset(at), parts[i].byteLength(at));
            firstPart = false;
          }
          return true;
        };
      }
    };
  }

  /** {@code replace(s, from, to)}: every non-overlapping {@code from}, left to right. */
  static ScalarFunction replace(String name, DataType returnType) {
    return new StringResult(name, returnType) {
      @Override
      RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        BytesVector text = (BytesVector) arguments.get(0);
        BytesVector from = (BytesVector) arguments.get(1);
        BytesVector to = (BytesVector) arguments.get(2);
        int textMask = Kernels.rowMask(text, rowCount);
        int fromMask = Kernels.rowMask(from, rowCount);
        int toMask = Kernels.rowMask(to, rowCount);
        byte[] bytes = text.rawBytes();
        byte[] target = from.rawBytes();
        byte[] replacement = to.rawBytes();
        return (row, output) -> {
          int start = text.offset(row & textMask);
          int end = start + text.byteLength(row & textMask);
          int targetStart = from.offset(row & fromMask);
          int targetEnd = targetStart + from.byteLength(row & fromMask);
          if (targetEnd == targetStart) {
            output.append(bytes, start, end - start);
            return true;
          }
          int replacementStart = to.offset(row & toMask);
          int replacementLength = to.byteLength(row & toMask);
          int copied = start;
          int match;
          while ((match = ByteSearch.indexOf(bytes, copied, end, target, targetStart, targetEnd))
              >= 0) {
            output.append(bytes, copied, match - copied);
            output.append(replacement, replacementStart, replacementLength);
            copied = match + (targetEnd - targetStart);
          }
          output.append(bytes, copied, end - copied);
          return true;
        };
      }
    };
  }

  /**
   * {@code lpad(s, length, pad)} ({@code left}) or {@code rpad}: cut to {@code length} characters
   * or filled with repetitions of {@code pad}; NULL for a negative length, '' when a fill is needed
   * and {@code pad} is empty (Doris), an error past {@link StringFunctions#MAX_RESULT_LENGTH}.
   */
  static ScalarFunction pad(String name, DataType returnType, boolean left) {
    return new StringResult(name, returnType) {
      @Override
      RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        BytesVector text = (BytesVector) arguments.get(0);
        LongVector length = (LongVector) arguments.get(1);
        BytesVector padding = (BytesVector) arguments.get(2);
        int textMask = Kernels.rowMask(text, rowCount);
        int lengthMask = Kernels.rowMask(length, rowCount);
        int paddingMask = Kernels.rowMask(padding, rowCount);
        byte[] bytes = text.rawBytes();
        byte[] fill = padding.rawBytes();
        return (row, output) -> {
          long wanted = length.getLong(row & lengthMask);
          if (wanted < 0) {
            return false;
          }
          int start = text.offset(row & textMask);
          int end = start + text.byteLength(row & textMask);
          int current = characterCount(bytes, start, end);
          if (wanted <= current) {
            output.append(bytes, start, skipCharacters(bytes, start, end, wanted) - start);
            return true;
          }
          int fillStart = padding.offset(row & paddingMask);
          int fillEnd = fillStart + padding.byteLength(row & paddingMask);
          if (fillStart == fillEnd) {
            return true;
          }
          if (wanted > StringFunctions.MAX_RESULT_LENGTH) {
            throw new BasaltException(
                ErrorCode.WRONG_ARGUMENTS,
                name(),
                "result longer than " + StringFunctions.MAX_RESULT_LENGTH + " characters");
          }
          if (!left) {
            output.append(bytes, start, end - start);
          }
          long needed = wanted - current;
          int fillCharacters = characterCount(fill, fillStart, fillEnd);
          for (long whole = needed / fillCharacters; whole > 0; whole--) {
            output.append(fill, fillStart, fillEnd - fillStart);
          }
          int rest = skipCharacters(fill, fillStart, fillEnd, needed % fillCharacters);
          output.append(fill, fillStart, rest - fillStart);
          if (left) {
            output.append(bytes, start, end - start);
          }
          return true;
        };
      }
    };
  }

  /** {@code reverse(s)}: the characters in reverse order. */
  static ScalarFunction reverse(String name, DataType returnType) {
    return new StringResult(name, returnType) {
      @Override
      RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        BytesVector text = (BytesVector) arguments.get(0);
        int textMask = Kernels.rowMask(text, rowCount);
        byte[] bytes = text.rawBytes();
        return (row, output) -> {
          int start = text.offset(row & textMask);
          int end = start + text.byteLength(row & textMask);
          output.ensure(end - start);
          int characterEnd = end;
          for (int i = end - 1; i >= start; i--) {
            if (!isContinuation(bytes[i])) {
              output.append(bytes, i, characterEnd - i);
              characterEnd = i;
            }
          }
          return true;
        };
      }
    };
  }

  private static final byte[] HEX_DIGITS = {
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'
  };

  /** {@code hex(s)} of a string: two upper-case hex digits per UTF-8 byte. */
  static ScalarFunction hexOfString(String name, DataType returnType) {
    return new StringResult(name, returnType) {
      @Override
      int estimatedBytes(List<ColumnVector> arguments, int rowCount) {
        return 2 * byteSpan((BytesVector) arguments.get(0), rowCount);
      }

      @Override
      RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        BytesVector text = (BytesVector) arguments.get(0);
        int textMask = Kernels.rowMask(text, rowCount);
        byte[] bytes = text.rawBytes();
        return (row, output) -> {
          int start = text.offset(row & textMask);
          int length = text.byteLength(row & textMask);
          output.ensure(2 * length);
          byte[] target = output.bytes;
          int at = output.size;
          for (int i = start, end = start + length; i < end; i++) {
            target[at++] = HEX_DIGITS[(bytes[i] >> 4) & 0xF];
            target[at++] = HEX_DIGITS[bytes[i] & 0xF];
          }
          output.size = at;
          return true;
        };
      }
    };
  }

  /** {@code hex(n)} of an integer: its 64-bit two's complement in upper-case hex. */
  static ScalarFunction hexOfLong(String name, DataType returnType) {
    return new StringResult(name, returnType) {
      @Override
      int estimatedBytes(List<ColumnVector> arguments, int rowCount) {
        return 8 * rowCount;
      }

      @Override
      RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        LongVector numbers = (LongVector) arguments.get(0);
        int numberMask = Kernels.rowMask(numbers, rowCount);
        return (row, output) -> {
          long value = numbers.getLong(row & numberMask);
          int digits = value == 0 ? 1 : (67 - Long.numberOfLeadingZeros(value)) / 4;
          output.ensure(digits);
          for (int i = digits - 1; i >= 0; i--) {
            output.bytes[output.size++] = HEX_DIGITS[(int) (value >>> (4 * i)) & 0xF];
          }
          return true;
        };
      }
    };
  }

  /** A string kernel giving a long per row (a position or a BOOLEAN). */
  abstract static class LongResult extends KernelFunction {
    LongResult(String name, DataType returnType) {
      super(name, returnType);
    }

    /** Reads one call's arguments; the result computes a non-NULL row. */
    abstract IntToLongFunction bind(List<ColumnVector> arguments, int rowCount);

    /** Nulls of the arguments that make a row NULL (all, unless a function skips NULLs). */
    boolean[] nulls(List<ColumnVector> arguments, int rowCount) {
      return Kernels.mergeNulls(arguments, rowCount);
    }

    @Override
    public ColumnVector evaluate(
        List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
      IntToLongFunction compute = bind(arguments, rowCount);
      boolean[] nulls = nulls(arguments, rowCount);
      long[] values = new long[rowCount];
      for (int row = 0; row < rowCount; row++) {
        if (!Kernels.isNull(nulls, row)) {
          values[row] = compute.applyAsLong(row);
        }
      }
      return new LongVector(returnType(), values, nulls, rowCount);
    }
  }

  /**
   * {@code locate(needle, haystack [, start])}: the 1-based character position of the first {@code
   * needle} at or after character {@code start}, else 0. {@code instr(haystack, needle)} is {@code
   * needleIndex = 1}.
   */
  static ScalarFunction locate(String name, int needleIndex) {
    return new LongResult(name, DataType.INT) {
      @Override
      IntToLongFunction bind(List<ColumnVector> arguments, int rowCount) {
        BytesVector needle = (BytesVector) arguments.get(needleIndex);
        BytesVector haystack = (BytesVector) arguments.get(1 - needleIndex);
        LongVector starts = arguments.size() > 2 ? (LongVector) arguments.get(2) : null;
        int needleMask = Kernels.rowMask(needle, rowCount);
        int haystackMask = Kernels.rowMask(haystack, rowCount);
        int startMask = starts == null ? 0 : Kernels.rowMask(starts, rowCount);
        byte[] bytes = haystack.rawBytes();
        return row -> {
          long first = starts == null ? 1 : starts.getLong(row & startMask);
          if (first < 1) {
            return 0;
          }
          int haystackRow = row & haystackMask;
          int start = haystack.offset(haystackRow);
          int end = start + haystack.byteLength(haystackRow);
          int from = skipCharacters(bytes, start, end, first - 1);
          if (from == end && first - 1 > characterCount(bytes, start, end)) {
            return 0;
          }
          int needleRow = row & needleMask;
          int needleStart = needle.offset(needleRow);
          int found =
              ByteSearch.indexOf(
                  bytes,
                  from,
                  end,
                  needle.rawBytes(),
                  needleStart,
                  needleStart + needle.byteLength(needleRow));
          return found < 0 ? 0 : characterCount(bytes, start, found) + 1L;
        };
      }
    };
  }

  /** {@code starts_with(s, prefix)} or, with {@code atEnd}, {@code ends_with(s, suffix)}. */
  static ScalarFunction affix(String name, boolean atEnd) {
    return new LongResult(name, DataType.BOOLEAN) {
      @Override
      IntToLongFunction bind(List<ColumnVector> arguments, int rowCount) {
        BytesVector text = (BytesVector) arguments.get(0);
        BytesVector affix = (BytesVector) arguments.get(1);
        int textMask = Kernels.rowMask(text, rowCount);
        int affixMask = Kernels.rowMask(affix, rowCount);
        byte[] bytes = text.rawBytes();
        byte[] other = affix.rawBytes();
        return row -> {
          int textRow = row & textMask;
          int affixRow = row & affixMask;
          int length = affix.byteLength(affixRow);
          int textLength = text.byteLength(textRow);
          if (length > textLength) {
            return 0;
          }
          int at = text.offset(textRow) + (atEnd ? textLength - length : 0);
          int otherAt = affix.offset(affixRow);
          for (int i = 0; i < length; i++) {
            if (bytes[at + i] != other[otherAt + i]) {
              return 0;
            }
          }
          return 1;
        };
      }
    };
  }

  /**
   * {@code kernel} on arguments first brought to {@code parameterTypes} by {@link
   * Casts#toRepresentation} (one vector conversion per argument, a constant vector staying one
   * row), with the rules the row-wise path converts each value by: {@code concat(s, 1)} reads the
   * text of the integer.
   */
  static ScalarFunction withArgumentsAs(ScalarFunction kernel, List<DataType> parameterTypes) {
    return new KernelFunction(kernel.name(), kernel.returnType()) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        List<ColumnVector> converted = new ArrayList<>(arguments.size());
        for (int i = 0; i < arguments.size(); i++) {
          converted.add(Casts.toRepresentation(arguments.get(i), parameterTypes.get(i)));
        }
        return kernel.evaluate(converted, rowCount, context);
      }
    };
  }

  /**
   * {@code repeat(s, count)}: {@code s} {@code count} times; '' for a count below 1, an error past
   * {@link StringFunctions#MAX_RESULT_LENGTH} UTF-16 units (what the row-wise body bounds).
   */
  static ScalarFunction repeat(String name, DataType returnType) {
    return new StringResult(name, returnType) {
      @Override
      RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        TextArgument text = TextArgument.of(arguments, 0, rowCount);
        LongVector counts = (LongVector) arguments.get(1);
        int countMask = Kernels.rowMask(counts, rowCount);
        byte[] bytes = text.bytes();
        return (row, output) -> {
          long count = counts.getLong(row & countMask);
          int start = text.start(row);
          int length = text.length(row);
          if (count <= 0 || length == 0) {
            return true;
          }
          StringFunctions.checkResultLength(
              name(),
              Math.min(count, StringFunctions.MAX_RESULT_LENGTH + 1)
                  * utf16Length(bytes, start, start + length));
          output.ensure((int) (count * length));
          for (long i = 0; i < count; i++) {
            output.append(bytes, start, length);
          }
          return true;
        };
      }
    };
  }

  /** The UTF-16 length of the valid UTF-8 {@code bytes[from, end)} (two units per 4-byte form). */
  private static int utf16Length(byte[] bytes, int from, int end) {
    int units = 0;
    for (int i = from; i < end; i++) {
      byte b = bytes[i];
      if (!isContinuation(b)) {
        units += (b & 0xF8) == 0xF0 ? 2 : 1;
      }
    }
    return units;
  }

  /** {@code space(count)}: {@code count} spaces; '' below 1, an error past the result bound. */
  static ScalarFunction space(String name, DataType returnType) {
    return new StringResult(name, returnType) {
      @Override
      int estimatedBytes(List<ColumnVector> arguments, int rowCount) {
        return 8 * rowCount;
      }

      @Override
      RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        LongVector counts = (LongVector) arguments.get(0);
        int countMask = Kernels.rowMask(counts, rowCount);
        return (row, output) -> {
          long count = counts.getLong(row & countMask);
          if (count <= 0) {
            return true;
          }
          StringFunctions.checkResultLength(name(), count);
          output.ensure((int) count);
          java.util.Arrays.fill(output.bytes, output.size, output.size + (int) count, (byte) ' ');
          output.size += (int) count;
          return true;
        };
      }
    };
  }

  /** {@code strcmp(a, b)}: -1, 0 or 1 as the UTF-8 bytes compare (unsigned, shorter first). */
  static ScalarFunction strcmp(String name) {
    return new LongResult(name, DataType.INT) {
      @Override
      IntToLongFunction bind(List<ColumnVector> arguments, int rowCount) {
        TextArgument left = TextArgument.of(arguments, 0, rowCount);
        TextArgument right = TextArgument.of(arguments, 1, rowCount);
        return row ->
            Integer.signum(
                ComparisonFunctions.compareBytes(
                    left.bytes(),
                    left.start(row),
                    left.length(row),
                    right.bytes(),
                    right.start(row),
                    right.length(row),
                    false));
      }
    };
  }

  /**
   * {@code initcap(s)} ({@link StringFunctions#initcap}): an all-ASCII row on its bytes, any other
   * row through the String body, whose Unicode case mappings it keeps.
   */
  static ScalarFunction initcap(String name, DataType returnType) {
    return new StringResult(name, returnType) {
      @Override
      RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        TextArgument text = TextArgument.of(arguments, 0, rowCount);
        byte[] bytes = text.bytes();
        return (row, output) -> {
          int start = text.start(row);
          int length = text.length(row);
          if (!VectorKernels.isAscii(bytes, start, length)) {
            byte[] result =
                StringFunctions.initcap(new String(bytes, start, length, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            output.append(result, 0, result.length);
            return true;
          }
          output.ensure(length);
          byte[] target = output.bytes;
          int at = output.size;
          boolean wordStart = true;
          for (int i = start, end = start + length; i < end; i++) {
            int ch = bytes[i];
            boolean lower = ch >= 'a' && ch <= 'z';
            boolean upper = ch >= 'A' && ch <= 'Z';
            boolean alphanumeric = lower || upper || (ch >= '0' && ch <= '9');
            if (alphanumeric && wordStart) {
              target[at++] = (byte) (lower ? ch - 32 : ch);
            } else {
              target[at++] = (byte) (upper ? ch + 32 : ch);
            }
            wordStart = !alphanumeric;
          }
          output.size = at;
          return true;
        };
      }
    };
  }

  /**
   * {@code elt(n, s1, s2, ...)}: {@code s_n}, NULL for a NULL or out-of-range {@code n} (the
   * arguments as a BIGINT and strings, see {@link #withArgumentsAs}).
   */
  static ScalarFunction elt(String name, DataType returnType) {
    return new StringResult(name, returnType) {
      @Override
      boolean[] nulls(List<ColumnVector> arguments, int rowCount) {
        return Kernels.nullsOf(arguments.get(0), rowCount);
      }

      @Override
      int estimatedBytes(List<ColumnVector> arguments, int rowCount) {
        return byteSpan((BytesVector) arguments.get(1), rowCount);
      }

      @Override
      RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        LongVector indexes = (LongVector) arguments.get(0);
        int indexMask = Kernels.rowMask(indexes, rowCount);
        BytesVector[] choices = new BytesVector[arguments.size()];
        int[] masks = new int[choices.length];
        for (int i = 1; i < choices.length; i++) {
          choices[i] = (BytesVector) arguments.get(i);
          masks[i] = Kernels.rowMask(choices[i], rowCount);
        }
        return (row, output) -> {
          long index = indexes.getLong(row & indexMask);
          if (index < 1 || index >= choices.length) {
            return false;
          }
          BytesVector choice = choices[(int) index];
          int at = row & masks[(int) index];
          if (choice.isNull(at)) {
            return false;
          }
          output.append(choice.rawBytes(), choice.offset(at), choice.byteLength(at));
          return true;
        };
      }
    };
  }

  /**
   * {@code field(x, a, b, ...)}: the 1-based position of the first argument after {@code x} equal
   * to {@code x}, 0 when none is or {@code x} is NULL (never NULL). Strings compare by their bytes;
   * otherwise the arguments are DOUBLEs compared as {@link Double#equals} does (see {@link
   * #withArgumentsAs}).
   */
  static ScalarFunction field(String name, DataType returnType) {
    return new LongResult(name, returnType) {
      @Override
      boolean[] nulls(List<ColumnVector> arguments, int rowCount) {
        return null;
      }

      @Override
      IntToLongFunction bind(List<ColumnVector> arguments, int rowCount) {
        int count = arguments.size();
        int[] masks = new int[count];
        for (int i = 0; i < count; i++) {
          masks[i] = Kernels.rowMask(arguments.get(i), rowCount);
        }
        if (arguments.get(0) instanceof DoubleVector) {
          DoubleVector[] numbers = arguments.toArray(DoubleVector[]::new);
          return row -> {
            int at = row & masks[0];
            if (numbers[0].isNull(at)) {
              return 0;
            }
            long wanted = Double.doubleToLongBits(numbers[0].getDouble(at));
            for (int i = 1; i < count; i++) {
              int other = row & masks[i];
              if (!numbers[i].isNull(other)
                  && Double.doubleToLongBits(numbers[i].getDouble(other)) == wanted) {
                return i;
              }
            }
            return 0;
          };
        }
        BytesVector[] texts = arguments.toArray(BytesVector[]::new);
        return row -> {
          int at = row & masks[0];
          if (texts[0].isNull(at)) {
            return 0;
          }
          int start = texts[0].offset(at);
          int end = start + texts[0].byteLength(at);
          for (int i = 1; i < count; i++) {
            int other = row & masks[i];
            if (!texts[i].isNull(other)) {
              int otherStart = texts[i].offset(other);
              if (java.util.Arrays.equals(
                  texts[0].rawBytes(),
                  start,
                  end,
                  texts[i].rawBytes(),
                  otherStart,
                  otherStart + texts[i].byteLength(other))) {
                return i;
              }
            }
          }
          return 0;
        };
      }
    };
  }

  /**
   * MySQL {@code quote(s)}: {@code s} in single quotes with backslash, quote, NUL and Ctrl-Z
   * escaped; the word NULL for NULL (never NULL itself).
   */
  static ScalarFunction quote(String name, DataType returnType) {
    return new StringResult(name, returnType) {
      @Override
      boolean[] nulls(List<ColumnVector> arguments, int rowCount) {
        return null;
      }

      @Override
      int estimatedBytes(List<ColumnVector> arguments, int rowCount) {
        return (int)
            Math.min(
                Integer.MAX_VALUE / 2,
                byteSpan((BytesVector) arguments.get(0), rowCount) + 2L * rowCount);
      }

      @Override
      RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        TextArgument text = TextArgument.of(arguments, 0, rowCount);
        byte[] bytes = text.bytes();
        return (row, output) -> {
          if (text.isNull(row)) {
            output.append(NULL_WORD, 0, NULL_WORD.length);
            return true;
          }
          int start = text.start(row);
          int end = text.end(row);
          output.appendByte('\'');
          for (int i = start; i < end; i++) {
            byte b = bytes[i];
            switch (b) {
              case '\\' -> {
                output.appendByte('\\');
                output.appendByte('\\');
              }
              case '\'' -> {
                output.appendByte('\\');
                output.appendByte('\'');
              }
              case 0 -> {
                output.appendByte('\\');
                output.appendByte('0');
              }
              case 0x1a -> {
                output.appendByte('\\');
                output.appendByte('Z');
              }
              default -> output.appendByte(b);
            }
          }
          output.appendByte('\'');
          return true;
        };
      }
    };
  }

  private static final byte[] NULL_WORD = {'N', 'U', 'L', 'L'};

  /**
   * {@code null_or_empty(s)} or, with {@code negated}, {@code not_null_or_empty(s)}: whether {@code
   * s} is NULL or '' (never NULL itself).
   */
  static ScalarFunction nullOrEmpty(String name, boolean negated) {
    return new LongResult(name, DataType.BOOLEAN) {
      @Override
      boolean[] nulls(List<ColumnVector> arguments, int rowCount) {
        return null;
      }

      @Override
      IntToLongFunction bind(List<ColumnVector> arguments, int rowCount) {
        TextArgument text = TextArgument.of(arguments, 0, rowCount);
        long empty = negated ? 0 : 1;
        return row -> text.isNull(row) || text.length(row) == 0 ? empty : 1 - empty;
      }
    };
  }

  /**
   * MySQL {@code char(n, ...)}: each non-NULL integer as its big-endian bytes without leading zero
   * bytes (at most four), all read as UTF-8 (malformed bytes as U+FFFD); NULLs are skipped (see
   * {@link #withArgumentsAs} for the BIGINT arguments).
   */
  static ScalarFunction characters(String name, DataType returnType) {
    return new StringResult(name, returnType) {
      @Override
      boolean[] nulls(List<ColumnVector> arguments, int rowCount) {
        return null;
      }

      @Override
      int estimatedBytes(List<ColumnVector> arguments, int rowCount) {
        return (int) Math.min(Integer.MAX_VALUE / 2, 2L * arguments.size() * rowCount);
      }

      @Override
      RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        LongVector[] codes = arguments.toArray(LongVector[]::new);
        int[] masks = new int[codes.length];
        for (int i = 0; i < codes.length; i++) {
          masks[i] = Kernels.rowMask(codes[i], rowCount);
        }
        return (row, output) -> {
          int start = output.size;
          for (int i = 0; i < codes.length; i++) {
            int at = row & masks[i];
            if (codes[i].isNull(at)) {
              continue;
            }
            long code = codes[i].getLong(at);
            int first = code > 0xffffff ? 3 : code > 0xffff ? 2 : code > 0xff ? 1 : 0;
            for (int shift = first; shift >= 0; shift--) {
              output.appendByte((int) (code >>> (8 * shift)) & 0xff);
            }
          }
          EncodingKernels.readAsUtf8(output, start);
          return true;
        };
      }
    };
  }
}
