package dev.basalt.meta.catalog;

/** How a value column of an AGGREGATE table merges rows with equal keys; NONE elsewhere. */
public enum AggregationType {
  NONE,
  SUM,
  MIN,
  MAX,
  REPLACE,
  REPLACE_IF_NOT_NULL,
  HLL_UNION,
  BITMAP_UNION,
  QUANTILE_UNION
}
