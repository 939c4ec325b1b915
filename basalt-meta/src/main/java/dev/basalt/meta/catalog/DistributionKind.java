package dev.basalt.meta.catalog;

/** How rows of a partition are spread over its tablets (buckets). */
public enum DistributionKind {
  HASH,
  RANDOM
}
