package dev.basalt.exec.operator;

import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.exec.hash.BytesGroupHashTable;
import dev.basalt.exec.hash.KeySerializer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tells a NULL mark from a FALSE one for the probe rows of a {@link JoinType#MARK} or {@link
 * JoinType#NULL_AWARE_ANTI} join that found no build row equal on every key. Such a row's mark is
 * NULL when some build row of its subquery could still be equal: one whose comparison keys (the
 * keys compared with {@code =}) are, pair by pair, equal or NULL on either side. Its subquery's
 * rows are the build rows whose other keys (compared with {@code IS NOT DISTINCT FROM}: the
 * correlation values) are the probe row's; without such keys every build row is in it.
 *
 * <p>Two chains of build rows per group of correlation values (one group when there are none): the
 * rows with a NULL comparison key, which a probe row without NULLs may still equal, and all rows,
 * which a probe row with a NULL comparison key may equal. With one comparison key the first row of
 * the right chain decides; with several the chain is walked until a row that is not unequal. Built
 * once from the finished build side and read-only afterwards, so the probe copies of a shared build
 * may read it at once; each caller brings its own {@link KeySerializer}s.
 */
final class NullAwareMarks {
  private static final int NONE = -1;

  private final List<ColumnVector> groupKeys = new ArrayList<>();
  private final List<ColumnVector> comparisonKeys = new ArrayList<>();
  private final int[] leftGroupKeys;
  private final int[] leftComparisonKeys;

  /** Group ids by the serialized correlation values; null when there are none (one group). */
  private final BytesGroupHashTable groups;

  private int[] firstNullRow = new int[16];
  private final int[] nextNullRow;
  private int[] firstRow = new int[16];
  private final int[] nextRow;

  /**
   * @param build the build side's columns, {@code rows} rows each
   * @param nullMatches per key: true for {@code IS NOT DISTINCT FROM} (a correlation value), false
   *     for {@code =} (a comparison)
   */
  NullAwareMarks(
      List<ColumnVector> build, int rows, int[] leftKeys, int[] rightKeys, boolean[] nullMatches) {
    int groupCount = 0;
    for (boolean matches : nullMatches) {
      groupCount += matches ? 1 : 0;
    }
    leftGroupKeys = new int[groupCount];
    leftComparisonKeys = new int[leftKeys.length - groupCount];
    for (int key = 0, group = 0, comparison = 0; key < leftKeys.length; key++) {
      if (nullMatches[key]) {
        leftGroupKeys[group++] = leftKeys[key];
        groupKeys.add(build.get(rightKeys[key]));
      } else {
        leftComparisonKeys[comparison++] = leftKeys[key];
        comparisonKeys.add(build.get(rightKeys[key]));
      }
    }
    groups = groupCount == 0 ? null : new BytesGroupHashTable(Math.max(16, rows));
    nextNullRow = new int[rows];
    nextRow = new int[rows];
    Arrays.fill(firstNullRow, NONE);
    Arrays.fill(firstRow, NONE);
    KeySerializer serializer = new KeySerializer();
    int[] lastNullRow = new int[firstNullRow.length];
    int[] lastRow = new int[firstRow.length];
    // Rows are appended to the tails of their chains, so each chain is in build order.
    for (int row = 0; row < rows; row++) {
      int group = 0;
      if (groups != null) {
        int length = serializer.serialize(groupKeys, row);
        group = groups.findOrInsert(serializer.buffer(), 0, length);
        if (group >= firstRow.length) {
          int size = firstRow.length * 2;
          firstRow = grow(firstRow, size);
          firstNullRow = grow(firstNullRow, size);
          lastRow = Arrays.copyOf(lastRow, size);
          lastNullRow = Arrays.copyOf(lastNullRow, size);
        }
      }
      nextRow[row] = NONE;
      if (firstRow[group] == NONE) {
        firstRow[group] = row;
      } else {
        nextRow[lastRow[group]] = row;
      }
      lastRow[group] = row;
      if (anyNull(comparisonKeys, row)) {
        nextNullRow[row] = NONE;
        if (firstNullRow[group] == NONE) {
          firstNullRow[group] = row;
        } else {
          nextNullRow[lastNullRow[group]] = row;
        }
        lastNullRow[group] = row;
      }
    }
  }

  private static int[] grow(int[] heads, int size) {
    int old = heads.length;
    int[] grown = Arrays.copyOf(heads, size);
    Arrays.fill(grown, old, size, NONE);
    return grown;
  }

  private static boolean anyNull(List<ColumnVector> keys, int row) {
    for (ColumnVector key : keys) {
      if (key.isNull(row)) {
        return true;
      }
    }
    return false;
  }

  /** What this holds beyond the build columns, for the join's memory reservation. */
  long estimatedBytes() {
    long bytes = 4L * (nextNullRow.length + nextRow.length + firstRow.length + firstNullRow.length);
    return groups == null ? bytes : bytes + groups.estimatedBytes();
  }

  /**
   * Sets {@code unknown[row]} for each row of {@code probe} that is not {@code matched} and whose
   * mark is NULL rather than FALSE.
   *
   * @param probeSerializer and {@code buildSerializer}: the caller's own scratch serializers
   */
  void markUnknown(
      Batch probe,
      boolean[] matched,
      boolean[] unknown,
      KeySerializer probeSerializer,
      KeySerializer buildSerializer) {
    List<ColumnVector> probeGroupKeys = new ArrayList<>(leftGroupKeys.length);
    for (int key : leftGroupKeys) {
      probeGroupKeys.add(probe.column(key));
    }
    List<ColumnVector> probeComparisonKeys = new ArrayList<>(leftComparisonKeys.length);
    for (int key : leftComparisonKeys) {
      probeComparisonKeys.add(probe.column(key));
    }
    for (int row = 0; row < probe.rowCount(); row++) {
      if (matched[row]) {
        continue;
      }
      int group = 0;
      if (groups != null) {
        int length = probeSerializer.serialize(probeGroupKeys, row);
        group = groups.find(probeSerializer.buffer(), 0, length);
        if (group < 0) {
          continue;
        }
      }
      boolean probeHasNull = anyNull(probeComparisonKeys, row);
      int[] next = probeHasNull ? nextRow : nextNullRow;
      int candidate = probeHasNull ? firstRow[group] : firstNullRow[group];
      for (; candidate != NONE; candidate = next[candidate]) {
        if (notUnequal(probeComparisonKeys, row, candidate, probeSerializer, buildSerializer)) {
          unknown[row] = true;
          break;
        }
      }
    }
  }

  /** Whether no comparison key pair of the two rows is non-NULL on both sides and unequal. */
  private boolean notUnequal(
      List<ColumnVector> probeKeys,
      int probeRow,
      int buildRow,
      KeySerializer probeSerializer,
      KeySerializer buildSerializer) {
    if (probeKeys.size() == 1) {
      // One key: the chain holds only rows whose key is NULL, or the probe's key is NULL.
      return true;
    }
    for (int key = 0; key < probeKeys.size(); key++) {
      ColumnVector probeKey = probeKeys.get(key);
      ColumnVector buildKey = comparisonKeys.get(key);
      if (probeKey.isNull(probeRow) || buildKey.isNull(buildRow)) {
        continue;
      }
      int probeLength = probeSerializer.serialize(List.of(probeKey), probeRow);
      int buildLength = buildSerializer.serialize(List.of(buildKey), buildRow);
      if (!Arrays.equals(
          probeSerializer.buffer(), 0, probeLength, buildSerializer.buffer(), 0, buildLength)) {
        return false;
      }
    }
    return true;
  }
}
