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
 * <p>Implementations must not call back into the catalog's write methods.
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
}
