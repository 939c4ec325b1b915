package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.exec.expression.Expression;
import dev.basalt.exec.function.EvaluationContext;
import java.util.ArrayList;
import java.util.List;

/** Computes one output column per expression. */
public final class ProjectOperator implements Operator {
  private final Operator input;
  private final List<Expression> expressions;
  private final List<DataType> types;
  private final EvaluationContext context;

  public ProjectOperator(Operator input, List<Expression> expressions, EvaluationContext context) {
    this.input = input;
    this.expressions = List.copyOf(expressions);
    this.types = this.expressions.stream().map(Expression::type).toList();
    this.context = context;
  }

  @Override
  public List<DataType> outputTypes() {
    return types;
  }

  @Override
  public Batch next() {
    Batch batch = input.next();
    if (batch == null) {
      return null;
    }
    List<ColumnVector> columns = new ArrayList<>(expressions.size());
    for (Expression expression : expressions) {
      columns.add(expression.evaluate(batch, context));
    }
    return new Batch(columns, batch.rowCount());
  }

  @Override
  public void close() {
    input.close();
  }
}
