package dev.basalt.storage.tablet;

import dev.basalt.common.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The order of a DUPLICATE KEY merge (no rows combined) as runs of consecutive source rows of one
 * input, for compaction to copy each run column by column ({@code segment.SegmentRangeCopier})
 * instead of merging row by row: the same order as {@link SortedMerge} gives such a merge (key
 * order, ties in version order, then row order within an input). Reads only the key columns.
 *
 * <p>Each input streams the key columns of one segment's live rows in key order, numbered by their
 * segment row ({@link RowNumberedStream}, e.g. {@link SegmentMergeInput} with requests for the key
 * columns only), in version order, oldest first. A run is the longest stretch of an input's rows
 * that sorts before every other input's next row; runs of one input that follow each other are
 * returned as one, so a run may span rows an input leaves out (deleted rows, which the copier
 * leaves out again). Finding a run's end costs a binary search in a batch; checking that each input
 * is in key order costs one comparison per row (an input out of order fails with {@link
 * ErrorCode#STORAGE_CORRUPTION}, as in {@code SortedMerge}).
 *
 * <p>Memory: the current key batch of each input. The caller pulls with {@link #next()} and closes
 * this object, which closes every input. Not thread safe.
 */
public final class SortedRuns implements AutoCloseable {
  /**
   * Source rows {@code [firstRow, endRow)} of input {@code input} (by position in the inputs),
   * which go to the output next, in row order, leaving out the rows the input left out.
   */
  public record Run(int input, long firstRow, long endRow) {}

  private final List<SortedInput<RowNumberedStream>> cursors = new ArrayList<>();
  private final PriorityQueue<SortedInput<RowNumberedStream>> queue;
  private Run pending;

  /**
   * @param inputs streams of batches holding only the key columns, in key column order; this object
   *     owns and closes them
   * @param names a name for each input in error messages
   */
  public SortedRuns(List<? extends RowNumberedStream> inputs, List<String> names) {
    this.queue = new PriorityQueue<>(Math.max(1, inputs.size()), SortedInput::order);
    for (int i = 0; i < inputs.size(); i++) {
      cursors.add(new SortedInput<>(i, inputs.get(i), names.get(i), null));
    }
    try {
      for (SortedInput<RowNumberedStream> cursor : cursors) {
        if (nextBatch(cursor)) {
          queue.add(cursor);
        }
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The next run in output order, or null after the last. */
  public Run next() {
    while (true) {
      Run piece = nextPiece();
      if (piece == null) {
        Run last = pending;
        pending = null;
        return last;
      }
      if (pending == null) {
        pending = piece;
      } else if (pending.input() == piece.input()) {
        pending = new Run(piece.input(), pending.firstRow(), piece.endRow());
      } else {
        Run done = pending;
        pending = piece;
        return done;
      }
    }
  }

  /** The rows of the first input's current batch that sort before every other input's next row. */
  private Run nextPiece() {
    SortedInput<RowNumberedStream> first = queue.poll();
    if (first == null) {
      return null;
    }
    SortedInput<RowNumberedStream> other = queue.peek();
    int end = first.batch.rowCount();
    if (other != null && !first.precedes(end - 1, other)) {
      // The current row precedes (it came first out of the queue): find the first that does not.
      int low = first.row + 1;
      int high = end - 1;
      while (low < high) {
        int middle = (low + high) >>> 1;
        if (first.precedes(middle, other)) {
          low = middle + 1;
        } else {
          high = middle;
        }
      }
      end = low;
    }
    Run run =
        new Run(
            first.ordinal, first.stream.sourceRow(first.row), first.stream.sourceRow(end - 1) + 1L);
    if (end < first.batch.rowCount()) {
      first.row = end;
      queue.add(first);
    } else if (nextBatch(first)) {
      queue.add(first);
    }
    return run;
  }

  /**
   * Moves an input to its next non-empty batch, checking the whole batch's key order (a run is
   * found by a binary search, which does not read every row); false at the end.
   */
  private static boolean nextBatch(SortedInput<RowNumberedStream> input) {
    if (!input.nextBatch()) {
      return false;
    }
    input.checkOrder(1, input.batch.rowCount());
    return true;
  }

  @Override
  public void close() {
    queue.clear();
    pending = null;
    SortedInput.closeAll(cursors);
  }
}
