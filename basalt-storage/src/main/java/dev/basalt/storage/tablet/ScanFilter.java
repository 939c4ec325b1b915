package dev.basalt.storage.tablet;

import dev.basalt.storage.segment.ColumnBound;
import dev.basalt.storage.segment.SegmentFilter;
import java.util.List;

/**
 * A predicate that the caller of a streaming scan ({@link TabletReader#segmentScan}) pushes into
 * its segment reads. The scan asks for {@link #bounds} once, when its stream is made, skips the
 * segments whose zone maps rule them out, and reads every other morsel through {@link
 * #forSegment}'s filter; it leaves out the rows a segment marks deleted itself, after the filter's
 * selector has chosen, so a filter never sees delete marks.
 *
 * <p>Shared by the parallel streams of one scan: both methods may be called from several threads at
 * once.
 */
public interface ScanFilter {

  /**
   * Comparisons (over the scan's request positions) that every row the filter keeps satisfies, for
   * the zone-map checks of whole segments and page ranges; may be empty.
   */
  List<ColumnBound> bounds();

  /**
   * The filter of one morsel's rows: its bounds are {@code bounds} (what {@link #bounds} answered
   * when the stream was made), its selector picks the rows the predicate keeps.
   */
  SegmentFilter forSegment(List<ColumnBound> bounds);
}
