package dev.basalt.storage.tablet;

import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.result.BatchStream;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.ColumnVectors;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The tablet layer's one k-way merge of sorted inputs with a table model's {@link MergeFunction},
 * used by merged scans, by a load's pre-aggregation and by compaction: each input is a stream of
 * batches sorted by the model's key columns (a segment, or a load's sorted buffer), given in
 * version order, oldest first. Rows come out in key order (compared on the vectors by {@link
 * KeyComparator}, the order segments are written in), ties in version order; for AGGREGATE and
 * UNIQUE KEY the rows of one key are combined, reaching the merge function in version order (older
 * inputs first, then row order within an input), so one key yields one row.
 *
 * <p>For DUPLICATE KEY, where the rest of an input's batch (at least {@link #MIN_RUN_ROWS} rows)
 * sorts before every other input's current row (inputs that do not overlap, as loads arriving in
 * key order give), that run is returned as one batch of the input's vectors instead of row by row
 * through the queue and the output builders. Output batches hold at most {@link Batch#DEFAULT_SIZE}
 * rows.
 *
 * <p>Built with {@link #withRowMaps}, the merge also records where each input row went: the output
 * row (counted from 0 over every batch returned) of each row an input returns, numbered by {@link
 * RowNumberedStream#sourceRow}; rows of a key combined into one all point to that row.
 *
 * <p>Memory: the current batch of each input, the batches the merge function holds for the key
 * being combined, and one output batch being built; never the whole input. An input found out of
 * key order fails the merge with {@link ErrorCode#STORAGE_CORRUPTION} instead of returning wrong
 * merges.
 *
 * <p>The caller pulls with {@link #next()} and closes this stream, which closes every input. Not
 * thread safe: one thread drives a merge.
 */
public final class SortedMerge implements BatchStream {
  /** The fewest rows returned as one run (fewer go row by row through the output builders). */
  static final int MIN_RUN_ROWS = 32;

  private final List<Cursor> cursors = new ArrayList<>();
  private final PriorityQueue<Cursor> queue;
  private final MergeFunction function;
  private final boolean combines;
  private final int[] outputColumns;
  private final ColumnVectorBuilder[] builders;

  /** The output rows handed out so far, in returned batches, the batch being built and a run. */
  private int outputRows;

  /** A run found while a batch was being built: the batch after it. */
  private Batch nextRun;

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
    this(inputs, model, outputColumns, names, null);
  }

  /**
   * A merge that records where each input row went: {@code rowMaps[i][r]} becomes the output row of
   * input {@code i}'s source row {@code r}; entries of rows an input leaves out stay as they are
   * (fill them with -1 first). Parameters as for {@link #SortedMerge(List, TabletModel, int[],
   * List)}.
   *
   * @param rowMaps one array per input, as long as its source's rows; a null entry records nothing
   *     for that input
   */
  public static SortedMerge withRowMaps(
      List<? extends RowNumberedStream> inputs,
      TabletModel model,
      int[] outputColumns,
      List<String> names,
      int[][] rowMaps) {
    if (rowMaps.length != inputs.size()) {
      for (RowNumberedStream input : inputs) {
        input.close();
      }
      throw new IllegalArgumentException(
          rowMaps.length + " row maps for " + inputs.size() + " inputs");
    }
    return new SortedMerge(inputs, model, outputColumns, names, rowMaps);
  }

  private SortedMerge(
      List<? extends BatchStream> inputs,
      TabletModel model,
      int[] outputColumns,
      List<String> names,
      int[][] rowMaps) {
    this.function = model.newMergeFunction();
    this.combines = model.combinesRows();
    this.outputColumns = outputColumns.clone();
    this.builders = new ColumnVectorBuilder[model.columns().size()];
    for (int i = 0; i < builders.length; i++) {
      builders[i] = new ColumnVectorBuilder(model.columns().get(i).type(), Batch.DEFAULT_SIZE);
    }
    this.queue = new PriorityQueue<>(Math.max(1, inputs.size()), SortedInput::order);
    int[] keyPositions = model.keyPositions();
    for (int i = 0; i < inputs.size(); i++) {
      int[] rowMap = rowMaps == null ? null : rowMaps[i];
      cursors.add(new Cursor(i, inputs.get(i), names.get(i), keyPositions, rowMap));
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
    if (nextRun != null) {
      Batch run = nextRun;
      nextRun = null;
      return run;
    }
    int pending = 0;
    while (pending < Batch.DEFAULT_SIZE && !queue.isEmpty()) {
      Cursor first = queue.poll();
      int outputRow = outputRows + pending;
      if (!combines) {
        if (first.restPrecedes(queue.peek())) {
          Batch run = first.takeRest(outputRow);
          requeue(first);
          outputRows += run.rowCount();
          if (pending == 0) {
            return run;
          }
          nextRun = run;
          break;
        }
        for (int c = 0; c < builders.length; c++) {
          builders[c].appendFrom(first.batch.column(c), first.row);
        }
        first.mapTo(outputRow);
        requeue(first);
      } else {
        // The key vectors of a batch are never changed, so they can stand for the key while the
        // cursor moves on.
        ColumnVector[] groupKeys = first.keys;
        int groupRow = first.row;
        function.reset(first.batch, first.row);
        first.mapTo(outputRow);
        requeue(first);
        while (!queue.isEmpty()) {
          Cursor next = queue.peek();
          if (KeyComparator.compare(next.keys, next.row, groupKeys, groupRow) != 0) {
            break;
          }
          queue.poll();
          function.add(next.batch, next.row);
          next.mapTo(outputRow);
          requeue(next);
        }
        function.emit(builders);
      }
      pending++;
    }
    if (pending == 0) {
      return null;
    }
    outputRows += pending;
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
    queue.clear();
    nextRun = null;
    SortedInput.closeAll(cursors);
  }

  /** One input, positioned on its current row, with where its rows went. */
  private final class Cursor extends SortedInput<BatchStream> {
    /** Where this input's rows went, by source row; null when not recorded. */
    private final int[] rowMap;

    private final RowNumberedStream numbered;

    Cursor(int ordinal, BatchStream stream, String name, int[] keyPositions, int[] rowMap) {
      super(ordinal, stream, name, keyPositions);
      this.rowMap = rowMap;
      this.numbered = rowMap == null ? null : (RowNumberedStream) stream;
    }

    /** Moves to the next row; false at the end. Checks that the input is in key order. */
    boolean advance() {
      if (batch != null && row + 1 < batch.rowCount()) {
        row++;
        checkOrder(row, row + 1);
        return true;
      }
      return nextBatch();
    }

    /** Records that the current row went to output row {@code outputRow}. */
    void mapTo(int outputRow) {
      if (rowMap != null) {
        rowMap[numbered.sourceRow(row)] = outputRow;
      }
    }

    /**
     * Whether the rows from the current one to the end of the batch, at least {@link
     * #MIN_RUN_ROWS}, all sort before {@code next}'s current row (ties: before a newer input), or
     * there is no other input ({@code next} null), so that they can go out as one run.
     */
    boolean restPrecedes(Cursor next) {
      int last = batch.rowCount() - 1;
      if (last + 1 - row < MIN_RUN_ROWS) {
        return false;
      }
      return next == null || precedes(last, next);
    }

    /**
     * The rows from the current one to the end of the batch as output rows from {@code
     * firstOutputRow}, with the output columns; leaves the cursor on the batch's last row.
     */
    Batch takeRest(int firstOutputRow) {
      int rows = batch.rowCount();
      int count = rows - row;
      checkOrder(row + 1, rows);
      int[] positions = null;
      if (row > 0) {
        positions = new int[count];
        for (int i = 0; i < count; i++) {
          positions[i] = row + i;
        }
      }
      List<ColumnVector> output = new ArrayList<>(outputColumns.length);
      for (int column : outputColumns) {
        ColumnVector vector = batch.column(column);
        output.add(positions == null ? vector : ColumnVectors.take(vector, positions, count));
      }
      if (rowMap != null) {
        for (int i = 0; i < count; i++) {
          rowMap[numbered.sourceRow(row + i)] = firstOutputRow + i;
        }
      }
      row = rows - 1;
      return new Batch(output, count);
    }
  }
}
