package dev.basalt.meta.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A table's distribution into buckets: {@code DISTRIBUTED BY HASH(columns) | RANDOM BUCKETS
 * n|AUTO}.
 *
 * @param kind HASH or RANDOM
 * @param columns the hash columns (empty for RANDOM)
 * @param bucketCount tablets per partition; for {@code autoBuckets} the number the catalog chose
 * @param autoBuckets whether the user wrote {@code BUCKETS AUTO} (or no BUCKETS clause)
 */
public record Distribution(
    DistributionKind kind, List<String> columns, int bucketCount, boolean autoBuckets) {
  public Distribution {
    Objects.requireNonNull(kind, "kind");
    columns = List.copyOf(columns);
  }
}
