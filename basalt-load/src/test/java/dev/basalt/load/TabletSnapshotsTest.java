package dev.basalt.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.Distribution;
import dev.basalt.meta.catalog.DistributionKind;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.PartitionMeta;
import dev.basalt.meta.catalog.Partitioning;
import dev.basalt.meta.catalog.RowsetMeta;
import dev.basalt.meta.catalog.SegmentDeletes;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.TableSnapshot;
import dev.basalt.storage.tablet.TabletSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * The catalog's snapshot of a table as storage's tablet snapshots: the partitions a scan reads,
 * rowsets with their version ranges, delete layers at or below the partition's visible version
 * merged per segment, and merge groups per tablet or (AGGREGATE distributed at random) per
 * partition.
 */
class TabletSnapshotsTest {
  private final PartitionMeta first = partition(1, "p1", 6, List.of(11L, 12L));
  private final PartitionMeta second = partition(2, "p2", 3, List.of(21L));
  private final PartitionMeta temporary = partition(3, "tp", 2, List.of(31L));

  @Test
  void theReadPartitionsTabletsKeepRowsetVersionRangesInOrder() {
    TableMeta table = table(KeysType.DUP_KEYS, false, DistributionKind.HASH);
    TableSnapshot snapshot = snapshot(table, Map.of());
    List<TabletSnapshot> tablets = TabletSnapshots.of(snapshot, List.of(first, temporary));
    assertThat(tablets).extracting(TabletSnapshot::tabletId).containsExactly(11L, 12L, 31L);
    TabletSnapshot tablet = tablets.get(0);
    assertThat(tablet.rowsets())
        .extracting(TabletSnapshot.Rowset::startVersion, TabletSnapshot.Rowset::endVersion)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(2L, 4L),
            org.assertj.core.groups.Tuple.tuple(6L, 6L));
    assertThat(tablet.segments())
        .extracting(TabletSnapshot.Segment::path, TabletSnapshot.Segment::version)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a1.seg", 4L),
            org.assertj.core.groups.Tuple.tuple("a2.seg", 4L),
            org.assertj.core.groups.Tuple.tuple("b.seg", 6L));
    assertThat(tablet.rowCount()).isEqualTo(10 + 20 + 5);
    assertThat(tablet.segments()).allSatisfy(segment -> assertThat(segment.deleted()).isNull());
  }

  @Test
  void deleteLayersUpToTheVisibleVersionAreMergedPerSegment() {
    TableMeta table = table(KeysType.UNIQUE_KEYS, true, DistributionKind.HASH);
    RoaringBitmap single = RoaringBitmap.bitmapOf(3);
    Map<Long, List<SegmentDeletes>> deletes =
        Map.of(
            11L,
            List.of(
                new SegmentDeletes("a1.seg", 5, RoaringBitmap.bitmapOf(1, 2)),
                new SegmentDeletes("a1.seg", 6, RoaringBitmap.bitmapOf(7)),
                // Above partition p1's visible version 6: not seen yet.
                new SegmentDeletes("a1.seg", 7, RoaringBitmap.bitmapOf(9)),
                new SegmentDeletes("a2.seg", 6, single)));
    List<TabletSnapshot> tablets = TabletSnapshots.of(snapshot(table, deletes), List.of(first));
    List<TabletSnapshot.Segment> segments = tablets.get(0).segments();
    assertThat(segments.get(0).deleted()).isEqualTo(RoaringBitmap.bitmapOf(1, 2, 7));
    assertThat(segments.get(1).deleted()).isSameAs(single);
    assertThat(segments.get(2).deleted()).isNull();
    assertThat(TabletSnapshots.streamsSegments(table)).isTrue();
  }

  @Test
  void anAggregateTableDistributedAtRandomMergesEachPartitionInVersionOrder() {
    TableMeta table = table(KeysType.AGG_KEYS, false, DistributionKind.RANDOM);
    assertThat(TabletSnapshots.streamsSegments(table)).isFalse();
    List<TabletSnapshot> groups =
        TabletSnapshots.of(snapshot(table, Map.of()), List.of(first, second));
    assertThat(groups).extracting(TabletSnapshot::tabletId).containsExactly(1L, 2L);
    assertThat(groups.get(0).rowsets())
        .extracting(TabletSnapshot.Rowset::endVersion)
        .containsExactly(4L, 5L, 6L);
    assertThat(groups.get(1).rowsets()).isEmpty();
  }

  @Test
  void anAggregateTableDistributedByHashMergesEachTablet() {
    TableMeta table = table(KeysType.AGG_KEYS, false, DistributionKind.HASH);
    assertThat(TabletSnapshots.of(snapshot(table, Map.of()), List.of(first, second)))
        .extracting(TabletSnapshot::tabletId)
        .containsExactly(11L, 12L, 21L);
  }

  /** p1: tablet 11 has rowsets [2-4] (two segments) and [6-6], tablet 12 [5-5]; p2 is empty. */
  private TableSnapshot snapshot(TableMeta table, Map<Long, List<SegmentDeletes>> deletes) {
    Map<Long, List<RowsetMeta>> firstRowsets = new LinkedHashMap<>();
    firstRowsets.put(
        11L,
        List.of(
            new RowsetMeta(
                100,
                11,
                2,
                4,
                0,
                List.of(new SegmentFile("a1.seg", 10, 100), new SegmentFile("a2.seg", 20, 200)),
                30,
                300),
            RowsetMeta.ofLoad(101, 11, 6, 7, List.of(new SegmentFile("b.seg", 5, 50)))));
    firstRowsets.put(
        12L, List.of(RowsetMeta.ofLoad(102, 12, 5, 8, List.of(new SegmentFile("c.seg", 1, 9)))));
    Map<Long, List<RowsetMeta>> secondRowsets = new LinkedHashMap<>();
    secondRowsets.put(21L, List.of());
    Map<Long, List<RowsetMeta>> temporaryRowsets = new LinkedHashMap<>();
    temporaryRowsets.put(
        31L, List.of(RowsetMeta.ofLoad(103, 31, 2, 9, List.of(new SegmentFile("t.seg", 4, 9)))));
    return new TableSnapshot(
        table,
        List.of(
            new TableSnapshot.PartitionSnapshot(first, 6, firstRowsets, deletes),
            new TableSnapshot.PartitionSnapshot(second, 3, secondRowsets, Map.of())),
        List.of(new TableSnapshot.PartitionSnapshot(temporary, 2, temporaryRowsets, Map.of())));
  }

  private static PartitionMeta partition(
      long id, String name, long visibleVersion, List<Long> tablets) {
    return new PartitionMeta(id, name, List.of(), List.of(), List.of(), visibleVersion, 0, tablets);
  }

  private TableMeta table(KeysType keys, boolean mergeOnWrite, DistributionKind distribution) {
    return new TableMeta(
        7,
        1,
        "t",
        keys,
        List.of("k"),
        List.of(
            ColumnMeta.of("k", DataType.INT).withKey(true), ColumnMeta.of("v", DataType.BIGINT)),
        Partitioning.NONE,
        List.of(first, second),
        new Distribution(
            distribution,
            distribution == DistributionKind.HASH ? List.of("k") : List.of(),
            2,
            false),
        Map.of(),
        "",
        0,
        1,
        2,
        mergeOnWrite,
        List.of(temporary));
  }
}
