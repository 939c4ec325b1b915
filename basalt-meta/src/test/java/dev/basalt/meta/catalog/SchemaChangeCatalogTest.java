package dev.basalt.meta.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.meta.store.JdbcMetaStore;
import dev.basalt.meta.store.MetaStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog's side of a schema change that rewrites data ({@link Catalog#modifyColumn(String,
 * String, ColumnMeta, ColumnPosition, ColumnRewrite)}): one commit replaces the definition and
 * every rowset, a failed rewrite changes nothing and is listed CANCELLED, jobs survive a restart,
 * and a load written under the old definition is refused at its commit while one that only raced a
 * DROP and ADD of a same-named column is not.
 */
class SchemaChangeCatalogTest {
  @TempDir Path directory;
  private MetaStore store;
  private Catalog catalog;

  @BeforeEach
  void open() {
    store = JdbcMetaStore.openSqlite(directory.resolve("catalog.db"));
    catalog = Catalog.open(store);
    catalog.createDatabase("db", true);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aRewriteReplacesEveryRowsetInOneCommitAndAFailedOneChangesNothing() {
    TableMeta table = catalog.createTable("db", CatalogTest.duplicateTable("t", 2), false);
    long tablet = table.partitions().get(0).tabletIds().get(0);
    catalog.commitLoad(
        table.id(), "l1", Map.of(tablet, List.of(new SegmentFile("data/a.bsg", 3, 100))), 3);
    catalog.commitLoad(
        table.id(), "l2", Map.of(tablet, List.of(new SegmentFile("data/b.bsg", 2, 50))), 2);
    ColumnMeta integer = ColumnMeta.of("v", DataType.INT);

    assertThatThrownBy(
            () ->
                catalog.modifyColumn(
                    "db",
                    "t",
                    integer,
                    ColumnPosition.DEFAULT,
                    (snapshot, definition, jobId) -> {
                      throw new ColumnRewrite.Cancelled("value 'x' of column v does not convert");
                    }))
        .isInstanceOf(BasaltException.class)
        .satisfies(
            e ->
                assertThat(((BasaltException) e).code())
                    .isEqualTo(ErrorCode.SCHEMA_CHANGE_CANCELLED))
        .hasMessageContaining("value 'x' of column v does not convert");
    TableMeta unchanged = catalog.existingTable("db", "t");
    assertThat(unchanged.columns()).isEqualTo(table.columns());
    assertThat(unchanged.schemaVersion()).isEqualTo(table.schemaVersion());
    assertThat(catalog.snapshot(table.id()).rowCount()).isEqualTo(5);

    SchemaChange change =
        catalog.modifyColumn(
            "db",
            "t",
            integer,
            ColumnPosition.DEFAULT,
            (snapshot, definition, jobId) -> {
              Map<Long, List<SegmentFile>> output = new HashMap<>();
              for (RowsetMeta rowset : snapshot.partitions().get(0).rowsets().get(tablet)) {
                output.put(
                    rowset.id(),
                    List.of(new SegmentFile("data/new-" + rowset.id() + ".bsg", 1, 10)));
              }
              for (long other : snapshot.partitions().get(0).rowsets().keySet()) {
                for (RowsetMeta rowset : snapshot.partitions().get(0).rowsets().get(other)) {
                  output.putIfAbsent(rowset.id(), List.of());
                }
              }
              return output;
            });
    assertThat(change.retiredPaths()).containsExactly("data/a.bsg", "data/b.bsg");
    assertThat(change.table().column("v").orElseThrow().type()).isEqualTo(DataType.INT);
    assertThat(change.table().column("v").orElseThrow().uniqueId())
        .isNotEqualTo(table.column("v").orElseThrow().uniqueId());
    assertThat(change.job().fromUniqueId()).isEqualTo(table.column("v").orElseThrow().uniqueId());
    assertThat(catalog.snapshot(table.id()).rowCount()).isEqualTo(2);

    store.close();
    open();
    assertThat(catalog.snapshot(table.id()).rowCount()).isEqualTo(2);
    List<RowsetMeta> rowsets =
        catalog.snapshot(table.id()).partitions().get(0).rowsets().get(tablet);
    assertThat(rowsets).extracting(RowsetMeta::endVersion).containsExactly(2L, 3L);
    assertThat(catalog.alterJobs(table.databaseId()))
        .extracting(AlterJob::state)
        .containsExactly(AlterJob.CANCELLED, AlterJob.FINISHED);
  }

  @Test
  void aLoadWrittenBeforeARewriteIsRefusedButNotOneThatRacedADropAndAdd() {
    TableMeta table = catalog.createTable("db", CatalogTest.duplicateTable("t", 1), false);
    long tablet = table.partitions().get(0).tabletIds().get(0);
    Map<Long, List<SegmentFile>> segments =
        Map.of(tablet, List.of(new SegmentFile("data/late.bsg", 1, 10)));

    catalog.dropColumn("db", "t", "v");
    catalog.addColumn("db", "t", ColumnMeta.of("v", DataType.INT), ColumnPosition.DEFAULT);
    catalog.commitLoad(table.id(), "raced", segments, 1, null, null, Map.of(), table);

    TableMeta beforeRewrite = catalog.existingTable("db", "t");
    catalog.modifyColumn(
        "db",
        "t",
        ColumnMeta.of("v", DataType.varchar(5)),
        ColumnPosition.DEFAULT,
        (snapshot, definition, jobId) -> {
          Map<Long, List<SegmentFile>> output = new HashMap<>();
          snapshot
              .partitions()
              .get(0)
              .rowsets()
              .values()
              .forEach(list -> list.forEach(rowset -> output.put(rowset.id(), List.of())));
          return output;
        });
    assertThatThrownBy(
            () ->
                catalog.commitLoad(
                    table.id(),
                    "late",
                    Map.of(tablet, List.of(new SegmentFile("data/late2.bsg", 1, 10))),
                    1,
                    null,
                    null,
                    Map.of(),
                    beforeRewrite))
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("rewrote column 'v'");
    assertThat(catalog.label(table.databaseId(), "late")).isEmpty();
  }
}
