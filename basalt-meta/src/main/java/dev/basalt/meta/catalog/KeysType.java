package dev.basalt.meta.catalog;

/** A table's data model (Doris's keys type): how rows with equal keys combine. */
public enum KeysType {
  /** Rows are kept as loaded; the key is only the sort order. */
  DUP_KEYS("DUPLICATE"),
  /** Rows with equal keys merge with each value column's {@link AggregationType}. */
  AGG_KEYS("AGGREGATE"),
  /** The last row loaded for a key replaces earlier ones. */
  UNIQUE_KEYS("UNIQUE");

  private final String sqlName;

  KeysType(String sqlName) {
    this.sqlName = sqlName;
  }

  /** The keyword in {@code <sqlName> KEY(...)}. */
  public String sqlName() {
    return sqlName;
  }
}
