package dev.basalt.storage.tablet;

import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.index.PrimaryKeyIndex;
import dev.basalt.storage.index.PrimaryKeyIndexCache;
import dev.basalt.storage.index.SegmentBloomFilters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.roaringbitmap.RoaringBitmap;

/**
 * Finds where the live row of one primary key is in a merge-on-write UNIQUE KEY tablet, without
 * scanning (docs/architecture.md, "Point queries"): the tablet's segments are probed newest first
 * through their primary-key indexes (bloom filter, then binary search), and the newest segment
 * holding the key in a row its delete marks do not mark has the key's only live row (usually the
 * newest holding it at all; with a sequence column a newer row may have lost). The indexes come
 * from the process-wide {@link PrimaryKeyIndexCache}.
 *
 * <p>The caller picks the tablet (its bucket) and passes its segments as plain values; it may keep
 * a tablet's {@link Segments} and delete marks between lookups (the server does, per tablet, while
 * the tablet's rowsets are current). Thread safe.
 */
public final class PrimaryKeyProbe {
  private final FileSystem fileSystem;

  public PrimaryKeyProbe(FileSystem fileSystem) {
    this.fileSystem = fileSystem;
  }

  /**
   * Where a key's live row is: a segment and its row number there, or {@link #ABSENT}.
   *
   * @param path the segment's path, null for {@link #ABSENT}
   * @param row the row number in the segment, -1 for {@link #ABSENT}
   */
  public record Location(String path, int row) {
    /** Whether a segment holds the key live. */
    public boolean found() {
      return row >= 0;
    }
  }

  /** No segment of the tablet holds the key in a live row. */
  public static final Location ABSENT = new Location(null, -1);

  /**
   * The rows one tablet marks deleted at the reader's version, per segment. Implementations may
   * build the bitmaps on first use; they are only read.
   */
  public interface DeleteMarks {
    /** The rows marked deleted in the segment at {@code path}, or null when none are. */
    RoaringBitmap of(String path);
  }

  /**
   * One tablet's segments, newest first (the last rowset's last segment first), with their bloom
   * filters side by side once built ({@link #withBloomFilters}). Immutable.
   *
   * @param pathsNewestFirst the segments' paths
   * @param filters segment {@code i}'s filter at {@code i}, or null when not built
   */
  public record Segments(String[] pathsNewestFirst, SegmentBloomFilters filters) {
    /** The segments of {@code tablet}, newest first, without filters. */
    public static Segments of(TabletSnapshot tablet) {
      List<String> paths = new ArrayList<>();
      List<TabletSnapshot.Rowset> rowsets = tablet.rowsets();
      for (int r = rowsets.size() - 1; r >= 0; r--) {
        List<TabletSnapshot.Segment> segments = rowsets.get(r).segments();
        for (int s = segments.size() - 1; s >= 0; s--) {
          paths.add(segments.get(s).path());
        }
      }
      return new Segments(paths.toArray(String[]::new), null);
    }

    /** Bytes the filters hold (0 without them). */
    public long filterBytes() {
      return filters == null ? 0 : filters.estimatedBytes();
    }
  }

  /**
   * {@code segments} with the bloom filters of their primary-key indexes copied side by side, so
   * that a lookup tests each segment's filter from one array and reaches the index cache only for
   * the segments that may hold the key; null when a segment has no primary-key index. Reads every
   * segment's index (into the cache): worth it for a tablet looked up more than once.
   */
  public Segments withBloomFilters(Segments segments) {
    List<PrimaryKeyIndex> indexes = new ArrayList<>(segments.pathsNewestFirst().length);
    for (String path : segments.pathsNewestFirst()) {
      Optional<PrimaryKeyIndex> index = PrimaryKeyIndexCache.shared().get(fileSystem, path);
      if (index.isEmpty()) {
        return null;
      }
      indexes.add(index.get());
    }
    return new Segments(segments.pathsNewestFirst(), SegmentBloomFilters.of(indexes));
  }

  /**
   * The newest segment of a tablet holding {@code encoded} in a row {@code deletes} does not mark,
   * and that row; {@link #ABSENT} when none does; null when a probed segment has no primary-key
   * index (the caller then scans). Without filters, each segment's index is read through the cache
   * newest first up to the first that holds the key (the first lookup of a tablet's rowsets need
   * not read the indexes of segments older than the key's).
   *
   * @param encoded the key in {@code PrimaryKeyEncoder}'s encoding
   * @param hash {@link PrimaryKeyIndex#hash} of {@code encoded}
   * @param deletes the tablet's delete marks, asked for at the first segment that holds the key
   */
  public Location probe(
      Segments segments, byte[] encoded, long hash, Supplier<? extends DeleteMarks> deletes) {
    String[] paths = segments.pathsNewestFirst();
    SegmentBloomFilters filters = segments.filters();
    DeleteMarks marks = null;
    for (int s = 0; s < paths.length; s++) {
      if (filters != null && !filters.mightContain(s, hash)) {
        continue;
      }
      Optional<PrimaryKeyIndex> index = PrimaryKeyIndexCache.shared().get(fileSystem, paths[s]);
      if (index.isEmpty()) {
        return null;
      }
      int row = index.get().find(encoded, hash);
      if (row < 0) {
        continue;
      }
      if (marks == null) {
        marks = deletes.get();
      }
      RoaringBitmap deleted = marks.of(paths[s]);
      if (deleted == null || !deleted.contains(row)) {
        return new Location(paths[s], row);
      }
    }
    return ABSENT;
  }
}
