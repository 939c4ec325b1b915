package dev.basalt.sql.parser;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import java.util.Locale;
import java.util.Set;

/**
 * What an EXPLAIN prints, from the words between {@code EXPLAIN} and the statement ({@link
 * Statement.Explain#level()}): Doris's plan types ({@code PARSED}, {@code ANALYZED}, {@code
 * REWRITTEN}/{@code LOGICAL}, {@code OPTIMIZED}/{@code PHYSICAL}, {@code SHAPE}, {@code MEMO},
 * {@code DISTRIBUTED}, {@code ALL}, each followed by {@code PLAN}) and levels ({@code VERBOSE},
 * {@code TREE}, {@code GRAPH}, {@code PLAN}, {@code DUMP}, {@code PROCESS}), and MySQL's {@code
 * ANALYZE} (docs/sql.md, "What a query did, operator by operator").
 */
public enum ExplainLevel {
  /** The operator tree with pipelines and what is pushed into each scan (plain EXPLAIN). */
  PHYSICAL,
  /** Calcite's optimized relational plan: Doris's logical plan types. */
  LOGICAL,
  /** Runs the query and prints each operator's counters. */
  ANALYZE;

  private static final Set<String> LOGICAL_WORDS =
      Set.of("PARSED", "ANALYZED", "REWRITTEN", "LOGICAL");

  private static final Set<String> PHYSICAL_WORDS =
      Set.of(
          "OPTIMIZED",
          "PHYSICAL",
          "SHAPE",
          "MEMO",
          "DISTRIBUTED",
          "ALL",
          "VERBOSE",
          "TREE",
          "GRAPH",
          "PLAN",
          "DUMP",
          "PROCESS");

  /**
   * The level the words ask for (upper case, separated by single spaces; empty: plain EXPLAIN).
   *
   * @throws BasaltException SYNTAX_ERROR (1064) for a word that is none of the above
   */
  public static ExplainLevel of(String words) {
    ExplainLevel level = PHYSICAL;
    for (String word : words.strip().split(" +")) {
      String upper = word.toUpperCase(Locale.ROOT);
      if (upper.isEmpty() || PHYSICAL_WORDS.contains(upper)) {
        continue;
      }
      if (upper.equals("ANALYZE")) {
        return ANALYZE;
      }
      if (LOGICAL_WORDS.contains(upper)) {
        level = LOGICAL;
        continue;
      }
      throw new BasaltException(
          ErrorCode.SYNTAX_ERROR,
          "unknown EXPLAIN option '"
              + word
              + "': use EXPLAIN [VERBOSE], EXPLAIN {PHYSICAL | OPTIMIZED | LOGICAL | REWRITTEN"
              + " | ANALYZED | PARSED} PLAN, or EXPLAIN ANALYZE");
    }
    return level;
  }
}
