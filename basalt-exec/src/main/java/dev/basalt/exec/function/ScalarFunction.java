package dev.basalt.exec.function;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import java.util.List;

/**
 * A scalar function bound to concrete argument types by {@link FunctionRegistry#resolveScalar}.
 *
 * <p>{@link #evaluate} receives one vector per argument, each of {@code rowCount} rows (constant
 * arguments arrive as vectors of repeated values), and returns a vector of {@code rowCount} rows of
 * {@link #returnType()}. Implementations are stateless and thread safe. User-caused failures (bad
 * values) throw {@link dev.basalt.common.error.BasaltException}; MySQL semantics decide when a bad
 * value is an error and when it is NULL.
 */
public interface ScalarFunction {

  String name();

  DataType returnType();

  ColumnVector evaluate(List<ColumnVector> arguments, int rowCount, EvaluationContext context);
}
