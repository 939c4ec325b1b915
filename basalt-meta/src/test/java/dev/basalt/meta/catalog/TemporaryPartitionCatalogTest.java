package dev.basalt.meta.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.meta.store.JdbcMetaStore;
import dev.basalt.meta.store.MetaStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temporary partitions in the catalog: loads commit into them without touching the formal
 * partitions, snapshots keep them apart, REPLACE PARTITION swaps them in with one store commit
 * (what a restart reads back) and returns the replaced files, and DROP / TRUNCATE remove them.
 */
class TemporaryPartitionCatalogTest {
  @TempDir Path directory;
  private MetaStore store;
  private Catalog catalog;

  @BeforeEach
  void open() {
    store = JdbcMetaStore.openSqlite(directory.resolve("catalog.db"));
    catalog = Catalog.open(store);
    catalog.createDatabase("db", false);
    catalog.createTable("db", rangeTable(), false);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void restart() {
    store.close();
    store = JdbcMetaStore.openSqlite(directory.resolve("catalog.db"));
    catalog = Catalog.open(store);
  }

  private static TableMeta rangeTable() {
    ColumnMeta key =
        new ColumnMeta(
            0, "k", DataType.INT, true, true, AggregationType.NONE, DefaultValue.NONE, "", false);
    return TableMeta.definition(
        "t",
        KeysType.DUP_KEYS,
        List.of("k"),
        List.of(key, ColumnMeta.of("v", DataType.INT)),
        new Partitioning(PartitionKind.RANGE, List.of("k")),
        List.of(
            PartitionMeta.range("p1", List.of(), List.of("10")),
            PartitionMeta.range("p2", List.of("10"), List.of("20"))),
        new Distribution(DistributionKind.HASH, List.of("k"), 1, false),
        Map.of(),
        "");
  }

  private long tablet(TableMeta table, List<PartitionMeta> partitions, String name) {
    return partitions.stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow()
        .tabletIds()
        .get(0);
  }

  @Test
  void replaceSwapsTemporaryPartitionsInAndSurvivesARestart() {
    TableMeta table = catalog.existingTable("db", "t");
    catalog.commitLoad(
        table.id(),
        null,
        Map.of(tablet(table, table.partitions(), "p1"), List.of(new SegmentFile("old.seg", 1, 1))),
        1);
    table =
        catalog.addTemporaryPartition(
            "db", "t", PartitionMeta.range("tp1", List.of(), List.of("10")), 3);
    assertThat(table.temporaryPartitions()).extracting(PartitionMeta::name).containsExactly("tp1");
    assertThat(table.temporaryPartitions().get(0).tabletIds()).hasSize(3);
    long temporaryTablet = tablet(table, table.temporaryPartitions(), "tp1");
    catalog.commitLoad(
        table.id(), null, Map.of(temporaryTablet, List.of(new SegmentFile("new.seg", 2, 1))), 2);

    TableSnapshot before = catalog.snapshot(table.id());
    assertThat(before.rowCount()).isEqualTo(1);
    assertThat(before.partitions()).extracting(p -> p.visibleVersion()).containsExactly(2L, 1L);
    assertThat(before.temporaryPartitions()).hasSize(1);
    assertThat(before.temporaryPartitions().get(0).visibleVersion()).isEqualTo(2);

    assertThatThrownBy(
            () ->
                catalog.replacePartitions(
                    "db", "t", List.of("p1"), List.of("nope"), false, (old, fresh) -> {}))
        .isInstanceOf(BasaltException.class)
        .extracting(e -> ((BasaltException) e).code())
        .isEqualTo(ErrorCode.UNKNOWN_PARTITION);
    assertThatThrownBy(
            () ->
                catalog.replacePartitions(
                    "db",
                    "t",
                    List.of("p1"),
                    List.of("tp1"),
                    false,
                    (old, fresh) -> {
                      throw new BasaltException(ErrorCode.INVALID_DDL, "refused");
                    }))
        .hasMessageContaining("refused");
    assertThat(catalog.existingTable("db", "t").temporaryPartitions()).hasSize(1);

    List<String> replaced =
        catalog.replacePartitions("db", "t", List.of("p1"), List.of("tp1"), false, (o, f) -> {});
    assertThat(replaced).containsExactly("old.seg");
    // The snapshot taken before still reads the old partition.
    assertThat(before.partitions().get(0).rowsets().values())
        .flatExtracting(list -> list)
        .extracting(r -> r.segments().get(0).path())
        .containsExactly("old.seg");
    restart();
    TableMeta after = catalog.existingTable("db", "t");
    assertThat(after.partitions()).extracting(PartitionMeta::name).containsExactly("p1", "p2");
    assertThat(after.partitions().get(0).tabletIds())
        .containsExactly(table.temporaryPartitions().get(0).tabletIds().toArray(Long[]::new));
    assertThat(after.partitions().get(0).visibleVersion()).isEqualTo(2);
    assertThat(after.temporaryPartitions()).isEmpty();
    assertThat(catalog.snapshot(after.id()).rowCount()).isEqualTo(2);
    assertThat(catalog.referencedSegmentPaths()).containsExactly("new.seg");
  }

  @Test
  void namesAreSharedAndTruncateOrDropRemoveTemporaryPartitions() {
    assertThatThrownBy(
            () ->
                catalog.addTemporaryPartition(
                    "db", "t", PartitionMeta.range("p2", List.of(), List.of("10")), 0))
        .hasMessageContaining("Duplicate partition name p2");
    TableMeta table =
        catalog.addTemporaryPartition(
            "db", "t", PartitionMeta.range("tp", List.of(), List.of("10")), 0);
    assertThatThrownBy(
            () ->
                catalog.addPartition(
                    "db", "t", PartitionMeta.range("tp", List.of("20"), List.of("30")), 0))
        .hasMessageContaining("Duplicate partition name tp");
    long temporaryTablet = tablet(table, table.temporaryPartitions(), "tp");
    catalog.commitLoad(
        table.id(), null, Map.of(temporaryTablet, List.of(new SegmentFile("tp.seg", 2, 1))), 2);
    assertThat(catalog.truncateTable("db", "t", List.of("p1"))).isEmpty();
    assertThat(catalog.existingTable("db", "t").temporaryPartitions()).hasSize(1);
    assertThat(catalog.dropPartition("db", "t", "p1", false)).isEmpty();
    assertThat(catalog.existingTable("db", "t").temporaryPartitions()).hasSize(1);
    assertThat(catalog.truncateTable("db", "t")).containsExactly("tp.seg");
    assertThat(catalog.existingTable("db", "t").temporaryPartitions()).isEmpty();
    restart();
    assertThat(catalog.existingTable("db", "t").temporaryPartitions()).isEmpty();
    assertThat(catalog.referencedSegmentPaths()).isEmpty();

    catalog.addTemporaryPartition("db", "t", PartitionMeta.range("tq", List.of(), List.of("5")), 0);
    assertThatThrownBy(() -> catalog.dropColumn("db", "t", "v"))
        .hasMessageContaining("Can not alter table when there are temp partitions in table");
    assertThat(catalog.dropTemporaryPartition("db", "t", "nope", true)).isEmpty();
    catalog.dropTemporaryPartition("db", "t", "tq", false);
    restart();
    assertThat(catalog.existingTable("db", "t").temporaryPartitions()).isEmpty();
    catalog.dropColumn("db", "t", "v");
  }
}
