package dev.basalt.server.engine;

import dev.basalt.common.result.BatchStream;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.meta.catalog.DeleteMarker;
import dev.basalt.meta.catalog.RowsetMeta;
import dev.basalt.meta.catalog.SegmentDeletes;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.sql.planner.RowCondition;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.segment.ColumnRequest;
import dev.basalt.storage.segment.SegmentReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;

/**
 * The delete marks of {@code DELETE FROM t WHERE c} on a DUPLICATE or AGGREGATE KEY table: every
 * row of the tablet's committed segments that {@code c} holds for and that is not already marked.
 * The marks are delete bitmaps by row position, the mechanism merge-on-write UNIQUE tables use
 * (docs/architecture.md), so reads, compaction and restart treat them alike. The catalog calls
 * {@link #mark} under the table's commit lock, so the condition applies to exactly the rows
 * committed before the DELETE (as Doris's delete predicate applies to lower versions); a load
 * committing later is not affected. So that loads into the table do not wait for the whole
 * evaluation, {@link #prepare} evaluates the segments of a snapshot first, without the lock; under
 * the lock only segments committed since (loads, compaction outputs) are read. Segments are read
 * batch by batch, only the condition's columns. Not thread safe; one per statement.
 */
final class PredicateDeleteMarker implements DeleteMarker {
  private final FileSystem fileSystem;
  private final List<ColumnRequest> requests;
  private final List<DataType> types;
  private final RowCondition condition;
  private final EvaluationContext context;
  private long marked;

  /**
   * @param requests the columns the condition reads ({@link RowCondition#columns()}), in order
   * @param types the planner's type of each (what the condition was translated against)
   */
  PredicateDeleteMarker(
      FileSystem fileSystem,
      List<ColumnRequest> requests,
      List<DataType> types,
      RowCondition condition,
      EvaluationContext context) {
    this.fileSystem = fileSystem;
    this.requests = requests;
    this.types = types;
    this.condition = condition;
    this.context = context;
  }

  /** Rows of each segment the condition holds for, deleted or not, evaluated ahead of time. */
  private final Map<String, RoaringBitmap> evaluated = new HashMap<>();

  /**
   * Evaluates the condition on {@code segments} now, outside the commit lock. A segment that fails
   * to read (compacted away and collected meanwhile) is left out: if it is still visible at the
   * commit, {@link #mark} reads it then (and reports a real error).
   */
  void prepare(List<SegmentFile> segments) {
    for (SegmentFile segment : segments) {
      try {
        evaluated.put(segment.path(), matches(segment));
      } catch (RuntimeException gone) {
        evaluated.remove(segment.path());
      }
    }
  }

  /** The rows marked so far (the DELETE's affected rows once the commit is done). */
  long marked() {
    return marked;
  }

  @Override
  public Map<String, RoaringBitmap> mark(
      long tabletId, List<RowsetMeta> visibleRowsets, List<SegmentDeletes> visibleDeletes) {
    Map<String, RoaringBitmap> already = new HashMap<>();
    for (SegmentDeletes layer : visibleDeletes) {
      already.merge(
          layer.segmentPath(), layer.rows(), (left, right) -> RoaringBitmap.or(left, right));
    }
    Map<String, RoaringBitmap> marks = new HashMap<>();
    for (RowsetMeta rowset : visibleRowsets) {
      for (SegmentFile segment : rowset.segments()) {
        RoaringBitmap rows = markSegment(segment, already.get(segment.path()));
        if (!rows.isEmpty()) {
          marks.put(segment.path(), rows);
          marked += rows.getLongCardinality();
        }
      }
    }
    return marks;
  }

  private RoaringBitmap markSegment(SegmentFile segment, RoaringBitmap alreadyDeleted) {
    RoaringBitmap known = evaluated.get(segment.path());
    RoaringBitmap rows = known != null ? known.clone() : matches(segment);
    if (alreadyDeleted != null) {
      rows.andNot(alreadyDeleted);
    }
    return rows;
  }

  /** The rows of a segment the condition holds for. */
  private RoaringBitmap matches(SegmentFile segment) {
    RoaringBitmap rows = new RoaringBitmap();
    if (condition.expression() == null) {
      rows.add(0L, segment.rowCount());
      return rows;
    }
    try (SegmentReader reader = SegmentReader.open(fileSystem, segment.path());
        BatchStream batches = reader.read(requests, 0, segment.rowCount())) {
      int first = 0;
      for (Batch batch = batches.next(); batch != null; batch = batches.next()) {
        LongVector matches =
            (LongVector) condition.expression().evaluate(TableScans.convert(batch, types), context);
        for (int row = 0; row < batch.rowCount(); row++) {
          if (!matches.isNull(row) && matches.getLong(row) != 0) {
            rows.add(first + row);
          }
        }
        first += batch.rowCount();
      }
    }
    return rows;
  }
}
