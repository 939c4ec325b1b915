package dev.basalt.storage.segment;

import dev.basalt.common.type.DataType;

/**
 * One column to read from a segment with {@link SegmentReader#read(java.util.List, long, long)}.
 *
 * <p>If the segment contains {@code uniqueId}, its stored values are returned, declared as {@code
 * type} when that is given (a MODIFY COLUMN after the segment was written may have widened the
 * type: {@link dev.basalt.common.type.StoredTypeChange}), else with the stored type. If it does not
 * (the column was added by a schema change after the segment was written), every row reads as
 * {@code defaultIfAbsent} with type {@code type}; when {@code type} is {@code null} an absent
 * column is a caller error.
 *
 * @param uniqueId the column's unique id
 * @param type the type of the column as the table now declares it, or {@code null}
 * @param defaultIfAbsent the column's default (representation of {@code Values}); {@code null}
 *     means NULL
 */
public record ColumnRequest(int uniqueId, DataType type, Object defaultIfAbsent) {

  /** A column that must be present in the segment. */
  public static ColumnRequest of(int uniqueId) {
    return new ColumnRequest(uniqueId, null, null);
  }

  /** A column that reads as {@code defaultValue} (or NULL) where the segment lacks it. */
  public static ColumnRequest withDefault(int uniqueId, DataType type, Object defaultValue) {
    return new ColumnRequest(uniqueId, type, defaultValue);
  }
}
