package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.expression.Expression;
import dev.basalt.exec.expression.SelectionFilter;
import dev.basalt.exec.function.EvaluationContext;
import java.util.List;

/**
 * Keeps the rows for which the condition is TRUE (not FALSE, not NULL).
 *
 * <p>The condition runs on the rows its input selects ({@link Operator#nextSelected()}): over a
 * selected batch, such as another filter's, it only evaluates the rows still selected and narrows
 * that selection. {@link #nextSelected()} returns the input's vectors unchanged with the rows that
 * passed as the selection, unless fewer than one in {@link #GATHER_BELOW} passed: then the few
 * survivors are gathered, so that the operators above touch a small batch rather than a large one
 * that is mostly skipped. {@link #next()} gathers every batch (once, however many filters are
 * stacked below).
 */
public final class FilterOperator implements Operator {
  /**
   * A selection keeping fewer than one row in this many is gathered (see docs/benchmarks.md,
   * "Selection vectors").
   */
  static final int GATHER_BELOW = 16;

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
    Batch batch = nextSelected();
    return batch == null ? null : batch.compacted();
  }

  @Override
  public Batch nextSelected() {
    for (Batch batch = input.nextSelected(); batch != null; batch = input.nextSelected()) {
      int[] kept = new int[batch.selectedCount()];
      int count = condition.refine(batch, context, kept, batch.positions(kept));
      if (count == batch.selectedCount()) {
        if (count > 0) {
          return batch;
        }
      } else if (count > 0) {
        Batch selected = batch.withSelection(kept, count);
        return (long) count * GATHER_BELOW < batch.rowCount() ? selected.compacted() : selected;
      }
    }
    return null;
  }

  @Override
  public void close() {
    input.close();
  }
}
