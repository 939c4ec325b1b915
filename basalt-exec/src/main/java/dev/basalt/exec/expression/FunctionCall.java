package dev.basalt.exec.expression;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.ScalarFunction;
import java.util.ArrayList;
import java.util.List;

/**
 * A call of a resolved {@link ScalarFunction} (this includes casts). A literal argument reaches a
 * function that {@linkplain ScalarFunction#takesConstantVectors takes constant vectors} as a vector
 * of one row, every other one as a vector of the batch's rows.
 */
public record FunctionCall(ScalarFunction function, List<Expression> arguments)
    implements Expression {
  public FunctionCall {
    arguments = List.copyOf(arguments);
  }

  @Override
  public DataType type() {
    return function.returnType();
  }

  @Override
  public ColumnVector evaluate(Batch input, EvaluationContext context) {
    List<ColumnVector> values = new ArrayList<>(arguments.size());
    boolean constantVectors = function.takesConstantVectors();
    for (Expression argument : arguments) {
      values.add(
          constantVectors && argument instanceof Literal literal
              ? ColumnVectorBuilder.constant(literal.type(), literal.value(), 1)
              : argument.evaluate(input, context));
    }
    return function.evaluate(values, input.rowCount(), context);
  }
}
