package dev.basalt.exec.spill;

import dev.basalt.common.type.DataType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.exec.hash.BytesGroupHashTable;
import dev.basalt.exec.hash.KeySerializer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows split by the hash of their key columns into {@link #FANOUT} spill files, so that an operator
 * whose state does not fit in memory (hash aggregation, hash join) can later process one partition
 * at a time: rows with equal keys always land in the same partition, on both sides of a join when
 * both use the same key layouts (see {@link KeySerializer}) and the same {@code level}.
 *
 * <p>Each recursion level hashes with its own seed, so a partition that is still too large splits
 * again when it is partitioned one level deeper; a partition of a single key never splits, which is
 * why operators stop at {@link #MAX_LEVEL} and fail with MEM_LIMIT_EXCEEDED instead.
 *
 * <p>Call order: {@link #add} any number of times, then {@link #read} each partition once (which
 * finishes writing); {@link #close()} deletes every file (also after a failure; idempotent). Owned
 * by one operator; not thread safe.
 */
public final class SpillPartitions implements AutoCloseable {
  /** Partitions per level: 16 files open at once, each with its own write buffer. */
  public static final int FANOUT = 16;

  /** The deepest level an operator partitions at; 16^4 partitions in all. */
  public static final int MAX_LEVEL = 3;

  private final BatchSpillFile[] files;
  private final int[] keyColumns;
  private final long seed;
  private final KeySerializer serializer = new KeySerializer();
  private final int[][] rows = new int[FANOUT][];
  private final int[] counts = new int[FANOUT];

  /**
   * @param types the column types of the rows to spill
   * @param keyColumns the columns whose values decide the partition
   * @param level the recursion level (0 for an operator's first spill), which picks the seed
   */
  public SpillPartitions(
      Path directory,
      List<DataType> types,
      int[] keyColumns,
      int level,
      BatchSpillFile.SpillAccounting accounting) {
    this.keyColumns = keyColumns.clone();
    this.seed = 0x9E3779B97F4A7C15L * (level + 1);
    this.files = new BatchSpillFile[FANOUT];
    try {
      for (int partition = 0; partition < FANOUT; partition++) {
        files[partition] = new BatchSpillFile(directory, types, accounting);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Appends every row of {@code batch}. */
  public void add(Batch batch) {
    int rowCount = batch.rowCount();
    int[] all = new int[rowCount];
    for (int row = 0; row < rowCount; row++) {
      all[row] = row;
    }
    add(batch, all, rowCount);
  }

  /** Appends rows {@code selected[0 .. count - 1]} of {@code batch}, each to its partition. */
  public void add(Batch batch, int[] selected, int count) {
    if (count == 0) {
      return;
    }
    List<ColumnVector> keys = new ArrayList<>(keyColumns.length);
    for (int column : keyColumns) {
      keys.add(batch.column(column));
    }
    for (int partition = 0; partition < FANOUT; partition++) {
      counts[partition] = 0;
      if (rows[partition] == null || rows[partition].length < count) {
        rows[partition] = new int[Math.max(count, 64)];
      }
    }
    for (int i = 0; i < count; i++) {
      int row = selected[i];
      int partition = partition(keys, row);
      rows[partition][counts[partition]++] = row;
    }
    for (int partition = 0; partition < FANOUT; partition++) {
      files[partition].append(batch, rows[partition], counts[partition]);
    }
  }

  private int partition(List<ColumnVector> keys, int row) {
    int length = serializer.serialize(keys, row);
    long hash = BytesGroupHashTable.hash(serializer.buffer(), 0, length) ^ seed;
    hash *= 0xFF51AFD7ED558CCDL;
    hash ^= hash >>> 33;
    hash *= 0xC4CEB9FE1A85EC53L;
    hash ^= hash >>> 33;
    return (int) (hash >>> 60);
  }

  public long rowCount(int partition) {
    return files[partition].rowCount();
  }

  /** All rows added so far. */
  public long rowCount() {
    long total = 0;
    for (BatchSpillFile file : files) {
      total += file.rowCount();
    }
    return total;
  }

  /**
   * Finishes writing every partition, after which several threads may {@link #read} the same
   * partition concurrently (each with its own reader).
   */
  public void finishWriting() {
    for (BatchSpillFile file : files) {
      file.finishWriting();
    }
  }

  /** Reads partition {@code partition} back; the caller closes the reader. */
  public BatchSpillFile.Reader read(int partition) {
    return files[partition].reader();
  }

  /** Deletes one partition's file once it has been processed. */
  public void delete(int partition) {
    files[partition].delete();
  }

  @Override
  public void close() {
    for (BatchSpillFile file : files) {
      if (file != null) {
        file.delete();
      }
    }
  }
}
