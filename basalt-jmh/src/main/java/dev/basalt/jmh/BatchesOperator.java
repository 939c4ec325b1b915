package dev.basalt.jmh;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.operator.Operator;
import java.util.List;

/**
 * Returns prebuilt batches, as a scan would, so that a benchmark of an operator measures the
 * operator and not the making of its input. The batches are shared, not copied; one instance per
 * run.
 */
public final class BatchesOperator implements Operator {
  private final List<DataType> types;
  private final List<Batch> batches;
  private int next;

  public BatchesOperator(List<DataType> types, List<Batch> batches) {
    this.types = types;
    this.batches = batches;
  }

  @Override
  public List<DataType> outputTypes() {
    return types;
  }

  @Override
  public Batch next() {
    return next < batches.size() ? batches.get(next++) : null;
  }

  @Override
  public void close() {}
}
