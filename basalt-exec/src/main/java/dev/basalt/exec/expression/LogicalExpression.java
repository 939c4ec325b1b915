package dev.basalt.exec.expression;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.EvaluationContext;
import java.util.List;

/**
 * AND, OR and NOT with SQL's three-valued logic: {@code FALSE AND NULL} is FALSE, {@code TRUE OR
 * NULL} is TRUE, otherwise NULL wins.
 */
public record LogicalExpression(Kind kind, List<Expression> operands) implements Expression {

  /** The connective. */
  public enum Kind {
    AND,
    OR,
    NOT
  }

  public LogicalExpression {
    operands = List.copyOf(operands);
  }

  @Override
  public DataType type() {
    return DataType.BOOLEAN;
  }

  @Override
  public ColumnVector evaluate(Batch input, EvaluationContext context) {
    int rows = input.rowCount();
    long[] values = new long[rows];
    boolean[] nulls = new boolean[rows];
    if (kind == Kind.NOT) {
      LongVector operand = (LongVector) operands.get(0).evaluate(input, context);
      for (int i = 0; i < rows; i++) {
        nulls[i] = operand.isNull(i);
        values[i] = operand.getLong(i) == 0 ? 1 : 0;
      }
      return new LongVector(DataType.BOOLEAN, values, nulls, rows);
    }
    boolean isAnd = kind == Kind.AND;
    // Start from the identity element: TRUE for AND, FALSE for OR. Each later operand is evaluated
    // only over the rows not yet decided, so `x <> 0 AND 10 / x > 1` never divides by zero and a
    // failing function is not called for rows an earlier operand already settled.
    java.util.Arrays.fill(values, isAnd ? 1 : 0);
    int[] undecided = new int[rows];
    int undecidedCount = rows;
    for (int i = 0; i < rows; i++) {
      undecided[i] = i;
    }
    for (Expression operandExpression : operands) {
      if (undecidedCount == 0) {
        break;
      }
      LongVector operand =
          (LongVector)
              operandExpression.evaluate(Batches.select(input, undecided, undecidedCount), context);
      int stillUndecided = 0;
      for (int position = 0; position < undecidedCount; position++) {
        int row = undecided[position];
        if (operand.isNull(position)) {
          nulls[row] = true;
          undecided[stillUndecided++] = row;
        } else if ((operand.getLong(position) != 0) != isAnd) {
          // FALSE for AND, TRUE for OR decides the row regardless of earlier NULLs.
          values[row] = isAnd ? 0 : 1;
          nulls[row] = false;
        } else {
          undecided[stillUndecided++] = row;
        }
      }
      undecidedCount = stillUndecided;
    }
    return new LongVector(DataType.BOOLEAN, values, nulls, rows);
  }
}
