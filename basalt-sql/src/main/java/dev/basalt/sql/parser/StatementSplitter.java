package dev.basalt.sql.parser;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a script (a multi-statement query or a file) into statements at semicolons that are not
 * inside quotes, backticks or comments. Each statement keeps its text (trimmed, without the
 * semicolon); empty statements are dropped. Stateless and thread safe.
 */
public final class StatementSplitter {
  private StatementSplitter() {}

  public static List<String> split(String script) {
    List<String> statements = new ArrayList<>();
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
