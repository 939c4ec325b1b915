package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.exec.function.AggregateFunction;
import java.util.List;

/**
 * One aggregate of a {@link HashAggregateOperator}: the function, the input columns it reads and an
 * optional input column whose TRUE rows alone are aggregated ({@code -1}: none; SQL's {@code FILTER
 * (WHERE ...)}, also produced by Calcite's rewrites).
 */
public record AggregateCall(AggregateFunction function, List<Integer> arguments, int filterColumn) {
  public AggregateCall {
    arguments = List.copyOf(arguments);
  }

  public DataType type() {
    return function.returnType();
  }
}
