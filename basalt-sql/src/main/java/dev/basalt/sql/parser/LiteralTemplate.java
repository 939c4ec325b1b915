package dev.basalt.sql.parser;

import dev.basalt.common.error.BasaltException;
import dev.basalt.sql.parser.Token.TokenType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A text statement with its string and number literals replaced by {@code ?} placeholders, and the
 * literals' values: the key under which text statements that differ only in literals share one
 * cached plan (docs/architecture.md, "Plan cache"), found with the lexer alone (no parsing, no
 * Calcite). Whether the template's plan may really be shared is decided by the planner ({@code
 * PlanParameters}); a template only proposes it.
 *
 * @param sql the statement with {@code ?} in place of each literal; the text between tokens is kept
 * @param values per placeholder, in order: {@link String}, {@link Long}, {@link BigInteger}, {@link
 *     BigDecimal} (a number with a point) or {@link Double} (a number with an exponent)
 */
public record LiteralTemplate(String sql, List<Object> values) {
  /**
   * Words after which a literal is part of a typed or prefixed literal ({@code DATE '2024-01-01'},
   * {@code INTERVAL 1 DAY}, {@code X'0A'}): such a literal is not a value a placeholder can take.
   */
  private static final Set<String> LITERAL_PREFIXES =
      Set.of("DATE", "TIME", "TIMESTAMP", "DATETIME", "INTERVAL", "X", "B", "N", "BINARY");

  public LiteralTemplate {
    values = java.util.Collections.unmodifiableList(new ArrayList<>(values));
  }

  /**
   * The template of {@code sql}, or null when it has no literal or when one cannot become a
   * placeholder: a comment (it may hold a hint), a double-quoted string, a hexadecimal number, a
   * typed or prefixed literal, a {@code ?} already there, or text that does not lex.
   */
  public static LiteralTemplate of(String sql) {
    List<Token> tokens;
    try {
      tokens = Lexer.tokenize(sql);
    } catch (BasaltException unlexable) {
      return null;
    }
    StringBuilder template = new StringBuilder(sql.length());
    List<Object> values = new ArrayList<>();
    int previousEnd = 0;
    Token previous = null;
    for (Token token : tokens) {
      if (!sql.substring(previousEnd, token.start()).isBlank()) {
        return null; // a comment
      }
      template.append(sql, previousEnd, token.start());
      if (token.type() == TokenType.END) {
        break;
      }
      if (token.isSymbol("?")) {
        return null;
      }
      boolean literal = token.type() == TokenType.STRING || token.type() == TokenType.NUMBER;
      if (literal) {
        if (previous != null
            && previous.type() == TokenType.WORD
            && (LITERAL_PREFIXES.contains(previous.upper()) || previous.value().startsWith("_"))) {
          return null;
        }
        Object value =
            token.type() == TokenType.STRING
                ? (sql.charAt(token.start()) == '\'' ? token.value() : null)
                : number(token.value());
        if (value == null) {
          return null;
        }
        values.add(value);
        template.append('?');
      } else {
        template.append(sql, token.start(), token.end());
      }
      previousEnd = token.end();
      previous = token;
    }
    return values.isEmpty() ? null : new LiteralTemplate(template.toString(), values);
  }

  private static Object number(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.startsWith("0x")) {
      return null;
    }
    if (lower.contains("e")) {
      return Double.valueOf(text);
    }
    if (lower.contains(".")) {
      return new BigDecimal(text);
    }
    BigInteger integer = new BigInteger(text);
    return integer.bitLength() < 64 ? (Object) integer.longValueExact() : integer;
  }
}
