package dev.basalt.meta.catalog;

import dev.basalt.common.type.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Doris's hidden columns of a UNIQUE KEY table, shown by DESC and {@code SELECT *} when the session
 * sets {@code show_hidden_columns = true}, in this order (docs/sql.md, "Hidden columns"):
 *
 * <ul>
 *   <li>{@code __DORIS_DELETE_SIGN__} TINYINT: 0 for every row a query sees (Basalt keeps no
 *       tombstone rows: a delete marks the row in the delete bitmaps). An INSERT naming it deletes
 *       the keys of the rows where it is not 0, as Stream Load's {@code merge_type} does.
 *   <li>{@code __DORIS_VERSION_COL__} BIGINT: the version of the rowset holding the row (after a
 *       compaction, the last version the compacted rowset covers).
 *   <li>{@code __DORIS_SEQUENCE_COL__}, only with a sequence column: its value ({@link
 *       UniqueKeyOptions}).
 * </ul>
 *
 * <p>They are not stored: each has a unique id no stored column has ({@link #isHidden(int)}), and
 * scans compute them. The one exception is the hidden sequence column of a table created with
 * {@code function_column.sequence_type} and no {@code sequence_col} ({@link #storesSequence}):
 * there {@code __DORIS_SEQUENCE_COL__} is a stored, nullable value column, always the last of
 * {@code table.columns()}, that every other layer (loads, merge-on-write marks, compaction) treats
 * as the table's sequence column; only the front doors ({@link #visible}) leave it out. Stateless.
 */
public final class HiddenColumns {
  private HiddenColumns() {}

  public static final String DELETE_SIGN = "__DORIS_DELETE_SIGN__";
  public static final String VERSION = "__DORIS_VERSION_COL__";
  public static final String SEQUENCE = "__DORIS_SEQUENCE_COL__";

  /** The unique ids of the hidden columns, below every id the catalog assigns (from 0 up). */
  public static final int DELETE_SIGN_ID = -1_000;

  public static final int VERSION_ID = -1_001;
  public static final int SEQUENCE_ID = -1_002;

  /** The hidden columns of {@code table} (none unless it is a UNIQUE KEY table). */
  public static List<ColumnMeta> of(TableMeta table) {
    if (table.keysType() != KeysType.UNIQUE_KEYS) {
      return List.of();
    }
    List<ColumnMeta> hidden = new ArrayList<>(3);
    hidden.add(column(DELETE_SIGN_ID, DELETE_SIGN, DataType.TINYINT));
    hidden.add(column(VERSION_ID, VERSION, DataType.BIGINT));
    int sequence = UniqueKeyOptions.sequenceColumn(table);
    if (storesSequence(table)) {
      hidden.add(table.columns().get(sequence));
    } else if (sequence >= 0) {
      ColumnMeta column = table.columns().get(sequence);
      hidden.add(
          new ColumnMeta(
              SEQUENCE_ID,
              SEQUENCE,
              column.type(),
              true,
              false,
              AggregationType.NONE,
              DefaultValue.NONE,
              "",
              false));
    }
    return hidden;
  }

  /**
   * {@code table.columns()} followed by its computed hidden columns: what SELECT * and DESC show
   * with {@code show_hidden_columns}. A stored hidden sequence column keeps its place (the last of
   * {@code table.columns()}, so before the delete sign), which keeps positions in this list equal
   * to positions in {@code table.columns()} for every stored column.
   */
  public static List<ColumnMeta> withHidden(TableMeta table) {
    List<ColumnMeta> hidden = of(table);
    if (hidden.isEmpty()) {
      return table.columns();
    }
    List<ColumnMeta> all = new ArrayList<>(table.columns());
    for (ColumnMeta column : hidden) {
      if (isHidden(column.uniqueId())) {
        all.add(column);
      }
    }
    return all;
  }

  /**
   * The columns users see without {@code show_hidden_columns} (SELECT *, DESC, SHOW CREATE TABLE,
   * information_schema.COLUMNS, positional INSERT and Stream Load): {@code table.columns()} without
   * a stored hidden sequence column. A prefix of {@code table.columns()}, so positions agree.
   */
  public static List<ColumnMeta> visible(TableMeta table) {
    List<ColumnMeta> columns = table.columns();
    return storesSequence(table) ? columns.subList(0, columns.size() - 1) : columns;
  }

  /**
   * Whether {@code table} stores {@code __DORIS_SEQUENCE_COL__} itself (a UNIQUE KEY table created
   * with {@code function_column.sequence_type} and no {@code function_column.sequence_col}).
   */
  public static boolean storesSequence(TableMeta table) {
    int sequence = UniqueKeyOptions.sequenceColumn(table);
    return sequence >= 0 && table.columns().get(sequence).name().equals(SEQUENCE);
  }

  /**
   * The stored hidden sequence column CREATE TABLE appends (unique id not assigned yet): nullable,
   * so a row loaded without a value has the smallest sequence value (NULL).
   */
  public static ColumnMeta storedSequence(DataType type) {
    return new ColumnMeta(
        0, SEQUENCE, type, true, false, AggregationType.NONE, DefaultValue.NONE, "", false);
  }

  /** The hidden column of {@code table} named {@code name} (case-insensitive), if any. */
  public static Optional<ColumnMeta> named(TableMeta table, String name) {
    return of(table).stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
  }

  public static boolean isHidden(int uniqueId) {
    return uniqueId == DELETE_SIGN_ID || uniqueId == VERSION_ID || uniqueId == SEQUENCE_ID;
  }

  private static ColumnMeta column(int id, String name, DataType type) {
    return new ColumnMeta(
        id, name, type, false, false, AggregationType.NONE, DefaultValue.literal("0"), "", false);
  }
}
