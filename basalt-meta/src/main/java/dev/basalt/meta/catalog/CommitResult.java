package dev.basalt.meta.catalog;

import java.util.List;
import java.util.Map;

/**
 * The outcome of {@link Catalog#commitLoad}.
 *
 * @param label the load's label (generated when the caller gave none)
 * @param transactionId the load's transaction id
 * @param partitionVersions the new visible version of every partition the load touched
 * @param rowsets the rowsets created
 * @param commitTime when the load became visible, epoch milliseconds
 */
public record CommitResult(
    String label,
    long transactionId,
    Map<Long, Long> partitionVersions,
    List<RowsetMeta> rowsets,
    long commitTime) {
  public CommitResult {
    partitionVersions = Map.copyOf(partitionVersions);
    rowsets = List.copyOf(rowsets);
  }
}
