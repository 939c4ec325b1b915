package dev.basalt.meta.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which columns of a table its segments also keep row by row in a row-store column (Doris's {@code
 * "store_row_column" = "true"}: every column; Doris 3's {@code "row_store_columns" = "c1,c2"}:
 * those), read by primary-key point lookups with one value decode (docs/format.md section 14,
 * docs/sql.md "Row store"). Every segment writer of a table asks here, so loads, UPDATE, partial
 * updates and compaction write the same row store. Stateless.
 */
public final class RowStoreOptions {
  private RowStoreOptions() {}

  public static final String STORE_ROW_COLUMN = "store_row_column";
  public static final String ROW_STORE_COLUMNS = "row_store_columns";

  /**
   * The positions in {@code table.columns()} of the row-stored columns, in declaration order, or
   * {@code null} when the table has no row store. Names in {@code row_store_columns} that are no
   * longer columns (dropped later) are left out.
   */
  public static int[] positions(TableMeta table) {
    List<ColumnMeta> columns = table.columns();
    if ("true".equalsIgnoreCase(table.properties().get(STORE_ROW_COLUMN))) {
      int[] all = new int[columns.size()];
      for (int i = 0; i < all.length; i++) {
        all[i] = i;
      }
      return all;
    }
    String named = table.properties().get(ROW_STORE_COLUMNS);
    if (named == null || named.isBlank()) {
      return null;
    }
    List<String> names = names(named);
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      if (names.contains(columns.get(i).name().toLowerCase(Locale.ROOT))) {
        positions.add(i);
      }
    }
    return positions.isEmpty() ? null : positions.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The lower-cased column names of a {@code row_store_columns} value. */
  public static List<String> names(String rowStoreColumns) {
    List<String> names = new ArrayList<>();
    for (String name : rowStoreColumns.split(",")) {
      String trimmed = name.trim();
      if (trimmed.startsWith("`") && trimmed.endsWith("`") && trimmed.length() > 1) {
        trimmed = trimmed.substring(1, trimmed.length() - 1);
      }
      if (!trimmed.isEmpty()) {
        names.add(trimmed.toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }
}
