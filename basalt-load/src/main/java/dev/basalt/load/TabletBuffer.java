package dev.basalt.load;

import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.storage.tablet.SequenceOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of one load buffered for one tablet, column by column in typed {@link ColumnBuffer}s, in
 * arrival order. {@link #sortedOrder} gives the stable permutation by the key columns that a
 * segment is written in. Not thread safe: owned by one {@link LoadTransaction}.
 */
final class TabletBuffer {
  /**
   * Rows a new buffer has room for: small, as a server may hold a buffer for each tablet of a
   * thousand tables loaded at once ({@link MemtableBudget} counts the room, used or not).
   */
  private static final int INITIAL_ROWS = 128;

  private final long tabletId;
  private final ColumnBuffer[] columns;
  private final ColumnBuffer[] keys;
  private int rowCount;

  TabletBuffer(long tabletId, TableMeta table, int[] keyColumns) {
    this.tabletId = tabletId;
    List<ColumnMeta> metas = table.columns();
    this.columns = new ColumnBuffer[metas.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = new ColumnBuffer(metas.get(i).type(), INITIAL_ROWS);
    }
    this.keys = new ColumnBuffer[keyColumns.length];
    for (int i = 0; i < keyColumns.length; i++) {
      keys[i] = columns[keyColumns[i]];
    }
  }

  long tabletId() {
    return tabletId;
  }

  int rowCount() {
    return rowCount;
  }

  long estimatedBytes() {
    long total = 0;
    for (ColumnBuffer column : columns) {
      total += column.estimatedBytes();
    }
    return total;
  }

  /** Appends rows {@code rows[0 .. count)} of {@code batch}. */
  void append(Batch batch, int[] rows, int count) {
    for (int column = 0; column < columns.length; column++) {
      columns[column].appendRows(batch.column(column), rows, count);
    }
    rowCount += count;
  }

  /** The rows in key order, equal keys in arrival order (a stable merge sort of row numbers). */
  int[] sortedOrder() {
    int[] order = new int[rowCount];
    for (int i = 0; i < rowCount; i++) {
      order[i] = i;
    }
    if (keys.length == 0 || rowCount < 2) {
      return order;
    }
    int[] scratch = new int[rowCount];
    if (keys.length == 1 && keys[0].holdsLongs()) {
      long[] values = new long[rowCount];
      for (int i = 0; i < rowCount; i++) {
        values[i] = keys[0].getLong(i);
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
    ColumnBuffer sequence = sequenceColumn < 0 ? null : columns[sequenceColumn];
    int kept = 0;
    int winner = -1;
    for (int i = 0; i < order.length; i++) {
      int row = order[i];
      if (winner < 0
          || sequence == null
          || SequenceOrder.newerWins(
              sequence.isNull(row),
              sequence.isNull(row) ? 0 : sequence.getLong(row),
              sequence.isNull(winner),
              sequence.isNull(winner) ? 0 : sequence.getLong(winner))) {
        winner = row;
      }
      if (i + 1 == order.length || compareRows(row, order[i + 1]) != 0) {
        order[kept++] = winner;
        winner = -1;
      }
    }
    return kept == order.length ? order : java.util.Arrays.copyOf(order, kept);
  }

  /** Whether rows {@code left} and {@code right} have equal keys. */
  boolean sameKey(int left, int right) {
    return compareRows(left, right) == 0;
  }

  /** The buffered values of one column. */
  ColumnBuffer column(int position) {
    return columns[position];
  }

  private int compareRows(int left, int right) {
    for (ColumnBuffer key : keys) {
      int order = key.compare(left, right);
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

  /** Rows {@code order[from .. to)} as a batch of the table's columns. */
  Batch slice(int[] order, int from, int to) {
    List<ColumnVector> vectors = new ArrayList<>(columns.length);
    for (ColumnBuffer column : columns) {
      vectors.add(column.vector(order, from, to));
    }
    return new Batch(vectors, to - from);
  }
}
