package dev.basalt.exec.function.scalar;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.scalar.StringKernels.TextArgument;
import java.util.List;
import java.util.Locale;

/**
 * Typed kernels of the string functions that remove or add a given string at the ends of another:
 * {@code trim}, {@code ltrim} and {@code rtrim} with the string to remove ({@link
 * StringFunctions}'s {@code trimString}: repeated whole occurrences, not a set of characters), and
 * {@code append_trailing_char_if_absent}. They compare UTF-8 bytes, which for valid UTF-8 matches
 * whole characters as the row-wise bodies do. Stateless and thread safe.
 */
final class AffixKernels {
  private AffixKernels() {}

  /** Which ends {@code trim} cuts. */
  enum Ends {
    BOTH(true, true),
    LEADING(true, false),
    TRAILING(false, true);

    final boolean leading;
    final boolean trailing;

    Ends(boolean leading, boolean trailing) {
      this.leading = leading;
      this.trailing = trailing;
    }

    /** MySQL's TRIM direction word, spaces around it and case ignored. */
    static Ends parse(String direction) {
      String word = direction.trim().toUpperCase(Locale.ROOT);
      for (Ends ends : values()) {
        if (ends.name().equals(word)) {
          return ends;
        }
      }
      throw new BasaltException(
          ErrorCode.WRONG_ARGUMENTS,
          "trim",
          "direction must be BOTH, LEADING or TRAILING, not " + direction);
    }
  }

  /**
   * {@code trim(s, remove)}-like with {@code ends} fixed, or with {@code ends} null {@code
   * trim(direction, remove, s)} (the direction read per row, once for a constant).
   */
  static ScalarFunction trim(String name, DataType returnType, Ends ends) {
    return new StringKernels.StringResult(name, returnType) {
      @Override
      int estimatedBytes(List<ColumnVector> arguments, int rowCount) {
        return StringKernels.byteSpan((BytesVector) arguments.get(ends == null ? 2 : 0), rowCount);
      }

      @Override
      StringKernels.RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        TextArgument text = TextArgument.of(arguments, ends == null ? 2 : 0, rowCount);
        TextArgument remove = TextArgument.of(arguments, 1, rowCount);
        TextArgument direction = ends == null ? TextArgument.of(arguments, 0, rowCount) : null;
        boolean constantDirection = direction != null && direction.mask() == 0;
        // A constant direction is read at its first row (none when every row is NULL).
        Ends[] parsed = {ends};
        byte[] bytes = text.bytes();
        byte[] removed = remove.bytes();
        return (row, output) -> {
          Ends cut = parsed[0];
          if (cut == null || !constantDirection && direction != null) {
            cut = Ends.parse(direction.vector().getString(row & direction.mask()));
            parsed[0] = constantDirection ? cut : null;
          }
          int start = text.start(row);
          int end = text.end(row);
          int removeStart = remove.start(row);
          int length = remove.length(row);
          if (length > 0) {
            while (cut.leading
                && start + length <= end
                && java.util.Arrays.equals(
                    bytes, start, start + length, removed, removeStart, removeStart + length)) {
              start += length;
            }
            while (cut.trailing
                && end - length >= start
                && java.util.Arrays.equals(
                    bytes, end - length, end, removed, removeStart, removeStart + length)) {
              end -= length;
            }
          }
          output.append(bytes, start, end - start);
          return true;
        };
      }
    };
  }

  /**
   * {@code append_trailing_char_if_absent(s, c)}: {@code s} ending with {@code c}; NULL when {@code
   * c} is not exactly one character.
   */
  static ScalarFunction appendTrailingCharIfAbsent(String name, DataType returnType) {
    return new StringKernels.StringResult(name, returnType) {
      @Override
      StringKernels.RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        TextArgument text = TextArgument.of(arguments, 0, rowCount);
        TextArgument trailing = TextArgument.of(arguments, 1, rowCount);
        byte[] bytes = text.bytes();
        byte[] characters = trailing.bytes();
        return (row, output) -> {
          int characterStart = trailing.start(row);
          int characterEnd = trailing.end(row);
          if (StringKernels.characterCount(characters, characterStart, characterEnd) != 1) {
            return false;
          }
          int start = text.start(row);
          int end = text.end(row);
          int length = characterEnd - characterStart;
          output.append(bytes, start, end - start);
          if (end - start < length
              || !java.util.Arrays.equals(
                  bytes, end - length, end, characters, characterStart, characterEnd)) {
            output.append(characters, characterStart, length);
          }
          return true;
        };
      }
    };
  }
}
