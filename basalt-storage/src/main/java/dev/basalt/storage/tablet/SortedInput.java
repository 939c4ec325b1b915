package dev.basalt.storage.tablet;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.result.BatchStream;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import java.util.List;

/**
 * One input of a k-way merge over sorted inputs ({@link SortedMerge}, {@link SortedRuns}),
 * positioned on its current row: the input's current batch, that batch's key vectors and the row.
 * The merge moves {@link #row} itself within a batch and calls {@link #nextBatch()} at its end.
 *
 * <p>Checks that the input is in key order as the merge reads it: {@link #nextBatch()} compares a
 * batch's first row with the previous batch's last row, {@link #checkOrder} the rows within a batch
 * (each merge checks them when it reads them). An input out of order fails with {@link
 * ErrorCode#STORAGE_CORRUPTION} naming the input, instead of the merge returning wrong results.
 *
 * <p>The merge owns the stream and closes it ({@link #closeAll}). Not thread safe.
 *
 * @param <S> the kind of stream
 */
class SortedInput<S extends BatchStream> {
  /** The input's position among the merge's inputs, which are in version order, oldest first. */
  final int ordinal;

  final S stream;
  final String name;

  /** The positions of the key columns in the stream's batches; null when every column is a key. */
  private final int[] keyPositions;

  Batch batch;
  ColumnVector[] keys;
  int row;

  /**
   * @param keyPositions the positions of the key columns in the stream's batches, in key order;
   *     null when the batches hold only the key columns
   */
  SortedInput(int ordinal, S stream, String name, int[] keyPositions) {
    this.ordinal = ordinal;
    this.stream = stream;
    this.name = name;
    this.keyPositions = keyPositions;
  }

  /** The merge order of two inputs' current rows: key order, ties in version order. */
  static int order(SortedInput<?> left, SortedInput<?> right) {
    int order = KeyComparator.compare(left.keys, left.row, right.keys, right.row);
    return order != 0 ? order : Integer.compare(left.ordinal, right.ordinal);
  }

  /**
   * Whether row {@code candidate} of this input's batch sorts before {@code other}'s current row
   * (ties: before a newer input).
   */
  final boolean precedes(int candidate, SortedInput<?> other) {
    int order = KeyComparator.compare(keys, candidate, other.keys, other.row);
    return order < 0 || (order == 0 && ordinal < other.ordinal);
  }

  /**
   * Moves to the first row of the next non-empty batch, checking that it does not sort before the
   * previous batch's last row; false at the end (the batch and keys become null).
   */
  final boolean nextBatch() {
    ColumnVector[] previousKeys = keys;
    int previousRow = batch == null ? -1 : batch.rowCount() - 1;
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
    int keyCount = keyPositions == null ? batch.columnCount() : keyPositions.length;
    keys = new ColumnVector[keyCount];
    for (int k = 0; k < keyCount; k++) {
      keys[k] = batch.column(keyPositions == null ? k : keyPositions[k]);
    }
    row = 0;
    if (previousKeys != null && KeyComparator.compare(previousKeys, previousRow, keys, 0) > 0) {
      throw outOfOrder();
    }
    return true;
  }

  /**
   * Checks that each of rows {@code [from, to)} of the batch does not sort before the row before.
   */
  final void checkOrder(int from, int to) {
    for (int r = from; r < to; r++) {
      if (KeyComparator.compare(keys, r - 1, keys, r) > 0) {
        throw outOfOrder();
      }
    }
  }

  private BasaltException outOfOrder() {
    return new BasaltException(
        ErrorCode.STORAGE_CORRUPTION, name, "rows are not sorted by the table's key columns");
  }

  /**
   * Closes every input's stream, the rest too when one fails, and throws the first failure; {@code
   * inputs} is emptied.
   */
  static void closeAll(List<? extends SortedInput<?>> inputs) {
    RuntimeException failure = null;
    for (SortedInput<?> input : inputs) {
      try {
        input.stream.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        }
      }
    }
    inputs.clear();
    if (failure != null) {
      throw failure;
    }
  }
}
