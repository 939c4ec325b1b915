package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.spill.BatchSpillFile;
import dev.basalt.exec.spill.SpillPartitions;
import java.util.List;

/**
 * The rows of one spilled partition (see {@link SpillPartitions}) as an operator, so that a hash
 * aggregation or hash join can run again over them one level deeper. Closing it deletes the
 * partition's file unless the partition is shared (the build partitions of a join whose probe runs
 * in several pipelines, deleted when the last of them closes). Not thread safe.
 */
final class SpilledPartitionOperator implements Operator {
  private final List<DataType> types;
  private final SpillPartitions partitions;
  private final int partition;
  private final boolean deleteOnClose;
  private BatchSpillFile.Reader reader;

  SpilledPartitionOperator(List<DataType> types, SpillPartitions partitions, int partition) {
    this(types, partitions, partition, true);
  }

  SpilledPartitionOperator(
      List<DataType> types, SpillPartitions partitions, int partition, boolean deleteOnClose) {
    this.types = List.copyOf(types);
    this.partitions = partitions;
    this.partition = partition;
    this.deleteOnClose = deleteOnClose;
  }

  @Override
  public List<DataType> outputTypes() {
    return types;
  }

  @Override
  public Batch next() {
    if (reader == null) {
      reader = partitions.read(partition);
    }
    return reader.next();
  }

  @Override
  public void close() {
    if (reader != null) {
      reader.close();
    }
    if (deleteOnClose) {
      partitions.delete(partition);
    }
  }
}
