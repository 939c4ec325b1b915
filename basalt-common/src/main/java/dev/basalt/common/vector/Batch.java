package dev.basalt.common.vector;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A horizontal slice of a relation: equally long column vectors, about {@link #DEFAULT_SIZE} rows,
 * and optionally a selection vector saying which of those rows belong to the relation.
 *
 * <p>The row count is explicit because a batch may have no columns (e.g. the input of {@code
 * count(*)}). {@link #rowCount()} is the length of every column vector. A batch without a selection
 * ("compacted") holds all of them; a batch with a selection holds only the rows at {@link
 * #selection()}{@code [0 .. selectedCount())}: ascending, distinct offsets below {@code rowCount},
 * and the rows between them are not part of the relation (their values may be anything a filter
 * rejected). A filter thereby passes its input's vectors on unchanged plus the offsets that passed,
 * instead of copying every surviving row of every column.
 *
 * <p>Who sees a selection: {@link #compacted()} gathers the selected rows into new vectors (and is
 * the batch itself when there is no selection). Operators hand each other compacted batches from
 * {@code Operator.next()}; only a consumer that reads selections asks its input for one, through
 * {@code Operator.nextSelected()} (today FilterOperator, which refines the selection,
 * ProjectOperator and the hash aggregations; a segment scan's stream, {@code
 * BatchStream.nextSelected()}, produces selections too). Every other consumer (joins, sort, window,
 * set operations, exchanges, spill files, the result writer) therefore never receives a selected
 * batch. See docs/architecture.md, "Selection vectors".
 *
 * <p>Immutable; operators produce new batches rather than changing one. The selection array is
 * shared, not copied: neither its producer nor its readers change it once the batch exists.
 */
public final class Batch {
  public static final int DEFAULT_SIZE = 4096;

  private final List<ColumnVector> columns;
  private final int rowCount;
  private final int[] selection;
  private final int selectedCount;

  /** A compacted batch: every row of {@code columns} (each {@code rowCount} long) is selected. */
  public Batch(List<ColumnVector> columns, int rowCount) {
    this(columns, rowCount, null, rowCount);
  }

  private Batch(List<ColumnVector> columns, int rowCount, int[] selection, int selectedCount) {
    this.columns = List.copyOf(columns);
    for (ColumnVector column : this.columns) {
      if (column.size() != rowCount) {
        throw new IllegalArgumentException(
            "column of " + column.size() + " rows in a batch of " + rowCount);
      }
    }
    this.rowCount = rowCount;
    this.selection = selection;
    this.selectedCount = selectedCount;
  }

  public static Batch of(List<ColumnVector> columns) {
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("a batch without columns needs an explicit row count");
    }
    return new Batch(columns, columns.get(0).size());
  }

  /**
   * The rows {@code positions[0 .. count)} of {@code columns} (each {@code rowCount} long), without
   * copying: {@code positions} must be ascending and distinct offsets below {@code rowCount}, and
   * is kept (not copied). Selecting every row gives a compacted batch.
   */
  public static Batch selected(
      List<ColumnVector> columns, int rowCount, int[] positions, int count) {
    Objects.checkFromIndexSize(0, count, positions.length);
    if (count > rowCount) {
      throw new IllegalArgumentException(count + " rows selected of " + rowCount);
    }
    return count == rowCount
        ? new Batch(columns, rowCount)
        : new Batch(columns, rowCount, positions, count);
  }

  /**
   * The same vectors with the rows {@code positions[0 .. count)} selected (see {@link #selected}).
   */
  public Batch withSelection(int[] positions, int count) {
    return selected(columns, rowCount, positions, count);
  }

  public List<ColumnVector> columns() {
    return columns;
  }

  public ColumnVector column(int index) {
    return columns.get(index);
  }

  public int columnCount() {
    return columns.size();
  }

  /** The length of every column vector: the batch's row count when it has no selection. */
  public int rowCount() {
    return rowCount;
  }

  /** Whether only the rows at {@link #selection()} belong to the relation. */
  public boolean hasSelection() {
    return selection != null;
  }

  /** The selected offsets (valid up to {@link #selectedCount()}), or {@code null}: every row. */
  public int[] selection() {
    return selection;
  }

  /** How many rows belong to the relation: {@link #rowCount()} when there is no selection. */
  public int selectedCount() {
    return selectedCount;
  }

  /**
   * Writes the offsets of the selected rows into {@code positions} (room for {@link
   * #selectedCount()}) and returns how many: the selection, or {@code 0 .. rowCount - 1}.
   */
  public int positions(int[] positions) {
    if (selection != null) {
      System.arraycopy(selection, 0, positions, 0, selectedCount);
    } else {
      for (int row = 0; row < rowCount; row++) {
        positions[row] = row;
      }
    }
    return selectedCount;
  }

  /**
   * This batch without a selection: itself when it has none, else its selected rows gathered (in
   * order) into new vectors by {@link ColumnVectors#take}.
   */
  public Batch compacted() {
    if (selection == null) {
      return this;
    }
    List<ColumnVector> gathered = new ArrayList<>(columns.size());
    for (ColumnVector column : columns) {
      gathered.add(ColumnVectors.take(column, selection, selectedCount));
    }
    return new Batch(gathered, selectedCount);
  }

  @Override
  public String toString() {
    return "Batch["
        + columns.size()
        + " columns, "
        + rowCount
        + " rows"
        + (selection == null ? "" : ", " + selectedCount + " selected")
        + "]";
  }
}
