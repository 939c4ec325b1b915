package dev.basalt.common.vector;

import java.util.List;

/**
 * A horizontal slice of a relation: equally long column vectors, about {@link #DEFAULT_SIZE} rows.
 *
 * <p>The row count is explicit because a batch may have no columns (e.g. the input of {@code
 * count(*)}). Immutable; operators produce new batches rather than changing one.
 */
public record Batch(List<ColumnVector> columns, int rowCount) {
  public static final int DEFAULT_SIZE = 4096;

  public Batch {
    columns = List.copyOf(columns);
    for (ColumnVector column : columns) {
      if (column.size() != rowCount) {
        throw new IllegalArgumentException(
            "column of " + column.size() + " rows in a batch of " + rowCount);
      }
    }
  }

  public static Batch of(List<ColumnVector> columns) {
    if (columns.isEmpty()) {
      throw new IllegalArgumentException("a batch without columns needs an explicit row count");
    }
    return new Batch(columns, columns.get(0).size());
  }

  public ColumnVector column(int index) {
    return columns.get(index);
  }

  public int columnCount() {
    return columns.size();
  }
}
