package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.expression.Batches;
import java.util.List;

/** Skips {@code offset} rows, then passes at most {@code fetch} rows ({@code -1}: no limit). */
public final class LimitOperator implements Operator {
  private final Operator input;
  private long toSkip;
  private long remaining;

  public LimitOperator(Operator input, long offset, long fetch) {
    this.input = input;
    this.toSkip = offset;
    this.remaining = fetch < 0 ? Long.MAX_VALUE : fetch;
  }

  @Override
  public List<DataType> outputTypes() {
    return input.outputTypes();
  }

  @Override
  public Batch next() {
    while (remaining > 0) {
      Batch batch = input.next();
      if (batch == null) {
        return null;
      }
      int start = (int) Math.min(toSkip, batch.rowCount());
      toSkip -= start;
      int count = (int) Math.min(remaining, batch.rowCount() - start);
      if (count <= 0) {
        continue;
      }
      remaining -= count;
      int[] positions = new int[count];
      for (int i = 0; i < count; i++) {
        positions[i] = start + i;
      }
      return Batches.select(batch, positions, count);
    }
    return null;
  }

  @Override
  public void close() {
    input.close();
  }
}
