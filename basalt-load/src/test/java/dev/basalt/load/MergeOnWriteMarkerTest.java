package dev.basalt.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.meta.catalog.RowsetMeta;
import dev.basalt.meta.catalog.SegmentDeletes;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.meta.catalog.TableSnapshot;
import dev.basalt.storage.fs.InMemoryFileSystem;
import dev.basalt.storage.index.PrimaryKeyEncoder;
import dev.basalt.storage.index.PrimaryKeyIndex;
import dev.basalt.storage.index.PrimaryKeyIndexCache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * The batched, prepared marks of {@link MergeOnWriteMarker} against a reference: one binary search
 * per key in every older segment, newest first, the first live row marked (the rule of
 * docs/architecture.md). Each round builds a random tablet history (loads whose marks the reference
 * computes), prepares a load against a snapshot, then commits more loads and sometimes a compaction
 * before the load's own commit, as concurrent writers do; the marks must equal the reference's on
 * the final state, prepared or not. Fixed seed, printed on failure.
 */
class MergeOnWriteMarkerTest {
  private static final long SEED = 20261206L;
  private static final long TABLET = 7;
  private static final PrimaryKeyEncoder ENCODER = new PrimaryKeyEncoder();

  /** A tablet's committed state: rowsets by version and delete layers. */
  private static final class Tablet {
    final List<RowsetMeta> rowsets = new ArrayList<>();
    final List<SegmentDeletes> deletes = new ArrayList<>();
    long version = 1;
  }

  @Test
  void preparedBatchedMarksEqualOneLookupPerKey() {
    Random random = new Random(SEED);
    for (int round = 0; round < 150; round++) {
      InMemoryFileSystem fileSystem = new InMemoryFileSystem();
      Tablet tablet = new Tablet();
      int[] nextPath = {0};
      int history = random.nextInt(6);
      for (int load = 0; load < history; load++) {
        commit(fileSystem, tablet, newSegments(fileSystem, random, nextPath), List.of());
      }
      Map<Long, List<SegmentFile>> loadSegments =
          Map.of(TABLET, newSegments(fileSystem, random, nextPath));
      List<byte[]> deleted = new ArrayList<>();
      for (int i = random.nextInt(3) == 0 ? random.nextInt(20) : 0; i > 0; i--) {
        deleted.add(key(random.nextInt(400)));
      }
      MergeOnWriteMarker prepared =
          new MergeOnWriteMarker(fileSystem, loadSegments, Map.of(TABLET, deleted), null);
      prepared.prepare(snapshot(tablet));
      // Committed between the snapshot and the load's commit: other loads, maybe a compaction.
      for (int load = random.nextInt(3); load > 0; load--) {
        commit(fileSystem, tablet, newSegments(fileSystem, random, nextPath), List.of());
      }
      if (tablet.rowsets.size() >= 2 && random.nextBoolean()) {
        compactFirstTwo(fileSystem, tablet, nextPath);
      }
      Map<String, RoaringBitmap> expected =
          reference(fileSystem, tablet, loadSegments.get(TABLET), deleted);
      Map<String, RoaringBitmap> unprepared =
          new MergeOnWriteMarker(fileSystem, loadSegments, Map.of(TABLET, deleted), null)
              .mark(TABLET, List.copyOf(tablet.rowsets), List.copyOf(tablet.deletes));
      Map<String, RoaringBitmap> actual =
          prepared.mark(TABLET, List.copyOf(tablet.rowsets), List.copyOf(tablet.deletes));
      assertThat(nonEmpty(actual))
          .as("seed %d round %d, prepared", SEED, round)
          .isEqualTo(expected);
      assertThat(nonEmpty(unprepared))
          .as("seed %d round %d, unprepared", SEED, round)
          .isEqualTo(expected);
    }
  }

  /** One to three segments of random sorted keys (0..399), their indexes in the shared cache. */
  private static List<SegmentFile> newSegments(
      InMemoryFileSystem fileSystem, Random random, int[] nextPath) {
    List<SegmentFile> segments = new ArrayList<>();
    for (int segment = 1 + random.nextInt(3); segment > 0; segment--) {
      TreeSet<Integer> keys = new TreeSet<>();
      for (int i = random.nextInt(150); i > 0; i--) {
        keys.add(random.nextInt(400));
      }
      segments.add(segment(fileSystem, "s" + nextPath[0]++, keys));
    }
    return segments;
  }

  private static SegmentFile segment(
      InMemoryFileSystem fileSystem, String path, TreeSet<Integer> keys) {
    PrimaryKeyIndex.Builder builder = new PrimaryKeyIndex.Builder();
    for (int key : keys) {
      builder.add(key(key));
    }
    PrimaryKeyIndexCache.shared().put(fileSystem, path, builder.build());
    return new SegmentFile(path, keys.size(), 0);
  }

  /** Commits a load into the tablet with the reference's marks. */
  private static void commit(
      InMemoryFileSystem fileSystem,
      Tablet tablet,
      List<SegmentFile> segments,
      List<byte[]> deleted) {
    Map<String, RoaringBitmap> marks = reference(fileSystem, tablet, segments, deleted);
    tablet.version++;
    for (Map.Entry<String, RoaringBitmap> mark : new TreeMap<>(marks).entrySet()) {
      tablet.deletes.add(new SegmentDeletes(mark.getKey(), tablet.version, mark.getValue()));
    }
    tablet.rowsets.add(RowsetMeta.ofLoad(tablet.version, TABLET, tablet.version, 0, segments));
  }

  /** Replaces the two oldest rowsets by one segment of their live keys; drops their layers. */
  private static void compactFirstTwo(InMemoryFileSystem fileSystem, Tablet tablet, int[] next) {
    TreeSet<Integer> live = new TreeSet<>();
    List<String> inputs = new ArrayList<>();
    for (RowsetMeta rowset : tablet.rowsets.subList(0, 2)) {
      for (SegmentFile segment : rowset.segments()) {
        inputs.add(segment.path());
        PrimaryKeyIndex index = PrimaryKeyIndexCache.shared().get(fileSystem, segment.path()).get();
        for (int row = 0; row < index.keyCount(); row++) {
          if (!deleted(tablet, segment.path(), row)) {
            live.add(decode(index.key(row)));
          }
        }
      }
    }
    SegmentFile output = segment(fileSystem, "c" + next[0]++, live);
    RowsetMeta merged =
        new RowsetMeta(
            tablet.rowsets.get(1).id(),
            TABLET,
            tablet.rowsets.get(0).startVersion(),
            tablet.rowsets.get(1).endVersion(),
            tablet.rowsets.get(0).transactionId(),
            List.of(output),
            live.size(),
            0);
    tablet.rowsets.subList(0, 2).clear();
    tablet.rowsets.add(0, merged);
    tablet.deletes.removeIf(layer -> inputs.contains(layer.segmentPath()));
  }

  /** The marks by one lookup per key per segment, newest first (the rule, simply). */
  private static Map<String, RoaringBitmap> reference(
      InMemoryFileSystem fileSystem,
      Tablet tablet,
      List<SegmentFile> loadSegments,
      List<byte[]> deleted) {
    List<String> candidates = new ArrayList<>();
    tablet.rowsets.forEach(rowset -> rowset.segments().forEach(s -> candidates.add(s.path())));
    Map<String, RoaringBitmap> marks = new HashMap<>();
    for (SegmentFile segment : loadSegments) {
      PrimaryKeyIndex index = PrimaryKeyIndexCache.shared().get(fileSystem, segment.path()).get();
      for (int row = 0; row < index.keyCount(); row++) {
        markNewestLive(fileSystem, tablet, candidates, marks, index.key(row));
      }
      candidates.add(segment.path());
    }
    for (byte[] key : deleted) {
      markNewestLive(fileSystem, tablet, candidates, marks, key);
    }
    return nonEmpty(marks);
  }

  private static void markNewestLive(
      InMemoryFileSystem fileSystem,
      Tablet tablet,
      List<String> candidates,
      Map<String, RoaringBitmap> marks,
      byte[] key) {
    for (int candidate = candidates.size() - 1; candidate >= 0; candidate--) {
      String path = candidates.get(candidate);
      int row = PrimaryKeyIndexCache.shared().get(fileSystem, path).get().find(key);
      boolean markedNow = marks.containsKey(path) && marks.get(path).contains(row);
      if (row >= 0 && !markedNow && !deleted(tablet, path, row)) {
        marks.computeIfAbsent(path, p -> new RoaringBitmap()).add(row);
        return;
      }
    }
  }

  private static boolean deleted(Tablet tablet, String path, int row) {
    return tablet.deletes.stream()
        .anyMatch(layer -> layer.segmentPath().equals(path) && layer.rows().contains(row));
  }

  private static TableSnapshot snapshot(Tablet tablet) {
    Map<Long, List<RowsetMeta>> rowsets = Map.of(TABLET, List.copyOf(tablet.rowsets));
    Map<Long, List<SegmentDeletes>> deletes = Map.of(TABLET, List.copyOf(tablet.deletes));
    return new TableSnapshot(
        null, List.of(new TableSnapshot.PartitionSnapshot(null, tablet.version, rowsets, deletes)));
  }

  private static Map<String, RoaringBitmap> nonEmpty(Map<String, RoaringBitmap> marks) {
    Map<String, RoaringBitmap> result = new TreeMap<>();
    marks.forEach(
        (path, rows) -> {
          if (!rows.isEmpty()) {
            result.put(path, rows);
          }
        });
    return result;
  }

  private static byte[] key(int value) {
    ColumnVectorBuilder builder = new ColumnVectorBuilder(DataType.BIGINT, 1);
    builder.appendLong(value);
    return ENCODER.encode(new ColumnVector[] {builder.build()}, 0);
  }

  private static int decode(byte[] encoded) {
    for (int value = 0; value < 400; value++) {
      if (java.util.Arrays.equals(key(value), encoded)) {
        return value;
      }
    }
    throw new AssertionError("not a test key");
  }
}
