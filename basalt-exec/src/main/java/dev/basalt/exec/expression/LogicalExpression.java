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
    // Start from the identity element: TRUE for AND, FALSE for OR.
    java.util.Arrays.fill(values, isAnd ? 1 : 0);
    for (Expression operandExpression : operands) {
      LongVector operand = (LongVector) operandExpression.evaluate(input, context);
      for (int i = 0; i < rows; i++) {
        boolean decided = !nulls[i] && values[i] == (isAnd ? 0 : 1);
        if (decided) {
          continue;
        }
        if (operand.isNull(i)) {
          nulls[i] = true;
        } else {
          boolean value = operand.getLong(i) != 0;
          if (value != isAnd) {
            // FALSE for AND, TRUE for OR decides the row regardless of earlier NULLs.
            values[i] = isAnd ? 0 : 1;
            nulls[i] = false;
          }
        }
      }
    }
    return new LongVector(DataType.BOOLEAN, values, nulls, rows);
  }
}
