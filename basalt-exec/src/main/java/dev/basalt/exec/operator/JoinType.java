package dev.basalt.exec.operator;

/** The join flavours the engine executes; SEMI and ANTI output only the left columns. */
public enum JoinType {
  INNER,
  LEFT,
  RIGHT,
  FULL,
  SEMI,
  ANTI;

  boolean outputsRight() {
    return this != SEMI && this != ANTI;
  }

  /**
   * Whether the output for each probe (left) row depends on that row alone, not on what other probe
   * rows matched (no unmatched build rows are output): such joins can probe from several pipelines.
   */
  public boolean probeOnly() {
    return this == INNER || this == LEFT || this == SEMI || this == ANTI;
  }
}
