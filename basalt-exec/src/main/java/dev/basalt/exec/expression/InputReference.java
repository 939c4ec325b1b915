package dev.basalt.exec.expression;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.exec.function.EvaluationContext;

/** Column {@code index} of the input batch. */
public record InputReference(int index, DataType type) implements Expression {
  @Override
  public ColumnVector evaluate(Batch input, EvaluationContext context) {
    return input.column(index);
  }
}
