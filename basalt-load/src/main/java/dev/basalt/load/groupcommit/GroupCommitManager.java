package dev.basalt.load.groupcommit;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.vector.Batch;
import dev.basalt.load.LoadTransaction;
import dev.basalt.load.TableWriter;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.CommitResult;
import dev.basalt.meta.catalog.GroupCommitProperties;
import dev.basalt.meta.catalog.LoadInfo;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.TableReadBarrier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit (Doris's {@code group_commit}): concurrent small loads into one table join the
 * table's current <em>group</em>, which becomes one ordinary load transaction, committed once per
 * {@code group_commit_interval_ms} or when {@code group_commit_data_bytes} of rows have gathered
 * ({@link GroupCommitProperties}).
 *
 * <p>Each group has a write-ahead log ({@link WriteAheadLog}, {@code wal/<walId>.wal}). A load's
 * rows go into the log as one record and into the group's {@link LoadTransaction} (memory, flushed
 * to segments within the load budget) under the table's lock; then, outside it, an async-mode load
 * waits until a force of the log covers its record (one force serves every load that wrote before
 * it: group fsync), a sync-mode load until the group's commit. The commit records the label {@code
 * group_commit_<walId>}, and only then is the log deleted. So at start ({@link #recover}) a log
 * whose label the catalog has was committed (the crash came before its deletion) and is deleted;
 * any other is replayed into a load with that label: exactly once, whichever side of the commit the
 * crash fell.
 *
 * <p>When the table changed under an open group (TRUNCATE, ADD/DROP COLUMN, new partitions) the
 * group's commit is refused; the group is then replayed from its log against the table as it is
 * now, the same path as a restart. A dropped table takes its pending groups with it.
 *
 * <p>INSERTs outside group commit may share groups too ({@link #submitVisibleToReads}): such a
 * statement is acknowledged once its record is forced, as in async mode, and its group is marked
 * <em>read-visible</em>: this manager is the catalog's {@link TableReadBarrier}, so a snapshot of
 * the table (any query, SHOW, DELETE) first commits the table's read-visible groups and waits for
 * them. Every read that begins after an acknowledgement therefore sees the rows, as if each
 * statement had committed on its own, while consecutive statements share one memtable, one log and
 * one commit (docs/stream-load.md, "INSERTs sharing a commit").
 *
 * <p>Thread safe. Call order: {@link #recover} once before the first {@link #submit}; {@link
 * #close} commits the open groups and stops the timer.
 */
public final class GroupCommitManager implements AutoCloseable, TableReadBarrier {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitManager.class);

  /** The prefix of every group's label, as Doris names them. */
  public static final String LABEL_PREFIX = "group_commit_";

  private final Catalog catalog;
  private final TableWriter writer;
  private final Path directory;
  private final Function<ColumnMeta, Object> defaults;
  private final Map<Long, TableGroups> tables = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer = newTimer();

  /**
   * One timer thread. A cancelled timer task (a group sealed before its interval) leaves the queue
   * at once: it holds its group and the group's load transaction, and with a long {@code
   * group_commit_interval_ms} a thousand tables would otherwise keep a thousand finished loads.
   */
  private static ScheduledExecutorService newTimer() {
    java.util.concurrent.ScheduledThreadPoolExecutor timer =
        new java.util.concurrent.ScheduledThreadPoolExecutor(
            1,
            task -> Thread.ofPlatform().daemon().name("basalt-group-commit-timer").unstarted(task));
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  private volatile boolean closed;

  /**
   * The open group of one table and its read-visible groups not yet committed (the open one
   * included once marked), guarded by {@code lock}; {@code readVisiblePending} mirrors whether that
   * list is empty, so that a read of a table without such groups takes no lock.
   */
  private static final class TableGroups {
    final ReentrantLock lock = new ReentrantLock();
    Group current;
    final List<Group> readVisible = new ArrayList<>(2);
    volatile boolean readVisiblePending;
  }

  /** One group: its log, its load transaction and its outcome. */
  private static final class Group {
    final long walId;
    final String label;
    final TableMeta table;
    final WriteAheadLog wal;
    final LoadTransaction load;
    final CompletableFuture<CommitResult> done = new CompletableFuture<>();
    ScheduledFuture<?> timer;
    long bytes;

    /** Whether it holds a statement acknowledged as visible to reads ({@link #readVisible}). */
    boolean readVisible;

    Group(long walId, String label, TableMeta table, WriteAheadLog wal, LoadTransaction load) {
      this.walId = walId;
      this.label = label;
      this.table = table;
      this.wal = wal;
      this.load = load;
    }
  }

  /**
   * @param directory where the logs live (created when missing)
   * @param defaults a column's DEFAULT as a value, for columns added after a group began; or null
   */
  public GroupCommitManager(
      Catalog catalog, TableWriter writer, Path directory, Function<ColumnMeta, Object> defaults) {
    this.catalog = catalog;
    this.writer = writer;
    this.directory = directory;
    this.defaults = defaults;
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the write-ahead log directory " + directory, e);
    }
  }

  /** The label of the group with id {@code walId}. */
  static String labelOf(long walId) {
    return LABEL_PREFIX + String.format("%016x", walId);
  }

  /**
   * Adds a complete load's rows to the table's current group and waits as {@code mode} says: for
   * the log to be durable (async) or for the group's commit (sync).
   *
   * @param timeoutMillis how long a sync-mode load waits for the commit
   * @throws BasaltException GROUP_COMMIT_FAILED when the group cannot take the rows or (sync) its
   *     commit failed; LOAD_TIMEOUT when the commit did not come in time (the rows may still become
   *     visible)
   */
  public GroupCommitReceipt submit(GroupCommitLoad rows, GroupCommitMode mode, long timeoutMillis) {
    if (mode == GroupCommitMode.OFF_MODE) {
      throw new IllegalArgumentException("off_mode loads do not join groups");
    }
    return submit(rows, mode, timeoutMillis, false);
  }

  /**
   * Adds a complete statement's rows to the table's current group, marks the group read-visible and
   * returns once the log is durable: every snapshot of the table taken after this returns commits
   * the group first ({@link #beforeRead}). Only for tables where the order of rows between loads
   * carries no meaning (DUPLICATE KEY): the group commits after loads that began later.
   *
   * @return a receipt whose {@code visible()} is true
   * @throws BasaltException GROUP_COMMIT_FAILED when the group cannot take the rows
   */
  public GroupCommitReceipt submitVisibleToReads(GroupCommitLoad rows, long timeoutMillis) {
    return submit(rows, GroupCommitMode.ASYNC_MODE, timeoutMillis, true);
  }

  private GroupCommitReceipt submit(
      GroupCommitLoad rows, GroupCommitMode mode, long timeoutMillis, boolean visibleToReads) {
    TableMeta table = rows.table();
    List<Batch> batches = rows.batches();
    byte[] record = WalRecords.encodeRecord(batches);
    TableGroups slot = tables.computeIfAbsent(table.id(), id -> new TableGroups());
    Group group;
    long position;
    slot.lock.lock();
    try {
      if (closed) {
        throw failure(table, "(no group)", "the server is shutting down");
      }
      group = slot.current;
      if (group != null && !group.table.columns().equals(table.columns())) {
        // The load was converted for a newer schema than the group's: start a new group.
        seal(slot, group);
        group = null;
      }
      if (group == null) {
        group = open(slot, table);
      }
      try {
        position = group.wal.appendRecord(record);
        for (Batch batch : batches) {
          group.load.append(batch, (row, reason) -> {});
        }
      } catch (RuntimeException e) {
        // The group may now hold part of this load: commit what it has, refuse this load.
        seal(slot, group);
        throw failure(table, group.label, e.getMessage());
      }
      group.bytes += record.length;
      if (visibleToReads && !group.readVisible) {
        group.readVisible = true;
        slot.readVisible.add(group);
        slot.readVisiblePending = true;
      }
      if (group.bytes >= GroupCommitProperties.dataBytes(table)) {
        seal(slot, group);
      }
    } finally {
      slot.lock.unlock();
    }
    if (mode == GroupCommitMode.ASYNC_MODE) {
      try {
        group.wal.sync(position);
      } catch (ClosedChannelException finishedFirst) {
        // The group committed (or failed) before this load's force: its outcome decides.
        await(group, timeoutMillis);
      } catch (IOException e) {
        throw failure(table, group.label, "forcing the write-ahead log failed: " + e.getMessage());
      }
      return new GroupCommitReceipt(group.label, group.walId, rows.rowCount(), visibleToReads);
    }
    await(group, timeoutMillis);
    return new GroupCommitReceipt(group.label, group.walId, rows.rowCount(), true);
  }

  /** Commits the table's open group now, if it has one, and waits for the commit. */
  public void flush(long tableId) {
    TableGroups slot = tables.get(tableId);
    if (slot == null) {
      return;
    }
    Group group;
    slot.lock.lock();
    try {
      group = slot.current;
      if (group != null) {
        seal(slot, group);
      }
    } finally {
      slot.lock.unlock();
    }
    if (group != null) {
      await(group, TimeUnit.MINUTES.toMillis(10));
    }
  }

  /**
   * The catalog's read barrier: commits the table's open group if it is read-visible, and waits for
   * every read-visible group of the table to finish its commit. A group that fails to commit is not
   * waited for again (its log stays for the next start). Never called from a group's own commit:
   * that reads only {@link Catalog#committedSnapshot}.
   */
  @Override
  public void beforeRead(long tableId) {
    TableGroups slot = tables.get(tableId);
    if (slot == null || !slot.readVisiblePending) {
      return;
    }
    List<Group> waitFor;
    slot.lock.lock();
    try {
      Group open = slot.current;
      if (open != null && open.readVisible) {
        seal(slot, open);
      }
      waitFor = List.copyOf(slot.readVisible);
    } finally {
      slot.lock.unlock();
    }
    for (Group group : waitFor) {
      try {
        group.done.get();
      } catch (ExecutionException failed) {
        // Logged by the commit; its rows are replayed from the log at the next start.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BasaltException(e, ErrorCode.QUERY_INTERRUPTED);
      }
    }
  }

  /** Forgets a read-visible group once its commit is over, whatever its outcome. */
  private void committed(Group group) {
    if (!group.readVisible) {
      return;
    }
    TableGroups slot = tables.get(group.table.id());
    if (slot == null) {
      return;
    }
    slot.lock.lock();
    try {
      slot.readVisible.remove(group);
      slot.readVisiblePending = !slot.readVisible.isEmpty();
    } finally {
      slot.lock.unlock();
    }
  }

  private void await(Group group, long timeoutMillis) {
    try {
      group.done.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof BasaltException basalt) {
        throw basalt;
      }
      throw failure(group.table, group.label, String.valueOf(e.getCause()));
    } catch (TimeoutException e) {
      throw new BasaltException(
          ErrorCode.LOAD_TIMEOUT, TimeUnit.MILLISECONDS.toSeconds(timeoutMillis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BasaltException(e, ErrorCode.QUERY_INTERRUPTED);
    }
  }

  /** Opens a new group for {@code table}: its log (durable, empty) and its load transaction. */
  private Group open(TableGroups slot, TableMeta table) {
    long walId = catalog.allocateId();
    String label = labelOf(walId);
    WriteAheadLog wal;
    try {
      wal = WriteAheadLog.create(directory, WalHeader.of(walId, label, table));
    } catch (UncheckedIOException e) {
      throw failure(table, label, e.getMessage());
    }
    LoadTransaction load;
    try {
      load = writer.begin(table, label);
      load.describe(LoadInfo.of(LoadInfo.GROUP_COMMIT, "", System.currentTimeMillis()));
    } catch (RuntimeException e) {
      wal.delete();
      throw e;
    }
    Group group = new Group(walId, label, table, wal, load);
    slot.current = group;
    group.timer =
        timer.schedule(
            () -> sealOnTime(slot, group),
            GroupCommitProperties.intervalMillis(table),
            TimeUnit.MILLISECONDS);
    return group;
  }

  private void sealOnTime(TableGroups slot, Group group) {
    slot.lock.lock();
    try {
      if (slot.current == group) {
        seal(slot, group);
      }
    } finally {
      slot.lock.unlock();
    }
  }

  /** Closes the group to new loads and commits it on a thread of its own. Holds slot's lock. */
  private void seal(TableGroups slot, Group group) {
    if (slot.current == group) {
      slot.current = null;
    }
    if (group.timer != null) {
      group.timer.cancel(false);
    }
    Thread.ofVirtual()
        .name("basalt-group-commit-" + group.walId)
        .start(
            () -> {
              try {
                commit(group);
              } finally {
                committed(group);
              }
            });
  }

  private void commit(Group group) {
    CommitResult result;
    try {
      try {
        result = group.load.commit();
      } catch (BasaltException refused) {
        result = recommit(group, refused);
      }
    } catch (TableDroppedException dropped) {
      LOG.info("group {} discarded: table {} was dropped", group.label, group.table.name());
      group.done.completeExceptionally(dropped.failure);
      return;
    } catch (RuntimeException | Error e) {
      // The log stays: the next start replays it.
      LOG.error("group commit {} into {} failed", group.label, group.table.name(), e);
      closeQuietly(group.wal);
      group.done.completeExceptionally(e);
      return;
    }
    try {
      group.wal.delete();
    } catch (UncheckedIOException e) {
      // Committed: a leftover log is recognised by its label at the next start.
      LOG.warn("cannot delete the write-ahead log of committed group {}", group.label, e);
    }
    group.done.complete(result);
  }

  /**
   * After the catalog refused a group's commit: a dropped table loses the group; a changed one
   * (TRUNCATE, schema or partition change) gets the group's rows replayed from its log.
   */
  private CommitResult recommit(Group group, BasaltException refused) {
    Optional<TableMeta> now = catalog.tableById(group.table.id());
    if (now.isEmpty()) {
      group.wal.delete();
      throw new TableDroppedException(failure(group.table, group.label, "the table was dropped"));
    }
    LOG.info(
        "table {} changed while group {} was open; replaying the group from its log ({})",
        group.table.name(),
        group.label,
        refused.getMessage());
    group.wal.close();
    try {
      CommitResult result = replay(group.wal.path());
      if (result == null) {
        throw failure(group.table, group.label, "the group's log could not be replayed");
      }
      return result;
    } catch (IOException e) {
      throw failure(group.table, group.label, e.getMessage());
    }
  }

  /**
   * Replays the logs an earlier run left (groups not committed, or committed but not yet deleted),
   * oldest first. Call once at start, before any load.
   *
   * @return how many groups were committed by the replay
   */
  public int recover() {
    List<Path> logs;
    try (Stream<Path> files = Files.list(directory)) {
      logs =
          new ArrayList<>(
              files.filter(path -> path.toString().endsWith(WriteAheadLog.SUFFIX)).toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
    logs.sort(Comparator.comparingLong(GroupCommitManager::walIdOf));
    int replayed = 0;
    for (Path log : logs) {
      try {
        if (replay(log) != null) {
          replayed++;
        }
      } catch (IOException | RuntimeException e) {
        Path aside = log.resolveSibling(log.getFileName() + ".unreplayable");
        LOG.error("cannot replay the write-ahead log {}; moved it to {}", log, aside, e);
        try {
          Files.move(log, aside, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException moveFailed) {
          LOG.error("cannot move {} aside", log, moveFailed);
        }
      }
    }
    if (!logs.isEmpty()) {
      LOG.info("group commit recovery: {} of {} write-ahead logs replayed", replayed, logs.size());
    }
    return replayed;
  }

  private static long walIdOf(Path log) {
    String name = log.getFileName().toString();
    try {
      return Long.parseLong(name.substring(0, name.length() - WriteAheadLog.SUFFIX.length()));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * Commits the rows of one log under the group's label unless that label is already committed,
   * then deletes the log.
   *
   * @return the commit, or null when there was nothing to commit (already committed, table gone, no
   *     complete record)
   */
  private CommitResult replay(Path log) throws IOException {
    WalHeader header;
    CommitResult result = null;
    try (WalReader reader = openOrDiscard(log)) {
      if (reader == null) {
        return null;
      }
      header = reader.header();
      Optional<TableMeta> table = catalog.tableById(header.tableId());
      if (table.isEmpty()) {
        LOG.info("discarding write-ahead log {}: its table was dropped", log);
      } else if (catalog.label(header.databaseId(), header.label()).isPresent()) {
        LOG.info("write-ahead log {} was committed before the restart; deleting it", log);
      } else {
        try (LoadTransaction load = writer.begin(table.get(), header.label())) {
          load.describe(LoadInfo.of(LoadInfo.GROUP_COMMIT, "", System.currentTimeMillis()));
          for (byte[] payload = reader.next(); payload != null; payload = reader.next()) {
            for (Batch batch : WalRecords.decode(payload, header, table.get(), defaults)) {
              load.append(batch, (row, reason) -> {});
            }
          }
          if (reader.torn()) {
            LOG.info("write-ahead log {} ends in a torn record (never acknowledged)", log);
          }
          if (load.rowCount() > 0) {
            result = load.commit();
          }
        }
      }
    }
    Files.deleteIfExists(log);
    return result;
  }

  /** A reader of the log, or null (and the log deleted) when its header never became durable. */
  private static WalReader openOrDiscard(Path log) throws IOException {
    try {
      return new WalReader(log);
    } catch (java.io.EOFException | IllegalArgumentException torn) {
      LOG.info("discarding write-ahead log {}: created by a crash-interrupted group", log);
      Files.deleteIfExists(log);
      return null;
    }
  }

  /** A group's table was dropped before its commit: its rows went with the table. */
  private static final class TableDroppedException extends RuntimeException {
    final BasaltException failure;

    TableDroppedException(BasaltException failure) {
      super(failure.getMessage(), failure, false, false);
      this.failure = failure;
    }
  }

  private static BasaltException failure(TableMeta table, String label, String reason) {
    return new BasaltException(ErrorCode.GROUP_COMMIT_FAILED, label, table.name(), reason);
  }

  private static void closeQuietly(WriteAheadLog wal) {
    try {
      wal.close();
    } catch (UncheckedIOException e) {
      LOG.warn("closing {}", wal.path(), e);
    }
  }

  /** Commits every open group, waits for the commits (up to a minute) and stops the timer. */
  @Override
  public void close() {
    closed = true;
    List<Group> pending = new ArrayList<>();
    for (TableGroups slot : tables.values()) {
      slot.lock.lock();
      try {
        if (slot.current != null) {
          pending.add(slot.current);
          seal(slot, slot.current);
        }
      } finally {
        slot.lock.unlock();
      }
    }
    for (Group group : pending) {
      try {
        group.done.get(1, TimeUnit.MINUTES);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof BasaltException)) {
          LOG.warn(
              "group {} did not commit at shutdown; its log is replayed at the next start",
              group.label);
        }
      } catch (TimeoutException e) {
        LOG.warn(
            "group {} did not commit at shutdown; its log is replayed at the next start",
            group.label);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    timer.shutdownNow();
  }
}
