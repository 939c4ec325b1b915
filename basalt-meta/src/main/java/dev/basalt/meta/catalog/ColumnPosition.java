package dev.basalt.meta.catalog;

/**
 * Where ADD/MODIFY COLUMN puts a column: {@code FIRST}, {@code AFTER column}, or the default (see
 * {@link Catalog#addColumn}).
 *
 * @param first whether the column goes first
 * @param afterColumn the column it follows, or {@code null}
 */
public record ColumnPosition(boolean first, String afterColumn) {
  /** No position given. */
  public static final ColumnPosition DEFAULT = new ColumnPosition(false, null);

  public static ColumnPosition after(String column) {
    return new ColumnPosition(false, column);
  }

  public static ColumnPosition atFirst() {
    return new ColumnPosition(true, null);
  }

  public boolean isDefault() {
    return !first && afterColumn == null;
  }
}
