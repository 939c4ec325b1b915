package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.memory.MemoryEstimates;
import dev.basalt.exec.memory.MemoryReservation;
import dev.basalt.exec.memory.QueryMemoryBudget;
import dev.basalt.exec.spill.BatchSpillFile;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of one input, computed once and read by several consumers: the planner puts a spool
 * where a query holds the same subtree twice (a view or CTE referenced twice, as TPC-H q15's {@code
 * revenue0}, read by a join and by {@code MAX(total_revenue)}), see docs/resource-control.md.
 *
 * <p>The first {@link SpoolReader#next()} of any reader drains the input: batches stay in memory
 * while the query's budget grants them (as {@code SpoolOperator}); past that, the rest goes to one
 * {@link BatchSpillFile} (charged to the statement's spill limit), or, without a spill directory,
 * the statement fails with MEM_LIMIT_EXCEEDED. Each reader then returns the held batches and then
 * the file's, in the order the input produced them. Held batches are shared: readers and their
 * consumers never modify an input batch (the contract of every operator here).
 *
 * <p>Call order: {@link #reader()} once per consumer while the plan is built; the spool owns its
 * input and closes it, frees its memory and deletes its file when the last reader closes. Thread
 * safe: readers may run on different threads (materialization happens under the spool's lock).
 */
public final class Spool {
  private static final String OPERATOR_NAME = "SpoolOperator";

  private final Operator input;
  private final QueryMemoryBudget budget;
  private final MemoryReservation memory;
  private final List<Batch> held = new ArrayList<>();
  private BatchSpillFile spilled;
  private boolean materialized;
  private boolean released;
  private int openReaders;

  public Spool(Operator input, QueryMemoryBudget budget) {
    this.input = input;
    this.budget = budget;
    this.memory = budget.reservation(OPERATOR_NAME);
  }

  public List<DataType> outputTypes() {
    return input.outputTypes();
  }

  /** A new consumer of the spooled rows; closing it ends this consumer's interest. */
  public synchronized Operator reader() {
    if (released) {
      throw new IllegalStateException("spool already released");
    }
    openReaders++;
    return new SpoolReader();
  }

  /** Drains the input once; afterwards {@link #held} and {@link #spilled} no longer change. */
  private synchronized void materialize() {
    if (materialized) {
      return;
    }
    for (Batch batch = input.next(); batch != null; batch = input.next()) {
      if (batch.rowCount() == 0) {
        continue;
      }
      if (spilled == null) {
        long bytes = MemoryEstimates.batch(batch);
        if (memory.tryAdd(bytes)) {
          held.add(batch);
          continue;
        }
        if (budget.spillDirectory() == null) {
          memory.add(bytes); // fails the statement with MEM_LIMIT_EXCEEDED, naming this operator
          held.add(batch);
          continue;
        }
        spilled =
            new BatchSpillFile(budget.spillDirectory(), input.outputTypes(), memory::addSpilled);
        memory.spillPartitions(1);
      }
      spilled.append(batch, allRows(batch.rowCount()), batch.rowCount());
    }
    if (spilled != null) {
      spilled.finishWriting();
    }
    input.close();
    materialized = true;
  }

  private static int[] allRows(int count) {
    int[] rows = new int[count];
    for (int row = 0; row < count; row++) {
      rows[row] = row;
    }
    return rows;
  }

  private synchronized Batch heldBatch(int index) {
    return index < held.size() ? held.get(index) : null;
  }

  private synchronized BatchSpillFile spilledFile() {
    return spilled;
  }

  private synchronized void readerClosed() {
    openReaders--;
    if (openReaders > 0 || released) {
      return;
    }
    released = true;
    held.clear();
    memory.close();
    if (spilled != null) {
      spilled.delete();
    }
    if (!materialized) {
      input.close();
    }
  }

  /** One consumer's pass over the spooled rows. Not thread safe (one consumer, one thread). */
  private final class SpoolReader implements Operator {
    private int nextHeld;
    private BatchSpillFile.Reader fileReader;
    private boolean closed;

    @Override
    public List<DataType> outputTypes() {
      return input.outputTypes();
    }

    @Override
    public Batch next() {
      materialize();
      Batch batch = heldBatch(nextHeld);
      if (batch != null) {
        nextHeld++;
        return batch;
      }
      BatchSpillFile file = spilledFile();
      if (file == null) {
        return null;
      }
      if (fileReader == null) {
        fileReader = file.reader();
      }
      return fileReader.next();
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (fileReader != null) {
        fileReader.close();
      }
      readerClosed();
    }
  }
}
