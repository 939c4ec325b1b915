package dev.basalt.server.it;

import java.util.List;

/**
 * One record of a sqllogictest file, as {@link SqlLogicTestParser} reads it. {@code line} is the
 * 1-based line of the record's header in its file, for failure messages.
 */
sealed interface SqlLogicRecord {

  int line();

  /** {@code statement ok} or {@code statement error}; {@code expectedError} is null for ok. */
  record Statement(int line, String sql, boolean expectError, String expectedError)
      implements SqlLogicRecord {}

  /**
   * {@code query <types> [sort]}: {@code types} holds one letter per column (I, R or T), {@code
   * expectedLines} the lines after {@code ----} (possibly none).
   */
  record Query(int line, String sql, String types, SortMode sortMode, List<String> expectedLines)
      implements SqlLogicRecord {}

  /** {@code restart}: close the server, start a new one on the same data directory, reconnect. */
  record Restart(int line) implements SqlLogicRecord {}

  /**
   * {@code loop variable from to}: runs the records up to the matching {@code endloop} with {@code
   * ${variable}} = from, from + 1, ..., to - 1. {@code endIndex} is the index of the matching
   * {@link EndLoop} in the record list.
   */
  record Loop(int line, String variable, int from, int to, int endIndex)
      implements SqlLogicRecord {}

  /** {@code endloop}; {@code loopIndex} is the index of the matching {@link Loop}. */
  record EndLoop(int line, int loopIndex) implements SqlLogicRecord {}

  /** {@code mode output_result}: print actual results instead of checking them. */
  record OutputResultMode(int line) implements SqlLogicRecord {}

  /** {@code halt}: stop running the file here; what ran so far decides the outcome. */
  record Halt(int line) implements SqlLogicRecord {}

  /** How a query's rows are ordered before comparison. */
  enum SortMode {
    /** Compare rows in the order the server returned them. */
    NOSORT,
    /** Sort rows (as lists of normalised values) on both sides. */
    ROWSORT,
    /** Sort all values individually on both sides, ignoring row boundaries. */
    VALUESORT
  }
}
