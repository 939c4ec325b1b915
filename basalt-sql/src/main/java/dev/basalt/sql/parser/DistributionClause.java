package dev.basalt.sql.parser;

import dev.basalt.meta.catalog.DistributionKind;
import java.util.List;

/**
 * {@code DISTRIBUTED BY HASH(columns) | RANDOM [BUCKETS n | AUTO]}.
 *
 * @param kind HASH or RANDOM
 * @param columns hash columns (empty for RANDOM)
 * @param buckets the bucket count, 0 when AUTO or omitted
 * @param autoBuckets whether {@code BUCKETS AUTO} was written or BUCKETS omitted
 */
public record DistributionClause(
    DistributionKind kind, List<String> columns, int buckets, boolean autoBuckets) {
  public DistributionClause {
    columns = List.copyOf(columns);
  }
}
