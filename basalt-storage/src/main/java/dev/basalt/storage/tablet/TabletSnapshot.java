package dev.basalt.storage.tablet;

import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * What a reader sees of one tablet at one version: its visible segments in version order (the
 * segments of older rowsets first, a rowset's segments in the order they were written) with the
 * rows each has marked deleted at that version. Plain values taken from the catalog's snapshot; the
 * bitmaps are only read. Immutable.
 *
 * @param tabletId the tablet's id, for messages
 * @param segments the visible segments, oldest first
 */
public record TabletSnapshot(long tabletId, List<Segment> segments) {

  public TabletSnapshot {
    segments = List.copyOf(segments);
  }

  /**
   * One visible segment.
   *
   * @param path the segment file's path in the file system
   * @param rowCount its rows, live or not
   * @param version the end version of its rowset
   * @param deleted the rows marked deleted at the snapshot's version, or null for none
   */
  public record Segment(String path, long rowCount, long version, RoaringBitmap deleted) {}

  /** The rows of every segment, live or not. */
  public long rowCount() {
    long rows = 0;
    for (Segment segment : segments) {
      rows += segment.rowCount();
    }
    return rows;
  }
}
