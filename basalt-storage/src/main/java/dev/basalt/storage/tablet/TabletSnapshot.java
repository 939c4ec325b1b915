package dev.basalt.storage.tablet;

import java.util.ArrayList;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * What a reader sees of one tablet at one version: its visible rowsets in version order, each with
 * its segments in the order they were written and the rows each segment has marked deleted at that
 * version. Plain values taken from the catalog's snapshot (basalt-load's {@code TabletSnapshots}
 * makes them); the bitmaps are only read. Immutable.
 *
 * @param tabletId the tablet's id (or, for a merge group of several tablets, the group's), for
 *     messages
 * @param rowsets the visible rowsets, oldest first
 */
public record TabletSnapshot(long tabletId, List<Rowset> rowsets) {

  public TabletSnapshot {
    rowsets = List.copyOf(rowsets);
  }

  /**
   * The data of a range of partition versions: one load's ({@code startVersion == endVersion}) or a
   * compaction's output that merged the loads of {@code [startVersion, endVersion]}.
   *
   * @param segments its segments in write order, each of version {@code endVersion}
   */
  public record Rowset(long startVersion, long endVersion, List<Segment> segments) {
    public Rowset {
      segments = List.copyOf(segments);
      if (startVersion > endVersion) {
        throw new IllegalArgumentException(
            "version range [" + startVersion + ", " + endVersion + "]");
      }
      for (Segment segment : segments) {
        if (segment.version() != endVersion) {
          throw new IllegalArgumentException(
              "segment "
                  + segment.path()
                  + " of version "
                  + segment.version()
                  + " in a rowset of "
                  + "versions ["
                  + startVersion
                  + ", "
                  + endVersion
                  + "]");
        }
      }
    }
  }

  /**
   * One visible segment.
   *
   * @param path the segment file's path in the file system
   * @param rowCount its rows, live or not
   * @param version the end version of its rowset
   * @param deleted the rows marked deleted at the snapshot's version, or null for none
   */
  public record Segment(String path, long rowCount, long version, RoaringBitmap deleted) {
    /** Whether the delete marks cover every row: a scan has nothing to read here. */
    public boolean allDeleted() {
      return deleted != null && deleted.getLongCardinality() >= rowCount;
    }
  }

  /** The segments of every rowset, oldest rowset first. */
  public List<Segment> segments() {
    List<Segment> segments = new ArrayList<>();
    for (Rowset rowset : rowsets) {
      segments.addAll(rowset.segments());
    }
    return segments;
  }

  /** The rows of every segment, live or not. */
  public long rowCount() {
    long rows = 0;
    for (Rowset rowset : rowsets) {
      for (Segment segment : rowset.segments()) {
        rows += segment.rowCount();
      }
    }
    return rows;
  }
}
