package dev.basalt.meta.catalog;

import java.util.List;

/**
 * The outcome of {@link Catalog#commitCompaction}.
 *
 * @param output the rowset that replaced the inputs
 * @param inputs the rowsets it replaced
 * @param retiredSegments the inputs' segment paths, no longer referenced by any committed version
 */
public record CompactionResult(
    RowsetMeta output, List<RowsetMeta> inputs, List<String> retiredSegments) {
  public CompactionResult {
    inputs = List.copyOf(inputs);
    retiredSegments = List.copyOf(retiredSegments);
  }
}
