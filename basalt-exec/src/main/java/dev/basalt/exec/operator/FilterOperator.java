package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.expression.Batches;
import dev.basalt.exec.expression.Expression;
import dev.basalt.exec.expression.SelectionFilter;
import dev.basalt.exec.function.EvaluationContext;
import java.util.List;

/** Keeps the rows for which the condition is TRUE (not FALSE, not NULL). */
public final class FilterOperator implements Operator {
  private final Operator input;
  private final SelectionFilter condition;
  private final EvaluationContext context;

  public FilterOperator(Operator input, Expression condition, EvaluationContext context) {
    this.input = input;
    this.condition = SelectionFilter.of(condition);
    this.context = context;
  }

  @Override
  public List<DataType> outputTypes() {
    return input.outputTypes();
  }

  @Override
  public Batch next() {
    for (Batch batch = input.next(); batch != null; batch = input.next()) {
      int[] kept = new int[batch.rowCount()];
      int count = condition.select(batch, context, kept);
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
