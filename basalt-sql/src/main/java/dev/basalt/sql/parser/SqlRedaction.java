package dev.basalt.sql.parser;

import dev.basalt.common.error.BasaltException;
import dev.basalt.sql.parser.Token.TokenType;
import java.util.List;

/**
 * SQL text fit for a log: every string and number literal replaced by {@code ?}, so that logged
 * statements keep their shape (which tables, which columns) but not the data or passwords they
 * carry. Text that does not lex (an unterminated string) is cut where the literal starts. Stateless
 * and thread safe.
 */
public final class SqlRedaction {
  /** Logged statements are cut to this many characters after redaction. */
  public static final int MAX_LOGGED_CHARACTERS = 500;

  private SqlRedaction() {}

  /**
   * {@code sql} with its literals replaced and its comments dropped (a comment may hold anything),
   * cut to {@link #MAX_LOGGED_CHARACTERS}; null stays null.
   */
  public static String redact(String sql) {
    if (sql == null) {
      return null;
    }
    List<Token> tokens;
    boolean unterminated = false;
    try {
      // Every token adds at least one character, so no more are needed to fill the log line.
      tokens = Lexer.tokenizeHead(sql, MAX_LOGGED_CHARACTERS + 1);
    } catch (BasaltException unlexable) {
      // Keep only what precedes the first quote: the rest may be an unterminated literal.
      tokens = Lexer.tokenizeHead(sql.substring(0, firstQuote(sql)), MAX_LOGGED_CHARACTERS + 1);
      unterminated = true;
    }
    StringBuilder redacted = new StringBuilder(Math.min(sql.length(), MAX_LOGGED_CHARACTERS));
    int previousEnd = -1;
    for (Token token : tokens) {
      if (token.type() == TokenType.END) {
        break;
      }
      if (previousEnd >= 0 && token.start() > previousEnd) {
        redacted.append(' ');
      }
      boolean literal = token.type() == TokenType.STRING || token.type() == TokenType.NUMBER;
      redacted.append(literal ? "?" : sql.substring(token.start(), token.end()));
      previousEnd = token.end();
      if (redacted.length() > MAX_LOGGED_CHARACTERS) {
        break;
      }
    }
    if (unterminated) {
      redacted.append(redacted.isEmpty() ? "?" : " ?");
    }
    if (redacted.length() > MAX_LOGGED_CHARACTERS) {
      redacted.setLength(MAX_LOGGED_CHARACTERS);
      redacted.append("...");
    }
    return redacted.toString();
  }

  private static int firstQuote(String sql) {
    for (int index = 0; index < sql.length(); index++) {
      char c = sql.charAt(index);
      if (c == '\'' || c == '"' || c == '`') {
        return index;
      }
    }
    return sql.length();
  }
}
