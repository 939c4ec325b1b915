package dev.basalt.meta.catalog;

import java.util.Objects;
import org.roaringbitmap.RoaringBitmap;

/**
 * Rows of one segment that one commit marked as deleted (replaced by a newer row of their key, or
 * removed by DELETE) in a merge-on-write UNIQUE KEY table: one layer of the segment's versioned
 * delete bitmap. A reader at version V skips the union of the layers with {@code version <= V}.
 *
 * <p>Immutable by contract: the bitmap is never modified after the record is made, so records may
 * be shared between threads and snapshots.
 *
 * @param segmentPath the segment's path (as in {@link SegmentFile#path()})
 * @param version the partition version of the commit that made the marks
 * @param rows the marked row numbers within the segment
 */
public record SegmentDeletes(String segmentPath, long version, RoaringBitmap rows) {
  public SegmentDeletes {
    Objects.requireNonNull(segmentPath, "segmentPath");
    Objects.requireNonNull(rows, "rows");
  }
}
