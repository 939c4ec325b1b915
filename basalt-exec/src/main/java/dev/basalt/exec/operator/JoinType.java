package dev.basalt.exec.operator;

/**
 * The join flavours the engine executes. SEMI and ANTI output only the left (probe) columns; their
 * RIGHT_ forms hash the left input of the query's semi join: they probe with its other input and
 * output only the right (build) columns, once per build row that some probe row matched
 * (RIGHT_SEMI) or that none matched (RIGHT_ANTI).
 *
 * <p>MARK and NULL_AWARE_ANTI evaluate an {@code IN} / {@code EXISTS} subquery per probe row in
 * SQL's three-valued logic: the row's mark is the OR, over all build rows, of the join condition
 * (the keys and the residual): TRUE when some build row makes it TRUE, else NULL when some build
 * row makes it NULL, else FALSE (also for an empty build side). Keys compared with {@code =} are
 * the subquery's comparisons ({@code a IN (SELECT b ...)}: a NULL on either side makes the pair
 * NULL, not FALSE); keys compared with {@code IS NOT DISTINCT FROM} select the build rows of the
 * probe row's subquery (its correlation values). MARK outputs every probe row followed by its mark
 * (BOOLEAN); NULL_AWARE_ANTI outputs the probe rows whose mark is FALSE ({@code NOT IN}).
 */
public enum JoinType {
  INNER,
  LEFT,
  RIGHT,
  FULL,
  SEMI,
  ANTI,
  RIGHT_SEMI,
  RIGHT_ANTI,
  MARK,
  NULL_AWARE_ANTI;

  /** Whether each output row holds the left (probe) row's columns. */
  boolean outputsLeft() {
    return this != RIGHT_SEMI && this != RIGHT_ANTI;
  }

  /** Whether each output row holds the right (build) row's columns. */
  boolean outputsRight() {
    return this != SEMI && this != ANTI && !marks();
  }

  /** Whether each probe row's mark (MARK, NULL_AWARE_ANTI) decides its output. */
  boolean marks() {
    return this == MARK || this == NULL_AWARE_ANTI;
  }

  /** Whether probe rows without any accepted match are output (LEFT, FULL, ANTI and the marks). */
  boolean outputsUnmatchedProbeRows() {
    return this == LEFT || this == FULL || this == ANTI || marks();
  }

  /** Whether the output is made of matched pairs as they are found (INNER, LEFT, RIGHT, FULL). */
  boolean outputsPairs() {
    return outputsLeft() && outputsRight();
  }

  /** Whether build rows are output once the probe is over, by whether they matched. */
  boolean outputsBuildRowsAtEnd() {
    return this == RIGHT || this == FULL || this == RIGHT_SEMI || this == RIGHT_ANTI;
  }
}
