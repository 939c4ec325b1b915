package dev.basalt.meta.catalog;

import java.util.Objects;

/**
 * A column's default: none, SQL NULL, a literal (kept as the text the user wrote, converted to the
 * column type when used), or {@code CURRENT_TIMESTAMP} with an optional fractional precision.
 *
 * @param kind which kind of default
 * @param literal the literal text for {@link Kind#LITERAL}, otherwise {@code null}
 * @param precision fractional-second digits of {@code CURRENT_TIMESTAMP(p)}, otherwise 0
 */
public record DefaultValue(Kind kind, String literal, int precision) {
  /** The kinds of default. */
  public enum Kind {
    NONE,
    NULL,
    LITERAL,
    CURRENT_TIMESTAMP
  }

  public static final DefaultValue NONE = new DefaultValue(Kind.NONE, null, 0);
  public static final DefaultValue NULL = new DefaultValue(Kind.NULL, null, 0);

  public DefaultValue {
    Objects.requireNonNull(kind, "kind");
    if ((kind == Kind.LITERAL) != (literal != null)) {
      throw new IllegalArgumentException("a literal default needs its text, other defaults none");
    }
  }

  public static DefaultValue literal(String text) {
    return new DefaultValue(Kind.LITERAL, text, 0);
  }

  public static DefaultValue currentTimestamp(int precision) {
    return new DefaultValue(Kind.CURRENT_TIMESTAMP, null, precision);
  }
}
