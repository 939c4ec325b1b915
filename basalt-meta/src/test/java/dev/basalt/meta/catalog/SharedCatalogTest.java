package dev.basalt.meta.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.meta.store.JdbcMetaStore;
import dev.basalt.meta.store.MetaStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

/**
 * Two catalogs over one PostgreSQL store, as two front ends have them: each follows the other's
 * commits through the store's change log ({@link Catalog#refresh}), load commits that lose a race
 * retry on the fresh snapshot, compactions of the same rowsets leave one winner, and ids never
 * collide. Skipped, with the reason, without PostgreSQL on 127.0.0.1:5432 (a failure with {@code
 * CI=true}); each test has its own schema, dropped after it.
 */
class SharedCatalogTest {
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=3";

  private String schema;
  private MetaStore firstStore;
  private MetaStore secondStore;
  private Catalog first;
  private Catalog second;

  @BeforeEach
  void open() {
    schema = "basalt_shared_" + UUID.randomUUID().toString().replace("-", "");
    String unavailable = null;
    try (Connection connection = DriverManager.getConnection(URL, "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      unavailable = "PostgreSQL at 127.0.0.1:5432 is not reachable: " + e.getMessage();
    }
    if (unavailable != null && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError("CI must provide PostgreSQL: " + unavailable);
    }
    assumeTrue(unavailable == null, unavailable);
    firstStore = JdbcMetaStore.openPostgres(URL, "postgres", "", schema + ".meta");
    secondStore = JdbcMetaStore.openPostgres(URL, "postgres", "", schema + ".meta");
    first = Catalog.open(firstStore);
    second = Catalog.open(secondStore);
  }

  @AfterEach
  void close() throws SQLException {
    if (firstStore == null) {
      return;
    }
    firstStore.close();
    secondStore.close();
    try (Connection connection = DriverManager.getConnection(URL, "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  private static TableMeta uniqueTable(Catalog catalog, String name) {
    ColumnMeta key =
        new ColumnMeta(
            0, "k", DataType.INT, true, true, AggregationType.NONE, DefaultValue.NONE, "", false);
    return catalog.createTable(
        "db",
        TableMeta.definition(
            name,
            KeysType.UNIQUE_KEYS,
            List.of("k"),
            List.of(key, ColumnMeta.of("v", DataType.varchar(10))),
            Partitioning.NONE,
            List.of(),
            new Distribution(DistributionKind.HASH, List.of("k"), 1, false),
            Map.of("enable_unique_key_merge_on_write", "true"),
            ""),
        false);
  }

  private static SegmentFile segment(String path) {
    return new SegmentFile(path, 1, 100);
  }

  private static long tabletOf(TableMeta table) {
    return table.partitions().get(0).tabletIds().get(0);
  }

  @Test
  void eachCatalogFollowsTheOthersCommits() {
    first.createDatabase("db", false);
    TableMeta table = uniqueTable(first, "t");
    first.commitLoad(table.id(), "one", Map.of(tabletOf(table), List.of(segment("a"))), 1);

    assertThat(second.table("db", "t")).isEmpty();
    assertThat(second.refresh()).isTrue();
    assertThat(second.refresh()).isFalse(); // nothing new: one read of the log's newest number
    TableSnapshot.PartitionSnapshot partition = second.snapshot(table.id()).partitions().get(0);
    assertThat(partition.visibleVersion()).isEqualTo(2);
    assertThat(partition.rowsets().get(tabletOf(table))).hasSize(1);
    assertThat(second.label(table.databaseId(), "one")).isPresent();

    // A label the other used is taken here too, after the commit's retry reread it.
    assertThatThrownBy(
            () ->
                second.commitLoad(
                    table.id(), "one", Map.of(tabletOf(table), List.of(segment("b"))), 1))
        .isInstanceOfSatisfying(
            BasaltException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.LABEL_ALREADY_EXISTS));

    second.renameTable("db", "t", "u");
    first.refresh();
    assertThat(first.table("db", "t")).isEmpty();
    assertThat(first.table("db", "u")).isPresent();
    second.dropTable("db", "u", false);
    first.refresh();
    assertThat(first.tables("db")).isEmpty();
  }

  @Test
  void concurrentLoadsIntoOneTabletFromBothCatalogsAllCommit() throws Exception {
    first.createDatabase("db", false);
    TableMeta table = uniqueTable(first, "t");
    second.refresh();
    long tablet = tabletOf(table);
    int loadsEach = 20;
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (Catalog catalog : List.of(first, second)) {
        writers.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < loadsEach; i++) {
                    catalog.commitLoad(
                        table.id(),
                        null,
                        Map.of(tablet, List.of(segment("f" + catalog.allocateId()))),
                        1);
                  }
                  return null;
                }));
      }
      for (Future<?> writer : writers) {
        writer.get();
      }
    } finally {
      threads.shutdownNow();
    }
    first.refresh();
    second.refresh();
    for (Catalog catalog : List.of(first, second)) {
      TableSnapshot.PartitionSnapshot partition = catalog.snapshot(table.id()).partitions().get(0);
      assertThat(partition.visibleVersion()).isEqualTo(1 + 2 * loadsEach);
      assertThat(partition.rowsets().get(tablet))
          .extracting(RowsetMeta::startVersion)
          .doesNotHaveDuplicates()
          .hasSize(2 * loadsEach);
    }
  }

  @Test
  void aMergeOnWriteLoadThatLostTheRaceMarksAgainstTheFreshRowsets() {
    first.createDatabase("db", false);
    TableMeta table = uniqueTable(first, "t");
    second.refresh();
    long tablet = tabletOf(table);
    first.commitLoad(table.id(), null, Map.of(tablet, List.of(segment("a"))), 1);
    // The second catalog has not seen "a": its first attempt marks against no rowsets, loses
    // the race, rereads, and marks again against "a".
    List<Integer> rowsetsSeen = new ArrayList<>();
    second.commitLoad(
        table.id(),
        null,
        Map.of(tablet, List.of(segment("b"))),
        1,
        (id, rowsets, deletes) -> {
          rowsetsSeen.add(rowsets.size());
          return rowsets.isEmpty() ? Map.of() : Map.of("a", RoaringBitmap.bitmapOf(0));
        });
    assertThat(rowsetsSeen).containsExactly(0, 1);
    first.refresh();
    List<SegmentDeletes> layers =
        first.snapshot(table.id()).partitions().get(0).deletes().get(tablet);
    assertThat(layers).extracting(SegmentDeletes::segmentPath).containsExactly("a");
  }

  @Test
  void ofTwoCompactionsOfTheSameRowsetsOneLosesCleanly() {
    first.createDatabase("db", false);
    TableMeta table = uniqueTable(first, "t");
    long tablet = tabletOf(table);
    first.commitLoad(table.id(), null, Map.of(tablet, List.of(segment("a"))), 1);
    first.commitLoad(table.id(), null, Map.of(tablet, List.of(segment("b"))), 1);
    second.refresh();
    List<Long> inputs =
        first.snapshot(table.id()).partitions().get(0).rowsets().get(tablet).stream()
            .map(RowsetMeta::id)
            .toList();
    CompactionRowMap identity = (path, rows) -> Map.of();
    first.commitCompaction(table.id(), tablet, inputs, List.of(segment("out1")), 3, identity);
    assertThatThrownBy(
            () ->
                second.commitCompaction(
                    table.id(), tablet, inputs, List.of(segment("out2")), 3, identity))
        .isInstanceOfSatisfying(
            BasaltException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.COMPACTION_CONFLICT));
    for (Catalog catalog : List.of(first, second)) {
      assertThat(catalog.snapshot(table.id()).partitions().get(0).rowsets().get(tablet))
          .flatExtracting(RowsetMeta::segments)
          .extracting(SegmentFile::path)
          .containsExactly("out1");
    }
  }

  @Test
  void aLoadIntoATableTheOtherDroppedFailsInsteadOfLeavingRecords() {
    first.createDatabase("db", false);
    TableMeta table = uniqueTable(first, "t");
    second.refresh();
    first.dropTable("db", "t", false);
    // The partition is at version 1, so only the catalog version tells the second of the drop.
    assertThatThrownBy(
            () ->
                second.commitLoad(
                    table.id(), null, Map.of(tabletOf(table), List.of(segment("x"))), 1))
        .isInstanceOfSatisfying(
            BasaltException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TABLE));
    assertThat(firstStore.scan("rowset/" + table.id() + "/")).isEmpty();
    assertThat(firstStore.scan("partition_version/" + table.id() + "/")).isEmpty();
  }

  @Test
  void twoPhaseStepsThatLostARaceToTheOthersDdlAreRetried() {
    first.createDatabase("db", false);
    TableMeta table = uniqueTable(first, "t");
    long tablet = tabletOf(table);
    second.refresh();
    // Each step below meets a catalog version the other catalog has moved on by a DDL: its first
    // attempt loses the race (CATALOG_CHANGED_CONCURRENTLY before) and the retry succeeds.
    uniqueTable(second, "ddl1");
    TwoPhaseLoad committed =
        first.precommitLoad(
            table.id(), "two-phase", Map.of(tablet, List.of(segment("p1"))), 1, Long.MAX_VALUE);
    TwoPhaseLoad aborted =
        first.precommitLoad(
            table.id(), "aborted", Map.of(tablet, List.of(segment("p2"))), 1, Long.MAX_VALUE);
    second.refresh();
    uniqueTable(second, "ddl2");
    first.commitPrecommitted(table.databaseId(), committed.transactionId(), load -> null);
    second.refresh();
    uniqueTable(second, "ddl3");
    assertThat(first.abortPrecommitted(table.databaseId(), aborted.transactionId(), "test"))
        .contains("p2");

    second.refresh();
    TableSnapshot.PartitionSnapshot partition = second.snapshot(table.id()).partitions().get(0);
    assertThat(partition.rowsets().get(tablet))
        .flatExtracting(RowsetMeta::segments)
        .extracting(SegmentFile::path)
        .containsExactly("p1");
    assertThat(second.label(table.databaseId(), "aborted")).isEmpty();
    assertThat(second.tables("db")).extracting(TableMeta::name).contains("ddl1", "ddl2", "ddl3");
    // The transaction is committed once: committing it again on the other catalog says so.
    assertThatThrownBy(
            () ->
                second.commitPrecommitted(
                    table.databaseId(), committed.transactionId(), load -> null))
        .isInstanceOf(BasaltException.class);
  }

  @Test
  void idsNeverCollideAcrossCatalogs() {
    Set<Long> ids = new HashSet<>();
    for (int i = 0; i < 2_500; i++) {
      assertThat(ids.add(first.allocateId())).isTrue();
      assertThat(ids.add(second.allocateId())).isTrue();
    }
  }

  @Test
  void aCatalogBehindThePrunedLogRereadsEverything() throws SQLException {
    first.createDatabase("db", false);
    TableMeta table = uniqueTable(first, "t");
    try (Connection connection = DriverManager.getConnection(URL, "postgres", "");
        Statement statement = connection.createStatement()) {
      // What pruning does to old entries: the newest is always kept.
      statement.execute(
          "DELETE FROM "
              + schema
              + ".meta_changes WHERE seq < (SELECT MAX(seq) FROM "
              + schema
              + ".meta_changes)");
    }
    first.createUser("ann", new byte[0], false);
    assertThat(second.refresh()).isTrue();
    assertThat(second.tableById(table.id())).isPresent();
    assertThat(second.user("ann")).isPresent();
  }

  /**
   * A load another front end commits into the table while a rewrite runs (it does not move {@code
   * catalog/version}) makes the rewrite's commit fail with the retryable 1213 instead of leaving an
   * unconverted rowset; run again, the rewrite converts it too.
   */
  @Test
  void aRewriteOvertakenByAnotherFrontEndsLoadFailsAndCommitsWhenRunAgain() {
    first.createDatabase("db", false);
    TableMeta table = uniqueTable(first, "t");
    long tablet = tabletOf(table);
    first.commitLoad(table.id(), "one", Map.of(tablet, List.of(segment("a"))), 1);
    second.refresh();
    ColumnRewrite convertAll =
        (snapshot, definition, jobId) -> {
          Map<Long, List<SegmentFile>> output = new java.util.HashMap<>();
          snapshot
              .partitions()
              .forEach(
                  partition ->
                      partition
                          .rowsets()
                          .values()
                          .forEach(
                              rowsets ->
                                  rowsets.forEach(
                                      rowset ->
                                          output.put(
                                              rowset.id(),
                                              List.of(segment("new-" + rowset.id()))))));
          return output;
        };
    ColumnMeta integer = ColumnMeta.of("v", DataType.INT);
    assertThatThrownBy(
            () ->
                first.modifyColumn(
                    "db",
                    "t",
                    integer,
                    ColumnPosition.DEFAULT,
                    (snapshot, definition, jobId) -> {
                      second.commitLoad(
                          table.id(), "two", Map.of(tablet, List.of(segment("b"))), 1);
                      return convertAll.rewrite(snapshot, definition, jobId);
                    }))
        .isInstanceOf(BasaltException.class)
        .hasMessageContaining("retry");
    first.refresh();
    assertThat(first.existingTable("db", "t").column("v").orElseThrow().type())
        .isEqualTo(DataType.varchar(10));
    first.modifyColumn("db", "t", integer, ColumnPosition.DEFAULT, convertAll);
    assertThat(
            first.snapshot(table.id()).partitions().get(0).rowsets().get(tablet).stream()
                .flatMap(rowset -> rowset.segments().stream())
                .map(SegmentFile::path))
        .allMatch(path -> path.startsWith("new-"))
        .hasSize(2);
  }
}
