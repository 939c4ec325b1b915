package dev.basalt.exec.function.scalar;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.scalar.StringKernels.TextArgument;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed kernels of the regular-expression functions ({@code regexp}, {@code regexp_extract}, {@code
 * regexp_replace}; see {@link PatternFunctions} for their semantics) over the UTF-8 bytes of {@link
 * BytesVector}s.
 *
 * <p>The pattern is compiled when its text changes from one row to the next, so once per call for a
 * constant pattern, and one {@link Matcher} is reset for every row. An ASCII row is matched through
 * an {@link AsciiText} view of its bytes, where character positions are byte positions: groups and
 * the text between matches are copied as bytes, without a {@code String} per row. A row with other
 * characters is decoded to a {@code String} and matched as the row-wise bodies do. Stateless and
 * thread safe; the per-call state lives in the writers that {@code bind} returns.
 */
final class RegexKernels {
  private RegexKernels() {}

  /** {@code s REGEXP pattern}: 1 if the pattern matches anywhere in {@code s}. */
  static ScalarFunction matches(String name) {
    return new KernelFunction(name, DataType.BOOLEAN) {
      @Override
      public ColumnVector evaluate(
          List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
        // Other types are matched as their text, as in MySQL ({@code 12 REGEXP '^1'}).
        List<ColumnVector> texts =
            List.of(
                PatternFunctions.text(arguments.get(0)), PatternFunctions.text(arguments.get(1)));
        TextArgument text = TextArgument.of(texts, 0, rowCount);
        CompiledPatterns patterns = new CompiledPatterns(TextArgument.of(texts, 1, rowCount));
        boolean[] nulls = Kernels.mergeNulls(texts, rowCount);
        long[] out = new long[rowCount];
        AsciiText view = new AsciiText();
        for (int row = 0; row < rowCount; row++) {
          if (!Kernels.isNull(nulls, row)) {
            out[row] = reset(patterns.matcher(row), text, row, view).find() ? 1 : 0;
          }
        }
        return new LongVector(DataType.BOOLEAN, out, nulls, rowCount);
      }
    };
  }

  /**
   * {@code regexp_extract(s, pattern, group)}: the text of group {@code group} of the first match,
   * or the empty string without a match, for a group that does not exist or did not take part.
   */
  static ScalarFunction extract(String name, DataType returnType) {
    return new StringKernels.StringResult(name, returnType) {
      @Override
      StringKernels.RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        TextArgument text = TextArgument.of(arguments, 0, rowCount);
        CompiledPatterns patterns = new CompiledPatterns(TextArgument.of(arguments, 1, rowCount));
        LongVector groups = (LongVector) arguments.get(2);
        int groupMask = Kernels.rowMask(groups, rowCount);
        AsciiText view = new AsciiText();
        return (row, output) -> {
          Matcher matcher = reset(patterns.matcher(row), text, row, view);
          long group = groups.getLong(row & groupMask);
          if (!matcher.find() || group < 0 || group > matcher.groupCount()) {
            return true;
          }
          if (view.isAsciiRow()) {
            int from = matcher.start((int) group);
            if (from >= 0) {
              output.append(text.bytes(), text.start(row) + from, matcher.end((int) group) - from);
            }
          } else {
            String found = matcher.group((int) group);
            if (found != null) {
              byte[] bytes = found.getBytes(StandardCharsets.UTF_8);
              output.append(bytes, 0, bytes.length);
            }
          }
          return true;
        };
      }
    };
  }

  /**
   * {@code regexp_replace(s, pattern, replacement)}: every match replaced, with {@link
   * Matcher#replaceAll(String)}'s syntax for the replacement ({@code $1}, {@code ${name}}, {@code
   * \} escapes).
   */
  static ScalarFunction replace(String name, DataType returnType) {
    return new StringKernels.StringResult(name, returnType) {
      @Override
      StringKernels.RowWriter bind(List<ColumnVector> arguments, int rowCount) {
        TextArgument text = TextArgument.of(arguments, 0, rowCount);
        CompiledPatterns patterns = new CompiledPatterns(TextArgument.of(arguments, 1, rowCount));
        TextArgument replacements = TextArgument.of(arguments, 2, rowCount);
        AsciiText view = new AsciiText();
        Replacement[] last = {null};
        return (row, output) -> {
          Matcher matcher = reset(patterns.matcher(row), text, row, view);
          Replacement replacement = last[0];
          if (replacement == null
              || replacement.pattern != matcher.pattern()
              || !replacement.hasText(replacements, row)) {
            replacement = Replacement.of(replacements, row, matcher.pattern());
            last[0] = replacement;
          }
          if (view.isAsciiRow() && replacement.parts != null) {
            replacement.replaceAll(
                matcher, text.bytes(), text.start(row), text.length(row), output);
          } else {
            byte[] bytes = replaceAll(matcher, replacement.text).getBytes(StandardCharsets.UTF_8);
            output.append(bytes, 0, bytes.length);
          }
          return true;
        };
      }

      @Override
      int estimatedBytes(List<ColumnVector> arguments, int rowCount) {
        return super.estimatedBytes(arguments, rowCount) + rowCount;
      }
    };
  }

  /**
   * {@link Matcher#replaceAll(String)} with a bad replacement ({@code $} at the end, {@code $9}
   * without a ninth group, an unknown name) reported as a user error; like Java, only when the
   * pattern matches.
   */
  static String replaceAll(Matcher matcher, String replacement) {
    try {
      return matcher.replaceAll(replacement);
    } catch (IllegalArgumentException | IndexOutOfBoundsException bad) {
      throw new BasaltException(
          ErrorCode.WRONG_ARGUMENTS,
          "regexp_replace",
          "invalid replacement '" + replacement + "': " + bad.getMessage());
    }
  }

  /**
   * Resets {@code matcher} to row {@code row} of {@code text}: the view if ASCII, else a String.
   */
  private static Matcher reset(Matcher matcher, TextArgument text, int row, AsciiText view) {
    byte[] bytes = text.bytes();
    int start = text.start(row);
    int length = text.length(row);
    if (VectorKernels.isAscii(bytes, start, length)) {
      view.set(bytes, start, length);
      return matcher.reset(view);
    }
    view.set(bytes, start, -1);
    return matcher.reset(new String(bytes, start, length, StandardCharsets.UTF_8));
  }

  /**
   * The compiled pattern of each row of a pattern argument, compiled again only when the text
   * differs from the previous row's (never for a constant pattern), with its reusable matcher.
   */
  private static final class CompiledPatterns {
    private final TextArgument patterns;
    private int lastIndex = -1;
    private byte[] lastText;
    private Matcher matcher;

    CompiledPatterns(TextArgument patterns) {
      this.patterns = patterns;
    }

    Matcher matcher(int row) {
      int index = row & patterns.mask();
      if (index == lastIndex) {
        return matcher;
      }
      int start = patterns.start(row);
      int end = patterns.end(row);
      byte[] bytes = patterns.bytes();
      if (lastText == null || !Arrays.equals(lastText, 0, lastText.length, bytes, start, end)) {
        lastText = Arrays.copyOfRange(bytes, start, end);
        matcher =
            PatternFunctions.compileRegex(new String(lastText, StandardCharsets.UTF_8)).matcher("");
      }
      lastIndex = index;
      return matcher;
    }
  }

  /**
   * A replacement compiled for one pattern: literal UTF-8 pieces, each followed by a group number
   * (-1 for none). {@link #parts} is {@code null} when the replacement is malformed for the
   * pattern, in which case rows take {@link RegexKernels#replaceAll} to fail as Java does.
   */
  private static final class Replacement {
    final Pattern pattern;
    final String text;
    final byte[] textBytes;
    final byte[][] parts;
    final int[] groups;

    private Replacement(
        Pattern pattern, String text, byte[] textBytes, byte[][] parts, int[] groups) {
      this.pattern = pattern;
      this.text = text;
      this.textBytes = textBytes;
      this.parts = parts;
      this.groups = groups;
    }

    boolean hasText(TextArgument replacements, int row) {
      return Arrays.equals(
          textBytes,
          0,
          textBytes.length,
          replacements.bytes(),
          replacements.start(row),
          replacements.end(row));
    }

    static Replacement of(TextArgument replacements, int row, Pattern pattern) {
      byte[] textBytes =
          Arrays.copyOfRange(replacements.bytes(), replacements.start(row), replacements.end(row));
      String text = new String(textBytes, StandardCharsets.UTF_8);
      List<String> literals = new ArrayList<>();
      List<Integer> groups = new ArrayList<>();
      if (!parse(text, pattern.matcher("").groupCount(), pattern.namedGroups(), literals, groups)) {
        return new Replacement(pattern, text, textBytes, null, null);
      }
      byte[][] parts = new byte[literals.size()][];
      for (int i = 0; i < parts.length; i++) {
        parts[i] = literals.get(i).getBytes(StandardCharsets.UTF_8);
      }
      return new Replacement(
          pattern, text, textBytes, parts, groups.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Splits {@code text} as {@link Matcher#appendReplacement} reads it: {@code \c} is {@code c},
     * {@code $n} the longest group number not above {@code groupCount} (its first digit always
     * counts), {@code ${name}} a named group. False if Java would refuse it on a match.
     */
    private static boolean parse(
        String text,
        int groupCount,
        Map<String, Integer> named,
        List<String> literals,
        List<Integer> groups) {
      StringBuilder literal = new StringBuilder();
      int cursor = 0;
      while (cursor < text.length()) {
        char next = text.charAt(cursor++);
        if (next == '\\') {
          if (cursor == text.length()) {
            return false;
          }
          literal.append(text.charAt(cursor++));
        } else if (next != '$') {
          literal.append(next);
        } else {
          if (cursor == text.length()) {
            return false;
          }
          int group;
          if (text.charAt(cursor) == '{') {
            int nameEnd = ++cursor;
            while (nameEnd < text.length() && isAsciiLetterOrDigit(text.charAt(nameEnd))) {
              nameEnd++;
            }
            if (nameEnd == cursor
                || nameEnd == text.length()
                || text.charAt(nameEnd) != '}'
                || !named.containsKey(text.substring(cursor, nameEnd))) {
              return false;
            }
            group = named.get(text.substring(cursor, nameEnd));
            cursor = nameEnd + 1;
          } else {
            group = text.charAt(cursor) - '0';
            if (group < 0 || group > 9) {
              return false;
            }
            cursor++;
            while (cursor < text.length()) {
              int digit = text.charAt(cursor) - '0';
              if (digit < 0 || digit > 9 || group * 10 + digit > groupCount) {
                break;
              }
              group = group * 10 + digit;
              cursor++;
            }
            if (group > groupCount) {
              return false;
            }
          }
          literals.add(literal.toString());
          groups.add(group);
          literal.setLength(0);
        }
      }
      literals.add(literal.toString());
      groups.add(-1);
      return true;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
      return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    /** Appends the row's text with every match replaced, as {@link Matcher#replaceAll}. */
    void replaceAll(Matcher matcher, byte[] bytes, int start, int length, BytesOutput output) {
      int copied = 0;
      while (matcher.find()) {
        output.append(bytes, start + copied, matcher.start() - copied);
        for (int i = 0; i < parts.length; i++) {
          output.append(parts[i], 0, parts[i].length);
          int group = groups[i];
          if (group >= 0 && matcher.start(group) >= 0) {
            output.append(
                bytes, start + matcher.start(group), matcher.end(group) - matcher.start(group));
          }
        }
        copied = matcher.end();
      }
      output.append(bytes, start + copied, length - copied);
    }
  }
}
