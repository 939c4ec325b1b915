package dev.basalt.exec.function;

import dev.basalt.common.vector.ColumnVector;
import java.util.List;

/**
 * The running state of one aggregate for one group. Used by one thread.
 *
 * <p>Call order: any number of {@link #add} calls, then {@link #result()} (which may be called more
 * than once and does not change the state, so window frames can read running values).
 */
public interface Accumulator {

  /** Adds row {@code row} of the argument vectors (one per argument; none for {@code count(*)}). */
  void add(List<ColumnVector> arguments, int row);

  /**
   * The aggregate's value for the rows added so far, in the representation of {@link
   * dev.basalt.common.vector.Values}.
   */
  Object result();
}
