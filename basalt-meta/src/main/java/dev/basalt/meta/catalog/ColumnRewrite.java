package dev.basalt.meta.catalog;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import java.util.List;
import java.util.Map;

/**
 * Writes a table's data again for a schema change the stored values do not read unchanged as (ALTER
 * TABLE MODIFY COLUMN to another type, or to NOT NULL): the storage side of {@link
 * Catalog#modifyColumn(String, String, ColumnMeta, ColumnPosition, ColumnRewrite)}, implemented in
 * the load layer (the catalog knows no segment files).
 *
 * <p>Call order: the catalog calls {@link #rewrite} once per job, on the ALTER statement's thread,
 * while it holds the catalog's write lock and the table's commit lock, so the snapshot it passes
 * stays the table's state until the job commits. The implementation owns the files it writes: on
 * success the catalog's commit references them; on failure (it throws) nothing references them, and
 * the implementation deletes them or leaves them to the garbage collector.
 */
@FunctionalInterface
public interface ColumnRewrite {

  /**
   * Writes every rowset of {@code snapshot} again under {@code newDefinition}: the same rows in the
   * same order, less the rows the delete layers mark, the changed column converted with CAST's
   * rules and strictly checked.
   *
   * @param snapshot the table as it is (its definition, every tablet's rowsets and delete layers)
   * @param newDefinition the definition after the change; the changed column has a new unique id
   * @param jobId the job's id, for messages
   * @return per rowset id of the snapshot, the segments that replace that rowset's segments (an
   *     empty list when none of its rows is left); every rowset must have an entry
   * @throws Cancelled when a stored value does not convert (the job is cancelled with its message)
   */
  Map<Long, List<SegmentFile>> rewrite(TableSnapshot snapshot, TableMeta newDefinition, long jobId);

  /**
   * Called once the catalog commit referencing {@code output} (what {@link #rewrite} returned)
   * returned: the files are the catalog's now. Not called when the commit failed.
   */
  default void committed(Map<Long, List<SegmentFile>> output) {}

  /**
   * Whether a rewrite can convert values of {@code from} into {@code to}: between the scalar types
   * CAST converts (numbers, BOOLEAN, DECIMAL, DATE, DATETIME and the string types); not from or to
   * the sketch types (BITMAP, HLL, QUANTILE_STATE), which no cast produces.
   */
  static boolean converts(DataType from, DataType to) {
    return scalar(from.kind()) && scalar(to.kind());
  }

  private static boolean scalar(TypeKind kind) {
    return !kind.isSketch() && kind != TypeKind.NULL;
  }

  /** A rewrite stopped by a value that does not convert; its message names the value. */
  final class Cancelled extends RuntimeException {
    public Cancelled(String message) {
      super(message, null, false, false);
    }
  }
}
