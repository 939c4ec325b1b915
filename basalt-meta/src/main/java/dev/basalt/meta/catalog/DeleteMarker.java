package dev.basalt.meta.catalog;

import java.util.List;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;

/**
 * Computes, inside {@link Catalog#commitLoad(long, String, Map, long, DeleteMarker)}, which rows of
 * a merge-on-write table the committing load replaces. The catalog calls it once per commit, while
 * it holds its commit lock, with the tablets' state as of the previous commit, so marks computed by
 * concurrent loads never miss each other's rows.
 *
 * <p>Call order per tablet: {@link #mark}, then {@link #segments}. Implementations must not call
 * back into the catalog's write methods ({@link Catalog#allocateId()} is allowed).
 */
@FunctionalInterface
public interface DeleteMarker {
  /**
   * @param tabletId a tablet the load touches
   * @param visibleRowsets the tablet's committed rowsets, by version (not including the load's)
   * @param visibleDeletes the delete layers already recorded for those rowsets' segments
   * @return per segment path (of visible rowsets or of the load's own segments) the rows to mark;
   *     empty when the load replaces nothing
   */
  Map<String, RoaringBitmap> mark(
      long tabletId, List<RowsetMeta> visibleRowsets, List<SegmentDeletes> visibleDeletes);

  /**
   * The segments the load commits into {@code tabletId}, asked after {@link #mark} for that tablet:
   * by default the load's own; a marker that wrote rows of its own under the commit lock (the
   * re-read of a partial column update) returns them too, in the order lookups must see them.
   *
   * @param loadSegments the load's segments of the tablet, in write order
   */
  default List<SegmentFile> segments(long tabletId, List<SegmentFile> loadSegments) {
    return loadSegments;
  }
}
