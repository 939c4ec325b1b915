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

  /** Whether each distinct argument tuple reaches the aggregate once ({@code SUM(DISTINCT x)}). */
  default boolean distinct() {
    return false;
  }

  /**
   * State for all groups of a hash aggregation. Aggregates with a batch implementation override
   * this; the default keeps one {@link #newAccumulator()} per group.
   */
  default GroupedAccumulator newGroupedAccumulator() {
    return new GenericGroupedAccumulator(this);
  }
}
