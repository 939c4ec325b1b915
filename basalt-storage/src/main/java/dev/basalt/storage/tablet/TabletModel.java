package dev.basalt.storage.tablet;

import java.util.ArrayList;
import java.util.List;

/**
 * A tablet's table model as storage needs it: its columns ({@link MergeColumn}: type, key or
 * aggregation), and for UNIQUE KEY the sequence column and replace-if-not-null. Chooses the model's
 * {@link MergeFunction} (one per model, as Paimon's merge engines): DUPLICATE KEY keeps every row,
 * AGGREGATE KEY folds each value column with its aggregation, UNIQUE KEY replaces (merge-on-read
 * tables; a merge-on-write tablet's live rows hold each key once already). Immutable and thread
 * safe.
 */
public final class TabletModel {

  /** The table models. */
  public enum Kind {
    DUPLICATE,
    AGGREGATE,
    UNIQUE
  }

  private final Kind kind;
  private final List<MergeColumn> columns;
  private final int sequenceColumn;
  private final boolean replaceIfNotNull;
  private final SketchUnion.Factory sketches;

  private TabletModel(
      Kind kind,
      List<MergeColumn> columns,
      int sequenceColumn,
      boolean replaceIfNotNull,
      SketchUnion.Factory sketches) {
    this.kind = kind;
    this.columns = List.copyOf(columns);
    this.sequenceColumn = sequenceColumn;
    this.replaceIfNotNull = replaceIfNotNull;
    this.sketches = sketches;
  }

  public static TabletModel duplicate(List<MergeColumn> columns) {
    return new TabletModel(Kind.DUPLICATE, columns, -1, false, null);
  }

  /**
   * @param sketches makes the unions of HLL_UNION, BITMAP_UNION and QUANTILE_UNION columns
   */
  public static TabletModel aggregate(List<MergeColumn> columns, SketchUnion.Factory sketches) {
    return new TabletModel(Kind.AGGREGATE, columns, -1, false, sketches);
  }

  /**
   * @param sequenceColumn the position of the sequence column (values read as longs), or -1
   * @param replaceIfNotNull whether a NULL in a newer row keeps the older value of its column
   */
  public static TabletModel unique(
      List<MergeColumn> columns, int sequenceColumn, boolean replaceIfNotNull) {
    return new TabletModel(Kind.UNIQUE, columns, sequenceColumn, replaceIfNotNull, null);
  }

  public Kind kind() {
    return kind;
  }

  public List<MergeColumn> columns() {
    return columns;
  }

  /** Whether rows of one key combine into one (AGGREGATE, UNIQUE) rather than all staying. */
  public boolean combinesRows() {
    return kind != Kind.DUPLICATE;
  }

  /** The positions of the key columns, in key order. */
  public int[] keyPositions() {
    List<Integer> keys = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).key()) {
        keys.add(i);
      }
    }
    return keys.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The columns a merge needs whatever a reader asks for: the keys and, for UNIQUE KEY, the
   * sequence column (the other columns merge each on their own, or for UNIQUE KEY follow the row
   * that wins).
   */
  public int[] mergeColumns() {
    int[] keys = keyPositions();
    if (sequenceColumn < 0) {
      return keys;
    }
    int[] result = java.util.Arrays.copyOf(keys, keys.length + 1);
    result[keys.length] = sequenceColumn;
    return result;
  }

  /**
   * The model over the columns at {@code positions} only (in that order), for a merge that reads
   * only those; they must include {@link #mergeColumns()}.
   */
  public TabletModel select(int[] positions) {
    List<MergeColumn> selected = new ArrayList<>(positions.length);
    int sequence = -1;
    for (int i = 0; i < positions.length; i++) {
      selected.add(columns.get(positions[i]));
      if (positions[i] == sequenceColumn) {
        sequence = i;
      }
    }
    for (int required : mergeColumns()) {
      boolean found = false;
      for (int position : positions) {
        found |= position == required;
      }
      if (!found) {
        throw new IllegalArgumentException("a merge needs column " + columns.get(required).name());
      }
    }
    return new TabletModel(kind, selected, sequence, replaceIfNotNull, sketches);
  }

  /** A new merge function over batches laid out like {@link #columns()}. */
  public MergeFunction newMergeFunction() {
    return switch (kind) {
      case DUPLICATE -> new DuplicateMergeFunction();
      case UNIQUE -> new ReplaceMergeFunction(sequenceColumn, replaceIfNotNull);
      case AGGREGATE -> new AggregateMergeFunction(columns, sketches);
    };
  }
}
