package dev.basalt.meta.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.meta.store.JdbcMetaStore;
import dev.basalt.meta.store.MetaStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/** Merge-on-write metadata: the table flag, delete layers committed with loads, and restarts. */
class DeleteBitmapCatalogTest {
  @TempDir Path directory;
  private MetaStore store;
  private Catalog catalog;

  @BeforeEach
  void open() {
    store = JdbcMetaStore.openSqlite(directory.resolve("catalog.db"));
    catalog = Catalog.open(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static TableMeta uniqueTable(String name, String mergeOnWrite) {
    ColumnMeta key =
        new ColumnMeta(
            0, "k", DataType.INT, true, true, AggregationType.NONE, DefaultValue.NONE, "", false);
    return TableMeta.definition(
        name,
        KeysType.UNIQUE_KEYS,
        List.of("k"),
        List.of(key, ColumnMeta.of("v", DataType.varchar(10))),
        Partitioning.NONE,
        List.of(),
        new Distribution(DistributionKind.HASH, List.of("k"), 1, false),
        mergeOnWrite == null ? Map.of() : Map.of("enable_unique_key_merge_on_write", mergeOnWrite),
        "");
  }

  @Test
  void mergeOnWriteFollowsThePropertyAndOldTablesReadAsMergeOnRead() {
    catalog.createDatabase("db", false);
    assertThat(catalog.createTable("db", uniqueTable("mow", "true"), false).mergeOnWrite())
        .isTrue();
    assertThat(catalog.createTable("db", uniqueTable("mor", "false"), false).mergeOnWrite())
        .isFalse();
    TableMeta stored = catalog.table("db", "mow").orElseThrow();
    String json = new String(CatalogJson.encode(stored), StandardCharsets.UTF_8);
    assertThat(json).contains("\"mergeOnWrite\":true");
    String older = json.replace(",\"mergeOnWrite\":true", "");
    TableMeta decoded =
        CatalogJson.decode("table/1", older.getBytes(StandardCharsets.UTF_8), TableMeta.class);
    assertThat(decoded.mergeOnWrite()).isFalse();
  }

  @Test
  void deleteLayersCommitWithTheLoadAndSurviveRestart() {
    catalog.createDatabase("db", false);
    TableMeta table = catalog.createTable("db", uniqueTable("t", "true"), false);
    long tablet = table.partitions().get(0).tabletIds().get(0);
    catalog.commitLoad(
        table.id(), "first", Map.of(tablet, List.of(new SegmentFile("a.bsg", 10, 100))), 10);
    catalog.commitLoad(
        table.id(),
        "second",
        Map.of(tablet, List.of(new SegmentFile("b.bsg", 3, 50))),
        3,
        (tabletId, rowsets, deletes) -> {
          assertThat(rowsets).hasSize(1);
          assertThat(deletes).isEmpty();
          return Map.of("a.bsg", RoaringBitmap.bitmapOf(1, 4, 7));
        });
    TableSnapshot before = catalog.snapshot(table.id());
    store.close();
    open();
    for (TableSnapshot snapshot : List.of(before, catalog.snapshot(table.id()))) {
      TableSnapshot.PartitionSnapshot partition = snapshot.partitions().get(0);
      assertThat(partition.visibleVersion()).isEqualTo(3);
      List<SegmentDeletes> layers = partition.deletes().get(tablet);
      assertThat(layers).hasSize(1);
      assertThat(layers.get(0).segmentPath()).isEqualTo("a.bsg");
      assertThat(layers.get(0).version()).isEqualTo(3);
      assertThat(layers.get(0).rows().toArray()).containsExactly(1, 4, 7);
    }
    assertThat(catalog.truncateTable("db", "t")).containsExactly("a.bsg", "b.bsg");
    store.close();
    open();
    assertThat(catalog.snapshot(table.id()).partitions().get(0).deletes()).isEmpty();
  }
}
