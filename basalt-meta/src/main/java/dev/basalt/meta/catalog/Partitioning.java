package dev.basalt.meta.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A table's partitioning scheme.
 *
 * @param kind NONE, RANGE or LIST
 * @param columns the partition columns (empty for NONE)
 */
public record Partitioning(PartitionKind kind, List<String> columns) {
  public static final Partitioning NONE = new Partitioning(PartitionKind.NONE, List.of());

  public Partitioning {
    Objects.requireNonNull(kind, "kind");
    columns = List.copyOf(columns);
  }
}
