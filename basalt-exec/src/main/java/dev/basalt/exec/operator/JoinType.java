package dev.basalt.exec.operator;

/**
 * The join flavours the engine executes. SEMI and ANTI output only the left (probe) columns; their
 * RIGHT_ forms hash the left input of the query's semi join: they probe with its other input and
 * output only the right (build) columns, once per build row that some probe row matched
 * (RIGHT_SEMI) or that none matched (RIGHT_ANTI).
 */
public enum JoinType {
  INNER,
  LEFT,
  RIGHT,
  FULL,
  SEMI,
  ANTI,
  RIGHT_SEMI,
  RIGHT_ANTI;

  /** Whether each output row holds the left (probe) row's columns. */
  boolean outputsLeft() {
    return this != RIGHT_SEMI && this != RIGHT_ANTI;
  }

  /** Whether each output row holds the right (build) row's columns. */
  boolean outputsRight() {
    return this != SEMI && this != ANTI;
  }

  /** Whether the output is made of matched pairs as they are found (INNER, LEFT, RIGHT, FULL). */
  boolean outputsPairs() {
    return outputsLeft() && outputsRight();
  }

  /** Whether build rows are output once the probe is over, by whether they matched. */
  boolean outputsBuildRowsAtEnd() {
    return this == RIGHT || this == FULL || this == RIGHT_SEMI || this == RIGHT_ANTI;
  }

  /**
   * Whether the output for each probe (left) row depends on that row alone, not on what other probe
   * rows matched (no unmatched build rows are output): such joins can probe from several pipelines.
   */
  public boolean probeOnly() {
    return this == INNER || this == LEFT || this == SEMI || this == ANTI;
  }
}
