package dev.basalt.storage.segment;

import dev.basalt.common.type.DataType;
import java.util.Objects;

/**
 * One column of a segment's schema.
 *
 * @param uniqueId the column's catalog-wide stable id (survives renames; a column added later by a
 *     light schema change has an id no older segment contains)
 * @param type the column's type; its physical layout decides the vector type of reads
 * @param nullable whether rows may be NULL; a NULL appended to a non-nullable column is rejected
 */
public record SegmentColumn(int uniqueId, DataType type, boolean nullable) {
  public SegmentColumn {
    Objects.requireNonNull(type, "type");
  }
}
