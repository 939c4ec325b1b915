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
 * function that {@linkplain ScalarFunction#takesConstantVectors takes constant vectors} (the
 * arithmetic and comparison operators and the typed kernels of several arguments) as a vector of
 * one row, every other one as a vector of the batch's rows: in {@code (a + 1) * 2} the addition
 * reads 1 and the multiplication reads 2 once per batch, and a call whose arguments are all
 * literals (one Calcite did not fold) still returns a vector of the batch's rows.
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
    // An empty batch gets empty vectors: a constant is then neither converted nor checked, as a
    // literal expanded to no rows is not.
    boolean constantVectors = function.takesConstantVectors() && input.rowCount() > 0;
    for (Expression argument : arguments) {
      values.add(
          constantVectors && argument instanceof Literal literal
              ? ColumnVectorBuilder.constant(literal.type(), literal.value(), 1)
              : argument.evaluate(input, context));
    }
    return function.evaluate(values, input.rowCount(), context);
  }
}
