package dev.basalt.exec.function;

import dev.basalt.common.type.DataType;

/**
 * An aggregate function bound to argument types by {@link FunctionRegistry#resolveAggregate}.
 * Stateless and thread safe; the per-group state lives in the {@link Accumulator}s it creates.
 */
public interface AggregateFunction {

  String name();

  DataType returnType();

  Accumulator newAccumulator();
}
