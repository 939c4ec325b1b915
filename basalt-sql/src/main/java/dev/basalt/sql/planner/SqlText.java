package dev.basalt.sql.planner;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Query text with MySQL variables ({@code @@version}, {@code @@session.sql_mode}, {@code @x})
 * replaced by placeholder identifiers that Calcite's parser accepts. {@link MysqlRewriter} turns
 * the placeholders into literals; {@link #restoreVariables} puts the original spelling back into
 * column labels, so {@code SELECT @@version_comment} is labelled {@code @@version_comment} as in
 * MySQL.
 */
final class SqlText {
  static final String SYSTEM_PREFIX = "__basalt_sysvar_";
  static final String USER_PREFIX = "__basalt_uservar_";

  /**
   * MySQL's {@code a DIV b} is written {@code a / <marker> b} for Calcite's parser; the rewriter
   * finds the marker between the operands and makes the division an integer division.
   */
  static final String INTEGER_DIVISION_MARKER = "/*basalt_div*/";

  /**
   * MySQL's infix {@code a REGEXP b} (and RLIKE) is written {@code a LIKE <marker> b}, likewise.
   */
  static final String REGEXP_MARKER = "/*basalt_regexp*/";

  /**
   * Doris's {@code b RIGHT SEMI JOIN a} (and RIGHT ANTI), which Calcite's parser lacks, is written
   * {@code b <marker> LEFT SEMI JOIN a}; the rewriter swaps the operands back.
   */
  static final String SWAPPED_JOIN_MARKER = "/*basalt_swapped_join*/";

  /**
   * MySQL's {@code a XOR b} is written {@code a OR <marker> b} (Calcite's parser has no XOR); the
   * rewriter turns such an OR into {@code xor(a, b)} and restores MySQL's precedence (XOR binds
   * tighter than OR).
   */
  static final String XOR_MARKER = "/*basalt_xor*/";

  /**
   * Placed before SECOND where the text said {@code INTERVAL n MICROSECOND}; see {@code
   * MysqlRewriter}'s date arithmetic.
   */
  static final String MICROSECOND_MARKER = "/*basalt_microsecond*/";

  /** One variable reference found in the text. */
  record Variable(
      String placeholder, String original, String name, boolean system, boolean global) {}

  private final String sql;
  private final List<Variable> variables;
  private final String original;
  private final OffsetMap offsets;

  private SqlText(String sql, List<Variable> variables, String original, OffsetMap offsets) {
    this.sql = sql;
    this.variables = List.copyOf(variables);
    this.original = original;
    this.offsets = offsets;
  }

  String sql() {
    return sql;
  }

  /** Whether the text refers to a user or system variable. */
  boolean hasVariables() {
    return !variables.isEmpty();
  }

  Variable variable(String placeholder) {
    for (Variable variable : variables) {
      if (variable.placeholder().equalsIgnoreCase(placeholder)) {
        return variable;
      }
    }
    return null;
  }

  /** {@code text} with every placeholder replaced by the variable as originally written. */
  String restoreVariables(String text) {
    String result =
        text.replace("/ " + INTEGER_DIVISION_MARKER, "DIV")
            .replace("LIKE " + REGEXP_MARKER, "REGEXP")
            .replace("OR " + XOR_MARKER, "XOR");
    for (Variable variable : variables) {
      int index;
      while ((index = result.toLowerCase(Locale.ROOT).indexOf(variable.placeholder())) >= 0) {
        result =
            result.substring(0, index)
                + variable.original()
                + result.substring(index + variable.placeholder().length());
      }
    }
    return result;
  }

  static SqlText substituteVariables(String original) {
    String sql = partitionClauses(withRollupToRollup(convertToCast(original)));
    StringBuilder out = new StringBuilder(sql.length());
    List<Variable> variables = new ArrayList<>();
    int i = 0;
    int length = sql.length();
    OffsetMap offsets = new OffsetMap();
    while (i < length) {
      int inputStart = i;
      int outputStart = out.length();
      char c = sql.charAt(i);
      if (c == '\'' || c == '"') {
        int end = skipQuoted(sql, i, c);
        appendStandardLiteral(out, sql, i + 1, end - 1, c);
        i = end;
      } else if (c == '`') {
        int end = skipQuoted(sql, i, c);
        out.append(sql, i, end);
        i = end;
      } else if (Character.isLetter(c) && (i == 0 || !isIdentifierPart(sql.charAt(i - 1)))) {
        int end = i;
        while (end < length && isIdentifierPart(sql.charAt(end))) {
          end++;
        }
        String word = sql.substring(i, end);
        String replacement;
        if (word.equalsIgnoreCase("DIV")) {
          replacement = "/ " + INTEGER_DIVISION_MARKER;
        } else if (word.equalsIgnoreCase("XOR")) {
          replacement = "OR " + XOR_MARKER;
        } else if (word.equalsIgnoreCase("RIGHT")
            && (nextWord(sql, end).equalsIgnoreCase("SEMI")
                || nextWord(sql, end).equalsIgnoreCase("ANTI"))) {
          replacement = SWAPPED_JOIN_MARKER + " LEFT";
        } else if (SELECT_MODIFIERS.contains(word.toUpperCase(Locale.ROOT))
            && lastWord(out).equalsIgnoreCase("SELECT")) {
          // SELECT SQL_NO_CACHE ... (mysqldump) and other MySQL hints about caching and
          // scheduling: they change nothing in Basalt, so they are dropped.
          replacement = "";
        } else if ((word.equalsIgnoreCase("REGEXP") || word.equalsIgnoreCase("RLIKE"))
            && nextNonSpace(sql, end) != '(') {
          replacement = "LIKE " + REGEXP_MARKER;
        } else if (word.equalsIgnoreCase("CURRENT_USER")
            && nextNonSpace(sql, end) != '('
            && !out.toString().stripTrailing().endsWith(".")) {
          // MySQL's CURRENT_USER needs no parentheses; Calcite knows only its own CURRENT_USER.
          replacement = word + "()";
        } else if (word.equalsIgnoreCase("MICROSECOND")
            && nextNonSpace(sql, end) != '('
            && !out.toString().stripTrailing().endsWith("(")) {
          // INTERVAL n MICROSECOND: Calcite's interval grammar stops at SECOND, so the unit is
          // written as SECOND after a marker that MysqlRewriter turns back into microseconds.
          // MICROSECOND(x), TIMESTAMPDIFF(MICROSECOND, ...) and EXTRACT(MICROSECOND FROM x)
          // keep the word.
          replacement = MICROSECOND_MARKER + " SECOND";
        } else if (CALCITE_GRAMMAR_FUNCTIONS.contains(word.toUpperCase(Locale.ROOT))
            && nextNonSpace(sql, end) == '(') {
          // Quoted, the name is an ordinary function call that Basalt's registry resolves.
          replacement = "`" + word.toLowerCase(Locale.ROOT) + "`";
        } else {
          replacement = castTypeName(out, word, sql, end);
        }
        out.append(replacement);
        i = end;
        if (!replacement.equals(word) && replacement.equals("BIGINT")) {
          // SIGNED INTEGER / UNSIGNED INT: the second word is part of the type name.
          int next = end;
          while (next < length && Character.isWhitespace(sql.charAt(next))) {
            next++;
          }
          for (String suffix : new String[] {"INTEGER", "INT"}) {
            if (followedBy(sql, next, suffix)) {
              i = next + suffix.length();
              break;
            }
          }
        }
      } else if (c == '-'
          && i + 2 < length
          && sql.charAt(i + 1) == '-'
          && sql.charAt(i + 2) > ' ') {
        // MySQL starts a comment at "--" only before a space or control character: "1--2" is
        // 1 - (-2), which Calcite's parser reads once the minus signs are apart.
        out.append("- ");
        i++;
      } else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-' || c == '#') {
        int end = sql.indexOf('\n', i);
        end = end < 0 ? length : end;
        out.append(sql, i, end);
        i = end;
      } else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        end = end < 0 ? length : end + 2;
        if (i + 2 < length && sql.charAt(i + 2) == '+') {
          // Optimizer hints (Doris's /*+ SET_VAR(k = v) */, MySQL's /*+ BKA(t) */) are ignored:
          // written as an ordinary comment so that Calcite's own hint grammar does not see them.
          out.append("/* ").append(sql, i + 2, end);
        } else {
          out.append(sql, i, end);
        }
        i = end;
      } else if (c == '@') {
        boolean system = i + 1 < length && sql.charAt(i + 1) == '@';
        int start = i + (system ? 2 : 1);
        boolean global = false;
        String lower = sql.substring(start).toLowerCase(Locale.ROOT);
        int nameStart = start;
        if (system) {
          for (String scope : new String[] {"session.", "global.", "local."}) {
            if (lower.startsWith(scope)) {
              global = scope.equals("global.");
              nameStart = start + scope.length();
              break;
            }
          }
        }
        int nameEnd = nameStart;
        if (!system && nameEnd < length && sql.charAt(nameEnd) == '`') {
          nameEnd = skipQuoted(sql, nameEnd, '`');
        } else {
          while (nameEnd < length
              && (Character.isLetterOrDigit(sql.charAt(nameEnd))
                  || sql.charAt(nameEnd) == '_'
                  || sql.charAt(nameEnd) == '$')) {
            nameEnd++;
          }
        }
        if (nameEnd == nameStart) {
          out.append(c);
          i++;
          offsets.record(inputStart, i, outputStart, out.length());
          continue;
        }
        String name = sql.substring(nameStart, nameEnd).replace("`", "").toLowerCase(Locale.ROOT);
        String placeholder = (system ? SYSTEM_PREFIX : USER_PREFIX) + variables.size();
        variables.add(new Variable(placeholder, sql.substring(i, nameEnd), name, system, global));
        out.append(placeholder);
        i = nameEnd;
      } else {
        out.append(c);
        i++;
      }
      offsets.record(inputStart, i, outputStart, out.length());
    }
    return new SqlText(out.toString(), variables, sql, offsets);
  }

  /**
   * For each character of the rewritten text, the span of the original text it came from, so that a
   * column label can be cut from what the user wrote ({@code cast(x as string)}), not from the
   * rewritten form.
   */
  private static final class OffsetMap {
    private int[] starts = new int[64];
    private int[] ends = new int[64];
    private int size;

    void record(int inputStart, int inputEnd, int outputStart, int outputEnd) {
      boolean copied = inputEnd - inputStart == outputEnd - outputStart;
      for (int k = outputStart; k < outputEnd; k++) {
        if (size == starts.length) {
          starts = java.util.Arrays.copyOf(starts, size * 2);
          ends = java.util.Arrays.copyOf(ends, size * 2);
        }
        int offset = k - outputStart;
        starts[size] = copied ? inputStart + offset : inputStart;
        ends[size] = copied ? inputStart + offset + 1 : inputEnd;
        size++;
      }
    }
  }

  /** The original text behind {@code rewritten[start, end)}. */
  String originalText(int start, int end) {
    if (start < 0 || end > offsets.size || start >= end) {
      return restoreVariables(sql.substring(Math.max(0, start), Math.min(end, sql.length())));
    }
    return original.substring(offsets.starts[start], offsets.ends[end - 1]);
  }

  /**
   * MySQL's {@code CONVERT(expr, type)} as {@code CAST(expr AS type)} (MariaDB Connector/J's
   * metadata queries use it); {@code CONVERT(expr USING charset)} is left alone.
   */
  static String convertToCast(String sql) {
    int from = 0;
    while (true) {
      int start = findWord(sql, "CONVERT", from);
      if (start < 0) {
        return sql;
      }
      int open = start + "CONVERT".length();
      while (open < sql.length() && Character.isWhitespace(sql.charAt(open))) {
        open++;
      }
      if (open >= sql.length() || sql.charAt(open) != '(') {
        from = start + 1;
        continue;
      }
      int depth = 0;
      int lastComma = -1;
      int close = -1;
      for (int i = open; i < sql.length() && close < 0; i++) {
        char c = sql.charAt(i);
        if (c == '\'' || c == '"' || c == '`') {
          i = skipQuoted(sql, i, c) - 1;
        } else if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
          if (depth == 0) {
            close = i;
          }
        } else if (c == ',' && depth == 1) {
          lastComma = i;
        }
      }
      if (close < 0 || lastComma < 0) {
        from = start + 1;
        continue;
      }
      String expression = sql.substring(open + 1, lastComma);
      String type = sql.substring(lastComma + 1, close).trim();
      sql =
          sql.substring(0, start)
              + "CAST("
              + expression
              + " AS "
              + type
              + ")"
              + sql.substring(close + 1);
      from = start + 1;
    }
  }

  /**
   * MySQL's {@code GROUP BY a, b WITH ROLLUP} as {@code GROUP BY ROLLUP(a, b)}, which Calcite (and
   * Doris) parse. The GROUP BY is the last one before WITH ROLLUP at the same parenthesis depth.
   */
  static String withRollupToRollup(String sql) {
    while (true) {
      int[] groupByEndAtDepth = new int[64];
      java.util.Arrays.fill(groupByEndAtDepth, -1);
      int depth = 0;
      int withStart = -1;
      int rollupEnd = -1;
      for (int i = 0; i < sql.length() && withStart < 0; i++) {
        char c = sql.charAt(i);
        if (c == '\'' || c == '"' || c == '`') {
          i = skipQuoted(sql, i, c) - 1;
        } else if (c == '(') {
          depth = Math.min(depth + 1, groupByEndAtDepth.length - 1);
          groupByEndAtDepth[depth] = -1;
        } else if (c == ')') {
          depth = Math.max(depth - 1, 0);
        } else if (Character.isLetter(c) && (i == 0 || !isIdentifierPart(sql.charAt(i - 1)))) {
          if (followedBy(sql, i, "GROUP")) {
            int by = i + "GROUP".length();
            while (by < sql.length() && Character.isWhitespace(sql.charAt(by))) {
              by++;
            }
            if (followedBy(sql, by, "BY")) {
              groupByEndAtDepth[depth] = by + 2;
            }
          } else if (followedBy(sql, i, "WITH") && groupByEndAtDepth[depth] >= 0) {
            int rollup = i + "WITH".length();
            while (rollup < sql.length() && Character.isWhitespace(sql.charAt(rollup))) {
              rollup++;
            }
            if (followedBy(sql, rollup, "ROLLUP")) {
              withStart = i;
              rollupEnd = rollup + "ROLLUP".length();
            }
          }
        }
      }
      if (withStart < 0) {
        return sql;
      }
      int listStart = groupByEndAtDepth[depth];
      sql =
          sql.substring(0, listStart)
              + " ROLLUP("
              + sql.substring(listStart, withStart).trim()
              + ")"
              + sql.substring(rollupEnd);
    }
  }

  /** What a table reference {@code t PARTITION (p1, p2)} is renamed to: {@code t<marker>p1,p2)}. */
  static final String PARTITION_MARKER = " PARTITION(";

  /**
   * Doris's {@code FROM t PARTITION (p1, p2)}, {@code PARTITIONS (...)} and {@code PARTITION p1},
   * which Calcite's parser lacks, become a reference to the table named {@code `t
   * PARTITION(p1,p2)`} (aliased {@code t} unless the reference has an alias), and {@code FROM t
   * TEMPORARY PARTITION (tp1)} one to {@code `t TEMPORARY PARTITION(tp1)`}: {@link CalciteSchemas}
   * resolves such a name to the table restricted to those partitions. {@code PARTITION BY}
   * (windows) is left alone.
   */
  static String partitionClauses(String sql) {
    if (findWord(sql, "PARTITION", 0) < 0 && findWord(sql, "PARTITIONS", 0) < 0) {
      return sql;
    }
    StringBuilder out = new StringBuilder(sql.length() + 16);
    int i = 0;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        int end = skipQuoted(sql, i, c);
        out.append(sql, i, end);
        i = end;
        continue;
      }
      if (c == '-' && sql.startsWith("--", i) || c == '#') {
        int end = sql.indexOf('\n', i);
        end = end < 0 ? sql.length() : end;
        out.append(sql, i, end);
        i = end;
        continue;
      }
      if (c == '/' && sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        end = end < 0 ? sql.length() : end + 2;
        out.append(sql, i, end);
        i = end;
        continue;
      }
      if (Character.isLetter(c) && (i == 0 || !isIdentifierPart(sql.charAt(i - 1)))) {
        int end = i;
        while (end < sql.length() && isIdentifierPart(sql.charAt(end))) {
          end++;
        }
        String word = sql.substring(i, end);
        int after = rewritePartitionClause(sql, out, word, end);
        if (after > 0) {
          i = after;
          continue;
        }
        out.append(word);
        i = end;
        continue;
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  /** Words after which a table reference has no alias of its own. */
  private static final java.util.Set<String> AFTER_TABLE_REFERENCE =
      java.util.Set.of(
          "WHERE",
          "GROUP",
          "ORDER",
          "LIMIT",
          "HAVING",
          "JOIN",
          "INNER",
          "LEFT",
          "RIGHT",
          "FULL",
          "CROSS",
          "NATURAL",
          "ON",
          "USING",
          "UNION",
          "EXCEPT",
          "INTERSECT",
          "MINUS",
          "WINDOW",
          "STRAIGHT_JOIN",
          "FOR",
          "LATERAL",
          "TABLESAMPLE",
          "QUALIFY",
          "OFFSET",
          "FETCH");

  /**
   * If {@code word} (ending at {@code end}) starts a partition clause after a table name already in
   * {@code out}, rewrites both and returns where the clause ends; otherwise 0.
   */
  private static int rewritePartitionClause(String sql, StringBuilder out, String word, int end) {
    boolean temporary = word.equalsIgnoreCase("TEMPORARY");
    if (temporary) {
      String following = nextWord(sql, end);
      if (!following.equalsIgnoreCase("PARTITION") && !following.equalsIgnoreCase("PARTITIONS")) {
        return 0;
      }
      end = sql.indexOf(following, end) + following.length();
    } else if (!word.equalsIgnoreCase("PARTITION") && !word.equalsIgnoreCase("PARTITIONS")) {
      return 0;
    }
    if (nextWord(sql, end).equalsIgnoreCase("BY")) {
      return 0;
    }
    // The table name just written: `quoted` or a bare identifier, after FROM/JOIN/, or a dot.
    int nameEnd = out.length();
    while (nameEnd > 0 && Character.isWhitespace(out.charAt(nameEnd - 1))) {
      nameEnd--;
    }
    int nameStart;
    String table;
    if (nameEnd > 0 && out.charAt(nameEnd - 1) == '`') {
      nameStart = out.lastIndexOf("`", nameEnd - 2);
      if (nameStart < 0) {
        return 0;
      }
      table = out.substring(nameStart + 1, nameEnd - 1).replace("``", "`");
    } else {
      nameStart = nameEnd;
      while (nameStart > 0 && isIdentifierPart(out.charAt(nameStart - 1))) {
        nameStart--;
      }
      table = out.substring(nameStart, nameEnd);
      if (table.isEmpty() || !Character.isLetter(table.charAt(0))) {
        return 0;
      }
    }
    int beforeName = nameStart;
    while (beforeName > 0 && Character.isWhitespace(out.charAt(beforeName - 1))) {
      beforeName--;
    }
    boolean qualified = beforeName > 0 && out.charAt(beforeName - 1) == '.';
    String previous = lastWord(new StringBuilder(out.substring(0, nameStart)));
    if (!qualified
        && !previous.equalsIgnoreCase("FROM")
        && !previous.equalsIgnoreCase("JOIN")
        && !(beforeName > 0 && out.charAt(beforeName - 1) == ',')) {
      return 0;
    }
    List<String> partitions = new ArrayList<>();
    int i = end;
    while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
      i++;
    }
    boolean list = i < sql.length() && sql.charAt(i) == '(';
    if (list) {
      i++;
    }
    while (true) {
      while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
        i++;
      }
      if (i >= sql.length()) {
        return 0;
      }
      int start = i;
      if (sql.charAt(i) == '`') {
        i = skipQuoted(sql, i, '`');
        partitions.add(sql.substring(start + 1, i - 1).replace("``", "`"));
      } else {
        while (i < sql.length() && isIdentifierPart(sql.charAt(i))) {
          i++;
        }
        if (i == start) {
          return 0;
        }
        partitions.add(sql.substring(start, i));
      }
      if (!list) {
        break;
      }
      while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
        i++;
      }
      if (i < sql.length() && sql.charAt(i) == ',') {
        i++;
        continue;
      }
      if (i < sql.length() && sql.charAt(i) == ')') {
        i++;
        break;
      }
      return 0;
    }
    String next = nextWord(sql, i);
    boolean hasAlias =
        !next.isEmpty() && !AFTER_TABLE_REFERENCE.contains(next.toUpperCase(Locale.ROOT));
    out.setLength(nameStart);
    out.append('`')
        .append(
            (table
                    + (temporary ? " TEMPORARY" : "")
                    + PARTITION_MARKER
                    + String.join(",", partitions)
                    + ")")
                .replace("`", "``"))
        .append('`');
    if (!hasAlias) {
      out.append(" AS `").append(table.replace("`", "``")).append('`');
    }
    return i;
  }

  /**
   * The table names {@link #partitionClauses} made, e.g. {@code t PARTITION(p1,p2)}, as written
   * (without quotes).
   */
  java.util.Set<String> partitionReferences() {
    java.util.Set<String> names = new java.util.HashSet<>();
    int from = 0;
    while ((from = sql.indexOf(PARTITION_MARKER, from)) >= 0) {
      int open = sql.lastIndexOf('`', from);
      int close = sql.indexOf('`', from);
      if (open >= 0 && close > from) {
        names.add(sql.substring(open + 1, close));
      }
      from = from + PARTITION_MARKER.length();
    }
    return names;
  }

  /** The index of {@code word} as a whole word outside quotes at or after {@code from}, or -1. */
  private static int findWord(String sql, String word, int from) {
    for (int i = from; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        i = skipQuoted(sql, i, c) - 1;
      } else if (sql.regionMatches(true, i, word, 0, word.length())
          && (i == 0 || !isIdentifierPart(sql.charAt(i - 1)))
          && (i + word.length() >= sql.length()
              || !isIdentifierPart(sql.charAt(i + word.length())))) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Functions whose names Calcite's grammar gives another syntax (SQL Server's {@code
   * DATEDIFF(unit, a, b)}); MySQL's two-argument forms are called as plain functions instead.
   */
  private static final java.util.Set<String> CALCITE_GRAMMAR_FUNCTIONS =
      java.util.Set.of("DATEDIFF", "UUID");

  private static final java.util.Set<String> SELECT_MODIFIERS =
      java.util.Set.of(
          "SQL_NO_CACHE",
          "SQL_CACHE",
          "SQL_BUFFER_RESULT",
          "SQL_SMALL_RESULT",
          "SQL_BIG_RESULT",
          "HIGH_PRIORITY");

  /** The last word written to {@code out}, skipping spaces and comments; "" if none. */
  private static String lastWord(StringBuilder out) {
    int end = out.length();
    while (true) {
      while (end > 0 && Character.isWhitespace(out.charAt(end - 1))) {
        end--;
      }
      if (end >= 2 && out.charAt(end - 1) == '/' && out.charAt(end - 2) == '*') {
        int open = out.lastIndexOf("/*", end - 2);
        if (open < 0) {
          return "";
        }
        end = open;
        continue;
      }
      break;
    }
    int start = end;
    while (start > 0 && isIdentifierPart(out.charAt(start - 1))) {
      start--;
    }
    return out.substring(start, end);
  }

  private static char nextNonSpace(String sql, int from) {
    int i = from;
    while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
      i++;
    }
    return i < sql.length() ? sql.charAt(i) : 0;
  }

  private static String nextWord(String sql, int from) {
    int start = from;
    while (start < sql.length() && Character.isWhitespace(sql.charAt(start))) {
      start++;
    }
    int end = start;
    while (end < sql.length() && isIdentifierPart(sql.charAt(end))) {
      end++;
    }
    return sql.substring(start, end);
  }

  private static boolean isIdentifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  /**
   * MySQL type names that Calcite does not know, written after {@code AS} inside {@code CAST(...)},
   * become their Calcite spelling: SIGNED/UNSIGNED [INTEGER] are BIGINT, DATETIME is TIMESTAMP,
   * STRING/TEXT and a length-less CHAR are VARCHAR, LARGEINT is DECIMAL(39, 0).
   */
  private static String castTypeName(StringBuilder out, String word, String sql, int end) {
    String trimmed = out.toString().stripTrailing();
    boolean afterAs =
        trimmed.length() >= 2
            && trimmed.regionMatches(true, trimmed.length() - 2, "AS", 0, 2)
            && (trimmed.length() == 2 || !isIdentifierPart(trimmed.charAt(trimmed.length() - 3)));
    if (!afterAs) {
      return word;
    }
    int next = end;
    while (next < sql.length() && Character.isWhitespace(sql.charAt(next))) {
      next++;
    }
    boolean typePosition =
        next < sql.length()
            && (sql.charAt(next) == ')'
                || sql.charAt(next) == '('
                || Character.isLetter(sql.charAt(next)));
    if (!typePosition) {
      return word;
    }
    return switch (word.toUpperCase(Locale.ROOT)) {
      case "SIGNED", "UNSIGNED" -> "BIGINT";
      case "DATETIME", "DATETIMEV2" -> "TIMESTAMP";
      case "DATEV2" -> "DATE";
      case "STRING", "TEXT" -> "VARCHAR";
      // CAST(x AS CHAR) without a length is unbounded text in MySQL, not CHAR(1).
      case "CHAR" -> sql.charAt(next) == '(' ? word : "VARCHAR";
      case "LARGEINT" -> "DECIMAL(39, 0)";
      case "DECIMALV3" -> "DECIMAL";
      default -> word;
    };
  }

  private static boolean followedBy(String sql, int position, String word) {
    return sql.regionMatches(true, position, word, 0, word.length())
        && (position + word.length() >= sql.length()
            || !isIdentifierPart(sql.charAt(position + word.length())));
  }

  /**
   * Appends a MySQL string literal (single- or double-quoted, with backslash escapes and doubled
   * quotes) as a standard SQL literal, which is what Calcite's parser reads: {@code 'it\'s'} and
   * {@code "it's"} both become {@code 'it''s'}; {@code \n}, {@code \t}, {@code \0} ... become the
   * characters themselves. {@code \%} and {@code \_} keep their backslash, as in MySQL, so LIKE
   * patterns still see the escape.
   */
  private static void appendStandardLiteral(
      StringBuilder out, String sql, int start, int end, char quote) {
    out.append('\'');
    for (int i = start; i < end && i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == '\\' && i + 1 < end) {
        char escaped = sql.charAt(++i);
        switch (escaped) {
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'r' -> out.append('\r');
          case 'b' -> out.append('\b');
          case '0' -> out.append('\0');
          case 'Z' -> out.append((char) 26);
          case '%', '_' -> out.append('\\').append(escaped);
          case '\'' -> out.append("''");
          default -> out.append(escaped);
        }
      } else if (c == quote && i + 1 < end && sql.charAt(i + 1) == quote) {
        out.append(quote == '\'' ? "''" : "\"");
        i++;
      } else if (c == '\'') {
        out.append("''");
      } else {
        out.append(c);
      }
    }
    out.append('\'');
  }

  private static int skipQuoted(String sql, int start, char quote) {
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\\' && quote != '`') {
        i += 2;
        continue;
      }
      if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length();
  }
}
