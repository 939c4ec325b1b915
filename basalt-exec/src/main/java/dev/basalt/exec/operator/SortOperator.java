package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import java.util.List;

/**
 * ORDER BY with optional OFFSET/LIMIT. Materializes its input (the vectorized engine will replace
 * this with a spilling sort and a TopN heap, issue #2 leaves that to the engine issue).
 */
public final class SortOperator implements Operator {
  private final Operator input;
  private final List<SortKey> keys;
  private final long offset;
  private final long fetch;
  private RowBuffer output;

  /** {@code fetch} of -1 means no limit. */
  public SortOperator(Operator input, List<SortKey> keys, long offset, long fetch) {
    this.input = input;
    this.keys = List.copyOf(keys);
    this.offset = offset;
    this.fetch = fetch;
  }

  @Override
  public List<DataType> outputTypes() {
    return input.outputTypes();
  }

  @Override
  public Batch next() {
    if (output == null) {
      List<Object[]> rows = RowBuffer.drain(input);
      rows.sort(SortKey.comparator(keys));
      int from = (int) Math.min(offset, rows.size());
      int to = fetch < 0 || fetch > rows.size() - from ? rows.size() : (int) (from + fetch);
      output = new RowBuffer(input.outputTypes(), rows.subList(from, to));
    }
    return output.next();
  }

  @Override
  public void close() {
    input.close();
  }
}
