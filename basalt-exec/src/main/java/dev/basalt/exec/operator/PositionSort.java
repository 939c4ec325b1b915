package dev.basalt.exec.operator;

import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.Int128;
import dev.basalt.common.vector.LargeIntVector;
import dev.basalt.common.vector.LongVector;
import java.util.List;

/**
 * The sort kernel: orders the row positions of a set of typed column vectors by {@link SortKey}s,
 * stably (rows with equal keys keep their positions' order), without boxing a value.
 *
 * <p>The leading key is turned into a <em>normalized key</em> where its type allows, a {@code long}
 * per row whose signed order is the key's order: BIGINT-like, DATE and DATETIME values as they are,
 * DECIMAL as its scaled long, DOUBLE as its IEEE bits with the negative half flipped (-0.0 and 0.0
 * map to one value, NaN after every number), strings as their first eight UTF-8 bytes (a prefix:
 * equal prefixes fall back to the full comparison). Descending keys invert the bits. Rows whose
 * leading key is NULL are set apart first (before or after the others as the key says), so the
 * normalized keys need no NULL encoding. The positions are then merge sorted together with their
 * normalized keys (sequential reads of a {@code long[]}), and only ties on the normalized key call
 * the per-key comparators of the remaining keys, which read the vectors' primitive arrays. The
 * comparison of each type is {@link SortKey#compareNonNull}'s. Stateless.
 */
final class PositionSort {
  /** Runs shorter than this are insertion sorted before merging. */
  private static final int INSERTION_RUN = 32;

  /** Bytes of scratch memory a sort of one row needs (key, position and their merge copies). */
  static final long BYTES_PER_ROW = 24;

  private PositionSort() {}

  /** Compares two row positions of the vectors it was built over. */
  @FunctionalInterface
  interface PositionComparator {
    int compare(int left, int right);
  }

  /** The positions {@code 0 .. rowCount - 1} of {@code columns} in the order of {@code keys}. */
  static int[] sort(List<ColumnVector> columns, int rowCount, List<SortKey> keys) {
    int[] positions = new int[rowCount];
    if (keys.isEmpty()) {
      for (int i = 0; i < rowCount; i++) {
        positions[i] = i;
      }
      return positions;
    }
    SortKey leading = keys.getFirst();
    ColumnVector leadingColumn = columns.get(leading.column());
    // Rows with a NULL leading key form one block before or after the others, in input order.
    int nullCount = 0;
    if (leadingColumn.mayHaveNulls()) {
      for (int row = 0; row < rowCount; row++) {
        if (leadingColumn.isNull(row)) {
          nullCount++;
        }
      }
    }
    int nullStart = leading.nullsFirst() ? 0 : rowCount - nullCount;
    int valueStart = leading.nullsFirst() ? nullCount : 0;
    int nextNull = nullStart;
    int nextValue = valueStart;
    for (int row = 0; row < rowCount; row++) {
      if (nullCount > 0 && leadingColumn.isNull(row)) {
        positions[nextNull++] = row;
      } else {
        positions[nextValue++] = row;
      }
    }
    List<SortKey> rest = keys.subList(1, keys.size());
    PositionComparator restOrder = rest.isEmpty() ? null : comparator(columns, rest);
    long[] normalized = new long[rowCount];
    boolean exact =
        normalize(
            leadingColumn,
            leading.descending(),
            positions,
            valueStart,
            valueStart + rowCount - nullCount,
            normalized);
    PositionComparator ties;
    if (exact) {
      ties = restOrder;
    } else {
      PositionComparator leadingOrder = comparator(columns, List.of(leading));
      ties = restOrder == null ? leadingOrder : then(leadingOrder, restOrder);
    }
    long[] keyScratch = new long[rowCount];
    int[] positionScratch = new int[rowCount];
    mergeSort(
        normalized,
        positions,
        valueStart,
        valueStart + rowCount - nullCount,
        ties,
        keyScratch,
        positionScratch);
    if (nullCount > 0 && restOrder != null) {
      // The NULL block has equal (zero) normalized keys: the remaining keys order it.
      mergeSort(
          normalized,
          positions,
          nullStart,
          nullStart + nullCount,
          restOrder,
          keyScratch,
          positionScratch);
    }
    return positions;
  }

  /**
   * Fills {@code normalized[i]} for {@code positions[from .. to)} with the normalized key of that
   * row; returns whether equal normalized keys mean equal values (false for string prefixes and for
   * types without a normalized key, whose keys are left zero).
   */
  private static boolean normalize(
      ColumnVector column,
      boolean descending,
      int[] positions,
      int from,
      int to,
      long[] normalized) {
    long flip = descending ? -1L : 0L;
    switch (column) {
      case LongVector longs -> {
        for (int i = from; i < to; i++) {
          normalized[i] = longs.getLong(positions[i]) ^ flip;
        }
        return true;
      }
      case DecimalVector decimals when decimals.isScaledLong() -> {
        for (int i = from; i < to; i++) {
          normalized[i] = decimals.getUnscaled(positions[i]) ^ flip;
        }
        return true;
      }
      case DoubleVector doubles -> {
        for (int i = from; i < to; i++) {
          normalized[i] = normalizedDouble(doubles.getDouble(positions[i])) ^ flip;
        }
        return true;
      }
      case BytesVector strings -> {
        byte[] raw = strings.rawBytes();
        for (int i = from; i < to; i++) {
          int row = positions[i];
          normalized[i] = stringPrefix(raw, strings.offset(row), strings.byteLength(row)) ^ flip;
        }
        return false;
      }
      default -> {
        return false;
      }
    }
  }

  /** A long whose signed order is {@link SortKey#compareDoubles}'s order of doubles. */
  static long normalizedDouble(double value) {
    // -0.0 + 0.0 is 0.0; every NaN becomes the one canonical NaN.
    long bits = Double.doubleToLongBits(value + 0.0);
    return bits < 0 ? bits ^ Long.MAX_VALUE : bits;
  }

  /** The first eight bytes of a string, zero padded, as a long in unsigned byte order. */
  static long stringPrefix(byte[] raw, int offset, int length) {
    long prefix = 0;
    int take = Math.min(length, 8);
    for (int i = 0; i < take; i++) {
      prefix |= (raw[offset + i] & 0xFFL) << (56 - 8 * i);
    }
    return prefix ^ Long.MIN_VALUE;
  }

  /**
   * Stable merge sort of {@code positions[from .. to)} carrying {@code keys[from .. to)} along: by
   * key, then by {@code ties} (may be null: equal keys keep their order).
   */
  private static void mergeSort(
      long[] keys,
      int[] positions,
      int from,
      int to,
      PositionComparator ties,
      long[] keyScratch,
      int[] positionScratch) {
    for (int start = from; start < to; start += INSERTION_RUN) {
      insertionSort(keys, positions, start, Math.min(start + INSERTION_RUN, to), ties);
    }
    long[] sourceKeys = keys;
    int[] sourcePositions = positions;
    long[] targetKeys = keyScratch;
    int[] targetPositions = positionScratch;
    for (int width = INSERTION_RUN; width < to - from; width *= 2) {
      for (int low = from; low < to; low += 2 * width) {
        int middle = Math.min(low + width, to);
        int high = Math.min(low + 2 * width, to);
        merge(sourceKeys, sourcePositions, targetKeys, targetPositions, low, middle, high, ties);
      }
      long[] keySwap = sourceKeys;
      sourceKeys = targetKeys;
      targetKeys = keySwap;
      int[] positionSwap = sourcePositions;
      sourcePositions = targetPositions;
      targetPositions = positionSwap;
    }
    if (sourceKeys != keys) {
      System.arraycopy(sourceKeys, from, keys, from, to - from);
      System.arraycopy(sourcePositions, from, positions, from, to - from);
    }
  }

  private static void insertionSort(
      long[] keys, int[] positions, int from, int to, PositionComparator ties) {
    for (int i = from + 1; i < to; i++) {
      long key = keys[i];
      int position = positions[i];
      int j = i - 1;
      while (j >= from && compare(keys[j], positions[j], key, position, ties) > 0) {
        keys[j + 1] = keys[j];
        positions[j + 1] = positions[j];
        j--;
      }
      keys[j + 1] = key;
      positions[j + 1] = position;
    }
  }

  private static void merge(
      long[] keys,
      int[] positions,
      long[] targetKeys,
      int[] targetPositions,
      int low,
      int middle,
      int high,
      PositionComparator ties) {
    int left = low;
    int right = middle;
    int target = low;
    if (middle >= high
        || compare(keys[middle - 1], positions[middle - 1], keys[middle], positions[middle], ties)
            <= 0) {
      // Already in order (or nothing to merge).
      System.arraycopy(keys, low, targetKeys, low, high - low);
      System.arraycopy(positions, low, targetPositions, low, high - low);
      return;
    }
    while (left < middle && right < high) {
      if (compare(keys[left], positions[left], keys[right], positions[right], ties) <= 0) {
        targetKeys[target] = keys[left];
        targetPositions[target++] = positions[left++];
      } else {
        targetKeys[target] = keys[right];
        targetPositions[target++] = positions[right++];
      }
    }
    System.arraycopy(keys, left, targetKeys, target, middle - left);
    System.arraycopy(positions, left, targetPositions, target, middle - left);
    target += middle - left;
    System.arraycopy(keys, right, targetKeys, target, high - right);
    System.arraycopy(positions, right, targetPositions, target, high - right);
  }

  private static int compare(
      long leftKey, int leftPosition, long rightKey, int rightPosition, PositionComparator ties) {
    int order = Long.compare(leftKey, rightKey);
    return order != 0 || ties == null ? order : ties.compare(leftPosition, rightPosition);
  }

  /**
   * Compares two rows of {@code columns} by {@code keys}, with one comparator per key specialized
   * to its vector's type (NULLs placed as the key says).
   */
  static PositionComparator comparator(List<ColumnVector> columns, List<SortKey> keys) {
    PositionComparator result = null;
    for (int i = keys.size() - 1; i >= 0; i--) {
      SortKey key = keys.get(i);
      PositionComparator one = keyComparator(columns.get(key.column()), key);
      result = result == null ? one : then(one, result);
    }
    return result == null ? (left, right) -> 0 : result;
  }

  private static PositionComparator then(PositionComparator first, PositionComparator second) {
    return (left, right) -> {
      int order = first.compare(left, right);
      return order != 0 ? order : second.compare(left, right);
    };
  }

  private static PositionComparator keyComparator(ColumnVector column, SortKey key) {
    PositionComparator ascending =
        switch (column) {
          case LongVector longs -> (a, b) -> Long.compare(longs.getLong(a), longs.getLong(b));
          case DoubleVector doubles ->
              (a, b) -> SortKey.compareDoubles(doubles.getDouble(a), doubles.getDouble(b));
          case BytesVector strings -> {
            byte[] raw = strings.rawBytes();
            yield (a, b) ->
                Integer.signum(
                    SortKey.compareUtf8(
                        raw,
                        strings.offset(a),
                        strings.byteLength(a),
                        raw,
                        strings.offset(b),
                        strings.byteLength(b)));
          }
          case DecimalVector decimals when decimals.isScaledLong() ->
              (a, b) -> Long.compare(decimals.getUnscaled(a), decimals.getUnscaled(b));
          case DecimalVector decimals when decimals.isInt128() ->
              (a, b) ->
                  Int128.compare(
                      decimals.getHigh(a),
                      decimals.getLow(a),
                      decimals.getHigh(b),
                      decimals.getLow(b));
          case DecimalVector decimals ->
              (a, b) -> decimals.getDecimal(a).compareTo(decimals.getDecimal(b));
          case LargeIntVector integers ->
              (a, b) ->
                  Int128.compare(
                      integers.getHigh(a),
                      integers.getLow(a),
                      integers.getHigh(b),
                      integers.getLow(b));
        };
    PositionComparator directed = key.descending() ? (a, b) -> ascending.compare(b, a) : ascending;
    if (!column.mayHaveNulls()) {
      return directed;
    }
    int nullFirst = key.nullsFirst() ? -1 : 1;
    return (a, b) -> {
      boolean leftNull = column.isNull(a);
      boolean rightNull = column.isNull(b);
      if (leftNull || rightNull) {
        return leftNull == rightNull ? 0 : leftNull ? nullFirst : -nullFirst;
      }
      return directed.compare(a, b);
    };
  }
}
