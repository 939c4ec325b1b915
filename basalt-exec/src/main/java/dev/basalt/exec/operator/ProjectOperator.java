package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.exec.expression.Batches;
import dev.basalt.exec.expression.ColumnReferences;
import dev.basalt.exec.expression.Expression;
import dev.basalt.exec.expression.InputReference;
import dev.basalt.exec.expression.Projection;
import dev.basalt.exec.expression.SpeculativeEvaluation;
import dev.basalt.exec.function.EvaluationContext;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Computes one output column per expression ({@link Projection}: a call that occurs in several is
 * computed once).
 *
 * <p>Over a batch with a selection ({@link Operator#nextSelected()}): a projection of bare columns
 * passes the input's vectors on with its selection (no copy at all). Asked for a selection itself,
 * a projection whose expressions {@linkplain SpeculativeEvaluation#applies may see rejected rows}
 * evaluates them over every row of a {@linkplain SpeculativeEvaluation#dense dense} selection's
 * vectors and passes the selection on (TPC-H q01's {@code l_extendedprice * (1 - l_discount)} under
 * its pushed date filter). Otherwise, and once such an evaluation has thrown (a rejected row may be
 * at fault), it gathers, once per batch, just the columns its expressions read and evaluates them
 * over those rows, giving a compacted batch.
 */
public final class ProjectOperator implements Operator {
  private final Operator input;
  private final List<Expression> expressions;
  private final Projection projection;
  private final List<DataType> types;
  private final EvaluationContext context;

  /** The input column of each output column when every expression is one; otherwise null. */
  private final int[] bareColumns;

  /** The input columns the expressions read (all of them when one cannot tell). */
  private final BitSet readColumns;

  /**
   * Whether {@link #nextSelected()} evaluates over dense selections' every row: every expression
   * may, and none has thrown there yet (after a throw this operator gathers for good).
   */
  private boolean speculative;

  public ProjectOperator(Operator input, List<Expression> expressions, EvaluationContext context) {
    this.input = input;
    this.expressions = List.copyOf(expressions);
    this.types = this.expressions.stream().map(Expression::type).toList();
    this.context = context;
    this.bareColumns =
        this.expressions.stream().allMatch(e -> e instanceof InputReference)
            ? this.expressions.stream().mapToInt(e -> ((InputReference) e).index()).toArray()
            : null;
    this.readColumns = new BitSet();
    for (Expression expression : this.expressions) {
      if (!ColumnReferences.collect(expression, readColumns, false)) {
        readColumns.set(0, input.outputTypes().size());
      }
    }
    this.projection = new Projection(this.expressions, input.outputTypes().size());
    this.speculative = this.expressions.stream().allMatch(SpeculativeEvaluation::applies);
  }

  @Override
  public List<DataType> outputTypes() {
    return types;
  }

  @Override
  public Batch next() {
    Batch batch = project(false);
    return batch == null ? null : batch.compacted();
  }

  @Override
  public Batch nextSelected() {
    return project(true);
  }

  /** The next batch; with a selection only if {@code selections}, or for bare columns. */
  private Batch project(boolean selections) {
    Batch batch = input.nextSelected();
    if (batch == null) {
      return null;
    }
    if (bareColumns != null) {
      List<ColumnVector> columns = new ArrayList<>(bareColumns.length);
      for (int column : bareColumns) {
        columns.add(batch.column(column));
      }
      return batch.hasSelection()
          ? Batch.selected(columns, batch.rowCount(), batch.selection(), batch.selectedCount())
          : new Batch(columns, batch.rowCount());
    }
    if (selections && speculative && batch.hasSelection() && SpeculativeEvaluation.dense(batch)) {
      Batch evaluated = SpeculativeEvaluation.evaluate(projection, batch, context);
      if (evaluated != null) {
        return evaluated;
      }
      speculative = false;
    }
    Batch rows = batch.hasSelection() ? gatherReadColumns(batch) : batch;
    return new Batch(projection.evaluate(rows, context), rows.rowCount());
  }

  /**
   * The selected rows of the columns the expressions read, as a compacted batch; a column no
   * expression reads is stood in for by one that is read (or is left out when none is).
   */
  private Batch gatherReadColumns(Batch batch) {
    List<ColumnVector> columns = Batches.gather(batch, readColumns);
    ColumnVector standIn = columns.stream().filter(c -> c != null).findFirst().orElse(null);
    if (standIn == null) {
      return new Batch(List.of(), batch.selectedCount());
    }
    columns.replaceAll(column -> column == null ? standIn : column);
    return new Batch(columns, batch.selectedCount());
  }

  @Override
  public void close() {
    input.close();
  }
}
