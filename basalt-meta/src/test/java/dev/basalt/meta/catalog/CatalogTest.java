package dev.basalt.meta.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.meta.store.JdbcMetaStore;
import dev.basalt.meta.store.MetaStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {
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

  private void restart() {
    store.close();
    open();
  }

  static TableMeta duplicateTable(String name, int buckets) {
    ColumnMeta key =
        new ColumnMeta(
            0, "k", DataType.INT, true, true, AggregationType.NONE, DefaultValue.NONE, "", false);
    ColumnMeta value = ColumnMeta.of("v", DataType.varchar(10));
    return TableMeta.definition(
        name,
        KeysType.DUP_KEYS,
        List.of("k"),
        List.of(key, value),
        Partitioning.NONE,
        List.of(),
        new Distribution(DistributionKind.HASH, List.of("k"), buckets, false),
        Map.of(),
        "");
  }

  @Test
  void autoIncrementValuesAreUniqueAcrossRestartsAndSkipGivenValues() {
    catalog.createDatabase("db", false);
    long table = catalog.createTable("db", duplicateTable("t", 1), false).id();
    long first = catalog.reserveAutoIncrement(table, 1, 3);
    assertThat(first).isEqualTo(1);
    assertThat(catalog.reserveAutoIncrement(table, 1, 2)).isEqualTo(4);
    assertThat(catalog.reserveAutoIncrement(table + 1, 100, 1)).isEqualTo(100);

    restart();
    long afterRestart = catalog.reserveAutoIncrement(table, 1, 1);
    assertThat(afterRestart).isGreaterThan(5);
    // A value a load gave itself moves the counter past it, also across a restart.
    catalog.reserveAutoIncrement(table, 1, 0, 1_000_000);
    assertThat(catalog.reserveAutoIncrement(table, 1, 1)).isEqualTo(1_000_001);
    restart();
    assertThat(catalog.reserveAutoIncrement(table, 1, 1)).isGreaterThan(1_000_001);
    assertThatThrownBy(() -> catalog.reserveAutoIncrement(table, 1, 1, Long.MAX_VALUE))
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("out of range");
  }

  @Test
  void newCatalogHasRootWithoutPassword() {
    assertThat(catalog.users()).extracting(UserMeta::name).containsExactly("root");
    assertThat(catalog.passwordHash("root")).hasValueSatisfying(hash -> assertThat(hash).isEmpty());
    assertThatThrownBy(() -> catalog.dropUser("root", true)).isInstanceOf(BasaltException.class);
  }

  @Test
  void passwordHashIsDoubleSha1() {
    // SHA1(SHA1("123456")) as MySQL shows it: *6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9
    assertThat(Passwords.hashText(Passwords.doubleSha1("123456")))
        .isEqualTo("*6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9");
    assertThat(Passwords.doubleSha1("")).isEmpty();
    assertThat(Passwords.parseHashText("*6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9"))
        .isEqualTo(Passwords.doubleSha1("123456"));
  }

  @Test
  void usersPersist() {
    catalog.createUser("alice", Passwords.doubleSha1("pw"), false);
    assertThatThrownBy(() -> catalog.createUser("alice", new byte[0], false))
        .hasMessage("Operation CREATE USER failed for 'alice'@'%'");
    assertThat(catalog.createUser("alice", new byte[0], true)).isFalse();
    catalog.alterUserPassword("alice", Passwords.doubleSha1("new"));
    restart();
    assertThat(catalog.passwordHash("alice"))
        .hasValueSatisfying(
            hash ->
                assertThat(HexFormat.of().formatHex(hash))
                    .isEqualTo(HexFormat.of().formatHex(Passwords.doubleSha1("new"))));
    assertThat(catalog.dropUser("alice", false)).isTrue();
    assertThat(catalog.dropUser("alice", true)).isFalse();
    assertThatThrownBy(() -> catalog.dropUser("alice", false)).isInstanceOf(BasaltException.class);
  }

  @Test
  void createTableAssignsIdsPartitionsAndTablets() {
    catalog.createDatabase("db", false);
    TableMeta table = catalog.createTable("db", duplicateTable("t", 3), false);
    assertThat(table.id()).isPositive();
    assertThat(table.columns()).extracting(ColumnMeta::uniqueId).containsExactly(0, 1);
    assertThat(table.nextColumnUniqueId()).isEqualTo(2);
    assertThat(table.partitions())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.name()).isEqualTo("t");
              assertThat(p.visibleVersion()).isEqualTo(1);
              assertThat(p.tabletIds()).hasSize(3).doesNotHaveDuplicates();
            });
    TableMeta auto = catalog.createTable("db", duplicateTable("auto", 0), false);
    assertThat(auto.distribution().autoBuckets()).isTrue();
    assertThat(auto.partitions().get(0).tabletIds()).hasSize(Catalog.AUTO_BUCKET_COUNT);
    assertThatThrownBy(() -> catalog.createTable("db", duplicateTable("t", 1), false))
        .isInstanceOfSatisfying(
            BasaltException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TABLE_EXISTS));
    assertThat(catalog.createTable("db", duplicateTable("t", 1), true).id()).isEqualTo(table.id());
    assertThatThrownBy(() -> catalog.createTable("nodb", duplicateTable("t", 1), false))
        .isInstanceOfSatisfying(
            BasaltException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_DATABASE));
    restart();
    assertThat(catalog.table("db", "t")).contains(table);
    assertThat(catalog.tableById(table.id())).contains(table);
  }

  @Test
  void aProvisionalTableIsDroppedOnReopenUnlessConfirmed() {
    // CREATE TABLE ... AS SELECT: a crash between creating the table (and even committing its
    // rows) and confirming it leaves no table behind.
    catalog.createDatabase("db", false);
    TableMeta lost = catalog.createTable("db", duplicateTable("lost", 1), false, true);
    catalog.commitLoad(
        lost.id(),
        null,
        Map.of(
            lost.partitions().get(0).tabletIds().get(0), List.of(new SegmentFile("a.seg", 1, 1))),
        1);
    TableMeta kept = catalog.createTable("db", duplicateTable("kept", 1), false, true);
    catalog.confirmTable(kept.id());
    assertThat(catalog.table("db", "lost")).isPresent();
    restart();
    assertThat(catalog.table("db", "lost")).isEmpty();
    assertThat(catalog.tableById(lost.id())).isEmpty();
    assertThat(catalog.referencedSegmentPaths()).doesNotContain("a.seg");
    assertThat(catalog.table("db", "kept")).isPresent();
    // The name is free again, and the new table is permanent.
    catalog.createTable("db", duplicateTable("lost", 1), false);
    restart();
    assertThat(catalog.table("db", "lost")).isPresent();
    assertThat(catalog.table("db", "kept")).isPresent();
  }

  @Test
  void commitLoadMakesRowsetsVisibleAtOneNewVersion() {
    catalog.createDatabase("db", false);
    TableMeta table = catalog.createTable("db", duplicateTable("t", 2), false);
    List<Long> tablets = table.partitions().get(0).tabletIds();
    TableSnapshot before = catalog.snapshot(table.id());
    CommitResult result =
        catalog.commitLoad(
            table.id(),
            "l1",
            Map.of(
                tablets.get(0),
                List.of(new SegmentFile("a.seg", 3, 100)),
                tablets.get(1),
                List.of(new SegmentFile("b.seg", 2, 50))),
            5);
    assertThat(result.label()).isEqualTo("l1");
    assertThat(result.partitionVersions()).containsEntry(table.partitions().get(0).id(), 2L);
    TableSnapshot after = catalog.snapshot(table.id());
    assertThat(after.partitions().get(0).visibleVersion()).isEqualTo(2);
    assertThat(after.rowCount()).isEqualTo(5);
    assertThat(before.rowCount()).isZero();
    assertThat(before.partitions().get(0).visibleVersion()).isEqualTo(1);

    assertThatThrownBy(
            () ->
                catalog.commitLoad(
                    table.id(),
                    "l1",
                    Map.of(tablets.get(0), List.of(new SegmentFile("c.seg", 1, 1))),
                    1))
        .isInstanceOfSatisfying(
            BasaltException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.LABEL_ALREADY_EXISTS))
        .hasMessage(
            "errCode = 2, detailMessage = Label [l1] has already been used, relate to txn ["
                + result.transactionId()
                + "]");
    assertThat(catalog.snapshot(table.id()).rowCount()).isEqualTo(5);

    CommitResult generated =
        catalog.commitLoad(
            table.id(), null, Map.of(tablets.get(0), List.of(new SegmentFile("d.seg", 1, 1))), 1);
    assertThat(generated.label()).startsWith("insert_");
    assertThat(catalog.label(table.databaseId(), "l1"))
        .hasValueSatisfying(
            r -> {
              assertThat(r.transactionId()).isEqualTo(result.transactionId());
              assertThat(r.status()).isEqualTo(LoadStatus.VISIBLE);
              assertThat(r.rowCount()).isEqualTo(5);
            });

    restart();
    TableSnapshot reopened = catalog.snapshot(table.id());
    assertThat(reopened.partitions().get(0).visibleVersion()).isEqualTo(3);
    assertThat(reopened.partitions().get(0).rowsets().get(tablets.get(0)))
        .extracting(RowsetMeta::endVersion)
        .containsExactly(2L, 3L);
    assertThat(catalog.label(table.databaseId(), "l1")).isPresent();

    List<String> unreferenced = catalog.truncateTable("db", "t");
    assertThat(unreferenced).containsExactly("a.seg", "b.seg", "d.seg");
    TableSnapshot truncated = catalog.snapshot(table.id());
    assertThat(truncated.rowCount()).isZero();
    assertThat(truncated.partitions().get(0).visibleVersion()).isEqualTo(1);
    assertThat(reopened.rowCount()).isEqualTo(6);
    restart();
    assertThat(catalog.snapshot(table.id()).rowCount()).isZero();
    assertThat(catalog.dropTable("db", "t", false)).isEmpty();
  }

  @Test
  void columnChangesAreMetadataOnlyAndKeepUniqueIds() {
    catalog.createDatabase("db", false);
    catalog.createTable("db", duplicateTable("t", 1), false);
    TableMeta added =
        catalog.addColumn(
            "db", "t", ColumnMeta.of("w", DataType.BIGINT), ColumnPosition.after("k"));
    assertThat(added.columns()).extracting(ColumnMeta::name).containsExactly("k", "w", "v");
    assertThat(added.columns()).extracting(ColumnMeta::uniqueId).containsExactly(0, 2, 1);
    assertThat(added.schemaVersion()).isEqualTo(2);
    TableMeta dropped = catalog.dropColumn("db", "t", "W");
    assertThat(dropped.columns()).extracting(ColumnMeta::name).containsExactly("k", "v");
    TableMeta readded =
        catalog.addColumn("db", "t", ColumnMeta.of("w", DataType.BIGINT), ColumnPosition.DEFAULT);
    assertThat(readded.column("w").orElseThrow().uniqueId()).isEqualTo(3);
    TableMeta widened =
        catalog.modifyColumn(
            "db", "t", ColumnMeta.of("v", DataType.varchar(20)), ColumnPosition.DEFAULT);
    assertThat(widened.column("v").orElseThrow().type()).isEqualTo(DataType.varchar(20));
    assertThatThrownBy(
            () ->
                catalog.modifyColumn(
                    "db", "t", ColumnMeta.of("v", DataType.INT), ColumnPosition.DEFAULT))
        .isInstanceOfSatisfying(
            BasaltException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED));
    TableMeta renamed = catalog.renameColumn("db", "t", "k", "key1");
    assertThat(renamed.keyColumns()).containsExactly("key1");
    assertThat(renamed.distribution().columns()).containsExactly("key1");
    assertThatThrownBy(() -> catalog.dropColumn("db", "t", "key1"))
        .hasMessageContaining("distribution column");
    assertThatThrownBy(
            () ->
                catalog.addColumn(
                    "db", "t", ColumnMeta.of("V", DataType.INT), ColumnPosition.DEFAULT))
        .isInstanceOfSatisfying(
            BasaltException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_COLUMN));
    assertThatThrownBy(
            () ->
                catalog.addColumn(
                    "db", "t", ColumnMeta.of("x", DataType.INT), ColumnPosition.atFirst()))
        .hasMessageContaining("must come before all value columns");
    restart();
    assertThat(catalog.table("db", "t").orElseThrow().columns())
        .extracting(ColumnMeta::name)
        .containsExactly("key1", "v", "w");
  }

  @Test
  void concurrentCommitsGetDistinctConsecutiveVersions() throws Exception {
    catalog.createDatabase("db", false);
    TableMeta table = catalog.createTable("db", duplicateTable("t", 1), false);
    long tablet = table.partitions().get(0).tabletIds().get(0);
    int threads = 4;
    int perThread = 10;
    ConcurrentLinkedQueue<Long> versions = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      workers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      start.await();
                      for (int i = 0; i < perThread; i++) {
                        long segmentId = catalog.allocateId();
                        CommitResult result =
                            catalog.commitLoad(
                                table.id(),
                                "l_" + thread + "_" + i,
                                Map.of(tablet, List.of(new SegmentFile(segmentId + ".seg", 1, 1))),
                                1);
                        versions.addAll(result.partitionVersions().values());
                      }
                    } catch (Throwable e) {
                      failures.add(e);
                    }
                  }));
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    assertThat(failures).isEmpty();
    List<Long> expected = new ArrayList<>();
    for (long v = 2; v < 2 + threads * perThread; v++) {
      expected.add(v);
    }
    assertThat(versions).containsExactlyInAnyOrderElementsOf(expected);
    restart();
    TableSnapshot snapshot = catalog.snapshot(table.id());
    assertThat(snapshot.partitions().get(0).visibleVersion()).isEqualTo(1 + threads * perThread);
    assertThat(snapshot.partitions().get(0).rowsets().get(tablet))
        .extracting(RowsetMeta::endVersion)
        .containsExactlyElementsOf(expected);
  }

  @Test
  void dropDatabaseRemovesTablesAndLabels() {
    DatabaseMeta db = catalog.createDatabase("db", false);
    assertThatThrownBy(() -> catalog.createDatabase("db", false))
        .hasMessage("Can't create database 'db'; database exists");
    TableMeta table = catalog.createTable("db", duplicateTable("t", 1), false);
    catalog.commitLoad(
        table.id(),
        "l",
        Map.of(
            table.partitions().get(0).tabletIds().get(0), List.of(new SegmentFile("x.seg", 1, 1))),
        1);
    assertThat(catalog.dropDatabase("db", false)).containsExactly("x.seg");
    assertThat(catalog.dropDatabase("db", true)).isEmpty();
    assertThat(catalog.label(db.id(), "l")).isEmpty();
    restart();
    assertThat(catalog.databases()).isEmpty();
    assertThat(catalog.tableById(table.id())).isEmpty();
    DatabaseMeta again = catalog.createDatabase("db", false);
    assertThat(again.id()).isNotEqualTo(db.id());
    assertThat(catalog.tables("db")).isEmpty();
  }
}
