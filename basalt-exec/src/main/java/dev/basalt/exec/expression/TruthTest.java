package dev.basalt.exec.expression;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.EvaluationContext;

/**
 * {@code x IS [NOT] TRUE} / {@code x IS [NOT] FALSE}: compares a boolean with {@code expected},
 * treating NULL as neither; never NULL itself.
 */
public record TruthTest(Expression operand, boolean expected, boolean negated)
    implements Expression {
  @Override
  public DataType type() {
    return DataType.BOOLEAN;
  }

  @Override
  public ColumnVector evaluate(Batch input, EvaluationContext context) {
    LongVector value = (LongVector) operand.evaluate(input, context);
    int rows = input.rowCount();
    long[] result = new long[rows];
    for (int i = 0; i < rows; i++) {
      boolean matches = !value.isNull(i) && (value.getLong(i) != 0) == expected;
      result[i] = matches != negated ? 1 : 0;
    }
    return new LongVector(DataType.BOOLEAN, result, null, rows);
  }
}
