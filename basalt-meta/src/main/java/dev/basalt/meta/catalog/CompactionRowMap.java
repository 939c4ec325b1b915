package dev.basalt.meta.catalog;

import java.util.Map;
import org.roaringbitmap.RoaringBitmap;

/**
 * Where a compaction put the rows of its input segments: lets {@link Catalog#commitCompaction}
 * carry delete marks that loads committed against an input segment while the compaction ran over to
 * the output. Called under the table's commit lock; must not call back into the catalog.
 */
@FunctionalInterface
public interface CompactionRowMap {
  /**
   * @param inputSegmentPath a segment of one of the compaction's inputs
   * @param rows row numbers within that segment
   * @return per output segment path, the output rows those input rows became (rows the compaction
   *     dropped map to nothing)
   */
  Map<String, RoaringBitmap> map(String inputSegmentPath, RoaringBitmap rows);
}
