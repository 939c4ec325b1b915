package dev.basalt.storage.tablet;

import dev.basalt.common.vector.Batch;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The work of one streaming scan of some tablets (DUPLICATE KEY and merge-on-write UNIQUE KEY
 * tablets, whose live rows need no merge): their segments' rows cut into {@link Morsel}s in one
 * queue that the scan's copies share. Each copy is a {@link TabletReader#segmentScan} stream on its
 * own thread that takes the next morsel when it has read the last one, so a copy that meets cheap
 * rows takes more of them.
 *
 * <p>Thread safe: any number of streams may take morsels at once; each morsel goes to one.
 */
public final class TabletScan {
  /** The rows of a morsel of {@link #inMorsels} (the last of a segment may have fewer). */
  public static final long MORSEL_ROWS = 16L * Batch.DEFAULT_SIZE;

  private static final long WHOLE_SEGMENT = Long.MAX_VALUE;

  private final Queue<Morsel> morsels = new ConcurrentLinkedQueue<>();
  private final long rowCount;

  private TabletScan(List<TabletSnapshot> tablets, long morselRows) {
    long rows = 0;
    for (TabletSnapshot tablet : tablets) {
      for (TabletSnapshot.Rowset rowset : tablet.rowsets()) {
        for (TabletSnapshot.Segment segment : rowset.segments()) {
          rows += segment.rowCount();
          if (morselRows == WHOLE_SEGMENT) {
            morsels.add(new Morsel(segment, 0, segment.rowCount()));
            continue;
          }
          for (long first = 0; first < segment.rowCount(); first += morselRows) {
            morsels.add(
                new Morsel(segment, first, Math.min(morselRows, segment.rowCount() - first)));
          }
        }
      }
    }
    this.rowCount = rows;
  }

  /** One morsel per segment of {@code tablets}, in their order: for a scan read by one stream. */
  public static TabletScan wholeSegments(List<TabletSnapshot> tablets) {
    return new TabletScan(tablets, WHOLE_SEGMENT);
  }

  /**
   * The segments of {@code tablets} cut into morsels of {@link #MORSEL_ROWS} rows: for a scan that
   * parallel streams share.
   */
  public static TabletScan inMorsels(List<TabletSnapshot> tablets) {
    return new TabletScan(tablets, MORSEL_ROWS);
  }

  /** The rows of every segment of the scan, live or not, read or still queued. */
  public long rowCount() {
    return rowCount;
  }

  /** The next morsel to read, or null when every one has been taken. */
  Morsel take() {
    return morsels.poll();
  }

  /**
   * Rows {@code [firstRow, firstRow + rowCount)} of one segment: the unit of work that a scan's
   * copies take from the shared queue.
   */
  record Morsel(TabletSnapshot.Segment segment, long firstRow, long rowCount) {}
}
