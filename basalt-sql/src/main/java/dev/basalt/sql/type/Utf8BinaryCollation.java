package dev.basalt.sql.type;

import java.nio.charset.StandardCharsets;
import java.text.CollationKey;
import java.text.Collator;
import java.util.Locale;
import org.apache.calcite.sql.SqlCollation;

/**
 * The collation of every Basalt string inside plans: UTF-8 byte order, case- and accent-sensitive,
 * trailing spaces significant (Doris's {@code utf8mb4_0900_bin}), the order the executor compares
 * strings in ({@code ComparisonFunctions}, ORDER BY, zone maps).
 *
 * <p>Calcite compares string literals while it plans: {@code RexSimplify} folds {@code '｡' < '😀'}
 * and merges the ranges of a {@code Sarg} ({@code c > 'x' AND c < 'y'}, {@code c IN (...)}) by
 * {@code NlsString.compareTo}, which asks the literal's collation for a {@link Collator} and falls
 * back to {@code String.compareTo}, UTF-16 order, without one. UTF-16 order differs from UTF-8 byte
 * order for characters above U+FFFF against U+E000..U+FFFF, so folded results and pruned ranges
 * disagreed with the executor (issue 14, "one comparison definition per type"). Giving every
 * character type this collation ({@link BasaltTypeFactory}) makes Calcite compare by code points,
 * which is UTF-8 byte order.
 *
 * <p>Its name differs from Calcite's default collation's, so types interned by Calcite's global
 * type cache never mix the two. Immutable and thread safe.
 */
public final class Utf8BinaryCollation extends SqlCollation {
  private static final long serialVersionUID = 1L;

  /** The name's strength part, shown in type digests ({@code UTF-8$en_US$utf8_bin}). */
  private static final String STRENGTH = "utf8_bin";

  /** How Calcite prints this collation after a character type. */
  private static final String COLLATE_CLAUSE =
      " COLLATE \"" + StandardCharsets.UTF_8.name() + "$" + Locale.US + "$" + STRENGTH + "\"";

  private static final Utf8BinaryCollation[] BY_COERCIBILITY = new Utf8BinaryCollation[4];

  static {
    for (Coercibility coercibility : Coercibility.values()) {
      BY_COERCIBILITY[coercibility.ordinal()] = new Utf8BinaryCollation(coercibility);
    }
  }

  private Utf8BinaryCollation(Coercibility coercibility) {
    super(coercibility, Locale.US, StandardCharsets.UTF_8, STRENGTH);
  }

  /**
   * {@code text} (a plan or expression as Calcite prints it) without this collation's {@code
   * COLLATE "..."} clauses: every string in a plan has it, so it says nothing to a reader of
   * EXPLAIN, which shows types as before.
   */
  public static String withoutCollateClauses(String text) {
    return text.contains(COLLATE_CLAUSE) ? text.replace(COLLATE_CLAUSE, "") : text;
  }

  /** The collation with the given coercibility. */
  public static Utf8BinaryCollation of(Coercibility coercibility) {
    return BY_COERCIBILITY[coercibility.ordinal()];
  }

  @Override
  public Collator getCollator() {
    return CodePointCollator.INSTANCE;
  }

  /**
   * Three-way comparison of two strings in UTF-8 byte order (by code points; unpaired surrogates,
   * which UTF-8 cannot hold, compare by their UTF-16 value).
   */
  public static int compare(String left, String right) {
    int leftLength = left.length();
    int rightLength = right.length();
    int i = 0;
    int j = 0;
    while (i < leftLength && j < rightLength) {
      int a = left.codePointAt(i);
      int b = right.codePointAt(j);
      if (a != b) {
        return Integer.compare(a, b);
      }
      i += Character.charCount(a);
      j += Character.charCount(b);
    }
    return Boolean.compare(i < leftLength, j < rightLength);
  }

  /** A {@link Collator} that orders strings as {@link #compare} does. */
  private static final class CodePointCollator extends Collator {
    static final CodePointCollator INSTANCE = new CodePointCollator();

    @Override
    public int compare(String source, String target) {
      return Utf8BinaryCollation.compare(source, target);
    }

    @Override
    public CollationKey getCollationKey(String source) {
      return source == null ? null : new CodePointKey(source);
    }

    @Override
    public boolean equals(Object that) {
      return that instanceof CodePointCollator;
    }

    @Override
    public int hashCode() {
      return CodePointCollator.class.hashCode();
    }
  }

  /** The key of one string under {@link CodePointCollator}. */
  private static final class CodePointKey extends CollationKey {
    CodePointKey(String source) {
      super(source);
    }

    @Override
    public int compareTo(CollationKey target) {
      return Utf8BinaryCollation.compare(getSourceString(), target.getSourceString());
    }

    @Override
    public byte[] toByteArray() {
      return getSourceString().getBytes(StandardCharsets.UTF_8);
    }
  }
}
