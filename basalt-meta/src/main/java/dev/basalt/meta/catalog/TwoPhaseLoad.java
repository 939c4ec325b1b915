package dev.basalt.meta.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A two-phase load ({@code two_phase_commit: true}) after its pre-commit: its segment files are
 * written and durable but not visible until {@code _stream_load_2pc} commits it. The catalog keeps
 * the record (key {@code txn/<databaseId>/<transactionId>}) across restarts; after the commit or
 * abort it stays, without segments, so that a second commit or abort gets Doris's answer, until the
 * label expires (docs/stream-load.md, Two-phase commit). Immutable.
 *
 * @param transactionId the load's transaction id ({@code TxnId} of the Stream Load answer)
 * @param databaseId the database
 * @param tableId the loaded table
 * @param label the load's label, reserved while the load is pre-committed or visible
 * @param status PRECOMMITTED, VISIBLE or ABORTED
 * @param segments per tablet id, the files written (empty once committed or aborted)
 * @param deleteKeyFiles per tablet id, the file holding the keys the load deletes there (merge
 *     types, the delete sign), marked at the commit (empty once committed or aborted, and for a
 *     load that deletes nothing)
 * @param partialUpdate for a partial column update, what its commit needs to re-read the rows
 *     written meanwhile; null for a load of whole rows (and once committed or aborted)
 * @param rowCount rows loaded
 * @param precommitTime when it was pre-committed, epoch milliseconds
 * @param deadline when a load still pre-committed is aborted ({@code timeout by txn manager}),
 *     epoch milliseconds
 * @param abortReason why it was aborted, or null
 * @param finishTime when it was committed or aborted, epoch milliseconds; 0 while pre-committed
 */
public record TwoPhaseLoad(
    long transactionId,
    long databaseId,
    long tableId,
    String label,
    LoadStatus status,
    Map<Long, List<SegmentFile>> segments,
    Map<Long, String> deleteKeyFiles,
    PartialUpdate partialUpdate,
    long rowCount,
    long precommitTime,
    long deadline,
    String abortReason,
    long finishTime) {
  public TwoPhaseLoad {
    segments = Map.copyOf(segments);
    // Records written before deletes could be two-phase have no such field.
    deleteKeyFiles = deleteKeyFiles == null ? Map.of() : Map.copyOf(deleteKeyFiles);
  }

  /** The paths of every file the load owns: its segments and its delete-key files. */
  public List<String> filePaths() {
    List<String> paths = new ArrayList<>(deleteKeyFiles.values());
    segments.values().forEach(list -> list.forEach(file -> paths.add(file.path())));
    return paths;
  }

  /**
   * What a partial column update's flushes read, for the commit's re-read of keys written since
   * (the load's {@code PartialUpdateRecheck}).
   *
   * @param givenColumnIds the unique ids of the columns the load gives
   * @param fills per segment path of the load, what its flush read
   */
  public record PartialUpdate(List<Integer> givenColumnIds, Map<String, Fill> fills) {
    public PartialUpdate {
      givenColumnIds = List.copyOf(givenColumnIds);
      fills = Map.copyOf(fills);
    }

    /**
     * @param snapshotVersion the partition version whose committed rows the flush read
     * @param storedRows the segment's rows that took values from a live stored row, as a serialized
     *     RoaringBitmap
     */
    public record Fill(long snapshotVersion, byte[] storedRows) {}
  }

  /** The record after a commit or abort at {@code time}: no segments any more. */
  TwoPhaseLoad finished(LoadStatus newStatus, String reason, long time) {
    return new TwoPhaseLoad(
        transactionId,
        databaseId,
        tableId,
        label,
        newStatus,
        Map.of(),
        Map.of(),
        null,
        rowCount,
        precommitTime,
        deadline,
        reason,
        time);
  }
}
