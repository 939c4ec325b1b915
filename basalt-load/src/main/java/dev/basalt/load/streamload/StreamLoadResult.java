package dev.basalt.load.streamload;

/**
 * The outcome of one Stream Load, field for field what Doris's response JSON reports (see
 * docs/stream-load.md). Immutable.
 *
 * @param status {@code Success}, {@code Label Already Exists} or {@code Fail}
 * @param message {@code OK} or what went wrong
 * @param transactionId the load's transaction id (of the earlier load for a reused label)
 * @param label the label (generated when the request had none)
 * @param twoPhaseCommit whether the load was pre-committed only ({@code two_phase_commit: true})
 * @param existingJobStatus for a reused label, the earlier load's state ({@code FINISHED}); else
 *     null
 * @param errorLogFile the name of the rejected-rows log (for {@code ErrorURL}), or null when no row
 *     was rejected
 * @param groupCommit whether the load joined a group ({@code group_commit: async_mode |
 *     sync_mode}); its label is then the group's
 */
public record StreamLoadResult(
    String status,
    String message,
    long transactionId,
    String label,
    String comment,
    boolean twoPhaseCommit,
    String existingJobStatus,
    long totalRows,
    long loadedRows,
    long filteredRows,
    long unselectedRows,
    long loadBytes,
    long loadTimeMs,
    long beginTransactionTimeMs,
    long streamLoadPutTimeMs,
    long readDataTimeMs,
    long writeDataTimeMs,
    long commitAndPublishTimeMs,
    String errorLogFile,
    boolean groupCommit) {
  public static final String SUCCESS = "Success";
  public static final String LABEL_ALREADY_EXISTS = "Label Already Exists";
  public static final String FAIL = "Fail";

  public boolean succeeded() {
    return SUCCESS.equals(status);
  }
}
