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
 */
public record LoadRecord(
    String label,
    long databaseId,
    long tableId,
    long transactionId,
    LoadStatus status,
    long rowCount,
    long commitTime,
    LoadInfo info) {}
