package dev.basalt.exec.operator;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.storage.segment.ScanCounters;
import java.util.List;
import java.util.function.Supplier;

/**
 * A leaf that reads a {@link BatchStream} opened on first use: table scans (storage segments of one
 * snapshot) and system tables (information_schema) plug in here.
 */
public final class StreamOperator implements Operator {
  private final List<DataType> types;
  private final Supplier<BatchStream> opener;
  private final ScanCounters counters;
  private BatchStream stream;

  public StreamOperator(List<DataType> types, Supplier<BatchStream> opener) {
    this(types, opener, null);
  }

  /**
   * A leaf whose stream counts its segment reads into {@code counters} (null: none), which a
   * profile shows (segments and rows skipped by zone maps, pages decoded, runtime-filter hits).
   */
  public StreamOperator(List<DataType> types, Supplier<BatchStream> opener, ScanCounters counters) {
    this.types = List.copyOf(types);
    this.opener = opener;
    this.counters = counters;
  }

  /** The counters of the segment reads of this leaf, or null when it reads no segments. */
  public ScanCounters scanCounters() {
    return counters;
  }

  @Override
  public List<DataType> outputTypes() {
    return types;
  }

  @Override
  public Batch next() {
    return read(false);
  }

  /** The stream's {@link BatchStream#nextSelected()}: a scan may hand a dense selection on. */
  @Override
  public Batch nextSelected() {
    return read(true);
  }

  private Batch read(boolean selections) {
    if (stream == null) {
      stream = opener.get();
    }
    Batch batch;
    do {
      batch = selections ? stream.nextSelected() : stream.next();
    } while (batch != null && batch.selectedCount() == 0);
    return batch;
  }

  @Override
  public void close() {
    if (stream != null) {
      stream.close();
    }
  }
}
