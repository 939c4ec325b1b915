package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.memory.MemoryEstimates;
import dev.basalt.exec.memory.MemoryReservation;
import dev.basalt.exec.memory.QueryMemoryBudget;
import dev.basalt.exec.spill.RowSpillFile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * ORDER BY with optional OFFSET/LIMIT. Without a limit it materializes its input and sorts it
 * (stable, so rows with equal keys keep their input order). With a limit it is a TopN: a bounded
 * heap keeps only the first {@code offset + fetch} rows seen so far in sort order (ties broken by
 * input position, so the answer equals the stable sort's), and memory stays proportional to the
 * limit rather than to the input.
 *
 * <p>The rows held are reserved in the statement's {@link QueryMemoryBudget}. A full sort whose
 * rows do not fit spills: when the budget refuses more, the rows held are sorted and written to a
 * {@link RowSpillFile} (a run) in the budget's spill directory and dropped from memory; at the end
 * the runs are merged (an external merge sort, stable because runs hold consecutive stretches of
 * the input and ties go to the earlier run). Without a spill directory, or past the budget's spill
 * limit, the sort fails with MEM_LIMIT_EXCEEDED. A TopN never spills: it holds only its limit.
 * Spill files are deleted when the operator closes. Not thread safe.
 */
public final class SortOperator implements Operator {
  /** Above this many rows to keep, a full sort is cheaper than a heap of that size. */
  private static final long TOP_N_MAX_ROWS = 1 << 20;

  private final Operator input;
  private final List<SortKey> keys;
  private final long offset;
  private final long fetch;
  private final QueryMemoryBudget budget;
  private final MemoryReservation memory;
  private RowBuffer output;
  private final List<RowSpillFile> runs = new ArrayList<>();
  private RunMerger merger;

  /** A row and its position in the input, which breaks ties between equal keys. */
  private record RankedRow(Object[] values, long position) {}

  /** {@code fetch} of -1 means no limit. */
  public SortOperator(
      Operator input, List<SortKey> keys, long offset, long fetch, QueryMemoryBudget budget) {
    this.input = input;
    this.keys = List.copyOf(keys);
    this.offset = offset;
    this.fetch = fetch;
    this.budget = budget;
    this.memory = budget.reservation(fetch < 0 ? "SortOperator" : "SortOperator(TopN)");
  }

  @Override
  public List<DataType> outputTypes() {
    return input.outputTypes();
  }

  @Override
  public Batch next() {
    if (merger != null) {
      return merger.next();
    }
    if (output == null) {
      long limit = fetch < 0 || fetch > Long.MAX_VALUE - offset ? -1 : offset + fetch;
      List<Object[]> rows = limit >= 0 && limit <= TOP_N_MAX_ROWS ? topRows(limit) : sortAll();
      if (!runs.isEmpty()) {
        merger = new RunMerger(offset, limit < 0 ? -1 : limit - offset);
        return merger.next();
      }
      int from = (int) Math.min(offset, rows.size());
      int to = limit < 0 || limit > rows.size() ? rows.size() : (int) limit;
      output = new RowBuffer(input.outputTypes(), rows.subList(from, to));
    }
    return output.next();
  }

  /**
   * Reads and sorts the whole input. When it spilled, the sorted runs are in {@link #runs} (the
   * last one included) and the returned list is empty.
   */
  private List<Object[]> sortAll() {
    Comparator<Object[]> order = SortKey.comparator(keys);
    List<Object[]> rows = new ArrayList<>();
    for (Batch batch = input.next(); batch != null; batch = input.next()) {
      for (int row = 0; row < batch.rowCount(); row++) {
        Object[] values = RowBuffer.row(batch, row);
        long bytes = MemoryEstimates.row(values);
        if (!memory.tryAdd(bytes)) {
          if (budget.spillDirectory() == null || rows.isEmpty()) {
            memory.add(bytes); // fails with MEM_LIMIT_EXCEEDED
          }
          spill(rows, order);
          memory.add(bytes);
        }
        rows.add(values);
      }
    }
    rows.sort(order);
    if (!runs.isEmpty() && !rows.isEmpty()) {
      spill(rows, order);
    }
    return rows;
  }

  /** Sorts {@code rows}, writes them as a run and drops them from memory. */
  private void spill(List<Object[]> rows, Comparator<Object[]> order) {
    rows.sort(order);
    RowSpillFile run = RowSpillFile.write(budget.spillDirectory(), input.outputTypes(), rows);
    runs.add(run);
    memory.addSpilled(run.bytes());
    memory.spillPartitions(1);
    rows.clear();
    memory.free(memory.held());
  }

  /**
   * Merges the sorted runs into batches, skipping {@code offset} rows and returning at most {@code
   * fetch} ({@code -1}: all). Holds one row per run.
   */
  private final class RunMerger {
    private final List<DataType> types = input.outputTypes();
    private final List<RowSpillFile.Reader> readers = new ArrayList<>();
    private final PriorityQueue<Head> heads;
    private long toSkip;
    private long remaining;

    /** The next row of run {@code run}; ties go to the earlier run, which keeps the sort stable. */
    private record Head(Object[] row, int run) {}

    RunMerger(long offset, long fetch) {
      Comparator<Object[]> byKeys = SortKey.comparator(keys);
      heads =
          new PriorityQueue<>(
              Comparator.<Head, Object[]>comparing(Head::row, byKeys).thenComparingInt(Head::run));
      toSkip = offset;
      remaining = fetch < 0 ? Long.MAX_VALUE : fetch;
      for (int run = 0; run < runs.size(); run++) {
        RowSpillFile.Reader reader = runs.get(run).reader();
        readers.add(reader);
        Object[] first = reader.next();
        if (first != null) {
          heads.add(new Head(first, run));
        }
      }
      memory.add((long) readers.size() * RowSpillFile.READ_BUFFER_BYTES);
    }

    Batch next() {
      List<ColumnVectorBuilder> builders = new ArrayList<>(types.size());
      for (DataType type : types) {
        builders.add(new ColumnVectorBuilder(type, Batch.DEFAULT_SIZE));
      }
      int count = 0;
      while (count < Batch.DEFAULT_SIZE && remaining > 0 && !heads.isEmpty()) {
        Head head = heads.poll();
        Object[] following = readers.get(head.run()).next();
        if (following != null) {
          heads.add(new Head(following, head.run()));
        }
        if (toSkip > 0) {
          toSkip--;
          continue;
        }
        for (int column = 0; column < types.size(); column++) {
          builders.get(column).appendObject(head.row()[column]);
        }
        count++;
        remaining--;
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
      for (RowSpillFile.Reader reader : readers) {
        reader.close();
      }
    }
  }

  /** The first {@code limit} rows of the input in sort order, in that order. */
  private List<Object[]> topRows(long limit) {
    if (limit <= 0) {
      return List.of();
    }
    Comparator<Object[]> byKeys = SortKey.comparator(keys);
    Comparator<RankedRow> order =
        Comparator.<RankedRow, Object[]>comparing(RankedRow::values, byKeys)
            .thenComparingLong(RankedRow::position);
    // A max-heap: its head is the row that leaves first when a better one arrives.
    PriorityQueue<RankedRow> heap = new PriorityQueue<>(order.reversed());
    long position = 0;
    for (Batch batch = input.next(); batch != null; batch = input.next()) {
      for (int row = 0; row < batch.rowCount(); row++) {
        Object[] values = RowBuffer.row(batch, row);
        RankedRow candidate = new RankedRow(values, position++);
        if (heap.size() < limit) {
          memory.add(MemoryEstimates.row(values) + 32);
          heap.add(candidate);
        } else if (order.compare(candidate, heap.peek()) < 0) {
          RankedRow evicted = heap.poll();
          memory.free(MemoryEstimates.row(evicted.values()) + 32);
          memory.add(MemoryEstimates.row(values) + 32);
          heap.add(candidate);
        }
      }
    }
    List<RankedRow> ranked = new ArrayList<>(heap);
    ranked.sort(order);
    List<Object[]> rows = new ArrayList<>(ranked.size());
    for (RankedRow row : ranked) {
      rows.add(row.values());
    }
    return rows;
  }

  @Override
  public void close() {
    try {
      if (merger != null) {
        merger.close();
      }
    } finally {
      for (RowSpillFile run : runs) {
        run.delete();
      }
      runs.clear();
      memory.close();
      input.close();
    }
  }
}
