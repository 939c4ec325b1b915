package dev.basalt.exec.expression;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.EvaluationContext;

/** {@code x IS NULL} or, when {@code negated}, {@code x IS NOT NULL}; never NULL itself. */
public record NullTest(Expression operand, boolean negated) implements Expression {
  @Override
  public DataType type() {
    return DataType.BOOLEAN;
  }

  @Override
  public ColumnVector evaluate(Batch input, EvaluationContext context) {
    ColumnVector value = operand.evaluate(input, context);
    int rows = input.rowCount();
    long[] result = new long[rows];
    for (int i = 0; i < rows; i++) {
      result[i] = value.isNull(i) != negated ? 1 : 0;
    }
    return new LongVector(DataType.BOOLEAN, result, null, rows);
  }
}
