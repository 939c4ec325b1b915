package dev.basalt.storage.tablet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.storage.fs.InMemoryFileSystem;
import dev.basalt.storage.index.PrimaryKeyEncoder;
import dev.basalt.storage.index.PrimaryKeyIndex;
import dev.basalt.storage.segment.SegmentColumn;
import dev.basalt.storage.segment.SegmentWriter;
import dev.basalt.storage.segment.SegmentWriterOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * The point probe of a merge-on-write tablet: segments newest first, a row its delete marks mark
 * passed over for an older segment's live row of the key, with and without bloom filters.
 */
class PrimaryKeyProbeTest {
  private final InMemoryFileSystem fileSystem = new InMemoryFileSystem();
  private final PrimaryKeyProbe probe = new PrimaryKeyProbe(fileSystem);

  /** Version 2 holds keys 0..99, version 3 (newer) keys 50..60; its row of key 55 is deleted. */
  private final TabletSnapshot tablet;

  private final Map<String, RoaringBitmap> deleted =
      Map.of("new.seg", RoaringBitmap.bitmapOf(55 - 50), "old.seg", deletedOldRows());

  PrimaryKeyProbeTest() {
    write("old.seg", 0, 100, true);
    write("new.seg", 50, 11, true);
    tablet =
        new TabletSnapshot(
            9,
            List.of(
                rowset(2, new TabletSnapshot.Segment("old.seg", 100, 2, null)),
                rowset(3, new TabletSnapshot.Segment("new.seg", 11, 3, null))));
  }

  /** The older rows of the keys the newer segment replaced, except 55 (deleted there instead). */
  private static RoaringBitmap deletedOldRows() {
    RoaringBitmap rows = new RoaringBitmap();
    rows.add(50L, 61L);
    rows.remove(55);
    return rows;
  }

  @Test
  void theNewestSegmentHoldingTheKeyLiveAnswers() {
    for (PrimaryKeyProbe.Segments segments : bothWays()) {
      assertThat(probe.probe(segments, key(52), hash(52), () -> deleted::get))
          .isEqualTo(new PrimaryKeyProbe.Location("new.seg", 2));
      assertThat(probe.probe(segments, key(7), hash(7), () -> deleted::get))
          .isEqualTo(new PrimaryKeyProbe.Location("old.seg", 7));
    }
  }

  @Test
  void aDeletedNewerRowLeavesTheOlderLiveRow() {
    for (PrimaryKeyProbe.Segments segments : bothWays()) {
      assertThat(probe.probe(segments, key(55), hash(55), () -> deleted::get))
          .isEqualTo(new PrimaryKeyProbe.Location("old.seg", 55));
    }
  }

  @Test
  void aKeyWithoutLiveRowIsAbsentAndDeleteMarksAreAskedForOnlyWhenAKeyIsFound() {
    AtomicInteger asked = new AtomicInteger();
    RoaringBitmap everything = new RoaringBitmap();
    everything.add(0L, 100L);
    for (PrimaryKeyProbe.Segments segments : bothWays()) {
      assertThat(
              probe.probe(
                  segments,
                  key(1_000),
                  hash(1_000),
                  () -> {
                    asked.incrementAndGet();
                    return deleted::get;
                  }))
          .isEqualTo(PrimaryKeyProbe.ABSENT);
      assertThat(probe.probe(segments, key(20), hash(20), () -> path -> everything))
          .isSameAs(PrimaryKeyProbe.ABSENT);
    }
    assertThat(asked).hasValue(0);
  }

  @Test
  void aSegmentWithoutIndexAnswersNull() {
    write("plain.seg", 0, 10, false);
    TabletSnapshot withPlain =
        new TabletSnapshot(
            9,
            List.of(
                tablet.rowsets().get(0),
                tablet.rowsets().get(1),
                rowset(4, new TabletSnapshot.Segment("plain.seg", 10, 4, null))));
    PrimaryKeyProbe.Segments segments = PrimaryKeyProbe.Segments.of(withPlain);
    assertThat(segments.pathsNewestFirst()).containsExactly("plain.seg", "new.seg", "old.seg");
    assertThat(probe.withBloomFilters(segments)).isNull();
    assertThat(probe.probe(segments, key(3), hash(3), () -> deleted::get)).isNull();
  }

  private List<PrimaryKeyProbe.Segments> bothWays() {
    PrimaryKeyProbe.Segments plain = PrimaryKeyProbe.Segments.of(tablet);
    PrimaryKeyProbe.Segments filtered = probe.withBloomFilters(plain);
    assertThat(filtered.filters()).isNotNull();
    assertThat(filtered.pathsNewestFirst()).containsExactly("new.seg", "old.seg");
    return List.of(plain, filtered);
  }

  private static TabletSnapshot.Rowset rowset(long version, TabletSnapshot.Segment segment) {
    return new TabletSnapshot.Rowset(version, version, List.of(segment));
  }

  private static byte[] key(long key) {
    ColumnVector keys = new ColumnVectorBuilder(DataType.BIGINT, 1).appendLong(key).build();
    return new PrimaryKeyEncoder().encode(new ColumnVector[] {keys}, 0);
  }

  private static long hash(long key) {
    return PrimaryKeyIndex.hash(key(key));
  }

  /** Keys {@code first..first+count-1} in one segment, with a primary-key index or without. */
  private void write(String path, long first, int count, boolean indexed) {
    List<SegmentColumn> schema =
        List.of(
            new SegmentColumn(0, DataType.BIGINT, false),
            new SegmentColumn(1, DataType.BIGINT, true));
    try (SegmentWriter writer =
        new SegmentWriter(
            fileSystem,
            path,
            schema,
            SegmentWriterOptions.DEFAULT,
            indexed ? new int[] {0} : null)) {
      ColumnVectorBuilder keys = new ColumnVectorBuilder(DataType.BIGINT, count);
      ColumnVectorBuilder values = new ColumnVectorBuilder(DataType.BIGINT, count);
      for (long key = first; key < first + count; key++) {
        keys.appendLong(key);
        values.appendLong(key * 10);
      }
      writer.append(new Batch(List.of(keys.build(), values.build()), count));
      writer.finish();
    }
  }
}
