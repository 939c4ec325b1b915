package dev.basalt.meta.catalog;

/**
 * What the catalog remembers of a load under its label, so that a retried label returns the earlier
 * result instead of loading twice.
 *
 * @param label the label, unique within its database
 * @param databaseId the database
 * @param tableId the loaded table
 * @param transactionId the load's transaction id
 * @param status its state
 * @param rowCount rows loaded
 * @param commitTime when it became visible, epoch milliseconds
 * @param info its type, user, start and Stream Load figures (SHOW LOAD); {@code null} in records
 *     written before Basalt kept them
 * @param errorMessage why a failed load failed (an ABORTED record, {@link
 *     Catalog#recordFailedLoad}); {@code null} for every other load
 */
public record LoadRecord(
    String label,
    long databaseId,
    long tableId,
    long transactionId,
    LoadStatus status,
    long rowCount,
    long commitTime,
    LoadInfo info,
    String errorMessage) {

  /** The record of a load that did not fail. */
  public LoadRecord(
      String label,
      long databaseId,
      long tableId,
      long transactionId,
      LoadStatus status,
      long rowCount,
      long commitTime,
      LoadInfo info) {
    this(label, databaseId, tableId, transactionId, status, rowCount, commitTime, info, null);
  }
}
