package dev.basalt.exec.expression;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectors;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.ScalarFunction;
import java.util.ArrayList;
import java.util.List;

/**
 * A call of a resolved {@link ScalarFunction} (this includes casts).
 *
 * <p>A {@linkplain #isConstant constant} argument (a literal, or a call on literals only) reaches a
 * function that {@linkplain ScalarFunction#takesConstantVectors takes constant vectors} (the
 * arithmetic and comparison operators and the typed kernels of several arguments) as a vector of
 * one row, every other one as a vector of the batch's rows: in {@code (a + 1) * 2} the addition
 * reads 1 and the multiplication reads 2 once per batch.
 *
 * <p>A constant call (one Calcite did not fold, such as {@code CONCAT('a', 'b')} or {@code
 * DATE_FORMAT('2024-01-01', '%Y')}, nested or not) is computed on one row per batch, and that value
 * is repeated for the batch's rows where the consumer needs them all. The answer, and an error, are
 * those of the same call on every row: each row would compute the same value from the same
 * literals. A call of a function that is not {@linkplain ScalarFunction#isDeterministic
 * deterministic} (RAND(), UUID()) is not constant and is computed for every row. An empty batch
 * computes nothing (a call that would fail does not fail on an empty input), as before.
 */
public record FunctionCall(ScalarFunction function, List<Expression> arguments)
    implements Expression {

  /** The input of a constant call: one row and no columns (a constant reads none). */
  private static final Batch ONE_ROW = new Batch(List.of(), 1);

  public FunctionCall {
    arguments = List.copyOf(arguments);
  }

  @Override
  public DataType type() {
    return function.returnType();
  }

  /**
   * Whether every row gets the same value: the function is deterministic and each argument is a
   * literal or a constant call.
   */
  public boolean isConstant() {
    if (!function.isDeterministic()) {
      return false;
    }
    for (Expression argument : arguments) {
      if (!isConstant(argument)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isConstant(Expression expression) {
    return expression instanceof Literal
        || (expression instanceof FunctionCall call && call.isConstant());
  }

  @Override
  public ColumnVector evaluate(Batch input, EvaluationContext context) {
    int rowCount = input.rowCount();
    if (rowCount > 1 && isConstant()) {
      ColumnVector one = call(ONE_ROW, context);
      // Repeated by gathering row 0, not through getObject: a string result's bytes need not be
      // UTF-8 (UNHEX('FF')), and a String would not keep them.
      return ColumnVectors.take(one, new int[rowCount], rowCount);
    }
    return call(input, context);
  }

  private ColumnVector call(Batch input, EvaluationContext context) {
    List<ColumnVector> values = new ArrayList<>(arguments.size());
    // An empty batch gets empty vectors: a constant is then neither converted nor checked, as a
    // literal expanded to no rows is not.
    boolean constantVectors = function.takesConstantVectors() && input.rowCount() > 0;
    for (Expression argument : arguments) {
      values.add(
          constantVectors && isConstant(argument)
              ? argument.evaluate(ONE_ROW, context)
              : argument.evaluate(input, context));
    }
    return function.evaluate(values, input.rowCount(), context);
  }
}
