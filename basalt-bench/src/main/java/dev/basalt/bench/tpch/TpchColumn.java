package dev.basalt.bench.tpch;

/**
 * One column of a TPC-H table.
 *
 * @param name the column name, e.g. {@code l_orderkey}
 * @param sqlType the SQL type both engines accept, e.g. {@code DECIMAL(15,2)}
 */
public record TpchColumn(String name, String sqlType) {

  /** Whether a value of this column is written as a quoted literal in SQL (text and dates). */
  public boolean quoted() {
    return sqlType.startsWith("CHAR") || sqlType.startsWith("VARCHAR") || sqlType.equals("DATE");
  }
}
