package dev.basalt.exec.expression;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.exec.function.EvaluationContext;

/**
 * A scalar expression evaluated a batch at a time: the result has one value per input row. The
 * input is a compacted batch (no selection vector, see {@link Batch}). Immutable and thread safe;
 * built by the SQL planner from Calcite's row expressions.
 */
public interface Expression {

  DataType type();

  ColumnVector evaluate(Batch input, EvaluationContext context);
}
