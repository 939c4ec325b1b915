package dev.basalt.meta.catalog;

import dev.basalt.common.type.TypeKind;
import java.util.List;

/**
 * The UNIQUE KEY model's per-table options, read from the table properties (docs/sql.md "UNIQUE KEY
 * options"). The sequence rule below is applied by loads, the merge-on-write marks, compaction and
 * the read-time merge alike, through its one definition in basalt-storage ({@code
 * storage.tablet.SequenceOrder}, which this module cannot see):
 *
 * <ul>
 *   <li>{@code "function_column.sequence_col" = "c"}: a row replaces the stored row of its key only
 *       if its value of {@code c} is greater than or equal to the stored one. NULL is smaller than
 *       every value (two NULLs are equal, so the newer row wins). {@code c} is a value column of an
 *       integer, DATE or DATETIME type (all stored as {@code long}).
 *   <li>{@code "function_column.sequence_type" = "t"} without {@code sequence_col}: the same rule
 *       over the stored hidden column {@code __DORIS_SEQUENCE_COL__} of type {@code t} ({@link
 *       HiddenColumns#storesSequence}), which loads fill from a source column they name.
 *   <li>{@code "enable_unique_key_replace_if_not_null" = "true"}: a NULL in a new row keeps the
 *       stored value of that column (as REPLACE_IF_NOT_NULL in an AGGREGATE table).
 * </ul>
 *
 * <p>Stateless.
 */
public final class UniqueKeyOptions {
  private UniqueKeyOptions() {}

  public static final String SEQUENCE_COLUMN = "function_column.sequence_col";
  public static final String SEQUENCE_TYPE = "function_column.sequence_type";
  public static final String REPLACE_IF_NOT_NULL = "enable_unique_key_replace_if_not_null";

  /** The sequence column types Basalt accepts (values compared as {@code long}). */
  public static final List<TypeKind> SEQUENCE_TYPES =
      List.of(
          TypeKind.TINYINT,
          TypeKind.SMALLINT,
          TypeKind.INT,
          TypeKind.BIGINT,
          TypeKind.DATE,
          TypeKind.DATETIME);

  /** The position of the sequence column in {@code table.columns()}, or -1 when there is none. */
  public static int sequenceColumn(TableMeta table) {
    if (table.keysType() != KeysType.UNIQUE_KEYS) {
      return -1;
    }
    String name = table.properties().get(SEQUENCE_COLUMN);
    if (name == null) {
      if (!table.properties().containsKey(SEQUENCE_TYPE)) {
        return -1;
      }
      // sequence_type alone: the stored hidden column (HiddenColumns.storesSequence)
      name = HiddenColumns.SEQUENCE;
    }
    List<ColumnMeta> columns = table.columns();
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  /** Whether a NULL in a new row keeps the stored value of its column. */
  public static boolean replaceIfNotNull(TableMeta table) {
    return table.keysType() == KeysType.UNIQUE_KEYS
        && "true".equalsIgnoreCase(table.properties().get(REPLACE_IF_NOT_NULL));
  }
}
