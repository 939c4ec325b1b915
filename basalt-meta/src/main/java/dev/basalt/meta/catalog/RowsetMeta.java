package dev.basalt.meta.catalog;

import java.util.List;

/**
 * The immutable output of one committed load in one tablet: its segment files, visible from {@code
 * version} on.
 *
 * @param id the rowset id
 * @param tabletId the tablet it belongs to
 * @param version the partition version that made it visible
 * @param transactionId the load transaction that created it
 * @param segments its segment files in write order
 * @param rowCount rows over all segments
 * @param byteSize bytes over all segments
 */
public record RowsetMeta(
    long id,
    long tabletId,
    long version,
    long transactionId,
    List<SegmentFile> segments,
    long rowCount,
    long byteSize) {
  public RowsetMeta {
    segments = List.copyOf(segments);
  }
}
