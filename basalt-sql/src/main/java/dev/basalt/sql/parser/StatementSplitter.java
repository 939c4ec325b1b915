package dev.basalt.sql.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a script (a multi-statement query or a file) into statements at semicolons that are not
 * inside quotes, backticks or comments. Each statement keeps its text (trimmed, without the
 * semicolon); empty statements are dropped. MySQL's executable comments are resolved first (see
 * {@link #expandVersionComments}). Stateless and thread safe.
 */
public final class StatementSplitter {
  /**
   * The MySQL version Basalt claims in executable comments: {@code 5.7.99} as Doris reports, so
   * {@code /*!40101 ... *}{@code /} and {@code /*!50700 ... *}{@code /} run and {@code /*!80000 ...
   * *}{@code /} is ignored.
   */
  public static final int SERVER_VERSION_NUMBER = 50799;

  private StatementSplitter() {}

  public static List<String> split(String rawScript) {
    String script = expandVersionComments(rawScript);
    List<String> statements = new ArrayList<>();
    if (script.indexOf(';') < 0) {
      // No semicolon at all, so one statement (a multi-row INSERT of 150 KB is the common case):
      // the same answer as the scan below, without walking every quoted literal.
      add(statements, script);
      return statements;
    }
    int start = 0;
    int position = 0;
    int length = script.length();
    while (position < length) {
      char c = script.charAt(position);
      if (c == '\'' || c == '"' || c == '`') {
        position = skipQuoted(script, position, c);
      } else if (c == '#'
          || (c == '-'
              && script.startsWith("--", position)
              && (position + 2 >= length || Character.isWhitespace(script.charAt(position + 2))))) {
        int newline = script.indexOf('\n', position);
        position = newline < 0 ? length : newline + 1;
      } else if (c == '/' && script.startsWith("/*", position)) {
        int close = script.indexOf("*/", position + 2);
        position = close < 0 ? length : close + 2;
      } else if (c == ';') {
        add(statements, script.substring(start, position));
        position++;
        start = position;
      } else {
        position++;
      }
    }
    add(statements, script.substring(start));
    return statements;
  }

  /**
   * Resolves MySQL's executable comments as mysqld does: {@code /*! text *}{@code /} is replaced by
   * its text, {@code /*!NNNNN text *}{@code /} (a five- or six-digit version) by its text when the
   * version is at most {@link #SERVER_VERSION_NUMBER} and by a space otherwise. Other comments
   * (including optimizer hints {@code /*+ ... *}{@code /}), quoted text and backticked names are
   * left untouched.
   */
  public static String expandVersionComments(String script) {
    if (!script.contains("/*!")) {
      return script;
    }
    StringBuilder out = new StringBuilder(script.length());
    int position = 0;
    int length = script.length();
    while (position < length) {
      char c = script.charAt(position);
      if (c == '\'' || c == '"' || c == '`') {
        int end = skipQuoted(script, position, c);
        out.append(script, position, end);
        position = end;
      } else if (c == '#'
          || (c == '-'
              && script.startsWith("--", position)
              && (position + 2 >= length || Character.isWhitespace(script.charAt(position + 2))))) {
        int newline = script.indexOf('\n', position);
        int end = newline < 0 ? length : newline + 1;
        out.append(script, position, end);
        position = end;
      } else if (c == '/' && script.startsWith("/*!", position)) {
        int close = script.indexOf("*/", position + 3);
        int end = close < 0 ? length : close;
        int textStart = position + 3;
        int digits = 0;
        while (textStart + digits < end && Character.isDigit(script.charAt(textStart + digits))) {
          digits++;
        }
        boolean kept = true;
        if (digits >= 5) {
          // MySQL reads five digits, or six when the sixth is a digit too (versions >= 10.0.0).
          int versionDigits = digits >= 6 ? 6 : 5;
          kept =
              Integer.parseInt(script.substring(textStart, textStart + versionDigits))
                  <= SERVER_VERSION_NUMBER;
          textStart += versionDigits;
        }
        out.append(' ');
        if (kept) {
          // The content may hold further executable comments or quoted text.
          out.append(expandVersionComments(script.substring(textStart, end)));
          out.append(' ');
        }
        position = close < 0 ? length : close + 2;
      } else if (c == '/' && script.startsWith("/*", position)) {
        int close = script.indexOf("*/", position + 2);
        int end = close < 0 ? length : close + 2;
        out.append(script, position, end);
        position = end;
      } else {
        out.append(c);
        position++;
      }
    }
    return out.toString();
  }

  private static int skipQuoted(String script, int position, char quote) {
    int i = position + 1;
    while (i < script.length()) {
      char c = script.charAt(i);
      if (c == '\\' && quote != '`') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < script.length() && script.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return script.length();
  }

  private static void add(List<String> statements, String statement) {
    String trimmed = statement.strip();
    if (!trimmed.isEmpty()) {
      statements.add(trimmed);
    }
  }
}
