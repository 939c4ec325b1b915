package dev.basalt.exec.operator;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.exec.memory.MemoryEstimates;
import dev.basalt.exec.memory.MemoryReservation;
import dev.basalt.exec.memory.QueryMemoryBudget;
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
 * <p>The rows held are reserved in the statement's {@link QueryMemoryBudget}; a sort that passes
 * the limit fails with MEM_LIMIT_EXCEEDED (spilling sort runs to disk is a later slice of issue
 * 14). Not thread safe.
 */
public final class SortOperator implements Operator {
  /** Above this many rows to keep, a full sort is cheaper than a heap of that size. */
  private static final long TOP_N_MAX_ROWS = 1 << 20;

  private final Operator input;
  private final List<SortKey> keys;
  private final long offset;
  private final long fetch;
  private final MemoryReservation memory;
  private RowBuffer output;

  /** A row and its position in the input, which breaks ties between equal keys. */
  private record RankedRow(Object[] values, long position) {}

  /** {@code fetch} of -1 means no limit. */
  public SortOperator(
      Operator input, List<SortKey> keys, long offset, long fetch, QueryMemoryBudget budget) {
    this.input = input;
    this.keys = List.copyOf(keys);
    this.offset = offset;
    this.fetch = fetch;
    this.memory = budget.reservation(fetch < 0 ? "SortOperator" : "SortOperator(TopN)");
  }

  @Override
  public List<DataType> outputTypes() {
    return input.outputTypes();
  }

  @Override
  public Batch next() {
    if (output == null) {
      long limit = fetch < 0 || fetch > Long.MAX_VALUE - offset ? -1 : offset + fetch;
      List<Object[]> rows = limit >= 0 && limit <= TOP_N_MAX_ROWS ? topRows(limit) : sortAll();
      int from = (int) Math.min(offset, rows.size());
      int to = limit < 0 || limit > rows.size() ? rows.size() : (int) limit;
      output = new RowBuffer(input.outputTypes(), rows.subList(from, to));
    }
    return output.next();
  }

  private List<Object[]> sortAll() {
    List<Object[]> rows = RowBuffer.drain(input, memory);
    rows.sort(SortKey.comparator(keys));
    return rows;
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
    memory.close();
    input.close();
  }
}
