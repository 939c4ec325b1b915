package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.control.CancellationToken;
import java.util.List;

/**
 * Checks the statement's {@link CancellationToken} before every batch it pulls from its input, so
 * that a killed or timed-out statement stops at the next batch boundary of every operator, also
 * inside the loops of pipeline breakers (hash join build, aggregation, sort) that drain their input
 * before producing anything.
 */
public final class CancellationCheckOperator implements Operator {
  private final Operator input;
  private final CancellationToken cancellation;

  public CancellationCheckOperator(Operator input, CancellationToken cancellation) {
    this.input = input;
    this.cancellation = cancellation;
  }

  @Override
  public List<DataType> outputTypes() {
    return input.outputTypes();
  }

  @Override
  public Batch next() {
    cancellation.check();
    return input.next();
  }

  @Override
  public Batch nextSelected() {
    cancellation.check();
    return input.nextSelected();
  }

  @Override
  public void close() {
    input.close();
  }
}
