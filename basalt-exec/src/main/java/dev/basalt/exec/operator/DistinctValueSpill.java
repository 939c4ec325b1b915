package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.exec.function.SpillableDistinctAccumulator;
import dev.basalt.exec.memory.MemoryReservation;
import dev.basalt.exec.spill.BatchSpillFile;
import dev.basalt.exec.spill.SpillPartitions;
import java.nio.file.Path;
import java.util.List;

/**
 * The spilled argument tuples of one DISTINCT aggregate of a {@link HashAggregateOperator} without
 * GROUP BY, once the budget refused to let its set of seen tuples grow: while the input lasts each
 * batch's tuples that the (frozen) set does not hold go, by their hash, to {@link SpillPartitions}
 * partitions (a tuple the set holds was already counted and is dropped). At the end of the input
 * the operator makes the accumulator forget its set, and {@link #fold} adds the partitions to it
 * one at a time, each with a new set: tuples are disjoint between partitions and from the first
 * set, so each reaches the inner aggregate once (see {@link SpillableDistinctAccumulator}). A
 * partition whose set does not fit either freezes the same way and splits one level deeper, up to
 * {@link SpillPartitions#MAX_LEVEL}, past which the statement fails with MEM_LIMIT_EXCEEDED.
 *
 * <p>The sets' memory is reserved in the operator's {@link MemoryReservation}, the files' bytes
 * charged to its spill limit and shown in its profile like a grouped aggregation's partitions. Call
 * order: {@link #add} per input batch, then {@link #fold} once, then {@link #close()} (also on
 * failure; deletes what is left). Owned by one operator; not thread safe.
 */
final class DistinctValueSpill implements AutoCloseable {
  private final SpillableDistinctAccumulator accumulator;
  private final List<DataType> types;
  private final Path directory;
  private final MemoryReservation memory;
  private final SpillPartitions partitions;
  private final int level;
  private int[] unseen = new int[0];
  private int[] groupZero = new int[0];

  /**
   * @param types the aggregate's argument types, the columns spilled
   * @param level the spill level of the partitions this one writes (0 for the operator's input)
   */
  DistinctValueSpill(
      SpillableDistinctAccumulator accumulator,
      List<DataType> types,
      Path directory,
      MemoryReservation memory,
      int level) {
    this.accumulator = accumulator;
    this.types = List.copyOf(types);
    this.directory = directory;
    this.memory = memory;
    this.level = level;
    int[] tupleColumns = new int[types.size()];
    for (int i = 0; i < tupleColumns.length; i++) {
      tupleColumns[i] = i;
    }
    this.partitions =
        new SpillPartitions(directory, types, tupleColumns, level, memory::addSpilled);
    memory.spillPartitions(SpillPartitions.FANOUT);
  }

  /**
   * Spills the rows {@code positions[0 .. count)} ({@code null}: {@code 0 .. count - 1}) of {@code
   * arguments} (vectors {@code rowCount} long) whose tuple the accumulator's set does not hold.
   */
  void add(List<ColumnVector> arguments, int rowCount, int[] positions, int count) {
    if (unseen.length < count) {
      unseen = new int[Math.max(count, unseen.length * 2)];
    }
    int unseenCount =
        accumulator.unseenRows(arguments, groupZero(rowCount), positions, count, unseen);
    partitions.add(new Batch(arguments, rowCount), unseen, unseenCount);
  }

  /** Group id 0 for rows {@code 0 .. rowCount - 1}: the one group of an aggregation. */
  private int[] groupZero(int rowCount) {
    if (groupZero.length < rowCount) {
      groupZero = new int[Math.max(rowCount, groupZero.length * 2)];
    }
    return groupZero;
  }

  /**
   * Adds every spilled tuple to the accumulator, whose set must have been forgotten since the last
   * {@link #add}; the accumulator's set is empty again afterwards.
   */
  void fold() {
    for (int partition = 0; partition < SpillPartitions.FANOUT; partition++) {
      if (partitions.rowCount(partition) == 0) {
        partitions.delete(partition);
        continue;
      }
      DistinctValueSpill deeper = foldPartition(partition);
      if (deeper != null) {
        try (deeper) {
          deeper.fold();
        }
      }
    }
  }

  /**
   * Adds the tuples of one partition to the accumulator with a new set; once the budget refuses
   * that set more memory, the partition's remaining tuples go to a deeper spill, which is returned
   * (null if the partition fit) after the set was forgotten and its memory returned.
   */
  private DistinctValueSpill foldPartition(int partition) {
    int partitionLevel = level + 1;
    long base = accumulator.variableBytes();
    long reported = 0;
    long reserved = 0;
    DistinctValueSpill deeper = null;
    try (BatchSpillFile.Reader reader = partitions.read(partition)) {
      for (Batch batch = reader.next(); batch != null; batch = reader.next()) {
        int rowCount = batch.rowCount();
        if (deeper != null) {
          deeper.add(batch.columns(), rowCount, null, rowCount);
          continue;
        }
        accumulator.addBatch(batch.columns(), groupZero(rowCount), null, rowCount);
        long grown = accumulator.variableBytes() - base;
        if (grown > reported) {
          if (partitionLevel >= SpillPartitions.MAX_LEVEL) {
            // Past the last level: reserve or fail alone with MEM_LIMIT_EXCEEDED.
            memory.add(grown - reported);
            reserved += grown - reported;
          } else if (memory.tryAdd(grown - reported)) {
            reserved += grown - reported;
          } else {
            // This batch's tuples stay in the set (unreserved, one batch's worth); no more come.
            deeper = new DistinctValueSpill(accumulator, types, directory, memory, partitionLevel);
          }
          reported = grown;
        }
      }
    } catch (RuntimeException e) {
      if (deeper != null) {
        deeper.close();
      }
      throw e;
    } finally {
      partitions.delete(partition);
    }
    accumulator.forgetValues();
    memory.free(reserved);
    return deeper;
  }

  @Override
  public void close() {
    partitions.close();
  }
}
