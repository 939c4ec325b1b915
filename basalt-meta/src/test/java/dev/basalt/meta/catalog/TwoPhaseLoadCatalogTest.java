package dev.basalt.meta.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.meta.store.JdbcMetaStore;
import dev.basalt.meta.store.MetaStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pre-committed loads and label expiry in the catalog, on a fake clock, across reopenings. */
class TwoPhaseLoadCatalogTest {
  @TempDir Path directory;
  private final AtomicLong now = new AtomicLong(1_000_000);
  private MetaStore store;
  private Catalog catalog;
  private TableMeta table;
  private long databaseId;

  @BeforeEach
  void open() {
    reopen();
    databaseId = catalog.createDatabase("db", false).id();
    table = catalog.createTable("db", CatalogTest.duplicateTable("t", 1), false);
  }

  private void reopen() {
    if (store != null) {
      store.close();
    }
    store = JdbcMetaStore.openSqlite(directory.resolve("catalog.db"));
    catalog = Catalog.open(store, now::get);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Map<Long, List<SegmentFile>> segment(String path, long rows) {
    return Map.of(
        table.partitions().get(0).tabletIds().get(0), List.of(new SegmentFile(path, rows, 10)));
  }

  @Test
  void aPrecommittedLoadSurvivesAReopeningAndBecomesVisibleAtCommit() {
    TwoPhaseLoad load = catalog.precommitLoad(table.id(), "l1", segment("a.seg", 4), 4, 5_000_000);
    assertThat(catalog.snapshot(table.id()).rowCount()).isZero();
    reopen();
    assertThat(catalog.precommittedLoads()).containsExactly(load);
    assertThat(catalog.label(databaseId, "l1").orElseThrow().status())
        .isEqualTo(LoadStatus.PRECOMMITTED);
    assertThatThrownBy(() -> catalog.commitLoad(table.id(), "l1", Map.of(), 0))
        .isInstanceOf(BasaltException.class)
        .extracting(e -> ((BasaltException) e).code())
        .isEqualTo(ErrorCode.LABEL_ALREADY_EXISTS);

    CommitResult result = catalog.commitPrecommitted(databaseId, load.transactionId(), l -> null);
    assertThat(result.transactionId()).isEqualTo(load.transactionId());
    assertThat(catalog.snapshot(table.id()).rowCount()).isEqualTo(4);
    reopen();
    assertThat(catalog.snapshot(table.id()).rowCount()).isEqualTo(4);
    assertThat(catalog.precommittedLoads()).isEmpty();
    assertThat(catalog.twoPhaseLoad(load.transactionId()).orElseThrow().status())
        .isEqualTo(LoadStatus.VISIBLE);
    assertThatThrownBy(() -> catalog.abortPrecommitted(databaseId, load.transactionId(), "x"))
        .hasMessageEndingWith("is already VISIBLE, could not abort.");
  }

  @Test
  void deleteKeyFilesAndPartialUpdatesSurviveAReopeningAndAreFilesOfTheLoad() {
    long tablet = table.partitions().get(0).tabletIds().get(0);
    TwoPhaseLoad.PartialUpdate partial =
        new TwoPhaseLoad.PartialUpdate(
            List.of(1, 3),
            Map.of("f.seg", new TwoPhaseLoad.PartialUpdate.Fill(7, new byte[] {1, 2, 3, -1})));
    TwoPhaseLoad load =
        catalog.precommitLoad(
            table.id(),
            "l3",
            segment("f.seg", 2),
            Map.of(tablet, "g.bdk"),
            partial,
            2,
            5_000_000,
            null);
    assertThat(catalog.referencedSegmentPaths()).contains("f.seg", "g.bdk");
    reopen();
    TwoPhaseLoad read = catalog.twoPhaseLoad(load.transactionId()).orElseThrow();
    assertThat(read.deleteKeyFiles()).isEqualTo(Map.of(tablet, "g.bdk"));
    assertThat(read.partialUpdate().givenColumnIds()).containsExactly(1, 3);
    TwoPhaseLoad.PartialUpdate.Fill fill = read.partialUpdate().fills().get("f.seg");
    assertThat(fill.snapshotVersion()).isEqualTo(7);
    assertThat(fill.storedRows()).containsExactly(1, 2, 3, -1);
    assertThat(catalog.referencedSegmentPaths()).contains("f.seg", "g.bdk");

    assertThat(catalog.abortPrecommitted(databaseId, load.transactionId(), "User Abort"))
        .containsExactlyInAnyOrder("f.seg", "g.bdk");
    TwoPhaseLoad aborted = catalog.twoPhaseLoad(load.transactionId()).orElseThrow();
    assertThat(aborted.deleteKeyFiles()).isEmpty();
    assertThat(aborted.partialUpdate()).isNull();
    assertThat(catalog.referencedSegmentPaths()).doesNotContain("f.seg", "g.bdk");
  }

  @Test
  void anAbortFreesTheLabelAndReturnsTheFiles() {
    TwoPhaseLoad load = catalog.precommitLoad(table.id(), "l2", segment("b.seg", 2), 2, 5_000_000);
    assertThat(catalog.abortPrecommitted(databaseId, load.transactionId(), "User Abort"))
        .containsExactly("b.seg");
    assertThat(catalog.label(databaseId, "l2")).isEmpty();
    assertThatThrownBy(
            () -> catalog.commitPrecommitted(databaseId, load.transactionId(), l -> null))
        .hasMessageEndingWith("is already aborted. abort reason: User Abort");
    assertThatThrownBy(
            () -> catalog.commitPrecommitted(databaseId + 1, load.transactionId(), l -> null))
        .hasMessageEndingWith("not found.");
    assertThat(catalog.snapshot(table.id()).rowCount()).isZero();
  }

  @Test
  void labelsExpireAfterTheKeepTimeButPrecommittedOnesStay() {
    catalog.commitLoad(table.id(), "old", segment("c.seg", 1), 1);
    TwoPhaseLoad pending =
        catalog.precommitLoad(table.id(), "pending", segment("d.seg", 1), 1, Long.MAX_VALUE);
    TwoPhaseLoad aborted =
        catalog.precommitLoad(table.id(), "aborted", segment("e.seg", 1), 1, Long.MAX_VALUE);
    catalog.abortPrecommitted(databaseId, aborted.transactionId(), "User Abort");
    now.addAndGet(1_000);
    catalog.commitLoad(table.id(), "young", segment("f.seg", 1), 1);

    assertThat(catalog.removeExpiredLabels(2_000)).isZero();
    now.addAndGet(1_500);
    assertThat(catalog.removeExpiredLabels(2_000)).isEqualTo(2);
    reopen();
    assertThat(catalog.label(databaseId, "old")).isEmpty();
    assertThat(catalog.twoPhaseLoad(aborted.transactionId())).isEmpty();
    assertThat(catalog.label(databaseId, "young")).isPresent();
    assertThat(catalog.label(databaseId, "pending")).isPresent();
    assertThat(catalog.precommittedLoads()).containsExactly(pending);
    // The expired label can be used again; the rows it loaded stay.
    catalog.commitLoad(table.id(), "old", segment("g.seg", 1), 1);
    assertThat(catalog.snapshot(table.id()).rowCount()).isEqualTo(3);
  }
}
