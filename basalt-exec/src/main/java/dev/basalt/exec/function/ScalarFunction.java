package dev.basalt.exec.function;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import java.util.List;

/**
 * A scalar function bound to concrete argument types by {@link FunctionRegistry#resolveScalar}.
 *
 * <p>{@link #evaluate} receives one vector per argument, each of {@code rowCount} rows, and returns
 * a vector of {@code rowCount} rows of {@link #returnType()}. A function whose {@link
 * #takesConstantVectors()} is true may also receive <b>constant vectors</b>: an argument of one row
 * (a literal) that stands for the same value in every row, so that it is never copied into a full
 * vector and the kernel reads it once; any other argument has {@code rowCount} rows.
 * Implementations are stateless and thread safe. User-caused failures (bad values) throw {@link
 * dev.basalt.common.error.BasaltException}; MySQL semantics decide when a bad value is an error and
 * when it is NULL.
 */
public interface ScalarFunction {

  String name();

  DataType returnType();

  ColumnVector evaluate(List<ColumnVector> arguments, int rowCount, EvaluationContext context);

  /**
   * Whether {@link #evaluate} accepts constant vectors (one row for every row, see above) for
   * literal arguments. The default is false: callers then expand a literal to {@code rowCount}
   * rows.
   */
  default boolean takesConstantVectors() {
    return false;
  }

  /**
   * Whether the function gives the same result for the same arguments throughout a statement. The
   * default is true; RAND() and UUID() are not (a value per row). A deterministic call whose
   * arguments are all literals is computed once per batch ({@link
   * dev.basalt.exec.expression.FunctionCall}); {@code now()} and {@code curdate()} are
   * deterministic, as they read the statement's start time ({@link EvaluationContext}).
   */
  default boolean isDeterministic() {
    return true;
  }

  /**
   * Whether a call may be evaluated over rows a filter rejected, for the sake of the rows it kept
   * ({@link dev.basalt.exec.expression.SpeculativeEvaluation}): {@link #evaluate} is {@linkplain
   * #isDeterministic deterministic}, has no effect beyond its result, takes time and memory linear
   * in the rows whatever their values, and a value it cannot compute (an overflow, a bad cast)
   * makes it throw a {@link dev.basalt.common.error.BasaltException}, never anything else. The
   * caller then evaluates the kept rows alone again, so that a rejected row's error never reaches
   * the user. The default is false: functions that read the context's clock or random state, or
   * whose cost depends on a value (REPEAT, LPAD), must keep it.
   */
  default boolean evaluatesRejectedRows() {
    return false;
  }

  /**
   * A selection kernel for a call of this function with one column and one constant argument, used
   * by {@link dev.basalt.exec.expression.SelectionFilter}: keeps, in order, those of {@code
   * positions[0 .. count)} whose row of {@code column} gives TRUE (not FALSE, not NULL), and
   * returns how many it kept. Returns -1, leaving {@code positions} as they were, when the function
   * has no such kernel for these vectors (the caller then evaluates the call as usual). The default
   * has none.
   *
   * @param column the column argument, a whole batch
   * @param constant the constant argument as a vector of one row
   * @param constantFirst whether the constant is the first argument and the column the second
   */
  default int selectWithConstant(
      ColumnVector column,
      ColumnVector constant,
      boolean constantFirst,
      int[] positions,
      int count) {
    return -1;
  }
}
