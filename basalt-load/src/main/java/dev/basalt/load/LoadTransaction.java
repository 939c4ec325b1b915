package dev.basalt.load;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.result.BatchStream;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.LongVector;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.CommitResult;
import dev.basalt.meta.catalog.DistributionKind;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.LoadInfo;
import dev.basalt.meta.catalog.PartitionMeta;
import dev.basalt.meta.catalog.RowStoreOptions;
import dev.basalt.meta.catalog.SegmentFile;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.catalog.TwoPhaseLoad;
import dev.basalt.meta.catalog.UniqueKeyOptions;
import dev.basalt.meta.partition.AutoPartitions;
import dev.basalt.storage.fs.FileSystem;
import dev.basalt.storage.index.PrimaryKeyEncoder;
import dev.basalt.storage.index.PrimaryKeyIndexCache;
import dev.basalt.storage.segment.SegmentColumn;
import dev.basalt.storage.segment.SegmentMetadata;
import dev.basalt.storage.segment.SegmentWriter;
import dev.basalt.storage.segment.SegmentWriterOptions;
import dev.basalt.storage.tablet.DistributionHash;
import dev.basalt.storage.tablet.SortedMerge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * One streaming load into one table, in bounded memory: {@link #append} batches as they arrive,
 * then {@link #commit()} (all tablets visible at one new version, atomically) or {@link #abort()}
 * (the files written so far are deleted). Begin one with {@link TableWriter#begin}.
 *
 * <p>Inside: each row is routed to its partition (RANGE/LIST bounds) and bucket ({@link
 * DistributionHash} of the distribution columns' binary encoding, or round robin for RANDOM) and
 * appended to that tablet's typed {@link TabletBuffer}. When the buffered bytes of the load pass
 * half the budget, the largest tablet buffer is written as one segment sorted by the key columns (a
 * stable sort, so rows with equal keys keep their arrival order) on a background thread, one such
 * flush at a time, while new rows fill the other half of the budget. A tablet may get several
 * segments; they are listed in write order in its rowset, and the read-time merge of
 * UNIQUE/AGGREGATE tables lets later segments win, so later rows of a key win as they must.
 *
 * <p>Merge-on-write UNIQUE KEY tables ({@link TableMeta#mergeOnWrite()}): a flush keeps only the
 * last row of each key and writes a primary-key index with the segment; the commit looks the new
 * keys up in the tablet's older segments (and the load's earlier segments) under the table's commit
 * lock and records the replaced rows as delete bitmaps at the load's version ({@link
 * MergeOnWriteMarker}).
 *
 * <p>Batches follow {@code table().columns()} in order and type (values already converted and
 * checked: NOT NULL columns hold no NULL, strings fit). Call order: any number of {@code append},
 * then exactly one of {@code commit} or {@code abort}; {@link #close()} aborts a load that was not
 * committed. One thread drives a load (its background flush touches only the buffer it was handed);
 * different loads run in parallel. The server-wide {@link MemtableBudget} may flush the largest
 * tablet buffer of a load from another thread: {@code lock} guards the buffers, the segments and
 * the flush in flight against that.
 */
public final class LoadTransaction implements AutoCloseable, MemtableBudget.Memtables {
  /** Receives the rows {@link #append(Batch, RejectedRows)} leaves out, with the reason. */
  @FunctionalInterface
  public interface RejectedRows {
    /**
     * @param row the row's index in the appended batch
     * @param reason why it was left out, e.g. no partition holds its value
     */
    void reject(int row, String reason);
  }

  private enum State {
    OPEN,
    COMMITTED,
    ABORTED
  }

  private final Catalog catalog;
  private final FileSystem fileSystem;

  /** Replaced by a newer definition when the load creates AUTO partitions. */
  private TableMeta table;

  private final String label;
  private final long bufferBudgetBytes;
  private final MemtableBudget memtableBudget;

  /** Guards buffers, segments, written and the flush in flight (see the class comment). */
  private final java.util.concurrent.locks.ReentrantLock lock =
      new java.util.concurrent.locks.ReentrantLock();

  /** The buffers' bytes as last counted in the budget ({@link #measureBuffers}). */
  private long accountedBytes;

  /** The largest buffer's bytes as last counted, read by the budget from other threads. */
  private volatile long largestBufferBytes;

  private PartitionRouter partitions;
  private final int[] hashColumns;
  private final int[] keyColumns;
  private final List<SegmentColumn> segmentSchema;
  private final Map<Long, TabletBuffer> buffers = new LinkedHashMap<>();
  private final Map<Long, List<SegmentFile>> segments = new HashMap<>();
  private final List<String> written = new ArrayList<>();
  private State state = State.OPEN;
  private CompletableFuture<SegmentFile> inFlight;
  private long inFlightTablet;
  private long rowCount;
  private long roundRobin;
  // Routing scratch of one append, dropped when it returns ({@link #releaseScratch}).
  private int[] partitionOfRow = new int[0];
  private int[] tabletOfRow = new int[0];
  private long[] hashes = new long[0];
  private int[][] rowsOfTablet = new int[0][];
  private int[] slotSizes = new int[0];
  private final Map<Long, TabletDeletes> deletedKeys = new HashMap<>();

  /** Per segment of a partial update, what its flush read (for the commit's re-read). */
  private final Map<String, PartialUpdateRecheck.FlushedFill> flushedFills =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final FilesInFlight filesInFlight;

  /** Forces a small load's segments after its commit; null to force them before it. */
  private final SegmentSyncer segmentSyncer;

  private final TableWriter.CommitListener commitListener;
  private final java.util.function.Function<ColumnMeta, Object> columnDefaults;

  /** Per partition index, whether the load writes it; null when it writes every partition. */
  private boolean[] writablePartitions;

  private List<String> writablePartitionNames;

  /** Per column whether the load gives it (partial update), or null when it gives every column. */
  private boolean[] givenColumns;

  /** What the label's record tells SHOW LOAD; an INSERT begun now unless {@link #describe}d. */
  private LoadInfo info = LoadInfo.of(LoadInfo.INSERT, "", System.currentTimeMillis());

  /** Marks a row whose partition the load does not write ({@link #restrictToPartitions}). */
  private static final int OTHER_PARTITION = -2;

  LoadTransaction(
      Catalog catalog,
      FileSystem fileSystem,
      TableMeta table,
      String label,
      long bufferBudgetBytes,
      MemtableBudget memtableBudget,
      FilesInFlight filesInFlight,
      SegmentSyncer segmentSyncer,
      TableWriter.CommitListener commitListener,
      java.util.function.Function<ColumnMeta, Object> columnDefaults) {
    this.segmentSyncer = segmentSyncer;
    this.columnDefaults = columnDefaults;
    this.filesInFlight = filesInFlight;
    this.commitListener = commitListener;
    this.catalog = catalog;
    this.fileSystem = fileSystem;
    this.table = table;
    this.label = label;
    this.bufferBudgetBytes = bufferBudgetBytes;
    this.memtableBudget = memtableBudget;
    this.partitions = new PartitionRouter(table);
    if (table.distribution().kind() == DistributionKind.HASH) {
      List<String> names = table.distribution().columns();
      hashColumns = new int[names.size()];
      for (int i = 0; i < hashColumns.length; i++) {
        hashColumns[i] = TableWriter.indexOf(table, names.get(i));
      }
    } else {
      hashColumns = new int[0];
    }
    List<String> keys = table.keyColumns();
    keyColumns = new int[keys.size()];
    for (int i = 0; i < keyColumns.length; i++) {
      keyColumns[i] = TableWriter.indexOf(table, keys.get(i));
    }
    List<SegmentColumn> schema = new ArrayList<>();
    for (ColumnMeta column : table.columns()) {
      schema.add(new SegmentColumn(column.uniqueId(), column.type(), column.nullable()));
    }
    this.segmentSchema = List.copyOf(schema);
    // Last: from here on other threads may ask this load to flush.
    memtableBudget.register(this);
  }

  public TableMeta table() {
    return table;
  }

  /** The label the caller asked for, or {@code null} (the catalog generates one at commit). */
  public String label() {
    return label;
  }

  /**
   * What the commit records with the label for SHOW LOAD (type, user, start, Stream Load figures);
   * call any time before {@link #commit} or {@link #precommit}. Not thread-safe, as the rest.
   */
  public void describe(LoadInfo info) {
    this.info = java.util.Objects.requireNonNull(info);
  }

  /** What {@link #describe} set (an INSERT begun when the transaction was, by default). */
  public LoadInfo info() {
    return info;
  }

  /** Rows appended (and routed) so far. */
  public long rowCount() {
    return rowCount;
  }

  /** Segment files started so far (flushed buffers, the last one possibly still being written). */
  public int segmentCount() {
    lock.lock();
    try {
      return written.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Writes only the named partitions (Stream Load's {@code partitions} header): a row of another
   * partition is treated like a row that fits no partition. Call before the first append.
   *
   * @throws BasaltException ANALYSIS_ERROR for a name that is not a partition of the table
   */
  public void restrictToPartitions(List<String> names) {
    checkOpen();
    List<PartitionMeta> all = table.partitions();
    boolean[] writable = new boolean[all.size()];
    for (String name : names) {
      boolean found = false;
      for (int p = 0; p < all.size(); p++) {
        if (all.get(p).name().equalsIgnoreCase(name)) {
          writable[p] = true;
          found = true;
        }
      }
      if (!found) {
        throw new BasaltException(
            ErrorCode.ANALYSIS_ERROR,
            "Unknown partition '" + name + "' in table '" + table.name() + "'");
      }
    }
    this.writablePartitions = writable;
    this.writablePartitionNames = List.copyOf(names);
  }

  /**
   * Writes only the named temporary partitions ({@code INSERT INTO t TEMPORARY PARTITION (tp)},
   * Stream Load's {@code temporary_partitions} header): rows are routed among the table's temporary
   * partitions instead of its partitions, and a row of none of the named ones is treated like a row
   * that fits no partition. Call before the first append.
   *
   * @throws BasaltException ANALYSIS_ERROR for a name that is not a temporary partition of the
   *     table
   */
  public void restrictToTemporaryPartitions(List<String> names) {
    checkOpen();
    if (rowCount > 0 || !buffers.isEmpty()) {
      throw new IllegalStateException("restrictToTemporaryPartitions after the first append");
    }
    // The load sees the temporary partitions as its table's partitions: routing, buckets and the
    // commit (the catalog finds the partition of each tablet among both) need nothing else.
    table = table.withPartitions(table.temporaryPartitions());
    partitions = new PartitionRouter(table);
    restrictToPartitions(names);
  }

  /**
   * Makes the load a partial column update of a merge-on-write UNIQUE KEY table: the columns not
   * {@code given} keep the stored values of existing keys (the appended batches still hold every
   * column: defaults, or NULL, for the columns not given, which new keys get). Call before the
   * first append.
   *
   * @param given per table column, whether the load gives its values
   * @throws BasaltException ANALYSIS_ERROR when the table is not merge-on-write or a key column is
   *     not given
   */
  public void updateColumns(boolean[] given) {
    checkOpen();
    if (!table.mergeOnWrite()) {
      throw new BasaltException(
          ErrorCode.ANALYSIS_ERROR,
          "Partial update is only allowed on unique table with merge-on-write enabled; "
              + table.name()
              + " is not");
    }
    for (int key : keyColumns) {
      if (!given[key]) {
        throw new BasaltException(
            ErrorCode.ANALYSIS_ERROR,
            "Partial update should include all key columns, missing: "
                + table.columns().get(key).name());
      }
    }
    this.givenColumns = given.clone();
  }

  /**
   * Appends a batch; a row that fits no partition fails the whole call with the error INSERT
   * reports, and nothing of the batch is kept.
   */
  public void append(Batch batch) {
    append(batch, null);
  }

  /**
   * Appends a batch; rows that fit no partition go to {@code rejected} (when not null) and are left
   * out, or (when null) fail the call before anything of the batch is kept.
   */
  public void append(Batch batch, RejectedRows rejected) {
    checkOpen();
    if (batch.columnCount() != table.columns().size()) {
      throw new IllegalArgumentException(
          "batch has "
              + batch.columnCount()
              + " columns, table "
              + table.name()
              + " has "
              + table.columns().size());
    }
    int count = batch.rowCount();
    if (count == 0) {
      return;
    }
    lock.lock();
    try {
      List<Long> tabletOfSlot = route(batch, rejected);
      for (int slot = 0; slot < tabletOfSlot.size(); slot++) {
        long tabletId = tabletOfSlot.get(slot);
        TabletBuffer buffer =
            buffers.computeIfAbsent(tabletId, id -> new TabletBuffer(id, table, keyColumns));
        buffer.append(batch, rowsOfTablet[slot], slotSizes[slot]);
        rowCount += slotSizes[slot];
      }
      measureBuffers();
      flushWhileOverBudget();
      // Under this load's lock: the budget may pick this load's largest buffer too (reentrant).
      memtableBudget.afterAppend(table.name());
    } finally {
      releaseScratch();
      lock.unlock();
    }
  }

  /**
   * Drops the routing scratch (about 20 bytes per row of the largest batch): a server may hold a
   * thousand open loads between their appends (group commit's open groups), and the budget counts
   * only their buffers.
   */
  private void releaseScratch() {
    partitionOfRow = new int[0];
    tabletOfRow = partitionOfRow;
    hashes = new long[0];
    rowsOfTablet = new int[0][];
    slotSizes = partitionOfRow;
  }

  /**
   * Deletes, at commit, the rows of a merge-on-write UNIQUE KEY table whose keys the rows of {@code
   * batch} (laid out like the table's rows) have: routed like appended rows, their keys are kept
   * and marked in the tablets' delete bitmaps by the commit (DELETE, and Stream Load's merge
   * types). The commit applies deletes after the load's own writes, whatever the order of the
   * calls: a key this load both appends and deletes ends deleted. On a table with a sequence
   * column, a row whose sequence column is not NULL deletes the key only if that value is not
   * smaller than the live row's (Doris's rule for the delete sign); a NULL deletes it regardless.
   *
   * @throws IllegalStateException when the table is not merge-on-write
   */
  public void delete(Batch batch) {
    delete(batch, null);
  }

  /**
   * As {@link #delete(Batch)}; rows that fit no partition go to {@code rejected} (when not null)
   * and are left out, or (when null) fail the call before anything of the batch is kept.
   */
  public void delete(Batch batch, RejectedRows rejected) {
    delete(batch, rejected, true);
  }

  /**
   * As {@link #delete(Batch)}, but the rows delete their keys whatever the sequence values: SQL
   * {@code DELETE FROM t WHERE ...}, which removes the rows it selected (as in Doris, a DELETE
   * statement is not ordered by the sequence column).
   */
  public void deleteRegardlessOfSequence(Batch batch) {
    delete(batch, null, false);
  }

  private void delete(Batch batch, RejectedRows rejected, boolean bySequence) {
    checkOpen();
    if (!table.mergeOnWrite()) {
      throw new IllegalStateException("table " + table.name() + " is not merge-on-write");
    }
    int count = batch.rowCount();
    if (count == 0) {
      return;
    }
    lock.lock();
    try {
      List<Long> tabletOfSlot = route(batch, rejected);
      ColumnVector[] keys = new ColumnVector[keyColumns.length];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = batch.column(keyColumns[i]);
      }
      int sequenceColumn = UniqueKeyOptions.sequenceColumn(table);
      LongVector sequences =
          sequenceColumn < 0 || !bySequence ? null : (LongVector) batch.column(sequenceColumn);
      PrimaryKeyEncoder encoder = new PrimaryKeyEncoder();
      for (int slot = 0; slot < tabletOfSlot.size(); slot++) {
        TabletDeletes tabletKeys =
            deletedKeys.computeIfAbsent(tabletOfSlot.get(slot), id -> new TabletDeletes());
        for (int i = 0; i < slotSizes[slot]; i++) {
          int row = rowsOfTablet[slot][i];
          byte[] key = encoder.encode(keys, row);
          if (sequences == null || sequences.isNull(row)) {
            tabletKeys.add(key);
          } else {
            tabletKeys.add(key, sequences.getLong(row));
          }
        }
        rowCount += slotSizes[slot];
      }
    } finally {
      releaseScratch();
      lock.unlock();
    }
  }

  /**
   * Routes the rows of {@code batch} to tablets: returns the touched tablets (one per slot) and
   * leaves each slot's rows in {@code rowsOfTablet[slot][0 .. slotSizes[slot])}.
   */
  private List<Long> route(Batch batch, RejectedRows rejected) {
    int count = batch.rowCount();
    ensureScratch(count);
    partitions.route(batch, partitionOfRow);
    if (writablePartitions == null && table.partitioning().auto()) {
      createAutoPartitions(batch);
    }
    if (writablePartitions != null) {
      for (int row = 0; row < count; row++) {
        int partition = partitionOfRow[row];
        if (partition >= 0 && !writablePartitions[partition]) {
          partitionOfRow[row] = OTHER_PARTITION;
        }
      }
    }
    if (hashColumns.length > 0) {
      java.util.Arrays.fill(hashes, 0, count, 0L);
      for (int column : hashColumns) {
        DistributionHash.mix(batch.column(column), hashes, count);
      }
    }
    List<PartitionMeta> partitionList = table.partitions();
    for (int row = 0; row < count; row++) {
      if (partitionOfRow[row] < 0 && rejected == null) {
        throw new BasaltException(ErrorCode.ANALYSIS_ERROR, unroutable(batch, row));
      }
    }
    // Group rows by tablet: a list of row numbers per touched tablet, in arrival order.
    Map<Long, Integer> slotOfTablet = new HashMap<>();
    List<Long> tabletOfSlot = new ArrayList<>();
    slotSizes = new int[Math.max(16, partitionList.size())];
    for (int row = 0; row < count; row++) {
      int partition = partitionOfRow[row];
      if (partition < 0) {
        rejected.reject(row, unroutable(batch, row));
        tabletOfRow[row] = -1;
        continue;
      }
      List<Long> tablets = partitionList.get(partition).tabletIds();
      int bucket =
          hashColumns.length > 0
              ? DistributionHash.bucketOf(hashes[row], tablets.size())
              : (int) (roundRobin++ % tablets.size());
      long tabletId = tablets.get(bucket);
      Integer slot = slotOfTablet.get(tabletId);
      if (slot == null) {
        slot = tabletOfSlot.size();
        slotOfTablet.put(tabletId, slot);
        tabletOfSlot.add(tabletId);
        if (slot >= slotSizes.length) {
          slotSizes = java.util.Arrays.copyOf(slotSizes, slotSizes.length * 2);
        }
      }
      tabletOfRow[row] = slot;
      slotSizes[slot]++;
    }
    if (rowsOfTablet.length < tabletOfSlot.size()) {
      rowsOfTablet = new int[tabletOfSlot.size()][];
    }
    for (int slot = 0; slot < tabletOfSlot.size(); slot++) {
      if (rowsOfTablet[slot] == null || rowsOfTablet[slot].length < slotSizes[slot]) {
        rowsOfTablet[slot] = new int[Math.max(slotSizes[slot], 256)];
      }
      slotSizes[slot] = 0;
    }
    for (int row = 0; row < count; row++) {
      int slot = tabletOfRow[row];
      if (slot >= 0) {
        rowsOfTablet[slot][slotSizes[slot]++] = row;
      }
    }
    return tabletOfSlot;
  }

  /**
   * AUTO PARTITION tables: creates the partitions rows without one need ({@link AutoPartitions})
   * and routes the batch again over the grown table.
   */
  private void createAutoPartitions(Batch batch) {
    boolean unrouted = false;
    for (int row = 0; row < batch.rowCount() && !unrouted; row++) {
      unrouted = partitionOfRow[row] < 0;
    }
    if (!unrouted) {
      return;
    }
    List<String> names = table.partitioning().columns();
    int[] columns = new int[names.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = TableWriter.indexOf(table, names.get(i));
    }
    TableMeta grown = AutoPartitions.create(catalog, table, batch, columns, partitionOfRow);
    if (grown != table) {
      table = grown;
      partitions = new PartitionRouter(grown);
      partitions.route(batch, partitionOfRow);
    }
  }

  /** Why a routed row cannot be written: no partition holds it, or the load does not write it. */
  private String unroutable(Batch batch, int row) {
    String noPartition = partitions.describe(batch, row);
    return partitionOfRow[row] == OTHER_PARTITION
        ? noPartition + " among the partitions the load writes " + writablePartitionNames
        : noPartition;
  }

  private void ensureScratch(int count) {
    if (partitionOfRow.length < count) {
      partitionOfRow = new int[count];
      tabletOfRow = new int[count];
      hashes = new long[count];
    }
  }

  /**
   * Counts the buffers' bytes again and reports the change to the server's budget; call under the
   * lock after every change of the buffers.
   */
  private void measureBuffers() {
    long total = 0;
    long largest = 0;
    for (TabletBuffer buffer : buffers.values()) {
      long bytes = buffer.estimatedBytes();
      total += bytes;
      largest = Math.max(largest, bytes);
    }
    memtableBudget.adjustBuffered(total - accountedBytes);
    accountedBytes = total;
    largestBufferBytes = largest;
  }

  /**
   * Keeps the buffered rows under half the load's own budget: the largest tablet buffers are handed
   * to a background flush, at most one at a time, so that the other half of the budget holds the
   * buffer being written while new rows arrive (as a memtable flush overlaps the next memtable).
   */
  private void flushWhileOverBudget() {
    long threshold = bufferBudgetBytes / 2;
    while (accountedBytes > threshold && !buffers.isEmpty()) {
      awaitFlush();
      startFlush(largestBuffer());
    }
  }

  private TabletBuffer largestBuffer() {
    TabletBuffer largest = null;
    long largestBytes = -1;
    for (TabletBuffer buffer : buffers.values()) {
      long bytes = buffer.estimatedBytes();
      if (bytes > largestBytes) {
        largest = buffer;
        largestBytes = bytes;
      }
    }
    return largest;
  }

  @Override
  public long largestMemtableBytes() {
    return largestBufferBytes;
  }

  /**
   * Flushes the largest tablet buffer for the server's budget, from any thread: not while another
   * thread drives this load (it checks the budget itself after its append), nor while this load's
   * previous flush still runs (its bytes are coming back).
   */
  @Override
  public boolean flushLargestMemtable() {
    if (!lock.tryLock()) {
      return false;
    }
    try {
      if (state != State.OPEN || buffers.isEmpty()) {
        return false;
      }
      CompletableFuture<SegmentFile> flush = inFlight;
      if (flush != null && (!flush.isDone() || flush.isCompletedExceptionally())) {
        // Running, or failed: the owner's next call reports the failure.
        return false;
      }
      awaitFlush();
      startFlush(largestBuffer());
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Starts writing one tablet's buffer as a segment on a background thread, dropping it here. Its
   * bytes stay counted in the server's budget until the segment is written.
   */
  private void startFlush(TabletBuffer buffer) {
    buffers.remove(buffer.tabletId());
    long bytes = buffer.estimatedBytes();
    accountedBytes -= bytes;
    memtableBudget.flushStarted(bytes);
    largestBufferBytes = largestBufferBytesNow();
    String path = newSegmentPath(buffer.tabletId());
    inFlightTablet = buffer.tabletId();
    List<SegmentFile> earlier = List.copyOf(segments.getOrDefault(buffer.tabletId(), List.of()));
    inFlight =
        CompletableFuture.supplyAsync(
            () -> writeSegmentWithin(bytes, buffer, path, earlier, true), FLUSH_THREADS);
  }

  private long largestBufferBytesNow() {
    long largest = 0;
    for (TabletBuffer buffer : buffers.values()) {
      largest = Math.max(largest, buffer.estimatedBytes());
    }
    return largest;
  }

  /**
   * {@link #writeSegment}, then frees the buffer's {@code bytes} in the budget, even on failure.
   */
  private SegmentFile writeSegmentWithin(
      long bytes,
      TabletBuffer buffer,
      String path,
      List<SegmentFile> earlierSegments,
      boolean durable) {
    try {
      return writeSegment(buffer, path, earlierSegments, durable);
    } finally {
      memtableBudget.flushFinished(bytes);
    }
  }

  /**
   * A new segment file path in a tablet's directory, kept from garbage collection while the load
   * runs and deleted if it aborts.
   */
  private String newSegmentPath(long tabletId) {
    return newFilePath(tabletId, ".bsg");
  }

  /** As {@link #newSegmentPath}, for a file of the load ending in {@code suffix}. */
  private String newFilePath(long tabletId, String suffix) {
    String path = TableWriter.tabletFilePath(table, tabletId, catalog.allocateId(), suffix);
    filesInFlight.add(path);
    written.add(path);
    return path;
  }

  /**
   * Waits for the background flush, if any, and records its segment (flushes finish in the order
   * they started, so a tablet's segments stay in write order); rethrows its failure.
   */
  private void awaitFlush() {
    CompletableFuture<SegmentFile> flush = inFlight;
    if (flush == null) {
      return;
    }
    inFlight = null;
    SegmentFile segment;
    try {
      segment = flush.join();
    } catch (CompletionException failed) {
      Throwable cause = failed.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw failed;
    }
    segments.computeIfAbsent(inFlightTablet, id -> new ArrayList<>()).add(segment);
  }

  /**
   * Sorts a tablet's rows by key and writes them as one durable segment file. For a merge-on-write
   * table only the last row of each key is written (the last occurrence in a load wins) and the
   * segment gets a primary-key index, which goes into the shared cache for the commit's lookups.
   */
  private SegmentFile writeSegment(
      TabletBuffer buffer, String path, List<SegmentFile> earlierSegments, boolean durable) {
    boolean fills =
        table.mergeOnWrite() && (givenColumns != null || UniqueKeyOptions.replaceIfNotNull(table));
    int[] order =
        fills
            ? buffer.sortedOrder()
            : table.mergeOnWrite()
                ? buffer.lastOfEachKey(UniqueKeyOptions.sequenceColumn(table))
                : buffer.sortedOrder();
    SegmentMetadata metadata;
    try (SegmentWriter writer =
        new SegmentWriter(
            fileSystem,
            path,
            segmentSchema,
            SegmentWriterOptions.DEFAULT,
            table.mergeOnWrite() ? keyColumns : null,
            RowStoreOptions.positions(table))) {
      if (fills) {
        writeCompleted(buffer, path, order, earlierSegments, writer);
      } else if (!table.mergeOnWrite() && table.keysType() != KeysType.DUP_KEYS) {
        writePreAggregated(buffer, order, path, writer);
      } else {
        for (int start = 0; start < order.length; start += Batch.DEFAULT_SIZE) {
          writer.append(
              buffer.slice(order, start, Math.min(order.length, start + Batch.DEFAULT_SIZE)));
        }
      }
      metadata = durable ? writer.finish() : writer.finishUnsynced();
      if (writer.primaryKeyIndex() != null) {
        PrimaryKeyIndexCache.shared().put(fileSystem, path, writer.primaryKeyIndex());
      }
    }
    return new SegmentFile(path, metadata.rowCount(), metadata.fileSize());
  }

  /**
   * Writes the rows of an AGGREGATE or merge-on-read UNIQUE KEY table's buffer with the rows of
   * each key combined by the model's merge function (the memtable's pre-aggregation; the same merge
   * that compaction and scans apply, {@link TabletModels}), so the segment holds each key once:
   * {@code order} (sorted, equal keys in arrival order) streamed through a one-input {@link
   * SortedMerge} a batch at a time.
   */
  private void writePreAggregated(
      TabletBuffer buffer, int[] order, String path, SegmentWriter writer) {
    int[] allColumns = new int[table.columns().size()];
    for (int c = 0; c < allColumns.length; c++) {
      allColumns[c] = c;
    }
    BatchStream sorted =
        new BatchStream() {
          private int start;

          @Override
          public Batch next() {
            if (start >= order.length) {
              return null;
            }
            int end = Math.min(order.length, start + Batch.DEFAULT_SIZE);
            Batch slice = buffer.slice(order, start, end);
            start = end;
            return slice;
          }
        };
    try (SortedMerge merged =
        new SortedMerge(List.of(sorted), TabletModels.of(table), allColumns, List.of(path))) {
      for (Batch batch = merged.next(); batch != null; batch = merged.next()) {
        writer.append(batch);
      }
    }
  }

  /**
   * Writes one row per key of {@code order} (sorted, equal keys in arrival order) completed from
   * the stored rows ({@link StoredValueFill}), in slices of about a batch of keys.
   */
  private void writeCompleted(
      TabletBuffer buffer,
      String path,
      int[] order,
      List<SegmentFile> earlierSegments,
      SegmentWriter writer) {
    try (StoredValueFill fill =
        new StoredValueFill(
            fileSystem,
            table,
            keyColumns,
            givenColumns,
            catalog.committedSnapshot(table.id()),
            buffer.tabletId(),
            earlierSegments,
            columnDefaults)) {
      int start = 0;
      int[] runEnds = new int[Batch.DEFAULT_SIZE];
      while (start < order.length) {
        int runs = 0;
        int end = start;
        while (end < order.length && runs < Batch.DEFAULT_SIZE) {
          int runEnd = end + 1;
          while (runEnd < order.length && buffer.sameKey(order[end], order[runEnd])) {
            runEnd++;
          }
          runEnds[runs++] = runEnd - start;
          end = runEnd;
        }
        Batch rows = buffer.slice(order, start, end);
        ColumnVectorBuilder[] output = new ColumnVectorBuilder[table.columns().size()];
        for (int c = 0; c < output.length; c++) {
          output[c] = new ColumnVectorBuilder(table.columns().get(c).type(), runs);
        }
        fill.complete(rows, runEnds, runs, output);
        List<ColumnVector> vectors = new ArrayList<>(output.length);
        for (ColumnVectorBuilder builder : output) {
          vectors.add(builder.build());
        }
        writer.append(new Batch(vectors, runs));
        start = end;
      }
      if (givenColumns != null) {
        flushedFills.put(
            path, new PartialUpdateRecheck.FlushedFill(fill.snapshotVersion(), fill.storedRows()));
      }
    }
  }

  /** One daemon thread per background flush (a flush writes up to half a budget of rows). */
  private static final Executor FLUSH_THREADS =
      task -> Thread.ofPlatform().daemon().name("basalt-load-flush").start(task);

  /**
   * Writes what is still buffered and commits the load: every touched tablet gets one rowset (its
   * segments in write order), all at one new version per partition, with the label recorded, in one
   * catalog commit. Durable when it returns. When what is left to write is small ({@link
   * SegmentSyncer#admits}), its segments are written without forcing and their bytes go into the
   * catalog commit as copies, so the commit is the load's only round of device flushes; the {@link
   * SegmentSyncer} forces the files afterwards.
   *
   * @throws BasaltException LABEL_ALREADY_EXISTS when another load took the label meanwhile, or
   *     ANALYSIS_ERROR when the table was dropped, truncated or repartitioned meanwhile; the load
   *     is then aborted (its files deleted)
   */
  public CommitResult commit() {
    lock.lock();
    try {
      return commitLocked();
    } finally {
      lock.unlock();
    }
  }

  private CommitResult commitLocked() {
    checkOpen();
    Map<String, byte[]> copies = flushAll(true);
    Map<Long, List<SegmentFile>> committed = new TreeMap<>(segments);
    for (long tabletId : deletedKeys.keySet()) {
      committed.putIfAbsent(tabletId, List.of());
    }
    try (PartialUpdateRecheck recheck =
        givenColumns == null
            ? null
            : new PartialUpdateRecheck(
                fileSystem,
                table,
                keyColumns,
                givenColumns,
                flushedFills,
                columnDefaults,
                this::newSegmentPath)) {
      MergeOnWriteMarker marker =
          table.mergeOnWrite()
              ? new MergeOnWriteMarker(fileSystem, committed, deletedKeys, table, recheck)
              : null;
      if (marker != null) {
        // The lookups run before the commit lock; under it only later commits are re-checked.
        marker.prepare(catalog, table.id());
      }
      CommitResult result =
          catalog.commitLoad(table.id(), label, committed, rowCount, marker, info, copies, table);
      state = State.COMMITTED;
      memtableBudget.unregister(this);
      written.forEach(filesInFlight::remove);
      if (!copies.isEmpty()) {
        long bytes = 0;
        for (byte[] copy : copies.values()) {
          bytes += copy.length;
        }
        segmentSyncer.submit(List.copyOf(copies.keySet()), bytes);
      }
      commitListener.committed(table, result);
      return result;
    } catch (BasaltException refused) {
      // Refused before anything was written (label taken, table gone): nothing references the
      // files.
      abortAfter(refused);
      throw refused;
    } catch (IllegalArgumentException changed) {
      // The catalog refused tablets it no longer has: a DROP, TRUNCATE or partition change ran
      // while this load wrote its files. Nothing was committed.
      BasaltException error = tableChanged(changed);
      abortAfter(error);
      throw error;
    }
    // Any other failure leaves the files: a commit that threw may still have reached disk, and
    // then its rowsets reference them. An unreferenced file is collected after its grace period.
  }

  /**
   * Writes what is still buffered and pre-commits the load (two-phase commit): its segments are
   * recorded in the catalog with its label, durable but invisible, until {@link
   * TableWriter#commitPrecommitted} or {@link TableWriter#abortPrecommitted}. The transaction is
   * finished here: the catalog record owns the files.
   *
   * @param deadline epoch milliseconds after which the pre-committed load is aborted
   *     <p>The keys the load deletes (merge types, the delete sign) are written per tablet to a
   *     {@link DeleteKeysFile} that the record names; the commit marks them against the rows
   *     visible then.
   * @throws BasaltException LABEL_ALREADY_EXISTS, ANALYSIS_ERROR (table changed); the load is then
   *     aborted
   */
  public TwoPhaseLoad precommit(long deadline) {
    lock.lock();
    try {
      return precommitLocked(deadline);
    } finally {
      lock.unlock();
    }
  }

  private TwoPhaseLoad precommitLocked(long deadline) {
    checkOpen();
    flushAll(false);
    Map<Long, List<SegmentFile>> precommitted = new TreeMap<>(segments);
    Map<Long, String> deleteKeyFiles = new TreeMap<>();
    try {
      for (Map.Entry<Long, TabletDeletes> tablet : deletedKeys.entrySet()) {
        String path = newFilePath(tablet.getKey(), DeleteKeysFile.SUFFIX);
        DeleteKeysFile.write(fileSystem, path, tablet.getValue());
        deleteKeyFiles.put(tablet.getKey(), path);
        precommitted.putIfAbsent(tablet.getKey(), List.of());
      }
    } catch (RuntimeException failed) {
      abortAfter(failed);
      throw failed;
    }
    try {
      TwoPhaseLoad load =
          catalog.precommitLoad(
              table.id(),
              label,
              precommitted,
              deleteKeyFiles,
              givenColumns == null
                  ? null
                  : PartialUpdateRecheck.describe(table, givenColumns, flushedFills),
              rowCount,
              deadline,
              info);
      state = State.COMMITTED;
      memtableBudget.unregister(this);
      // From now on the catalog lists the files (Catalog.referencedSegmentPaths keeps them).
      written.forEach(filesInFlight::remove);
      return load;
    } catch (BasaltException refused) {
      abortAfter(refused);
      throw refused;
    } catch (IllegalArgumentException changed) {
      BasaltException error = tableChanged(changed);
      abortAfter(error);
      throw error;
    }
  }

  /**
   * Flushes every buffer and waits for the flushes; aborts the load when one fails. The buffers
   * left at commit belong to different tablets, so they are written at the same time: a small load
   * touching every bucket then waits for one round of device flushes rather than one per tablet
   * (each segment is forced with its directory entry before it may be named, {@link
   * dev.basalt.storage.fs.FileSystem#createUnpublished}). Their rows are already in memory, within
   * the budget.
   *
   * @param unsyncedIfSmall whether small last segments may be written without forcing (a commit
   *     that stores their copies)
   * @return the bytes of the segments written without forcing, by path (empty when all were forced)
   */
  private Map<String, byte[]> flushAll(boolean unsyncedIfSmall) {
    List<CompletableFuture<SegmentFile>> flushes = new ArrayList<>();
    List<Long> flushedTablets = new ArrayList<>();
    try {
      awaitFlush();
      long left = 0;
      for (TabletBuffer buffer : buffers.values()) {
        left += buffer.estimatedBytes();
      }
      boolean durable = !unsyncedIfSmall || segmentSyncer == null || !segmentSyncer.admits(left);
      for (TabletBuffer buffer : new ArrayList<>(buffers.values())) {
        buffers.remove(buffer.tabletId());
        long bytes = buffer.estimatedBytes();
        accountedBytes -= bytes;
        memtableBudget.flushStarted(bytes);
        String path = newSegmentPath(buffer.tabletId());
        List<SegmentFile> earlier =
            List.copyOf(segments.getOrDefault(buffer.tabletId(), List.of()));
        flushedTablets.add(buffer.tabletId());
        flushes.add(
            buffers.isEmpty()
                ? CompletableFuture.completedFuture(
                    writeSegmentWithin(bytes, buffer, path, earlier, durable))
                : CompletableFuture.supplyAsync(
                    () -> writeSegmentWithin(bytes, buffer, path, earlier, durable),
                    FLUSH_THREADS));
      }
      largestBufferBytes = 0;
      Throwable failure = null;
      for (int i = 0; i < flushes.size(); i++) {
        try {
          SegmentFile segment = flushes.get(i).join();
          segments.computeIfAbsent(flushedTablets.get(i), id -> new ArrayList<>()).add(segment);
        } catch (CompletionException failed) {
          // Wait for the others all the same: abort deletes their files, which must be closed.
          failure = failure == null ? failed.getCause() : failure;
        }
      }
      if (failure instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (failure instanceof Error error) {
        throw error;
      }
      if (failure != null) {
        throw new CompletionException(failure);
      }
      if (durable) {
        return Map.of();
      }
      Map<String, byte[]> copies = new LinkedHashMap<>();
      for (int i = 0; i < flushes.size(); i++) {
        SegmentFile segment = flushes.get(i).join();
        try (var file = fileSystem.open(segment.path())) {
          copies.put(segment.path(), file.read(0, Math.toIntExact(file.length())));
        }
      }
      return copies;
    } catch (RuntimeException | Error e) {
      for (CompletableFuture<SegmentFile> flush : flushes) {
        try {
          flush.join();
        } catch (CompletionException | java.util.concurrent.CancellationException ignored) {
          // Its failure is the one being reported, or another; its file is deleted by the abort.
        }
      }
      abortAfter(e);
      throw e;
    }
  }

  private BasaltException tableChanged(IllegalArgumentException changed) {
    return new BasaltException(
        changed,
        ErrorCode.TABLE_DEFINITION_CHANGED,
        "table "
            + table.name()
            + " changed while the load ran; nothing was loaded, retry the load");
  }

  /** Drops the buffers and deletes the files written; nothing of the load becomes visible. */
  public void abort() {
    lock.lock();
    try {
      abortLocked();
    } finally {
      lock.unlock();
    }
  }

  private void abortLocked() {
    if (state != State.OPEN) {
      return;
    }
    state = State.ABORTED;
    buffers.clear();
    memtableBudget.adjustBuffered(-accountedBytes);
    accountedBytes = 0;
    largestBufferBytes = 0;
    memtableBudget.unregister(this);
    CompletableFuture<SegmentFile> flush = inFlight;
    inFlight = null;
    if (flush != null) {
      // Its file is deleted below; wait so that the flush does not publish it afterwards.
      try {
        flush.join();
      } catch (CompletionException | java.util.concurrent.CancellationException ignored) {
        // The flush failed: nothing of it remains to delete but what is listed in written.
      }
    }
    RuntimeException failure = null;
    for (String path : written) {
      try {
        fileSystem.delete(path);
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure == null) {
      written.forEach(filesInFlight::remove);
    }
    if (failure != null) {
      throw failure;
    }
  }

  private void abortAfter(Throwable cause) {
    try {
      abort();
    } catch (RuntimeException cleanupFailure) {
      cause.addSuppressed(cleanupFailure);
    }
  }

  /** Aborts the load unless it was committed. */
  @Override
  public void close() {
    abort();
  }

  private void checkOpen() {
    if (state != State.OPEN) {
      throw new IllegalStateException("load into " + table.name() + " is already " + state);
    }
  }
}
