package dev.basalt.load.groupcommit;

import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.load.ColumnBuffer;
import dev.basalt.load.LoadTransaction;
import dev.basalt.load.PartitionRouter;
import dev.basalt.meta.catalog.TableMeta;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of one load on their way into a group: collected (converted, laid out like the table's
 * columns) until the load is complete and checked, then handed to {@link GroupCommitManager#submit}
 * in one piece, so that a load that fails (too many filtered rows, a bad body) leaves nothing in
 * the group. Rows that fit no partition are set aside here, as an ordinary load would.
 *
 * <p>Loads are small by design; one that grows past {@link #MAX_LOAD_BYTES} should be committed on
 * its own ({@link #oversized()}, then {@link #moveTo}), as Doris falls back for large loads. Not
 * thread safe: one load's thread drives it.
 */
public final class GroupCommitLoad {
  /** The most bytes of rows a load gathers for a group; a larger load commits on its own. */
  public static final long MAX_LOAD_BYTES = 16L << 20;

  private final TableMeta table;
  private final PartitionRouter partitions;
  private final List<Batch> batches = new ArrayList<>();
  private int[] partitionOfRow = new int[0];
  private long rows;
  private long bytes;

  public GroupCommitLoad(TableMeta table) {
    this.table = table;
    this.partitions = new PartitionRouter(table);
  }

  public TableMeta table() {
    return table;
  }

  /** Keeps a batch (laid out like the table's columns); rows of no partition go to rejected. */
  public void append(Batch batch, LoadTransaction.RejectedRows rejected) {
    int count = batch.rowCount();
    if (count == 0) {
      return;
    }
    if (partitionOfRow.length < count) {
      partitionOfRow = new int[count];
    }
    partitions.route(batch, partitionOfRow);
    int[] kept = new int[count];
    int keptCount = 0;
    for (int row = 0; row < count; row++) {
      if (partitionOfRow[row] == PartitionRouter.NO_PARTITION) {
        rejected.reject(row, partitions.describe(batch, row));
      } else {
        kept[keptCount++] = row;
      }
    }
    Batch accepted = keptCount == count ? batch : rows(batch, kept, keptCount);
    if (keptCount == 0) {
      return;
    }
    batches.add(accepted);
    rows += keptCount;
    bytes += estimatedBytes(accepted);
  }

  /** Rows kept so far. */
  public long rowCount() {
    return rows;
  }

  /** Whether the load has outgrown a group ({@link #MAX_LOAD_BYTES}). */
  public boolean oversized() {
    return bytes > MAX_LOAD_BYTES;
  }

  /** Hands the rows kept so far to an ordinary load and forgets them. */
  public void moveTo(LoadTransaction load) {
    for (Batch batch : batches) {
      load.append(batch);
    }
    batches.clear();
    rows = 0;
    bytes = 0;
  }

  List<Batch> batches() {
    return batches;
  }

  private Batch rows(Batch batch, int[] kept, int count) {
    List<ColumnVector> vectors = new ArrayList<>(batch.columnCount());
    for (int c = 0; c < batch.columnCount(); c++) {
      ColumnBuffer buffer = new ColumnBuffer(table.columns().get(c).type(), Math.max(count, 1));
      buffer.appendRows(batch.column(c), kept, count);
      vectors.add(buffer.toVector());
    }
    return new Batch(vectors, count);
  }

  private static long estimatedBytes(Batch batch) {
    long total = 0;
    for (int c = 0; c < batch.columnCount(); c++) {
      ColumnVector column = batch.column(c);
      total += 9L * batch.rowCount();
      if (column instanceof BytesVector strings) {
        total += strings.offset(batch.rowCount()) - strings.offset(0);
      }
    }
    return total;
  }
}
