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
}
