package dev.basalt.exec.function.scalar;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.ScalarFunctionResolver;
import dev.basalt.exec.function.cast.Casts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Pattern matching: {@code like(s, pattern [, escape])}, {@code regexp(s, pattern)} (REGEXP /
 * RLIKE, {@link java.util.regex} with find semantics: a match anywhere counts), {@code
 * regexp_replace(s, pattern, replacement)} (Java replacement syntax, {@code $1}) and {@code
 * regexp_extract(s, pattern, group)}.
 *
 * <p>LIKE works on the UTF-8 bytes without decoding: {@code %} matches any sequence, {@code _} one
 * character, the escape character (default {@code \}) makes the next character literal. Matching is
 * case-sensitive (binary collation, as Doris). The pattern is compiled once per distinct
 * consecutive pattern value, so a constant pattern compiles once per batch. Non-string operands are
 * converted to their text. The regular-expression functions are {@link RegexKernels} for string
 * arguments (the row-wise bodies here are their reference and the path for other types). Stateless
 * and thread safe.
 */
public final class PatternFunctions {
  private PatternFunctions() {}

  public static void register(FunctionRegistry.Builder builder) {
    builder.scalar(PatternFunctions::resolveLike, "like");
    builder.scalar(PatternFunctions::resolveRegexp, "regexp", "rlike", "regexp_like");
    builder.scalar(
        types ->
            matchesShape(types, false) ? REGEXP_REPLACE : REGEXP_REPLACE_ROW_WISE.resolve(types),
        "regexp_replace");
    builder.scalar(
        types ->
            matchesShape(types, true) ? REGEXP_EXTRACT : REGEXP_EXTRACT_ROW_WISE.resolve(types),
        "regexp_extract");
  }

  private static final ScalarFunction REGEXP_REPLACE =
      RegexKernels.replace("regexp_replace", StringFunctions.TEXT);
  private static final ScalarFunction REGEXP_EXTRACT =
      RegexKernels.extract("regexp_extract", StringFunctions.TEXT);

  /** The row-wise REGEXP_REPLACE: the kernel's reference, and the path for non-string arguments. */
  static final ScalarFunctionResolver REGEXP_REPLACE_ROW_WISE =
      Signatures.rowWise(
          "regexp_replace",
          StringFunctions.TEXT,
          List.of(DataType.STRING, DataType.STRING, DataType.STRING),
          (arguments, context) ->
              RegexKernels.replaceAll(
                  compileRegex((String) arguments[1]).matcher((String) arguments[0]),
                  (String) arguments[2]));

  /** The row-wise REGEXP_EXTRACT: the kernel's reference, and the path for other types. */
  static final ScalarFunctionResolver REGEXP_EXTRACT_ROW_WISE =
      Signatures.rowWise(
          "regexp_extract",
          StringFunctions.TEXT,
          List.of(DataType.STRING, DataType.STRING, DataType.BIGINT),
          (arguments, context) -> {
            Matcher matcher = compileRegex((String) arguments[1]).matcher((String) arguments[0]);
            long group = (Long) arguments[2];
            if (!matcher.find() || group < 0 || group > matcher.groupCount()) {
              return "";
            }
            String text = matcher.group((int) group);
            return text == null ? "" : text;
          });

  /**
   * Whether the kernel reads these types: three strings, or (for REGEXP_EXTRACT) two strings and an
   * integer of a {@code LongVector}.
   */
  private static boolean matchesShape(List<DataType> types, boolean integerLast) {
    return types.size() == 3
        && types.get(0).kind().isString()
        && types.get(1).kind().isString()
        && (integerLast
            ? VectorKernels.isLongInteger(types.get(2))
                && types.get(2).kind() != dev.basalt.common.type.TypeKind.BOOLEAN
            : types.get(2).kind().isString());
  }

  private static ScalarFunction resolveLike(List<DataType> types) {
    if (types.size() != 2 && types.size() != 3) {
      return null;
    }
    return new Like(types.size() == 3);
  }

  private static ScalarFunction resolveRegexp(List<DataType> types) {
    if (types.size() != 2) {
      return null;
    }
    return REGEXP;
  }

  private static final ScalarFunction REGEXP = RegexKernels.matches("regexp");

  static Pattern compileRegex(String pattern) {
    try {
      return Pattern.compile(pattern);
    } catch (PatternSyntaxException bad) {
      throw new BasaltException(
          ErrorCode.WRONG_ARGUMENTS,
          "regexp",
          "invalid regular expression '" + pattern + "': " + bad.getDescription());
    }
  }

  static BytesVector text(ColumnVector vector) {
    return (BytesVector) Casts.toRepresentation(vector, DataType.STRING);
  }

  /** {@code s LIKE pattern [ESCAPE e]}. */
  private record Like(boolean hasEscape) implements ScalarFunction {
    @Override
    public String name() {
      return "like";
    }

    @Override
    public DataType returnType() {
      return DataType.BOOLEAN;
    }

    @Override
    public boolean takesConstantVectors() {
      return true;
    }

    @Override
    public ColumnVector evaluate(
        List<ColumnVector> arguments, int rowCount, EvaluationContext context) {
      BytesVector values = text(arguments.get(0));
      BytesVector patterns = text(arguments.get(1));
      BytesVector escapes = hasEscape ? text(arguments.get(2)) : null;
      boolean[] nulls = Kernels.mergeNulls(values, patterns, rowCount);
      long[] out = new long[rowCount];
      if (Kernels.isConstant(patterns, rowCount)
          && (escapes == null || Kernels.isConstant(escapes, rowCount))) {
        // The usual case, a constant pattern: compiled once, matched over the whole vector.
        if (escapes != null && escapes.isNull(0)) {
          return new LongVector(DataType.BOOLEAN, out, allNull(rowCount), rowCount);
        }
        if (patterns.isNull(0)) {
          return new LongVector(DataType.BOOLEAN, out, nulls, rowCount);
        }
        LikePattern compiled = LikePattern.compile(patterns.getBytes(0), escapeOf(escapes, 0));
        if (Kernels.isConstant(values, rowCount)) {
          // A call on literals only (one the planner did not fold): one answer for every row.
          Arrays.fill(
              out,
              compiled.matches(values.rawBytes(), values.offset(0), values.byteLength(0)) ? 1 : 0);
        } else {
          compiled.matchAll(values, rowCount, out);
        }
        return new LongVector(DataType.BOOLEAN, out, nulls, rowCount);
      }
      int valueMask = Kernels.rowMask(values, rowCount);
      int patternMask = Kernels.rowMask(patterns, rowCount);
      int escapeMask = escapes == null ? 0 : Kernels.rowMask(escapes, rowCount);
      byte[] valueBytes = values.rawBytes();
      byte[] patternBytes = patterns.rawBytes();
      LikePattern compiled = null;
      byte[] lastPattern = null;
      byte lastEscape = '\\';
      for (int i = 0; i < rowCount; i++) {
        if (nulls != null && nulls[i]) {
          continue;
        }
        byte escape = '\\';
        if (escapes != null) {
          if (escapes.isNull(i & escapeMask)) {
            nulls = Kernels.setNull(nulls, i, rowCount);
            continue;
          }
          escape = escapeOf(escapes, i & escapeMask);
        }
        int patternStart = patterns.offset(i & patternMask);
        int patternLength = patterns.byteLength(i & patternMask);
        if (compiled == null
            || escape != lastEscape
            || !Arrays.equals(
                lastPattern,
                0,
                lastPattern.length,
                patternBytes,
                patternStart,
                patternStart + patternLength)) {
          lastPattern =
              Arrays.copyOfRange(patternBytes, patternStart, patternStart + patternLength);
          lastEscape = escape;
          compiled = LikePattern.compile(lastPattern, escape);
        }
        int value = i & valueMask;
        out[i] =
            compiled.matches(valueBytes, values.offset(value), values.byteLength(value)) ? 1 : 0;
      }
      return new LongVector(DataType.BOOLEAN, out, nulls, rowCount);
    }

    /** The escape byte of row {@code row} (not NULL): {@code \\} without an ESCAPE clause. */
    private static byte escapeOf(BytesVector escapes, int row) {
      if (escapes == null) {
        return '\\';
      }
      return escapes.byteLength(row) == 0 ? 0 : escapes.rawBytes()[escapes.offset(row)];
    }

    private static boolean[] allNull(int rowCount) {
      boolean[] nulls = new boolean[rowCount];
      Arrays.fill(nulls, true);
      return nulls;
    }
  }

  /**
   * A compiled LIKE pattern over UTF-8 bytes: literal bytes, {@link #ANY_ONE} ({@code _}) and
   * {@link #ANY_SEQUENCE} ({@code %}). Immutable.
   */
  static final class LikePattern {
    static final int ANY_ONE = -1;
    static final int ANY_SEQUENCE = -2;
    private final int[] tokens;

    /**
     * For a pattern of literals and {@code %} only (most LIKEs: {@code 'abc%'}, {@code '%abc'},
     * {@code '%special%requests%'}), its literals in order; otherwise {@code null}. Such a pattern
     * is matched by finding each literal at the leftmost place after the previous one (a later
     * place never helps the rest), with an anchored first literal unless the pattern starts with
     * {@code %} and an anchored last one unless it ends with {@code %}: no backtracking.
     */
    private final byte[][] literals;

    private final boolean anchoredStart;
    private final boolean anchoredEnd;

    private LikePattern(int[] tokens) {
      this.tokens = tokens;
      boolean literalsOnly = true;
      List<byte[]> parts = new ArrayList<>();
      int partStart = 0;
      for (int i = 0; i <= tokens.length && literalsOnly; i++) {
        if (i == tokens.length || tokens[i] == ANY_SEQUENCE) {
          byte[] part = new byte[i - partStart];
          for (int k = 0; k < part.length; k++) {
            part[k] = (byte) tokens[partStart + k];
          }
          parts.add(part);
          partStart = i + 1;
        } else if (tokens[i] == ANY_ONE) {
          literalsOnly = false;
        }
      }
      // parts has one more entry than there are %: empty first / last entries mean a leading or
      // trailing %.
      this.literals = literalsOnly ? parts.toArray(new byte[0][]) : null;
      this.anchoredStart = tokens.length == 0 || tokens[0] != ANY_SEQUENCE;
      this.anchoredEnd = tokens.length == 0 || tokens[tokens.length - 1] != ANY_SEQUENCE;
    }

    /**
     * Sets {@code out[i]} to 1 for every row {@code i < rowCount} of {@code values} that matches (0
     * otherwise; NULL rows get an arbitrary value). A pattern of literals and {@code %} that starts
     * with {@code %} (the {@code '%word%'} filters) first looks for its first literal in the whole
     * vector's bytes at once: a row without it cannot match and is passed over with the bytes
     * around it, and only the rows that hold it are matched in full. Search hits that straddle two
     * rows are checked against the row boundaries, not trusted.
     */
    void matchAll(BytesVector values, int rowCount, long[] out) {
      byte[] bytes = values.rawBytes();
      byte[] key = literals == null || anchoredStart ? null : firstNonEmpty(literals);
      if (key == null || rowCount == 0) {
        for (int i = 0; i < rowCount; i++) {
          out[i] = matches(bytes, values.offset(i), values.byteLength(i)) ? 1 : 0;
        }
        return;
      }
      int end = values.offset(rowCount - 1) + values.byteLength(rowCount - 1);
      int row = 0;
      while (row < rowCount) {
        int found = ByteSearch.indexOf(bytes, values.offset(row), end, key);
        if (found < 0) {
          return; // no later row holds the key: they stay 0
        }
        // Rows ending before the hit hold no whole occurrence of the key: they stay 0. The row the
        // hit starts in is matched in full (the hit may run past its end).
        while (values.offset(row) + values.byteLength(row) <= found) {
          row++;
        }
        out[row] = matchesLiterals(bytes, values.offset(row), values.byteLength(row)) ? 1 : 0;
        row++;
      }
    }

    private static byte[] firstNonEmpty(byte[][] parts) {
      for (byte[] part : parts) {
        if (part.length > 0) {
          return part;
        }
      }
      return null;
    }

    /** {@link #matches} for a pattern of literals and {@code %} ({@link #literals}). */
    private boolean matchesLiterals(byte[] value, int start, int length) {
      int end = start + length;
      if (literals.length == 1) {
        byte[] only = literals[0];
        return length == only.length && Arrays.equals(value, start, end, only, 0, only.length);
      }
      int position = start;
      int first = 0;
      int last = literals.length - 1;
      if (anchoredStart) {
        byte[] prefix = literals[0];
        if (length < prefix.length
            || !Arrays.equals(value, start, start + prefix.length, prefix, 0, prefix.length)) {
          return false;
        }
        position += prefix.length;
        first = 1;
      }
      int limit = end;
      if (anchoredEnd) {
        byte[] suffix = literals[last];
        if (end - position < suffix.length
            || !Arrays.equals(value, end - suffix.length, end, suffix, 0, suffix.length)) {
          return false;
        }
        limit = end - suffix.length;
        last--;
      }
      for (int part = first; part <= last; part++) {
        byte[] literal = literals[part];
        if (literal.length == 0) {
          continue;
        }
        int found = ByteSearch.indexOf(value, position, limit, literal);
        if (found < 0) {
          return false;
        }
        position = found + literal.length;
      }
      return true;
    }

    static LikePattern compile(byte[] pattern, byte escape) {
      int[] tokens = new int[pattern.length];
      int count = 0;
      for (int i = 0; i < pattern.length; i++) {
        byte b = pattern[i];
        if (escape != 0 && b == escape && i + 1 < pattern.length) {
          int length = characterLength(pattern[i + 1]);
          for (int k = 0; k < length && i + 1 < pattern.length; k++) {
            tokens[count++] = pattern[++i] & 0xff;
          }
        } else if (b == '%') {
          if (count == 0 || tokens[count - 1] != ANY_SEQUENCE) {
            tokens[count++] = ANY_SEQUENCE;
          }
        } else if (b == '_') {
          tokens[count++] = ANY_ONE;
        } else {
          tokens[count++] = b & 0xff;
        }
      }
      return new LikePattern(Arrays.copyOf(tokens, count));
    }

    /** Whether {@code value[start, start + length)} matches, backtracking to the last {@code %}. */
    boolean matches(byte[] value, int start, int length) {
      if (literals != null) {
        return matchesLiterals(value, start, length);
      }
      int end = start + length;
      int position = start;
      int token = 0;
      int starToken = -1;
      int starPosition = -1;
      while (position < end) {
        if (token < tokens.length && tokens[token] == ANY_ONE) {
          position += characterLength(value[position]);
          token++;
        } else if (token < tokens.length
            && tokens[token] >= 0
            && tokens[token] == (value[position] & 0xff)) {
          position++;
          token++;
        } else if (token < tokens.length && tokens[token] == ANY_SEQUENCE) {
          starToken = token++;
          starPosition = position;
        } else if (starToken >= 0) {
          starPosition += characterLength(value[starPosition]);
          position = starPosition;
          token = starToken + 1;
        } else {
          return false;
        }
      }
      if (position > end) {
        return false;
      }
      while (token < tokens.length && tokens[token] == ANY_SEQUENCE) {
        token++;
      }
      return token == tokens.length;
    }

    /** The byte length of the UTF-8 character starting with {@code lead}; 1 for stray bytes. */
    static int characterLength(byte lead) {
      int b = lead & 0xff;
      if (b < 0xc0) {
        return 1;
      }
      if (b < 0xe0) {
        return 2;
      }
      return b < 0xf0 ? 3 : 4;
    }
  }
}
