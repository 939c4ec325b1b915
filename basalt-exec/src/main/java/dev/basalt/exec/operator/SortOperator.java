package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.ColumnVectors;
import dev.basalt.exec.memory.MemoryEstimates;
import dev.basalt.exec.memory.MemoryReservation;
import dev.basalt.exec.memory.QueryMemoryBudget;
import dev.basalt.exec.spill.BatchSpillFile;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * ORDER BY with optional OFFSET/LIMIT, on typed column vectors. Without a limit it buffers its
 * input batches ({@link ColumnChunks}), sorts the row positions with the typed kernel ({@link
 * PositionSort}: stable, so rows with equal keys keep their input order) and gathers the output
 * batch by batch. With a limit it is a TopN: it keeps the best {@code offset + fetch} rows seen so
 * far as sorted typed vectors, lets through only input rows that beat the last of them, and
 * re-sorts and cuts back to {@code offset + fetch} rows whenever as many candidates again have
 * gathered, so memory stays proportional to the limit (at most twice it, plus one batch) rather
 * than to the input; the answer equals the stable sort's, since a candidate equal to the last kept
 * row arrived later and loses the tie.
 *
 * <p>The rows held are reserved in the statement's {@link QueryMemoryBudget}. A full sort whose
 * rows do not fit spills: when the budget refuses more, the rows held are sorted and written as
 * typed blocks to a {@link BatchSpillFile} (a run) in the budget's spill directory and dropped from
 * memory; at the end the runs are merged (an external merge sort, stable because runs hold
 * consecutive stretches of the input and ties go to the earlier run). Without a spill directory, or
 * past the budget's spill limit, the sort fails with MEM_LIMIT_EXCEEDED. A TopN never spills: it
 * holds only its limit. Spill files are deleted when the operator closes. Not thread safe.
 */
public final class SortOperator implements Operator {
  /** Above this many rows to keep, a full sort is cheaper than a TopN buffer of that size. */
  private static final long TOP_N_MAX_ROWS = 1 << 20;

  /** Memory one open run reader holds besides its current batch (its read buffer). */
  private static final long RUN_READER_BYTES = 32 * 1024;

  /**
   * Rows per block of a spilled run: the merge holds one block of every run at once, so blocks are
   * small.
   */
  private static final int RUN_BLOCK_ROWS = 128;

  private final Operator input;
  private final List<DataType> types;
  private final List<SortKey> keys;
  private final long offset;
  private final long fetch;
  private final QueryMemoryBudget budget;
  private final MemoryReservation memory;
  private final List<BatchSpillFile> runs = new ArrayList<>();
  private boolean prepared;
  private List<ColumnVector> sorted;
  private int[] order;
  private int cursor;
  private int end;
  private RunMerger merger;

  /** {@code fetch} of -1 means no limit. */
  public SortOperator(
      Operator input, List<SortKey> keys, long offset, long fetch, QueryMemoryBudget budget) {
    this.input = input;
    this.types = input.outputTypes();
    this.keys = List.copyOf(keys);
    this.offset = offset;
    this.fetch = fetch;
    this.budget = budget;
    this.memory = budget.reservation(fetch < 0 ? "SortOperator" : "SortOperator(TopN)");
  }

  @Override
  public List<DataType> outputTypes() {
    return types;
  }

  @Override
  public Batch next() {
    if (!prepared) {
      prepared = true;
      long limit = fetch < 0 || fetch > Long.MAX_VALUE - offset ? -1 : offset + fetch;
      if (limit >= 0 && limit <= TOP_N_MAX_ROWS) {
        topRows((int) limit);
      } else {
        sortAll();
      }
      if (!runs.isEmpty()) {
        merger = new RunMerger(offset, limit < 0 ? -1 : limit - offset);
      } else {
        int rows = order == null ? 0 : order.length;
        cursor = (int) Math.min(offset, rows);
        end = limit < 0 || limit > rows ? rows : (int) limit;
      }
    }
    if (merger != null) {
      return merger.next();
    }
    if (cursor >= end) {
      releaseSorted();
      return null;
    }
    int count = Math.min(Batch.DEFAULT_SIZE, end - cursor);
    Batch batch = ColumnChunks.gather(sorted, order, cursor, count);
    cursor += count;
    return batch;
  }

  /** Drops the sorted rows once returned. */
  private void releaseSorted() {
    sorted = null;
    order = null;
    memory.free(memory.held());
  }

  /**
   * Reads and sorts the whole input into {@link #sorted} and {@link #order}. When it spilled, the
   * sorted runs are in {@link #runs} (the last one included) and nothing is left in memory.
   */
  private void sortAll() {
    ColumnChunks chunks = new ColumnChunks(types);
    for (Batch batch = input.next(); batch != null; batch = input.next()) {
      long bytes = MemoryEstimates.batch(batch) + batch.rowCount() * PositionSort.BYTES_PER_ROW;
      if (!memory.tryAdd(bytes)) {
        if (budget.spillDirectory() == null) {
          memory.add(bytes); // fails with MEM_LIMIT_EXCEEDED
        }
        if (!chunks.isEmpty()) {
          spill(chunks);
        }
        if (!memory.tryAdd(bytes)) {
          // Larger than the whole budget on its own: it becomes a run by itself.
          chunks.add(batch);
          spill(chunks);
          continue;
        }
      }
      chunks.add(batch);
    }
    if (!runs.isEmpty()) {
      if (!chunks.isEmpty()) {
        spill(chunks);
      }
      return;
    }
    int rowCount = chunks.rowCount();
    sorted = chunks.concatenate();
    order = PositionSort.sort(sorted, rowCount, keys);
  }

  /** Sorts the rows of {@code chunks}, writes them as a run and drops them from memory. */
  private void spill(ColumnChunks chunks) {
    int rowCount = chunks.rowCount();
    List<ColumnVector> columns = chunks.concatenate();
    int[] positions = PositionSort.sort(columns, rowCount, keys);
    BatchSpillFile run = new BatchSpillFile(budget.spillDirectory(), types, memory::addSpilled);
    runs.add(run);
    Batch all = new Batch(columns, rowCount);
    int[] block = new int[RUN_BLOCK_ROWS];
    for (int from = 0; from < rowCount; from += RUN_BLOCK_ROWS) {
      int count = Math.min(RUN_BLOCK_ROWS, rowCount - from);
      System.arraycopy(positions, from, block, 0, count);
      run.append(all, block, count);
    }
    run.finishWriting();
    memory.spillPartitions(1);
    memory.free(memory.held());
  }

  /**
   * Keeps the first {@code limit} rows of the input in sort order in {@link #sorted} and {@link
   * #order}.
   */
  private void topRows(int limit) {
    Batch kept = null;
    long keptBytes = 0;
    ColumnChunks candidates = new ColumnChunks(types);
    long candidateBytes = 0;
    int compactAt = limit + Math.max(limit, Batch.DEFAULT_SIZE);
    for (Batch batch = input.next(); batch != null && limit > 0; batch = input.next()) {
      Batch admitted = kept != null && kept.rowCount() == limit ? rowsBefore(batch, kept) : batch;
      if (admitted.rowCount() == 0) {
        continue;
      }
      long bytes =
          MemoryEstimates.batch(admitted) + admitted.rowCount() * PositionSort.BYTES_PER_ROW;
      memory.add(bytes);
      candidateBytes += bytes;
      candidates.add(admitted);
      if ((kept == null ? 0 : kept.rowCount()) + candidates.rowCount() >= compactAt) {
        kept = compact(kept, candidates, limit);
        long newKeptBytes =
            MemoryEstimates.batch(kept) + kept.rowCount() * PositionSort.BYTES_PER_ROW;
        memory.add(newKeptBytes);
        memory.free(keptBytes + candidateBytes);
        keptBytes = newKeptBytes;
        candidateBytes = 0;
      }
    }
    kept = compact(kept, candidates, limit);
    sorted = kept.columns();
    order = new int[kept.rowCount()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
  }

  /**
   * The kept rows and the candidates sorted together and cut to {@code limit} rows: the new kept
   * rows, in order. Empties {@code candidates}. The kept rows came before every candidate, so
   * putting them first keeps the sort stable.
   */
  private Batch compact(Batch kept, ColumnChunks candidates, int limit) {
    ColumnChunks all = new ColumnChunks(types);
    if (kept != null) {
      all.add(kept);
    }
    int candidateRows = candidates.rowCount();
    if (candidateRows > 0) {
      all.add(new Batch(candidates.concatenate(), candidateRows));
    }
    int rowCount = all.rowCount();
    List<ColumnVector> columns = all.concatenate();
    int[] positions = PositionSort.sort(columns, rowCount, keys);
    return ColumnChunks.gather(columns, positions, 0, Math.min(limit, rowCount));
  }

  /** The rows of {@code batch} that sort strictly before the last row of {@code kept}. */
  private Batch rowsBefore(Batch batch, Batch kept) {
    List<ColumnVector> columns = kept.columns();
    int row = kept.rowCount() - 1;
    int[] selected = new int[batch.rowCount()];
    int count = 0;
    for (int candidate = 0; candidate < batch.rowCount(); candidate++) {
      if (SortKey.compareRows(batch.columns(), candidate, columns, row, keys) < 0) {
        selected[count++] = candidate;
      }
    }
    if (count == batch.rowCount()) {
      return batch;
    }
    List<ColumnVector> result = new ArrayList<>(batch.columnCount());
    for (ColumnVector column : batch.columns()) {
      result.add(ColumnVectors.take(column, selected, count));
    }
    return new Batch(result, count);
  }

  /**
   * Merges the sorted runs into batches, skipping {@code offset} rows and returning at most {@code
   * fetch} ({@code -1}: all). Holds one block per run.
   */
  private final class RunMerger {
    private final List<BatchSpillFile.Reader> readers = new ArrayList<>();
    private final Batch[] heads;
    private final int[] headRows;
    private final long[] headBytes;
    private final PriorityQueue<Integer> queue;
    private long toSkip;
    private long remaining;

    RunMerger(long offset, long fetch) {
      heads = new Batch[runs.size()];
      headRows = new int[runs.size()];
      headBytes = new long[runs.size()];
      // Ties go to the earlier run, which keeps the sort stable.
      queue =
          new PriorityQueue<>(
              Math.max(1, runs.size()),
              (left, right) -> {
                int byKeys =
                    SortKey.compareRows(
                        heads[left].columns(),
                        headRows[left],
                        heads[right].columns(),
                        headRows[right],
                        keys);
                return byKeys != 0 ? byKeys : Integer.compare(left, right);
              });
      toSkip = offset;
      remaining = fetch < 0 ? Long.MAX_VALUE : fetch;
      memory.add(runs.size() * RUN_READER_BYTES);
      for (int run = 0; run < runs.size(); run++) {
        readers.add(runs.get(run).reader());
        if (advanceBlock(run)) {
          queue.add(run);
        }
      }
    }

    /** Loads the next block of {@code run}; false at the end of the run. */
    private boolean advanceBlock(int run) {
      memory.free(headBytes[run]);
      headBytes[run] = 0;
      Batch block;
      do {
        block = readers.get(run).next();
      } while (block != null && block.rowCount() == 0);
      heads[run] = block;
      headRows[run] = 0;
      if (block == null) {
        return false;
      }
      headBytes[run] = MemoryEstimates.batch(block);
      memory.add(headBytes[run]);
      return true;
    }

    Batch next() {
      List<ColumnVectorBuilder> builders = new ArrayList<>(types.size());
      for (DataType type : types) {
        builders.add(new ColumnVectorBuilder(type, Batch.DEFAULT_SIZE));
      }
      int count = 0;
      while (count < Batch.DEFAULT_SIZE && remaining > 0 && !queue.isEmpty()) {
        int run = queue.poll();
        Batch head = heads[run];
        int row = headRows[run];
        if (toSkip > 0) {
          toSkip--;
        } else {
          for (int column = 0; column < types.size(); column++) {
            ColumnChunks.appendValue(builders.get(column), head.column(column), row);
          }
          count++;
          remaining--;
        }
        if (row + 1 < head.rowCount()) {
          headRows[run] = row + 1;
          queue.add(run);
        } else if (advanceBlock(run)) {
          queue.add(run);
        }
      }
      if (count == 0) {
        return null;
      }
      List<ColumnVector> columns = new ArrayList<>(types.size());
      for (ColumnVectorBuilder builder : builders) {
        columns.add(builder.build());
      }
      return new Batch(columns, count);
    }

    void close() {
      for (BatchSpillFile.Reader reader : readers) {
        reader.close();
      }
    }
  }

  @Override
  public void close() {
    try {
      if (merger != null) {
        merger.close();
      }
    } finally {
      for (BatchSpillFile run : runs) {
        run.delete();
      }
      runs.clear();
      memory.close();
      input.close();
    }
  }
}
