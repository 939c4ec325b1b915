package dev.basalt.sql.parser;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.sql.parser.Token.TokenType;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one statement into {@link Token}s, MySQL style: {@code -- } / {@code #} / {@code /* *\/}
 * comments are skipped, strings in single or double quotes with doubled-quote and backslash
 * escapes, identifiers in backticks. Stateless; not thread-confined.
 */
final class Lexer {
  private final String text;
  private int position;
  private int line = 1;
  private int lineStart;

  private Lexer(String text) {
    this.text = text;
  }

  /** Every token of {@code text}, then END. */
  static List<Token> tokenize(String text) {
    return new Lexer(text).run(Integer.MAX_VALUE, false);
  }

  /**
   * The tokens of a statement for {@link DorisParser}: as {@link #tokenize}, except that in an
   * {@code INSERT} the text after a {@code VALUES} keyword outside parentheses is one {@link
   * TokenType#UNREAD} token (without trailing semicolons): a large VALUES list, which the INSERT
   * reads itself, is not split into tokens only to be joined again.
   */
  static List<Token> tokenizeStatement(String text) {
    return new Lexer(text).run(Integer.MAX_VALUE, true);
  }

  /** At most the first {@code count} tokens of {@code text}, then END. */
  static List<Token> tokenizeHead(String text, int count) {
    return new Lexer(text).run(count, false);
  }

  private List<Token> run(int count, boolean insertValuesUnread) {
    List<Token> tokens = new ArrayList<>();
    boolean insert = false;
    int depth = 0;
    while (tokens.size() < count) {
      skipSpaceAndComments();
      if (position >= text.length()) {
        break;
      }
      Token token = next();
      tokens.add(token);
      if (!insertValuesUnread) {
        continue;
      }
      if (tokens.size() == 1) {
        insert = token.isWord("INSERT");
      } else if (insert && token.isSymbol("(")) {
        depth++;
      } else if (insert && token.isSymbol(")")) {
        depth--;
      } else if (insert && depth == 0 && (token.isWord("VALUES") || token.isWord("VALUE"))) {
        skipSpaceAndComments();
        int end = text.length();
        while (end > position
            && (Character.isWhitespace(text.charAt(end - 1)) || text.charAt(end - 1) == ';')) {
          end--;
        }
        if (end > position) {
          tokens.add(
              new Token(TokenType.UNREAD, "", position, end, line, position - lineStart + 1));
        }
        break;
      }
    }
    tokens.add(
        new Token(TokenType.END, "", text.length(), text.length(), line, position - lineStart + 1));
    return tokens;
  }

  private void skipSpaceAndComments() {
    while (position < text.length()) {
      char c = text.charAt(position);
      if (c == '\n') {
        position++;
        line++;
        lineStart = position;
      } else if (Character.isWhitespace(c)) {
        position++;
      } else if (c == '#'
          || (c == '-'
              && text.startsWith("--", position)
              && (position + 2 >= text.length()
                  || Character.isWhitespace(text.charAt(position + 2))))) {
        while (position < text.length() && text.charAt(position) != '\n') {
          position++;
        }
      } else if (c == '/' && text.startsWith("/*", position)) {
        int close = text.indexOf("*/", position + 2);
        int stop = close < 0 ? text.length() : close + 2;
        while (position < stop) {
          if (text.charAt(position++) == '\n') {
            line++;
            lineStart = position;
          }
        }
      } else {
        return;
      }
    }
  }

  private Token next() {
    int start = position;
    int startLine = line;
    int startColumn = position - lineStart + 1;
    char c = text.charAt(position);
    if (c == '\'' || c == '"') {
      String value = quoted(c, start, startLine, startColumn);
      return new Token(TokenType.STRING, value, start, position, startLine, startColumn);
    }
    if (c == '`') {
      String value = quoted('`', start, startLine, startColumn);
      return new Token(TokenType.QUOTED_IDENTIFIER, value, start, position, startLine, startColumn);
    }
    if (c == '@') {
      if (text.startsWith("@@", position)) {
        position += 2;
        while (position < text.length()
            && (isWordPart(text.charAt(position)) || text.charAt(position) == '.')) {
          position++;
        }
        return new Token(
            TokenType.SYSTEM_VARIABLE,
            text.substring(start + 2, position),
            start,
            position,
            startLine,
            startColumn);
      }
      position++;
      String value;
      if (position < text.length()
          && (text.charAt(position) == '\''
              || text.charAt(position) == '"'
              || text.charAt(position) == '`')) {
        value = quoted(text.charAt(position), start, startLine, startColumn);
      } else {
        int nameStart = position;
        while (position < text.length()
            && (isWordPart(text.charAt(position))
                || text.charAt(position) == '.'
                || text.charAt(position) == '%')) {
          position++;
        }
        value = text.substring(nameStart, position);
      }
      return new Token(TokenType.USER_VARIABLE, value, start, position, startLine, startColumn);
    }
    if (Character.isDigit(c)
        || (c == '.'
            && position + 1 < text.length()
            && Character.isDigit(text.charAt(position + 1)))) {
      return number(start, startLine, startColumn);
    }
    if (isWordPart(c)) {
      while (position < text.length() && isWordPart(text.charAt(position))) {
        position++;
      }
      return new Token(
          TokenType.WORD, text.substring(start, position), start, position, startLine, startColumn);
    }
    for (String symbol : new String[] {"<=>", "<=", ">=", "<>", "!=", ":=", "||", "&&", "->"}) {
      if (text.startsWith(symbol, position)) {
        position += symbol.length();
        return new Token(TokenType.SYMBOL, symbol, start, position, startLine, startColumn);
      }
    }
    position++;
    return new Token(TokenType.SYMBOL, String.valueOf(c), start, position, startLine, startColumn);
  }

  private Token number(int start, int startLine, int startColumn) {
    if (text.startsWith("0x", position) || text.startsWith("0X", position)) {
      position += 2;
      while (position < text.length() && Character.digit(text.charAt(position), 16) >= 0) {
        position++;
      }
    } else {
      while (position < text.length() && Character.isDigit(text.charAt(position))) {
        position++;
      }
      if (position < text.length() && text.charAt(position) == '.') {
        position++;
        while (position < text.length() && Character.isDigit(text.charAt(position))) {
          position++;
        }
      }
      if (position < text.length()
          && (text.charAt(position) == 'e' || text.charAt(position) == 'E')) {
        int save = position;
        position++;
        if (position < text.length()
            && (text.charAt(position) == '+' || text.charAt(position) == '-')) {
          position++;
        }
        if (position < text.length() && Character.isDigit(text.charAt(position))) {
          while (position < text.length() && Character.isDigit(text.charAt(position))) {
            position++;
          }
        } else {
          position = save;
        }
      }
    }
    // A word that starts with digits (e.g. a table named 1abc) is one word.
    if (position < text.length() && isWordPart(text.charAt(position))) {
      while (position < text.length() && isWordPart(text.charAt(position))) {
        position++;
      }
      return new Token(
          TokenType.WORD, text.substring(start, position), start, position, startLine, startColumn);
    }
    return new Token(
        TokenType.NUMBER, text.substring(start, position), start, position, startLine, startColumn);
  }

  private String quoted(char quote, int start, int startLine, int startColumn) {
    StringBuilder value = new StringBuilder();
    position++;
    while (position < text.length()) {
      char c = text.charAt(position);
      if (c == quote) {
        if (position + 1 < text.length() && text.charAt(position + 1) == quote) {
          value.append(quote);
          position += 2;
          continue;
        }
        position++;
        return value.toString();
      }
      if (c == '\\' && quote != '`' && position + 1 < text.length()) {
        char escaped = text.charAt(position + 1);
        value.append(
            switch (escaped) {
              case 'n' -> '\n';
              case 't' -> '\t';
              case 'r' -> '\r';
              case '0' -> '\0';
              case 'b' -> '\b';
              case 'Z' -> (char) 26;
              default -> escaped;
            });
        position += 2;
        continue;
      }
      if (c == '\n') {
        line++;
        lineStart = position + 1;
      }
      value.append(c);
      position++;
    }
    String kind = quote == '`' ? "identifier" : "string";
    String near = text.substring(start, Math.min(text.length(), start + 20));
    throw new BasaltException(
        ErrorCode.SYNTAX_ERROR,
        "unterminated quoted "
            + kind
            + " near '"
            + near
            + "' at line "
            + startLine
            + ", column "
            + startColumn);
  }

  static boolean isWordPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }
}
