package dev.basalt.load;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.storage.tablet.SequenceOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of one load buffered for one tablet, column by column in typed {@link ColumnBuffer}s, in
 * arrival order. {@link #sortedOrder} gives the stable permutation by the key columns that a
 * segment is written in. Not thread safe: owned by one {@link LoadTransaction}.
 *
 * <p>The rows are held in chunks of {@link #CHUNK_ROWS} rows (each a {@link ColumnBuffer} per
 * column): row {@code r} is row {@code r & CHUNK_MASK} of chunk {@code r >>> CHUNK_SHIFT}. A buffer
 * grows by adding a chunk, never by copying what it holds: growing one array per column by half
 * (copying it each time) was a sixth of a JDBC batch INSERT's CPU on the connection thread. A new
 * chunk's string bytes are sized from the previous chunk's, so it rarely grows either. Only the
 * first chunk starts small and grows ({@link #INITIAL_ROWS}).
 */
final class TabletBuffer {
  /**
   * Rows a new buffer has room for: small, as a server may hold a buffer for each tablet of a
   * thousand tables loaded at once ({@link MemtableBudget} counts the room, used or not).
   */
  private static final int INITIAL_ROWS = 128;

  private static final int CHUNK_SHIFT = 12;

  /** Rows per chunk: a slice of the segment writer's batch size holds few chunks' rows. */
  static final int CHUNK_ROWS = 1 << CHUNK_SHIFT;

  private static final int CHUNK_MASK = CHUNK_ROWS - 1;

  private final long tabletId;
  private final DataType[] types;
  private final int[] keyColumns;

  /** The chunks, {@code chunks[0 .. chunkCount)}; each but the last holds {@link #CHUNK_ROWS}. */
  private ColumnBuffer[][] chunks = new ColumnBuffer[1][];

  private int chunkCount;
  private int rowCount;

  TabletBuffer(long tabletId, TableMeta table, int[] keyColumns) {
    this.tabletId = tabletId;
    List<ColumnMeta> metas = table.columns();
    this.types = new DataType[metas.size()];
    for (int i = 0; i < types.length; i++) {
      types[i] = metas.get(i).type();
    }
    this.keyColumns = keyColumns.clone();
    ColumnBuffer[] first = new ColumnBuffer[types.length];
    for (int i = 0; i < types.length; i++) {
      first[i] = new ColumnBuffer(types[i], INITIAL_ROWS);
    }
    chunks[0] = first;
    chunkCount = 1;
  }

  long tabletId() {
    return tabletId;
  }

  int rowCount() {
    return rowCount;
  }

  long estimatedBytes() {
    long total = 0;
    for (int chunk = 0; chunk < chunkCount; chunk++) {
      for (ColumnBuffer column : chunks[chunk]) {
        total += column.estimatedBytes();
      }
    }
    return total;
  }

  /** Appends rows {@code rows[0 .. count)} of {@code batch}. */
  void append(Batch batch, int[] rows, int count) {
    int done = 0;
    while (done < count) {
      int inLast = rowCount - ((chunkCount - 1) << CHUNK_SHIFT);
      if (inLast == CHUNK_ROWS) {
        addChunk();
        inLast = 0;
      }
      ColumnBuffer[] chunk = chunks[chunkCount - 1];
      int taken = Math.min(count - done, CHUNK_ROWS - inLast);
      int capacity = chunk[0].capacity();
      if (inLast + taken > capacity) {
        // Only the first chunk starts below CHUNK_ROWS: it doubles up to it.
        int grown = Math.min(CHUNK_ROWS, Math.max(inLast + taken, capacity * 2));
        for (ColumnBuffer column : chunk) {
          column.reserveRows(grown);
        }
      }
      for (int column = 0; column < chunk.length; column++) {
        chunk[column].appendRows(batch.column(column), rows, done, taken);
      }
      done += taken;
      rowCount += taken;
    }
  }

  /**
   * Adds a chunk of {@link #CHUNK_ROWS} rows after a full one, a string column's bytes sized for
   * the full chunk's average value and an eighth more.
   */
  private void addChunk() {
    ColumnBuffer[] full = chunks[chunkCount - 1];
    ColumnBuffer[] chunk = new ColumnBuffer[types.length];
    for (int column = 0; column < types.length; column++) {
      long bytes = full[column].byteCount();
      chunk[column] =
          new ColumnBuffer(
              types[column],
              CHUNK_ROWS,
              (int)
                  Math.min(
                      Integer.MAX_VALUE - 16, Math.max(CHUNK_ROWS * 8L, bytes + (bytes >> 3))));
    }
    if (chunkCount == chunks.length) {
      chunks = Arrays.copyOf(chunks, chunkCount * 2);
    }
    chunks[chunkCount++] = chunk;
  }

  /** The chunk that holds row {@code row}. */
  private ColumnBuffer[] chunkOf(int row) {
    return chunks[row >>> CHUNK_SHIFT];
  }

  /** Whether the key column {@code column} holds longs without NULLs in every chunk. */
  private boolean holdsLongs(int column) {
    for (int chunk = 0; chunk < chunkCount; chunk++) {
      if (!chunks[chunk][column].holdsLongs()) {
        return false;
      }
    }
    return true;
  }

  /** The rows in key order, equal keys in arrival order (a stable merge sort of row numbers). */
  int[] sortedOrder() {
    int[] order = new int[rowCount];
    for (int i = 0; i < rowCount; i++) {
      order[i] = i;
    }
    if (keyColumns.length == 0 || rowCount < 2) {
      return order;
    }
    int[] scratch = new int[rowCount];
    if (keyColumns.length == 1 && holdsLongs(keyColumns[0])) {
      long[] values = new long[rowCount];
      int key = keyColumns[0];
      for (int i = 0; i < rowCount; i++) {
        values[i] = chunkOf(i)[key].getLong(i & CHUNK_MASK);
      }
      mergeSortByLong(values, order, new long[rowCount], scratch, 0, rowCount);
    } else {
      mergeSort(order, scratch, 0, rowCount);
    }
    return order;
  }

  /**
   * {@link #mergeSort} for one key column of longs without NULLs: sorts {@code values[from .. to)}
   * stably and moves {@code order} along, so comparisons read the keys sequentially.
   */
  private static void mergeSortByLong(
      long[] values, int[] order, long[] valueScratch, int[] orderScratch, int from, int to) {
    if (to - from <= 24) {
      for (int i = from + 1; i < to; i++) {
        long value = values[i];
        int row = order[i];
        int j = i - 1;
        while (j >= from && values[j] > value) {
          values[j + 1] = values[j];
          order[j + 1] = order[j];
          j--;
        }
        values[j + 1] = value;
        order[j + 1] = row;
      }
      return;
    }
    int middle = (from + to) >>> 1;
    mergeSortByLong(values, order, valueScratch, orderScratch, from, middle);
    mergeSortByLong(values, order, valueScratch, orderScratch, middle, to);
    if (values[middle - 1] <= values[middle]) {
      return;
    }
    System.arraycopy(values, from, valueScratch, from, to - from);
    System.arraycopy(order, from, orderScratch, from, to - from);
    int left = from;
    int right = middle;
    for (int out = from; out < to; out++) {
      if (right >= to || (left < middle && valueScratch[left] <= valueScratch[right])) {
        values[out] = valueScratch[left];
        order[out] = orderScratch[left++];
      } else {
        values[out] = valueScratch[right];
        order[out] = orderScratch[right++];
      }
    }
  }

  /**
   * {@link #sortedOrder()} keeping one row of each run of equal keys, for merge-on-write segments
   * that hold each key once: the last to arrive, or with a sequence column the one with the
   * greatest sequence value, the last of those on a tie ({@link SequenceOrder#newerWins}).
   *
   * @param sequenceColumn the sequence column's position, or -1
   */
  int[] lastOfEachKey(int sequenceColumn) {
    int[] order = sortedOrder();
    int kept = 0;
    int winner = -1;
    for (int i = 0; i < order.length; i++) {
      int row = order[i];
      if (winner < 0 || sequenceColumn < 0) {
        winner = row;
      } else {
        ColumnBuffer sequence = chunkOf(row)[sequenceColumn];
        ColumnBuffer winning = chunkOf(winner)[sequenceColumn];
        int local = row & CHUNK_MASK;
        int winnerLocal = winner & CHUNK_MASK;
        if (SequenceOrder.newerWins(
            sequence.isNull(local),
            sequence.isNull(local) ? 0 : sequence.getLong(local),
            winning.isNull(winnerLocal),
            winning.isNull(winnerLocal) ? 0 : winning.getLong(winnerLocal))) {
          winner = row;
        }
      }
      if (i + 1 == order.length || compareRows(row, order[i + 1]) != 0) {
        order[kept++] = winner;
        winner = -1;
      }
    }
    return kept == order.length ? order : Arrays.copyOf(order, kept);
  }

  /** Whether rows {@code left} and {@code right} have equal keys. */
  boolean sameKey(int left, int right) {
    return compareRows(left, right) == 0;
  }

  private int compareRows(int left, int right) {
    ColumnBuffer[] leftChunk = chunkOf(left);
    ColumnBuffer[] rightChunk = chunkOf(right);
    int leftRow = left & CHUNK_MASK;
    int rightRow = right & CHUNK_MASK;
    for (int key : keyColumns) {
      int order = leftChunk[key].compare(leftRow, rightChunk[key], rightRow);
      if (order != 0) {
        return order;
      }
    }
    return 0;
  }

  /** Sorts {@code order[from .. to)} stably; sorted input costs one comparison per run boundary. */
  private void mergeSort(int[] order, int[] scratch, int from, int to) {
    if (to - from <= 24) {
      for (int i = from + 1; i < to; i++) {
        int row = order[i];
        int j = i - 1;
        while (j >= from && compareRows(order[j], row) > 0) {
          order[j + 1] = order[j];
          j--;
        }
        order[j + 1] = row;
      }
      return;
    }
    int middle = (from + to) >>> 1;
    mergeSort(order, scratch, from, middle);
    mergeSort(order, scratch, middle, to);
    if (compareRows(order[middle - 1], order[middle]) <= 0) {
      return;
    }
    System.arraycopy(order, from, scratch, from, to - from);
    int left = from;
    int right = middle;
    for (int out = from; out < to; out++) {
      if (right >= to || (left < middle && compareRows(scratch[left], scratch[right]) <= 0)) {
        order[out] = scratch[left++];
      } else {
        order[out] = scratch[right++];
      }
    }
  }

  /**
   * Rows {@code order[from .. to)} as a batch of the table's columns. When those rows are
   * consecutive in arrival order (rows that came sorted by the key), each column is copied a
   * chunk's stretch at a time rather than gathered row by row.
   */
  Batch slice(int[] order, int from, int to) {
    int first = order[from];
    boolean inArrivalOrder = true;
    for (int i = from + 1; i < to && inArrivalOrder; i++) {
      inArrivalOrder = order[i] == first + (i - from);
    }
    List<ColumnVector> vectors = new ArrayList<>(types.length);
    ColumnBuffer[] parts = new ColumnBuffer[chunkCount];
    for (int column = 0; column < types.length; column++) {
      for (int chunk = 0; chunk < chunkCount; chunk++) {
        parts[chunk] = chunks[chunk][column];
      }
      ColumnVector copied =
          inArrivalOrder ? ColumnBuffer.vectorOfRange(parts, CHUNK_SHIFT, first, to - from) : null;
      vectors.add(
          copied != null ? copied : ColumnBuffer.vector(parts, CHUNK_SHIFT, order, from, to));
    }
    return new Batch(vectors, to - from);
  }
}
