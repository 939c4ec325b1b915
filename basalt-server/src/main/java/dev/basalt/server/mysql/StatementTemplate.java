package dev.basalt.server.mysql;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The SQL text of a server-side prepared statement, split at its {@code ?} placeholders.
 *
 * <p>A {@code ?} counts as a placeholder only outside string literals ({@code '...'}, {@code
 * "..."}, with backslash escapes and doubled quotes), quoted identifiers ({@code `...`}) and
 * comments ({@code -- }, {@code #}, {@code /* *}{@code /}). {@link #render} puts SQL literals in
 * their place. Immutable and thread safe.
 */
final class StatementTemplate {
  private final String sql;

  /** Where each placeholder is in {@link #sql}, in order. */
  private final int[] placeholders;

  /** The shape of an INSERT whose VALUES are all placeholders; null for any other statement. */
  private final ValuesInsert valuesInsert;

  /**
   * An {@code INSERT ... VALUES (?, ..., ?), (?, ..., ?), ...} whose every value is a placeholder,
   * as Connector/J prepares a batch with {@code useServerPrepStmts=true} and {@code
   * rewriteBatchedStatements=true}: its parameters are the rows, {@code width} values each, in row
   * order.
   *
   * @param oneRowStatement the statement with one row of {@code NULL}s in place of its VALUES list,
   *     for the engine to parse (its head: the table, columns, label)
   * @param width values per row
   * @param rows rows
   */
  record ValuesInsert(String oneRowStatement, int width, int rows) {}

  /** The text before the first placeholder of a values INSERT: {@code ... VALUES (}. */
  private static final Pattern VALUES_HEAD =
      Pattern.compile("(?is)\\s*INSERT\\s.*[\\s)`]VALUES?\\s*\\(\\s*");

  private StatementTemplate(String sql, int[] placeholders) {
    this.sql = sql;
    this.placeholders = placeholders;
    this.valuesInsert = valuesInsert(sql, placeholders);
  }

  static StatementTemplate parse(String sql) {
    int[] placeholders = new int[16];
    int count = 0;
    int length = sql.length();
    int i = 0;
    while (i < length) {
      char c = sql.charAt(i);
      switch (c) {
        case '\'', '"' -> i = skipQuoted(sql, i, c, true);
        case '`' -> i = skipQuoted(sql, i, '`', false);
        case '#' -> i = skipToEndOfLine(sql, i);
        case '-' -> {
          if (i + 1 < length
              && sql.charAt(i + 1) == '-'
              && (i + 2 == length || sql.charAt(i + 2) <= ' ')) {
            i = skipToEndOfLine(sql, i);
          } else {
            i++;
          }
        }
        case '/' -> {
          if (i + 1 < length && sql.charAt(i + 1) == '*') {
            int end = sql.indexOf("*/", i + 2);
            i = end < 0 ? length : end + 2;
          } else {
            i++;
          }
        }
        case '?' -> {
          if (count == placeholders.length) {
            placeholders = Arrays.copyOf(placeholders, 2 * count);
          }
          placeholders[count++] = i;
          i++;
        }
        default -> i++;
      }
    }
    return new StatementTemplate(sql, Arrays.copyOf(placeholders, count));
  }

  /** The values-INSERT shape of {@code sql} (see {@link ValuesInsert}), or null. */
  private static ValuesInsert valuesInsert(String sql, int[] placeholders) {
    if (placeholders.length == 0
        || !VALUES_HEAD.matcher(sql.subSequence(0, placeholders[0])).matches()) {
      return null;
    }
    int width = 0;
    int rows = 1;
    int inRow = 1;
    for (int p = 1; p < placeholders.length; p++) {
      int at = skipSpaces(sql, placeholders[p - 1] + 1);
      if (sql.charAt(at) == ',') {
        inRow++;
      } else if (sql.charAt(at) == ')') {
        at = skipSpaces(sql, at + 1);
        if (sql.charAt(at) != ',') {
          return null;
        }
        at = skipSpaces(sql, at + 1);
        if (sql.charAt(at) != '(') {
          return null;
        }
        if (width != 0 && inRow != width) {
          return null;
        }
        width = inRow;
        inRow = 1;
        rows++;
      } else {
        return null;
      }
      if (skipSpaces(sql, at + 1) != placeholders[p]) {
        return null;
      }
    }
    if (width != 0 && inRow != width) {
      return null;
    }
    width = inRow;
    int at = skipSpaces(sql, placeholders[placeholders.length - 1] + 1);
    if (at == sql.length() || sql.charAt(at) != ')') {
      return null;
    }
    at = skipSpaces(sql, at + 1);
    if (at < sql.length() && sql.charAt(at) == ';') {
      at = skipSpaces(sql, at + 1);
    }
    if (at != sql.length()) {
      return null;
    }
    StringBuilder oneRow = new StringBuilder(placeholders[0] + 6 * width);
    oneRow.append(sql, 0, placeholders[0]).append("NULL");
    for (int i = 1; i < width; i++) {
      oneRow.append(", NULL");
    }
    return new ValuesInsert(oneRow.append(')').toString(), width, rows);
  }

  /** The index of the first character at or after {@code at} that is no whitespace. */
  private static int skipSpaces(String sql, int at) {
    while (at < sql.length() && Character.isWhitespace(sql.charAt(at))) {
      at++;
    }
    return at;
  }

  /** Index just past the closing quote (or the end of the text for an unterminated literal). */
  private static int skipQuoted(String sql, int start, char quote, boolean backslashEscapes) {
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return sql.length();
  }

  private static int skipToEndOfLine(String sql, int start) {
    int end = sql.indexOf('\n', start);
    return end < 0 ? sql.length() : end + 1;
  }

  String sql() {
    return sql;
  }

  int parameterCount() {
    return placeholders.length;
  }

  /** The statement's shape when it is an INSERT whose VALUES are all placeholders, else null. */
  ValuesInsert valuesInsert() {
    return valuesInsert;
  }

  /**
   * A values INSERT's SQL with one copy of its VALUES list per parameter set, the {@code i}-th
   * placeholder of set {@code s} replaced by {@code literals.get(s * parameterCount() + i)}: the
   * statement a COM_STMT_BULK_EXECUTE of it amounts to.
   *
   * @throws IllegalStateException when this is no values INSERT ({@link #valuesInsert} is null)
   */
  String renderSets(List<String> literals) {
    if (valuesInsert == null) {
      throw new IllegalStateException("not an INSERT ... VALUES of placeholders: " + sql);
    }
    int parameters = parameterCount();
    if (literals.isEmpty() || literals.size() % parameters != 0) {
      throw new IllegalArgumentException(
          literals.size() + " literals for sets of " + parameters + " placeholders");
    }
    int valuesStart = sql.lastIndexOf('(', placeholders[0]);
    int valuesEnd = sql.indexOf(')', placeholders[parameters - 1]) + 1;
    StringBuilder text = new StringBuilder(sql.length() * (literals.size() / parameters));
    text.append(sql, 0, valuesStart);
    for (int set = 0; set < literals.size(); set += parameters) {
      if (set > 0) {
        text.append(", ");
      }
      int fragmentStart = valuesStart;
      for (int i = 0; i < parameters; i++) {
        text.append(sql, fragmentStart, placeholders[i]).append(literals.get(set + i));
        fragmentStart = placeholders[i] + 1;
      }
      text.append(sql, fragmentStart, valuesEnd);
    }
    return text.append(sql, valuesEnd, sql.length()).toString();
  }

  /** The SQL with the {@code i}-th placeholder replaced by {@code literals.get(i)}. */
  String render(List<String> literals) {
    if (literals.size() != parameterCount()) {
      throw new IllegalArgumentException(
          literals.size() + " literals for " + parameterCount() + " placeholders");
    }
    if (literals.isEmpty()) {
      return sql;
    }
    int size = sql.length();
    for (String literal : literals) {
      size += literal.length();
    }
    StringBuilder text = new StringBuilder(size);
    int fragmentStart = 0;
    for (int i = 0; i < literals.size(); i++) {
      text.append(sql, fragmentStart, placeholders[i]).append(literals.get(i));
      fragmentStart = placeholders[i] + 1;
    }
    return text.append(sql, fragmentStart, sql.length()).toString();
  }
}
