package dev.basalt.exec.operator;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import java.util.List;
import java.util.function.Supplier;

/**
 * A leaf that reads a {@link BatchStream} opened on first use: table scans (storage segments of one
 * snapshot) and system tables (information_schema) plug in here.
 */
public final class StreamOperator implements Operator {
  private final List<DataType> types;
  private final Supplier<BatchStream> opener;
  private BatchStream stream;

  public StreamOperator(List<DataType> types, Supplier<BatchStream> opener) {
    this.types = List.copyOf(types);
    this.opener = opener;
  }

  @Override
  public List<DataType> outputTypes() {
    return types;
  }

  @Override
  public Batch next() {
    if (stream == null) {
      stream = opener.get();
    }
    Batch batch;
    do {
      batch = stream.next();
    } while (batch != null && batch.rowCount() == 0);
    return batch;
  }

  @Override
  public void close() {
    if (stream != null) {
      stream.close();
    }
  }
}
