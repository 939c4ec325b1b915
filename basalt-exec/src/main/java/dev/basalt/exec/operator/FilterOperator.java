package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.expression.Batches;
import dev.basalt.exec.expression.Expression;
import dev.basalt.exec.function.EvaluationContext;
import java.util.List;

/** Keeps the rows for which the condition is TRUE (not FALSE, not NULL). */
public final class FilterOperator implements Operator {
  private final Operator input;
  private final Expression condition;
  private final EvaluationContext context;

  public FilterOperator(Operator input, Expression condition, EvaluationContext context) {
    this.input = input;
    this.condition = condition;
    this.context = context;
  }

  @Override
  public List<DataType> outputTypes() {
    return input.outputTypes();
  }

  @Override
  public Batch next() {
    for (Batch batch = input.next(); batch != null; batch = input.next()) {
      LongVector matches = (LongVector) condition.evaluate(batch, context);
      int[] kept = new int[batch.rowCount()];
      int count = 0;
      for (int row = 0; row < batch.rowCount(); row++) {
        if (!matches.isNull(row) && matches.getLong(row) != 0) {
          kept[count++] = row;
        }
      }
      if (count > 0) {
        return Batches.select(batch, kept, count);
      }
    }
    return null;
  }

  @Override
  public void close() {
    input.close();
  }
}
