package dev.basalt.storage.tablet;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.result.BatchStream;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A streaming k-way merge of sorted inputs with a table model's {@link MergeFunction}: each input
 * is a stream of batches sorted by the model's key columns (a segment, or a load's sorted buffer),
 * given in version order, oldest first. Rows come out in key order; for AGGREGATE and UNIQUE KEY
 * the rows of one key are combined, reaching the merge function in version order (older inputs
 * first, then row order within an input), so one key yields one row.
 *
 * <p>Memory: the current batch of each input, the batches the merge function holds for the key
 * being combined, and one output batch being built; never the whole input. An input found out of
 * key order fails the read with {@link ErrorCode#STORAGE_CORRUPTION} instead of returning wrong
 * merges.
 *
 * <p>The caller pulls with {@link #next()} and closes this stream, which closes every input. Not
 * thread safe: one thread drives a merge.
 */
public final class SortedMerge implements BatchStream {
  private final List<Cursor> cursors = new ArrayList<>();
  private final PriorityQueue<Cursor> queue;
  private final MergeFunction function;
  private final boolean combines;
  private final int[] keyPositions;
  private final int[] outputColumns;
  private final ColumnVectorBuilder[] builders;

  /**
   * @param inputs streams of batches laid out like {@code model.columns()}, each sorted by key, in
   *     version order (oldest first); this merge owns and closes them
   * @param model the model over the inputs' columns
   * @param outputColumns the positions of the columns each output batch holds, in that order
   *     (repeats allowed)
   * @param names a name for the inputs in error messages, by input
   */
  public SortedMerge(
      List<BatchStream> inputs, TabletModel model, int[] outputColumns, List<String> names) {
    this.function = model.newMergeFunction();
    this.combines = model.combinesRows();
    this.keyPositions = model.keyPositions();
    this.outputColumns = outputColumns.clone();
    this.builders = new ColumnVectorBuilder[model.columns().size()];
    for (int i = 0; i < builders.length; i++) {
      builders[i] = new ColumnVectorBuilder(model.columns().get(i).type(), Batch.DEFAULT_SIZE);
    }
    this.queue =
        new PriorityQueue<>(
            Math.max(1, inputs.size()),
            (left, right) -> {
              int order = KeyComparator.compare(left.keys, left.row, right.keys, right.row);
              return order != 0 ? order : Integer.compare(left.ordinal, right.ordinal);
            });
    for (int i = 0; i < inputs.size(); i++) {
      cursors.add(new Cursor(i, inputs.get(i), names.get(i)));
    }
    try {
      for (Cursor cursor : cursors) {
        if (cursor.advance()) {
          queue.add(cursor);
        }
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public Batch next() {
    int pending = 0;
    while (pending < Batch.DEFAULT_SIZE && !queue.isEmpty()) {
      Cursor first = queue.poll();
      if (!combines) {
        for (int c = 0; c < builders.length; c++) {
          builders[c].appendFrom(first.batch.column(c), first.row);
        }
        requeue(first);
      } else {
        // The key vectors of a batch are never changed, so they can stand for the key while the
        // cursor moves on.
        ColumnVector[] groupKeys = first.keys;
        int groupRow = first.row;
        function.reset(first.batch, first.row);
        requeue(first);
        while (!queue.isEmpty()) {
          Cursor next = queue.peek();
          if (KeyComparator.compare(next.keys, next.row, groupKeys, groupRow) != 0) {
            break;
          }
          queue.poll();
          function.add(next.batch, next.row);
          requeue(next);
        }
        function.emit(builders);
      }
      pending++;
    }
    if (pending == 0) {
      return null;
    }
    ColumnVector[] built = new ColumnVector[builders.length];
    for (int c = 0; c < builders.length; c++) {
      built[c] = builders[c].build();
    }
    List<ColumnVector> output = new ArrayList<>(outputColumns.length);
    for (int column : outputColumns) {
      output.add(built[column]);
    }
    return new Batch(output, pending);
  }

  private void requeue(Cursor cursor) {
    if (cursor.advance()) {
      queue.add(cursor);
    }
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    for (Cursor cursor : cursors) {
      try {
        cursor.stream.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        }
      }
    }
    cursors.clear();
    queue.clear();
    if (failure != null) {
      throw failure;
    }
  }

  /** One input, positioned on its current row. */
  private final class Cursor {
    final int ordinal;
    final BatchStream stream;
    final String name;
    Batch batch;
    ColumnVector[] keys;
    int row;

    Cursor(int ordinal, BatchStream stream, String name) {
      this.ordinal = ordinal;
      this.stream = stream;
      this.name = name;
    }

    /** Moves to the next row; false at the end. Checks that the input is in key order. */
    boolean advance() {
      if (batch != null && row + 1 < batch.rowCount()) {
        row++;
        if (KeyComparator.compare(keys, row - 1, keys, row) > 0) {
          throw outOfOrder();
        }
        return true;
      }
      ColumnVector[] previousKeys = keys;
      int previousRow = row;
      while (true) {
        batch = stream.next();
        if (batch == null) {
          keys = null;
          return false;
        }
        if (batch.rowCount() > 0) {
          break;
        }
      }
      keys = new ColumnVector[keyPositions.length];
      for (int k = 0; k < keys.length; k++) {
        keys[k] = batch.column(keyPositions[k]);
      }
      row = 0;
      if (previousKeys != null && KeyComparator.compare(previousKeys, previousRow, keys, 0) > 0) {
        throw outOfOrder();
      }
      return true;
    }

    private BasaltException outOfOrder() {
      return new BasaltException(
          ErrorCode.STORAGE_CORRUPTION, name, "rows are not sorted by the table's key columns");
    }
  }
}
