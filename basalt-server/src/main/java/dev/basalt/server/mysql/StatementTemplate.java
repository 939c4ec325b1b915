package dev.basalt.server.mysql;

import java.util.ArrayList;
import java.util.List;

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
  private final List<String> fragments;

  private StatementTemplate(String sql, List<String> fragments) {
    this.sql = sql;
    this.fragments = List.copyOf(fragments);
  }

  static StatementTemplate parse(String sql) {
    List<String> fragments = new ArrayList<>();
    int fragmentStart = 0;
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
          fragments.add(sql.substring(fragmentStart, i));
          fragmentStart = i + 1;
          i++;
        }
        default -> i++;
      }
    }
    fragments.add(sql.substring(fragmentStart));
    return new StatementTemplate(sql, fragments);
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
    return fragments.size() - 1;
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
    for (int i = 0; i < literals.size(); i++) {
      text.append(fragments.get(i)).append(literals.get(i));
    }
    return text.append(fragments.getLast()).toString();
  }
}
