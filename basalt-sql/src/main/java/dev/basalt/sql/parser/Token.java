package dev.basalt.sql.parser;

import java.util.Locale;

/**
 * One lexical token of a statement.
 *
 * @param type the kind of token
 * @param value the token's value: the word, the unquoted identifier or string, the number text, the
 *     symbol, or the variable name without {@code @}/{@code @@}
 * @param start offset of the first character in the statement
 * @param end offset after the last character
 * @param line 1-based line of the first character
 * @param column 1-based column of the first character
 */
record Token(TokenType type, String value, int start, int end, int line, int column) {

  /** The kinds of token. */
  enum TokenType {
    /** An unquoted word: keyword or identifier. */
    WORD,
    /** A {@code `backticked`} identifier. */
    QUOTED_IDENTIFIER,
    /** A {@code 'single'} or {@code "double"} quoted string. */
    STRING,
    NUMBER,
    /** {@code @name} or {@code @'name'}: a user variable (or the host of a user identity). */
    USER_VARIABLE,
    /** {@code @@[scope.]name}; {@code value} is the text after {@code @@}. */
    SYSTEM_VARIABLE,
    /** Punctuation or operator. */
    SYMBOL,
    /**
     * The rest of an INSERT's VALUES list, not split into tokens ({@link Lexer#tokenizeStatement}).
     */
    UNREAD,
    END
  }

  boolean isWord(String keyword) {
    return type == TokenType.WORD && value.equalsIgnoreCase(keyword);
  }

  boolean isSymbol(String symbol) {
    return type == TokenType.SYMBOL && value.equals(symbol);
  }

  String upper() {
    return value.toUpperCase(Locale.ROOT);
  }
}
