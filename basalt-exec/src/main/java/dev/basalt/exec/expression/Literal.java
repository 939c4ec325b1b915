package dev.basalt.exec.expression;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.function.EvaluationContext;

/**
 * A constant, in the representation of {@link dev.basalt.common.vector.Values}; {@code null} is SQL
 * NULL.
 */
public record Literal(Object value, DataType type) implements Expression {
  @Override
  public ColumnVector evaluate(Batch input, EvaluationContext context) {
    return ColumnVectorBuilder.constant(type, value, input.rowCount());
  }
}
