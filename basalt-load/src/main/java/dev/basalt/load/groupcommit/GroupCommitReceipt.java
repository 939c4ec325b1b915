package dev.basalt.load.groupcommit;

/**
 * What a load that joined a group is told: the group's label ({@code group_commit_<hex>}, recorded
 * by the group's commit), the group's id (reported as the transaction id), and whether its rows
 * were visible when it returned (sync mode) or only durable in the write-ahead log (async mode).
 * Immutable.
 */
public record GroupCommitReceipt(String label, long transactionId, long rows, boolean visible) {}
