package dev.basalt.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.CommitResult;
import dev.basalt.meta.catalog.Distribution;
import dev.basalt.meta.catalog.DistributionKind;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.PartitionKind;
import dev.basalt.meta.catalog.PartitionMeta;
import dev.basalt.meta.catalog.Partitioning;
import dev.basalt.meta.catalog.RowsetMeta;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.TableSnapshot;
import dev.basalt.meta.store.JdbcMetaStore;
import dev.basalt.storage.fs.InMemoryFileSystem;
import dev.basalt.storage.segment.SegmentReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableWriterTest {
  @TempDir Path directory;
  private JdbcMetaStore store;
  private Catalog catalog;
  private final InMemoryFileSystem files = new InMemoryFileSystem();
  private TableMeta table;

  @BeforeEach
  void createRangePartitionedTable() {
    store = JdbcMetaStore.openSqlite(directory.resolve("catalog.db"));
    catalog = Catalog.open(store);
    catalog.createDatabase("db", false);
    table =
        catalog.createTable(
            "db",
            TableMeta.definition(
                "t",
                KeysType.DUP_KEYS,
                List.of("k"),
                List.of(
                    ColumnMeta.of("k", DataType.INT).withKey(true),
                    ColumnMeta.of("v", DataType.STRING)),
                new Partitioning(PartitionKind.RANGE, List.of("k")),
                List.of(
                    PartitionMeta.range("low", List.of(), List.of("100")),
                    PartitionMeta.range("high", List.of("100"), List.of("200"))),
                new Distribution(DistributionKind.HASH, List.of("k"), 3, false),
                Map.of(),
                ""),
            false);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static Batch rows(long... keys) {
    ColumnVectorBuilder k = new ColumnVectorBuilder(DataType.INT);
    ColumnVectorBuilder v = new ColumnVectorBuilder(DataType.STRING);
    for (long key : keys) {
      k.appendLong(key);
      v.appendString("v" + key);
    }
    return new Batch(List.of(k.build(), v.build()), keys.length);
  }

  @Test
  void rowsLandInTheirPartitionAndBucketSortedByKey() {
    CommitResult commit =
        new TableWriter(catalog, files)
            .write(table, List.of(rows(150, 5, 120, 1, 99, 199)), "first");
    assertThat(commit.label()).isEqualTo("first");
    TableSnapshot snapshot = catalog.snapshot(table.id());
    assertThat(snapshot.rowCount()).isEqualTo(6);
    for (TableSnapshot.PartitionSnapshot partition : snapshot.partitions()) {
      assertThat(partition.visibleVersion()).isEqualTo(2);
      long low = partition.partition().name().equals("low") ? 0 : 100;
      for (List<RowsetMeta> rowsets : partition.rowsets().values()) {
        for (RowsetMeta rowset : rowsets) {
          try (SegmentReader reader = SegmentReader.open(files, rowset.segments().get(0).path())) {
            var stream = reader.read(List.of(table.columns().get(0).uniqueId()));
            long previous = Long.MIN_VALUE;
            for (Batch batch = stream.next(); batch != null; batch = stream.next()) {
              for (int row = 0; row < batch.rowCount(); row++) {
                long key = (Long) batch.column(0).getObject(row);
                assertThat(key).isBetween(low, low + 99).isGreaterThanOrEqualTo(previous);
                previous = key;
              }
            }
          }
        }
      }
    }
  }

  @Test
  void aFailedLoadLeavesNoFilesAndNothingVisible() {
    TableWriter writer = new TableWriter(catalog, files);
    writer.write(table, List.of(rows(1, 2)), null);
    int filesBefore = files.list("").size();
    // 250 is past the last partition: the whole load fails, including the rows that fit.
    assertThatThrownBy(() -> writer.write(table, List.of(rows(3, 4, 250)), null))
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("no partition");
    assertThat(files.list("")).hasSize(filesBefore);
    assertThat(catalog.snapshot(table.id()).rowCount()).isEqualTo(2);
  }

  @Test
  void aReusedLabelIsRefusedBeforeAnythingIsWritten() {
    TableWriter writer = new TableWriter(catalog, files);
    writer.write(table, List.of(rows(1)), "once");
    int filesBefore = files.list("").size();
    assertThatThrownBy(() -> writer.write(table, List.of(rows(2)), "once"))
        .isInstanceOfSatisfying(
            BasaltException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.LABEL_ALREADY_EXISTS));
    assertThat(files.list("")).hasSize(filesBefore);
    assertThat(catalog.snapshot(table.id()).rowCount()).isEqualTo(1);
  }

  @Test
  void aLoadPlannedBeforeTruncateFailsCleanly() {
    TableMeta stale = table;
    catalog.truncateTable("db", "t");
    assertThatThrownBy(
            () -> new TableWriter(catalog, files).write(stale, List.of(rows(1, 150)), null))
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("changed while the load ran");
    assertThat(catalog.snapshot(table.id()).rowCount()).isZero();
  }

  @Test
  void aLoadOverItsBudgetFlushesSeveralSortedSegmentsIntoOneRowsetPerTablet() {
    // A budget of 1 byte flushes after every batch: each batch becomes one segment per tablet.
    TableWriter writer = new TableWriter(catalog, files, 1);
    try (LoadTransaction load = writer.begin(table, "multi")) {
      load.append(rows(7, 3, 5));
      load.append(rows(2, 9, 1));
      load.append(rows(8, 4, 6));
      assertThat(load.segmentCount()).isGreaterThanOrEqualTo(3);
      load.commit();
    }
    TableSnapshot snapshot = catalog.snapshot(table.id());
    assertThat(snapshot.rowCount()).isEqualTo(9);
    int segmentCount = 0;
    List<Long> all = new java.util.ArrayList<>();
    for (TableSnapshot.PartitionSnapshot partition : snapshot.partitions()) {
      for (List<RowsetMeta> rowsets : partition.rowsets().values()) {
        assertThat(rowsets).hasSizeLessThanOrEqualTo(1);
        for (RowsetMeta rowset : rowsets) {
          segmentCount += rowset.segments().size();
          for (var segment : rowset.segments()) {
            List<Long> keys = keysOf(segment.path());
            assertThat(keys).isSorted();
            all.addAll(keys);
          }
        }
      }
    }
    assertThat(segmentCount).isGreaterThan(3);
    assertThat(all).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
  }

  @Test
  void equalKeysKeepTheirArrivalOrderInsideASegment() {
    TableWriter writer = new TableWriter(catalog, files);
    ColumnVectorBuilder k = new ColumnVectorBuilder(DataType.INT);
    ColumnVectorBuilder v = new ColumnVectorBuilder(DataType.STRING);
    // 200 rows over 3 keys: the stable sort must keep v ascending within each key.
    for (int i = 0; i < 200; i++) {
      k.appendLong(i % 3);
      v.appendString(String.format("%04d", i));
    }
    writer.write(table, List.of(new Batch(List.of(k.build(), v.build()), 200)), null);
    for (TableSnapshot.PartitionSnapshot partition : catalog.snapshot(table.id()).partitions()) {
      for (List<RowsetMeta> rowsets : partition.rowsets().values()) {
        for (RowsetMeta rowset : rowsets) {
          String path = rowset.segments().get(0).path();
          try (SegmentReader reader = SegmentReader.open(files, path)) {
            var stream =
                reader.read(
                    List.of(table.columns().get(0).uniqueId(), table.columns().get(1).uniqueId()));
            long previousKey = Long.MIN_VALUE;
            String previousValue = "";
            for (Batch batch = stream.next(); batch != null; batch = stream.next()) {
              for (int row = 0; row < batch.rowCount(); row++) {
                long key = (Long) batch.column(0).getObject(row);
                String value = (String) batch.column(1).getObject(row);
                assertThat(key).isGreaterThanOrEqualTo(previousKey);
                if (key == previousKey) {
                  assertThat(value).isGreaterThan(previousValue);
                }
                previousKey = key;
                previousValue = value;
              }
            }
          }
        }
      }
    }
  }

  @Test
  void equalDistributionValuesLandInTheSameTablet() {
    TableWriter writer = new TableWriter(catalog, files);
    writer.write(table, List.of(rows(5, 6, 7)), null);
    writer.write(table, List.of(rows(5, 6, 7)), null);
    TableSnapshot snapshot = catalog.snapshot(table.id());
    for (TableSnapshot.PartitionSnapshot partition : snapshot.partitions()) {
      for (List<RowsetMeta> rowsets : partition.rowsets().values()) {
        if (rowsets.size() == 2) {
          assertThat(keysOf(rowsets.get(0).segments().get(0).path()))
              .isEqualTo(keysOf(rowsets.get(1).segments().get(0).path()));
        } else {
          assertThat(rowsets).isEmpty();
        }
      }
    }
  }

  @Test
  void anAbortedLoadDeletesItsFlushedSegments() {
    TableWriter writer = new TableWriter(catalog, files, 1);
    int filesBefore = files.list("").size();
    try (LoadTransaction load = writer.begin(table, "aborted")) {
      load.append(rows(1, 2, 3));
      load.append(rows(101, 102));
      assertThat(files.list("").size()).isGreaterThan(filesBefore);
      load.abort();
    }
    assertThat(files.list("")).hasSize(filesBefore);
    assertThat(catalog.snapshot(table.id()).rowCount()).isZero();
    assertThat(catalog.label(table.databaseId(), "aborted")).isEmpty();
  }

  @Test
  void rowsWithoutAPartitionCanBeRejectedOneByOne() {
    TableWriter writer = new TableWriter(catalog, files);
    List<Integer> rejected = new java.util.ArrayList<>();
    try (LoadTransaction load = writer.begin(table, null)) {
      load.append(rows(3, 250, 4), (row, reason) -> rejected.add(row));
      load.commit();
    }
    assertThat(rejected).containsExactly(1);
    assertThat(catalog.snapshot(table.id()).rowCount()).isEqualTo(2);
  }

  private List<Long> keysOf(String path) {
    List<Long> keys = new java.util.ArrayList<>();
    try (SegmentReader reader = SegmentReader.open(files, path)) {
      var stream = reader.read(List.of(table.columns().get(0).uniqueId()));
      for (Batch batch = stream.next(); batch != null; batch = stream.next()) {
        for (int row = 0; row < batch.rowCount(); row++) {
          keys.add((Long) batch.column(0).getObject(row));
        }
      }
    }
    return keys;
  }
}
