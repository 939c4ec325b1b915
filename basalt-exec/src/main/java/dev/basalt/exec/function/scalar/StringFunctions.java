package dev.basalt.exec.function.scalar;

import static dev.basalt.exec.function.scalar.Signatures.firstOf;
import static dev.basalt.exec.function.scalar.Signatures.nullAware;
import static dev.basalt.exec.function.scalar.Signatures.rowWise;
import static dev.basalt.exec.function.scalar.Signatures.variadic;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.ScalarFunctionResolver;
import dev.basalt.exec.function.cast.Casts;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * String functions with MySQL semantics. Positions and lengths count characters (code points),
 * except {@code length}, which counts UTF-8 bytes. Arguments of other types are converted to their
 * text ({@code length(123)} is 3); a NULL argument gives NULL unless noted.
 *
 * <p>Return types: text results are VARCHAR(65533) ({@link #TEXT}); positions, lengths, {@code
 * ascii}, {@code strcmp} and {@code find_in_set} are INT; {@code starts_with}/{@code ends_with}
 * BOOLEAN.
 *
 * <p>Argument orders the planner must know: {@code trim(direction, characters, s)} with direction
 * {@code 'BOTH' | 'LEADING' | 'TRAILING'} for {@code TRIM(direction characters FROM s)}; {@code
 * trim(s, characters)}, {@code ltrim(s, characters)}, {@code rtrim(s, characters)} (Doris) remove
 * repeated occurrences of the string {@code characters}; {@code position(sub, s)} for {@code
 * POSITION(sub IN s)}; {@code locate(sub, s [, start])}.
 *
 * <p>Where MySQL and Doris differ we follow Doris: {@code lpad}/{@code rpad} with an empty pad give
 * {@code ''} when padding is needed (MySQL: NULL); {@code split_part} out of range gives NULL.
 * Invalid hex or base64 input gives NULL. Stateless and thread safe.
 */
public final class StringFunctions {
  /** The result type of text-producing functions. */
  public static final DataType TEXT = DataType.varchar(DataType.MAX_VARCHAR_LENGTH);

  /**
   * Longest string (in characters) that repeat, space, lpad and rpad may produce; longer results
   * are an error rather than a memory exhaustion (MySQL bounds them by max_allowed_packet).
   */
  static final long MAX_RESULT_LENGTH = 16L * 1024 * 1024;

  private static final DataType S = DataType.STRING;

  private static final DataType N = DataType.BIGINT;

  /**
   * The row-wise bodies of the functions that also have typed kernels: used for arguments the
   * kernels do not take, and as the reference in {@code ScalarKernelDifferentialTest}.
   */
  static final ScalarFunctionResolver LENGTH_ROW_WISE =
      rowWise("length", DataType.INT, List.of(S), (a, c) -> (long) utf8Length((String) a[0]));

  static final ScalarFunctionResolver CHAR_LENGTH_ROW_WISE =
      rowWise("char_length", DataType.INT, List.of(S), (a, c) -> (long) codePoints((String) a[0]));

  static final ScalarFunctionResolver UPPER_ROW_WISE =
      rowWise("upper", TEXT, List.of(S), (a, c) -> ((String) a[0]).toUpperCase(Locale.ROOT));

  static final ScalarFunctionResolver LOWER_ROW_WISE =
      rowWise("lower", TEXT, List.of(S), (a, c) -> ((String) a[0]).toLowerCase(Locale.ROOT));

  static final ScalarFunctionResolver TRIM_ROW_WISE =
      rowWise("trim", TEXT, List.of(S), (a, c) -> trimSpaces((String) a[0], true, true));

  static final ScalarFunctionResolver LTRIM_ROW_WISE =
      rowWise("ltrim", TEXT, List.of(S), (a, c) -> trimSpaces((String) a[0], true, false));

  static final ScalarFunctionResolver RTRIM_ROW_WISE =
      rowWise("rtrim", TEXT, List.of(S), (a, c) -> trimSpaces((String) a[0], false, true));

  static final ScalarFunctionResolver CONCAT_ROW_WISE =
      variadic(
          "concat",
          TEXT,
          S,
          1,
          (a, c) -> {
            StringBuilder text = new StringBuilder();
            for (Object value : a) {
              text.append((String) value);
            }
            return text.toString();
          });

  static final ScalarFunctionResolver CONCAT_WS_ROW_WISE =
      types ->
          types.size() < 2
              ? null
              : RowWiseScalarFunction.nullAware(
                  "concat_ws",
                  TEXT,
                  types,
                  java.util.Collections.nCopies(types.size(), S),
                  (a, c) -> {
                    if (a[0] == null) {
                      return null;
                    }
                    StringBuilder text = new StringBuilder();
                    boolean first = true;
                    for (int i = 1; i < a.length; i++) {
                      if (a[i] != null) {
                        if (!first) {
                          text.append((String) a[0]);
                        }
                        text.append((String) a[i]);
                        first = false;
                      }
                    }
                    return text.toString();
                  });

  static final ScalarFunctionResolver SUBSTRING_ROW_WISE =
      firstOf(
          rowWise(
              "substring",
              TEXT,
              List.of(S, N),
              (a, c) -> substring((String) a[0], (Long) a[1], Long.MAX_VALUE)),
          rowWise(
              "substring",
              TEXT,
              List.of(S, N, N),
              (a, c) -> substring((String) a[0], (Long) a[1], (Long) a[2])));

  static final ScalarFunctionResolver LEFT_ROW_WISE =
      rowWise("left", TEXT, List.of(S, N), (a, c) -> substring((String) a[0], 1, (Long) a[1]));

  static final ScalarFunctionResolver RIGHT_ROW_WISE =
      rowWise(
          "right",
          TEXT,
          List.of(S, N),
          (a, c) -> {
            String s = (String) a[0];
            long count = (Long) a[1];
            int length = codePoints(s);
            if (count <= 0) {
              return "";
            }
            return count >= length ? s : substring(s, length - count + 1, count);
          });

  static final ScalarFunctionResolver LPAD_ROW_WISE =
      rowWise(
          "lpad",
          TEXT,
          List.of(S, N, S),
          (a, c) -> pad((String) a[0], (Long) a[1], (String) a[2], true));

  static final ScalarFunctionResolver RPAD_ROW_WISE =
      rowWise(
          "rpad",
          TEXT,
          List.of(S, N, S),
          (a, c) -> pad((String) a[0], (Long) a[1], (String) a[2], false));

  static final ScalarFunctionResolver REPLACE_ROW_WISE =
      rowWise(
          "replace",
          TEXT,
          List.of(S, S, S),
          (a, c) -> {
            String from = (String) a[1];
            return from.isEmpty() ? a[0] : ((String) a[0]).replace(from, (String) a[2]);
          });

  static final ScalarFunctionResolver REVERSE_ROW_WISE =
      rowWise(
          "reverse",
          TEXT,
          List.of(S),
          (a, c) -> new StringBuilder((String) a[0]).reverse().toString());

  static final ScalarFunctionResolver INSTR_ROW_WISE =
      rowWise(
          "instr", DataType.INT, List.of(S, S), (a, c) -> locate((String) a[1], (String) a[0], 1));

  static final ScalarFunctionResolver LOCATE_ROW_WISE =
      firstOf(
          rowWise(
              "locate",
              DataType.INT,
              List.of(S, S),
              (a, c) -> locate((String) a[0], (String) a[1], 1)),
          rowWise(
              "locate",
              DataType.INT,
              List.of(S, S, N),
              (a, c) -> locate((String) a[0], (String) a[1], (Long) a[2])));

  static final ScalarFunctionResolver POSITION_ROW_WISE =
      rowWise(
          "position",
          DataType.INT,
          List.of(S, S),
          (a, c) -> locate((String) a[0], (String) a[1], 1));

  static final ScalarFunctionResolver STARTS_WITH_ROW_WISE =
      rowWise(
          "starts_with",
          DataType.BOOLEAN,
          List.of(S, S),
          (a, c) -> ((String) a[0]).startsWith((String) a[1]));

  static final ScalarFunctionResolver ENDS_WITH_ROW_WISE =
      rowWise(
          "ends_with",
          DataType.BOOLEAN,
          List.of(S, S),
          (a, c) -> ((String) a[0]).endsWith((String) a[1]));

  static final ScalarFunctionResolver HEX_ROW_WISE = StringFunctions::resolveHex;

  static final ScalarFunctionResolver REPEAT_ROW_WISE =
      rowWise(
          "repeat",
          TEXT,
          List.of(S, N),
          (a, c) -> {
            String s = (String) a[0];
            long count = (Long) a[1];
            if (count <= 0 || s.isEmpty()) {
              return "";
            }
            // A count past the bound fails before count * length could overflow.
            checkResultLength("repeat", Math.min(count, MAX_RESULT_LENGTH + 1) * s.length());
            return s.repeat((int) count);
          });

  static final ScalarFunctionResolver SPACE_ROW_WISE =
      rowWise(
          "space",
          TEXT,
          List.of(N),
          (a, c) -> {
            long count = (Long) a[0];
            if (count <= 0) {
              return "";
            }
            checkResultLength("space", count);
            return " ".repeat((int) count);
          });

  static final ScalarFunctionResolver STRCMP_ROW_WISE =
      rowWise(
          "strcmp",
          DataType.INT,
          List.of(S, S),
          (a, c) -> {
            byte[] left = ((String) a[0]).getBytes(StandardCharsets.UTF_8);
            byte[] right = ((String) a[1]).getBytes(StandardCharsets.UTF_8);
            return (long)
                Integer.signum(
                    ComparisonFunctions.compareBytes(
                        left, 0, left.length, right, 0, right.length, false));
          });

  static final ScalarFunctionResolver ASCII_ROW_WISE =
      rowWise(
          "ascii",
          DataType.INT,
          List.of(S),
          (a, c) -> {
            byte[] bytes = ((String) a[0]).getBytes(StandardCharsets.UTF_8);
            return bytes.length == 0 ? 0L : (long) (bytes[0] & 0xff);
          });

  static final ScalarFunctionResolver BIT_LENGTH_ROW_WISE =
      rowWise("bit_length", DataType.INT, List.of(S), (a, c) -> 8L * utf8Length((String) a[0]));

  static final ScalarFunctionResolver SPLIT_PART_ROW_WISE =
      rowWise(
          "split_part",
          TEXT,
          List.of(S, S, N),
          (a, c) -> splitPart((String) a[0], (String) a[1], (Long) a[2]));

  static final ScalarFunctionResolver SUBSTRING_INDEX_ROW_WISE =
      rowWise(
          "substring_index",
          TEXT,
          List.of(S, S, N),
          (a, c) -> substringIndex((String) a[0], (String) a[1], (Long) a[2]));

  static final ScalarFunctionResolver MD5_ROW_WISE =
      rowWise("md5", DataType.varchar(32), List.of(S), (a, c) -> digest("MD5", (String) a[0]));

  static final ScalarFunctionResolver SHA1_ROW_WISE =
      rowWise("sha1", DataType.varchar(40), List.of(S), (a, c) -> digest("SHA-1", (String) a[0]));

  static final ScalarFunctionResolver SHA2_ROW_WISE =
      rowWise(
          "sha2",
          DataType.varchar(128),
          List.of(S, N),
          (a, c) -> {
            long bits = (Long) a[1];
            String algorithm =
                bits == 0 || bits == 256
                    ? "SHA-256"
                    : bits == 224
                        ? "SHA-224"
                        : bits == 384 ? "SHA-384" : bits == 512 ? "SHA-512" : null;
            return algorithm == null ? null : digest(algorithm, (String) a[0]);
          });

  static final ScalarFunctionResolver UNHEX_ROW_WISE =
      rowWise(
          "unhex",
          TEXT,
          List.of(S),
          (a, c) -> {
            String hex = (String) a[0];
            if (hex.length() % 2 != 0) {
              hex = "0" + hex;
            }
            try {
              return new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notHex) {
              return null;
            }
          });

  static final ScalarFunctionResolver TO_BASE64_ROW_WISE =
      rowWise(
          "to_base64",
          TEXT,
          List.of(S),
          (a, c) ->
              Base64.getEncoder().encodeToString(((String) a[0]).getBytes(StandardCharsets.UTF_8)));

  static final ScalarFunctionResolver FROM_BASE64_ROW_WISE =
      rowWise(
          "from_base64",
          TEXT,
          List.of(S),
          (a, c) -> {
            try {
              return new String(
                  Base64.getDecoder().decode(((String) a[0]).replaceAll("\\s", "")),
                  StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notBase64) {
              return null;
            }
          });

  static final ScalarFunctionResolver FORMAT_ROW_WISE =
      firstOf(
          rowWise(
              "format",
              TEXT,
              List.of(DataType.decimal(38, 10), N),
              (a, c) -> formatNumber((BigDecimal) a[0], (Long) a[1])),
          rowWise(
              "format",
              TEXT,
              List.of(DataType.decimal(38, 10), N, S),
              (a, c) -> formatNumber((BigDecimal) a[0], (Long) a[1])));

  static final ScalarFunctionResolver MONEY_FORMAT_ROW_WISE =
      rowWise(
          "money_format",
          TEXT,
          List.of(DataType.decimal(38, 10)),
          (a, c) -> formatNumber((BigDecimal) a[0], 2));

  static final ScalarFunctionResolver FIND_IN_SET_ROW_WISE =
      rowWise(
          "find_in_set",
          DataType.INT,
          List.of(S, S),
          (a, c) -> {
            String needle = (String) a[0];
            // MySQL: an empty list holds no item, not one empty item.
            if (needle.contains(",") || ((String) a[1]).isEmpty()) {
              return 0L;
            }
            String[] items = ((String) a[1]).split(",", -1);
            for (int i = 0; i < items.length; i++) {
              if (items[i].equals(needle)) {
                return (long) (i + 1);
              }
            }
            return 0L;
          });

  static final ScalarFunctionResolver TRIM_STRING_ROW_WISE = trimStringRowWise("trim", true, true);

  static final ScalarFunctionResolver LTRIM_STRING_ROW_WISE =
      trimStringRowWise("ltrim", true, false);

  static final ScalarFunctionResolver RTRIM_STRING_ROW_WISE =
      trimStringRowWise("rtrim", false, true);

  static final ScalarFunctionResolver TRIM_DIRECTION_ROW_WISE =
      rowWise(
          "trim",
          TEXT,
          List.of(S, S, S),
          (a, c) -> {
            AffixKernels.Ends ends = AffixKernels.Ends.parse((String) a[0]);
            return trimString((String) a[2], (String) a[1], ends.leading, ends.trailing);
          });

  static final ScalarFunctionResolver APPEND_TRAILING_CHAR_IF_ABSENT_ROW_WISE =
      rowWise(
          "append_trailing_char_if_absent",
          TEXT,
          List.of(S, S),
          (a, c) -> {
            String text = (String) a[0];
            String trailing = (String) a[1];
            if (trailing.codePointCount(0, trailing.length()) != 1) {
              return null;
            }
            return text.endsWith(trailing) ? text : text + trailing;
          });

  /** The reference of the {@code char} kernel (which converts its arguments per vector). */
  static final ScalarFunctionResolver CHAR_ROW_WISE =
      types ->
          types.isEmpty()
              ? null
              : RowWiseScalarFunction.nullAware(
                  "char",
                  TEXT,
                  types,
                  java.util.Collections.nCopies(types.size(), N),
                  (a, c) -> {
                    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                    for (Object value : a) {
                      if (value == null) {
                        continue;
                      }
                      long code = (Long) value;
                      int start = code > 0xffffff ? 3 : code > 0xffff ? 2 : code > 0xff ? 1 : 0;
                      for (int shift = start; shift >= 0; shift--) {
                        bytes.write((int) (code >>> (8 * shift)) & 0xff);
                      }
                    }
                    return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
                  });

  static final ScalarFunctionResolver NOT_NULL_OR_EMPTY_ROW_WISE =
      nullAware(
          "not_null_or_empty",
          DataType.BOOLEAN,
          List.of(S),
          (a, c) -> a[0] != null && !((String) a[0]).isEmpty());

  static final ScalarFunctionResolver NULL_OR_EMPTY_ROW_WISE =
      nullAware(
          "null_or_empty",
          DataType.BOOLEAN,
          List.of(S),
          (a, c) -> a[0] == null || ((String) a[0]).isEmpty());

  /** MySQL's QUOTE: a string literal that reads back as the value; NULL gives the word NULL. */
  static final ScalarFunctionResolver QUOTE_ROW_WISE =
      nullAware(
          "quote",
          TEXT,
          List.of(S),
          (a, c) -> {
            if (a[0] == null) {
              return "NULL";
            }
            String text = (String) a[0];
            StringBuilder quoted = new StringBuilder(text.length() + 2).append('\'');
            for (int i = 0; i < text.length(); i++) {
              char ch = text.charAt(i);
              switch (ch) {
                case '\\' -> quoted.append("\\\\");
                case '\'' -> quoted.append("\\'");
                case '\0' -> quoted.append("\\0");
                case '\u001a' -> quoted.append("\\Z");
                default -> quoted.append(ch);
              }
            }
            return quoted.append('\'').toString();
          });

  private static ScalarFunctionResolver trimStringRowWise(
      String name, boolean leading, boolean trailing) {
    return rowWise(
        name,
        TEXT,
        List.of(S, S),
        (a, c) -> trimString((String) a[0], (String) a[1], leading, trailing));
  }

  static final ScalarFunctionResolver INITCAP_ROW_WISE =
      rowWise("initcap", TEXT, List.of(S), (a, c) -> initcap((String) a[0]));

  /** The reference of the {@code field} kernel (which converts its arguments per vector). */
  static final ScalarFunctionResolver FIELD_ROW_WISE =
      types ->
          types.size() < 2
              ? null
              : RowWiseScalarFunction.nullAware(
                  "field",
                  N,
                  types,
                  java.util.Collections.nCopies(types.size(), fieldParameter(types)),
                  (a, c) -> {
                    if (a[0] == null) {
                      return 0L;
                    }
                    for (int i = 1; i < a.length; i++) {
                      if (a[0].equals(a[i])) {
                        return (long) i;
                      }
                    }
                    return 0L;
                  });

  /** The reference of the {@code elt} kernel (which converts its arguments per vector). */
  static final ScalarFunctionResolver ELT_ROW_WISE =
      types ->
          types.size() < 2
              ? null
              : RowWiseScalarFunction.nullAware(
                  "elt",
                  TEXT,
                  types,
                  eltParameters(types),
                  (a, c) -> {
                    if (a[0] == null) {
                      return null;
                    }
                    long index = (Long) a[0];
                    return index >= 1 && index < a.length ? a[(int) index] : null;
                  });

  // The typed kernels of the functions above (StringKernels), bound once: they are stateless.
  private static final ScalarFunction CONCAT = StringKernels.concat("concat", TEXT, false);
  private static final ScalarFunction CONCAT_WS = StringKernels.concat("concat_ws", TEXT, true);
  private static final ScalarFunction SUBSTRING =
      StringKernels.substring("substring", TEXT, StringKernels.Slice.SUBSTRING);
  private static final ScalarFunction LEFT =
      StringKernels.substring("left", TEXT, StringKernels.Slice.LEFT);
  private static final ScalarFunction RIGHT =
      StringKernels.substring("right", TEXT, StringKernels.Slice.RIGHT);
  private static final ScalarFunction LPAD = StringKernels.pad("lpad", TEXT, true);
  private static final ScalarFunction RPAD = StringKernels.pad("rpad", TEXT, false);
  private static final ScalarFunction REPLACE = StringKernels.replace("replace", TEXT);
  private static final ScalarFunction REVERSE = StringKernels.reverse("reverse", TEXT);
  private static final ScalarFunction INSTR = StringKernels.locate("instr", 1);
  private static final ScalarFunction LOCATE = StringKernels.locate("locate", 0);
  private static final ScalarFunction POSITION = StringKernels.locate("position", 0);
  private static final ScalarFunction STARTS_WITH = StringKernels.affix("starts_with", false);
  private static final ScalarFunction ENDS_WITH = StringKernels.affix("ends_with", true);
  private static final ScalarFunction HEX_OF_STRING = StringKernels.hexOfString("hex", TEXT);
  private static final ScalarFunction HEX_OF_LONG = StringKernels.hexOfLong("hex", TEXT);
  private static final ScalarFunction REPEAT = StringKernels.repeat("repeat", TEXT);
  private static final ScalarFunction SPACE = StringKernels.space("space", TEXT);
  private static final ScalarFunction STRCMP = StringKernels.strcmp("strcmp");
  private static final ScalarFunction INITCAP = StringKernels.initcap("initcap", TEXT);
  private static final ScalarFunction TRIM_STRING =
      AffixKernels.trim("trim", TEXT, AffixKernels.Ends.BOTH);
  private static final ScalarFunction LTRIM_STRING =
      AffixKernels.trim("ltrim", TEXT, AffixKernels.Ends.LEADING);
  private static final ScalarFunction RTRIM_STRING =
      AffixKernels.trim("rtrim", TEXT, AffixKernels.Ends.TRAILING);
  private static final ScalarFunction TRIM_DIRECTION = AffixKernels.trim("trim", TEXT, null);
  private static final ScalarFunction APPEND_TRAILING_CHAR_IF_ABSENT =
      AffixKernels.appendTrailingCharIfAbsent("append_trailing_char_if_absent", TEXT);
  private static final ScalarFunction CHAR = StringKernels.characters("char", TEXT);
  private static final ScalarFunction QUOTE = StringKernels.quote("quote", TEXT);
  private static final ScalarFunction NULL_OR_EMPTY =
      StringKernels.nullOrEmpty("null_or_empty", false);
  private static final ScalarFunction NOT_NULL_OR_EMPTY =
      StringKernels.nullOrEmpty("not_null_or_empty", true);
  private static final ScalarFunction FIELD = StringKernels.field("field", N);
  private static final ScalarFunction ELT = StringKernels.elt("elt", TEXT);
  private static final ScalarFunction SPLIT_PART = StringSplitKernels.splitPart("split_part", TEXT);
  private static final ScalarFunction SUBSTRING_INDEX =
      StringSplitKernels.substringIndex("substring_index", TEXT);
  private static final ScalarFunction FIND_IN_SET = StringSplitKernels.findInSet("find_in_set");
  private static final ScalarFunction MD5 =
      EncodingKernels.digest("md5", DataType.varchar(32), "MD5");
  private static final ScalarFunction SHA1 =
      EncodingKernels.digest("sha1", DataType.varchar(40), "SHA-1");
  private static final ScalarFunction SHA2 =
      EncodingKernels.digest("sha2", DataType.varchar(128), null);
  private static final ScalarFunction UNHEX = EncodingKernels.unhex("unhex", TEXT);
  private static final ScalarFunction TO_BASE64 = EncodingKernels.toBase64("to_base64", TEXT);
  private static final ScalarFunction FROM_BASE64 = EncodingKernels.fromBase64("from_base64", TEXT);
  private static final ScalarFunction FORMAT = NumberFormatKernels.format("format", TEXT, -1);
  private static final ScalarFunction MONEY_FORMAT =
      NumberFormatKernels.format("money_format", TEXT, 2);

  /** MySQL's FIELD compares as strings when every argument is a string, else as numbers. */
  private static DataType fieldParameter(List<DataType> types) {
    boolean allStrings =
        types.stream().allMatch(t -> t.kind().isString() || t.kind() == TypeKind.NULL);
    return allStrings ? S : DataType.DOUBLE;
  }

  /** ELT's index is an integer, its choices strings. */
  private static List<DataType> eltParameters(List<DataType> types) {
    List<DataType> parameters = new java.util.ArrayList<>();
    parameters.add(N);
    parameters.addAll(java.util.Collections.nCopies(types.size() - 1, S));
    return parameters;
  }

  /**
   * {@code kernel} for the argument types {@code fits} accepts, else what {@code rowWise} gives.
   */
  private static ScalarFunctionResolver typed(
      java.util.function.Predicate<List<DataType>> fits,
      ScalarFunction kernel,
      ScalarFunctionResolver rowWise) {
    return types -> fits.test(types) ? kernel : rowWise.resolve(types);
  }

  /**
   * Whether the argument types have the shape {@code pattern}: per argument {@code S} for a string
   * (a {@code BytesVector}), {@code N} for an integer of a {@code LongVector} (not BOOLEAN).
   */
  private static boolean matches(List<DataType> types, String pattern) {
    if (types.size() != pattern.length()) {
      return false;
    }
    for (int i = 0; i < types.size(); i++) {
      DataType type = types.get(i);
      boolean fits =
          pattern.charAt(i) == 'S'
              ? type.kind().isString()
              : VectorKernels.isLongInteger(type) && type.kind() != TypeKind.BOOLEAN;
      if (!fits) {
        return false;
      }
    }
    return true;
  }

  private static boolean allStrings(List<DataType> types) {
    return types.stream().allMatch(type -> type.kind().isString());
  }

  /**
   * {@code kernel} of at least {@code minimum} string arguments; other arguments are converted to
   * their text per vector first ({@code concat('n', 1)}).
   */
  private static ScalarFunctionResolver textArguments(int minimum, ScalarFunction kernel) {
    return types ->
        types.size() < minimum
            ? null
            : allStrings(types)
                ? kernel
                : StringKernels.withArgumentsAs(
                    kernel, java.util.Collections.nCopies(types.size(), S));
  }

  /** ASCII case tables for the typed upper/lower kernels; other bytes take the String path. */
  private static final byte[] ASCII_UPPER = asciiTable(true);

  private static final byte[] ASCII_LOWER = asciiTable(false);

  private static byte[] asciiTable(boolean upper) {
    byte[] table = new byte[128];
    for (int i = 0; i < table.length; i++) {
      char ch = (char) i;
      table[i] = (byte) (upper ? Character.toUpperCase(ch) : Character.toLowerCase(ch));
    }
    return table;
  }

  private StringFunctions() {}

  public static void register(FunctionRegistry.Builder builder) {
    builder.scalar(textArguments(1, CONCAT), "concat");
    builder.scalar(textArguments(2, CONCAT_WS), "concat_ws");
    builder.scalar(
        VectorKernels.forString(
            VectorKernels.bytesToLong("length", DataType.INT, StringFunctions::utf8Length),
            LENGTH_ROW_WISE),
        "length",
        "octet_length");
    builder.scalar(
        VectorKernels.forString(
            VectorKernels.bytesToLong(
                "char_length",
                DataType.INT,
                (bytes, offset, length) ->
                    VectorKernels.isAscii(bytes, offset, length)
                        ? length
                        : codePoints(new String(bytes, offset, length, StandardCharsets.UTF_8))),
            CHAR_LENGTH_ROW_WISE),
        "char_length",
        "character_length");
    builder.scalar(
        VectorKernels.forString(
            VectorKernels.bytesToLong(
                "bit_length",
                DataType.INT,
                (bytes, offset, length) -> 8L * utf8Length(bytes, offset, length)),
            BIT_LENGTH_ROW_WISE),
        "bit_length");
    builder.scalar(
        VectorKernels.forString(
            VectorKernels.asciiMapping(
                "upper", TEXT, ASCII_UPPER, value -> value.toUpperCase(Locale.ROOT)),
            UPPER_ROW_WISE),
        "upper",
        "ucase");
    builder.scalar(
        VectorKernels.forString(
            VectorKernels.asciiMapping(
                "lower", TEXT, ASCII_LOWER, value -> value.toLowerCase(Locale.ROOT)),
            LOWER_ROW_WISE),
        "lower",
        "lcase");
    builder.scalar(
        typed(
            types -> matches(types, "SN") || matches(types, "SNN"), SUBSTRING, SUBSTRING_ROW_WISE),
        "substring",
        "substr",
        "mid");
    builder.scalar(typed(types -> matches(types, "SN"), LEFT, LEFT_ROW_WISE), "left", "strleft");
    builder.scalar(
        typed(types -> matches(types, "SN"), RIGHT, RIGHT_ROW_WISE), "right", "strright");
    builder.scalar(
        firstOf(
            VectorKernels.forString(
                VectorKernels.asciiSlice(
                    "trim",
                    TEXT,
                    (bytes, offset, length) -> trimmedBounds(bytes, offset, length, true, true),
                    value -> trimSpaces(value, true, true)),
                types -> null),
            TRIM_ROW_WISE,
            typed(types -> matches(types, "SS"), TRIM_STRING, TRIM_STRING_ROW_WISE),
            typed(types -> matches(types, "SSS"), TRIM_DIRECTION, TRIM_DIRECTION_ROW_WISE)),
        "trim");
    builder.scalar(
        firstOf(
            VectorKernels.forString(
                VectorKernels.asciiSlice(
                    "ltrim",
                    TEXT,
                    (bytes, offset, length) -> trimmedBounds(bytes, offset, length, true, false),
                    value -> trimSpaces(value, true, false)),
                types -> null),
            LTRIM_ROW_WISE,
            typed(types -> matches(types, "SS"), LTRIM_STRING, LTRIM_STRING_ROW_WISE)),
        "ltrim");
    builder.scalar(
        firstOf(
            VectorKernels.forString(
                VectorKernels.asciiSlice(
                    "rtrim",
                    TEXT,
                    (bytes, offset, length) -> trimmedBounds(bytes, offset, length, false, true),
                    value -> trimSpaces(value, false, true)),
                types -> null),
            RTRIM_ROW_WISE,
            typed(types -> matches(types, "SS"), RTRIM_STRING, RTRIM_STRING_ROW_WISE)),
        "rtrim");
    builder.scalar(typed(types -> matches(types, "SNS"), LPAD, LPAD_ROW_WISE), "lpad");
    builder.scalar(typed(types -> matches(types, "SNS"), RPAD, RPAD_ROW_WISE), "rpad");
    builder.scalar(typed(types -> matches(types, "SSS"), REPLACE, REPLACE_ROW_WISE), "replace");
    builder.scalar(typed(types -> matches(types, "S"), REVERSE, REVERSE_ROW_WISE), "reverse");
    builder.scalar(typed(types -> matches(types, "SN"), REPEAT, REPEAT_ROW_WISE), "repeat");
    builder.scalar(typed(types -> matches(types, "N"), SPACE, SPACE_ROW_WISE), "space");
    builder.scalar(typed(types -> matches(types, "SS"), INSTR, INSTR_ROW_WISE), "instr");
    builder.scalar(
        typed(types -> matches(types, "SS") || matches(types, "SSN"), LOCATE, LOCATE_ROW_WISE),
        "locate");
    builder.scalar(typed(types -> matches(types, "SS"), POSITION, POSITION_ROW_WISE), "position");
    builder.scalar(typed(types -> matches(types, "SS"), STRCMP, STRCMP_ROW_WISE), "strcmp");
    builder.scalar(
        VectorKernels.forString(
            VectorKernels.bytesToLong(
                "ascii",
                DataType.INT,
                (bytes, offset, length) -> length == 0 ? 0 : bytes[offset] & 0xff),
            ASCII_ROW_WISE),
        "ascii");
    builder.scalar(
        typed(types -> matches(types, "SSN"), SPLIT_PART, SPLIT_PART_ROW_WISE), "split_part");
    builder.scalar(
        typed(types -> matches(types, "SSN"), SUBSTRING_INDEX, SUBSTRING_INDEX_ROW_WISE),
        "substring_index");
    builder.scalar(VectorKernels.forString(MD5, MD5_ROW_WISE), "md5");
    builder.scalar(
        types ->
            types.size() < 2
                ? null
                : StringKernels.withArgumentsAs(
                    FIELD, java.util.Collections.nCopies(types.size(), fieldParameter(types))),
        "field");
    builder.scalar(
        types -> types.size() < 2 ? null : StringKernels.withArgumentsAs(ELT, eltParameters(types)),
        "elt");
    builder.scalar(VectorKernels.forString(INITCAP, INITCAP_ROW_WISE), "initcap");
    builder.scalar(
        typed(
            types -> matches(types, "SS"),
            APPEND_TRAILING_CHAR_IF_ABSENT,
            APPEND_TRAILING_CHAR_IF_ABSENT_ROW_WISE),
        "append_trailing_char_if_absent");
    builder.scalar(VectorKernels.forString(SHA1, SHA1_ROW_WISE), "sha1", "sha");
    builder.scalar(typed(types -> matches(types, "SN"), SHA2, SHA2_ROW_WISE), "sha2");
    builder.scalar(
        typed(
            types -> matches(types, "S"),
            HEX_OF_STRING,
            typed(types -> matches(types, "N"), HEX_OF_LONG, StringFunctions::resolveHex)),
        "hex");
    builder.scalar(VectorKernels.forString(UNHEX, UNHEX_ROW_WISE), "unhex");
    builder.scalar(VectorKernels.forString(TO_BASE64, TO_BASE64_ROW_WISE), "to_base64");
    builder.scalar(VectorKernels.forString(FROM_BASE64, FROM_BASE64_ROW_WISE), "from_base64");
    builder.scalar(
        typed(
            types ->
                (types.size() == 2 || types.size() == 3 && types.get(2).kind().isString())
                    && NumberFormatKernels.takes(types.get(0))
                    && matches(types.subList(1, 2), "N"),
            FORMAT,
            FORMAT_ROW_WISE),
        "format");
    builder.scalar(
        typed(
            types -> types.size() == 1 && NumberFormatKernels.takes(types.get(0)),
            MONEY_FORMAT,
            MONEY_FORMAT_ROW_WISE),
        "money_format");
    builder.scalar(
        typed(types -> matches(types, "SS"), STARTS_WITH, STARTS_WITH_ROW_WISE), "starts_with");
    builder.scalar(
        typed(types -> matches(types, "SS"), ENDS_WITH, ENDS_WITH_ROW_WISE), "ends_with");
    builder.scalar(
        typed(types -> matches(types, "SS"), FIND_IN_SET, FIND_IN_SET_ROW_WISE), "find_in_set");
    builder.scalar(
        types ->
            types.isEmpty()
                ? null
                : StringKernels.withArgumentsAs(
                    CHAR, java.util.Collections.nCopies(types.size(), N)),
        "char");
    builder.scalar(
        typed(types -> matches(types, "S"), NOT_NULL_OR_EMPTY, NOT_NULL_OR_EMPTY_ROW_WISE),
        "not_null_or_empty");
    builder.scalar(typed(types -> matches(types, "S"), QUOTE, QUOTE_ROW_WISE), "quote");
    builder.scalar(
        typed(types -> matches(types, "S"), NULL_OR_EMPTY, NULL_OR_EMPTY_ROW_WISE),
        "null_or_empty");
  }

  /**
   * The UTF-8 length of the text of {@code bytes[offset, offset + length)}: its byte count, unless
   * malformed bytes read as U+FFFD make it longer.
   */
  private static long utf8Length(byte[] bytes, int offset, int length) {
    return VectorKernels.isAscii(bytes, offset, length)
        ? length
        : utf8Length(new String(bytes, offset, length, StandardCharsets.UTF_8));
  }

  static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch < 0x80) {
        bytes += 1;
      } else if (ch < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(ch)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  static int codePoints(String s) {
    return s.codePointCount(0, s.length());
  }

  static void checkResultLength(String function, long length) {
    if (length > MAX_RESULT_LENGTH) {
      throw new BasaltException(
          ErrorCode.WRONG_ARGUMENTS,
          function,
          "result longer than " + MAX_RESULT_LENGTH + " characters");
    }
  }

  /** MySQL SUBSTRING: 1-based {@code start}, negative counts from the end, 0 gives ''. */
  static String substring(String s, long start, long length) {
    int total = codePoints(s);
    if (start == 0 || length <= 0) {
      return "";
    }
    long first = start > 0 ? start - 1 : total + start;
    if (first < 0 || first >= total) {
      return "";
    }
    long last = length >= total - first ? total : first + length;
    int from = s.offsetByCodePoints(0, (int) first);
    int to = s.offsetByCodePoints(from, (int) (last - first));
    return s.substring(from, to);
  }

  /** {@link #trimSpaces} on the bytes of an ASCII row, as {@code (start << 32) | end}. */
  private static long trimmedBounds(
      byte[] bytes, int offset, int length, boolean leading, boolean trailing) {
    int start = 0;
    int end = length;
    while (leading && start < end && bytes[offset + start] == ' ') {
      start++;
    }
    while (trailing && end > start && bytes[offset + end - 1] == ' ') {
      end--;
    }
    return ((long) start << 32) | end;
  }

  private static String trimSpaces(String s, boolean leading, boolean trailing) {
    int start = 0;
    int end = s.length();
    while (leading && start < end && s.charAt(start) == ' ') {
      start++;
    }
    while (trailing && end > start && s.charAt(end - 1) == ' ') {
      end--;
    }
    return s.substring(start, end);
  }

  private static String trimString(String s, String remove, boolean leading, boolean trailing) {
    if (remove.isEmpty()) {
      return s;
    }
    int start = 0;
    int end = s.length();
    while (leading && s.startsWith(remove, start) && start + remove.length() <= end) {
      start += remove.length();
    }
    while (trailing
        && end - remove.length() >= start
        && s.startsWith(remove, end - remove.length())) {
      end -= remove.length();
    }
    return s.substring(start, end);
  }

  /**
   * MySQL LPAD/RPAD: a string longer than {@code length} is cut to it; a negative length gives
   * NULL; an empty pad that would be needed gives '' (Doris; MySQL returns NULL).
   */
  private static String pad(String s, long length, String padding, boolean left) {
    if (length < 0) {
      return null;
    }
    int current = codePoints(s);
    if (length <= current) {
      return substring(s, 1, length);
    }
    if (padding.isEmpty()) {
      return "";
    }
    checkResultLength(left ? "lpad" : "rpad", length);
    int needed = (int) (length - current);
    int[] padPoints = padding.codePoints().toArray();
    StringBuilder fill = new StringBuilder(needed);
    for (int i = 0; i < needed; i++) {
      fill.appendCodePoint(padPoints[i % padPoints.length]);
    }
    return left ? fill + s : s + fill;
  }

  /**
   * 1-based character position of {@code needle} in {@code haystack} at or after {@code start},
   * else 0.
   */
  private static long locate(String needle, String haystack, long start) {
    int total = codePoints(haystack);
    if (start < 1 || start > total + 1) {
      return 0L;
    }
    int from = haystack.offsetByCodePoints(0, (int) start - 1);
    int index = haystack.indexOf(needle, from);
    return index < 0 ? 0L : haystack.codePointCount(0, index) + 1L;
  }

  /**
   * Doris's {@code initcap}: the first letter or digit of each run of letters and digits in upper
   * case, the rest in lower case.
   */
  static String initcap(String text) {
    StringBuilder out = new StringBuilder(text.length());
    boolean wordStart = true;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      boolean alphanumeric = Character.isLetterOrDigit(codePoint);
      out.appendCodePoint(
          alphanumeric && wordStart
              ? Character.toUpperCase(codePoint)
              : Character.toLowerCase(codePoint));
      wordStart = !alphanumeric;
      i += Character.charCount(codePoint);
    }
    return out.toString();
  }

  /**
   * Doris SPLIT_PART: the {@code part}-th field (1-based; negative counts from the end); NULL when
   * the delimiter is empty, the part is 0 or there is no such field.
   */
  private static String splitPart(String s, String delimiter, long part) {
    if (delimiter.isEmpty() || part == 0) {
      return null;
    }
    List<String> fields = new java.util.ArrayList<>();
    int from = 0;
    while (true) {
      int index = s.indexOf(delimiter, from);
      if (index < 0) {
        fields.add(s.substring(from));
        break;
      }
      fields.add(s.substring(from, index));
      from = index + delimiter.length();
    }
    long index = part > 0 ? part - 1 : fields.size() + part;
    return index < 0 || index >= fields.size() ? null : fields.get((int) index);
  }

  /** MySQL SUBSTRING_INDEX. */
  private static String substringIndex(String s, String delimiter, long count) {
    if (delimiter.isEmpty() || count == 0) {
      return "";
    }
    if (count > 0) {
      int index = -delimiter.length();
      for (long i = 0; i < count; i++) {
        index = s.indexOf(delimiter, index + delimiter.length());
        if (index < 0) {
          return s;
        }
      }
      return s.substring(0, index);
    }
    int index = s.length();
    for (long i = 0; i > count; i--) {
      index = index - 1 < 0 ? -1 : s.lastIndexOf(delimiter, index - 1);
      if (index < 0) {
        return s;
      }
    }
    return s.substring(index + delimiter.length());
  }

  private static String digest(String algorithm, String s) {
    try {
      byte[] hash = MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException missing) {
      throw new IllegalStateException("the JDK lacks " + algorithm, missing);
    }
  }

  private static ScalarFunction resolveHex(List<DataType> types) {
    if (types.size() != 1) {
      return null;
    }
    TypeKind kind = types.get(0).kind();
    if (kind.isString()) {
      return RowWiseScalarFunction.of(
          "hex",
          TEXT,
          types,
          List.of(S),
          (a, c) ->
              HexFormat.of()
                  .withUpperCase()
                  .formatHex(((String) a[0]).getBytes(StandardCharsets.UTF_8)));
    }
    return RowWiseScalarFunction.of(
        "hex",
        TEXT,
        types,
        List.of(N),
        (a, c) -> Long.toHexString((Long) a[0]).toUpperCase(Locale.ROOT));
  }

  /**
   * MySQL FORMAT(x, d): rounded half up to {@code decimals} digits, thousands separated by commas.
   */
  static String formatNumber(BigDecimal value, long decimals) {
    int scale = (int) Math.max(0, Math.min(decimals, 30));
    BigDecimal rounded = value.setScale(scale, RoundingMode.HALF_UP);
    String plain = rounded.abs().toPlainString();
    int point = plain.indexOf('.');
    String whole = point < 0 ? plain : plain.substring(0, point);
    StringBuilder text = new StringBuilder();
    if (rounded.signum() < 0) {
      text.append('-');
    }
    for (int i = 0; i < whole.length(); i++) {
      if (i > 0 && (whole.length() - i) % 3 == 0) {
        text.append(',');
      }
      text.append(whole.charAt(i));
    }
    if (point >= 0) {
      text.append(plain, point, plain.length());
    }
    return text.toString();
  }

  /** The text of a value for string functions; exposed for other families. */
  static String text(Object value, DataType type) {
    return Casts.toText(value, type);
  }
}
