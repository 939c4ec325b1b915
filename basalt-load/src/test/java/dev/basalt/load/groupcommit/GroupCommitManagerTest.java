package dev.basalt.load.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.DecimalVector;
import dev.basalt.load.TableWriter;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.Distribution;
import dev.basalt.meta.catalog.DistributionKind;
import dev.basalt.meta.catalog.GroupCommitProperties;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.Partitioning;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.store.JdbcMetaStore;
import dev.basalt.storage.fs.InMemoryFileSystem;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-ahead log's crash cases, on a real catalog: a log copied at "crash" time (the group
 * never committed) is replayed once; the same copy put back after the group did commit (a crash
 * between the commit and the log's deletion) is recognised by its label and replays nothing; a torn
 * last record is left out; decimals, strings and nulls come back as they were logged.
 */
class GroupCommitManagerTest {
  @TempDir Path directory;
  private JdbcMetaStore store;
  private Catalog catalog;
  private final InMemoryFileSystem files = new InMemoryFileSystem();
  private TableMeta table;
  private TableWriter writer;

  @BeforeEach
  void createTable() {
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
                    ColumnMeta.of("v", DataType.STRING),
                    ColumnMeta.of("d", DataType.decimal(10, 2))),
                Partitioning.NONE,
                List.of(),
                new Distribution(DistributionKind.HASH, List.of("k"), 2, false),
                Map.of(GroupCommitProperties.INTERVAL_MS, "600000"),
                ""),
            false);
    writer = new TableWriter(catalog, files);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private GroupCommitLoad rows(int first, int count) {
    ColumnVectorBuilder k = new ColumnVectorBuilder(DataType.INT);
    ColumnVectorBuilder v = new ColumnVectorBuilder(DataType.STRING);
    ColumnVectorBuilder d = new ColumnVectorBuilder(DataType.decimal(10, 2));
    for (int key = first; key < first + count; key++) {
      k.appendLong(key);
      if (key % 3 == 0) {
        v.appendNull();
      } else {
        v.appendString("v" + key);
      }
      d.appendObject(new BigDecimal(key + ".25"));
    }
    GroupCommitLoad load = new GroupCommitLoad(table);
    load.append(
        new Batch(List.of(k.build(), v.build(), d.build()), count),
        (row, reason) -> {
          throw new AssertionError(reason);
        });
    return load;
  }

  private static void copyLogs(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> logs = Files.list(from)) {
      for (Path log : logs.toList()) {
        Files.copy(log, to.resolve(log.getFileName()));
      }
    }
  }

  private long visibleRows() {
    return catalog.snapshot(table.id()).rowCount();
  }

  @Test
  void aLogIsReplayedOnceWhetherOrNotItsGroupCommittedBeforeTheCrash() throws Exception {
    Path live = directory.resolve("wal");
    GroupCommitManager before = new GroupCommitManager(catalog, writer, live, null);
    assertThat(before.recover()).isZero();
    for (int load = 0; load < 5; load++) {
      GroupCommitReceipt receipt =
          before.submit(rows(load * 10, 10), GroupCommitMode.ASYNC_MODE, 1000);
      assertThat(receipt.label()).startsWith("group_commit_");
      assertThat(receipt.visible()).isFalse();
    }
    assertThat(visibleRows()).isZero();
    // The crash: what the disk holds now (the group has not committed).
    Path crashed = directory.resolve("crashed");
    copyLogs(live, crashed);

    // Case 1: the group never committed; the restart replays it.
    GroupCommitManager restarted = new GroupCommitManager(catalog, writer, crashed, null);
    assertThat(restarted.recover()).isEqualTo(1);
    assertThat(visibleRows()).isEqualTo(50);
    try (Stream<Path> left = Files.list(crashed)) {
      assertThat(left.toList()).isEmpty();
    }
    // Replaying the same log again (a crash right after the replay's commit) adds nothing.
    Path again = directory.resolve("again");
    copyLogs(live, again);
    assertThat(new GroupCommitManager(catalog, writer, again, null).recover()).isZero();
    assertThat(visibleRows()).isEqualTo(50);
  }

  @Test
  void aCommittedGroupsLeftoverLogIsDeletedNotReplayed() throws Exception {
    Path live = directory.resolve("wal");
    GroupCommitManager manager = new GroupCommitManager(catalog, writer, live, null);
    manager.submit(rows(0, 10), GroupCommitMode.ASYNC_MODE, 1000);
    Path crashed = directory.resolve("crashed");
    copyLogs(live, crashed);
    manager.flush(table.id());
    assertThat(visibleRows()).isEqualTo(10);
    try (Stream<Path> left = Files.list(live)) {
      assertThat(left.toList()).as("a committed group's log is deleted").isEmpty();
    }
    // The crash fell between the commit and the deletion.
    assertThat(new GroupCommitManager(catalog, writer, crashed, null).recover()).isZero();
    assertThat(visibleRows()).isEqualTo(10);
    try (Stream<Path> left = Files.list(crashed)) {
      assertThat(left.toList()).isEmpty();
    }
    manager.close();
  }

  @Test
  void aTornLastRecordIsLeftOutAndValuesComeBackAsLogged() throws Exception {
    Path live = directory.resolve("wal");
    GroupCommitManager manager = new GroupCommitManager(catalog, writer, live, null);
    manager.submit(rows(0, 7), GroupCommitMode.ASYNC_MODE, 1000);
    manager.submit(rows(7, 3), GroupCommitMode.ASYNC_MODE, 1000);
    Path crashed = directory.resolve("crashed");
    copyLogs(live, crashed);
    Path log;
    try (Stream<Path> logs = Files.list(crashed)) {
      log = logs.findFirst().orElseThrow();
    }
    // Cut the second record in half: it was being written when the power went.
    long size = Files.size(log);
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
      channel.truncate(size - 20);
    }
    assertThat(new GroupCommitManager(catalog, writer, crashed, null).recover()).isEqualTo(1);
    assertThat(visibleRows()).isEqualTo(7);
    try (WalReader reader = new WalReader(live.resolve(log.getFileName()))) {
      byte[] first = reader.next();
      List<Batch> batches = WalRecords.decode(first, reader.header(), table, null);
      Batch batch = batches.get(0);
      assertThat(batch.rowCount()).isEqualTo(7);
      assertThat(batch.column(0).getObject(4)).isEqualTo(4L);
      assertThat(batch.column(1).isNull(3)).isTrue();
      assertThat(batch.column(1).getObject(4)).isEqualTo("v4");
      assertThat(batch.column(2).getObject(5)).isEqualTo(new BigDecimal("5.25"));
      assertThat(reader.next()).isNotNull();
      assertThat(reader.next()).isNull();
      assertThat(reader.torn()).isFalse();
    }
    // The live group's label is now taken by the replay: its own commit is refused, and as its
    // rows are already in, nothing is added twice.
    assertThatThrownBy(() -> manager.flush(table.id())).isInstanceOf(BasaltException.class);
    assertThat(visibleRows()).isEqualTo(7);
  }

  @Test
  void decimalsAreLoggedAsScaledLongsWhenTheyFitAndAsTextOtherwise() throws Exception {
    TableMeta wide =
        catalog.createTable(
            "db",
            TableMeta.definition(
                "wide",
                KeysType.DUP_KEYS,
                List.of("k"),
                List.of(
                    ColumnMeta.of("k", DataType.INT).withKey(true),
                    ColumnMeta.of("d", DataType.decimal(38, 2))),
                Partitioning.NONE,
                List.of(),
                new Distribution(DistributionKind.HASH, List.of("k"), 1, false),
                Map.of(),
                ""),
            false);
    WalHeader header = WalHeader.of(1, "group_commit_1", wide);
    ColumnVectorBuilder keys = new ColumnVectorBuilder(DataType.INT);
    for (int key = 0; key < 3; key++) {
      keys.appendLong(key);
    }
    var keyVector = keys.build();
    // Fits a long at scale 2: the scaled form. Does not: the text form (as every log before).
    DecimalVector scaled =
        new DecimalVector(
            DataType.decimal(38, 2),
            new BigDecimal[] {new BigDecimal("-12.50"), null, new BigDecimal("3.07")},
            3);
    DecimalVector huge =
        new DecimalVector(
            DataType.decimal(38, 2),
            new BigDecimal[] {
              new BigDecimal("123456789012345678901234567890.12"), null, new BigDecimal("-0.01")
            },
            3);
    assertThat(scaled.isScaledLong()).isTrue();
    assertThat(huge.isScaledLong()).isFalse();
    for (DecimalVector decimals : List.of(scaled, huge)) {
      byte[] payload = payload(List.of(new Batch(List.of(keyVector, decimals), 3)));
      Batch back = WalRecords.decode(payload, header, wide, null).get(0);
      assertThat(back.rowCount()).isEqualTo(3);
      for (int row = 0; row < 3; row++) {
        assertThat(back.column(1).getObject(row)).isEqualTo(decimals.getObject(row));
        assertThat(back.column(0).getObject(row)).isEqualTo((long) row);
      }
    }
  }

  /**
   * A group logged before a schema change rewrote one of its columns (new unique id, another type)
   * is replayed with that column converted as the rewrite converts stored rows: the header names
   * the columns and their types; a logged value that does not convert fails the replay.
   */
  @Test
  void aColumnRewrittenSinceTheGroupBeganIsConvertedOnReplay() throws Exception {
    TableMeta before =
        catalog.createTable(
            "db",
            TableMeta.definition(
                "rewritten",
                KeysType.DUP_KEYS,
                List.of("k"),
                List.of(
                    ColumnMeta.of("k", DataType.INT).withKey(true),
                    ColumnMeta.of("v", DataType.varchar(10))),
                Partitioning.NONE,
                List.of(),
                new Distribution(DistributionKind.HASH, List.of("k"), 1, false),
                Map.of(),
                ""),
            false);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    WalHeader.of(1, "group_commit_1", before).write(new java.io.DataOutputStream(bytes));
    WalHeader header =
        WalHeader.read(
            new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
    assertThat(header.columns().get(1).name()).isEqualTo("v");
    assertThat(header.columns().get(1).type()).isEqualTo(DataType.varchar(10));
    ColumnVectorBuilder keys = new ColumnVectorBuilder(DataType.INT);
    ColumnVectorBuilder values = new ColumnVectorBuilder(DataType.varchar(10));
    String[] logged = {" 12 ", null, "-3"};
    for (int key = 0; key < logged.length; key++) {
      keys.appendLong(key);
      values.appendString(logged[key]);
    }
    byte[] payload = payload(List.of(new Batch(List.of(keys.build(), values.build()), 3)));
    byte[] bad =
        payload(
            List.of(
                new Batch(
                    List.of(
                        new ColumnVectorBuilder(DataType.INT).appendLong(9).build(),
                        new ColumnVectorBuilder(DataType.varchar(10)).appendString("nine").build()),
                    1)));

    TableMeta after =
        catalog
            .modifyColumn(
                "db",
                "rewritten",
                ColumnMeta.of("v", DataType.BIGINT),
                dev.basalt.meta.catalog.ColumnPosition.DEFAULT,
                (snapshot, definition, jobId) -> Map.of())
            .table();
    assertThat(after.column("v").orElseThrow().uniqueId())
        .isNotEqualTo(before.column("v").orElseThrow().uniqueId());
    Batch replayed = WalRecords.decode(payload, header, after, null).get(0);
    assertThat(replayed.column(1).type()).isEqualTo(DataType.BIGINT);
    assertThat(replayed.column(1).getObject(0)).isEqualTo(12L);
    assertThat(replayed.column(1).isNull(1)).isTrue();
    assertThat(replayed.column(1).getObject(2)).isEqualTo(-3L);
    assertThatThrownBy(() -> WalRecords.decode(bad, header, after, null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("value 'nine' of column v does not convert to bigint");
  }

  /** The payload of the log record the group commit path encodes for {@code batches}. */
  private static byte[] payload(List<Batch> batches) {
    byte[] record = WalRecords.encodeRecord(batches);
    return Arrays.copyOfRange(record, WriteAheadLog.RECORD_HEADER_BYTES, record.length);
  }
}
